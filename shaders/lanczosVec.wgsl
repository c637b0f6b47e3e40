// lanczosVec: the vector operations of Lanczos with full reorthogonalisation on the GPU (issue 10),
// the steps of src/reference/lanczos.ts (its twin), with the basis Q in one buffer (vector m at
// q[m * n ..]) and the scalars in `state` (no read-back until the k steps are done). Step j:
//   landscapeHvp: w = H q_j   (q_j = vector state.j)
//   hnorm:        state.hn = |w|
//   dots:         c_m = q_m . w for m <= j (workgroup m); alpha_j += c_j    } twice (CGS2)
//   subtract:     w -= sum_{m <= j} c_m q_m                                  }
//   finish:       r = |w|; beta_j = r if r > tol hn, else 0; q_{j+1} = w / beta_j (0 if beta_j = 0); j += 1
// start: norm0 = |b|, q_0 = b / norm0, j = 0, alpha = beta = 0.
// combine: out = sum_m coef[m] q_m (the CPU uploads coef = |b| S f(Theta) S^T e_1 after solving
//   the k x k tridiagonal eigenproblem: src/reference/lanczos.ts lanczosCoefficients).
// axpy: out = x + params.t * s (the line search's trial points).
// Reductions: one workgroup, grid-stride loop then a tree in workgroup memory (f32).

const LANCZOS_KMAX: u32 = 256u;

struct LanczosParams {
  n: u32,
  // number of coefficients in combine
  count: u32,
  _pad0: u32,
  _pad1: u32,
  // breakdown tolerance (relative to |H q_j|)
  tol: f32,
  // axpy coefficient
  t: f32,
  _pad2: f32,
  _pad3: f32,
}

struct LanczosState {
  j: u32,
  norm0: f32,
  hn: f32,
  _pad0: f32,
  coef: array<f32, LANCZOS_KMAX>,
  alpha: array<f32, LANCZOS_KMAX>,
  beta: array<f32, LANCZOS_KMAX>,
}

@group(0) @binding(0) var<uniform> params: LanczosParams;
@group(0) @binding(1) var<storage, read_write> state: LanczosState;
@group(0) @binding(2) var<storage, read_write> q: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> w: array<vec2f>;
// start: b; axpy: x; combine: unused
@group(0) @binding(4) var<storage, read> src: array<vec2f>;
// axpy: s
@group(0) @binding(5) var<storage, read> dir: array<vec2f>;
// combine / axpy output
@group(0) @binding(6) var<storage, read_write> out: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> red: array<f32, WG>;

fn tree(lid: u32) -> f32 {
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      red[lid] = red[lid] + red[lid + h];
    }
    workgroupBarrier();
  }
  return red[0];
}

@compute @workgroup_size(WG)
fn start(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  var s = 0.0;
  for (var i = lid; i < n; i = i + WG) {
    let b = src[i];
    s = s + dot(b, b);
  }
  red[lid] = s;
  let nrm = sqrt(tree(lid));
  let inv = select(0.0, 1.0 / nrm, nrm > 0.0);
  for (var i = lid; i < n; i = i + WG) {
    q[i] = src[i] * inv;
  }
  for (var m = lid; m < LANCZOS_KMAX; m = m + WG) {
    state.alpha[m] = 0.0;
    state.beta[m] = 0.0;
  }
  if (lid == 0u) {
    state.j = 0u;
    state.norm0 = nrm;
  }
}

@compute @workgroup_size(WG)
fn hnorm(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  var s = 0.0;
  for (var i = lid; i < n; i = i + WG) {
    let v = w[i];
    s = s + dot(v, v);
  }
  red[lid] = s;
  let r = tree(lid);
  if (lid == 0u) {
    state.hn = sqrt(r);
  }
}

@compute @workgroup_size(WG)
fn dots(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let m = wid.x;
  let j = state.j;
  // no early return: the tree's barriers must stay in uniform control flow
  let live = m <= j;
  var s = 0.0;
  if (live) {
    for (var i = lid; i < n; i = i + WG) {
      s = s + dot(q[m * n + i], w[i]);
    }
  }
  red[lid] = s;
  let c = tree(lid);
  if (lid == 0u && live) {
    state.coef[m] = c;
    if (m == j) {
      state.alpha[j] = state.alpha[j] + c;
    }
  }
}

@compute @workgroup_size(WG)
fn subtract(@builtin(global_invocation_id) gid: vec3u) {
  let n = params.n;
  let i = gid.x;
  if (i >= n) {
    return;
  }
  let j = state.j;
  var v = w[i];
  for (var m = 0u; m <= j; m = m + 1u) {
    v = v - state.coef[m] * q[m * n + i];
  }
  w[i] = v;
}

@compute @workgroup_size(WG)
fn finish(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let j = state.j;
  var s = 0.0;
  for (var i = lid; i < n; i = i + WG) {
    let v = w[i];
    s = s + dot(v, v);
  }
  red[lid] = s;
  let r = sqrt(tree(lid));
  let b = select(0.0, r, r > params.tol * state.hn);
  let inv = select(0.0, 1.0 / b, b > 0.0);
  let off = (j + 1u) * n;
  for (var i = lid; i < n; i = i + WG) {
    q[off + i] = w[i] * inv;
  }
  storageBarrier();
  workgroupBarrier();
  if (lid == 0u) {
    state.beta[j] = b;
    state.j = j + 1u;
  }
}

@compute @workgroup_size(WG)
fn combine(@builtin(global_invocation_id) gid: vec3u) {
  let n = params.n;
  let i = gid.x;
  if (i >= n) {
    return;
  }
  var v = vec2f(0.0);
  for (var m = 0u; m < params.count; m = m + 1u) {
    v = v + state.coef[m] * q[m * n + i];
  }
  out[i] = v;
}

@compute @workgroup_size(WG)
fn axpy(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  out[i] = src[i] + params.t * dir[i];
}

// mmdFlowStep: one explicit Euler step of the MMD flow towards a target cloud y_1..y_M (METHODS.md
// section 3; Arbel, Korba, Salim & Gretton 2019, "Maximum Mean Discrepancy Gradient Flow"; the Riesz
// kernel k = -|x - y| gives the energy-distance flow, Hertrich et al. 2023). F(mu) = MMD_k^2(mu, nu)/2:
//   v(x_i) = -grad_x [ (1/N) sum_j k(x, x_j) - (1/M) sum_m k(x, y_m) ] at x = x_i
//          = (1/N) sum_j w(|d_ij|^2) d_ij - (1/M) sum_m w(|d_im|^2) d_im,   d = x_i - z
//   x_i <- x_i + h v(x_i)
// with -grad_x k(x, z) = w(r^2) (x - z):
//   kernel 0 gaussian k = exp(-r^2 / (2 bw2))   w = k / bw2
//   kernel 1 imq      k = (bw2 + r^2)^(-1/2)     w = (bw2 + r^2)^(-3/2)
//   kernel 2 energy   k = -r                     w = 1 / r  (0 at r = 0: the particle itself)
// Both O(N^2) and O(N M) sums are tiled through workgroup memory: each workgroup loads WG points of
// the particle cloud, then of the target cloud, at a time; every thread accumulates its own i.
// Writes to posOut (ping-pong), since every i reads every x_j. Twin: src/reference/mmdFlowStep.ts.

struct MmdFlowParams {
  n: u32,
  m: u32,
  kernel: u32,
  _pad0: u32,
  h: f32,
  bw2: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: MmdFlowParams;
@group(0) @binding(1) var<storage, read> posIn: array<vec2f>;
@group(0) @binding(2) var<storage, read> cloud: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> posOut: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec2f, WG>;

fn mmd_weight(d: vec2f) -> f32 {
  let r2 = dot(d, d);
  switch (params.kernel) {
    case 0u: {
      return exp(-0.5 * r2 / params.bw2) / params.bw2;
    }
    case 1u: {
      let q = 1.0 / (params.bw2 + r2);
      return q * sqrt(q);
    }
    default: {
      return select(0.0, inverseSqrt(r2), r2 > 0.0);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let m = params.m;
  let i = gid.x;
  let inRange = i < n;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = posIn[i];
  }
  // Repulsion: the particle cloud.
  var rep = vec2f(0.0);
  for (var base = 0u; base < n; base = base + WG) {
    let j = base + lid;
    if (j < n) {
      tile[lid] = posIn[j];
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let d = xi - tile[t];
      rep = rep + mmd_weight(d) * d;
    }
    workgroupBarrier();
  }
  // Attraction: the target cloud.
  var att = vec2f(0.0);
  for (var base = 0u; base < m; base = base + WG) {
    let j = base + lid;
    if (j < m) {
      tile[lid] = cloud[j];
    }
    workgroupBarrier();
    let count = min(WG, m - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let d = xi - tile[t];
      att = att + mmd_weight(d) * d;
    }
    workgroupBarrier();
  }
  if (inRange) {
    posOut[i] = xi + params.h * (rep / f32(n) - att / f32(m));
  }
}

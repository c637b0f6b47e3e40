// gwgStep: generalized Wasserstein gradient descent (GWG, Cheng, Zhang, Yu & Zhang, NeurIPS 2023;
// METHODS.md section 5) with the RKHS-span function class f(x) = (1/N) sum_j c_j k(x, x_j),
// k(x, y) = exp(-|x - y|^2 / (2 sigma^2)), h(v) = |v|^p / p, q = p / (p - 1). Three entry points,
// each one tiled O(N^2) (or O(N)) pass; one particle step = `inner` x (evalF, ascend), then advance:
//   evalF:  f_i = (1/N) sum_j c_j k(x_i, x_j);  fw_i = (w_i, f_i), w_i = s_i - grad h(f_i),
//           grad h(v) = |v|^(p-2) v, smoothed to (|v|^2 + eps2)^((p-2)/2) v for p < 2
//   ascend: G_j = (1/N) sum_i k(x_i, x_j) [ w_i + (x_j - x_i) / sigma^2 ];  c_j <- c_j + lr G_j
//           (gradient ascent on J(c) = E_mu[ s.f + div f - h(f) ]; at c = 0, G = the SVGD velocity)
//   advance: f_i as in evalF (written to fw for gwgAdapt), then
//           posOut_i = x_i + h v_i, v_i = |f_i|^(q-2) f_i (moveRule 0, METHODS.md) or f_i (moveRule 1)
// p is read from state[0] (written by gwgAdapt in adaptive mode). The tiles go through workgroup
// memory as in svgdStep.wgsl. Twin: src/reference/gwgStep.ts.

struct GwgParams {
  n: u32,
  // 1: use params.sigma2; 0: use bw[0] (written on the GPU by medianBandwidth)
  fixedBandwidth: u32,
  // 0: v = grad h*(f); 1: v = f
  moveRule: u32,
  _pad0: u32,
  h: f32,
  sigma2: f32,
  lr: f32,
  eps2: f32,
}

@group(0) @binding(0) var<uniform> params: GwgParams;
@group(0) @binding(1) var<storage, read> posIn: array<vec2f>;
@group(0) @binding(2) var<storage, read> scores: array<vec4f>;
@group(0) @binding(3) var<storage, read> bw: array<f32>;
@group(0) @binding(4) var<storage, read> state: array<f32>;
@group(0) @binding(5) var<storage, read_write> coef: array<vec2f>;
@group(0) @binding(6) var<storage, read_write> fw: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> posOut: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec4f, WG>;

fn bandwidth2() -> f32 {
  if (params.fixedBandwidth == 1u) {
    return params.sigma2;
  }
  return bw[0];
}

// |v|^(p-2), smoothed for p < 2 (see header).
fn gradHScale(v: vec2f, p: f32) -> f32 {
  let r2 = dot(v, v);
  if (p == 2.0) {
    return 1.0;
  }
  if (p < 2.0) {
    return pow(r2 + params.eps2, 0.5 * (p - 2.0));
  }
  if (r2 == 0.0) {
    return 0.0;
  }
  return pow(r2, 0.5 * (p - 2.0));
}

// |w|^(q-2), 0 at w = 0.
fn gradHStarScale(w: vec2f, p: f32) -> f32 {
  let q = p / (p - 1.0);
  let r2 = dot(w, w);
  if (r2 == 0.0) {
    return 0.0;
  }
  return pow(r2, 0.5 * (q - 2.0));
}

// f(x_i) = (1/N) sum_j c_j k(x_i, x_j), every thread of the workgroup taking part in the tiling.
fn evalAt(xi: vec2f, lid: u32) -> vec2f {
  let n = params.n;
  let a = -0.5 / bandwidth2();
  var acc = vec2f(0.0);
  for (var base = 0u; base < n; base = base + WG) {
    let j = base + lid;
    if (j < n) {
      tile[lid] = vec4f(posIn[j], coef[j]);
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let d = xi - e.xy;
      acc = acc + exp(a * dot(d, d)) * e.zw;
    }
    workgroupBarrier();
  }
  return acc / f32(n);
}

@compute @workgroup_size(WG)
fn evalF(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  let inRange = i < params.n;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = posIn[i];
  }
  let f = evalAt(xi, lid);
  if (inRange) {
    let w = scores[i].xy - gradHScale(f, state[0]) * f;
    fw[i] = vec4f(w, f);
  }
}

@compute @workgroup_size(WG)
fn ascend(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let j = gid.x;
  let inRange = j < n;
  var xj = vec2f(0.0);
  if (inRange) {
    xj = posIn[j];
  }
  let inv = 1.0 / bandwidth2();
  let a = -0.5 * inv;
  var acc = vec2f(0.0);
  for (var base = 0u; base < n; base = base + WG) {
    let i = base + lid;
    if (i < n) {
      tile[lid] = vec4f(posIn[i], fw[i].xy);
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let d = xj - e.xy;
      acc = acc + exp(a * dot(d, d)) * (e.zw + d * inv);
    }
    workgroupBarrier();
  }
  if (inRange) {
    coef[j] = coef[j] + params.lr * acc / f32(n);
  }
}

@compute @workgroup_size(WG)
fn advance(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  let inRange = i < params.n;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = posIn[i];
  }
  let f = evalAt(xi, lid);
  if (inRange) {
    let p = state[0];
    var s = 1.0;
    if (params.moveRule == 0u) {
      s = gradHStarScale(f, p);
    }
    fw[i] = vec4f(scores[i].xy - gradHScale(f, p) * f, f);
    posOut[i] = xi + params.h * s * f;
  }
}

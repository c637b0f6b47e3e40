// gwgAdapt: the adaptive-p update of Ada-GWG (Cheng et al., NeurIPS 2023), reconstructed as gradient
// ascent on the estimated log KL dissipation rate (full derivation: src/reference/gwgAdapt.ts):
//   ghat_i = grad h_p(f_i) ~ grad log(pi/mu)(x_i),  D(r) = mean_i |ghat_i|^r,
//   r = (q-1)^2 + 1 (moveRule 0: v = grad h*(f)) or r = q (moveRule 1: v = f),  q = p / (p - 1),
//   Lbar = d log D / dr = sum_i |ghat_i|^r log|ghat_i| / sum_i |ghat_i|^r,
//   r <- clamp(r + rate * Lbar, r(pMax), r(pMin)),  state[0] = p(r),  state[1] = Lbar.
// One workgroup: each thread strides over the particles, then tree reductions in workgroup memory
// (first the max of r log|ghat| so the weights exp(r log|ghat| - max) never overflow, then the sums).
// Reads fw = (w, f) written by gwgStep's advance. Twin: src/reference/gwgAdapt.ts.

struct AdaptParams {
  n: u32,
  moveRule: u32,
  _pad0: u32,
  _pad1: u32,
  rate: f32,
  eps2: f32,
  pMin: f32,
  pMax: f32,
}

@group(0) @binding(0) var<uniform> params: AdaptParams;
@group(0) @binding(1) var<storage, read> fw: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;

// Workgroup size, a power of two (the tree reductions halve it); set from src/gpu/workgroups.ts.
override WG: u32 = 256u;
const LOG_FLOOR: f32 = 1e-20;
var<workgroup> red: array<vec2f, WG>;

fn exponentOf(p: f32) -> f32 {
  let q = p / (p - 1.0);
  if (params.moveRule == 1u) {
    return q;
  }
  return (q - 1.0) * (q - 1.0) + 1.0;
}

fn pOf(r: f32) -> f32 {
  var q = r;
  if (params.moveRule == 0u) {
    q = 1.0 + sqrt(max(r - 1.0, 0.0));
  }
  return q / (q - 1.0);
}

fn logGhat(f: vec2f, p: f32) -> f32 {
  let r2 = dot(f, f);
  var s = 1.0;
  if (p < 2.0) {
    s = pow(r2 + params.eps2, 0.5 * (p - 2.0));
  } else if (p > 2.0) {
    if (r2 == 0.0) {
      s = 0.0;
    } else {
      s = pow(r2, 0.5 * (p - 2.0));
    }
  }
  return log(max(s * sqrt(r2), LOG_FLOOR));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let p = state[0];
  let r = exponentOf(p);
  var top = -3.0e38;
  for (var i = lid; i < n; i = i + WG) {
    top = max(top, r * logGhat(fw[i].zw, p));
  }
  red[lid] = vec2f(top, 0.0);
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      red[lid].x = max(red[lid].x, red[lid + s].x);
    }
    workgroupBarrier();
  }
  let m = red[0].x;
  workgroupBarrier();
  var acc = vec2f(0.0);
  for (var i = lid; i < n; i = i + WG) {
    let l = logGhat(fw[i].zw, p);
    let w = exp(r * l - m);
    acc = acc + vec2f(w, w * l);
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      red[lid] = red[lid] + red[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let tot = red[0];
    var meanLog = 0.0;
    if (tot.x > 0.0) {
      meanLog = tot.y / tot.x;
    }
    let rNext = clamp(r + params.rate * meanLog, exponentOf(params.pMax), exponentOf(params.pMin));
    state[0] = pOf(rNext);
    state[1] = meanLog;
  }
}

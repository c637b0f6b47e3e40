// sinkhornBarycenter: the barycentric projection of the entropic plan (Feydy et al. 2019; the
// Sinkhorn-divergence flow of METHODS.md section 4), and a fused axpy for the flow step:
//   T(x_i) = sum_j P_ij y_j / sum_j P_ij,   log P_ij = log w_j + (p_j - |x_i - y_j|^2 / 2) / eps + const_i
//   out_i  = alpha x_i + beta T(x_i) + gamma addend_i
// (the row constant f_i / eps + log a_i cancels in the ratio, so only the y-side potential p enters).
// Flow: tmp = T_ab(x) (alpha 0, beta 1), then x' = x + tau tmp - tau T_aa(x) (alpha 1, beta -tau,
// gamma tau, addend tmp); without debiasing x' = (1 - tau) x + tau T_ab(x).
// Tiled through workgroup memory like sinkhornSoftmin, with an online log-sum-exp that rescales the
// running weighted sum of y_j whenever the running max grows. Twin: src/reference/sinkhornBarycenter.ts.

struct BarycenterParams {
  n: u32,
  m: u32,
  _pad0: u32,
  _pad1: u32,
  alpha: f32,
  beta: f32,
  gamma: f32,
  _pad2: f32,
}

// Schedule and scheduleIndex(): shaders/common/schedule.wgsl (prepended).
@group(0) @binding(0) var<uniform> params: BarycenterParams;
@group(0) @binding(1) var<storage, read> sched: Schedule;
@group(0) @binding(2) var<storage, read> x: array<vec2f>;
@group(0) @binding(3) var<storage, read> y: array<vec2f>;
@group(0) @binding(4) var<storage, read> logw: array<f32>;
@group(0) @binding(5) var<storage, read> pot: array<f32>;
@group(0) @binding(6) var<storage, read> addend: array<vec2f>;
@group(0) @binding(7) var<storage, read_write> out: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec4f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let m = params.m;
  let i = gid.x;
  let inRange = i < n;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = x[i];
  }
  let invEps = sched.steps[scheduleIndex()].z;
  let halfInvEps = 0.5 * invEps;
  var mx = -3.0e38;
  var s = 0.0;
  // sum_j exp(v_j - mx) (y_j - x_i): offsets keep the f32 sum small when the plan is local
  var acc = vec2f(0.0);
  for (var base = 0u; base < m; base = base + WG) {
    let j = base + lid;
    if (j < m) {
      tile[lid] = vec4f(y[j], logw[j] + pot[j] * invEps, 0.0);
    }
    workgroupBarrier();
    let count = min(WG, m - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let d = e.xy - xi;
      let v = e.z - halfInvEps * dot(d, d);
      if (v > mx) {
        let r = exp(mx - v);
        s = s * r + 1.0;
        acc = acc * r + d;
        mx = v;
      } else {
        let w = exp(v - mx);
        s = s + w;
        acc = acc + w * d;
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    let t = xi + acc / s;
    out[i] = params.alpha * xi + params.beta * t + params.gamma * addend[i];
  }
}

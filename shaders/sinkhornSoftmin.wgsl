// sinkhornSoftmin: one log-domain Sinkhorn half-update (Feydy et al. 2019, "Interpolating between
// Optimal Transport and MMD using Sinkhorn Divergences"; GeomLoss softmin_tensorized), cost
// C(x, y) = |x - y|^2 / 2:
//   s_i   = softmin_eps(C(x_i, .), h) = -eps * log sum_j exp( log w_j + (p_j - C(x_i, y_j)) / eps )
//   out_i = blend * old_i + (1 - blend) * lambda * s_i          (raw = 0)
//   out_i = s_i                                                 (raw = 1: marginal-error checks)
// lambda = 1 / (1 + eps / rho) damps the update for KL-relaxed marginals (Sejourne et al. 2019;
// lambda = 1 when balanced); blend = 1/2 is GeomLoss's symmetric (averaged) update.
// eps and lambda come from the annealing schedule on the GPU: steps[scheduleIndex()] (common/schedule.wgsl), where iter is
// advanced by clockTick between iterations, so many iterations fit in one submission.
// The sum over j is tiled through workgroup memory (WG (y_j, log w_j + p_j / eps) per tile) and each
// thread keeps an online log-sum-exp (running max mx, running sum s of exp(v - mx)): exp is only
// ever taken of non-positive numbers, never of -C/eps alone. Twin: src/reference/sinkhornSoftmin.ts.

struct SoftminParams {
  // outputs x_i
  n: u32,
  // inputs y_j
  m: u32,
  raw: u32,
  _pad0: u32,
  blend: f32,
  _pad1: f32,
  _pad2: f32,
  _pad3: f32,
}

// Schedule and scheduleIndex(): shaders/common/schedule.wgsl (prepended).
@group(0) @binding(0) var<uniform> params: SoftminParams;
@group(0) @binding(1) var<storage, read> sched: Schedule;
@group(0) @binding(2) var<storage, read> x: array<vec2f>;
@group(0) @binding(3) var<storage, read> y: array<vec2f>;
@group(0) @binding(4) var<storage, read> logw: array<f32>;
@group(0) @binding(5) var<storage, read> pot: array<f32>;
@group(0) @binding(6) var<storage, read> old: array<f32>;
@group(0) @binding(7) var<storage, read_write> out: array<f32>;

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
  let step = sched.steps[scheduleIndex()];
  let eps = step.x;
  let invEps = step.z;
  let halfInvEps = 0.5 * invEps;
  var mx = -3.0e38;
  var s = 0.0;
  for (var base = 0u; base < m; base = base + WG) {
    let j = base + lid;
    if (j < m) {
      tile[lid] = vec4f(y[j], logw[j] + pot[j] * invEps, 0.0);
    }
    workgroupBarrier();
    let count = min(WG, m - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let d = xi - e.xy;
      let v = e.z - halfInvEps * dot(d, d);
      if (v > mx) {
        s = s * exp(mx - v) + 1.0;
        mx = v;
      } else {
        s = s + exp(v - mx);
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    let sm = -eps * (mx + log(s));
    if (params.raw == 1u) {
      out[i] = sm;
    } else {
      out[i] = params.blend * old[i] + (1.0 - params.blend) * step.y * sm;
    }
  }
}

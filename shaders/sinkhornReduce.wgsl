// sinkhornReduce: the weighted sums of the Sinkhorn loop, in one workgroup (grid-stride loop, then a
// tree in workgroup memory), written to result[slot]. w_i = exp(log w_i); eps = the schedule's current eps.
//   mode 0 (dual value, Feydy et al. 2019 eq. (3.209) of Feydy's thesis; Sejourne et al. 2019 Prop. 12):
//     balanced (invRho = 0):  sum_i w_i (u_i - v_i)
//     unbalanced:             sum_i w_i (rho + eps/2) (exp(-v_i/rho) - exp(-u_i/rho))
//   (u = f_ab, v = f_aa for S_eps; v = 0 for OT_eps)
//   mode 1 (marginal error of the plan P_ij = a_i b_j exp((f_i + g_j - C_ij)/eps), with v = s the
//   undamped softmin of the other potential, so that sum_j P_ij = a_i exp((u_i - s_i)/eps)):
//     sum_i w_i | exp((u_i - v_i)/eps) - exp(-u_i/rho) |
//   i.e. the L1 distance of the plan's marginal to its optimum (a itself when balanced).
// Twin: src/reference/sinkhornReduce.ts.

struct ReduceParams {
  n: u32,
  mode: u32,
  slot: u32,
  _pad0: u32,
  // 1 / rho, or 0 when balanced
  invRho: f32,
  rho: f32,
  _pad1: f32,
  _pad2: f32,
}

// Schedule and scheduleIndex(): shaders/common/schedule.wgsl (prepended).
@group(0) @binding(0) var<uniform> params: ReduceParams;
@group(0) @binding(1) var<storage, read> sched: Schedule;
@group(0) @binding(2) var<storage, read> logw: array<f32>;
@group(0) @binding(3) var<storage, read> u: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<storage, read_write> result: array<f32>;

override WG: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

// exp(z) - 1 without cancellation for small |z|
fn expm1(z: f32) -> f32 {
  if (abs(z) < 1e-3) {
    return z * (1.0 + z * (0.5 + z / 6.0));
  }
  return exp(z) - 1.0;
}

fn term(i: u32, eps: f32) -> f32 {
  let w = exp(logw[i]);
  let ui = u[i];
  let vi = v[i];
  if (params.mode == 0u) {
    if (params.invRho == 0.0) {
      return w * (ui - vi);
    }
    // exp(-v/rho) - exp(-u/rho) = -exp(-v/rho) expm1((v - u)/rho)
    return -w * (params.rho + 0.5 * eps) * exp(-vi * params.invRho) * expm1((vi - ui) * params.invRho);
  }
  return w * abs(exp((ui - vi) / eps) - exp(-ui * params.invRho));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let eps = sched.steps[scheduleIndex()].x;
  var acc = 0.0;
  for (var i = lid; i < params.n; i = i + WG) {
    acc = acc + term(i, eps);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      partial[lid] = partial[lid] + partial[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    result[params.slot] = partial[0];
  }
}

// langevinStep: one unadjusted Langevin (ULA) step, or MALA with a Metropolis-Hastings test.
//   y_i = x_i + h s(x_i) + sqrt(2h) xi_i,   xi_i ~ N(0, I)          (Euler-Maruyama of the
//   Fokker-Planck / W2 gradient flow of KL, Jordan-Kinderlehrer-Otto 1998; Roberts & Tweedie 1996)
//   MALA: accept y_i with prob min(1, pi(y) q(x|y) / (pi(x) q(y|x))),
//         log q(b|a) = -|b - a - h s(a)|^2 / (4h).
// Random numbers: Philox4x32 counter (i, step, 2, 0): words 0,1 -> the normal pair, word 2 -> the
// acceptance uniform. Twin: src/reference/langevinStep.ts.
// Needs shaders/common/philox.wgsl and shaders/common/targets.wgsl (group 1).

struct LangevinParams {
  n: u32,
  mala: u32,
  seed: u32,
  _pad0: u32,
  h: f32,
  _pad1: f32,
  _pad2: f32,
  _pad3: f32,
}

@group(0) @binding(0) var<uniform> params: LangevinParams;
@group(0) @binding(1) var<storage, read_write> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read> clock: array<u32>;
// counters[0] += accepted proposals, counters[1] += proposals (MALA only).
@group(0) @binding(3) var<storage, read_write> counters: array<atomic<u32>, 2>;

override WG: u32 = 256u;
var<workgroup> accepted: atomic<u32>;
var<workgroup> proposed: atomic<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  let inRange = i < params.n;
  let h = params.h;
  var x = vec2f(0.0);
  if (inRange) {
    x = pos[i];
  }
  let r = philox4x32(vec4u(i, clock[0], 2u, 0u), philox_key(params.seed));
  let xi = philox_normal2(r);
  let sx = target_score(x);
  let y = x + h * sx + sqrt(2.0 * h) * xi;
  if (params.mala == 0u) {
    if (inRange) {
      pos[i] = y;
    }
    return;
  }
  // MALA (uniform branch: params.mala is a uniform value).
  let sy = target_score(y);
  let fwd = y - x - h * sx;
  let bwd = x - y - h * sy;
  let logA = target_logp(y) - target_logp(x) - (dot(bwd, bwd) - dot(fwd, fwd)) / (4.0 * h);
  let u = philox_uniform(r.z);
  if (lid == 0u) {
    atomicStore(&accepted, 0u);
    atomicStore(&proposed, 0u);
  }
  workgroupBarrier();
  if (inRange) {
    atomicAdd(&proposed, 1u);
    if (log(u) < logA) {
      pos[i] = y;
      atomicAdd(&accepted, 1u);
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    atomicAdd(&counters[0], atomicLoad(&accepted));
    atomicAdd(&counters[1], atomicLoad(&proposed));
  }
}

// langevinNd: ULA and MALA in d dimensions (METHODS.md section 1; Roberts & Tweedie 1996), with
// particles, proposals and scores N x d row-major (scores from ndScore.wgsl):
//   ula (in place) / propose:  y_i = x_i + h s(x_i) + sqrt(2h) xi_i,  xi_i ~ N(0, I_d)
//   accept (MALA): log A_i = lp(y_i) - lp(x_i) - (|x_i - y_i - h s(y_i)|^2 - |y_i - x_i - h s(x_i)|^2) / (4h)
//                  x_i <- y_i when log u_i < log A_i; counters[0] += accepted, counters[1] += proposed.
// Random numbers: coordinate k of particle i at step t is member k mod 2 of the Box-Muller pair of
// Philox counter (i, t, 2, k / 2); u_i is word 0 of counter (i, t, 3, 0) (src/reference/philox.ts
// Stream.langevinNoise = 2, Stream.malaAccept = 3). ula / propose: one invocation per coordinate;
// accept: one per particle. Twin: src/nd/reference/langevinNd.ts. Needs shaders/common/philox.wgsl.

struct LangevinNdParams {
  n: u32,
  d: u32,
  step: u32,
  seed: u32,
  h: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: LangevinNdParams;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> sx: array<f32>;
@group(0) @binding(4) var<storage, read> sy: array<f32>;
// lp[0..n) = log pi(x), lp[n..2n) = log pi(y)
@group(0) @binding(5) var<storage, read> lp: array<f32>;
@group(0) @binding(6) var<storage, read_write> counters: array<atomic<u32>, 2>;

override WG: u32 = 256u;

fn noise(e: u32) -> f32 {
  let i = e / params.d;
  let k = e % params.d;
  let r = philox4x32(vec4u(i, params.step, 2u, k / 2u), philox_key(params.seed));
  let z = philox_normal2(r);
  return select(z.x, z.y, (k & 1u) == 1u);
}

fn moved(e: u32) -> f32 {
  return x[e] + params.h * sx[e] + sqrt(2.0 * params.h) * noise(e);
}

@compute @workgroup_size(WG)
fn ula(@builtin(global_invocation_id) gid: vec3u) {
  let e = gid.x;
  if (e < params.n * params.d) {
    x[e] = moved(e);
  }
}

@compute @workgroup_size(WG)
fn propose(@builtin(global_invocation_id) gid: vec3u) {
  let e = gid.x;
  if (e < params.n * params.d) {
    y[e] = moved(e);
  }
}

@compute @workgroup_size(WG)
fn accept(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let d = params.d;
  let h = params.h;
  var fwd = 0.0;
  var bwd = 0.0;
  for (var k = 0u; k < d; k++) {
    let e = i * d + k;
    let f = y[e] - x[e] - h * sx[e];
    let b = x[e] - y[e] - h * sy[e];
    fwd += f * f;
    bwd += b * b;
  }
  let logA = lp[params.n + i] - lp[i] - (bwd - fwd) / (4.0 * h);
  let r = philox4x32(vec4u(i, params.step, 3u, 0u), philox_key(params.seed));
  atomicAdd(&counters[1], 1u);
  if (log(philox_uniform(r.x)) < logA) {
    for (var k = 0u; k < d; k++) {
      x[i * d + k] = y[i * d + k];
    }
    atomicAdd(&counters[0], 1u);
  }
}

// (cos, sin) of t quarter turns, i.e. of t pi / 2, for any f32 t, to ~1e-7 absolute: reduction to
// the nearest quarter turn (exact in f32) and Taylor polynomials on [-pi/4, pi/4] (error < 2e-9).
// WGSL promises cos/sin only to an absolute 2^-11 (SwiftShader is that coarse), too coarse for
// Box-Muller, the u-targets' log-densities and the torus Fourier sums; philox.wgsl, targets.wgsl and
// fourier.wgsl call this one function (shaders.ts prepends it once). Twins use Math.cos/Math.sin.
fn cossin_quarter(t: f32) -> vec2f {
  let q = round(t);
  let a = (t - q) * 1.5707963267948966;
  let a2 = a * a;
  let s = a * (1.0 - a2 / 6.0 * (1.0 - a2 / 20.0 * (1.0 - a2 / 42.0 * (1.0 - a2 / 72.0 * (1.0 - a2 / 110.0)))));
  let c = 1.0 - a2 / 2.0 * (1.0 - a2 / 12.0 * (1.0 - a2 / 30.0 * (1.0 - a2 / 56.0 * (1.0 - a2 / 90.0))));
  let k = i32(q) & 3;
  if (k == 0) {
    return vec2f(c, s);
  } else if (k == 1) {
    return vec2f(-s, c);
  } else if (k == 2) {
    return vec2f(-c, -s);
  }
  return vec2f(s, -c);
}

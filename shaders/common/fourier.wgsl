// Fourier helpers on the torus T^2 = [0,1)^2 (twin: src/reference/fourier.ts).
// Phases are kept in turns (1 turn = 2 pi). WGSL promises cos/sin only to an absolute 2^-11
// (SwiftShader is that coarse), so e^{2 pi i t} comes from cossin_quarter (common/trig.wgsl, ~1e-7),
// and xi.x is formed without rounding error.

// (cos 2 pi t, sin 2 pi t) for any f32 t; the reduction t - round(t) is exact in f32.
fn cossin_turns(t: f32) -> vec2f {
  return cossin_quarter(4.0 * (t - round(t)));
}

// k x mod 1 for an integer k (|k| <= 2^11) and x in [0, 1): x = hi + lo with hi on a 2^-12 grid,
// so k hi and k lo are exact in f32 and only the final sum rounds.
fn turns_mod1(k: f32, x: f32) -> f32 {
  let hi = floor(x * 4096.0) / 4096.0;
  let lo = x - hi;
  let a = k * hi;
  return (a - round(a)) + k * lo;
}

// xi.x mod 1 (turns) for an integer mode xi.
fn phase_turns(xi: vec2f, x: vec2f) -> f32 {
  return turns_mod1(xi.x, x.x) + turns_mod1(xi.y, x.y);
}

// p mod 1 in [0, 1) (f32: p - floor(p) may round up to 1 for p = -tiny).
fn wrap_unit(p: vec2f) -> vec2f {
  let w = p - floor(p);
  return select(w, vec2f(0.0), w >= vec2f(1.0));
}

// Riesz kernel of order s on T^2: khat(xi) = |xi|^(-2 s), khat(0) = k0.
fn riesz_khat(xi: vec2f, s: f32, k0: f32) -> f32 {
  let r2 = dot(xi, xi);
  if (r2 == 0.0) {
    return k0;
  }
  return exp2(-s * log2(r2));
}

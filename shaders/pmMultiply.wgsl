// pmMultiply: the Fourier-space step of particle-mesh Riesz SVGD on T^2 (METHODS.md section 2).
// Input: the forward FFTs of the deposit, field 0 F0 = FFT(rho_g), field 1 F1 = FFT(Sx_g + i Sy_g).
// At grid mode xi (index a <-> xi = a for a < G/2, a - G otherwise), |xi|_inf <= K (else 0):
//   Sx = (F1(xi) + conj F1(-xi)) / 2,  Sy = (F1(xi) - conj F1(-xi)) / (2i)     (real fields packed)
//   C(xi) = [sinc(pi xi_x / G) sinc(pi xi_y / G)]^4   (cloud-in-cell deposit and interpolation)
//   Phi_x = khat(xi) [Sx - 2 pi i xi_x F0] / C,   Phi_y = khat(xi) [Sy - 2 pi i xi_y F0] / C
//   out(xi) = Phi_x + i Phi_y
// so the unnormalised inverse FFT of `out` holds phi_x + i phi_y at the nodes (both real).
// khat: Riesz kernel |xi|^(-2s), khat(0) = k0. Needs K <= G/2 - 1 (no Nyquist mode).
// Twin: src/reference/pmMultiply.ts.

struct PmMultiplyParams {
  g: u32,
  modes: u32,
  _pad0: u32,
  _pad1: u32,
  s: f32,
  k0: f32,
  _pad2: f32,
  _pad3: f32,
}

@group(0) @binding(0) var<uniform> params: PmMultiplyParams;
@group(0) @binding(1) var<storage, read> spec: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> out: array<vec2f>;

const PI: f32 = 3.14159265358979;
const TWO_PI: f32 = 6.28318530717959;
override WG: u32 = 256u;

// sin(pi t) / (pi t) for |t| <= 1/2, via cossin_turns (t / 2 turns = pi t radians)
fn sinc_pi(t: f32) -> f32 {
  if (t == 0.0) {
    return 1.0;
  }
  return cossin_turns(0.5 * t).y / (PI * t);
}

fn signed_mode(a: u32, g: u32) -> i32 {
  return select(i32(a) - i32(g), i32(a), a < g / 2u);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let g = params.g;
  let g2 = g * g;
  let c = gid.x;
  if (c >= g2) {
    return;
  }
  let ax = c % g;
  let ay = c / g;
  let xx = signed_mode(ax, g);
  let xy = signed_mode(ay, g);
  let kk = i32(params.modes);
  if (abs(xx) > kk || abs(xy) > kk) {
    out[c] = vec2f(0.0);
    return;
  }
  let neg = ((g - ay) % g) * g + (g - ax) % g;
  let f1 = spec[g2 + c];
  let f1n = spec[g2 + neg];
  let cj = vec2f(f1n.x, -f1n.y);
  let sx = 0.5 * (f1 + cj);
  let dz = 0.5 * (f1 - cj);
  // dz / i = -i dz
  let sy = vec2f(dz.y, -dz.x);
  let r = spec[c];
  let xi = vec2f(f32(xx), f32(xy));
  let gf = f32(g);
  let w = sinc_pi(xi.x / gf) * sinc_pi(xi.y / gf);
  let w2 = w * w;
  let scale = riesz_khat(xi, params.s, params.k0) / (w2 * w2);
  // S - 2 pi i xi R:  -2 pi i xi (a + i b) = 2 pi xi b - i 2 pi xi a
  let px = scale * vec2f(sx.x + TWO_PI * xi.x * r.y, sx.y - TWO_PI * xi.x * r.x);
  let py = scale * vec2f(sy.x + TWO_PI * xi.y * r.y, sy.y - TWO_PI * xi.y * r.x);
  out[c] = vec2f(px.x - py.y, px.y + py.x);
}

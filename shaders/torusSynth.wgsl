// torusSynth: the mode half of Riesz-kernel SVGD on the torus T^2 = [0,1)^2 (METHODS.md section 2;
// the mean-field SVGD convergence paper). With k(x - y) = sum_xi khat(xi) e^{2 pi i xi.(x - y)},
// khat(xi) = |xi|^(-2 s) (xi != 0), khat(0) = k0, truncated at |xi|_inf <= K, the SVGD velocity
//   phi(x) = (1/N) sum_j [ k(x - x_j) s(x_j) - (grad k)(x - x_j) ]
//          = sum_xi khat(xi) [ S(xi) - 2 pi i xi R(xi) ] e^{2 pi i xi.x}        (S, R from torusDft)
// is synthesised at every particle, then x_i <- (x_i + h phi(x_i)) mod 1.
// One thread per particle, modes tiled through workgroup memory (each thread of the tile forms one
// A(xi) = khat(xi) [S(xi) - 2 pi i xi R(xi)]): O(N K^2). Twin: src/reference/torusSynth.ts.

struct TorusSynthParams {
  n: u32,
  modes: u32,
  _pad0: u32,
  _pad1: u32,
  h: f32,
  // Riesz order s and khat(0)
  s: f32,
  k0: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: TorusSynthParams;
@group(0) @binding(1) var<storage, read> posIn: array<vec2f>;
@group(0) @binding(2) var<storage, read> coef: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> posOut: array<vec2f>;

const TWO_PI: f32 = 6.28318530717959;
override WG: u32 = 256u;
// [Re Ax, Im Ax, Re Ay, Im Ay] and xi of the tile's modes
var<workgroup> tileA: array<vec4f, WG>;
var<workgroup> tileXi: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let kk = params.modes;
  let w = 2u * kk + 1u;
  let total = w * w;
  let i = gid.x;
  let inRange = i < n;
  var x = vec2f(0.0);
  if (inRange) {
    x = posIn[i];
  }
  var phi = vec2f(0.0);
  for (var base = 0u; base < total; base = base + WG) {
    let m = base + lid;
    if (m < total) {
      let xi = vec2f(f32(m % w) - f32(kk), f32(m / w) - f32(kk));
      let kh = riesz_khat(xi, params.s, params.k0);
      let sc = coef[2u * m];
      let r = coef[2u * m + 1u].xy;
      // S - 2 pi i xi R:  -2 pi i xi (a + i b) = 2 pi xi b - i 2 pi xi a
      let ax = vec2f(sc.x + TWO_PI * xi.x * r.y, sc.y - TWO_PI * xi.x * r.x);
      let ay = vec2f(sc.z + TWO_PI * xi.y * r.y, sc.w - TWO_PI * xi.y * r.x);
      tileA[lid] = kh * vec4f(ax, ay);
      tileXi[lid] = xi;
    }
    workgroupBarrier();
    let count = min(WG, total - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let a = tileA[t];
      let cs = cossin_turns(phase_turns(tileXi[t], x));
      // Re(A e^{2 pi i t}) = Re A cos - Im A sin
      phi = phi + vec2f(a.x * cs.x - a.y * cs.y, a.z * cs.x - a.w * cs.y);
    }
    workgroupBarrier();
  }
  if (inRange) {
    posOut[i] = wrap_unit(x + params.h * phi);
  }
}

// fft: one radix-2 Stockham (autosort) stage of a 2D complex FFT on G x G grids, G a power of two
// (Stockham 1966; the GPU formulation of E. Bainville, "OpenCL Fast Fourier Transform", 2010).
// `batch` fields of G^2 complex values, row-major (index f G^2 + y G + x); `axis` 0 transforms along
// x, 1 along y. Stage p (p = 1, 2, ..., G/2): thread j in [0, G/2) of each line computes
//   k = j mod p,  w = e^{dir 2 pi i k / (2p)},  a = src[j], b = w src[j + G/2]
//   dst[2j - k] = a + b,   dst[2j - k + p] = a - b
// After log2 G stages along an axis the line holds its DFT in natural order:
//   dir = -1: F(k) = sum_n f(n) e^{-2 pi i k n / G};   dir = +1: unnormalised inverse.
// Twiddles k / (2p) are exact in f32 and go through cossin_turns (~1e-7).
// Twin: src/reference/fft.ts (fftStage, fft2d).

struct FftParams {
  g: u32,
  batch: u32,
  // half-span p of this stage
  p: u32,
  // 0: along x (contiguous), 1: along y
  axis: u32,
  // -1 forward, +1 inverse
  dir: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: FftParams;
@group(0) @binding(1) var<storage, read> src: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec2f>;

override WG: u32 = 256u;

fn cmul(a: vec2f, b: vec2f) -> vec2f {
  return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let g = params.g;
  let half = g / 2u;
  // 2D dispatch: up to 65535 workgroups per dimension
  let tid = gid.x + gid.y * nwg.x * WG;
  if (tid >= params.batch * g * half) {
    return;
  }
  let j = tid % half;
  let line = tid / half;
  let f = line / g;
  let l = line % g;
  var base = f * g * g + l * g;
  var stride = 1u;
  if (params.axis == 1u) {
    base = f * g * g + l;
    stride = g;
  }
  let p = params.p;
  let k = j & (p - 1u);
  let w = cossin_turns(params.dir * f32(k) / f32(2u * p));
  let a = src[base + j * stride];
  let b = cmul(w, src[base + (j + half) * stride]);
  let o = 2u * j - k;
  dst[base + o * stride] = a + b;
  dst[base + (o + p) * stride] = a - b;
}

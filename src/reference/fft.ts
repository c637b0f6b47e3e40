/**
 * Float64 twin of shaders/fft.wgsl: radix-2 Stockham (autosort) FFT on `batch` complex G x G
 * fields (interleaved re/im, row-major f G^2 + y G + x). `fftStage` is one dispatch; `fft2d`
 * runs all 2 log2 G stages (x then y), dir = -1 forward F(k) = sum_n f(n) e^{-2 pi i k.n / G},
 * +1 the unnormalised inverse. `naiveDft2d` is the O(G^4) definition the tests compare against.
 */

export function isPowerOfTwo(g: number): boolean {
  return Number.isInteger(g) && g >= 2 && (g & (g - 1)) === 0;
}

export function fftStage(src: Float64Array, g: number, batch: number, p: number, axis: 0 | 1, dir: -1 | 1): Float64Array {
  const dst = new Float64Array(src.length);
  const half = g / 2;
  for (let line = 0; line < batch * g; line++) {
    const f = Math.floor(line / g);
    const l = line % g;
    const base = axis === 0 ? f * g * g + l * g : f * g * g + l;
    const stride = axis === 0 ? 1 : g;
    for (let j = 0; j < half; j++) {
      const k = j & (p - 1);
      const t = (dir * 2 * Math.PI * k) / (2 * p);
      const wr = Math.cos(t), wi = Math.sin(t);
      const ia = base + j * stride, ib = base + (j + half) * stride;
      const ar = src[2 * ia] ?? 0, ai = src[2 * ia + 1] ?? 0;
      const br0 = src[2 * ib] ?? 0, bi0 = src[2 * ib + 1] ?? 0;
      const br = wr * br0 - wi * bi0, bi = wr * bi0 + wi * br0;
      const o = 2 * j - k;
      const i0 = base + o * stride, i1 = base + (o + p) * stride;
      dst[2 * i0] = ar + br;
      dst[2 * i0 + 1] = ai + bi;
      dst[2 * i1] = ar - br;
      dst[2 * i1 + 1] = ai - bi;
    }
  }
  return dst;
}

/** The stages in dispatch order: along x with p = 1..G/2, then along y. */
export function fftStages(g: number): { p: number; axis: 0 | 1 }[] {
  if (!isPowerOfTwo(g)) throw new Error(`FFT size must be a power of two >= 2, got ${g}`);
  const out: { p: number; axis: 0 | 1 }[] = [];
  for (const axis of [0, 1] as const) for (let p = 1; p < g; p *= 2) out.push({ p, axis });
  return out;
}

export function fft2d(data: Float64Array, g: number, batch: number, dir: -1 | 1): Float64Array {
  let cur = data;
  for (const { p, axis } of fftStages(g)) cur = fftStage(cur, g, batch, p, axis, dir);
  return cur;
}

/** Definition: F(kx, ky) = sum_{x,y} f(x, y) e^{dir 2 pi i (kx x + ky y) / G}, one field. */
export function naiveDft2d(data: Float64Array, g: number, dir: -1 | 1): Float64Array {
  const out = new Float64Array(2 * g * g);
  for (let ky = 0; ky < g; ky++) {
    for (let kx = 0; kx < g; kx++) {
      let re = 0, im = 0;
      for (let y = 0; y < g; y++) {
        for (let x = 0; x < g; x++) {
          const t = (dir * 2 * Math.PI * (((kx * x + ky * y) % g))) / g;
          const c = Math.cos(t), s = Math.sin(t);
          const fr = data[2 * (y * g + x)] ?? 0, fi = data[2 * (y * g + x) + 1] ?? 0;
          re += fr * c - fi * s;
          im += fr * s + fi * c;
        }
      }
      out[2 * (ky * g + kx)] = re;
      out[2 * (ky * g + kx) + 1] = im;
    }
  }
  return out;
}

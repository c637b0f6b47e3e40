/**
 * Float64 twin of shaders/torusDft.wgsl: forward non-uniform DFT of the particle measure on T^2,
 *   S(xi) = (1/N) sum_j s(x_j) e^{-2 pi i xi.x_j},   R(xi) = (1/N) sum_j e^{-2 pi i xi.x_j},
 * for xi in [-K, K]^2 (mode order of src/reference/fourier.ts). Output: 8 numbers per mode,
 * [Re Sx, Im Sx, Re Sy, Im Sy, Re R, Im R, 0, 0] (the WGSL's two vec4f). `scores` = null: S = 0.
 */
import { modeCount, modeXi, TWO_PI } from './fourier';

export function torusDft(x: Float64Array, scores: Float64Array | null, n: number, k: number, scoreStride = 2): Float64Array {
  const mc = modeCount(k);
  const out = new Float64Array(8 * mc);
  for (let m = 0; m < mc; m++) {
    const [ax, ay] = modeXi(m, k);
    let sxr = 0, sxi = 0, syr = 0, syi = 0, rr = 0, ri = 0;
    for (let j = 0; j < n; j++) {
      const t = TWO_PI * (ax * (x[2 * j] ?? 0) + ay * (x[2 * j + 1] ?? 0));
      const c = Math.cos(t);
      const s = -Math.sin(t);
      rr += c;
      ri += s;
      if (scores) {
        const s0 = scores[scoreStride * j] ?? 0;
        const s1 = scores[scoreStride * j + 1] ?? 0;
        sxr += s0 * c;
        sxi += s0 * s;
        syr += s1 * c;
        syi += s1 * s;
      }
    }
    out.set([sxr / n, sxi / n, syr / n, syi / n, rr / n, ri / n, 0, 0], 8 * m);
  }
  return out;
}

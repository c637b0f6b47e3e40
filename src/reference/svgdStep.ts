/**
 * Float64 twin of shaders/svgdStep.wgsl (Liu & Wang 2016), with d = x_i - x_j, r^2 = |d|^2:
 *   x_i <- x_i + (h/N) sum_j [ k(x_j, x_i) s(x_j) + grad_{x_j} k(x_j, x_i) ]
 *   RBF k = exp(-r^2 / (2 sigma^2)):          grad_{x_j} k = k d / sigma^2
 *   IMQ k = (c^2 + r^2)^beta, beta in (-1,0):  grad_{x_j} k = -2 beta k d / (c^2 + r^2)   (sigma2 = c^2)
 * `periodic` (torus): d is the minimum image and the new x_i is wrapped into [0,1)^2.
 * `scores` is interleaved (sx, sy) per particle (or vec4 rows with `scoreStride` 4).
 */
import { minImage, wrapUnit } from './fourier';

export type SvgdPlaneKernel = 'rbf' | 'imq';

export interface SvgdStepOptions {
  kernel?: SvgdPlaneKernel;
  /** IMQ exponent, default -1/2. */
  beta?: number;
  periodic?: boolean;
}

export function svgdStep(
  x: Float64Array,
  scores: Float64Array,
  n: number,
  h: number,
  sigma2: number,
  scoreStride = 2,
  opts: SvgdStepOptions = {},
): Float64Array {
  const out = new Float64Array(2 * n);
  const inv = 1 / sigma2;
  const c = -0.5 * inv;
  const imq = opts.kernel === 'imq';
  const beta = opts.beta ?? -0.5;
  const periodic = opts.periodic ?? false;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0;
    const xi1 = x[2 * i + 1] ?? 0;
    let a0 = 0, a1 = 0;
    for (let j = 0; j < n; j++) {
      let d0 = xi0 - (x[2 * j] ?? 0);
      let d1 = xi1 - (x[2 * j + 1] ?? 0);
      if (periodic) {
        d0 = minImage(d0);
        d1 = minImage(d1);
      }
      const r2 = d0 * d0 + d1 * d1;
      const s0 = scores[scoreStride * j] ?? 0;
      const s1 = scores[scoreStride * j + 1] ?? 0;
      if (imq) {
        const q = sigma2 + r2;
        const k = Math.pow(q, beta);
        const g = (-2 * beta * k) / q;
        a0 += k * s0 + g * d0;
        a1 += k * s1 + g * d1;
      } else {
        const k = Math.exp(c * r2);
        a0 += k * (s0 + d0 * inv);
        a1 += k * (s1 + d1 * inv);
      }
    }
    const p0 = xi0 + (h * a0) / n;
    const p1 = xi1 + (h * a1) / n;
    out[2 * i] = periodic ? wrapUnit(p0) : p0;
    out[2 * i + 1] = periodic ? wrapUnit(p1) : p1;
  }
  return out;
}

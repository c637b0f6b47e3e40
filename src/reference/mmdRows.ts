/**
 * Float64 twin of shaders/mmdRows.wgsl: kernel row sums for the squared MMD (Gretton et al. 2012),
 *   rows[i] = sum_{j < nb} k(a_i, b_j),
 *   MMD^2(mu, nu) = (1/N^2) sum k(x, x') + (1/M^2) sum k(y, y') - (2/(N M)) sum k(x, y)   (V-statistic)
 * with the kernels of src/reference/mmdFlowStep.ts. For the energy kernel k = -|x - y| this is
 * exactly the energy distance ED = 2 E|X-Y| - E|X-X'| - E|Y-Y'| (Szekely & Rizzo 2013; the live
 * energy metric is computed this way, src/metrics/), and the MMD flow's energy is F = MMD^2 / 2 = ED / 2.
 */
import { mmdKernelValue, type MmdKernel } from './mmdFlowStep';

export function mmdRows(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, kernel: MmdKernel, bw2: number): Float64Array {
  const rows = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    const a0 = a[2 * i] ?? 0, a1 = a[2 * i + 1] ?? 0;
    let acc = 0;
    for (let j = 0; j < nb; j++) {
      const d0 = a0 - (b[2 * j] ?? 0), d1 = a1 - (b[2 * j + 1] ?? 0);
      acc += mmdKernelValue(kernel, d0 * d0 + d1 * d1, bw2);
    }
    rows[i] = acc;
  }
  return rows;
}

function sum(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] ?? 0;
  return s;
}

/** MMD^2 (V-statistic) from the three row-sum arrays: xx (n rows over x), yy (m rows over y), xy (n rows over y). */
export function mmdFromRows(xx: ArrayLike<number>, yy: ArrayLike<number>, xy: ArrayLike<number>, n: number, m: number): number {
  return sum(xx) / (n * n) + sum(yy) / (m * m) - (2 * sum(xy)) / (n * m);
}

/** MMD^2 between the clouds x (n points) and y (m points); Gaussian kernel of bandwidth sigma by default. */
export function mmd2(x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number, kernel: MmdKernel = 'gaussian', bw2 = 1): number {
  return mmdFromRows(mmdRows(x, n, x, n, kernel, bw2), mmdRows(y, m, y, m, kernel, bw2), mmdRows(x, n, y, m, kernel, bw2), n, m);
}

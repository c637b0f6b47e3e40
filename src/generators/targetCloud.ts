/**
 * Target samples for training a generator in the browser ("Distill now") from ANY current target:
 *
 *   1. a cloud target (a file, an uploaded image, a painting, a dragged cloud): its points as they are;
 *   2. a target with an exact sampler (the sample targets, Gaussians, mixtures): n seeded exact draws;
 *   3. else (analytic densities: banana, donut, funnel, u1..u4, a torus mixture): n draws from the
 *      density restricted to the target's view box, by a G x G grid of cells:
 *        P(cell c) = pi(x_c) |c| / sum_d pi(x_d) |d|   (x_c the cell's centre, pi = exp(log p - max))
 *        x = lower corner of the chosen cell + (u, v) h,  u, v ~ U[0, 1)
 *      i.e. an exact sample of the piecewise-constant density that equals pi at the cell centres
 *      (inverse CDF by binary search over the cumulative cell weights, as src/targets/image.ts does
 *      for pixels). Its error against pi is the midpoint rule's: O(h^2) in the moments, plus the
 *      uniform jitter's h^2 / 12 in each variance, plus the mass outside the view (not sampled).
 *
 * Energy landscapes (a potential V, not a distribution) and targets with neither samples nor a
 * density are refused with a TargetCloudError saying why. Seeded Philox, no Math.random; pure (no
 * DOM), so the worker and the tests run it as is.
 */
import { Rng, Stream } from '../reference/philox';
import { firstAbove } from '../targets/image';
import type { TargetInstance } from '../targets/types';

export class TargetCloudError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetCloudError';
  }
}

/** Default grid side of the density sampler (256^2 cells: ~65k log-density evaluations). */
export const DENSITY_GRID = 256;
/** Philox hi word of the target-cloud stream (apart from the generators' TRAIN_HI / NOISE_HI words). */
export const TARGET_CLOUD_HI = 0x9e6;

export type CloudSource = 'cloud' | 'sampler' | 'density';

export interface TargetCloud {
  points: Float64Array;
  source: CloudSource;
}

export interface TargetCloudOptions {
  /** Grid side G for the density sampler. */
  grid?: number;
}

/** n points of `target` (cloud targets: all their points), seeded; see the header for which way. */
export function targetCloud(target: TargetInstance, n: number, seed: number, options: TargetCloudOptions = {}): TargetCloud {
  if (!(Number.isInteger(n) && n >= 1)) throw new TargetCloudError(`the number of target samples must be a positive integer, got ${n}`);
  if (target.landscape) throw new TargetCloudError(`'${target.id}' is an energy landscape (a potential, not a distribution): it has no samples to distill`);
  if (target.cloud) {
    if (target.cloud.length < 4) throw new TargetCloudError(`the target cloud '${target.id}' has fewer than 2 points`);
    return { points: target.cloud, source: 'cloud' };
  }
  const rng = new Rng(seed >>> 0, Stream.sampler, TARGET_CLOUD_HI);
  if (target.sample) return { points: target.sample(rng, n), source: 'sampler' };
  if (target.sampleOnly) throw new TargetCloudError(`'${target.id}' has neither samples nor a density to draw them from`);
  return { points: sampleDensityGrid(target.logDensity, target.view, n, rng, options.grid ?? DENSITY_GRID), source: 'density' };
}

/** n draws from exp(logp) on a G x G grid over view = [xmin, xmax, ymin, ymax] (header, way 3). */
export function sampleDensityGrid(
  logp: (x: number, y: number) => number,
  view: readonly [number, number, number, number],
  n: number,
  rng: Rng,
  grid = DENSITY_GRID,
): Float64Array {
  const [x0, x1, y0, y1] = view;
  if (!(Number.isInteger(grid) && grid >= 1)) throw new TargetCloudError(`the grid side must be a positive integer, got ${grid}`);
  if (!(view.every(Number.isFinite) && x1 > x0 && y1 > y0)) throw new TargetCloudError('the target has no finite view box to sample its density on');
  const hx = (x1 - x0) / grid, hy = (y1 - y0) / grid;
  const lp = new Float64Array(grid * grid);
  let max = -Infinity;
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      const v = logp(x0 + (c + 0.5) * hx, y0 + (r + 0.5) * hy);
      const w = Number.isNaN(v) ? -Infinity : v;
      lp[r * grid + c] = w;
      if (w > max) max = w;
    }
  }
  if (!(max > -Infinity) || !Number.isFinite(max)) throw new TargetCloudError('the target density is zero (or not finite) everywhere in its view');
  const cum = new Float64Array(lp.length);
  let total = 0;
  for (let i = 0; i < lp.length; i++) {
    total += Math.exp((lp[i] ?? -Infinity) - max);
    cum[i] = total;
  }
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const lo = firstAbove(cum, rng.uniform() * total);
    const c = lo % grid, r = Math.floor(lo / grid);
    out[2 * i] = x0 + (c + rng.uniform()) * hx;
    out[2 * i + 1] = y0 + (r + rng.uniform()) * hy;
  }
  return out;
}

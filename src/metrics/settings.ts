/**
 * What the live metrics measure with (both backends): subsample sizes, the MMD bandwidth, the S_eps
 * solver settings, its annealing start, and the exact target samples they compare against.
 */
import { Rng, Stream } from '../reference/philox';
import type { TargetInstance } from '../targets/types';

/** Number of particles the metrics use (the first ones: i.i.d. at initialisation, so a fair subsample). */
export const METRIC_SUBSAMPLE = 1024;
/** Exact target samples for the energy distance and MMD. */
export const TARGET_SAMPLES = 2048;

/** Gaussian-kernel bandwidth of the MMD metric. */
export const MMD_BANDWIDTH = 1;
/** The Sinkhorn-divergence metric: S_eps with GeomLoss parameters, on up to SINKHORN_SUBSAMPLE points a side. */
export const SINKHORN_METRIC = { blur: 0.1, scaling: 0.7, tol: 1e-3, maxIter: 300 } as const;
export const SINKHORN_SUBSAMPLE = 512;

/** eps-annealing start for the metric: the target view's diagonal, at least that of [-4, 4]^2 (where particles start). */
export function viewDiameter(target: TargetInstance): number {
  const [x0, x1, y0, y1] = target.view;
  return Math.max(Math.hypot(x1 - x0, y1 - y0), 8 * Math.SQRT2);
}

/** The target samples the metrics compare against: the fixed cloud (first TARGET_SAMPLES) or exact samples. */
export function targetSamples(target: TargetInstance, seed: number): Float64Array | undefined {
  if (target.cloud) return target.cloud.length > 2 * TARGET_SAMPLES ? target.cloud.subarray(0, 2 * TARGET_SAMPLES) : target.cloud;
  return target.sample?.(new Rng(seed, Stream.targetSamples), TARGET_SAMPLES);
}

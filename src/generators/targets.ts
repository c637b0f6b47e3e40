/**
 * What a generator trains on: a sampler of target batches, from a built-in target's exact sampler,
 * from a fixed point cloud (a file: batches drawn with replacement), optionally contaminated by
 * outliers (the UOTM paper's robustness demo):
 *   with probability `outliers` a point is replaced by a draw from N(OUTLIER_CENTRE, OUTLIER_STD^2 I),
 *   a far cluster (|centre| = 7.1; the 8 sample targets lie within radius ~4.5 of the origin).
 * Held-out samples for the metrics always come from the CLEAN target.
 */
import { Rng, Stream } from '../reference/philox';
import { createTarget } from '../targets/registry';

export type TargetSampler = (rng: Rng, n: number) => Float64Array;

export const OUTLIER_CENTRE: readonly [number, number] = [5, 5];
export const OUTLIER_STD = 0.25;
/** A generated point is "near the outliers" within this distance of OUTLIER_CENTRE (4 std). */
export const OUTLIER_RADIUS = 4 * OUTLIER_STD;

export function targetSampler(id: string): TargetSampler {
  const t = createTarget(id);
  const sample = t.sample;
  if (!sample) throw new Error(`target '${id}' has no exact sampler; a generator needs target samples (use --target-file)`);
  return (rng, n) => sample(rng, n);
}

export function cloudSampler(cloud: Float64Array): TargetSampler {
  const m = cloud.length / 2;
  if (!Number.isInteger(m) || m < 1) throw new Error('cloudSampler: an empty or odd-length point array');
  return (rng, n) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const j = rng.int(m);
      out[2 * i] = cloud[2 * j] ?? 0;
      out[2 * i + 1] = cloud[2 * j + 1] ?? 0;
    }
    return out;
  };
}

/** The sampler with a fraction `p` of outliers (p = 0: unchanged). */
export function withOutliers(base: TargetSampler, p: number): TargetSampler {
  if (!(p >= 0 && p < 1)) throw new Error(`outliers must lie in [0, 1), got ${p}`);
  if (p === 0) return base;
  return (rng, n) => {
    const out = base(rng, n);
    for (let i = 0; i < n; i++) {
      if (rng.uniform() < p) {
        out[2 * i] = OUTLIER_CENTRE[0] + OUTLIER_STD * rng.normal();
        out[2 * i + 1] = OUTLIER_CENTRE[1] + OUTLIER_STD * rng.normal();
      }
    }
    return out;
  };
}

/** Fraction of the points within OUTLIER_RADIUS of the outlier centre. */
export function outlierFraction(x: ArrayLike<number>): number {
  const n = Math.floor(x.length / 2);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (Math.hypot((x[2 * i] ?? 0) - OUTLIER_CENTRE[0], (x[2 * i + 1] ?? 0) - OUTLIER_CENTRE[1]) <= OUTLIER_RADIUS) c++;
  }
  return n > 0 ? c / n : 0;
}

/** A seeded Rng for a training stream (Stream.sampler, hi = one of TRAIN_HI in model.ts). */
export function trainRng(seed: number, hi: number): Rng {
  return new Rng(seed >>> 0, Stream.sampler, hi);
}

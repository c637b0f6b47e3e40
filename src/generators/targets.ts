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

/** A draw of n points is a random n-subset of a draw of POOL_FACTOR n points (iidSampler). */
export const POOL_FACTOR = 16;

/**
 * A target's exact sampler for a generator: iid draws (training batches, held-out samples, the
 * floor). The toy samplers spread their points evenly, as ffjord and scikit-learn do: rings and
 * moons on evenly spaced angles that start at t = 0, with equal counts per ring / moon, pinwheel
 * with equal counts per arm. Such an n-sample is not n iid draws: every training batch of 256 on rings put its points on
 * the same 64 angles per ring (0.29 apart on the outer ring, against a noise std of 0.08), so a
 * generator learnt clumps there, and two exact 4,096-samples share their angles, so the exact-vs-exact
 * floor was ~9x below what iid draws of the distribution reach (rings 6.5e-5 against 4.8e-4 to 7.7e-4,
 * moons 1.5e-4 against 3.6e-4 to 7.3e-4; three iid draws against the held-out set). A generator
 * samples iid, so its batches and its yardstick must be iid too (iidSampler).
 */
export function targetSampler(id: string): TargetSampler {
  const t = createTarget(id);
  const sample = t.sample;
  if (!sample) throw new Error(`target '${id}' has no exact sampler; a generator needs target samples (use --target-file)`);
  return iidSampler((rng, n) => sample(rng, n));
}

/**
 * n points drawn without replacement from one draw of POOL_FACTOR n points of `base` (a partial
 * Fisher-Yates shuffle of the indices): iid draws of base's distribution up to the pool's own
 * structure, which is 16x finer (the rings' angle grid: 0.018 apart instead of 0.29 at n = 256;
 * per-ring counts: hypergeometric, close to the multinomial of iid draws).
 */
export function iidSampler(base: TargetSampler): TargetSampler {
  return (rng, n) => {
    const m = POOL_FACTOR * n;
    const pool = base(rng, m);
    const idx = new Int32Array(m);
    for (let i = 0; i < m; i++) idx[i] = i;
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(m - i);
      const k = idx[j] ?? 0;
      idx[j] = idx[i] ?? 0;
      idx[i] = k;
      out[2 * i] = pool[2 * k] ?? 0;
      out[2 * i + 1] = pool[2 * k + 1] ?? 0;
    }
    return out;
  };
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

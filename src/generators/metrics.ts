/**
 * The model-card metrics of a generator: its samples (n = 4,096, from seeded noise) against n
 * held-out exact target samples (a Philox stream the training never reads):
 *   energy    energy distance ED = 2 E|X-Y| - E|X-X'| - E|Y-Y'| (V-statistic), the float64 twin
 *             src/reference/mmdRows.ts with the energy kernel (Szekely & Rizzo 2013)
 *   sinkhorn  S_eps at blur 0.05 (eps = 0.0025), the project's debiased log-domain solver on the
 *             CPU (src/ot/sinkhorn.ts), scaling 0.7, tol 1e-3, at most 100 iterations, on the first
 *             SINKHORN_SAMPLES = 512 points a side (on these shared 2-core machines 4,096 a side
 *             takes many minutes; the first two shipped cards used 1,024 and 200, as they say)
 *   modes     (8gaussians, 25gaussians) fraction of the mixture's K modes that RECEIVE samples: a
 *             mode receives samples when at least a quarter of its fair share, 1/(4K) of all
 *             generated samples (25 modes: 1%; 8 modes: 3.125%), lies within 3 std of its centre.
 *             (A flat 1% would be met by N(0, I) itself on 8gaussians: ~1% of it lies within 3 std
 *             of each of those modes.)
 *   highQuality  (mixtures) fraction of generated samples within 3 std of some mode centre (the
 *             exact target puts 98.9% there: P(chi^2_2 <= 9))
 *   tv        total variation between the two samples' histograms on HIST_CELLS x HIST_CELLS cells
 *             of the held-out samples' bounding box (plus one cell for everything outside it):
 *             (1/2) sum_c |p_c - q_c|. The energy distance at 4,096 samples weighs large scales and
 *             misses fine structure: a W-Flow rings model that drew a uniform disk scored 1.6x its
 *             energy floor, but 0.46 in tv against a floor of 0.156 (measured).
 *             Cells of a 24-grid are 0.28 wide on rings (spacing 0.75), 0.12 on 25gaussians (0.71).
 * and the floor: what a perfect generator scores against the same held-out samples, the mean of
 * ED(exact n-sample, held-out) (and of tv) over FLOOR_DRAWS independent exact n-samples (the V-statistic's bias,
 * ~ 2 E|X - X'| / n, plus the held-out set's own sampling error). Exact samples are iid draws
 * (src/generators/targets.ts targetSampler says why the toy samplers' evenly spread points are not);
 * one draw's ED scatters by about a factor 2 around the mean (checkerboard: 7.5e-4 to 2.2e-3 in
 * three draws), hence the mean.
 */
import { createCpuSinkhorn } from '../ot/cpuSinkhorn';
import { sinkhornDivergence } from '../ot/sinkhorn';
import { mmd2 } from '../reference/mmdRows';
import { Rng, Stream } from '../reference/philox';
import { eightGaussiansComponents, twentyFiveGaussiansComponents } from '../targets/toy';

export const METRIC_SAMPLES = 4096;
export const CARD_SINKHORN = { blur: 0.05, scaling: 0.7, tol: 1e-3, maxIter: 100 } as const;
/** S_eps runs on the first SINKHORN_SAMPLES points a side (cost; see the header). */
export const SINKHORN_SAMPLES = 512;
/** A mode receives samples with >= MODE_MIN_FAIR_SHARE / K of them within 3 std (K modes). */
export const MODE_MIN_FAIR_SHARE = 0.25;
export const MODE_RADIUS_STD = 3;
/** Philox hi words of the held-out target samples and of the floor's exact samples (FLOOR_HI + r). */
export const HELDOUT_HI = 0x9f1;
export const FLOOR_HI = 0x9f2;
/** Independent exact samples the floor averages over. */
export const FLOOR_DRAWS = 4;
/** Cells a side of the tv histogram. */
export const HIST_CELLS = 24;

export interface Mode {
  centre: [number, number];
  std: number;
}

/** The labelled mixtures' modes (the targets' default parameters); undefined for other targets. */
export function targetModes(id: string): Mode[] | undefined {
  if (id === '8gaussians') return eightGaussiansComponents(4, 0.5).map((c) => ({ centre: c.mean, std: c.std }));
  if (id === '25gaussians') return twentyFiveGaussiansComponents(0.05).map((c) => ({ centre: c.mean, std: c.std }));
  return undefined;
}

export interface ModeStats {
  /** Fraction of modes that receive samples. */
  modes: number;
  /** Fraction of samples within 3 std of some mode. */
  highQuality: number;
  /** Samples per mode within 3 std, in component order. */
  counts: number[];
}

export function modeStats(x: ArrayLike<number>, modes: readonly Mode[]): ModeStats {
  const n = Math.floor(x.length / 2);
  const counts = modes.map(() => 0);
  let near = 0;
  for (let i = 0; i < n; i++) {
    const a = x[2 * i] ?? 0, b = x[2 * i + 1] ?? 0;
    let hit = false;
    modes.forEach((m, k) => {
      const r = MODE_RADIUS_STD * m.std;
      if ((a - m.centre[0]) ** 2 + (b - m.centre[1]) ** 2 <= r * r) {
        counts[k] = (counts[k] ?? 0) + 1;
        hit = true;
      }
    });
    if (hit) near++;
  }
  const received = counts.filter((c) => c >= (MODE_MIN_FAIR_SHARE / Math.max(1, modes.length)) * n).length;
  return { modes: modes.length > 0 ? received / modes.length : 0, highQuality: n > 0 ? near / n : 0, counts };
}

export function energyDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return mmd2(x, x.length / 2, y, y.length / 2, 'energy', 1);
}

export async function sinkhornMetric(x: ArrayLike<number>, y: ArrayLike<number>): Promise<number> {
  const backend = createCpuSinkhorn();
  try {
    const a = Float64Array.from(x).subarray(0, 2 * SINKHORN_SAMPLES), b = Float64Array.from(y).subarray(0, 2 * SINKHORN_SAMPLES);
    return (await sinkhornDivergence(backend, { points: a }, { points: b }, CARD_SINKHORN)).value;
  } finally {
    backend.destroy();
  }
}

/** n held-out exact samples of the target (seeded, never used in training). */
export function heldOutSamples(sample: (rng: Rng, n: number) => Float64Array, seed: number, n = METRIC_SAMPLES, hi = HELDOUT_HI): Float64Array {
  return sample(new Rng(seed >>> 0, Stream.targetSamples, hi), n);
}

export interface GeneratorMetrics {
  energy: number;
  sinkhorn?: number;
  modes?: number;
  highQuality?: number;
  /** Fraction of samples near the outlier cluster (outlier-demo models). */
  outlierFraction?: number;
  /** Histogram total variation (see the header). */
  tv?: number;
}

/** Total variation between the histograms of x and y on HIST_CELLS^2 cells of y's bounding box (+ outside). */
export function histogramTv(x: ArrayLike<number>, y: ArrayLike<number>, cells = HIST_CELLS): number {
  const m = Math.floor(y.length / 2), n = Math.floor(x.length / 2);
  if (m === 0 || n === 0) return NaN;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < m; i++) {
    const a = y[2 * i] ?? 0, b = y[2 * i + 1] ?? 0;
    x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b);
  }
  const wx = x1 - x0 || 1, wy = y1 - y0 || 1;
  const cell = (a: number, b: number): number => {
    const u = Math.floor(((a - x0) / wx) * cells), v = Math.floor(((b - y0) / wy) * cells);
    // the box's far edges belong to the last cell
    const cu = u === cells && a === x1 ? cells - 1 : u, cv = v === cells && b === y1 ? cells - 1 : v;
    return cu >= 0 && cu < cells && cv >= 0 && cv < cells ? cv * cells + cu : cells * cells;
  };
  const h = new Float64Array(cells * cells + 1);
  for (let i = 0; i < n; i++) {
    const c = cell(x[2 * i] ?? NaN, x[2 * i + 1] ?? NaN);
    h[c] = (h[c] ?? 0) + 1 / n;
  }
  for (let i = 0; i < m; i++) {
    const c = cell(y[2 * i] ?? 0, y[2 * i + 1] ?? 0);
    h[c] = (h[c] ?? 0) - 1 / m;
  }
  let tv = 0;
  for (const v of h) tv += Math.abs(v);
  return tv / 2;
}

export interface MeasureOptions {
  /** Also compute S_eps (the most expensive metric: ~seconds at 4,096 a side on one core). */
  sinkhorn: boolean;
  modes?: readonly Mode[] | undefined;
}

export async function measureSamples(x: ArrayLike<number>, y: ArrayLike<number>, o: MeasureOptions): Promise<GeneratorMetrics> {
  const out: GeneratorMetrics = { energy: energyDistance(x, y), tv: histogramTv(x, y) };
  if (o.sinkhorn) out.sinkhorn = await sinkhornMetric(x, y);
  if (o.modes) {
    const s = modeStats(x, o.modes);
    out.modes = s.modes;
    out.highQuality = s.highQuality;
  }
  return out;
}

export interface Floor {
  energy: number;
  tv: number;
  draws: number;
}

/**
 * The floor against `heldOut`: mean over FLOOR_DRAWS exact n-samples (seeded like the held-out
 * samples, hi words FLOOR_HI + r) of ED(exact, heldOut) and of tv, n = the held-out size.
 */
export function metricFloor(sample: (rng: Rng, n: number) => Float64Array, seed: number, heldOut: Float64Array): Floor {
  const n = heldOut.length / 2;
  let energy = 0, tv = 0;
  for (let r = 0; r < FLOOR_DRAWS; r++) {
    const x = heldOutSamples(sample, seed, n, FLOOR_HI + r);
    energy += energyDistance(x, heldOut);
    tv += histogramTv(x, heldOut);
  }
  return { energy: energy / FLOOR_DRAWS, tv: tv / FLOOR_DRAWS, draws: FLOOR_DRAWS };
}

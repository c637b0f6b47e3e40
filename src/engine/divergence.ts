/**
 * When a run has diverged, in one place (issue 21 item 3), used by the page (src/engine/Engine.ts:
 * pause and say why), the CLI (exit 3 with the reason) and the fuzz tests. Judged by what the run
 * knows, from the numbers the engine already reads (stats: one reduction per frame on the GPU, no
 * per-step read-back; metrics: the landscape methods' F and |g|):
 *
 *   nan       a particle coordinate is NaN or infinite (stats.nonFinite);
 *   overflow  max |x| > DIVERGENCE_LIMIT = 1e8 (float32 squares overflow beyond ~1e19);
 *   box       max |x| beyond the run's box: BOX_FACTOR = 100 times the larger of the target's extent
 *             (TargetInstance.box, else the farthest corner of its view) and of where the particles
 *             started (the initial Gaussian's |mean| + 8 std, or the largest given position). No
 *             sampler's particle goes there: e.g. attract-repel (view +-1.5) gives 150, and wgd at
 *             its former default step 0.2 passed it at step 3 (|x| = 1.3e7 by step 10, F = 2.9e25);
 *   energy    a landscape's F rose by RISE_FACTOR = 1e6 times its scale max(|F0|, 1) above the first
 *             F read (F0), i.e. by orders of magnitude;
 *   gradient  |g| grew past RISE_FACTOR times max(|g0|, 1), g0 the first |g| read.
 */
import type { TargetInstance } from '../targets/types';
import type { InitSpec, Metrics, ParticleStats } from './types';

/** max |x| beyond which float32 arithmetic on the particles is unsafe, whatever the target. */
export const DIVERGENCE_LIMIT = 1e8;
/** The box: this many times the target's extent and the initial cloud's. */
export const BOX_FACTOR = 100;
/** F or |g| rising this many times its scale. */
export const RISE_FACTOR = 1e6;

export type DivergenceCause = 'nan' | 'overflow' | 'box' | 'energy' | 'gradient';

export interface Divergence {
  cause: DivergenceCause;
  step: number;
  /** The threshold crossed (|x| for nan / overflow / box, F or |g| for energy / gradient). */
  limit: number;
  /** The reason in words, e.g. "max |x| = 1.3e+7 left the box |x| <= 150 of the target". */
  reason: string;
}

export interface DivergenceRule {
  /** max |x| allowed (<= DIVERGENCE_LIMIT). */
  box: number;
}

/** The largest |coordinate| of the target's extent: TargetInstance.box, else its view's farthest corner. */
export function targetExtent(target: Pick<TargetInstance, 'view' | 'box'>): number {
  if (target.box !== undefined && target.box > 0) return target.box;
  return Math.max(...target.view.map((v) => Math.abs(v)), 1e-6);
}

/** The largest |coordinate| of the initial cloud (a Gaussian: |mean| + 8 std). */
export function initExtent(init: InitSpec): number {
  if (init.kind === 'gaussian') return Math.max(Math.abs(init.mean[0]), Math.abs(init.mean[1])) + 8 * init.std;
  let m = 0;
  for (let i = 0; i < init.data.length; i++) {
    const v = Math.abs(init.data[i] ?? 0);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return m;
}

/** The rule of one run: its target (resolved) and its initial state. */
export function divergenceRule(target: Pick<TargetInstance, 'view' | 'box' | 'periodic'>, init: InitSpec): DivergenceRule {
  const extent = Math.max(targetExtent(target), target.periodic ? 1 : initExtent(init));
  return { box: Math.min(DIVERGENCE_LIMIT, BOX_FACTOR * extent) };
}

const e2 = (v: number): string => v.toExponential(1);

/** The divergence the stats show under `rule` (undefined: none). */
export function statsDivergence(rule: DivergenceRule, s: ParticleStats): Divergence | undefined {
  if (s.stale) return undefined;
  if (s.nonFinite > 0) return { cause: 'nan', step: s.step, limit: DIVERGENCE_LIMIT, reason: `${s.nonFinite} particle${s.nonFinite === 1 ? '' : 's'} NaN or infinite` };
  if (s.maxAbs > DIVERGENCE_LIMIT) return { cause: 'overflow', step: s.step, limit: DIVERGENCE_LIMIT, reason: `max |x| = ${e2(s.maxAbs)} > ${e2(DIVERGENCE_LIMIT)}` };
  if (s.maxAbs > rule.box) return { cause: 'box', step: s.step, limit: rule.box, reason: `max |x| = ${e2(s.maxAbs)} left the box |x| ≤ ${Number(rule.box.toPrecision(3))} of this target and start` };
  return undefined;
}

/** A landscape's first F and |g| (the baseline of the energy and gradient rules). */
export interface RiseBaseline {
  energy?: number;
  gradNorm?: number;
}

/** The divergence the metrics show against `baseline` (undefined: none). */
export function metricsDivergence(m: Metrics, baseline: RiseBaseline): Divergence | undefined {
  if (m.stale) return undefined;
  const F = m.readouts?.energy, g = m.readouts?.gradNorm;
  if (F !== undefined && !Number.isFinite(F)) return { cause: 'nan', step: m.step, limit: NaN, reason: `the energy F is ${String(F)}` };
  if (g !== undefined && !Number.isFinite(g)) return { cause: 'nan', step: m.step, limit: NaN, reason: `|g| is ${String(g)}` };
  if (F !== undefined && baseline.energy !== undefined) {
    const limit = baseline.energy + RISE_FACTOR * Math.max(Math.abs(baseline.energy), 1);
    if (F > limit) return { cause: 'energy', step: m.step, limit, reason: `the energy F rose from ${e2(baseline.energy)} to ${e2(F)}` };
  }
  if (g !== undefined && baseline.gradNorm !== undefined) {
    const limit = RISE_FACTOR * Math.max(baseline.gradNorm, 1);
    if (g > limit) return { cause: 'gradient', step: m.step, limit, reason: `|g| grew from ${e2(baseline.gradNorm)} to ${e2(g)}` };
  }
  return undefined;
}

/** The rule applied to a run's stream of stats and metrics (the page: one per run; the baseline is the first F and |g| read). */
export class DivergenceWatch {
  private readonly baseline: RiseBaseline = {};

  constructor(readonly rule: DivergenceRule) {}

  stats(s: ParticleStats): Divergence | undefined {
    return statsDivergence(this.rule, s);
  }

  metrics(m: Metrics): Divergence | undefined {
    const d = metricsDivergence(m, this.baseline);
    if (!m.stale) {
      const F = m.readouts?.energy, g = m.readouts?.gradNorm;
      if (this.baseline.energy === undefined && F !== undefined && Number.isFinite(F)) this.baseline.energy = F;
      if (this.baseline.gradNorm === undefined && g !== undefined && Number.isFinite(g)) this.baseline.gradNorm = g;
    }
    return d;
  }
}

/**
 * A finished run's verdict (the CLI): its final stats and metrics under its rule; the energy and
 * gradient rules against `baseline` when known (e.g. the F and |g| of step 1).
 */
export function runDivergence(rule: DivergenceRule, s: ParticleStats, m?: Metrics, baseline: RiseBaseline = {}): Divergence | undefined {
  return statsDivergence(rule, s) ?? (m ? metricsDivergence(m, baseline) : undefined);
}

/**
 * Which metrics apply to a run: one decision for both backends (src/metrics/gpu.ts, src/metrics/cpu.ts)
 * and the plots, made by each registered metric's appliesTo (src/metrics/registry.ts):
 *   l2        torus runs: || g_sigma * (rho_N - pi) ||_2 (src/reference/torusL2.ts), over all points
 *   ksd       plane runs of targets with a score (IMQ Stein kernel; not periodic, so not on the torus)
 *   energy    targets with samples: energy distance = MMD^2 with the energy kernel -|x - y|
 *   mmd       targets with samples: MMD^2, Gaussian kernel of bandwidth MMD_BANDWIDTH
 *   sinkhorn  targets with samples, when the run flows toward samples or the target is known only by
 *             samples (it costs a full Sinkhorn loop): debiased S_eps, blur 0.1
 * Energy landscapes (issue 10) have no target density to compare with: none applies; the landscape
 * methods' readouts (F, |g|, the smallest Hessian eigenvalue) are their metrics.
 */
import type { TargetInstance } from '../targets/types';
import { perMetric, type MetricId } from './registry';
import type { MetricDef, MetricFacts } from './types';

export type MetricName = MetricId;
export type MetricPlan = Record<MetricName, boolean>;
export type PlanInputs = MetricFacts;

export function metricPlan(p: PlanInputs): MetricPlan {
  return perMetric((d) => d.appliesTo(p));
}

/** The plan over any list of defs (a backend given its own list, e.g. a test's toy metric), by id. */
export function planOf(defs: readonly MetricDef[], p: PlanInputs): Record<string, boolean> {
  return Object.fromEntries(defs.map((d) => [d.id, d.appliesTo(p)]));
}

/**
 * The metrics a run of `target` will report, before any is read (the plots keep their panes' place):
 * the plan with the target's own facts (samples: an exact sampler or a cloud); none without a target.
 */
export function expectedMetrics(target: TargetInstance | undefined, domain: 'plane' | 'torus', sampleBased: boolean): MetricPlan {
  if (!target) return perMetric(() => false);
  return metricPlan({
    domain,
    sampleOnly: target.sampleOnly === true,
    landscape: target.landscape !== undefined,
    hasSamples: target.sample !== undefined || target.cloud !== undefined,
    sampleBased,
  });
}

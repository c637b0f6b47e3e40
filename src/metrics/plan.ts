/**
 * Which metrics apply to a run: one decision for both backends (src/metrics/gpu.ts, src/metrics/cpu.ts).
 *   l2        torus runs: || g_sigma * (rho_N - pi) ||_2 (src/reference/torusL2.ts), over all points
 *   ksd       plane runs of targets with a score (IMQ Stein kernel; not periodic, so not on the torus)
 *   energy    targets with samples: energy distance = MMD^2 with the energy kernel -|x - y|
 *   mmd       targets with samples: MMD^2, Gaussian kernel of bandwidth MMD_BANDWIDTH
 *   sinkhorn  targets with samples, when the run flows toward samples or the target is known only by
 *             samples (it costs a full Sinkhorn loop): debiased S_eps, blur 0.1
 * Energy landscapes (issue 10) have no target density to compare with: none applies; the landscape
 * methods' readouts (F, |g|, the smallest Hessian eigenvalue) are their metrics.
 */
export type MetricName = 'ksd' | 'energy' | 'mmd' | 'sinkhorn' | 'l2';
export type MetricPlan = Record<MetricName, boolean>;

export interface PlanInputs {
  domain: 'plane' | 'torus';
  /** The target is known only by samples (no score). */
  sampleOnly: boolean;
  /** Target samples are available to compare against. */
  hasSamples: boolean;
  /** The method flows toward the target's samples (MethodDef.needs === 'samples'). */
  sampleBased: boolean;
  /** The target is an energy landscape (TargetInstance.landscape). */
  landscape?: boolean;
}

export function metricPlan(p: PlanInputs): MetricPlan {
  const torus = p.domain === 'torus';
  if (p.landscape) return { l2: false, ksd: false, energy: false, mmd: false, sinkhorn: false };
  return {
    l2: torus,
    ksd: !torus && !p.sampleOnly,
    energy: p.hasSamples,
    mmd: p.hasSamples,
    sinkhorn: p.hasSamples && (p.sampleBased || p.sampleOnly),
  };
}

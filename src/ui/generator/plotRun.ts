/**
 * The generator in the plots: a flat line at its measured metrics across the flow's iterations (one
 * generator call has no iterations), as one more PlotRun labelled with the generator's name.
 */
import type { MetricsHistory } from '../../engine/Engine';
import type { MetricValues } from '../../metrics/measure';
import { METRIC_KEYS } from '../../engine/runSlot';

/** Two points, at the flow's first and latest step; null for the metrics the generator lacks. */
export function generatorHistory(metrics: MetricValues, flow: MetricsHistory, step: number): MetricsHistory {
  const first = flow.step[0] ?? 0;
  const last = Math.max(flow.step[flow.step.length - 1] ?? 0, step, first + 1);
  const line = (v: number | undefined): (number | null)[] => (v === undefined || !Number.isFinite(v) ? [null, null] : [v, v]);
  const h: Record<string, readonly (number | null)[]> = {};
  for (const k of METRIC_KEYS) h[k] = line(metrics[k]);
  return {
    step: [first, last],
    ksd: h.ksd ?? [null, null],
    energy: h.energy ?? [null, null],
    sinkhorn: h.sinkhorn ?? [null, null],
    mmd: h.mmd ?? [null, null],
    l2: h.l2 ?? [null, null],
    // no ms per step: a generator has no steps (the ms pane leaves it out: no finite point)
    msPerStep: [NaN, NaN],
  };
}

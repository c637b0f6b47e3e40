/**
 * The generator in the plots: a flat line at its measured metrics across the flow's iterations (one
 * generator call has no iterations), as one more PlotRun labelled with the generator's name.
 */
import type { MetricsHistory } from '../../engine/Engine';
import type { MetricValues } from '../../metrics/measure';
import { perMetric, readMetric } from '../../metrics/registry';

/** Two points, at the flow's first and latest step; null for the metrics the generator lacks. */
export function generatorHistory(metrics: MetricValues, flow: MetricsHistory, step: number): MetricsHistory {
  const first = flow.step[0] ?? 0;
  const last = Math.max(flow.step[flow.step.length - 1] ?? 0, step, first + 1);
  const line = (v: number | undefined): (number | null)[] => (v === undefined || !Number.isFinite(v) ? [null, null] : [v, v]);
  return {
    step: [first, last],
    ...perMetric((d) => line(readMetric(metrics, d.id))),
    // no ms per step: a generator has no steps (the ms pane leaves it out: no finite point)
    msPerStep: [NaN, NaN],
  };
}

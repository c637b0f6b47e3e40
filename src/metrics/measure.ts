/**
 * The one metrics function both backends run: the plan says which metrics apply, a backend
 * (GpuMetrics or CpuMetrics) computes them on ANY point set (particles, generator samples, a file),
 * and this assembles the result, iterating the registry (src/metrics/registry.ts). A backend answers
 * a batch: the GPU records every asked metric into one compute pass and reads the rows back once;
 * the CPU computes them with the float64 twins.
 */
import { metrics, type MetricExtraKey, type MetricId } from './registry';
import type { MetricDef, MetricReading } from './types';

/**
 * The metrics' values by id (see each def in src/metrics/registry.ts), plus their extras, e.g.
 *   ksd       Kernel Stein discrepancy (IMQ kernel, c = 1, beta = -1/2; V-statistic) on up to METRIC_SUBSAMPLE points
 *   energy    energy distance (= MMD^2 with the energy kernel) to the target samples
 *   mmd       MMD^2 (Gaussian kernel) to the target samples
 *   sinkhorn  debiased S_eps to the target samples, with sinkhornIterations and sinkhornMarginalError of its solve
 *   l2        torus: L2 distance between the smoothed density of the points and the target density
 */
export type MetricValues = { [K in MetricId | MetricExtraKey]?: number };

/**
 * One measurement in progress. Each asked metric returns a promise; `run()` starts the work (the GPU
 * submits once). A promise resolves to undefined when the backend was destroyed meanwhile.
 */
export interface MetricBatch {
  measure(def: MetricDef): Promise<MetricReading | undefined>;
  run(): void;
}

export interface MetricBackend<P> {
  /** A batch over the first n points of `points`; undefined once the backend is destroyed. */
  begin(points: P, n: number): MetricBatch | undefined;
}

/**
 * The plan's metrics (of `defs`: the registry by default) of the first n points; undefined when the
 * backend was destroyed before they were read.
 */
export async function measureMetrics<P>(
  backend: MetricBackend<P>,
  plan: Readonly<Partial<Record<string, boolean>>>,
  points: P,
  n: number,
  defs: readonly MetricDef[] = metrics,
): Promise<MetricValues | undefined> {
  const batch = backend.begin(points, n);
  if (!batch) return undefined;
  const asked = defs.filter((d) => plan[d.id] === true);
  const pending = asked.map((d) => batch.measure(d));
  batch.run();
  const got = await Promise.all(pending);
  const out: Record<string, number> = {};
  for (const [i, d] of asked.entries()) {
    const r = got[i];
    if (r === undefined) return undefined;
    out[d.id] = r.value;
    if (r.extra) Object.assign(out, r.extra);
  }
  return out as MetricValues;
}

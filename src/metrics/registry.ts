/**
 * The live metrics, one line each, in the order of their plot panes. A metric is its own file (its
 * MetricDef: src/metrics/types.ts) plus its line here: the backends (src/metrics/gpu.ts, cpu.ts),
 * the plan (plan.ts), the engine's history (src/engine/runSlot.ts), the plots and the status bar
 * iterate this list.
 */
import { energyMetric } from './energy';
import { ksdMetric } from './ksd';
import { mmdMetric } from './mmd';
import { sinkhornMetric } from './sinkhorn';
import { l2Metric } from './torusL2';
import type { MetricDef } from './types';

const defs = [
  ksdMetric,
  energyMetric,
  sinkhornMetric,
  mmdMetric,
  l2Metric,
] as const;

/** A metric's id (the registry's ids, as a type). */
export type MetricId = (typeof defs)[number]['id'];
/** A registered def: its id is one of MetricId. */
export type RegisteredMetric = MetricDef & { readonly id: MetricId };

export const metrics: readonly RegisteredMetric[] = defs;
/** The extra numbers a metric reports beside its value (MetricDef.extras). */
export type MetricExtraKey = (typeof defs)[number] extends infer D ? (D extends { extras: readonly (infer E)[] } ? E : never) : never;

export const metricIds: readonly MetricId[] = metrics.map((d) => d.id);

/** The def of `id`; undefined for an unknown id. */
export function metricDef(id: string): RegisteredMetric | undefined {
  return metrics.find((d) => d.id === id);
}

/** One entry per metric, keyed by id: `f(def)` (e.g. empty history series). */
export function perMetric<T>(f: (def: RegisteredMetric) => T): Record<MetricId, T> {
  return Object.fromEntries(metrics.map((d) => [d.id, f(d)])) as Record<MetricId, T>;
}

/** The value of `key` (a metric id or an extra) in a metric values object; undefined when absent or not a number. */
export function readMetric(values: object | undefined, key: string): number | undefined {
  const v: unknown = values ? (values as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** The registered metrics that have a value in `values`, in plot order, with their values. */
export function metricsWithValues(values: object | undefined): { def: RegisteredMetric; value: number }[] {
  return metrics.flatMap((def) => {
    const value = readMetric(values, def.id);
    return value === undefined ? [] : [{ def, value }];
  });
}

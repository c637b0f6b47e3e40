/**
 * The generator's metrics off the page's main thread: the handler a Web Worker serves
 * (browserMetricsWorker.ts). It measures a point set against the same reference the flow is measured
 * on: CpuMetrics (src/metrics/cpu.ts, the float64 twins) with the flow's plan inputs, the target built
 * from its plain config (resolveTarget) and the flow's target samples (targetSamples(target, seed)).
 * On the CPU these cost about a second (energy, MMD, KSD on 1,024 points) and up to ~15 s when the
 * Sinkhorn divergence is in the plan (measured on the shared 2-core machine): never on the main thread.
 */
import { resolveTarget } from '../engine/config';
import type { TargetConfig } from '../engine/types';
import type { JobContext } from '../platform/worker/protocol';
import { CpuMetrics } from '../metrics/cpu';
import type { MetricValues } from '../metrics/measure';
import { targetSamples } from '../metrics/settings';

export interface MetricsRequest {
  target: TargetConfig;
  /** The flow's seed (its target samples). */
  seed: number;
  /** The flow's method moves toward samples (turns S_eps on, as for the flow). */
  sampleBased: boolean;
  /** Interleaved float64, n points. */
  points: Float64Array;
  n: number;
}

/** The metrics of `req.points` against the flow's reference; undefined where none applies (landscapes). */
export async function measureGenerator(req: MetricsRequest): Promise<MetricValues | undefined> {
  const target = resolveTarget(req.target);
  if (target.landscape) return undefined;
  const m = new CpuMetrics({ domain: 'plane', sampleBased: req.sampleBased });
  try {
    m.setTarget(target, targetSamples(target, req.seed));
    return await m.measure(req.points, req.n);
  } finally {
    m.destroy();
  }
}

export function generatorMetricsHandlers() {
  return {
    measure: (_ctx: JobContext, req: MetricsRequest): Promise<MetricValues | undefined> => measureGenerator(req),
  };
}

export type GeneratorMetricsHandlers = ReturnType<typeof generatorMetricsHandlers>;

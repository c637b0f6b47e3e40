/**
 * The metrics on the CPU backend, for any point set (interleaved float64): `measure(points, n)`, the
 * same plan and assembly as the GPU (src/metrics/measure.ts), each planned metric of the registry
 * (src/metrics/registry.ts) computed with its float64 twins, e.g.
 *   KSD      targetEval + ksdRows on the first m = min(n, METRIC_SUBSAMPLE) points
 *   energy   mmdRows with the energy kernel (the yy rows once per target)
 *   MMD^2    mmdRows with the Gaussian kernel (the yy rows once per target)
 *   L2       torusL2 over all n points (torus runs)
 *   S_eps    the shared Sinkhorn loop on the CPU softmin (first 512 points a side)
 */
import type { TargetInstance } from '../targets/types';
import { measureMetrics, type MetricBackend, type MetricBatch, type MetricValues } from './measure';
import { planOf } from './plan';
import { metrics } from './registry';
import { METRIC_SUBSAMPLE, TARGET_SAMPLES } from './settings';
import type { CpuMetric, MetricDef } from './types';

export interface CpuMetricsOptions {
  domain: 'plane' | 'torus';
  /** The measured points flow toward the target's samples (turns the S_eps metric on). */
  sampleBased: boolean;
  /** The metrics to measure (those whose appliesTo holds): the registry's by default; a test may pass its own. */
  metrics?: readonly MetricDef[];
}

export class CpuMetrics implements MetricBackend<Float64Array> {
  private target: TargetInstance | undefined;
  private samples: Float64Array | undefined;
  /** Each metric's CPU state (e.g. yy rows for the current samples), made at its first measure. */
  private readonly impls = new Map<string, CpuMetric>();
  private readonly defs: readonly MetricDef[];
  private destroyed = false;

  constructor(private readonly options: CpuMetricsOptions) {
    this.defs = options.metrics ?? metrics;
  }

  setTarget(target: TargetInstance, samples: Float64Array | undefined): void {
    this.target = target;
    this.samples = samples && samples.length >= 2 ? samples.subarray(0, 2 * Math.min(samples.length / 2, TARGET_SAMPLES)) : undefined;
    for (const impl of this.impls.values()) impl.samplesChanged?.();
  }

  /** Which of the metrics apply now, by id. */
  plan(): Record<string, boolean> {
    return planOf(this.defs, {
      domain: this.options.domain,
      sampleOnly: this.target?.sampleOnly === true,
      landscape: this.target?.landscape !== undefined,
      hasSamples: this.samples !== undefined,
      sampleBased: this.options.sampleBased,
    });
  }

  /** The plan's metrics of the first n points of `points` (interleaved, 2n numbers); undefined if destroyed. */
  measure(points: Float64Array, n: number): Promise<MetricValues | undefined> {
    return measureMetrics(this, this.plan(), points, n, this.defs);
  }

  /** The CPU state of `def`, made at its first use. */
  private impl(def: MetricDef): CpuMetric {
    let impl = this.impls.get(def.id);
    if (!impl) {
      if ('none' in def.cpu) throw new Error(`CpuMetrics: the ${def.id} metric has no CPU implementation (${def.cpu.none})`);
      impl = def.cpu();
      this.impls.set(def.id, impl);
    }
    return impl;
  }

  begin(points: Float64Array, n: number): MetricBatch | undefined {
    const target = this.target;
    if (this.destroyed || !target || n < 1) return undefined;
    const m = Math.min(n, METRIC_SUBSAMPLE);
    const batch = { points, n, sub: points.subarray(0, 2 * m), m, samples: this.samples, target };
    return {
      measure: (def) => {
        if (def.needsSamples && !this.samples) throw new Error(`CpuMetrics: the ${def.id} metric needs target samples (setTarget with samples)`);
        return this.impl(def).measure(batch);
      },
      run: () => undefined,
    };
  }

  destroy(): void {
    this.destroyed = true;
    for (const impl of this.impls.values()) impl.destroy?.();
  }
}

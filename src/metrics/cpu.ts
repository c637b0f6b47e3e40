/**
 * The metrics on the CPU backend, for any point set (interleaved float64): `measure(points, n)`, the
 * same plan and assembly as the GPU (src/metrics/measure.ts), computed with the float64 twins:
 *   KSD      targetEval + ksdRows on the first m = min(n, METRIC_SUBSAMPLE) points
 *   energy   mmdRows with the energy kernel (the yy rows once per target)
 *   MMD^2    mmdRows with the Gaussian kernel (the yy rows once per target)
 *   L2       torusL2 over all n points (torus runs)
 *   S_eps    the shared Sinkhorn loop on the CPU softmin (first 512 points a side)
 */
import type { SinkhornResult } from '../ot/sinkhorn';
import type { MmdKernel } from '../reference/mmdFlowStep';
import { mmdFromRows, mmdRows } from '../reference/mmdRows';
import { ksdFromRows, ksdRows } from '../reference/ksdRows';
import { targetEval } from '../reference/targetEval';
import { torusL2 } from '../reference/torusL2';
import type { TargetInstance } from '../targets/types';
import { measureMetrics, type MetricBackend, type MetricBatch, type MetricValues } from './measure';
import { metricPlan, type MetricPlan } from './plan';
import { MMD_BANDWIDTH, METRIC_SUBSAMPLE, SINKHORN_SUBSAMPLE, TARGET_SAMPLES, viewDiameter } from './settings';
import { CpuSinkhornMeasure } from './sinkhorn';

export interface CpuMetricsOptions {
  domain: 'plane' | 'torus';
  /** The measured points flow toward the target's samples (turns the S_eps metric on). */
  sampleBased: boolean;
}

const KERNELS: Record<'energy' | 'mmd', { kernel: MmdKernel; bw2: number }> = {
  energy: { kernel: 'energy', bw2: 1 },
  mmd: { kernel: 'gaussian', bw2: MMD_BANDWIDTH ** 2 },
};

export class CpuMetrics implements MetricBackend<Float64Array> {
  private target: TargetInstance | undefined;
  private samples: Float64Array | undefined;
  /** yy rows per kernel, for the current samples. */
  private readonly yy = new Map<'energy' | 'mmd', Float64Array>();
  private readonly sinkhorn = new CpuSinkhornMeasure();
  private destroyed = false;

  constructor(private readonly options: CpuMetricsOptions) {}

  setTarget(target: TargetInstance, samples: Float64Array | undefined): void {
    this.target = target;
    this.samples = samples && samples.length >= 2 ? samples.subarray(0, 2 * Math.min(samples.length / 2, TARGET_SAMPLES)) : undefined;
    this.yy.clear();
  }

  plan(): MetricPlan {
    return metricPlan({
      domain: this.options.domain,
      sampleOnly: this.target?.sampleOnly === true,
      landscape: this.target?.landscape !== undefined,
      hasSamples: this.samples !== undefined,
      sampleBased: this.options.sampleBased,
    });
  }

  /** The plan's metrics of the first n points of `points` (interleaved, 2n numbers); undefined if destroyed. */
  measure(points: Float64Array, n: number): Promise<MetricValues | undefined> {
    return measureMetrics(this, this.plan(), points, n);
  }

  begin(points: Float64Array, n: number): MetricBatch | undefined {
    const target = this.target;
    if (this.destroyed || !target || n < 1) return undefined;
    const m = Math.min(n, METRIC_SUBSAMPLE);
    const sub = points.subarray(0, 2 * m);
    const ys = (): Float64Array => {
      if (!this.samples) throw new Error('CpuMetrics: this metric needs target samples (setTarget with samples)');
      return this.samples;
    };
    const mmdLike = (which: 'energy' | 'mmd'): number => {
      const y = ys(), M = y.length / 2;
      const { kernel, bw2 } = KERNELS[which];
      let yy = this.yy.get(which);
      if (!yy) this.yy.set(which, (yy = mmdRows(y, M, y, M, kernel, bw2)));
      return mmdFromRows(mmdRows(sub, m, sub, m, kernel, bw2), yy, mmdRows(sub, m, y, M, kernel, bw2), m, M);
    };
    const later = <T>(f: () => T): Promise<T> => Promise.resolve().then(f);
    return {
      ksd: () => later(() => {
        const { score } = targetEval(target.packed, sub);
        return ksdFromRows(ksdRows(sub, score, m), m);
      }),
      energy: () => later(() => mmdLike('energy')),
      mmd: () => later(() => mmdLike('mmd')),
      l2: () => later(() => torusL2(points, n, target)),
      sinkhorn: (): Promise<SinkhornResult> => {
        const y = ys();
        const ms = Math.min(m, SINKHORN_SUBSAMPLE), Ms = Math.min(y.length / 2, SINKHORN_SUBSAMPLE);
        return this.sinkhorn.measure(points.subarray(0, 2 * ms), y.subarray(0, 2 * Ms), viewDiameter(target));
      },
      run: () => undefined,
    };
  }

  destroy(): void {
    this.destroyed = true;
    this.sinkhorn.destroy();
  }
}

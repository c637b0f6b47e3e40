/**
 * The Sinkhorn-divergence metric (`sinkhornMetric`: debiased S_eps, blur 0.1, to the target samples,
 * on up to SINKHORN_SUBSAMPLE points a side; it costs a full Sinkhorn loop, so it applies when the run
 * flows toward samples or the target is known only by samples) and its two wrappers, over the shared Sinkhorn loop of src/ot/ (its GPU and CPU
 * softmin backends; the loop itself is not touched here). Both wrappers keep the potentials warm
 * between calls while the sizes and the annealing start (diameter) stay, and re-create the solver
 * otherwise. The GPU wrapper never destroys a solver whose measure is still in flight: destroy()
 * waits for it to settle (its buffers stay alive until then) and the pending result becomes undefined.
 */
import { createCpuSinkhornMetric, type CpuSinkhornMetric } from '../ot/cpuSinkhorn';
import { createGpuSinkhornMetric, type GpuSinkhornMetric } from '../ot/gpuSinkhorn';
import type { SinkhornResult } from '../ot/sinkhorn';
import { SINKHORN_METRIC, SINKHORN_SUBSAMPLE, viewDiameter } from './settings';
import type { MetricDef, MetricReading } from './types';

export class GpuSinkhornMeasure {
  private metric: { solver: GpuSinkhornMetric; key: string } | undefined;
  private inFlight: Promise<unknown> | undefined;
  private destroyed = false;
  /** Resolves (to undefined) at destroy(): pending measures answer at once instead of after their loop. */
  private readonly gone: Promise<undefined>;
  private markGone: () => void = () => undefined;

  constructor(private readonly device: GPUDevice) {
    this.gone = new Promise((resolve) => (this.markGone = () => resolve(undefined)));
  }

  /**
   * S_eps between the first n points of `x` and the first m of `y` (array<vec2f>; copied on the GPU
   * when called, so record the writes of x and y before). Undefined when destroyed meanwhile.
   */
  measure(x: GPUBuffer, n: number, y: GPUBuffer, m: number, diameter: number): Promise<SinkhornResult | undefined> {
    if (this.destroyed) return Promise.resolve(undefined);
    const key = `${n}:${m}:${diameter}`;
    if (this.metric?.key !== key) {
      this.metric?.solver.destroy();
      this.metric = { solver: createGpuSinkhornMetric(this.device, { ...SINKHORN_METRIC, n, m, diameter }), key };
    }
    const solver = this.metric.solver;
    const run = solver.measure(x, y);
    this.inFlight = run;
    const settled = run.then(
      (r) => (this.destroyed ? undefined : r),
      (e: unknown) => {
        if (this.destroyed) return undefined;
        throw e;
      },
    ).finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    return Promise.race([settled, this.gone]);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.markGone();
    const solver = this.metric?.solver;
    this.metric = undefined;
    if (!solver) return;
    if (this.inFlight) void this.inFlight.then(() => solver.destroy(), () => solver.destroy());
    else solver.destroy();
  }
}

export class CpuSinkhornMeasure {
  private metric: { solver: CpuSinkhornMetric; diameter: number } | undefined;

  /** S_eps between x (2n numbers) and y (2m numbers), float64 twins. */
  measure(x: ArrayLike<number>, y: ArrayLike<number>, diameter: number): Promise<SinkhornResult> {
    if (this.metric?.diameter !== diameter) {
      this.metric?.solver.destroy();
      this.metric = { solver: createCpuSinkhornMetric({ ...SINKHORN_METRIC, diameter }), diameter };
    }
    return this.metric.solver.measure(x, y);
  }

  destroy(): void {
    this.metric?.solver.destroy();
    this.metric = undefined;
  }
}

/** The reading: S_eps, with its solve's iterations and final marginal error as extras. */
function reading(r: SinkhornResult): MetricReading {
  return { value: r.value, extra: { sinkhornIterations: r.iterations, sinkhornMarginalError: r.marginalError } };
}

export const sinkhornMetric = {
  id: 'sinkhorn',
  label: 'Sε',
  plot: {
    title: 'Sinkhorn divergence to the target cloud',
    yTitle: 'S_ε (blur 0.1)',
    what: 'Debiased Sinkhorn divergence S_ε (blur 0.1) to the target cloud',
    yScale: 'log',
  },
  appliesTo: (f) => !f.landscape && f.hasSamples && (f.sampleBased || f.sampleOnly),
  needsSamples: true,
  slow: true,
  extras: ['sinkhornIterations', 'sinkhornMarginalError'],
  // its own loop after the shared pass (which wrote host.x): the first min(m, 512) points against min(M, 512) samples
  gpu: (host) => {
    const s = host.res.track(new GpuSinkhornMeasure(host.device));
    return {
      measure: (b) =>
        b.afterSubmit(() => s.measure(host.x, Math.min(b.m, SINKHORN_SUBSAMPLE), host.samples, Math.min(b.M, SINKHORN_SUBSAMPLE), viewDiameter(b.target)))
          .then((r) => (r ? reading(r) : undefined)),
    };
  },
  cpu: () => {
    const s = new CpuSinkhornMeasure();
    return {
      measure: (b) => {
        const y = b.samples;
        if (!y) return Promise.reject(new Error('Sinkhorn metric: no target samples'));
        const ms = Math.min(b.m, SINKHORN_SUBSAMPLE), Ms = Math.min(y.length / 2, SINKHORN_SUBSAMPLE);
        return s.measure(b.points.subarray(0, 2 * ms), y.subarray(0, 2 * Ms), viewDiameter(b.target)).then(reading);
      },
      destroy: () => s.destroy(),
    };
  },
  // the plotted value's solve (the value itself is plotted, not shown here)
  status: (read, fmt) => {
    const err = read('sinkhornMarginalError');
    if (err === undefined) return undefined;
    const it = read('sinkhornIterations');
    return {
      text: `Sε ${it === undefined ? '–' : String(it)} it., marginal err ${fmt(err)}`,
      title: "The plotted Sinkhorn divergence's solve: iterations (eps-annealing included) and the L1 error of its plan's marginals, checked every 10 iterations (tolerance 1e-3, at most 300)",
      detail: true,
    };
  },
} as const satisfies MetricDef;

/**
 * The S_eps metric for the metrics layer, over the shared Sinkhorn loop of src/ot/ (its GPU and CPU
 * softmin backends; the loop itself is not touched here). Both wrappers keep the potentials warm
 * between calls while the sizes and the annealing start (diameter) stay, and re-create the solver
 * otherwise. The GPU wrapper never destroys a solver whose measure is still in flight: destroy()
 * waits for it to settle (its buffers stay alive until then) and the pending result becomes undefined.
 */
import { createCpuSinkhornMetric, type CpuSinkhornMetric } from '../ot/cpuSinkhorn';
import { createGpuSinkhornMetric, type GpuSinkhornMetric } from '../ot/gpuSinkhorn';
import type { SinkhornResult } from '../ot/sinkhorn';
import { SINKHORN_METRIC } from './settings';

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

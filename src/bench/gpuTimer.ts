/**
 * GPU time of one recorded compute pass, for the benchmark suites that record their own passes
 * (sinkhorn, pm). With the adapter feature 'timestamp-query' (requested by src/gpu/device.ts when
 * the adapter has it): a two-entry query set written at the beginning and end of the pass
 * (timestampWrites), resolved into a buffer and read back as nanoseconds. Without it: wall clock from
 * submit to onSubmittedWorkDone (after waiting for earlier work), which includes the submission and
 * the driver's latency. `kind` says which one a timing is; the report states it per suite and row.
 */
import { createBuffer, Readback } from '../gpu/buffers';

export type TimingKind = 'timestamp-query' | 'wall-clock';

export interface PassTiming {
  /** Milliseconds of GPU time (timestamps) or wall clock (fallback). */
  ms: number;
  kind: TimingKind;
  /** Wall clock of the same submission, always measured. */
  wallMs: number;
}

export class GpuTimer {
  readonly kind: TimingKind;
  private readonly querySet: GPUQuerySet | undefined;
  private readonly resolved: GPUBuffer | undefined;
  private readonly readback: Readback | undefined;

  constructor(readonly device: GPUDevice) {
    if (device.features.has('timestamp-query')) {
      this.kind = 'timestamp-query';
      this.querySet = device.createQuerySet({ label: 'GpuTimer.querySet', type: 'timestamp', count: 2 });
      this.resolved = createBuffer(device, 'GpuTimer.resolved', 16, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC);
      this.readback = new Readback(device, 'GpuTimer.readback', 16);
    } else {
      this.kind = 'wall-clock';
    }
  }

  /** Record `record` into one compute pass, submit it alone and time it. */
  async time(label: string, record: (pass: GPUComputePassEncoder) => void): Promise<PassTiming> {
    const { device } = this;
    await device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    const enc = device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({
      label,
      ...(this.querySet ? { timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {}),
    });
    record(pass);
    pass.end();
    if (this.querySet && this.resolved && this.readback) {
      enc.resolveQuerySet(this.querySet, 0, 2, this.resolved, 0);
      enc.copyBufferToBuffer(this.resolved, 0, this.readback.buffer, 0, 16);
    }
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const wallMs = performance.now() - t0;
    if (!this.readback) return { ms: wallMs, kind: 'wall-clock', wallMs };
    const data = await this.readback.read();
    if (!data) return { ms: wallMs, kind: 'wall-clock', wallMs };
    const [begin = 0n, end = 0n] = new BigUint64Array(data);
    // a device may write zeros (e.g. timestamps quantised or disabled): fall back to the wall clock
    if (end <= begin) return { ms: wallMs, kind: 'wall-clock', wallMs };
    return { ms: Number(end - begin) / 1e6, kind: 'timestamp-query', wallMs };
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolved?.destroy();
    this.readback?.destroy();
  }
}

/**
 * The metrics on the GPU, for any point set in a GPU buffer: `measure(points, n)`. The first
 * m = min(n, METRIC_SUBSAMPLE) points are copied into an own buffer, then one compute pass records
 *   KSD      targetEval + ksdRows (shaders/ksdRows.wgsl)
 *   energy   mmdRows with the energy kernel (xx, xy; yy once per target)
 *   MMD^2    mmdRows with the Gaussian kernel (xx, xy; yy once per target)
 *   L2       torusDft over all n points (torus runs)
 * and every row array is copied into ONE staging buffer (`Readback`: a read pending at destroy()
 * resolves to undefined, so measure() resolves to undefined and nothing rejects). The Sinkhorn
 * divergence runs its own loop afterwards (src/metrics/sinkhorn.ts). Sums finish in float64 on the
 * CPU with the twins' formulas (ksdFromRows, mmdFromRows, l2FromModes).
 */
import { GpuResources, Lock, type Readback } from '../gpu/buffers';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { KsdRows } from '../kernels/ksdRows';
import { TargetEval } from '../kernels/targetEval';
import type { SinkhornResult } from '../ot/sinkhorn';
import { ksdFromRows } from '../reference/ksdRows';
import { packTargetUniform } from '../targets/pack';
import type { TargetInstance } from '../targets/types';
import { measureMetrics, type MetricBackend, type MetricBatch, type MetricValues } from './measure';
import { MmdMetric } from './mmd';
import { metricPlan, type MetricPlan } from './plan';
import { MMD_BANDWIDTH, METRIC_SUBSAMPLE, SINKHORN_SUBSAMPLE, TARGET_SAMPLES, viewDiameter } from './settings';
import { GpuSinkhornMeasure } from './sinkhorn';
import { TorusL2Metric } from './torusL2';

export interface GpuMetricsOptions {
  domain: 'plane' | 'torus';
  /** The measured points flow toward the target's samples (turns the S_eps metric on). */
  sampleBased: boolean;
}

interface Deferred<T> {
  promise: Promise<T | undefined>;
  resolve(v: T | undefined): void;
  reject(e: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (v: T | undefined) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T | undefined>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class GpuMetrics implements MetricBackend<GPUBuffer> {
  private readonly res: GpuResources;
  private readonly x: GPUBuffer;
  private readonly scores: GPUBuffer;
  private readonly ksdRowsBuf: GPUBuffer;
  private readonly samples: GPUBuffer;
  private nSamples = 0;
  /** MMDs whose yy rows are recomputed at their next measure (the samples changed). */
  private readonly yyDirty = new Set<MmdMetric>();
  private readonly evalK: TargetEval;
  private readonly ksdK: KsdRows;
  private readonly ksdBG: GPUBindGroup;
  private readonly evalBG: GPUBindGroup;
  private readonly gauss: MmdMetric;
  private readonly energyK: MmdMetric;
  private torusL2: TorusL2Metric | undefined;
  private readonly sinkhorn: GpuSinkhornMeasure;
  private target: TargetInstance | undefined;
  private targetUniform: GPUBuffer | undefined;
  private targetBG: GPUBindGroup | undefined;
  private staging: Readback | undefined;
  /** One measurement at a time: the staging buffer is mapped until its read settles. */
  private readonly lock = new Lock();
  private destroyed = false;

  constructor(private readonly device: GPUDevice, private readonly options: GpuMetricsOptions) {
    const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
    const res = (this.res = new GpuResources(device, 'GpuMetrics'));
    const cap = METRIC_SUBSAMPLE;
    this.x = res.buffer('points', 8 * cap, S | CS | CD);
    this.scores = res.buffer('scores', 16 * cap, S);
    this.ksdRowsBuf = res.buffer('ksdRows', 4 * cap, S | CS);
    this.samples = res.buffer('targetSamples', 8 * TARGET_SAMPLES, S | CS | CD);
    this.evalK = res.track(new TargetEval(device));
    this.ksdK = res.track(new KsdRows(device));
    this.evalBG = this.evalK.bindIO(this.x, this.scores);
    this.ksdBG = this.ksdK.bindIO(this.x, this.scores, this.ksdRowsBuf);
    this.gauss = res.track(new MmdMetric(device, this.x, cap, this.samples, TARGET_SAMPLES, { kernel: 'gaussian', bw2: MMD_BANDWIDTH ** 2, label: 'GpuMetrics.mmd' }));
    this.energyK = res.track(new MmdMetric(device, this.x, cap, this.samples, TARGET_SAMPLES, { kernel: 'energy', bw2: 1, label: 'GpuMetrics.energy' }));
    this.sinkhorn = res.track(new GpuSinkhornMeasure(device));
  }

  /** The target and the samples to compare against (at most TARGET_SAMPLES points; undefined: none). */
  setTarget(target: TargetInstance, samples: Float64Array | undefined): void {
    if (this.destroyed) return;
    this.target = target;
    const packed = packTargetUniform(target.packed);
    if (!this.targetUniform || this.targetUniform.size < packed.byteLength) {
      this.targetUniform = this.res.buffer('target', packed.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.targetBG = bindBuffers(this.device, 'GpuMetrics.target', targetLayout(this.device), [this.targetUniform]);
    }
    this.device.queue.writeBuffer(this.targetUniform, 0, packed);
    const m = samples ? Math.min(samples.length / 2, TARGET_SAMPLES) : 0;
    this.nSamples = m;
    if (samples && m > 0) this.device.queue.writeBuffer(this.samples, 0, Float32Array.from(samples.subarray(0, 2 * m)));
    this.yyDirty.add(this.gauss).add(this.energyK);
  }

  plan(): MetricPlan {
    return metricPlan({
      domain: this.options.domain,
      sampleOnly: this.target?.sampleOnly === true,
      landscape: this.target?.landscape !== undefined,
      hasSamples: this.nSamples > 0,
      sampleBased: this.options.sampleBased,
    });
  }

  /** The plan's metrics of the first n points of `points` (array<vec2f>); undefined if destroyed first. */
  measure(points: GPUBuffer, n: number): Promise<MetricValues | undefined> {
    return this.lock.run(() => measureMetrics(this, this.plan(), points, n));
  }

  /** measureMetrics' entry (use measure(), which serialises the batches). */
  begin(points: GPUBuffer, n: number): MetricBatch | undefined {
    const target = this.target;
    const targetBG = this.targetBG;
    if (this.destroyed || !target || !targetBG || n < 1) return undefined;
    const m = Math.min(n, METRIC_SUBSAMPLE);
    const M = this.nSamples;
    const enc = this.device.createCommandEncoder({ label: 'GpuMetrics.measure' });
    enc.copyBufferToBuffer(points, 0, this.x, 0, 8 * m);
    const pass = enc.beginComputePass({ label: 'GpuMetrics.pass' });
    /** Row arrays to copy out, each with its deferred result. */
    const copies: { src: GPUBuffer; bytes: number; done: (bytes: ArrayBuffer | undefined, offset: number) => void; fail: (e: unknown) => void }[] = [];
    let sinkhorn: Deferred<SinkhornResult> | undefined;
    const needSamples = (): void => {
      if (M < 1) throw new Error('GpuMetrics: this metric needs target samples (setTarget with samples)');
    };
    const mmdLike = (k: MmdMetric): Promise<number | undefined> => {
      needSamples();
      k.setSizes(m, M);
      k.encode(pass, this.yyDirty.delete(k));
      const d = deferred<number>();
      copies.push({ src: k.rows, bytes: k.rowsBytes, done: (b, off) => d.resolve(b ? k.fromRows(b, off) : undefined), fail: d.reject });
      return d.promise;
    };
    return {
      ksd: () => {
        this.evalK.setParams({ n: m });
        this.ksdK.configure(m);
        this.evalK.encode(pass, this.evalBG, targetBG, m);
        this.ksdK.encode(pass, this.ksdBG, m);
        const d = deferred<number>();
        copies.push({ src: this.ksdRowsBuf, bytes: 4 * m, done: (b, off) => d.resolve(b ? ksdFromRows(new Float32Array(b, off, m), m) : undefined), fail: d.reject });
        return d.promise;
      },
      energy: () => mmdLike(this.energyK),
      mmd: () => mmdLike(this.gauss),
      l2: () => {
        const l2 = (this.torusL2 ??= this.res.track(new TorusL2Metric(this.device, undefined, n)));
        l2.encode(pass, points, n);
        const d = deferred<number>();
        copies.push({ src: l2.coef, bytes: l2.coefBytes, done: (b, off) => d.resolve(b ? l2.fromModes(b, target, off) : undefined), fail: d.reject });
        return d.promise;
      },
      sinkhorn: () => {
        needSamples();
        sinkhorn = deferred();
        return sinkhorn.promise;
      },
      run: () => {
        pass.end();
        const offsets: number[] = [];
        let total = 0;
        for (const c of copies) {
          offsets.push(total);
          total += Math.ceil(c.bytes / 4) * 4;
        }
        const staging = this.stagingFor(total);
        copies.forEach((c, i) => enc.copyBufferToBuffer(c.src, 0, staging.buffer, offsets[i] ?? 0, Math.ceil(c.bytes / 4) * 4));
        this.device.queue.submit([enc.finish()]);
        if (sinkhorn) {
          // after the submit above (it wrote this.x): S_eps between the first min(m, 512) points and min(M, 512) samples
          const s = sinkhorn;
          this.sinkhorn.measure(this.x, Math.min(m, SINKHORN_SUBSAMPLE), this.samples, Math.min(M, SINKHORN_SUBSAMPLE), viewDiameter(target))
            .then(s.resolve, s.reject);
        }
        if (copies.length === 0) return;
        void staging.read(total).then(
          (bytes) => copies.forEach((c, i) => {
            try {
              c.done(bytes, offsets[i] ?? 0);
            } catch (e) {
              c.fail(e);
            }
          }),
          (e: unknown) => copies.forEach((c) => c.fail(e)),
        );
      },
    };
  }

  /** One staging buffer for all row arrays, grown when a larger batch needs it. */
  private stagingFor(bytes: number): Readback {
    if (!this.staging || this.staging.bytes < bytes) {
      this.staging?.destroy();
      this.staging = this.res.readback('staging', Math.max(bytes, 4));
    }
    return this.staging;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.res.destroy();
  }
}

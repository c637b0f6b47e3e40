/**
 * The metrics on the GPU, for any point set in a GPU buffer: `measure(points, n)`. The first
 * m = min(n, METRIC_SUBSAMPLE) points are copied into an own buffer (GpuMetricHost.x), then one
 * compute pass records each planned metric of the registry (src/metrics/registry.ts; its GPU state
 * is made at its first use), e.g.
 *   KSD      targetEval + ksdRows (shaders/ksdRows.wgsl)
 *   energy   mmdRows with the energy kernel (xx, xy; yy once per target)
 *   MMD^2    mmdRows with the Gaussian kernel (xx, xy; yy once per target)
 *   L2       torusDft over all n points (torus runs)
 * and every row array is copied into ONE staging buffer (`Readback`: a read pending at destroy()
 * resolves to undefined, so measure() resolves to undefined and nothing rejects). A metric with its
 * own loop (the Sinkhorn divergence, src/metrics/sinkhorn.ts) runs it after the submit. Sums finish
 * in float64 on the CPU with the twins' formulas (ksdFromRows, mmdFromRows, l2FromModes).
 */
import { GpuResources, Lock, type Readback } from '../gpu/buffers';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { packTargetUniform } from '../targets/pack';
import type { TargetInstance } from '../targets/types';
import { measureMetrics, type MetricBackend, type MetricBatch, type MetricValues } from './measure';
import { planOf } from './plan';
import { metrics } from './registry';
import { METRIC_SUBSAMPLE, TARGET_SAMPLES } from './settings';
import type { GpuMetric, GpuMetricHost, MetricDef } from './types';

export interface GpuMetricsOptions {
  domain: 'plane' | 'torus';
  /** The measured points flow toward the target's samples (turns the S_eps metric on). */
  sampleBased: boolean;
  /** The metrics to measure (those whose appliesTo holds): the registry's by default; a test may pass its own. */
  metrics?: readonly MetricDef[];
  /**
   * A live run (the engine's): at setTarget the plan's pipelines are compiled ahead in the background
   * (createComputePipelineAsync; the metrics' own pipelines then come from the driver's cache), and
   * the first measure leaves out the slow metrics (MetricDef.slow: the Sinkhorn loop), so the first
   * point of the cheap ones comes without waiting for them. Off by default (tests, the CLI).
   */
  live?: boolean;
}

export class GpuMetrics implements MetricBackend<GPUBuffer> {
  private readonly res: GpuResources;
  private readonly host: GpuMetricHost;
  private nSamples = 0;
  /** Each metric's GPU state, made at its first measure. */
  private readonly impls = new Map<string, GpuMetric>();
  private readonly defs: readonly MetricDef[];
  private target: TargetInstance | undefined;
  private targetUniform: GPUBuffer | undefined;
  private targetBG: GPUBindGroup | undefined;
  private staging: Readback | undefined;
  /** One measurement at a time: the staging buffer is mapped until its read settles. */
  private readonly lock = new Lock();
  private destroyed = false;
  /** Measures started (a live run's first leaves out the slow metrics). */
  private measures = 0;
  private warmed = false;
  /** Settles when the warm-up's compiles have (tests wait on it). */
  warmUpDone: Promise<void> = Promise.resolve();

  constructor(private readonly device: GPUDevice, private readonly options: GpuMetricsOptions) {
    const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
    const res = (this.res = new GpuResources(device, 'GpuMetrics'));
    this.defs = options.metrics ?? metrics;
    this.host = {
      device,
      res,
      x: res.buffer('points', 8 * METRIC_SUBSAMPLE, S | CS | CD),
      samples: res.buffer('targetSamples', 8 * TARGET_SAMPLES, S | CS | CD),
    };
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
    if (samples && m > 0) this.device.queue.writeBuffer(this.host.samples, 0, Float32Array.from(samples.subarray(0, 2 * m)));
    for (const impl of this.impls.values()) impl.samplesChanged?.();
    if (this.options.live && !this.warmed) {
      this.warmed = true;
      this.warmUp();
    }
  }

  /**
   * Compile the pipelines of the plan's metrics not made yet, in the background: each metric's GPU
   * state is built once on a throwaway host whose device answers createComputePipeline with
   * createComputePipelineAsync (the pipeline itself is never used; the throwaway buffers are destroyed
   * at once). The real state, made at the first measure, then finds its pipelines compiled. Best
   * effort: a failure or a device destroyed meanwhile is ignored (the first measure compiles as before).
   */
  private warmUp(): void {
    const device = this.device;
    const pending: Promise<unknown>[] = [];
    const warmCreate = (desc: GPUComputePipelineDescriptor): GPUComputePipeline => {
      pending.push(device.createComputePipelineAsync(desc).catch(() => undefined));
      return { label: desc.label ?? '', __brand: 'GPUComputePipeline', getBindGroupLayout: () => { throw new Error('GpuMetrics.warmUp: a warm-up pipeline is never used'); } } as unknown as GPUComputePipeline;
    };
    const proxy = new Proxy(device, {
      get: (t, k) => {
        if (k === 'createComputePipeline') return warmCreate;
        const v: unknown = Reflect.get(t, k, t);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    const plan = this.plan();
    for (const def of this.defs) {
      if (plan[def.id] !== true || this.impls.has(def.id) || 'none' in def.gpu) continue;
      const res = new GpuResources(proxy, `GpuMetrics.warmUp.${def.id}`);
      try {
        const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
        const host: GpuMetricHost = { device: proxy, res, x: res.buffer('points', 8, S | CS | CD), samples: res.buffer('targetSamples', 8, S | CS | CD) };
        def.gpu(host).destroy?.();
      } catch {
        // best effort: the first measure builds this metric as before
      } finally {
        res.destroy();
      }
    }
    this.warmUpDone = Promise.all(pending).then(() => undefined);
  }

  /** Which of the metrics apply now, by id. */
  plan(): Record<string, boolean> {
    return planOf(this.defs, {
      domain: this.options.domain,
      sampleOnly: this.target?.sampleOnly === true,
      landscape: this.target?.landscape !== undefined,
      hasSamples: this.nSamples > 0,
      sampleBased: this.options.sampleBased,
    });
  }

  /** The plan's metrics of the first n points of `points` (array<vec2f>); undefined if destroyed first. */
  measure(points: GPUBuffer, n: number): Promise<MetricValues | undefined> {
    const plan = this.plan();
    if (this.options.live && this.measures === 0) for (const d of this.defs) if (d.slow) plan[d.id] = false;
    this.measures++;
    return this.lock.run(() => measureMetrics(this, plan, points, n, this.defs));
  }

  /** The GPU state of `def`, made at its first use. */
  private impl(def: MetricDef): GpuMetric {
    let impl = this.impls.get(def.id);
    if (!impl) {
      if ('none' in def.gpu) throw new Error(`GpuMetrics: the ${def.id} metric has no GPU implementation (${def.gpu.none})`);
      impl = def.gpu(this.host);
      if (impl.destroy) this.res.track({ destroy: () => impl?.destroy?.() });
      this.impls.set(def.id, impl);
    }
    return impl;
  }

  /** measureMetrics' entry (use measure(), which serialises the batches). */
  begin(points: GPUBuffer, n: number): MetricBatch | undefined {
    const target = this.target;
    const targetBG = this.targetBG;
    if (this.destroyed || !target || !targetBG || n < 1) return undefined;
    const m = Math.min(n, METRIC_SUBSAMPLE);
    const M = this.nSamples;
    const enc = this.device.createCommandEncoder({ label: 'GpuMetrics.measure' });
    enc.copyBufferToBuffer(points, 0, this.host.x, 0, 8 * m);
    const pass = enc.beginComputePass({ label: 'GpuMetrics.pass' });
    /** Row arrays to copy out, each with what to do with its bytes. */
    const copies: { src: GPUBuffer; bytes: number; done: (bytes: ArrayBuffer | undefined, offset: number) => void; fail: (e: unknown) => void }[] = [];
    /** Work to start after the submit (metrics with their own loop). */
    const after: (() => void)[] = [];
    const batch = {
      pass, points, n, m, M, target, targetBG,
      readBack: <T>(src: GPUBuffer, bytes: number, decode: (bytes: ArrayBuffer, offset: number) => T): Promise<T | undefined> =>
        new Promise<T | undefined>((resolve, reject) => {
          copies.push({ src, bytes, done: (b, off) => resolve(b ? decode(b, off) : undefined), fail: reject });
        }),
      afterSubmit: <T>(f: () => Promise<T | undefined>): Promise<T | undefined> =>
        new Promise<T | undefined>((resolve, reject) => {
          after.push(() => f().then(resolve, reject));
        }),
    };
    return {
      measure: (def) => {
        if (def.needsSamples && M < 1) throw new Error(`GpuMetrics: the ${def.id} metric needs target samples (setTarget with samples)`);
        return this.impl(def).measure(batch);
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
        // after the submit above (it wrote host.x)
        for (const f of after) f();
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

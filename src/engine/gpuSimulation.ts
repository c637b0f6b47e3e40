/**
 * One run on the GPU. Particles live in two storage buffers (ping-pong) from creation to destroy():
 * step() records `count` steps into one compute pass and submits; nothing is created or read back
 * per step. stats() reduces on the GPU and reads back a few bytes (with the method's 'stats'
 * readouts); metrics() hands the current positions to the metrics layer (src/metrics/gpu.ts).
 * Every read-back goes through a `Readback` (src/gpu/buffers.ts): destroy() while one is pending
 * resolves it quietly (stats/metrics with `stale: true`, positions with an empty array).
 * Asynchronous steppers (GpuStepper.stepAsync: the landscape methods, whose steps read back a few
 * numbers) are chained instead: step() queues them, stepCount counts the finished ones, finish()
 * awaits the chain (and rethrows a step's failure), setPositions() waits its turn in the chain.
 */
import { ClockTick } from '../kernels/clockTick';
import { ParticleStats } from '../kernels/particleStats';
import { GpuResources, Lock, type Readback } from '../gpu/buffers';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { GpuMetrics } from '../metrics/gpu';
import { targetSamples } from '../metrics/settings';
import { momentsFromSums } from '../reference/particleStats';
import { packTargetUniform } from '../targets/pack';
import type { TargetInstance } from '../targets/types';
import type { GpuReadout, GpuStepper, Readouts } from '../methods/types';
import { clockTick } from '../reference/clockTick';
import { checkStepSize, resolveRun, resolveTarget, targetCloud } from './config';
import { factsOf, gpuRefusal, runsOn, type Placement } from './compat';
import { ConfigError, staleStats, withMetricsReadouts, withStatsReadouts, type BackendInfo, type Metrics, type ParticleStats as Stats, type RunConfig, type Simulation, type TargetConfig } from './types';

/** Bytes of the reduced statistics (particleStats' result: 8 f32 sums). */
const STATS_BYTES = 32;

export class GpuSimulation implements Simulation {
  readonly n: number;
  private readonly device: GPUDevice;
  private readonly res: GpuResources;
  private readonly pos: [GPUBuffer, GPUBuffer];
  private cur: 0 | 1 = 0;
  private steps = 0;
  private _config: RunConfig;
  private target: TargetInstance;
  private readonly stepper: GpuStepper;
  /** Where the steps run (WGSL or the float64 twin on the host), and why: decided once by compat.ts runsOn. */
  readonly placement: Placement;
  /** Sample-based methods: the target cloud (capacity fixed at creation). */
  private readonly cloud: { buffer: GPUBuffer; m: number } | undefined;
  private readonly targetUniform: GPUBuffer;
  private readonly targetBG: GPUBindGroup;
  private readonly clockBG: GPUBindGroup;
  private readonly tick: ClockTick;
  // stats: the 32-byte reduction, then the stepper's 'stats' readout region, in one staging buffer
  private readonly statsK: ParticleStats;
  private readonly statsBG: [GPUBindGroup, GPUBindGroup];
  private readonly statsResult: GPUBuffer;
  private readonly statsStaging: Readback;
  private readonly statsLock = new Lock();
  // metrics: the metrics layer, and the stepper's 'metrics' readouts (own staging, made on first use)
  private readonly metricsK: GpuMetrics;
  private metricsReadoutStaging: Readback | undefined;
  private readonly metricsLock = new Lock();
  // read-back of positions (made on first use, then reused)
  private posStaging: Readback | undefined;
  private readonly posLock = new Lock();
  private destroyed = false;
  // asynchronous steppers: the chain of queued steps, the host clock, a failure for finish()
  private chain: Promise<void> = Promise.resolve();
  private clock = 0;
  private failure: { error: unknown } | undefined;

  constructor(readonly backend: BackendInfo, device: GPUDevice, config: RunConfig, live = false) {
    const run = resolveRun(config, backend.maxParticles);
    // what only the host can evaluate (host functions without WGSL) is refused here, by name
    const noGpu = gpuRefusal(factsOf(run.target), config.target.id);
    if (noGpu) throw new ConfigError(noGpu.field, noGpu.message);
    // (usage flags read here, not at module load: in Node the GPU globals appear only once Dawn is loaded)
    const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
    this.device = device;
    this.n = config.n;
    this._config = config;
    this.target = run.target;
    const n = this.n;
    const res = (this.res = new GpuResources(device, 'GpuSimulation'));
    this.pos = [res.buffer('pos0', 8 * n, S | CS | CD | GPUBufferUsage.VERTEX), res.buffer('pos1', 8 * n, S | CS | CD | GPUBufferUsage.VERTEX)];
    device.queue.writeBuffer(this.pos[0], 0, Float32Array.from(run.initial));
    const scores = res.buffer('scores', 16 * n, S);
    const clock = res.buffer('clock', 16, S | CD);
    const packed = packTargetUniform(this.target.packed);
    this.targetUniform = res.buffer('target', packed.byteLength, GPUBufferUsage.UNIFORM | CD);
    this.targetBG = bindBuffers(device, 'Target', targetLayout(device), [this.targetUniform]);
    this.tick = res.track(new ClockTick(device));
    this.clockBG = this.tick.bind([clock]);
    if (run.cloud) {
      const m = run.cloud.length / 2;
      this.cloud = { buffer: res.buffer('targetCloud', 8 * m, S | CD), m };
      device.queue.writeBuffer(this.cloud.buffer, 0, Float32Array.from(run.cloud));
    }
    this.placement = runsOn(run.method, run.methodParams, 'gpu');
    this.stepper = res.track(run.method.createGpu(
      { device, pos: this.pos, scores, clock, ...(this.cloud ? { cloud: this.cloud } : {}), ...(this.target.packed.shader ? { targetShader: this.target.packed.shader } : {}) },
      { n, stepSize: config.stepSize, seed: config.seed, params: run.methodParams, domain: run.domain, ...(run.cloud ? { cloud: run.cloud } : {}), ...(run.landscape ? { landscape: run.landscape } : {}) },
    ));
    // stats
    this.statsK = res.track(new ParticleStats(device));
    this.statsK.configure(n);
    const partials = res.buffer('statsPartials', ParticleStats.partialsBytes(n), S);
    this.statsResult = res.buffer('statsResult', STATS_BYTES, S | CS);
    this.statsBG = [this.statsK.bindIO(this.pos[0], partials, this.statsResult), this.statsK.bindIO(this.pos[1], partials, this.statsResult)];
    this.statsStaging = res.readback('statsStaging', STATS_BYTES + (this.stepper.readouts?.stats?.region().bytes ?? 0));
    // metrics on any point set: here the current positions
    this.metricsK = res.track(new GpuMetrics(device, { domain: run.domain, sampleBased: run.method.needs === 'samples', live }));
    this.uploadTarget();
  }

  get config(): RunConfig {
    return this._config;
  }

  get stepCount(): number {
    return this.steps;
  }

  /**
   * Where the method's steps run: 'gpu' (WGSL) or 'cpu' (its float64 twin on the host, e.g. jko):
   * compat.ts runsOn(), the one rule, for this run's method and parameters.
   */
  get stepperRunsOn(): 'gpu' | 'cpu' {
    return this.placement.runsOn === 'host' ? 'cpu' : 'gpu';
  }

  /** The buffer holding the current positions (array<vec2f>); alternates between two buffers. */
  getPositionBuffer(): GPUBuffer {
    return this.pos[this.cur];
  }

  private uploadTarget(): void {
    this.device.queue.writeBuffer(this.targetUniform, 0, packTargetUniform(this.target.packed));
    this.metricsK.setTarget(this.target, targetSamples(this.target, this._config.seed));
  }

  step(count: number): void {
    if (this.destroyed || count <= 0) return;
    const stepAsync = this.stepper.stepAsync?.bind(this.stepper);
    if (stepAsync) {
      this.enqueue(async () => {
        for (let k = 0; k < count && !this.destroyed && !this.failure; k++) {
          this.cur = await stepAsync(this.cur, this.clock);
          this.clock = clockTick(this.clock);
          this.steps++;
        }
      });
      return;
    }
    const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.step' });
    const pass = enc.beginComputePass({ label: 'GpuSimulation.steps' });
    for (let k = 0; k < count; k++) {
      this.cur = this.stepper.encode(pass, this.cur, this.targetBG);
      this.tick.encode(pass, this.clockBG);
    }
    pass.end();
    this.device.queue.submit([enc.finish()]);
    this.steps += count;
  }

  /** Queue work behind the asynchronous steps; a failure is kept for finish(), later work is skipped. */
  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.destroyed || this.failure) return;
      try {
        await work();
      } catch (error) {
        if (!this.destroyed) this.failure = { error };
      }
    });
  }

  setTarget(t: TargetConfig): void {
    const target = resolveTarget(t);
    const noGpu = gpuRefusal(factsOf(target), t.id);
    if (noGpu) throw new ConfigError(noGpu.field, noGpu.message);
    // a formula target's pipelines are built for its WGSL (PackedTarget.shader): another structure
    // needs new ones, i.e. a new run (the engine restarts on this error); a moved parameter does not
    if (target.packed.shader?.key !== this.target.packed.shader?.key || target.landscape?.shader?.key !== this.target.landscape?.shader?.key) throw new Error(`target '${t.id}': the formula's structure changed, its GPU pipelines are rebuilt by a new run`);
    if (Boolean(target.landscape) !== Boolean(this.target.landscape)) throw new ConfigError('target', `target '${t.id}' is ${target.landscape ? 'an energy landscape' : 'a density'} and this run's method is not: choose a method for it`);
    if (target.landscape) {
      const L = target.landscape;
      if (this.stepper.stepAsync) this.enqueue(() => Promise.resolve(this.stepper.setLandscape?.(L)));
      else this.stepper.setLandscape?.(L);
    }
    if (this.cloud) {
      const ys = targetCloud(target, this._config.seed, this.cloud.m);
      if (!ys) throw new Error(`target '${t.id}' has no samples for ${this._config.method}`);
      if (ys.length / 2 > this.cloud.m) throw new Error(`the new target cloud has ${ys.length / 2} points, more than this run's ${this.cloud.m}: reset the run`);
      this.device.queue.writeBuffer(this.cloud.buffer, 0, Float32Array.from(ys));
      this.stepper.setCloud?.(ys.length / 2);
    }
    this.target = target;
    this._config = { ...this._config, target: t };
    this.uploadTarget();
  }

  setStepSize(h: number): void {
    checkStepSize(h);
    this.stepper.setStepSize(h);
    this._config = { ...this._config, stepSize: h };
  }

  /** Resolves with an empty array when the simulation is destroyed before the read completes. */
  positions(): Promise<Float32Array> {
    return this.posLock.run(async () => {
      if (this.destroyed) return new Float32Array(0);
      const bytes = 8 * this.n;
      const staging = (this.posStaging ??= this.res.readback('posStaging', bytes));
      const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.readPositions' });
      enc.copyBufferToBuffer(this.pos[this.cur], 0, staging.buffer, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      const data = await staging.read(bytes);
      return data ? new Float32Array(data) : new Float32Array(0);
    });
  }

  setPositions(data: Float32Array | Float64Array, stepCount?: number): void {
    if (data.length !== 2 * this.n) throw new Error(`setPositions: expected ${2 * this.n} numbers, got ${data.length}`);
    if (this.destroyed) return;
    const write = (): void => {
      this.device.queue.writeBuffer(this.pos[this.cur], 0, Float32Array.from(data));
      this.stepper.positionsChanged?.();
      if (stepCount !== undefined) this.steps = stepCount;
    };
    if (this.stepper.stepAsync) this.enqueue(() => Promise.resolve(write()));
    else write();
  }

  /** Record the copy of a stepper readout region into dst at offset (and its reset). */
  private copyReadout(enc: GPUCommandEncoder, r: GpuReadout, dst: GPUBuffer, offset: number): number {
    const { buffer, offset: src, bytes } = r.region();
    enc.copyBufferToBuffer(buffer, src, dst, offset, bytes);
    if (r.resetOnRead) enc.clearBuffer(buffer, src, bytes);
    return bytes;
  }

  /** Stale (`stale: true`) when the simulation is destroyed before the read completes. */
  stats(): Promise<Stats> {
    return this.statsLock.run(async () => {
      const step = this.steps;
      if (this.destroyed) return staleStats(step);
      const readout = this.stepper.readouts?.stats;
      const staging = this.statsStaging;
      const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.stats' });
      const pass = enc.beginComputePass();
      this.statsK.encode(pass, this.statsBG[this.cur], this.n);
      pass.end();
      enc.copyBufferToBuffer(this.statsResult, 0, staging.buffer, 0, STATS_BYTES);
      const extra = readout ? this.copyReadout(enc, readout, staging.buffer, STATS_BYTES) : 0;
      this.device.queue.submit([enc.finish()]);
      const data = await staging.read(STATS_BYTES + extra);
      if (!data) return staleStats(step);
      const out: Stats = { step, ...momentsFromSums(Array.from(new Float32Array(data, 0, 8))) };
      if (readout) withStatsReadouts(out, readout.decode(data.slice(STATS_BYTES)));
      const host = this.stepper.hostReadouts?.('stats');
      if (host && Object.keys(host).length > 0) withStatsReadouts(out, { ...out.readouts, ...host });
      return out;
    });
  }

  /** The stepper's readouts for `when` (after at least one step); undefined when destroyed meanwhile. */
  private async readMetricsReadouts(step: number): Promise<Readouts | undefined> {
    const r = step > 0 ? this.stepper.readouts?.metrics : undefined;
    if (!r) return step > 0 ? (this.stepper.hostReadouts?.('metrics') ?? {}) : {};
    const bytes = r.region().bytes;
    if (!this.metricsReadoutStaging || this.metricsReadoutStaging.bytes < bytes) {
      this.metricsReadoutStaging?.destroy();
      this.metricsReadoutStaging = this.res.readback('metricsReadouts', bytes);
    }
    const staging = this.metricsReadoutStaging;
    const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.metricsReadouts' });
    this.copyReadout(enc, r, staging.buffer, 0);
    this.device.queue.submit([enc.finish()]);
    const data = await staging.read(bytes);
    return data ? r.decode(data) : undefined;
  }

  /** Stale (`stale: true`, no metric) when the simulation is destroyed before the reads complete. */
  metrics(): Promise<Metrics> {
    return this.metricsLock.run(async () => {
      const step = this.steps;
      if (this.destroyed) return { step, stale: true };
      const [values, readouts] = await Promise.all([this.metricsK.measure(this.pos[this.cur], this.n), this.readMetricsReadouts(step)]);
      if (!values || !readouts || this.destroyed) return { step, stale: true };
      return withMetricsReadouts({ step, ...values }, readouts);
    });
  }

  async finish(): Promise<void> {
    await this.chain;
    const f = this.failure;
    if (f) {
      this.failure = undefined;
      throw f.error instanceof Error ? f.error : new Error(String(f.error));
    }
    if (this.destroyed) return;
    await this.device.queue.onSubmittedWorkDone();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.res.destroy();
  }
}

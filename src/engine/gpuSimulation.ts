/**
 * One run on the GPU. Particles live in two storage buffers (ping-pong) from creation to destroy():
 * step() records `count` steps into one compute pass and submits; nothing is created or read back
 * per step. stats() and metrics() reduce on the GPU and read back a few bytes.
 */
import { ClockTick } from '../kernels/clockTick';
import { DistRows } from '../kernels/distRows';
import { KsdRows } from '../kernels/ksdRows';
import { ParticleStats } from '../kernels/particleStats';
import { TargetEval } from '../kernels/targetEval';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { energyFromRows } from '../reference/distRows';
import { ksdFromRows } from '../reference/ksdRows';
import { momentsFromSums } from '../reference/particleStats';
import { packTargetUniform } from '../targets/pack';
import { TARGET_UNIFORM_BYTES, type TargetInstance } from '../targets/types';
import type { GpuStepper } from '../methods/types';
import { MmdMetric } from '../kernels/mmdRows';
import { TorusL2Metric } from '../kernels/torusL2';
import { mmdFromRows } from '../reference/mmdRows';
import { createGpuSinkhornMetric, type GpuSinkhornMetric } from '../ot/gpuSinkhorn';
import { checkStepSize, METRIC_SUBSAMPLE, MMD_BANDWIDTH, SINKHORN_METRIC, SINKHORN_SUBSAMPLE, viewDiameter, resolveRun, resolveTarget, TARGET_SAMPLES, targetCloud, targetSamples } from './config';
import type { BackendInfo, Metrics, ParticleStats as Stats, RunConfig, Simulation, TargetConfig } from './types';


/** Serialises async users of one mappable buffer. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class GpuSimulation implements Simulation {
  readonly n: number;
  private readonly device: GPUDevice;
  private readonly owned: GPUBuffer[] = [];
  private readonly pos: [GPUBuffer, GPUBuffer];
  private cur: 0 | 1 = 0;
  private steps = 0;
  private _config: RunConfig;
  private target: TargetInstance;
  private readonly stepper: GpuStepper;
  /** Sample-based methods: the target cloud (capacity fixed at creation). */
  private readonly cloud: { buffer: GPUBuffer; m: number } | undefined;
  private readonly targetUniform: GPUBuffer;
  private readonly targetBG: GPUBindGroup;
  private readonly clockBG: GPUBindGroup;
  private readonly tick: ClockTick;
  // stats
  private readonly statsK: ParticleStats;
  private readonly statsBG: [GPUBindGroup, GPUBindGroup];
  private readonly statsResult: GPUBuffer;
  private readonly counters: GPUBuffer;
  private readonly bw: GPUBuffer;
  private readonly statsStaging: GPUBuffer;
  private readonly statsLock = new Lock();
  // metrics
  private readonly m: number;
  /** Floats per row block in `rows` (m rounded up to 256 bytes). */
  private readonly block: number;
  private readonly metricScores: GPUBuffer;
  private readonly samples: GPUBuffer;
  private nSamples = 0;
  private readonly rows: GPUBuffer;
  private readonly rowsStaging: GPUBuffer;
  private readonly evalK: TargetEval;
  private readonly ksdK: KsdRows;
  private readonly xyK: DistRows;
  private readonly xxK: DistRows;
  private readonly yyK: DistRows;
  /** Copy of the first m particles, taken at each metrics() call (all metric kernels read it). */
  private readonly metricX: GPUBuffer;
  private readonly metricBG: { eval: GPUBindGroup; ksd: GPUBindGroup; xy: GPUBindGroup; xx: GPUBindGroup };
  private mmd: { metric: MmdMetric; staging: GPUBuffer; nSamples: number } | undefined;
  private sinkhorn: { metric: GpuSinkhornMetric; nSamples: number } | undefined;
  /** Torus runs: the L2 distance to the target density over all n particles (both ping-pong buffers bound). */
  private readonly torusL2: { metric: TorusL2Metric; staging: GPUBuffer } | undefined;
  /** The stepper's diagnostics (e.g. the Sinkhorn flow's marginal error), copied at metrics time. */
  private readonly diagStaging: GPUBuffer | undefined;
  private readonly yyBG: GPUBindGroup;
  private readonly metricsLock = new Lock();
  // read-back of positions (created on first use, then reused)
  private posStaging: GPUBuffer | undefined;
  private readonly posLock = new Lock();
  private destroyed = false;

  constructor(readonly backend: BackendInfo, device: GPUDevice, config: RunConfig) {
    const run = resolveRun(config, backend.maxParticles);
    // (usage flags read here, not at module load: in Node the GPU globals appear only once Dawn is loaded)
    const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
    this.device = device;
    this.n = config.n;
    this._config = config;
    this.target = run.target;
    const n = this.n;
    const buf = (label: string, size: number, usage: number): GPUBuffer => {
      const b = device.createBuffer({ label: `GpuSimulation.${label}`, size: Math.max(16, Math.ceil(size / 16) * 16), usage });
      this.owned.push(b);
      return b;
    };
    this.pos = [buf('pos0', 8 * n, S | CS | CD | GPUBufferUsage.VERTEX), buf('pos1', 8 * n, S | CS | CD | GPUBufferUsage.VERTEX)];
    device.queue.writeBuffer(this.pos[0], 0, Float32Array.from(run.initial));
    const scores = buf('scores', 16 * n, S);
    const clock = buf('clock', 16, S | CD);
    this.counters = buf('counters', 16, S | CS | CD);
    this.bw = buf('bw', 16, S | CS | CD);
    device.queue.writeBuffer(this.bw, 0, new Float32Array([1, 0, 0, 0]));
    this.targetUniform = buf('target', TARGET_UNIFORM_BYTES, GPUBufferUsage.UNIFORM | CD);
    this.targetBG = bindBuffers(device, 'Target', targetLayout(device), [this.targetUniform]);
    this.tick = new ClockTick(device);
    this.clockBG = this.tick.bind([clock]);
    if (run.cloud) {
      const m = run.cloud.length / 2;
      this.cloud = { buffer: buf('targetCloud', 8 * m, S | CD), m };
      device.queue.writeBuffer(this.cloud.buffer, 0, Float32Array.from(run.cloud));
    }
    this.stepper = run.method.createGpu(
      { device, pos: this.pos, scores, clock, counters: this.counters, bw: this.bw, ...(this.cloud ? { cloud: this.cloud } : {}) },
      { n, stepSize: config.stepSize, seed: config.seed, params: run.methodParams, domain: run.domain, ...(run.cloud ? { cloud: run.cloud } : {}) },
    );
    // stats
    this.statsK = new ParticleStats(device);
    this.statsK.configure(n);
    const partials = buf('statsPartials', ParticleStats.partialsBytes(n), S);
    this.statsResult = buf('statsResult', 32, S | CS);
    this.statsBG = [this.statsK.bindIO(this.pos[0], partials, this.statsResult), this.statsK.bindIO(this.pos[1], partials, this.statsResult)];
    this.statsStaging = buf('statsStaging', 64, GPUBufferUsage.MAP_READ | CD);
    // metrics on the first m particles
    this.m = Math.min(n, METRIC_SUBSAMPLE);
    this.metricScores = buf('metricScores', 16 * this.m, S);
    this.samples = buf('targetSamples', 8 * TARGET_SAMPLES, S | CS | CD);
    // row blocks [ksd m | xy m | xx m | yy M], each starting on a 256-byte boundary (storage binding alignment)
    this.block = Math.ceil((4 * this.m) / 256) * 64;
    this.rows = buf('metricRows', 4 * (3 * this.block + TARGET_SAMPLES), S | CS);
    this.rowsStaging = buf('metricRowsStaging', 4 * (3 * this.block + TARGET_SAMPLES), GPUBufferUsage.MAP_READ | CD);
    this.evalK = new TargetEval(device);
    this.evalK.setParams({ n: this.m });
    this.ksdK = new KsdRows(device);
    this.ksdK.configure(this.m);
    this.xyK = new DistRows(device);
    this.xxK = new DistRows(device);
    this.xxK.configure(this.m, this.m);
    this.yyK = new DistRows(device);
    const rowBlock = (block: number, len: number): GPUBufferBinding => ({ buffer: this.rows, offset: 4 * this.block * block, size: 4 * len });
    const bindRows = (k: DistRows | KsdRows, a: GPUBuffer, b: GPUBuffer, rows: GPUBufferBinding, label: string): GPUBindGroup => {
      if (!k.uniform) throw new Error('metric kernel without params');
      return device.createBindGroup({
        label, layout: k.layout,
        entries: [{ binding: 0, resource: { buffer: k.uniform } }, { binding: 1, resource: { buffer: a } }, { binding: 2, resource: { buffer: b } }, { binding: 3, resource: rows }],
      });
    };
    this.metricX = buf('metricX', 8 * this.m, S | CS | CD);
    const x = this.metricX;
    this.metricBG = {
      eval: this.evalK.bindIO(x, this.metricScores),
      ksd: bindRows(this.ksdK, x, this.metricScores, rowBlock(0, this.m), 'ksdRows'),
      xy: bindRows(this.xyK, x, this.samples, rowBlock(1, this.m), 'xyRows'),
      xx: bindRows(this.xxK, x, x, rowBlock(2, this.m), 'xxRows'),
    };
    this.yyBG = bindRows(this.yyK, this.samples, this.samples, rowBlock(3, TARGET_SAMPLES), 'yyRows');
    if (this.stepper.diagnostics) this.diagStaging = buf('diagnosticsStaging', this.stepper.diagnostics.bytes, GPUBufferUsage.MAP_READ | CD);
    if (run.domain === 'torus') {
      const metric = new TorusL2Metric(device, this.pos, n);
      this.torusL2 = { metric, staging: buf('torusL2Staging', metric.coefBytes, GPUBufferUsage.MAP_READ | CD) };
    }
    this.uploadTarget();
  }

  get config(): RunConfig {
    return this._config;
  }

  get stepCount(): number {
    return this.steps;
  }

  /** The buffer holding the current positions (array<vec2f>); alternates between two buffers. */
  getPositionBuffer(): GPUBuffer {
    return this.pos[this.cur];
  }

  private uploadTarget(): void {
    this.device.queue.writeBuffer(this.targetUniform, 0, packTargetUniform(this.target.packed));
    const ys = targetSamples(this.target, this._config.seed);
    this.nSamples = ys ? ys.length / 2 : 0;
    if (ys) {
      this.device.queue.writeBuffer(this.samples, 0, Float32Array.from(ys));
      this.xyK.configure(this.m, this.nSamples);
      this.yyK.configure(this.nSamples, this.nSamples);
    }
  }

  step(count: number): void {
    if (this.destroyed || count <= 0) return;
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

  setTarget(t: TargetConfig): void {
    const target = resolveTarget(t);
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

  positions(): Promise<Float32Array> {
    return this.posLock.run(async () => {
      const bytes = 8 * this.n;
      this.posStaging ??= (() => {
        const b = this.device.createBuffer({ label: 'GpuSimulation.posStaging', size: Math.ceil(bytes / 16) * 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        this.owned.push(b);
        return b;
      })();
      const staging = this.posStaging;
      const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.readPositions' });
      enc.copyBufferToBuffer(this.pos[this.cur], 0, staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      return out;
    });
  }

  setPositions(data: Float32Array | Float64Array, stepCount?: number): void {
    if (data.length !== 2 * this.n) throw new Error(`setPositions: expected ${2 * this.n} numbers, got ${data.length}`);
    this.device.queue.writeBuffer(this.pos[this.cur], 0, Float32Array.from(data));
    if (stepCount !== undefined) this.steps = stepCount;
  }

  stats(): Promise<Stats> {
    return this.statsLock.run(async () => {
      const step = this.steps;
      const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.stats' });
      const pass = enc.beginComputePass();
      this.statsK.encode(pass, this.statsBG[this.cur], this.n);
      pass.end();
      enc.copyBufferToBuffer(this.statsResult, 0, this.statsStaging, 0, 32);
      enc.copyBufferToBuffer(this.counters, 0, this.statsStaging, 32, 16);
      enc.copyBufferToBuffer(this.bw, 0, this.statsStaging, 48, 16);
      enc.clearBuffer(this.counters);
      this.device.queue.submit([enc.finish()]);
      await this.statsStaging.mapAsync(GPUMapMode.READ);
      const range = this.statsStaging.getMappedRange();
      const f = new Float32Array(range.slice(0));
      const u = new Uint32Array(range.slice(32, 48));
      this.statsStaging.unmap();
      const out: Stats = { step, ...momentsFromSums(Array.from(f.subarray(0, 8))) };
      if (this.stepper.reportsAcceptance && (u[1] ?? 0) > 0) out.acceptance = (u[0] ?? 0) / (u[1] ?? 1);
      if (this.stepper.reportsBandwidth) out.bandwidth = Math.sqrt(f[12] ?? NaN);
      return out;
    });
  }

  metrics(): Promise<Metrics> {
    return this.metricsLock.run(async () => {
      const step = this.steps;
      const bg = this.metricBG;
      const nS = this.nSamples;
      const mmd = nS > 0 ? this.mmdMetric(nS) : undefined;
      const enc = this.device.createCommandEncoder({ label: 'GpuSimulation.metrics' });
      enc.copyBufferToBuffer(this.pos[this.cur], 0, this.metricX, 0, 8 * this.m);
      const pass = enc.beginComputePass();
      mmd?.metric.encode(pass);
      // On the torus the plane RBF Stein kernel is not periodic (its Stein identity fails at the cell's
      // edges), so torus runs report the L2 distance to the target density instead of the KSD.
      const withKsd = !this.target.sampleOnly && this.torusL2 === undefined;
      this.torusL2?.metric.encode(pass, this.cur);
      if (withKsd) {
        this.evalK.encode(pass, bg.eval, this.targetBG, this.m);
        this.ksdK.encode(pass, bg.ksd, this.m);
      }
      if (this.nSamples > 0) {
        this.xyK.encode(pass, bg.xy, this.m);
        this.xxK.encode(pass, bg.xx, this.m);
        this.yyK.encode(pass, this.yyBG, this.nSamples);
      }
      pass.end();
      const B = this.block;
      const bytes = 4 * (3 * B + this.nSamples);
      enc.copyBufferToBuffer(this.rows, 0, this.rowsStaging, 0, bytes);
      if (mmd) enc.copyBufferToBuffer(mmd.metric.rows, 0, mmd.staging, 0, mmd.metric.rowsBytes);
      const l2 = this.torusL2;
      if (l2) enc.copyBufferToBuffer(l2.metric.coef, 0, l2.staging, 0, l2.metric.coefBytes);
      const diag = step > 0 ? this.stepper.diagnostics : undefined;
      if (diag && this.diagStaging) diag.copy(enc, this.diagStaging, 0);
      this.device.queue.submit([enc.finish()]);
      // The Sinkhorn divergence runs its own loop on the GPU (copies metricX and the samples, reads back 8 bytes).
      const sinkhorn = nS > 0 && this.wantsSinkhorn() ? this.sinkhornMetric(nS).measure(this.metricX, this.samples) : undefined;
      await this.rowsStaging.mapAsync(GPUMapMode.READ, 0, bytes);
      const r = new Float32Array(this.rowsStaging.getMappedRange(0, bytes).slice(0));
      this.rowsStaging.unmap();
      let mmdRows: Float32Array | undefined;
      if (mmd) {
        await mmd.staging.mapAsync(GPUMapMode.READ, 0, mmd.metric.rowsBytes);
        mmdRows = new Float32Array(mmd.staging.getMappedRange(0, mmd.metric.rowsBytes).slice(0));
        mmd.staging.unmap();
      }
      let modes: ArrayBuffer | undefined;
      if (l2) {
        await l2.staging.mapAsync(GPUMapMode.READ, 0, l2.metric.coefBytes);
        modes = l2.staging.getMappedRange(0, l2.metric.coefBytes).slice(0);
        l2.staging.unmap();
      }
      let diagData: Float32Array | undefined;
      if (diag && this.diagStaging) {
        await this.diagStaging.mapAsync(GPUMapMode.READ, 0, diag.bytes);
        diagData = new Float32Array(this.diagStaging.getMappedRange(0, diag.bytes).slice(0));
        this.diagStaging.unmap();
      }
      const m = this.m;
      const out: Metrics = { step };
      const d = diag && diagData ? diag.decode(diagData) : undefined;
      if (d?.marginalError !== undefined) out.flowMarginalError = d.marginalError;
      if (l2 && modes) out.l2 = l2.metric.fromModes(modes, this.target);
      if (withKsd) out.ksd = ksdFromRows(r.subarray(0, m), m);
      if (this.nSamples > 0) {
        out.energy = energyFromRows(r.subarray(B, B + m), r.subarray(2 * B, 2 * B + m), r.subarray(3 * B, 3 * B + this.nSamples), m, this.nSamples);
      }
      if (mmd && mmdRows) {
        const [oxx, oyy, oxy] = mmd.metric.offsets;
        out.mmd = mmdFromRows(mmdRows.subarray(oxx / 4, oxx / 4 + m), mmdRows.subarray(oyy / 4, oyy / 4 + nS), mmdRows.subarray(oxy / 4, oxy / 4 + m), m, nS);
      }
      if (sinkhorn) {
        const r = await sinkhorn;
        out.sinkhorn = r.value;
        out.sinkhornIterations = r.iterations;
        out.sinkhornMarginalError = r.marginalError;
      }
      return out;
    });
  }

  /** The Sinkhorn metric is computed for sample-based runs and sample-only targets (it costs a full Sinkhorn loop). */
  private wantsSinkhorn(): boolean {
    return this.cloud !== undefined || this.target.sampleOnly === true;
  }

  private mmdMetric(nSamples: number): { metric: MmdMetric; staging: GPUBuffer; nSamples: number } {
    if (this.mmd?.nSamples !== nSamples) {
      this.mmd?.metric.destroy();
      this.mmd?.staging.destroy();
      const metric = new MmdMetric(this.device, this.metricX, this.m, this.samples, nSamples, { kernel: 'gaussian', bw2: MMD_BANDWIDTH ** 2 });
      const staging = this.device.createBuffer({ label: 'GpuSimulation.mmdStaging', size: Math.ceil(metric.rowsBytes / 16) * 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      this.mmd = { metric, staging, nSamples };
    }
    return this.mmd;
  }

  private sinkhornMetric(nSamples: number): GpuSinkhornMetric {
    if (this.sinkhorn?.nSamples !== nSamples) {
      this.sinkhorn?.metric.destroy();
      const metric = createGpuSinkhornMetric(this.device, {
        ...SINKHORN_METRIC, n: Math.min(this.m, SINKHORN_SUBSAMPLE), m: Math.min(nSamples, SINKHORN_SUBSAMPLE), diameter: viewDiameter(this.target),
      });
      this.sinkhorn = { metric, nSamples };
    }
    return this.sinkhorn.metric;
  }

  async finish(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stepper.destroy();
    for (const k of [this.tick, this.statsK, this.evalK, this.ksdK, this.xyK, this.xxK, this.yyK]) k.destroy();
    for (const b of this.owned) b.destroy();
    this.mmd?.metric.destroy();
    this.mmd?.staging.destroy();
    this.sinkhorn?.metric.destroy();
    this.torusL2?.metric.destroy();
  }
}

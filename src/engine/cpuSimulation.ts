/** The CPU engine: the same methods built from the float64 twins (src/reference), no GPU needed. */
import { distRows, energyFromRows } from '../reference/distRows';
import { ksdFromRows, ksdRows } from '../reference/ksdRows';
import { momentsFromSums, particleStats } from '../reference/particleStats';
import { targetEval } from '../reference/targetEval';
import { clockTick } from '../reference/clockTick';
import type { CpuStepper } from '../methods/types';
import type { TargetInstance } from '../targets/types';
import { mmd2 } from '../reference/mmdRows';
import { torusL2 } from '../reference/torusL2';
import { createCpuSinkhornMetric, type CpuSinkhornMetric } from '../ot/cpuSinkhorn';
import { checkStepSize, METRIC_SUBSAMPLE, MMD_BANDWIDTH, SINKHORN_METRIC, SINKHORN_SUBSAMPLE, viewDiameter, resolveRun, resolveTarget, targetCloud, targetSamples } from './config';
import type { BackendInfo, Metrics, ParticleStats, RunConfig, Simulation, TargetConfig } from './types';

export class CpuSimulation implements Simulation {
  readonly n: number;
  private x: Float64Array;
  private clock = 0;
  private steps = 0;
  private target: TargetInstance;
  private samples: Float64Array | undefined;
  private yyRows: Float64Array | undefined;
  private readonly stepper: CpuStepper;
  private _config: RunConfig;
  private readonly needsSamples: boolean;
  private readonly torus: boolean;
  private sinkhorn: CpuSinkhornMetric | undefined;

  constructor(readonly backend: BackendInfo, config: RunConfig) {
    const run = resolveRun(config, backend.maxParticles);
    this.n = config.n;
    this._config = config;
    this.x = run.initial;
    this.target = run.target;
    this.needsSamples = run.method.needs === 'samples';
    this.torus = run.domain === 'torus';
    this.stepper = run.method.createCpu({ n: this.n, stepSize: config.stepSize, seed: config.seed, params: run.methodParams, domain: run.domain, ...(run.cloud ? { cloud: run.cloud } : {}) });
    this.samples = targetSamples(this.target, config.seed);
  }

  get config(): RunConfig {
    return this._config;
  }

  get stepCount(): number {
    return this.steps;
  }

  step(count: number): void {
    for (let k = 0; k < count; k++) {
      this.x = this.stepper.step(this.x, this.clock, this.target.packed);
      this.clock = clockTick(this.clock);
      this.steps++;
    }
  }

  setTarget(t: TargetConfig): void {
    this.target = resolveTarget(t);
    this._config = { ...this._config, target: t };
    this.samples = targetSamples(this.target, this._config.seed);
    this.yyRows = undefined;
    this.sinkhorn?.destroy();
    this.sinkhorn = undefined;
    if (this.needsSamples) {
      const cloud = targetCloud(this.target, this._config.seed, this._config.targetSamples ?? this.n);
      if (cloud) this.stepper.setCloud?.(cloud);
    }
  }

  setStepSize(h: number): void {
    checkStepSize(h);
    this.stepper.setStepSize(h);
    this._config = { ...this._config, stepSize: h };
  }

  positions(): Promise<Float32Array> {
    return Promise.resolve(Float32Array.from(this.x));
  }

  /** Float64 positions (CPU engine only). */
  positions64(): Float64Array {
    return this.x.slice();
  }

  setPositions(data: Float32Array | Float64Array, stepCount?: number): void {
    if (data.length !== 2 * this.n) throw new Error(`setPositions: expected ${2 * this.n} numbers, got ${data.length}`);
    this.x = Float64Array.from(data);
    if (stepCount !== undefined) this.steps = stepCount;
  }

  stats(): Promise<ParticleStats> {
    const m = momentsFromSums(particleStats(this.x, this.n));
    const out: ParticleStats = { step: this.steps, ...m };
    const acc = this.stepper.takeAcceptance?.();
    if (acc && acc.proposed > 0) out.acceptance = acc.accepted / acc.proposed;
    const bw = this.stepper.bandwidth?.();
    if (bw !== undefined) out.bandwidth = bw;
    return Promise.resolve(out);
  }

  async metrics(): Promise<Metrics> {
    const out = this.baseMetrics();
    const d = this.steps > 0 ? await this.stepper.diagnostics?.() : undefined;
    if (d?.marginalError !== undefined) out.flowMarginalError = d.marginalError;
    return this.sinkhornMetric(out);
  }

  private baseMetrics(): Metrics {
    const m = Math.min(this.n, METRIC_SUBSAMPLE);
    const sub = this.x.subarray(0, 2 * m);
    const out: Metrics = { step: this.steps };
    // Torus runs: L2 distance to the target density over all n particles instead of the (plane) KSD.
    if (this.torus) out.l2 = torusL2(this.x, this.n, this.target);
    else if (!this.target.sampleOnly) {
      const { score } = targetEval(this.target.packed, sub);
      out.ksd = ksdFromRows(ksdRows(sub, score, m), m);
    }
    if (this.samples) {
      const M = this.samples.length / 2;
      this.yyRows ??= distRows(this.samples, M, this.samples, M);
      out.energy = energyFromRows(distRows(sub, m, this.samples, M), distRows(sub, m, sub, m), this.yyRows, m, M);
      out.mmd = mmd2(sub, m, this.samples, M, 'gaussian', MMD_BANDWIDTH ** 2);
    }
    return out;
  }

  /** The S_eps metric (sample-based runs and sample-only targets), as on the GPU. */
  private async sinkhornMetric(out: Metrics): Promise<Metrics> {
    if (!this.samples || !(this.needsSamples || this.target.sampleOnly)) return out;
    const m = Math.min(this.n, METRIC_SUBSAMPLE), M = this.samples.length / 2;
    this.sinkhorn ??= createCpuSinkhornMetric({ ...SINKHORN_METRIC, diameter: viewDiameter(this.target) });
    const ms = Math.min(m, SINKHORN_SUBSAMPLE), Ms = Math.min(M, SINKHORN_SUBSAMPLE);
    const r = await this.sinkhorn.measure(this.x.subarray(0, 2 * ms), this.samples.subarray(0, 2 * Ms));
    return { ...out, sinkhorn: r.value, sinkhornIterations: r.iterations, sinkhornMarginalError: r.marginalError };
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): void {
    this.x = new Float64Array(0);
  }
}

/**
 * The CPU engine: the same methods built from the float64 twins (src/reference), no GPU needed.
 * It owns the particles and the stepping; the metrics come from the metrics layer (src/metrics/cpu.ts).
 */
import { momentsFromSums, particleStats } from '../reference/particleStats';
import { clockTick } from '../reference/clockTick';
import { CpuMetrics } from '../metrics/cpu';
import { targetSamples } from '../metrics/settings';
import type { CpuStepper } from '../methods/types';
import type { TargetInstance } from '../targets/types';
import { checkStepSize, resolveRun, resolveTarget, targetCloud } from './config';
import { ConfigError, staleStats, withMetricsReadouts, withStatsReadouts, type BackendInfo, type Metrics, type ParticleStats, type RunConfig, type Simulation, type TargetConfig } from './types';

export class CpuSimulation implements Simulation {
  readonly n: number;
  private x: Float64Array;
  private clock = 0;
  private steps = 0;
  private target: TargetInstance;
  private readonly stepper: CpuStepper;
  private _config: RunConfig;
  private readonly needsSamples: boolean;
  private readonly metricsK: CpuMetrics;
  private destroyed = false;

  constructor(readonly backend: BackendInfo, config: RunConfig) {
    const run = resolveRun(config, backend.maxParticles);
    this.n = config.n;
    this._config = config;
    this.x = run.initial;
    this.target = run.target;
    this.needsSamples = run.method.needs === 'samples';
    this.stepper = run.method.createCpu({ n: this.n, stepSize: config.stepSize, seed: config.seed, params: run.methodParams, domain: run.domain, ...(run.cloud ? { cloud: run.cloud } : {}), ...(run.landscape ? { landscape: run.landscape } : {}) });
    this.metricsK = new CpuMetrics({ domain: run.domain, sampleBased: this.needsSamples });
    this.metricsK.setTarget(this.target, targetSamples(this.target, config.seed));
  }

  get config(): RunConfig {
    return this._config;
  }

  get stepCount(): number {
    return this.steps;
  }

  step(count: number): void {
    if (this.destroyed) return;
    for (let k = 0; k < count; k++) {
      this.x = this.stepper.step(this.x, this.clock, this.target.packed);
      this.clock = clockTick(this.clock);
      this.steps++;
    }
  }

  setTarget(t: TargetConfig): void {
    const target = resolveTarget(t);
    if (Boolean(target.landscape) !== Boolean(this.target.landscape)) throw new ConfigError('target', `target '${t.id}' is ${target.landscape ? 'an energy landscape' : 'a density'} and this run's method is not: choose a method for it`);
    if (target.landscape) this.stepper.setLandscape?.(target.landscape);
    this.target = target;
    this._config = { ...this._config, target: t };
    this.metricsK.setTarget(this.target, targetSamples(this.target, this._config.seed));
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

  /** An empty array after destroy() (see Simulation). */
  positions(): Promise<Float32Array> {
    return Promise.resolve(this.destroyed ? new Float32Array(0) : Float32Array.from(this.x));
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

  async stats(): Promise<ParticleStats> {
    if (this.destroyed) return staleStats(this.steps);
    const out: ParticleStats = { step: this.steps, ...momentsFromSums(particleStats(this.x, this.n)) };
    const r = await this.stepper.readouts?.('stats');
    return r ? withStatsReadouts(out, r) : out;
  }

  async metrics(): Promise<Metrics> {
    const step = this.steps;
    if (this.destroyed) return { step, stale: true };
    const [values, readouts] = await Promise.all([
      this.metricsK.measure(this.x, this.n),
      step > 0 ? this.stepper.readouts?.('metrics') : undefined,
    ]);
    if (!values || this.destroyed) return { step, stale: true };
    const out: Metrics = { step, ...values };
    return readouts ? withMetricsReadouts(out, readouts) : out;
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): void {
    this.destroyed = true;
    this.metricsK.destroy();
    this.x = new Float64Array(0);
  }
}

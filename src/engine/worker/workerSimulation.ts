/**
 * The CPU engine behind a worker: `WorkerCpuBackend` / `WorkerSimulation` implement the same
 * Backend / Simulation as the in-process CpuBackend, so the Engine and the UI do not change, but the
 * float64 twins run off the main thread (the page never blocks: a 0.44 s SVGD step at N = 4,096
 * no longer delays a click).
 *
 * - Validation stays synchronous on the main thread: createSimulation runs `resolveRun` (a bad
 *   config throws the same ConfigError / ParamError, and no worker is started), setTarget /
 *   setStepSize / setPositions check their argument before posting.
 * - `step(k)` returns at once and counts `stepCount` locally. At most one step batch runs: steps
 *   asked for while one runs are only added up here, and posted as one batch when it ends.
 *   `finish()` resolves when every step asked for so far is done (it tells the truth, so the
 *   Engine's ~12 ms batch sizing sees real step times). Any other call first posts the steps
 *   added up, so it observes them (calls run in order, as on the GPU queue).
 * - `cancelSteps()` drops the steps not started and stops the running batch after its current
 *   step; `stepCount` then falls back to the steps really done.
 * - `positions64()` returns the positions after the last finished batch (what the canvas draws).
 * - `destroy()` ends the worker at once (terminate: a running step does not finish). Pending and
 *   later calls settle quietly, never reject (the Simulation contract in types.ts): finish()
 *   resolves, positions() with an empty array, stats()/metrics() with `stale: true` and NaN numbers.
 */
import { checkStepSize, resolveRun, resolveTarget } from '../config';
import type { Backend, BackendInfo, Metrics, ParticleStats, RunConfig, Simulation, TargetConfig } from '../types';
import { WorkerClient } from '../../platform/worker/client';
import type { CpuHandlers, StepResult } from './cpuHandlers';
import { CancelledError, WorkerClosedError, type Port } from '../../platform/worker/protocol';

/** A fresh worker (or in-process channel) serving cpuSimulationHandlers; `onError` when it fails to load or crashes. */
export type SpawnCpuWorker = (onError: (e: Error) => void) => { port: Port; dispose: () => void };

interface Batch {
  count: number;
  /** setPositions bumps the epoch: a batch from before it neither redraws nor corrects the count. */
  epoch: number;
}

export class WorkerSimulation implements Simulation {
  readonly n: number;
  private _config: RunConfig;
  private steps = 0;
  private latest: Float64Array;
  /** Steps asked for while a batch runs, posted as one batch when it ends. */
  private queued = 0;
  private readonly batches = new Map<number, Batch>();
  private epoch = 0;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  private destroyed = false;
  /** Step batches posted (for tests and diagnostics). */
  batchesPosted = 0;

  constructor(
    readonly backend: BackendInfo,
    config: RunConfig,
    private readonly client: WorkerClient<CpuHandlers>,
    initial: Float64Array,
    private readonly dispose: () => void,
  ) {
    this.n = config.n;
    this._config = config;
    this.latest = initial;
    this.fireAndForget(client.call('create', [backend, config]));
  }

  get config(): RunConfig {
    return this._config;
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Steps asked for and not yet done (running or waiting). */
  get pendingSteps(): number {
    let k = this.queued;
    for (const b of this.batches.values()) k += b.count;
    return k;
  }

  step(count: number): void {
    if (this.destroyed || !(count > 0)) return;
    const k = Math.ceil(count);
    this.steps += k;
    if (this.batches.size > 0) this.queued += k;
    else this.postBatch(k);
  }

  private postBatch(count: number): void {
    const { id, result } = this.client.request('step', [count]);
    this.batches.set(id, { count, epoch: this.epoch });
    this.batchesPosted++;
    result.then(
      (r) => this.batchDone(id, r),
      (e: unknown) => this.batchFailed(id, e),
    );
  }

  private batchDone(id: number, r: StepResult): void {
    const b = this.batches.get(id);
    this.batches.delete(id);
    if (!b || this.destroyed) return;
    if (b.epoch === this.epoch) {
      this.latest = r.positions;
      if (r.done < b.count) this.steps -= b.count - r.done;
    }
    this.next();
  }

  private batchFailed(id: number, e: unknown): void {
    const b = this.batches.get(id);
    this.batches.delete(id);
    if (!b || this.destroyed) return;
    if (e instanceof CancelledError) {
      if (b.epoch === this.epoch) this.steps -= b.count;
    } else {
      this.fail(e);
      // the steps not started will not run after a failure
      this.steps -= this.queued;
      this.queued = 0;
    }
    this.next();
  }

  private fail(e: unknown): void {
    if (this.destroyed || e instanceof WorkerClosedError) return;
    this.failure ??= e instanceof Error ? e : new Error(String(e));
  }

  /** A batch ended: post the steps added up meanwhile, or wake finish() when all are done. */
  private next(): void {
    if (this.batches.size > 0) return;
    if (this.queued > 0) {
      const k = this.queued;
      this.queued = 0;
      this.postBatch(k);
      return;
    }
    this.settleWaiters();
  }

  private settleWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    const f = this.destroyed ? undefined : this.failure;
    if (f) this.failure = undefined;
    for (const w of waiters) {
      if (f) w.reject(f);
      else w.resolve();
    }
  }

  /** Post the steps added up so far, so that the call about to be posted observes them. */
  private flush(): void {
    if (this.queued === 0) return;
    const k = this.queued;
    this.queued = 0;
    this.postBatch(k);
  }

  private fireAndForget(p: Promise<unknown>): void {
    p.catch((e: unknown) => this.fail(e));
  }

  /** Drop the steps not started; stop the running batch after its current step. */
  cancelSteps(): void {
    if (this.destroyed) return;
    this.steps -= this.queued;
    this.queued = 0;
    for (const id of this.batches.keys()) this.client.cancel(id);
  }

  setTarget(t: TargetConfig): void {
    resolveTarget(t); // throws ConfigError here, synchronously, as in-process
    this._config = { ...this._config, target: t };
    if (this.destroyed) return;
    this.flush();
    this.fireAndForget(this.client.call('setTarget', [t]));
  }

  setStepSize(h: number): void {
    checkStepSize(h);
    this._config = { ...this._config, stepSize: h };
    if (this.destroyed) return;
    this.flush();
    this.fireAndForget(this.client.call('setStepSize', [h]));
  }

  positions(): Promise<Float32Array> {
    if (this.destroyed) return Promise.resolve(new Float32Array(0));
    this.flush();
    return this.client.call('positions', []).catch((e: unknown) => {
      if (this.destroyed) return new Float32Array(0);
      throw e;
    });
  }

  /** The positions after the last finished batch (float64; a copy), for drawing without a round trip. */
  positions64(): Float64Array {
    return this.latest.slice();
  }

  setPositions(data: Float32Array | Float64Array, stepCount?: number): void {
    if (data.length !== 2 * this.n) throw new Error(`setPositions: expected ${2 * this.n} numbers, got ${data.length}`);
    const x = Float64Array.from(data);
    if (stepCount !== undefined) this.steps = stepCount;
    if (this.destroyed) return;
    this.flush();
    this.epoch++;
    this.latest = x;
    const sent = x.slice();
    this.fireAndForget(this.client.call('setPositions', [sent, stepCount], [sent.buffer]));
  }

  stats(): Promise<ParticleStats> {
    if (this.destroyed) return Promise.resolve(staleStats(this.steps));
    this.flush();
    return this.client.call('stats', []).catch((e: unknown) => {
      if (this.destroyed) return staleStats(this.steps);
      throw e;
    });
  }

  metrics(): Promise<Metrics> {
    if (this.destroyed) return Promise.resolve(staleMetrics(this.steps));
    this.flush();
    return this.client.call('metrics', []).catch((e: unknown) => {
      if (this.destroyed) return staleMetrics(this.steps);
      throw e;
    });
  }

  finish(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    if (this.batches.size === 0 && this.queued === 0) {
      const f = this.failure;
      this.failure = undefined;
      return f ? Promise.reject(f) : Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The worker failed to load or crashed: pending and later calls reject with `e`. */
  workerFailed(e: Error): void {
    if (this.destroyed) return;
    this.fail(e);
    this.client.close(e);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.queued = 0;
    this.client.close(new WorkerClosedError('the simulation was destroyed'));
    this.dispose();
    this.batches.clear();
    this.latest = new Float64Array(0);
    this.settleWaiters();
  }
}

/** What a read answers once its run is destroyed: no meaningful numbers, marked stale. */
function staleStats(step: number): ParticleStats {
  return Object.assign({ step, mean: [NaN, NaN], cov: [NaN, NaN, NaN], nonFinite: 0, maxAbs: NaN } satisfies ParticleStats, { stale: true as const });
}

function staleMetrics(step: number): Metrics {
  return Object.assign({ step } satisfies Metrics, { stale: true as const });
}

/** The CPU backend with each simulation in its own worker (`spawn`); validation on the calling thread. */
export class WorkerCpuBackend implements Backend {
  private readonly live = new Set<WorkerSimulation>();

  constructor(
    readonly info: BackendInfo,
    private readonly spawn: SpawnCpuWorker,
  ) {}

  createSimulation(config: RunConfig): WorkerSimulation {
    const run = resolveRun(config, this.info.maxParticles); // throws before any worker starts
    // the worker may fail before the simulation exists (a synchronous spawn error): keep it for then
    const state: { sim: WorkerSimulation | undefined; early: Error | undefined } = { sim: undefined, early: undefined };
    const { port, dispose } = this.spawn((e) => {
      if (state.sim) state.sim.workerFailed(e);
      else state.early = e;
    });
    const client = new WorkerClient<CpuHandlers>(port);
    const made: WorkerSimulation = new WorkerSimulation(this.info, config, client, run.initial, () => {
      dispose();
      this.live.delete(made);
    });
    state.sim = made;
    this.live.add(made);
    if (state.early) made.workerFailed(state.early);
    return made;
  }

  /** Simulations not yet destroyed. */
  get liveSimulations(): number {
    return this.live.size;
  }

  destroy(): void {
    for (const sim of [...this.live]) sim.destroy();
  }
}

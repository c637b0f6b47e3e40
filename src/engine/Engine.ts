/**
 * The browser's controller: a plain class (no React, no UI wording), the facade over one-job files.
 * A newcomer's map of src/engine (the browser's side):
 *
 *   Engine.ts          this facade: the public API (controls, configure, runs, backend), the state the
 *                      runs share (config, playing, diverged, message), and the order things happen in
 *   runList.ts         the runs as a list: runs[0] the primary, runs[1..3] compared runs; add, set,
 *                      remove, rebuild, follow the primary; renderers and divergence by run index
 *   compare.ts         one compared run: its own method, parameters and step size; refused when identical
 *   runSlot.ts         one run's simulation with its timing, stats, metrics history and renderer
 *   scheduler.ts       what a frame does with the runs: one lockstep batch, draw, poll
 *   frameLoop.ts       the requestAnimationFrame loop and the per-frame batch rule
 *   engineSnapshot.ts  what the page sees (EngineSnapshot, RunView), built from the runs
 *   store.ts           subscribe / getSnapshot for React (useSyncExternalStore), throttled publishing
 *   recovery.ts        positions snapshots of every run and their restore after a lost device or a stall
 *   restart.ts         which config changes restart the run and which update it in place (pure)
 *   recorder.ts        every k-th step's positions for export
 *   events.ts          what the engine reports, as data; src/ui/messages.ts words it
 *
 * Only throttled summaries (~10/s) leave the engine, never particle buffers. Bad input: a config
 * the backend rejects keeps the previous run (event 'config-rejected' naming the field);
 * diverging particles (NaN or |x| > 1e8, or the run's box) in any run pause the view ('diverged',
 * naming the run's index), after which any change of the configuration starts a fresh run and Play
 * alone says what to press; a lost device is replaced and every run's last snapshot restored (taken
 * every 2 s while playing, at once on pause; the message names each run restored and each run that
 * started over); no WebGPU -> the CPU engine ('gpu-unavailable').
 */
import { adapterDefaultN, APP_DEFAULTS } from './defaults';
import type { Params } from '../core/params';
import type { TargetInstance } from '../targets/types';
import { createBackend, type BackendOptions } from './backend';
import type { RunSpec } from './compare';
import type { Divergence } from './divergence';
import { resolveRun, resolveTarget } from './config';
import { methodLabel, type EngineSnapshot } from './engineSnapshot';
import { configProblem, eventMessage, ofRun, type EngineEvent, type EngineMessage } from './events';
import { FrameLoop, type Speed } from './frameLoop';
import { Recorder, type Recording } from './recorder';
import { holdRuns, restoreRuns, snapshotRuns } from './recovery';
import { changedKeys, planChange, type ConfigKey } from './restart';
import { copyHistory, type FrameRenderer } from './runSlot';
import { MAX_RUNS, RunList, type BuildNote } from './runList';
import { runFrame, stepAll } from './scheduler';
import { Store } from './store';
import { checkWork } from './work';
import { ConfigError } from './types';
import type { Backend, BackendKind, RunConfig, Simulation, TargetConfig } from './types';

export type { FrameRenderer, MetricsHistory } from './runSlot';
export type { Speed } from './frameLoop';
export type { EngineEvent, EngineMessage } from './events';
export type { Recording } from './recorder';
export type { CompareSnapshot, EngineSnapshot, RunView } from './engineSnapshot';
export type { RunSpec } from './compare';
export { MAX_RUNS } from './runList';

export interface EngineOptions {
  config: RunConfig;
  backend?: BackendKind;
  /** navigator.gpu in the browser; undefined forces the CPU fallback. */
  gpu?: GPU | undefined;
  /** Injected for tests; defaults to createBackend. */
  createBackend?: (kind: BackendKind, gpu?: GPU, options?: BackendOptions) => Promise<Backend>;
  /** Injected for tests; default window.requestAnimationFrame. */
  requestFrame?: (cb: (t: number) => void) => number;
  cancelFrame?: (id: number) => void;
  /**
   * The link named no N: the first run takes the adapter's default (adapterDefaultN: 1,024 on a
   * software adapter or the CPU engine, where 4,096 makes a Sinkhorn-flow step take a minute; a
   * landscape method the N its estimated step cost allows there, src/methods/landscapeCost.ts).
   */
  nFromAdapter?: boolean;
}

const EMIT_EVERY_MS = 100;
/** Re-exported: the one divergence rule lives in ./divergence.ts. */
export { DIVERGENCE_LIMIT } from './divergence';

/** A primary change of these may make a compared method unfit: it is then replaced, and the snapshot says so. */
const REPLACES_COMPARE: readonly ConfigKey[] = ['target', 'method', 'params', 'domain'];

export class Engine {
  private backend: Backend | undefined;
  private backendKind: BackendKind;
  private config: RunConfig;
  private readonly nFromAdapter: boolean;
  private target: TargetInstance | undefined;
  private targetVersion = 0;
  private generation = 0;
  private status: EngineSnapshot['status'] = 'starting';
  private playing = true;
  private diverged = false;
  private readonly gpu: GPU | undefined;
  private readonly makeBackend: (kind: BackendKind, gpu?: GPU, options?: BackendOptions) => Promise<Backend>;
  private readonly loop: FrameLoop;
  private disposed = false;
  private readonly runs: RunList;
  private readonly recorder: Recorder;
  private readonly store: Store<EngineSnapshot>;
  private message: EngineMessage | undefined;
  private noticeEvent: EngineEvent | undefined;
  private speed: Speed = 'auto';
  private lastSlowStepAt = -Infinity;
  private generator: string | undefined;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.nFromAdapter = options.nFromAdapter ?? false;
    this.backendKind = options.backend ?? 'gpu';
    this.gpu = options.gpu;
    this.makeBackend = options.createBackend ?? createBackend;
    this.loop = new FrameLoop((now) => this.frame(now), options.requestFrame, options.cancelFrame);
    const markDirty = (): void => {
      this.store.dirty = true;
    };
    this.runs = new RunList({
      onDivergence: (d, index) => this.onDivergence(d, index),
      onStepFailed: (e) => this.stepFailed(e),
      markDirty,
      afterPrimaryBatch: (sim) => this.afterPrimaryBatch(sim),
    });
    this.recorder = new Recorder({ onLimit: (frames, limitBytes) => this.tell({ type: 'recording-stopped', frames, limitBytes }), markDirty });
    this.store = new Store(() => this.buildSnapshot(), EMIT_EVERY_MS);
  }

  // ---- React bridge -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): EngineSnapshot => this.store.getSnapshot();

  private buildSnapshot(): EngineSnapshot {
    const p = this.runs.primary;
    const views = this.runs.views(this.config);
    return {
      status: this.status,
      playing: this.playing,
      backendKind: this.backend?.info.kind ?? this.backendKind,
      backend: this.backend?.info,
      generation: this.generation,
      config: this.config,
      target: this.target,
      targetVersion: this.targetVersion,
      step: p.sim?.stepCount ?? 0,
      msPerStep: p.msPerStep,
      stepsPerFrame: p.stepsPerFrame,
      stats: p.stats,
      metrics: p.metrics,
      history: views[0]?.history ?? copyHistory(p.history),
      label: methodLabel(this.config.method),
      runs: views,
      compare: views[1],
      compare2: views[2],
      snapshotStep: this.runs.primarySnapshots.latest?.step,
      message: this.message,
      notice: this.noticeEvent ? eventMessage(this.noticeEvent).text : undefined,
      noticeEvent: this.noticeEvent,
      diverged: this.diverged,
      recordEvery: this.recorder.every,
      recordedFrames: this.recorder.frames,
      speed: this.speed,
      generator: this.generator,
    };
  }

  private emit(force = false): void {
    this.store.emit(force);
  }

  /** Show a message (the UI reports its own input errors through this too). */
  say(kind: EngineMessage['kind'], text: string): void {
    this.message = { kind, text };
    this.emit(true);
  }

  /** Report an engine event (worded by the UI). */
  private tell(event: EngineEvent): void {
    this.message = eventMessage(event);
    this.emit(true);
  }

  dismissMessage(): void {
    this.message = undefined;
    this.emit(true);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Acquire the backend (falling back to the CPU engine), create the first run, start the loop. */
  async start(): Promise<void> {
    const backend = await this.acquire(this.backendKind);
    if (this.disposed) {
      backend.destroy();
      return;
    }
    this.installBackend(backend);
    // a landscape run takes the N its estimated step cost allows on this adapter (issue 22 item 4)
    if (this.nFromAdapter && this.config.n === APP_DEFAULTS.n) this.config = { ...this.config, n: adapterDefaultN(backend.info, this.config) };
    if (this.newRun(backend, this.config, 'start')) {
      this.status = 'ready';
      this.buildCompared(false);
    } else {
      this.status = 'failed';
    }
    this.emit(true);
    this.loop.start();
  }

  private async acquire(kind: BackendKind): Promise<Backend> {
    if (kind === 'gpu') {
      try {
        const b = await this.makeBackend('gpu', this.gpu, { live: true });
        this.noticeEvent = undefined;
        return b;
      } catch (e) {
        const event: EngineEvent = { type: 'gpu-unavailable', reason: e instanceof Error ? e.message : String(e) };
        this.noticeEvent = event;
        this.message = eventMessage(event);
      }
    }
    return this.makeBackend('cpu');
  }

  private installBackend(backend: Backend): void {
    this.backend = backend;
    this.backendKind = backend.info.kind;
    this.generation++;
    const lost = backend.lost;
    if (lost) {
      void lost.then((reason) => {
        if (this.backend === backend && !this.disposed) void this.recoverFromLoss(reason);
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.loop.stop();
    this.runs.destroy();
    const b = this.backend;
    this.backend = undefined;
    b?.destroy();
    this.store.clear();
  }

  /** A canvas attaches its renderer to run `index` (0: the primary, 1..3: the compared runs); the disposer detaches it. */
  attachRenderer(r: FrameRenderer, index = 0): () => void {
    return this.runs.attach(r, index);
  }

  /** The backend's device (GPU runs) for the renderer; undefined on the CPU. */
  get device(): GPUDevice | undefined {
    return this.backend?.device;
  }

  get simulation(): Simulation | undefined {
    return this.runs.primary.sim;
  }

  /** Run `index`'s simulation (0: the primary), if any. */
  runSimulation(index: number): Simulation | undefined {
    return this.runs.simAt(index);
  }

  /** Run 1's simulation (split view), if any. */
  get compareSimulation(): Simulation | undefined {
    return this.runs.simAt(1);
  }

  // ---- frame loop ---------------------------------------------------------------------------

  private frame(now: number): void {
    if (this.disposed || !this.runs.primary.sim) return;
    const stepped = runFrame(this.runs.activeSlots(), {
      now,
      playing: this.playing,
      speed: this.speed,
      lastSlowStepAt: this.lastSlowStepAt,
      recordEvery: this.recorder.every,
      target: this.target,
      renderers: this.runs.activeRenderers(),
    });
    if (stepped && this.speed === 'slow') this.lastSlowStepAt = now;
    if (this.store.dirty || this.playing) this.emit();
  }

  /** Primary run, after a batch: record at exact multiples of recordEvery; snapshot for recovery (at once when paused: a Step, or the batch a pause waited for). */
  private async afterPrimaryBatch(sim: Simulation): Promise<void> {
    if (this.recorder.due(sim)) await this.recorder.capture(sim);
    await this.takeSnapshots(!this.playing);
  }

  /** Device-loss snapshots of every run (GPU only; never of diverged particles): when due, or now with `force`. */
  private async takeSnapshots(force: boolean): Promise<void> {
    const sim = this.runs.primary.sim;
    if (!sim || this.backend?.info.kind !== 'gpu' || this.diverged) return;
    const now = performance.now();
    if (!force && !this.runs.primarySnapshots.due(now)) return;
    await snapshotRuns(this.runs.recoverable(), now);
    this.emit(true); // snapshotStep (at most every 2 s while playing)
  }

  private stepFailed(e: unknown): void {
    this.playing = false;
    this.tell({ type: 'step-failed', reason: e instanceof Error ? e.message : String(e) });
  }

  private onDivergence(d: Divergence, index: number): void {
    if (this.diverged) return;
    this.diverged = true;
    this.playing = false;
    // NaN and |x| > 1e8 word themselves (src/ui/messages.ts); the rules of this target and run say why in `reason`
    this.tell({ type: 'diverged', run: index === 0 ? 'main' : 'compare', index, cause: d.cause, step: d.step, limit: d.limit, ...(d.cause === 'nan' || d.cause === 'overflow' ? {} : { reason: d.reason }) });
  }

  // ---- controls -----------------------------------------------------------------------------

  /** Play. After a blow-up nothing runs: the message says to Reset or change the step size. */
  play(): void {
    if (this.diverged) {
      this.tell({ type: 'blocked-after-divergence', step: this.runs.primary.sim?.stepCount ?? 0 });
      return;
    }
    if (!this.playing) {
      this.playing = true;
      if (this.message?.event?.type === 'diverged' || this.message?.event?.type === 'step-failed') this.message = undefined;
      this.emit(true);
    }
  }

  pause(): void {
    if (this.playing) {
      this.playing = false;
      // a batch in flight takes the snapshot when it finishes (afterPrimaryBatch)
      if (!this.runs.primary.busy) void this.takeSnapshots(true);
      this.emit(true);
    }
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Steps per frame: 'auto' (adapted to the frame budget, the default), a fixed k >= 1, or 'slow' (one step every 250 ms). */
  setSpeed(speed: Speed): void {
    const s: Speed = typeof speed === 'number' ? (Number.isFinite(speed) && speed >= 1 ? Math.floor(speed) : 'auto') : speed;
    if (s === this.speed) return;
    this.speed = s;
    this.lastSlowStepAt = -Infinity;
    this.emit(true);
  }

  /** Pause and advance exactly one step (every run of the view). */
  stepOnce(): void {
    this.playing = false;
    if (this.diverged) {
      this.tell({ type: 'blocked-after-divergence', step: this.runs.primary.sim?.stepCount ?? 0 });
      return;
    }
    stepAll(this.runs.activeSlots());
    this.emit(true);
  }

  /** Start the run over from the current configuration (new particles from the seed). */
  reset(): void {
    const backend = this.backend;
    if (!backend) return;
    if (this.newRun(backend, this.config, 'reset')) {
      this.message = undefined;
      this.playing = true;
      this.status = 'ready';
      this.buildCompared(false);
    }
    this.emit(true);
  }

  /**
   * A fresh primary run from `config`; false (and a 'config-rejected' event) if the backend
   * refuses it, the previous run kept.
   */
  private newRun(backend: Backend, config: RunConfig, during: 'start' | 'reset' | 'configure' | 'recovery'): boolean {
    let sim: Simulation;
    try {
      checkWork(config, backend.info); // an absurd step is refused by name, not run (the tab would freeze)
      sim = backend.createSimulation(config);
    } catch (e) {
      this.tell({ type: 'config-rejected', during, problem: configProblem(e, config.method) });
      return false;
    }
    this.replaceSim(sim);
    return true;
  }

  private replaceSim(sim: Simulation): void {
    this.config = sim.config;
    this.runs.primary.replace(sim);
    this.diverged = false;
    this.runs.primarySnapshots.clear();
    this.setTargetInstance(resolveTarget(sim.config.target));
    this.startRecording();
  }

  private setTargetInstance(t: TargetInstance): void {
    this.target = t;
    this.targetVersion++;
  }

  /**
   * Change the configuration. On a healthy run the step size and target change in place
   * (particles kept); anything else starts a new run (restart.ts). After a blow-up or a failed
   * start any change starts a fresh run and plays. If the backend rejects the config, the previous
   * run keeps going and the message names the field. Returns true when applied. The compared runs
   * follow.
   */
  configure(partial: Partial<Omit<RunConfig, 'init'>>): boolean {
    const next: RunConfig = { ...this.config, ...partial };
    const changed = changedKeys(this.config, partial);
    const sim = this.runs.primary.sim;
    const backend = this.backend;
    if (changed.length === 0) return true;
    if (!backend) {
      this.config = next;
      this.emit(true);
      return true;
    }
    let plan = planChange(changed, { hasRun: sim !== undefined, diverged: this.diverged });
    const before = this.message;
    try {
      if (plan.kind === 'in-place' && sim) {
        if (plan.target) {
          // the same checks as a new run (score method on a sample-only target, torus, ...)
          resolveRun(next, backend.info.maxParticles);
          try {
            this.applyTarget(sim, next.target);
          } catch (e) {
            if (e instanceof ConfigError) throw e;
            plan = { kind: 'restart', after: undefined }; // e.g. a bigger cloud than this run holds
          }
        }
      }
      if (plan.kind === 'in-place' && sim) {
        if (plan.stepSize) sim.setStepSize(next.stepSize);
        this.config = sim.config;
        if (!this.runs.followInPlace(this.config, backend.info.maxParticles, plan.target, plan.stepSize)) this.buildCompared(true);
      } else if (plan.kind === 'restart') {
        checkWork(next, backend.info);
        this.replaceSim(backend.createSimulation(next));
        this.status = 'ready';
        this.buildCompared(changed.some((k) => REPLACES_COMPARE.includes(k)));
        if (plan.after) {
          this.playing = true;
          this.message = eventMessage({ type: 'restarted', after: plan.after === 'divergence' ? 'divergence' : 'failed-start', changed });
        }
      }
      // an applied change answers the last refusal (not a blow-up, which stays until a new run)
      if (this.message === before && before?.kind === 'error' && before.event?.type !== 'diverged') this.message = undefined;
      this.emit(true);
      return true;
    } catch (e) {
      this.tell({ type: 'config-rejected', during: sim ? 'configure' : 'revive', problem: configProblem(e, next.method) });
      return false;
    }
  }

  /** Live target edit (a dragged mixture component or cloud): density and particles follow, no reset. */
  setTarget(target: TargetConfig): boolean {
    return this.configure({ target });
  }

  private applyTarget(sim: Simulation, t: TargetConfig): void {
    const instance = resolveTarget(t);
    sim.setTarget(t);
    this.setTargetInstance(instance);
  }

  // ---- the runs list (split view) -----------------------------------------------------------

  /**
   * Set compared run `index` (1..3; past the last run: a new run at the end) to `method` with its
   * own `params` (default: its defaults, or the current ones when the method is unchanged) and its
   * own `stepSize` (undefined: kept when the method is unchanged; null: follow the primary), side by
   * side with the primary (same target, seed, n). undefined / 'none' removes it (removeRun). Refused
   * with a message when identical to the primary, when the method cannot run on this target, or when
   * the view already holds MAX_RUNS runs; every run starts over together when it is applied.
   */
  setRun(index: number, method: string | undefined, params?: Params, stepSize?: number | null): boolean {
    const m = method === 'none' || method === '' ? undefined : method;
    if (!m) return this.removeRun(index);
    const existing = this.runs.at(index);
    if (!existing && this.runs.count >= MAX_RUNS) {
      this.tell({ type: 'runs-full', max: MAX_RUNS });
      return false;
    }
    const sameMethod = existing !== undefined && existing.method === m;
    const spec: RunSpec = {
      method: m,
      params: params ?? (sameMethod ? existing.params : {}),
      stepSize: stepSize === null ? undefined : (stepSize ?? (sameMethod ? existing.stepSize : undefined)),
    };
    if (existing?.slot && sameMethod && JSON.stringify(spec.params) === JSON.stringify(existing.params) && spec.stepSize === existing.stepSize) return true;
    const at = existing ? index : this.runs.count;
    if (!this.backend || !this.runs.primary.sim) {
      // before start(): kept and built with the first run
      const run = existing ?? this.runs.create();
      run.keep(spec);
      if (!existing) this.runs.push(run);
      this.emit(true);
      return true;
    }
    const run = existing ?? this.runs.create();
    const r = run.choose(this.backend, this.config, spec);
    if (!r.ok) {
      this.tell(ofRun(r.event, at));
      return false;
    }
    if (!existing) this.runs.push(run);
    // a fair comparison: all runs start together (the other compared runs start over too)
    if (this.newRun(this.backend, this.config, 'reset')) {
      this.buildCompared(false, run);
      this.playing = true;
      if (this.message?.event?.type.startsWith('compare') === true || this.message?.event?.type === 'diverged' || this.message?.event?.type === 'runs-full') this.message = undefined;
    }
    this.emit(true);
    return true;
  }

  /** Add a compared run at the end (false with a message when refused or when MAX_RUNS runs are on). */
  addRun(method: string, params?: Params, stepSize?: number): boolean {
    return this.setRun(this.runs.count, method, params, stepSize);
  }

  /** Remove compared run `index` (1..3); the later runs move down one index. The others keep running. */
  removeRun(index: number): boolean {
    if (!this.runs.remove(index)) return true;
    this.emit(true);
    return true;
  }

  /**
   * Make the compared runs exactly `specs` (a link): unchanged runs are left alone; otherwise every
   * compared run is replaced, in order (a refused one is said and skipped). True when all applied.
   */
  setRuns(specs: readonly RunSpec[]): boolean {
    const now = this.runs.specs();
    const norm = (s: RunSpec): string => JSON.stringify([s.method, s.params, s.stepSize ?? null]);
    if (now.length === specs.length && now.every((s, i) => norm(s) === norm(specs[i] as RunSpec))) return true;
    this.runs.clearCompared();
    let ok = true;
    for (const s of specs.slice(0, MAX_RUNS - 1)) ok = this.setRun(this.runs.count, s.method, s.params, s.stepSize ?? null) && ok;
    this.emit(true);
    return ok;
  }

  /** Compared run `index`'s own parameters; false with a message when refused. */
  setRunParams(index: number, params: Params): boolean {
    const m = this.runs.at(index)?.method;
    if (!m) return false;
    return this.setRun(index, m, params);
  }

  /** Compared run `index`'s own step size (undefined: follow the primary again); all runs start over together. */
  setRunStepSize(index: number, stepSize: number | undefined): boolean {
    const run = this.runs.at(index);
    if (!run?.method) return false;
    return this.setRun(index, run.method, run.params, stepSize ?? null);
  }

  /** Run 1 ("Compare with"): setRun(1, ...). undefined / 'none' turns it off. */
  setCompare(method: string | undefined, params?: Params): boolean {
    return this.setRun(1, method, params);
  }

  /** Run 2: setRun(2, ...). */
  setCompare2(method: string | undefined, params?: Params): boolean {
    return this.setRun(2, method, params);
  }

  /** Run 1's own parameters: setRunParams(1, ...). */
  setCompareParams(params: Params): boolean {
    return this.setRunParams(1, params);
  }

  /** (Re)create the compared runs for the current primary config; a failure removes that run and says why. */
  private buildCompared(mayReplace: boolean, except?: Parameters<RunList['buildCompared']>[3]): void {
    const backend = this.backend;
    if (!backend) return;
    for (const { index, result } of this.runs.buildCompared(backend, this.config, mayReplace, except) as BuildNote[]) {
      if (!result.ok) this.tell(ofRun(result.event, index));
      else if (result.switched) this.message = eventMessage(ofRun(result.switched, index));
    }
  }

  /** The page's generator choice (src/ui/generator), kept for the URL: 'shipped:<id>', 'user:<key>', undefined / 'none': none. */
  setGenerator(choice: string | undefined): void {
    const c = choice === 'none' || choice === '' ? undefined : choice;
    if (c === this.generator) return;
    this.generator = c;
    this.emit(true);
  }

  /** Switch between the WebGPU and CPU engines; a new run from the current configuration. */
  async setBackend(kind: BackendKind): Promise<void> {
    if (kind === this.backend?.info.kind) return;
    const backend = await this.acquire(kind);
    let sim: Simulation;
    try {
      checkWork(this.config, backend.info);
      sim = backend.createSimulation(this.config);
    } catch (e) {
      backend.destroy();
      this.tell({ type: 'config-rejected', during: 'backend', problem: configProblem(e, this.config.method), backend: this.backend?.info.kind ?? this.backendKind });
      return;
    }
    const oldBackend = this.backend;
    this.runs.detachCompared();
    this.installBackend(backend);
    this.replaceSim(sim);
    this.status = 'ready';
    this.buildCompared(false);
    oldBackend?.destroy();
    if (kind === 'cpu') this.noticeEvent = undefined;
    this.emit(true);
  }

  private async recoverFromLoss(reason: string): Promise<void> {
    const held = holdRuns(this.runs.recoverable());
    const wasPlaying = this.playing;
    this.runs.primary.replace(undefined);
    this.runs.detachCompared();
    let backend: Backend;
    try {
      backend = await this.makeBackend('gpu', this.gpu, { live: true });
    } catch (e) {
      backend = await this.makeBackend('cpu');
      this.noticeEvent = { type: 'gpu-unavailable', reason: e instanceof Error ? e.message : String(e) };
    }
    if (this.disposed) {
      backend.destroy();
      return;
    }
    this.installBackend(backend);
    const restored = this.rebuildAndRestore(backend, held);
    if (!restored) return;
    this.tell({ type: 'device-lost', reason, recoveredOn: backend.info.kind, fromStep: restored.fromStep, ...(restored.runs.length > 0 ? { runs: restored.runs } : {}) });
    this.playing = wasPlaying;
    this.emit(true);
  }

  /**
   * The one recovery path (a lost device, a stuck run): every run rebuilt on `backend` from its held
   * snapshot (a fresh run where there is none). Undefined when the primary cannot be rebuilt.
   */
  private rebuildAndRestore(backend: Backend, held: ReturnType<typeof holdRuns>): { fromStep: number | undefined; runs: { method: string; fromStep: number | undefined }[] } | undefined {
    if (!this.newRun(backend, this.config, 'recovery')) return undefined;
    this.buildCompared(false);
    const steps = restoreRuns(held, this.runs.recoverable());
    // each compared run that was running and is running again (a run that cannot be rebuilt left the list, said by buildCompared)
    const runs: { method: string; fromStep: number | undefined }[] = [];
    this.runs.comparedRuns.forEach((run, i) => {
      if (run.sim && run.method && held.held.find((h) => h.run === run)?.sim) runs.push({ method: run.method, fromStep: steps[i + 1] });
    });
    return { fromStep: steps[0], runs };
  }

  /**
   * The page's watchdog (src/ui/stallWatch.ts) found the run playing but not stepping: the batches
   * in flight are abandoned (each slot's new run id drops them when they land), every run is rebuilt
   * on the same backend from its latest snapshot (a fresh run where there is none), the frame loop is
   * restarted, and the runs play. Returns the primary run's restored step (undefined: started over).
   */
  recoverStall(): number | undefined {
    const backend = this.backend;
    if (!backend || this.disposed) return undefined;
    const held = holdRuns(this.runs.recoverable());
    this.loop.stop();
    this.loop.start();
    const restored = this.rebuildAndRestore(backend, held);
    if (!restored) return undefined;
    this.status = 'ready';
    this.playing = true;
    this.emit(true);
    return restored.fromStep;
  }

  /** For e2e tests: destroy the device; `lost` resolves and the engine recovers. */
  simulateDeviceLoss(): boolean {
    const d = this.backend?.device;
    if (!d) return false;
    d.destroy();
    return true;
  }

  /** For tests and export: the current positions (interleaved float32). */
  async readPositions(): Promise<Float32Array | undefined> {
    return this.runs.primary.sim?.positions();
  }

  // ---- recording ----------------------------------------------------------------------------

  /** Record every k-th step (0: off). Turning it on starts a fresh recording. */
  setRecordEvery(k: number): void {
    if (!this.recorder.setEvery(k)) return;
    this.startRecording();
    this.emit(true);
  }

  private startRecording(): void {
    const slot = this.runs.primary;
    const sim = slot.sim;
    if (!this.recorder.start(sim, this.backend?.info) || !sim || slot.busy) return;
    slot.busy = true;
    const runId = slot.runId;
    void this.recorder.capture(sim).finally(() => {
      if (slot.runId === runId) slot.busy = false;
    });
  }

  /** The frames recorded so far; with none, one frame of the current positions. */
  async takeRecording(): Promise<Recording | undefined> {
    return this.recorder.take(this.runs.primary.sim, this.backend?.info);
  }

  /**
   * The run's configuration as JSON-ready data (the Export config button). A target cloud from a
   * file, image or painting is summarised (point count), not listed; it is never put in the URL.
   * The compared runs: `runs` (each method, params, own step size), and run 1 and 2 also under
   * their older keys `compare`/`compareParams`, `compare2`/`compare2Params`.
   */
  configJson(): object {
    const c = this.config;
    const target = c.target.cloud
      ? { id: c.target.id, params: c.target.params, cloud: { points: c.target.cloud.length / 2, note: 'a cloud from an image, painting or dragged samples: not stored in the URL or this file' } }
      : c.target;
    const specs = this.runs.specs();
    const [r1, r2] = specs;
    return {
      ...c,
      target,
      init: c.init.kind === 'gaussian' ? c.init : { kind: 'positions' },
      ...(r1 ? { compare: r1.method, compareParams: r1.params } : {}),
      ...(r2 ? { compare2: r2.method, compare2Params: r2.params } : {}),
      ...(specs.length > 0 ? { runs: specs } : {}),
      backend: this.backend?.info,
      step: this.runs.primary.sim?.stepCount ?? 0,
    };
  }
}

/**
 * The browser's controller: a plain class (no React, no UI wording) composed of one-job pieces:
 *
 *   store.ts      subscribe / getSnapshot for React (useSyncExternalStore), throttled publishing
 *   frameLoop.ts  the requestAnimationFrame loop and the per-frame batch rule
 *   runSlot.ts    one run: a Simulation with its timing, stats, metrics history and renderer
 *   restart.ts    which config changes restart the run and which update it in place (pure)
 *   compare.ts    the split view's second run ("Compare with"): its own method and parameters
 *   recovery.ts   positions snapshots, restored after a lost GPU device
 *   recorder.ts   every k-th step's positions for export
 *   events.ts     what the engine reports, as data; src/ui/messages.ts words it
 *
 * Only throttled summaries (~10/s) leave the engine, never particle buffers. Bad input: a config
 * the backend rejects keeps the previous run (event 'config-rejected' naming the field);
 * diverging particles (NaN or |x| > 1e8) pause the run ('diverged'), after which any change of
 * the configuration starts a fresh run and Play alone says what to press; a lost device is
 * replaced and every run's last snapshot restored (taken every 2 s while playing, at once on
 * pause; the message names each run restored and each run that started over); no WebGPU -> the
 * CPU engine ('gpu-unavailable').
 */
import { adapterDefaultN, APP_DEFAULTS, compareStepSize } from './defaults';
import { getMethod } from '../methods/registry';
import type { Params } from '../core/params';
import type { TargetInstance } from '../targets/types';
import { createBackend } from './backend';
import { CompareRun } from './compare';
import { DIVERGENCE_LIMIT, DivergenceWatch, divergenceRule, type Divergence, type DivergenceRule } from './divergence';
import { resolveRun, resolveTarget } from './config';
import { configProblem, eventMessage, type EngineEvent, type EngineMessage, type RunRole } from './events';
import { batchPlan, FRAME_BUDGET_MS, FrameLoop, speedSteps, type Speed } from './frameLoop';
import { Recorder, type Recording } from './recorder';
import { SnapshotKeeper } from './recovery';
import { changedKeys, planChange, type ConfigKey } from './restart';
import { copyHistory, RunSlot, type FrameRenderer, type MetricsHistory } from './runSlot';
import { Store } from './store';
import { checkWork } from './work';
import { ConfigError } from './types';
import type { Backend, BackendInfo, BackendKind, Metrics, ParticleStats, RunConfig, Simulation, TargetConfig } from './types';

export type { FrameRenderer, MetricsHistory } from './runSlot';
export type { Speed } from './frameLoop';
export type { EngineEvent, EngineMessage } from './events';
export type { Recording } from './recorder';

/** The second run of the split view: same target, seed, n and step size; its own method and parameters. */
export interface CompareSnapshot {
  method: string;
  label: string;
  /** Its own method parameters (unresolved: missing ones take their defaults). */
  params: Params;
  step: number;
  msPerStep: number;
  stepsPerFrame: number;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  history: MetricsHistory;
  /** Set when a target change replaced the method asked for ('compare-switched'). */
  note: EngineEvent | undefined;
}

export interface EngineSnapshot {
  status: 'starting' | 'ready' | 'failed';
  playing: boolean;
  backendKind: BackendKind;
  backend: BackendInfo | undefined;
  /** Bumps whenever the backend (and so the GPU device) changes: the canvas is rebuilt. */
  generation: number;
  config: RunConfig;
  target: TargetInstance | undefined;
  /** Bumps on every target change (live edits included). */
  targetVersion: number;
  step: number;
  msPerStep: number;
  stepsPerFrame: number;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  history: MetricsHistory;
  /** The primary run's method label (plot legends). */
  label: string;
  /** Split view: the second run, when "Compare with" is on. */
  compare: CompareSnapshot | undefined;
  /** Split view: a third run (e.g. the "Saddle escape" preset: w-newton, wgd and wsfn side by side), when set. */
  compare2?: CompareSnapshot | undefined;
  /** The step of the primary run's latest device-loss snapshot (GPU runs; undefined: none yet). */
  snapshotStep: number | undefined;
  /** The latest event worth telling (errors, divergence, recovery); cleared by dismissMessage(). */
  message: EngineMessage | undefined;
  /** Persistent fact about the environment (e.g. no WebGPU): plain text; `noticeEvent` as data. */
  notice: string | undefined;
  noticeEvent: EngineEvent | undefined;
  /** The particles blew up: the run is paused until Reset or a change of the configuration. */
  diverged: boolean;
  recordEvery: number;
  recordedFrames: number;
  /** Steps per frame: 'auto' (adapted), a fixed k, or 'slow' (setSpeed). */
  speed: Speed;
}

export interface EngineOptions {
  config: RunConfig;
  backend?: BackendKind;
  /** navigator.gpu in the browser; undefined forces the CPU fallback. */
  gpu?: GPU | undefined;
  /** Injected for tests; defaults to createBackend. */
  createBackend?: (kind: BackendKind, gpu?: GPU) => Promise<Backend>;
  /** Injected for tests; default window.requestAnimationFrame. */
  requestFrame?: (cb: (t: number) => void) => number;
  cancelFrame?: (id: number) => void;
  /**
   * The link named no N: the first run takes the adapter's default (adapterDefaultN: 1,024 on a
   * software adapter or the CPU engine, where 4,096 makes a Sinkhorn-flow step take a minute).
   */
  nFromAdapter?: boolean;
}

const EMIT_EVERY_MS = 100;
/** Re-exported: the one divergence rule lives in ./divergence.ts. */
export { DIVERGENCE_LIMIT } from './divergence';

function methodLabel(id: string): string {
  try {
    return getMethod(id).label;
  } catch {
    return id;
  }
}

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
  private readonly watches = new WeakMap<Simulation, DivergenceWatch>();
  private readonly gpu: GPU | undefined;
  private readonly makeBackend: (kind: BackendKind, gpu?: GPU) => Promise<Backend>;
  private readonly loop: FrameLoop;
  private disposed = false;
  private readonly primary: RunSlot;
  private readonly compare: CompareRun;
  /** The third run (setCompare2): same rules as the second, its own slot. */
  private readonly compare2: CompareRun;
  private readonly snapshots = new SnapshotKeeper();
  /** The compared runs' snapshots (split view), taken with the primary's. */
  private readonly compareSnapshots = new SnapshotKeeper();
  private readonly compare2Snapshots = new SnapshotKeeper();
  private readonly recorder: Recorder;
  private readonly store: Store<EngineSnapshot>;
  private message: EngineMessage | undefined;
  private noticeEvent: EngineEvent | undefined;
  private speed: Speed = 'auto';
  private lastSlowStepAt = -Infinity;

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
    this.primary = new RunSlot({
      afterBatch: (sim) => this.afterPrimaryBatch(sim),
      onStats: (s, sim) => this.checkDivergence(this.watchOf(sim).stats(s), 'main'),
      onMetrics: (m, sim) => this.checkDivergence(this.watchOf(sim).metrics(m), 'main'),
      onStepFailed: (e) => this.stepFailed(e),
      markDirty,
    });
    this.compare = new CompareRun({
      onStats: (s, sim) => this.checkDivergence(this.watchOf(sim).stats(s), 'compare'),
      onMetrics: (m, sim) => this.checkDivergence(this.watchOf(sim).metrics(m), 'compare'),
      onStepFailed: (e) => this.stepFailed(e),
      markDirty,
    });
    this.compare2 = new CompareRun({
      onStats: (s, sim) => this.checkDivergence(this.watchOf(sim).stats(s), 'compare'),
      onMetrics: (m, sim) => this.checkDivergence(this.watchOf(sim).metrics(m), 'compare'),
      onStepFailed: (e) => this.stepFailed(e),
      markDirty,
    });
    this.recorder = new Recorder({ onLimit: (frames, limitBytes) => this.tell({ type: 'recording-stopped', frames, limitBytes }), markDirty });
    this.store = new Store(() => this.buildSnapshot(), EMIT_EVERY_MS);
  }

  // ---- React bridge -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): EngineSnapshot => this.store.getSnapshot();

  private buildSnapshot(): EngineSnapshot {
    const p = this.primary;
    const c = this.compare;
    const cs = c.slot;
    const c2 = this.compare2;
    const cs2 = c2.slot;
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
      history: copyHistory(p.history),
      label: methodLabel(this.config.method),
      compare:
        cs && c.method
          ? {
              method: c.method,
              label: methodLabel(c.method),
              params: c.params,
              step: cs.sim?.stepCount ?? 0,
              msPerStep: cs.msPerStep,
              stepsPerFrame: cs.stepsPerFrame,
              stats: cs.stats,
              metrics: cs.metrics,
              history: copyHistory(cs.history),
              note: c.note,
            }
          : undefined,
      compare2:
        cs2 && c2.method
          ? {
              method: c2.method,
              label: methodLabel(c2.method),
              params: c2.params,
              step: cs2.sim?.stepCount ?? 0,
              msPerStep: cs2.msPerStep,
              stepsPerFrame: cs2.stepsPerFrame,
              stats: cs2.stats,
              metrics: cs2.metrics,
              history: copyHistory(cs2.history),
              note: c2.note,
            }
          : undefined,
      snapshotStep: this.snapshots.latest?.step,
      message: this.message,
      notice: this.noticeEvent ? eventMessage(this.noticeEvent).text : undefined,
      noticeEvent: this.noticeEvent,
      diverged: this.diverged,
      recordEvery: this.recorder.every,
      recordedFrames: this.recorder.frames,
      speed: this.speed,
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
    if (this.nFromAdapter && this.config.n === APP_DEFAULTS.n) this.config = { ...this.config, n: adapterDefaultN(backend.info) };
    if (this.newRun(backend, this.config, 'start')) {
      this.status = 'ready';
      this.buildCompare(false);
    } else {
      this.status = 'failed';
    }
    this.emit(true);
    this.loop.start();
  }

  private async acquire(kind: BackendKind): Promise<Backend> {
    if (kind === 'gpu') {
      try {
        const b = await this.makeBackend('gpu', this.gpu);
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
    this.compare.off();
    this.compare2.off();
    this.primary.destroy();
    const b = this.backend;
    this.backend = undefined;
    b?.destroy();
    this.store.clear();
  }

  /** A canvas attaches its renderer to a slot (0: the primary run, 1: the compared run, 2: the third run); the disposer detaches it. */
  attachRenderer(r: FrameRenderer, slot: 0 | 1 | 2 = 0): () => void {
    const cmp = slot === 2 ? this.compare2 : this.compare;
    if (slot === 0) this.primary.renderer = r;
    else cmp.setRenderer(r);
    return () => {
      if (slot === 0 && this.primary.renderer === r) this.primary.renderer = undefined;
      if (slot !== 0 && cmp.rendererAttached === r) cmp.setRenderer(undefined);
    };
  }

  /** The backend's device (GPU runs) for the renderer; undefined on the CPU. */
  get device(): GPUDevice | undefined {
    return this.backend?.device;
  }

  get simulation(): Simulation | undefined {
    return this.primary.sim;
  }

  /** The compared run's simulation (split view), if any. */
  get compareSimulation(): Simulation | undefined {
    return this.compare.sim;
  }

  // ---- frame loop ---------------------------------------------------------------------------

  private frame(now: number): void {
    if (this.disposed) return;
    const p = this.primary;
    if (!p.sim) return;
    const c = this.compare.sim ? this.compare.slot : undefined;
    const c2 = this.compare2.sim ? this.compare2.slot : undefined;
    const fixed = speedSteps(this.speed, now, this.lastSlowStepAt);
    const others = [c, c2].filter((x) => x !== undefined);
    const otherSteps = others.length > 0 ? Math.min(...others.map((x) => fixed ?? x.stepsPerFrame)) : undefined;
    const plan = batchPlan(fixed ?? p.stepsPerFrame, otherSteps, p.sim.stepCount, this.recorder.every);
    if (this.playing && !p.busy && !c?.busy && !c2?.busy && fixed !== 0) {
      p.runBatch(plan.steps, plan.budgetMs);
      c?.runBatch(plan.steps, plan.budgetMs);
      c2?.runBatch(plan.steps, plan.budgetMs);
      if (this.speed === 'slow') this.lastSlowStepAt = now;
    }
    if (this.target) {
      p.draw(this.target);
      c?.draw(this.target);
      c2?.draw(this.target);
    }
    p.poll(now, plan.metricsEveryMs);
    c?.poll(now, plan.metricsEveryMs);
    c2?.poll(now, plan.metricsEveryMs);
    if (this.store.dirty || this.playing) this.emit();
  }

  /** Primary run, after a batch: record at exact multiples of recordEvery; snapshot for recovery (at once when paused: a Step, or the batch a pause waited for). */
  private async afterPrimaryBatch(sim: Simulation): Promise<void> {
    if (this.recorder.due(sim)) await this.recorder.capture(sim);
    await this.takeSnapshots(!this.playing);
  }

  /** Device-loss snapshots of every run (GPU only; never of diverged particles): when due, or now with `force`. */
  private async takeSnapshots(force: boolean): Promise<void> {
    const sim = this.primary.sim;
    if (!sim || this.backend?.info.kind !== 'gpu' || this.diverged) return;
    const now = performance.now();
    if (!force && !this.snapshots.due(now)) return;
    const compared = ([[this.compare, this.compareSnapshots], [this.compare2, this.compare2Snapshots]] as const).map(([c, k]) => (c.sim ? k.take(c.sim, now) : undefined));
    await Promise.all([this.snapshots.take(sim, now), ...compared]);
    this.emit(true); // snapshotStep (at most every 2 s while playing)
  }

  private stepFailed(e: unknown): void {
    this.playing = false;
    this.tell({ type: 'step-failed', reason: e instanceof Error ? e.message : String(e) });
  }

  /** The divergence rule of a run (src/engine/divergence.ts), built once per simulation from its config. */
  private watchOf(sim: Simulation): DivergenceWatch {
    let w = this.watches.get(sim);
    if (!w) {
      let rule: DivergenceRule;
      try {
        rule = divergenceRule(resolveTarget(sim.config.target), sim.config.init);
      } catch {
        rule = { box: DIVERGENCE_LIMIT };
      }
      this.watches.set(sim, (w = new DivergenceWatch(rule)));
    }
    return w;
  }

  private checkDivergence(d: Divergence | undefined, run: RunRole): void {
    if (!d) return;
    if (this.diverged) return;
    this.diverged = true;
    this.playing = false;
    // NaN and |x| > 1e8 word themselves (src/ui/messages.ts); the rules of this target and run say why in `reason`
    this.tell({ type: 'diverged', run, cause: d.cause, step: d.step, limit: d.limit, ...(d.cause === 'nan' || d.cause === 'overflow' ? {} : { reason: d.reason }) });
  }

  // ---- controls -----------------------------------------------------------------------------

  /** Play. After a blow-up nothing runs: the message says to Reset or change the step size. */
  play(): void {
    if (this.diverged) {
      this.tell({ type: 'blocked-after-divergence', step: this.primary.sim?.stepCount ?? 0 });
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
      if (!this.primary.busy) void this.takeSnapshots(true);
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

  /** Pause and advance exactly one step (both runs in split view). */
  stepOnce(): void {
    this.playing = false;
    if (this.diverged) {
      this.tell({ type: 'blocked-after-divergence', step: this.primary.sim?.stepCount ?? 0 });
      return;
    }
    const c = this.compare.slot;
    const c2 = this.compare2.slot;
    if (!this.primary.busy && !c?.busy && !c2?.busy) {
      this.primary.runBatch(1, FRAME_BUDGET_MS);
      c?.runBatch(1, FRAME_BUDGET_MS);
      c2?.runBatch(1, FRAME_BUDGET_MS);
    }
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
      this.buildCompare(false);
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
    this.primary.replace(sim);
    this.diverged = false;
    this.snapshots.clear();
    this.compareSnapshots.clear();
    this.compare2Snapshots.clear();
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
   * run keeps going and the message names the field. Returns true when applied. The compared run
   * (split view) follows.
   */
  configure(partial: Partial<Omit<RunConfig, 'init'>>): boolean {
    const next: RunConfig = { ...this.config, ...partial };
    const changed = changedKeys(this.config, partial);
    const sim = this.primary.sim;
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
        this.followInPlace(plan.target, plan.stepSize);
      } else if (plan.kind === 'restart') {
        checkWork(next, backend.info);
        this.replaceSim(backend.createSimulation(next));
        this.status = 'ready';
        this.buildCompare(changed.some((k) => REPLACES_COMPARE.includes(k)));
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

  // ---- split view ---------------------------------------------------------------------------

  /**
   * Split view: run `method` (with its own `params`; default: its defaults, or the current ones
   * when the method is unchanged) side by side with the primary run (same target, seed, n, step
   * size), or turn it off (undefined / 'none'). Refused with a message when identical to the
   * primary (same method and parameters) or when the method cannot run on this target; both runs
   * start over together when it is applied.
   */
  setCompare(method: string | undefined, params?: Params): boolean {
    return this.setCompareOn(this.compare, method, params);
  }

  /** A third run beside the primary and the second (the same rules as setCompare; undefined / 'none': off). */
  setCompare2(method: string | undefined, params?: Params): boolean {
    return this.setCompareOn(this.compare2, method, params);
  }

  private setCompareOn(c: CompareRun, method: string | undefined, params?: Params): boolean {
    const m = method === 'none' || method === '' ? undefined : method;
    if (!m) {
      if (c.method === undefined) return true;
      c.off();
      this.emit(true);
      return true;
    }
    const p = params ?? (m === c.method ? c.params : {});
    if (m === c.method && JSON.stringify(p) === JSON.stringify(c.params) && c.slot) return true;
    if (!this.backend || !this.primary.sim) {
      // before start(): kept and built with the first run
      c.method = m;
      c.params = p;
      c.note = undefined;
      this.emit(true);
      return true;
    }
    const r = c.choose(this.backend, this.config, m, p);
    if (!r.ok) {
      this.tell(r.event);
      return false;
    }
    // a fair comparison: all runs start together (the other compared run, if any, starts over too)
    if (this.newRun(this.backend, this.config, 'reset')) {
      const other = c === this.compare ? this.compare2 : this.compare;
      if (other.method) other.build(this.backend, this.config, false);
      this.playing = true;
      if (this.message?.event?.type.startsWith('compare') === true || this.message?.event?.type === 'diverged') this.message = undefined;
    }
    this.emit(true);
    return true;
  }

  /** The compared run's own parameters (split view on); false with a message when refused. */
  setCompareParams(params: Params): boolean {
    const m = this.compare.method;
    if (!m) return false;
    return this.setCompare(m, params);
  }

  /** (Re)create the compared run for the current primary config; a failure turns it off and says why. */
  private buildCompare(mayReplace: boolean): void {
    const backend = this.backend;
    if (!backend) return;
    for (const c of [this.compare, this.compare2]) {
      if (!c.method) continue;
      const r = c.build(backend, this.config, mayReplace);
      if (!r.ok) this.tell(r.event);
      else if (r.switched) this.message = eventMessage(r.switched);
    }
  }

  /** The primary changed target / step size in place: the compared run follows (or is rebuilt, or turned off). */
  private followInPlace(target: boolean, stepSize: boolean): void {
    for (const run of [this.compare, this.compare2]) {
      const c = run.sim;
      const method = run.method;
      if (!c || !method) continue;
      try {
        if (target) {
          resolveRun({ ...this.config, method, params: run.params }, this.backend?.info.maxParticles ?? Infinity);
          c.setTarget(this.config.target);
        }
        if (stepSize) c.setStepSize(compareStepSize(this.config, method));
      } catch {
        this.buildCompare(true);
        return;
      }
    }
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
    this.compare.detach();
    this.compare2.detach();
    this.installBackend(backend);
    this.replaceSim(sim);
    this.status = 'ready';
    this.buildCompare(false);
    oldBackend?.destroy();
    if (kind === 'cpu') this.noticeEvent = undefined;
    this.emit(true);
  }

  private async recoverFromLoss(reason: string): Promise<void> {
    const snap = this.snapshots.latest;
    const lostSim = this.primary.sim;
    // the compared runs: which run each snapshot was read from, to restore it into its replacement
    const compared = ([[this.compare, this.compareSnapshots], [this.compare2, this.compare2Snapshots]] as const).map(([run, keeper]) => ({ run, keeper, lost: run.sim, snap: keeper.latest }));
    const wasPlaying = this.playing;
    this.primary.replace(undefined);
    this.compare.detach();
    this.compare2.detach();
    let backend: Backend;
    try {
      backend = await this.makeBackend('gpu', this.gpu);
    } catch (e) {
      backend = await this.makeBackend('cpu');
      this.noticeEvent = { type: 'gpu-unavailable', reason: e instanceof Error ? e.message : String(e) };
    }
    if (this.disposed) {
      backend.destroy();
      return;
    }
    this.installBackend(backend);
    if (!this.newRun(backend, this.config, 'recovery')) return;
    this.buildCompare(false);
    const fromStep = this.snapshots.restoreInto(this.primary.sim, snap, lostSim);
    // kept, so that a second loss before the next snapshot restores this step again (not a reset)
    if (fromStep !== undefined && snap) this.snapshots.keep({ ...snap, source: this.primary.sim });
    const runs: { method: string; fromStep: number | undefined }[] = [];
    for (const { run, keeper, lost, snap: s } of compared) {
      const sim = run.sim;
      if (!sim || !run.method || !lost) continue;
      const from = keeper.restoreInto(sim, s, lost);
      if (from !== undefined && s) keeper.keep({ ...s, source: sim });
      runs.push({ method: run.method, fromStep: from });
    }
    this.tell({ type: 'device-lost', reason, recoveredOn: backend.info.kind, fromStep, ...(runs.length > 0 ? { runs } : {}) });
    this.playing = wasPlaying;
    this.emit(true);
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
    const snap = this.snapshots.latest;
    const stuck = this.primary.sim;
    const compared = ([[this.compare, this.compareSnapshots], [this.compare2, this.compare2Snapshots]] as const).map(([run, keeper]) => ({ run, keeper, stuck: run.sim, snap: keeper.latest }));
    this.loop.stop();
    this.loop.start();
    if (!this.newRun(backend, this.config, 'recovery')) return undefined;
    this.buildCompare(false);
    const fromStep = this.snapshots.restoreInto(this.primary.sim, snap, stuck);
    if (fromStep !== undefined && snap) this.snapshots.keep({ ...snap, source: this.primary.sim });
    for (const { run, keeper, stuck: old, snap: s } of compared) {
      const from = run.sim && old ? keeper.restoreInto(run.sim, s, old) : undefined;
      if (from !== undefined && s && run.sim) keeper.keep({ ...s, source: run.sim });
    }
    this.status = 'ready';
    this.playing = true;
    this.emit(true);
    return fromStep;
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
    return this.primary.sim?.positions();
  }

  // ---- recording ----------------------------------------------------------------------------

  /** Record every k-th step (0: off). Turning it on starts a fresh recording. */
  setRecordEvery(k: number): void {
    if (!this.recorder.setEvery(k)) return;
    this.startRecording();
    this.emit(true);
  }

  private startRecording(): void {
    const sim = this.primary.sim;
    const slot = this.primary;
    if (!this.recorder.start(sim, this.backend?.info) || !sim || slot.busy) return;
    slot.busy = true;
    const runId = slot.runId;
    void this.recorder.capture(sim).finally(() => {
      if (slot.runId === runId) slot.busy = false;
    });
  }

  /** The frames recorded so far; with none, one frame of the current positions. */
  async takeRecording(): Promise<Recording | undefined> {
    return this.recorder.take(this.primary.sim, this.backend?.info);
  }

  /**
   * The run's configuration as JSON-ready data (the Export config button). A target cloud from a
   * file, image or painting is summarised (point count), not listed; it is never put in the URL.
   */
  configJson(): object {
    const c = this.config;
    const target = c.target.cloud
      ? { id: c.target.id, params: c.target.params, cloud: { points: c.target.cloud.length / 2, note: 'a cloud from an image, painting or dragged samples: not stored in the URL or this file' } }
      : c.target;
    const cm = this.compare.method;
    const cm2 = this.compare2.method;
    return {
      ...c,
      target,
      init: c.init.kind === 'gaussian' ? c.init : { kind: 'positions' },
      ...(cm ? { compare: cm, compareParams: this.compare.params } : {}),
      ...(cm2 ? { compare2: cm2, compare2Params: this.compare2.params } : {}),
      backend: this.backend?.info,
      step: this.primary.sim?.stepCount ?? 0,
    };
  }
}

/** A primary change of these may make the compared method unfit: it is then replaced, and the snapshot says so. */
const REPLACES_COMPARE: readonly ConfigKey[] = ['target', 'method', 'params', 'domain'];

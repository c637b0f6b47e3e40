/**
 * The browser's controller: a plain class (no React) that owns the Backend, the current
 * Simulation and the requestAnimationFrame loop. React reads it through subscribe/getSnapshot
 * (useSyncExternalStore); only throttled summaries (~10/s) leave it, never particle buffers.
 *
 * Two run slots (src/engine/runSlot.ts): the primary run and, in split view, a second run with
 * another method on the same target, seed, n and step size; both take the same number of steps
 * per frame, so their curves share the step axis.
 *
 * Per frame: when playing, record `stepsPerFrame` steps (adapted so a batch takes ~12 ms, measured
 * from submit to queue completion), draw with the attached renderer, ask for stats (async, a few
 * bytes; one request in flight at a time). Every ~300 ms: metrics. Every ~2 s while playing
 * (GPU): a positions snapshot, so a lost device can be recovered. While recording, batches end on
 * multiples of `recordEvery` and the positions are read back at exactly those steps.
 *
 * Bad input: a config the backend rejects keeps the previous run and sets a message naming the
 * field; diverging particles (NaN or |x| > 1e8) pause with a message; a lost device is replaced
 * and the last snapshot restored; no WebGPU -> the CPU engine, said in `notice`.
 */
import { getMethod } from '../methods/registry';
import type { TargetInstance } from '../targets/types';
import { resolveRun, resolveTarget } from './config';
import { copyHistory, RunSlot, type FrameRenderer, type MetricsHistory } from './runSlot';
import { createBackend } from './backend';
import { ConfigError } from './types';
import type { Backend, BackendInfo, BackendKind, Metrics, ParticleStats, RunConfig, Simulation, TargetConfig } from './types';

export type { FrameRenderer, MetricsHistory } from './runSlot';


export interface EngineMessage {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

/** The second run of the split view: same target, seed, n and step size; its own method. */
export interface CompareSnapshot {
  method: string;
  label: string;
  step: number;
  msPerStep: number;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  history: MetricsHistory;
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
  /** The latest event worth telling (errors, divergence, recovery); cleared by dismissMessage(). */
  message: EngineMessage | undefined;
  /** Persistent fact about the environment (e.g. no WebGPU). */
  notice: string | undefined;
  recordEvery: number;
  recordedFrames: number;
}

export interface Recording {
  n: number;
  steps: number[];
  frames: Float32Array[];
  config: RunConfig;
  backend: BackendInfo | undefined;
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
}

const FRAME_BUDGET_MS = 12;
const METRICS_EVERY_MS = 300;
const SNAPSHOT_EVERY_MS = 2000;
const EMIT_EVERY_MS = 100;
const RECORD_MAX_BYTES = 256 * 1024 * 1024;
export const DIVERGENCE_LIMIT = 1e8;

/** UI names of RunConfig fields, so messages name the control the user touched. */
function fieldLabel(field: string, method: string): string {
  if (field === 'n') return 'Particles';
  if (field === 'stepSize') return 'Step size';
  if (field === 'seed') return 'Seed';
  if (field === 'method') return 'Method';
  if (field.startsWith('params.')) {
    const name = field.slice('params.'.length);
    try {
      return getMethod(method).params.find((p) => p.name === name)?.label ?? name;
    } catch {
      return name;
    }
  }
  if (field.startsWith('target')) return field === 'target' ? 'Target' : `Target ${field.slice('target.'.length)}`;
  return field;
}

export function describeConfigError(e: unknown, method: string): string {
  if (e instanceof ConfigError) return `${fieldLabel(e.field, method)}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

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
  private target: TargetInstance | undefined;
  private targetVersion = 0;
  private generation = 0;
  private status: EngineSnapshot['status'] = 'starting';
  private playing = true;
  private readonly gpu: GPU | undefined;
  private readonly makeBackend: (kind: BackendKind, gpu?: GPU) => Promise<Backend>;
  private readonly requestFrame: (cb: (t: number) => void) => number;
  private readonly cancelFrame: (id: number) => void;
  private rafId: number | undefined;
  private disposed = false;
  private lastSnapshotAt = 0;
  private lastEmitAt = 0;
  private dirty = true;
  private readonly primary: RunSlot;
  /** Split view: the second run (undefined when "Compare with" is none). */
  private compare: RunSlot | undefined;
  private compareMethod: string | undefined;
  private message: EngineMessage | undefined;
  private notice: string | undefined;
  // recovery + recording
  private snapshotData: { data: Float32Array; step: number; n: number } | undefined;
  private recordEvery = 0;
  private recording: Recording | undefined;
  private recordedBytes = 0;
  private listeners = new Set<() => void>();
  private snapshot: EngineSnapshot;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.backendKind = options.backend ?? 'gpu';
    this.gpu = options.gpu;
    this.makeBackend = options.createBackend ?? createBackend;
    this.requestFrame = options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    this.cancelFrame = options.cancelFrame ?? ((id) => cancelAnimationFrame(id));
    this.primary = new RunSlot({
      afterBatch: (sim) => this.afterPrimaryBatch(sim),
      onStats: (s) => this.checkDivergence(s),
      onStepFailed: (e) => this.stepFailed(e),
      markDirty: () => {
        this.dirty = true;
      },
    });
    this.snapshot = this.buildSnapshot();
  }

  // ---- React bridge -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EngineSnapshot => this.snapshot;

  private buildSnapshot(): EngineSnapshot {
    const p = this.primary;
    const c = this.compare;
    const cm = this.compareMethod;
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
        c && cm
          ? { method: cm, label: methodLabel(cm), step: c.sim?.stepCount ?? 0, msPerStep: c.msPerStep, stats: c.stats, metrics: c.metrics, history: copyHistory(c.history) }
          : undefined,
      message: this.message,
      notice: this.notice,
      recordEvery: this.recordEvery,
      recordedFrames: this.recording?.steps.length ?? 0,
    };
  }

  /** Publish now (discrete events) or at most every EMIT_EVERY_MS (frame updates). */
  private emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastEmitAt < EMIT_EVERY_MS) {
      this.dirty = true;
      return;
    }
    this.lastEmitAt = now;
    this.dirty = false;
    this.snapshot = this.buildSnapshot();
    for (const l of this.listeners) l();
  }

  /** Show a message (the UI reports its own input errors through this too). */
  say(kind: EngineMessage['kind'], text: string): void {
    this.message = { kind, text };
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
    try {
      this.replaceSim(backend.createSimulation(this.config));
    } catch (e) {
      this.say('error', `${describeConfigError(e, this.config.method)} — check the URL parameters`);
      this.status = 'failed';
    }
    if (this.status !== 'failed') {
      this.status = 'ready';
      if (this.compareMethod) this.rebuildCompare();
    }
    this.emit(true);
    this.rafId = this.requestFrame(this.frame);
  }

  private async acquire(kind: BackendKind): Promise<Backend> {
    if (kind === 'gpu') {
      try {
        const b = await this.makeBackend('gpu', this.gpu);
        this.notice = undefined;
        return b;
      } catch (e) {
        this.notice = 'WebGPU unavailable: running on the CPU engine (float64)';
        this.message = { kind: 'warning', text: `WebGPU unavailable (${e instanceof Error ? e.message : String(e)}): running on the CPU engine (float64)` };
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
    if (this.rafId !== undefined) this.cancelFrame(this.rafId);
    this.compare?.destroy();
    this.compare = undefined;
    this.primary.destroy();
    const b = this.backend;
    this.backend = undefined;
    b?.destroy();
    this.listeners.clear();
  }

  /** A canvas attaches its renderer to a slot (0: the primary run, 1: the compared run); the disposer detaches it. */
  attachRenderer(r: FrameRenderer, slot: 0 | 1 = 0): () => void {
    if (slot === 0) this.primary.renderer = r;
    else this.compareRenderer = r;
    if (slot === 1 && this.compare) this.compare.renderer = r;
    return () => {
      if (slot === 0 && this.primary.renderer === r) this.primary.renderer = undefined;
      if (slot === 1 && this.compareRenderer === r) {
        this.compareRenderer = undefined;
        if (this.compare) this.compare.renderer = undefined;
      }
    };
  }

  private compareRenderer: FrameRenderer | undefined;

  /** The backend's device (GPU runs) for the renderer; undefined on the CPU. */
  get device(): GPUDevice | undefined {
    return this.backend?.device;
  }

  get simulation(): Simulation | undefined {
    return this.primary.sim;
  }

  /** The compared run's simulation (split view), if any. */
  get compareSimulation(): Simulation | undefined {
    return this.compare?.sim;
  }

  // ---- frame loop ---------------------------------------------------------------------------

  private frame = (): void => {
    if (this.disposed) return;
    this.rafId = this.requestFrame(this.frame);
    const p = this.primary;
    if (!p.sim) return;
    const c = this.compare?.sim ? this.compare : undefined;
    const now = performance.now();
    if (this.playing && !p.busy && !c?.busy) {
      let k = c ? Math.min(p.stepsPerFrame, c.stepsPerFrame) : p.stepsPerFrame;
      const every = this.recordEvery;
      if (every > 0) k = Math.min(k, every - (p.sim.stepCount % every));
      const budget = c ? FRAME_BUDGET_MS / 2 : FRAME_BUDGET_MS;
      p.runBatch(Math.max(1, k), budget);
      c?.runBatch(Math.max(1, k), budget);
    }
    if (this.target) {
      p.draw(this.target);
      c?.draw(this.target);
    }
    const metricsEvery = c ? 2 * METRICS_EVERY_MS : METRICS_EVERY_MS;
    p.poll(now, metricsEvery);
    c?.poll(now, metricsEvery);
    if (this.dirty || this.playing) this.emit();
  };

  /** Primary run, after a batch: record at exact multiples of recordEvery; snapshot for recovery. */
  private async afterPrimaryBatch(sim: Simulation): Promise<void> {
    const every = this.recordEvery;
    if (every > 0 && sim.stepCount % every === 0) await this.recordFrame(sim);
    const now = performance.now();
    if (this.backend?.info.kind === 'gpu' && now - this.lastSnapshotAt >= SNAPSHOT_EVERY_MS) {
      this.lastSnapshotAt = now;
      this.snapshotData = { data: await sim.positions(), step: sim.stepCount, n: sim.n };
    }
  }

  private stepFailed(e: unknown): void {
    this.playing = false;
    this.say('error', `Paused: step failed (${e instanceof Error ? e.message : String(e)})`);
  }

  private checkDivergence(s: ParticleStats): void {
    if (!(s.nonFinite > 0 || s.maxAbs > DIVERGENCE_LIMIT)) return;
    if (!this.playing && this.message?.text.startsWith('Paused: the particles diverged')) return;
    this.playing = false;
    const cause = s.nonFinite > 0 ? 'NaN' : `|x| > ${DIVERGENCE_LIMIT.toExponential(0)}`;
    this.say('error', `Paused: the particles diverged (${cause} at step ${s.step}) — lower the step size`);
  }

  // ---- controls -----------------------------------------------------------------------------

  play(): void {
    if (!this.playing) {
      this.playing = true;
      if (this.message?.text.startsWith('Paused:')) this.message = undefined;
      this.emit(true);
    }
  }

  pause(): void {
    if (this.playing) {
      this.playing = false;
      this.emit(true);
    }
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Pause and advance exactly one step (both runs in split view). */
  stepOnce(): void {
    this.playing = false;
    if (!this.primary.busy && !this.compare?.busy) {
      this.primary.runBatch(1, FRAME_BUDGET_MS);
      this.compare?.runBatch(1, FRAME_BUDGET_MS);
    }
    this.emit(true);
  }

  /** Start the run over from the current configuration (new particles from the seed). */
  reset(): void {
    const backend = this.backend;
    if (!backend) return;
    try {
      this.replaceSim(backend.createSimulation(this.config));
      this.message = undefined;
      this.playing = true;
      if (this.compareMethod) this.rebuildCompare();
    } catch (e) {
      this.message = { kind: 'error', text: describeConfigError(e, this.config.method) };
    }
    this.emit(true);
  }

  private replaceSim(sim: Simulation): void {
    this.config = sim.config;
    this.primary.replace(sim);
    this.snapshotData = undefined;
    this.lastSnapshotAt = 0;
    this.setTargetInstance(resolveTarget(sim.config.target));
    this.startRecording();
  }

  private setTargetInstance(t: TargetInstance): void {
    this.target = t;
    this.targetVersion++;
  }

  /**
   * Change the configuration. Step size and target change in place (particles kept); anything
   * else starts a new run. If the backend rejects the config, the previous run keeps going and the
   * message names the field. Returns true when applied. The compared run (split view) follows.
   */
  configure(partial: Partial<Omit<RunConfig, 'init'>>): boolean {
    const next: RunConfig = { ...this.config, ...partial };
    const changed = (Object.keys(partial) as (keyof typeof partial)[]).filter((k) => JSON.stringify(partial[k]) !== JSON.stringify(this.config[k]));
    if (changed.length === 0) return true;
    const sim = this.primary.sim;
    const backend = this.backend;
    if (!sim || !backend) {
      this.config = next;
      this.emit(true);
      return true;
    }
    try {
      let inPlace = changed.every((k) => k === 'stepSize' || k === 'target');
      if (inPlace && changed.includes('target')) {
        // the same checks as a new run (score method on a sample-only target, torus, ...)
        resolveRun(next, backend.info.maxParticles);
        try {
          this.applyTarget(sim, next.target);
        } catch (e) {
          if (e instanceof ConfigError) throw e;
          inPlace = false; // e.g. a bigger cloud than this run holds: start a new run
        }
      }
      if (inPlace) {
        if (changed.includes('stepSize')) sim.setStepSize(next.stepSize);
        this.config = sim.config;
        this.followInPlace(changed.includes('target'), changed.includes('stepSize'));
      } else {
        this.replaceSim(backend.createSimulation(next));
        if (this.compareMethod) this.rebuildCompare();
      }
      if (this.message?.kind === 'error' && !this.message.text.startsWith('Paused:')) this.message = undefined;
      this.emit(true);
      return true;
    } catch (e) {
      this.say('error', `${describeConfigError(e, next.method)} — the previous run keeps going`);
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

  /** The compared run's config: the primary's target, seed, n, step size, domain; its own method (default params). */
  private compareConfig(method: string): RunConfig {
    return { ...this.config, method, params: {} };
  }

  /**
   * Split view: run `method` side by side with the primary run (same target, seed, n, step size),
   * or turn it off (undefined / 'none'). An incompatible method says why and leaves it off.
   */
  setCompare(method: string | undefined): boolean {
    const m = method === 'none' || method === '' ? undefined : method;
    if (m === this.compareMethod && (m === undefined || this.compare)) return true;
    this.compareMethod = m;
    if (!m) {
      this.compare?.destroy();
      this.compare = undefined;
      this.emit(true);
      return true;
    }
    if (!this.backend || !this.primary.sim) {
      this.emit(true);
      return true;
    }
    const ok = this.rebuildCompare();
    if (ok) {
      // a fair comparison: both runs start together
      try {
        this.replaceSim(this.backend.createSimulation(this.config));
      } catch (e) {
        this.say('error', describeConfigError(e, this.config.method));
      }
    }
    this.emit(true);
    return ok;
  }

  /** (Re)create the compared run from the current primary config; false (and a message) if rejected. */
  private rebuildCompare(): boolean {
    const method = this.compareMethod;
    const backend = this.backend;
    if (!method || !backend) return false;
    let sim: Simulation;
    try {
      sim = backend.createSimulation(this.compareConfig(method));
    } catch (e) {
      this.compare?.destroy();
      this.compare = undefined;
      this.compareMethod = undefined;
      this.say('error', `Compare with ${methodLabel(method)}: ${describeConfigError(e, method)} — split view off`);
      return false;
    }
    if (!this.compare) {
      this.compare = new RunSlot({
        onStepFailed: (e) => this.stepFailed(e),
        onStats: (s) => this.checkDivergence(s),
        markDirty: () => {
          this.dirty = true;
        },
      });
      this.compare.renderer = this.compareRenderer;
    }
    this.compare.replace(sim);
    return true;
  }

  /** The primary changed target / step size in place: the compared run follows (or is rebuilt, or turned off). */
  private followInPlace(target: boolean, stepSize: boolean): void {
    const c = this.compare?.sim;
    if (!c || !this.compareMethod) return;
    try {
      if (target) {
        resolveRun(this.compareConfig(this.compareMethod), this.backend?.info.maxParticles ?? Infinity);
        c.setTarget(this.config.target);
      }
      if (stepSize) c.setStepSize(this.config.stepSize);
    } catch {
      this.rebuildCompare();
    }
  }

  /** Switch between the WebGPU and CPU engines; a new run from the current configuration. */
  async setBackend(kind: BackendKind): Promise<void> {
    if (kind === this.backend?.info.kind) return;
    const backend = await this.acquire(kind);
    let sim: Simulation;
    try {
      sim = backend.createSimulation(this.config);
    } catch (e) {
      backend.destroy();
      this.say('error', `${describeConfigError(e, this.config.method)} — staying on the ${this.backend?.info.kind === 'gpu' ? 'GPU' : 'CPU'} engine`);
      return;
    }
    const oldBackend = this.backend;
    this.compare?.replace(undefined);
    this.installBackend(backend);
    this.replaceSim(sim);
    if (this.compareMethod) this.rebuildCompare();
    oldBackend?.destroy();
    if (kind === 'cpu') this.notice = undefined;
    this.emit(true);
  }

  private async recoverFromLoss(reason: string): Promise<void> {
    const snap = this.snapshotData;
    const wasPlaying = this.playing;
    this.primary.replace(undefined);
    this.compare?.replace(undefined);
    let backend: Backend;
    try {
      backend = await this.makeBackend('gpu', this.gpu);
    } catch {
      backend = await this.makeBackend('cpu');
      this.notice = 'WebGPU unavailable: running on the CPU engine (float64)';
    }
    if (this.disposed) {
      backend.destroy();
      return;
    }
    this.installBackend(backend);
    try {
      this.replaceSim(backend.createSimulation(this.config));
    } catch (e) {
      this.say('error', `GPU device lost (${reason}); a new run failed: ${describeConfigError(e, this.config.method)}`);
      return;
    }
    if (this.compareMethod) this.rebuildCompare();
    const sim = this.primary.sim;
    const where = backend.info.kind === 'gpu' ? 'a new device' : 'the CPU engine';
    if (sim && snap && snap.n === sim.n) {
      sim.setPositions(snap.data, snap.step);
      this.say('warning', `GPU device lost (${reason}) — recovered on ${where} from the snapshot at step ${snap.step}`);
    } else {
      this.say('warning', `GPU device lost (${reason}) — recovered on ${where}; no snapshot yet, so the run was reset`);
    }
    this.playing = wasPlaying;
    this.emit(true);
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
    const every = Number.isInteger(k) && k > 0 ? k : 0;
    if (every === this.recordEvery) return;
    this.recordEvery = every;
    this.startRecording();
    this.emit(true);
  }

  private startRecording(): void {
    const sim = this.primary.sim;
    if (this.recordEvery <= 0 || !sim) {
      this.recording = undefined;
      this.recordedBytes = 0;
      return;
    }
    this.recording = { n: sim.n, steps: [], frames: [], config: sim.config, backend: this.backend?.info };
    this.recordedBytes = 0;
    const slot = this.primary;
    if (sim.stepCount % this.recordEvery === 0 && !slot.busy) {
      slot.busy = true;
      const runId = slot.runId;
      void this.recordFrame(sim).finally(() => {
        if (slot.runId === runId) slot.busy = false;
      });
    }
  }

  private async recordFrame(sim: Simulation): Promise<void> {
    const rec = this.recording;
    if (!rec || rec.n !== sim.n) return;
    const step = sim.stepCount;
    const data = await sim.positions();
    if (rec !== this.recording || rec.steps[rec.steps.length - 1] === step) return;
    if (this.recordedBytes + data.byteLength > RECORD_MAX_BYTES) {
      this.recordEvery = 0;
      this.say('warning', `Recording stopped at ${rec.steps.length} frames (the ${RECORD_MAX_BYTES >> 20} MB limit); export them now`);
      return;
    }
    rec.steps.push(step);
    rec.frames.push(data);
    rec.config = sim.config;
    this.recordedBytes += data.byteLength;
    this.dirty = true;
  }

  /** The frames recorded so far; with none, one frame of the current positions. */
  async takeRecording(): Promise<Recording | undefined> {
    const sim = this.primary.sim;
    if (!sim) return undefined;
    const rec = this.recording;
    if (rec && rec.steps.length > 0) return { ...rec, steps: [...rec.steps], frames: [...rec.frames] };
    return { n: sim.n, steps: [sim.stepCount], frames: [await sim.positions()], config: sim.config, backend: this.backend?.info };
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
    return {
      ...c,
      target,
      init: c.init.kind === 'gaussian' ? c.init : { kind: 'positions' },
      ...(this.compareMethod ? { compare: this.compareMethod } : {}),
      backend: this.backend?.info,
      step: this.primary.sim?.stepCount ?? 0,
    };
  }
}

/**
 * The browser's controller: a plain class (no React) that owns the Backend, the current
 * Simulation and the requestAnimationFrame loop. React reads it through subscribe/getSnapshot
 * (useSyncExternalStore); only throttled summaries (~10/s) leave it, never particle buffers.
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
import { resolveTarget } from './config';
import { createBackend } from './backend';
import { ConfigError } from './types';
import type { Backend, BackendInfo, BackendKind, Metrics, ParticleStats, RunConfig, Simulation, TargetConfig } from './types';

/** What the engine draws with (src/render): set by the UI's canvas. */
export interface FrameRenderer {
  draw(sim: Simulation, target: TargetInstance): void;
}

export interface EngineMessage {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

export interface MetricsHistory {
  step: readonly number[];
  /** null where the method/target gives no KSD. */
  ksd: readonly (number | null)[];
  /** null where the target has no exact sampler. */
  energy: readonly (number | null)[];
  msPerStep: readonly number[];
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
const MAX_STEPS_PER_FRAME = 512;
const METRICS_EVERY_MS = 300;
const SNAPSHOT_EVERY_MS = 2000;
const EMIT_EVERY_MS = 100;
const HISTORY_MAX = 4000;
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

export class Engine {
  private backend: Backend | undefined;
  private backendKind: BackendKind;
  private sim: Simulation | undefined;
  private config: RunConfig;
  private target: TargetInstance | undefined;
  private targetVersion = 0;
  private generation = 0;
  private status: EngineSnapshot['status'] = 'starting';
  private playing = true;
  private renderer: FrameRenderer | undefined;
  private readonly gpu: GPU | undefined;
  private readonly makeBackend: (kind: BackendKind, gpu?: GPU) => Promise<Backend>;
  private readonly requestFrame: (cb: (t: number) => void) => number;
  private readonly cancelFrame: (id: number) => void;
  private rafId: number | undefined;
  private disposed = false;
  // timing
  private stepsPerFrame = 1;
  private msPerStep = 0;
  private busy = false;
  private statsBusy = false;
  private metricsBusy = false;
  private lastMetricsAt = 0;
  /** How long the last metrics() took: on a slow (software) GPU they are asked for less often. */
  private metricsMs = 0;
  private lastSnapshotAt = 0;
  private lastEmitAt = 0;
  private dirty = true;
  // results
  private stats: ParticleStats | undefined;
  private metrics: Metrics | undefined;
  private history = { step: [] as number[], ksd: [] as (number | null)[], energy: [] as (number | null)[], msPerStep: [] as number[] };
  private message: EngineMessage | undefined;
  private notice: string | undefined;
  // recovery + recording
  private snapshotData: { data: Float32Array; step: number; n: number } | undefined;
  private recordEvery = 0;
  private recording: Recording | undefined;
  private recordedBytes = 0;
  private runId = 0;
  private listeners = new Set<() => void>();
  private snapshot: EngineSnapshot;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.backendKind = options.backend ?? 'gpu';
    this.gpu = options.gpu;
    this.makeBackend = options.createBackend ?? createBackend;
    this.requestFrame = options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    this.cancelFrame = options.cancelFrame ?? ((id) => cancelAnimationFrame(id));
    this.snapshot = this.buildSnapshot();
  }

  // ---- React bridge -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EngineSnapshot => this.snapshot;

  private buildSnapshot(): EngineSnapshot {
    return {
      status: this.status,
      playing: this.playing,
      backendKind: this.backend?.info.kind ?? this.backendKind,
      backend: this.backend?.info,
      generation: this.generation,
      config: this.config,
      target: this.target,
      targetVersion: this.targetVersion,
      step: this.sim?.stepCount ?? 0,
      msPerStep: this.msPerStep,
      stepsPerFrame: this.stepsPerFrame,
      stats: this.stats,
      metrics: this.metrics,
      history: { step: [...this.history.step], ksd: [...this.history.ksd], energy: [...this.history.energy], msPerStep: [...this.history.msPerStep] },
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
    if (this.status !== 'failed') this.status = 'ready';
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
    this.sim?.destroy();
    this.sim = undefined;
    const b = this.backend;
    this.backend = undefined;
    b?.destroy();
    this.listeners.clear();
  }

  /** The canvas attaches its renderer; the disposer detaches it. */
  attachRenderer(r: FrameRenderer): () => void {
    this.renderer = r;
    return () => {
      if (this.renderer === r) this.renderer = undefined;
    };
  }

  /** The backend's device (GPU runs) for the renderer; undefined on the CPU. */
  get device(): GPUDevice | undefined {
    return this.backend?.device;
  }

  get simulation(): Simulation | undefined {
    return this.sim;
  }

  // ---- frame loop ---------------------------------------------------------------------------

  private frame = (): void => {
    if (this.disposed) return;
    this.rafId = this.requestFrame(this.frame);
    const sim = this.sim;
    if (!sim) return;
    const now = performance.now();
    if (this.playing && !this.busy) this.runBatch(sim, this.stepsPerFrame, now);
    if (this.renderer && this.target) {
      try {
        this.renderer.draw(sim, this.target);
      } catch (e) {
        console.warn('render failed', e);
      }
    }
    if (!this.statsBusy) this.pollStats(sim);
    if (!this.metricsBusy && now - this.lastMetricsAt >= Math.min(1500, Math.max(METRICS_EVERY_MS, 3 * this.metricsMs))) this.pollMetrics(sim, now);
    if (this.dirty || this.playing) this.emit();
  };

  /** Record `count` steps (cut to end on a recording boundary), time them, then record/snapshot. */
  private runBatch(sim: Simulation, count: number, now: number): void {
    let k = Math.max(1, count);
    const every = this.recordEvery;
    if (every > 0) k = Math.min(k, every - (sim.stepCount % every));
    const t0 = performance.now();
    try {
      sim.step(k);
    } catch (e) {
      this.playing = false;
      this.say('error', `Paused: step failed (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const runId = this.runId;
    const needRecord = every > 0 && sim.stepCount % every === 0;
    const needSnapshot = this.backend?.info.kind === 'gpu' && now - this.lastSnapshotAt >= SNAPSHOT_EVERY_MS;
    if (needSnapshot) this.lastSnapshotAt = now;
    this.busy = true;
    void (async () => {
      await sim.finish();
      if (runId !== this.runId) return;
      this.noteTiming(k, performance.now() - t0);
      if (needRecord) await this.recordFrame(sim);
      if (needSnapshot) this.snapshotData = { data: await sim.positions(), step: sim.stepCount, n: sim.n };
    })()
      .catch((e: unknown) => {
        if (runId === this.runId) console.warn('batch failed', e);
      })
      .finally(() => {
        this.busy = false;
      });
  }

  private noteTiming(k: number, dt: number): void {
    const ms = dt / k;
    this.msPerStep = this.msPerStep === 0 ? ms : 0.7 * this.msPerStep + 0.3 * ms;
    const target = Math.floor(FRAME_BUDGET_MS / Math.max(this.msPerStep, 1e-3));
    // grow gently (x2 at most per batch), shrink at once
    this.stepsPerFrame = Math.max(1, Math.min(MAX_STEPS_PER_FRAME, target, this.stepsPerFrame * 2));
  }

  private pollStats(sim: Simulation): void {
    this.statsBusy = true;
    const runId = this.runId;
    sim
      .stats()
      .then((s) => {
        if (runId !== this.runId || sim !== this.sim) return;
        this.stats = s;
        this.checkDivergence(s);
      })
      .catch((e: unknown) => {
        if (runId === this.runId) console.warn('stats failed', e);
      })
      .finally(() => {
        this.statsBusy = false;
      });
  }

  private checkDivergence(s: ParticleStats): void {
    if (!(s.nonFinite > 0 || s.maxAbs > DIVERGENCE_LIMIT)) return;
    if (!this.playing && this.message?.text.startsWith('Paused: the particles diverged')) return;
    this.playing = false;
    const cause = s.nonFinite > 0 ? 'NaN' : `|x| > ${DIVERGENCE_LIMIT.toExponential(0)}`;
    this.say('error', `Paused: the particles diverged (${cause} at step ${s.step}) — lower the step size`);
  }

  private pollMetrics(sim: Simulation, now: number): void {
    this.metricsBusy = true;
    this.lastMetricsAt = now;
    const runId = this.runId;
    const msPerStep = this.msPerStep;
    sim
      .metrics()
      .then((m) => {
        if (runId !== this.runId || sim !== this.sim) return;
        this.metricsMs = performance.now() - now;
        this.metrics = m;
        const h = this.history;
        if (h.step.length > 0 && h.step[h.step.length - 1] === m.step) return;
        h.step.push(m.step);
        h.ksd.push(m.ksd ?? null);
        h.energy.push(m.energy ?? null);
        h.msPerStep.push(msPerStep);
        if (h.step.length > HISTORY_MAX) {
          for (const a of [h.step, h.ksd, h.energy, h.msPerStep]) {
            const kept = a.filter((_, i) => i % 2 === 0);
            a.length = 0;
            a.push(...(kept as never[]));
          }
        }
        this.dirty = true;
      })
      .catch((e: unknown) => {
        if (runId === this.runId) console.warn('metrics failed', e);
      })
      .finally(() => {
        this.metricsBusy = false;
      });
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

  /** Pause and advance exactly one step. */
  stepOnce(): void {
    this.playing = false;
    const sim = this.sim;
    if (sim && !this.busy) this.runBatch(sim, 1, performance.now());
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
    } catch (e) {
      this.message = { kind: 'error', text: describeConfigError(e, this.config.method) };
    }
    this.emit(true);
  }

  private replaceSim(sim: Simulation): void {
    const old = this.sim;
    this.sim = sim;
    this.config = sim.config;
    this.runId++;
    this.busy = false;
    this.statsBusy = false;
    this.metricsBusy = false;
    this.stats = undefined;
    this.metrics = undefined;
    this.msPerStep = 0;
    this.stepsPerFrame = 1;
    this.history = { step: [], ksd: [], energy: [], msPerStep: [] };
    this.snapshotData = undefined;
    this.lastSnapshotAt = 0;
    this.lastMetricsAt = 0;
    this.setTargetInstance(resolveTarget(sim.config.target));
    this.startRecording();
    old?.destroy();
  }

  private setTargetInstance(t: TargetInstance): void {
    this.target = t;
    this.targetVersion++;
  }

  /**
   * Change the configuration. Step size and target change in place (particles kept); anything
   * else starts a new run. If the backend rejects the config, the previous run keeps going and the
   * message names the field. Returns true when applied.
   */
  configure(partial: Partial<Omit<RunConfig, 'init'>>): boolean {
    const next: RunConfig = { ...this.config, ...partial };
    const changed = (Object.keys(partial) as (keyof typeof partial)[]).filter((k) => JSON.stringify(partial[k]) !== JSON.stringify(this.config[k]));
    if (changed.length === 0) return true;
    const sim = this.sim;
    const backend = this.backend;
    if (!sim || !backend) {
      this.config = next;
      this.emit(true);
      return true;
    }
    try {
      if (changed.every((k) => k === 'stepSize' || k === 'target')) {
        if (changed.includes('stepSize')) sim.setStepSize(next.stepSize);
        if (changed.includes('target')) this.applyTarget(sim, next.target);
        this.config = sim.config;
      } else {
        this.replaceSim(backend.createSimulation(next));
      }
      if (this.message?.kind === 'error' && !this.message.text.startsWith('Paused:')) this.message = undefined;
      this.emit(true);
      return true;
    } catch (e) {
      this.say('error', `${describeConfigError(e, next.method)} — the previous run keeps going`);
      return false;
    }
  }

  /** Live target edit (a dragged mixture component): density and particles follow, no reset. */
  setTarget(target: TargetConfig): boolean {
    return this.configure({ target });
  }

  private applyTarget(sim: Simulation, t: TargetConfig): void {
    const instance = resolveTarget(t);
    sim.setTarget(t);
    this.setTargetInstance(instance);
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
    this.installBackend(backend);
    this.replaceSim(sim);
    oldBackend?.destroy();
    if (kind === 'cpu') this.notice = undefined;
    this.emit(true);
  }

  private async recoverFromLoss(reason: string): Promise<void> {
    const snap = this.snapshotData;
    const wasPlaying = this.playing;
    const dead = this.sim;
    this.sim = undefined;
    this.runId++;
    dead?.destroy();
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
    const sim = this.sim as Simulation | undefined;
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
    return this.sim?.positions();
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
    const sim = this.sim;
    if (this.recordEvery <= 0 || !sim) {
      this.recording = undefined;
      this.recordedBytes = 0;
      return;
    }
    this.recording = { n: sim.n, steps: [], frames: [], config: sim.config, backend: this.backend?.info };
    this.recordedBytes = 0;
    if (sim.stepCount % this.recordEvery === 0 && !this.busy) {
      this.busy = true;
      void this.recordFrame(sim).finally(() => {
        this.busy = false;
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
    const sim = this.sim;
    if (!sim) return undefined;
    const rec = this.recording;
    if (rec && rec.steps.length > 0) return { ...rec, steps: [...rec.steps], frames: [...rec.frames] };
    return { n: sim.n, steps: [sim.stepCount], frames: [await sim.positions()], config: sim.config, backend: this.backend?.info };
  }

  /** The run's configuration as JSON-ready data (the Export config button). */
  configJson(): object {
    return { ...this.config, init: this.config.init.kind === 'gaussian' ? this.config.init : { kind: 'positions' }, backend: this.backend?.info, step: this.sim?.stepCount ?? 0 };
  }
}

/**
 * Recording for export: every k-th step's positions, read back at exactly those steps (the frame
 * loop ends its batches on multiples of k). Bounded by RECORD_MAX_BYTES; past it the recording
 * stops and `onLimit` says so.
 *
 * A recording turned on after step 0 (recording starts late) still begins with a step-0 frame: the
 * run's initial positions, computed on the host by the same resolveRun every backend starts from
 * (float32, as the GPU buffer and positions() hold them), from the configuration the run had at
 * step 0. Nothing is read back or kept for it while recording is off.
 */
import { resolveRun } from './config';
import type { BackendInfo, RunConfig, Simulation } from './types';

export interface Recording {
  n: number;
  steps: number[];
  frames: Float32Array[];
  config: RunConfig;
  backend: BackendInfo | undefined;
}

export const RECORD_MAX_BYTES = 256 * 1024 * 1024;

export class Recorder {
  /** Record every `every`-th step; 0: off. */
  every = 0;
  private recording: Recording | undefined;
  private bytes = 0;
  /** The configuration the current run had at its step 0 (its step-0 frame is computed from it on export). */
  private origin: RunConfig | undefined;

  constructor(
    private readonly hooks: { onLimit: (frames: number, limitBytes: number) => void; markDirty: () => void },
    private readonly maxBytes = RECORD_MAX_BYTES,
  ) {}

  /** Frames an export holds now (the step-0 frame of a late recording included). */
  get frames(): number {
    const rec = this.recording;
    if (!rec || rec.steps.length === 0) return 0;
    return rec.steps.length + (this.stepZeroFor(rec) ? 1 : 0);
  }

  /** Set k (a positive integer; anything else turns recording off). False when unchanged. */
  setEvery(k: number): boolean {
    const every = Number.isInteger(k) && k > 0 ? k : 0;
    if (every === this.every) return false;
    this.every = every;
    return true;
  }

  /** Start a fresh recording of `sim` (or none when off). True when its current step is due now. */
  start(sim: Simulation | undefined, backend: BackendInfo | undefined): boolean {
    this.bytes = 0;
    // a new run (step 0) has a new origin; a run rebuilt at a later step (device-loss recovery, a
    // backend switch) continues the one before when it starts from the same place
    if (sim && sim.stepCount === 0) this.origin = sim.config;
    else if (sim && this.origin && !sameStart(this.origin, sim.config)) this.origin = undefined;
    if (this.every <= 0 || !sim) {
      this.recording = undefined;
      return false;
    }
    this.recording = { n: sim.n, steps: [], frames: [], config: sim.config, backend };
    return sim.stepCount % this.every === 0;
  }

  /** Is the simulation at a step to record? */
  due(sim: Simulation): boolean {
    return this.every > 0 && sim.stepCount % this.every === 0;
  }

  /** Read back and keep the current positions (once per step). */
  async capture(sim: Simulation): Promise<void> {
    const rec = this.recording;
    if (!rec || rec.n !== sim.n || this.every <= 0) return; // off, or stopped at the limit
    const step = sim.stepCount;
    const data = await sim.positions();
    if (rec !== this.recording || rec.steps[rec.steps.length - 1] === step) return;
    if (this.bytes + data.byteLength > this.maxBytes) {
      this.every = 0;
      this.hooks.onLimit(rec.steps.length, this.maxBytes);
      return;
    }
    rec.steps.push(step);
    rec.frames.push(data);
    rec.config = sim.config;
    this.bytes += data.byteLength;
    this.hooks.markDirty();
  }

  /**
   * The frames so far, a late recording's step-0 frame first; with none, one frame of `sim`'s
   * current positions.
   */
  async take(sim: Simulation | undefined, backend: BackendInfo | undefined): Promise<Recording | undefined> {
    if (!sim) return undefined;
    const rec = this.recording;
    if (rec && rec.steps.length > 0) {
      const zero = this.stepZeroFor(rec) ? this.stepZeroFrame(rec.n) : undefined;
      return { ...rec, steps: zero ? [0, ...rec.steps] : [...rec.steps], frames: zero ? [zero, ...rec.frames] : [...rec.frames] };
    }
    return { n: sim.n, steps: [sim.stepCount], frames: [await sim.positions()], config: sim.config, backend };
  }

  /** Does `rec` start after step 0 with this run's origin known? */
  private stepZeroFor(rec: Recording): boolean {
    return rec.steps[0] !== undefined && rec.steps[0] > 0 && this.origin !== undefined && this.origin.n === rec.n;
  }

  /** The run's step-0 positions (float32), or undefined when its origin no longer resolves. */
  private stepZeroFrame(n: number): Float32Array | undefined {
    const origin = this.origin;
    if (!origin || origin.n !== n) return undefined;
    try {
      return Float32Array.from(resolveRun(origin, Number.POSITIVE_INFINITY).initial);
    } catch {
      return undefined;
    }
  }
}

/** Do two configurations start from the same positions (the same initial state, particle count and seed)? */
function sameStart(a: RunConfig, b: RunConfig): boolean {
  const [i, j] = [a.init, b.init];
  const sameInit = i === j || (i.kind === 'gaussian' && j.kind === 'gaussian' && i.std === j.std && i.mean[0] === j.mean[0] && i.mean[1] === j.mean[1]);
  return sameInit && a.n === b.n && a.seed === b.seed && a.target.id === b.target.id && (a.domain ?? 'plane') === (b.domain ?? 'plane');
}

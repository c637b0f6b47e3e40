/**
 * Recording for export: every k-th step's positions, read back at exactly those steps (the frame
 * loop ends its batches on multiples of k). Bounded by RECORD_MAX_BYTES; past it the recording
 * stops and `onLimit` says so.
 */
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

  constructor(
    private readonly hooks: { onLimit: (frames: number, limitBytes: number) => void; markDirty: () => void },
    private readonly maxBytes = RECORD_MAX_BYTES,
  ) {}

  get frames(): number {
    return this.recording?.steps.length ?? 0;
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

  /** The frames so far; with none, one frame of `sim`'s current positions. */
  async take(sim: Simulation | undefined, backend: BackendInfo | undefined): Promise<Recording | undefined> {
    if (!sim) return undefined;
    const rec = this.recording;
    if (rec && rec.steps.length > 0) return { ...rec, steps: [...rec.steps], frames: [...rec.frames] };
    return { n: sim.n, steps: [sim.stepCount], frames: [await sim.positions()], config: sim.config, backend };
  }
}

/**
 * Samples per second, the flow against the generator (the status line "Generator timing").
 *   flow       N particles after k steps that took T ms of wall time while playing: N / T samples per
 *              second (the flow's particles are its samples at its current step count), and N k / T
 *              particle-steps per second. T is FlowClock's: the page's wall clock between snapshots
 *              whose step count rose (paused time and time after a reset are not counted; the
 *              first batch's pipeline compilation is, as it is part of what the flow costs in the page).
 *              flowWallMs() is the estimate from the smoothed ms per step of the metrics history, for
 *              when no clock ran (each interval costs its steps x that point's ms per step).
 *   generator  N samples from one batch call of B ms: N / B samples per second; the copy of the batch
 *              through the CPU (Float32 output -> Float64 for drawing and the metrics) is timed apart.
 */
export interface FlowTiming {
  /** Milliseconds of stepping to reach `step`. */
  wallMs: number;
  /** Samples per second: N / wall time. */
  samplesPerSec: number;
  /** Particle-steps per second: N step / wall time. */
  particleStepsPerSec: number;
}

/** Step wall time (ms) from the history's step / msPerStep series and the current step and ms per step. */
export function flowWallMs(steps: readonly number[], msPerStep: readonly number[], step: number, currentMs: number): number {
  let t = 0;
  let prev = 0;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] ?? prev;
    const ms = msPerStep[i] ?? currentMs;
    if (s > prev && Number.isFinite(ms)) t += (s - prev) * ms;
    prev = Math.max(prev, s);
  }
  if (step > prev && Number.isFinite(currentMs)) t += (step - prev) * currentMs;
  return t;
}

/**
 * Wall time of the flow's stepping, observed from the engine's snapshots: observe(step, playing, now)
 * on each one. Time counts from the first playing observation to each one whose step rose; a pause
 * stops the clock and a step count that went down (Reset, a new run) restarts it from zero.
 */
export class FlowClock {
  private wall = 0;
  private lastStep = 0;
  /** When the step last rose while playing (undefined while paused). */
  private mark: number | undefined;

  observe(step: number, playing: boolean, now: number): number {
    if (step < this.lastStep) {
      this.wall = 0;
      this.lastStep = step;
      this.mark = playing ? now : undefined;
      return this.wall;
    }
    if (!playing) {
      // steps taken since the last mark (Step button, or the batch that ended as Pause came) are not timed
      this.lastStep = step;
      this.mark = undefined;
      return this.wall;
    }
    if (this.mark === undefined) {
      this.mark = now;
      this.lastStep = step;
    } else if (step > this.lastStep) {
      this.wall += now - this.mark;
      this.mark = now;
      this.lastStep = step;
    }
    return this.wall;
  }

  get wallMs(): number {
    return this.wall;
  }
}

export function flowTiming(n: number, step: number, wallMs: number): FlowTiming | undefined {
  if (!(step > 0 && wallMs > 0)) return undefined;
  return { wallMs, samplesPerSec: (n * 1000) / wallMs, particleStepsPerSec: (n * step * 1000) / wallMs };
}

/** 1234567 -> "1.23M", 4567 -> "4.57k". */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return x.toPrecision(3);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

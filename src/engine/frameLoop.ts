/**
 * The requestAnimationFrame loop and the per-frame batch rule. Per frame, while playing, every
 * run records `k` steps: k adapts so that a batch takes ~FRAME_BUDGET_MS (each RunSlot measures
 * its own ms/step; in split view both runs take the smaller k, within half the budget each, so
 * their curves share the step axis); while recording, batches end on multiples of recordEvery.
 */
export const FRAME_BUDGET_MS = 12;
export const METRICS_EVERY_MS = 300;

export interface BatchPlan {
  /** Steps to record in this frame (>= 1). */
  steps: number;
  /** Time budget per run (ms): the next k is sized from it. */
  budgetMs: number;
  /** How often metrics are asked for (ms): twice as rarely with two runs. */
  metricsEveryMs: number;
}

/** The batch for one frame: `stepsPerFrame` of each run, the current step, the recording period (0: off). */
export function batchPlan(primarySteps: number, compareSteps: number | undefined, stepCount: number, recordEvery: number): BatchPlan {
  let k = compareSteps === undefined ? primarySteps : Math.min(primarySteps, compareSteps);
  if (recordEvery > 0) k = Math.min(k, recordEvery - (stepCount % recordEvery));
  const two = compareSteps !== undefined;
  return { steps: Math.max(1, k), budgetMs: two ? FRAME_BUDGET_MS / 2 : FRAME_BUDGET_MS, metricsEveryMs: two ? 2 * METRICS_EVERY_MS : METRICS_EVERY_MS };
}

/** Calls `onFrame` once per animation frame until stopped (frame functions injectable for tests). */
export class FrameLoop {
  private id: number | undefined;
  private running = false;

  constructor(
    private readonly onFrame: (now: number) => void,
    private readonly requestFrame: (cb: (t: number) => void) => number = (cb) => requestAnimationFrame(cb),
    private readonly cancelFrame: (id: number) => void = (id) => cancelAnimationFrame(id),
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.id = this.requestFrame(this.tick);
  }

  stop(): void {
    this.running = false;
    if (this.id !== undefined) this.cancelFrame(this.id);
    this.id = undefined;
  }

  private tick = (): void => {
    if (!this.running) return;
    this.id = this.requestFrame(this.tick);
    this.onFrame(performance.now());
  };
}

/** The Speed control: 'auto' (k adapts to the frame budget), a fixed k steps per frame, or 'slow' (one step every SLOW_STEP_MS). */
export type Speed = 'auto' | 'slow' | number;
export const SPEEDS: readonly Speed[] = ['auto', 1, 2, 5, 10, 50, 'slow'];
export const SLOW_STEP_MS = 250;

/** Steps this frame asks for: undefined = the adapted k (auto); 0 = not yet (slow mode between steps). */
export function speedSteps(speed: Speed, now: number, lastSlowStepAt: number): number | undefined {
  if (speed === 'auto') return undefined;
  if (speed === 'slow') return now - lastSlowStepAt >= SLOW_STEP_MS ? 1 : 0;
  return Math.max(1, Math.floor(speed));
}

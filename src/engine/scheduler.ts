/**
 * What one animation frame does with the runs (src/engine/runList.ts), the primary first: every run
 * records the same number of steps (lockstep: their curves share the step axis; the batch rule is
 * src/engine/frameLoop.ts batchPlan), then each run is drawn by the canvas attached at its index, then
 * each run's stats and metrics are asked for. A run still finishing its last batch holds every run
 * back. No state of its own.
 */
import { batchPlan, FRAME_BUDGET_MS, speedSteps, type Speed } from './frameLoop';
import type { FrameRenderer, RunSlot } from './runSlot';
import type { TargetInstance } from '../targets/types';

export interface FrameInput {
  now: number;
  playing: boolean;
  speed: Speed;
  lastSlowStepAt: number;
  /** The recording period (0: off): batches end on its multiples. */
  recordEvery: number;
  target: TargetInstance | undefined;
  /** The canvas renderer attached at each run index. */
  renderers: readonly (FrameRenderer | undefined)[];
}

/** Run one frame over `slots` (index 0: the primary, with a simulation). Returns whether a batch was started. */
export function runFrame(slots: readonly RunSlot[], f: FrameInput): boolean {
  const primary = slots[0];
  if (!primary?.sim) return false;
  const fixed = speedSteps(f.speed, f.now, f.lastSlowStepAt);
  const others = slots.slice(1);
  const otherSteps = others.length > 0 ? Math.min(...others.map((x) => fixed ?? x.stepsPerFrame)) : undefined;
  const plan = batchPlan(fixed ?? primary.stepsPerFrame, otherSteps, primary.sim.stepCount, f.recordEvery);
  let stepped = false;
  if (f.playing && fixed !== 0 && slots.every((s) => !s.busy)) {
    for (const s of slots) s.runBatch(plan.steps, plan.budgetMs);
    stepped = true;
  }
  if (f.target) {
    slots.forEach((s, i) => {
      s.renderer = f.renderers[i];
      s.draw(f.target as TargetInstance);
    });
  }
  for (const s of slots) s.poll(f.now, plan.metricsEveryMs);
  return stepped;
}

/** Advance every run exactly one step (Step while paused), when none is busy. */
export function stepAll(slots: readonly RunSlot[]): void {
  if (slots.some((s) => s.busy)) return;
  for (const s of slots) s.runBatch(1, FRAME_BUDGET_MS);
}

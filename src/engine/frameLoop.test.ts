import { describe, expect, it } from 'vitest';
import { batchPlan, FRAME_BUDGET_MS, FrameLoop, METRICS_EVERY_MS } from './frameLoop';

describe('frame loop', () => {
  it('batch rule: own k alone, the smaller k in split view, ending on multiples of recordEvery', () => {
    expect(batchPlan(8, undefined, 0, 0)).toEqual({ steps: 8, budgetMs: FRAME_BUDGET_MS, metricsEveryMs: METRICS_EVERY_MS });
    expect(batchPlan(8, 3, 0, 0)).toEqual({ steps: 3, budgetMs: FRAME_BUDGET_MS / 2, metricsEveryMs: 2 * METRICS_EVERY_MS });
    expect(batchPlan(8, undefined, 7, 5).steps).toBe(3); // 7 + 3 = 10, a multiple of 5
    expect(batchPlan(8, undefined, 10, 5).steps).toBe(5);
    expect(batchPlan(0, undefined, 0, 0).steps).toBe(1);
  });

  it('calls onFrame once per requested frame until stopped', () => {
    const queue: ((t: number) => void)[] = [];
    let cancelled = 0;
    let frames = 0;
    const loop = new FrameLoop(
      () => frames++,
      (cb) => queue.push(cb),
      () => cancelled++,
    );
    loop.start();
    loop.start(); // idempotent
    expect(queue.length).toBe(1);
    for (let i = 0; i < 3; i++) queue.shift()?.(0);
    expect(frames).toBe(3);
    loop.stop();
    expect(cancelled).toBe(1);
    queue.shift()?.(0);
    expect(frames).toBe(3);
  });
});

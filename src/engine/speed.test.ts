/** The Speed control (Engine.setSpeed, frameLoop.speedSteps): fixed k per frame, slow mode, auto. */
import { describe, expect, it } from 'vitest';
import { SLOW_STEP_MS, speedSteps } from './frameLoop';
import { manualEngine as manualEngineOf } from './manualEngine';
import type { RunConfig } from './types';

const config: RunConfig = {
  method: 'langevin',
  params: {},
  target: { id: 'gaussian', params: {} },
  n: 64,
  stepSize: 0.05,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

const manualEngine = (): ReturnType<typeof manualEngineOf> => manualEngineOf(config);

describe('speed', () => {
  it('speedSteps: auto defers to the adapted k, a number is that k, slow is 1 once 250 ms passed', () => {
    expect(speedSteps('auto', 0, 0)).toBeUndefined();
    expect(speedSteps(5, 0, 0)).toBe(5);
    expect(speedSteps('slow', 1000, 1000 - SLOW_STEP_MS + 1)).toBe(0);
    expect(speedSteps('slow', 1000, 1000 - SLOW_STEP_MS)).toBe(1);
  });

  it('a fixed speed takes exactly k steps per frame; the snapshot says the speed', async () => {
    const { engine, frame } = await manualEngine();
    engine.setSpeed(5);
    expect(engine.getSnapshot().speed).toBe(5);
    const s0 = engine.simulation?.stepCount ?? 0;
    for (let i = 0; i < 4; i++) await frame();
    expect((engine.simulation?.stepCount ?? 0) - s0).toBe(20);
    engine.setSpeed(50);
    const s1 = engine.simulation?.stepCount ?? 0;
    await frame();
    expect((engine.simulation?.stepCount ?? 0) - s1).toBe(50);
    engine.setSpeed(Number.NaN);
    expect(engine.getSnapshot().speed).toBe('auto');
    engine.dispose();
  });

  it('slow: one step per 250 ms whatever the frame rate', async () => {
    const { engine, frame } = await manualEngine();
    engine.setSpeed('slow');
    const s0 = engine.simulation?.stepCount ?? 0;
    const t0 = performance.now();
    for (let i = 0; i < 8; i++) await frame();
    // at most one step per 250 ms elapsed (plus the first), however many frames ran (a loaded machine may be slow)
    const done = (engine.simulation?.stepCount ?? 0) - s0;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThanOrEqual(1 + Math.floor((performance.now() - t0) / SLOW_STEP_MS));
    expect(done).toBeLessThan(8);
    await new Promise((r) => setTimeout(r, SLOW_STEP_MS + 20));
    await frame();
    await frame();
    expect((engine.simulation?.stepCount ?? 0) - s0).toBeGreaterThan(done);
    engine.dispose();
  });

  it('auto: the batch grows from 1 as frames come in', async () => {
    const { engine, frame } = await manualEngine();
    for (let i = 0; i < 6; i++) await frame();
    expect(engine.getSnapshot().speed).toBe('auto');
    expect(engine.getSnapshot().stepsPerFrame).toBeGreaterThan(1);
    engine.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './backend';
import { Recorder } from './recorder';
import { SnapshotKeeper } from './recovery';
import type { RunConfig, Simulation } from './types';

const config: RunConfig = { method: 'langevin', params: {}, target: { id: 'gaussian', params: {} }, n: 2, stepSize: 0.1, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } };

/** A two-particle stand-in: positions are (step, -step) per particle. */
function fakeSim(): Simulation & { restored: Float32Array | undefined } {
  let steps = 0;
  const sim = {
    backend: { kind: 'cpu' as const, description: 'fake', maxParticles: 10 },
    config,
    n: 2,
    restored: undefined as Float32Array | undefined,
    get stepCount() {
      return steps;
    },
    step: (k: number) => {
      steps += k;
    },
    setTarget: () => undefined,
    setStepSize: () => undefined,
    positions: () => Promise.resolve(new Float32Array([steps, -steps, steps, -steps])),
    setPositions: (d: Float32Array | Float64Array, s?: number) => {
      sim.restored = Float32Array.from(d);
      steps = s ?? 0;
    },
    stats: () => Promise.reject(new Error('unused')),
    metrics: () => Promise.reject(new Error('unused')),
    finish: () => Promise.resolve(),
    destroy: () => undefined,
  };
  return sim;
}

describe('Recorder', () => {
  it('keeps each due step once, in order, and stops at the byte limit saying how many frames', async () => {
    const limits: number[] = [];
    const rec = new Recorder({ onLimit: (f) => limits.push(f), markDirty: () => undefined }, 3 * 16);
    const sim = fakeSim();
    expect(rec.setEvery(2)).toBe(true);
    expect(rec.setEvery(2)).toBe(false);
    expect(rec.start(sim, sim.backend)).toBe(true); // step 0 is due
    for (let i = 0; i < 5; i++) {
      if (rec.due(sim)) await rec.capture(sim);
      await rec.capture(sim); // a second capture of the same step is ignored
      sim.step(2);
    }
    const r = await rec.take(sim, sim.backend);
    expect(r?.steps).toEqual([0, 2, 4]);
    expect(Array.from(r?.frames[1] ?? [])).toEqual([2, -2, 2, -2]);
    expect(limits).toEqual([3]);
    expect(rec.every).toBe(0);
  });

  it('with nothing recorded, take() gives one frame of the current positions', async () => {
    const rec = new Recorder({ onLimit: () => undefined, markDirty: () => undefined });
    const sim = fakeSim();
    sim.step(5);
    const r = await rec.take(sim, undefined);
    expect(r?.steps).toEqual([5]);
    expect(await rec.take(undefined, undefined)).toBeUndefined();
  });
});

describe('Recorder: a recording that starts late (issue 22 item 9)', () => {
  it("begins with the run's step-0 frame, the positions the simulation started from, bit for bit", async () => {
    const cpu = createCpuBackend();
    const run: RunConfig = { ...config, method: 'svgd', target: { id: 'banana', params: {} }, n: 64, stepSize: 0.05, seed: 7 };
    const sim = cpu.createSimulation(run);
    const start = await sim.positions();
    const rec = new Recorder({ onLimit: () => undefined, markDirty: () => undefined });
    expect(rec.start(sim, cpu.info)).toBe(false); // recording off: nothing read back
    sim.step(7);
    // turned on at step 7, every 5: frames at 10 and 15, and the step-0 frame first
    rec.setEvery(5);
    expect(rec.start(sim, cpu.info)).toBe(false); // 7 is not due
    for (let s = 7; s < 16; s++) {
      if (rec.due(sim)) await rec.capture(sim);
      sim.step(1);
    }
    expect(rec.frames).toBe(3);
    const r = await rec.take(sim, cpu.info);
    expect(r?.steps).toEqual([0, 10, 15]);
    expect(r?.frames).toHaveLength(3);
    expect(Array.from(r?.frames[0] ?? [])).toEqual(Array.from(start));
    expect(Array.from(r?.frames[1] ?? [])).not.toEqual(Array.from(start));
    sim.destroy();
  });

  it('a recording from step 0 has no extra frame; a new run (another seed) has its own origin', async () => {
    const rec = new Recorder({ onLimit: () => undefined, markDirty: () => undefined });
    const sim = fakeSim();
    rec.setEvery(2);
    expect(rec.start(sim, sim.backend)).toBe(true);
    await rec.capture(sim);
    sim.step(2);
    await rec.capture(sim);
    expect((await rec.take(sim, sim.backend))?.steps).toEqual([0, 2]);
    // a run rebuilt at a later step from another start (not the same run): no step-0 frame is made up
    const other = fakeSim();
    other.step(4);
    Object.assign(other, { config: { ...config, seed: 99 } });
    rec.start(other, other.backend);
    await rec.capture(other);
    expect((await rec.take(other, other.backend))?.steps).toEqual([4]);
    expect(rec.frames).toBe(1);
  });
});

describe('SnapshotKeeper (device-loss recovery)', () => {
  it('takes a snapshot at most every period and restores it into a run of the same n', async () => {
    const keeper = new SnapshotKeeper(1000);
    const sim = fakeSim();
    sim.step(3);
    await keeper.maybeTake(sim, 0);
    sim.step(4);
    await keeper.maybeTake(sim, 500); // not due
    expect(keeper.latest?.step).toBe(3);
    const fresh = fakeSim();
    expect(keeper.restoreInto(fresh)).toBe(3);
    expect(fresh.stepCount).toBe(3);
    expect(Array.from(fresh.restored ?? [])).toEqual([3, -3, 3, -3]);
    keeper.clear();
    expect(keeper.restoreInto(fakeSim())).toBeUndefined();
  });
});

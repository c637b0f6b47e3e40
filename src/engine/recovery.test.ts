/**
 * Device loss (issue 21 item 10), on a stand-in GPU backend: the CPU engine's simulations behind a
 * backend that says it is 'gpu' (so the engine takes its recovery snapshots) and whose `lost`
 * promise the test resolves. Each loss builds a fresh stand-in, as a real recovery builds a new
 * device. What is checked: a paused run keeps its last step, a second loss soon after a recovery
 * restores the same step (not step 0), and in split view the compared runs are restored too and the
 * event lists every run (src/ui/deviceLost.test.ts checks the words).
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './backend';
import { Engine } from './Engine';
import { SnapshotKeeper } from './recovery';
import type { Backend, RunConfig, Simulation } from './types';

const config: RunConfig = {
  method: 'langevin',
  params: {},
  target: { id: 'gaussian', params: {} },
  n: 64,
  stepSize: 0.05,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

/** An engine on stand-in GPU backends (one per device), frames run by hand; lose() loses the current device. */
async function lossEngine(c: RunConfig = config): Promise<{ engine: Engine; frame: () => Promise<void>; lose: (reason: string) => Promise<void>; devices: () => number }> {
  let pending: ((t: number) => void) | undefined;
  const losers: ((reason: string) => void)[] = [];
  const make = (): Promise<Backend> => {
    const cpu = createCpuBackend();
    let lose: (reason: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => {
      lose = resolve;
    });
    losers.push(lose);
    return Promise.resolve({ info: { ...cpu.info, kind: 'gpu', description: 'stand-in GPU' }, createSimulation: (cfg: RunConfig) => cpu.createSimulation(cfg), lost, destroy: () => cpu.destroy() });
  };
  const engine = new Engine({
    config: c,
    backend: 'gpu',
    createBackend: make,
    requestFrame: (cb) => {
      pending = cb;
      return 1;
    },
    cancelFrame: () => undefined,
  });
  await engine.start();
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 8; i++) await new Promise((r) => setTimeout(r, 0));
  };
  const frame = async (): Promise<void> => {
    pending?.(performance.now());
    await settle();
  };
  const lose = async (reason: string): Promise<void> => {
    losers[losers.length - 1]?.(reason);
    await settle();
  };
  return { engine, frame, lose, devices: () => losers.length };
}

function lostEvent(engine: Engine): Extract<NonNullable<ReturnType<Engine['getSnapshot']>['message']>['event'], { type: 'device-lost' }> {
  const e = engine.getSnapshot().message?.event;
  if (e?.type !== 'device-lost') throw new Error(`no device-lost message: ${JSON.stringify(e)}`);
  return e;
}

describe('device loss: snapshots and recovery (stand-in GPU backend)', () => {
  it('a paused run is restored at the step it was paused at, not at the last periodic snapshot', async () => {
    const { engine, frame, lose, devices } = await lossEngine();
    await frame(); // the first batch takes a snapshot (the next periodic one is 2 s away)
    const first = engine.getSnapshot().snapshotStep;
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++) await frame();
    engine.pause();
    await frame();
    const paused = engine.simulation?.stepCount ?? 0;
    expect(paused).toBeGreaterThan(first ?? 0);
    const before = Array.from((await engine.simulation?.positions()) ?? []);
    expect(engine.getSnapshot().snapshotStep, 'a snapshot on pause').toBe(paused);
    await lose('simulated');
    expect(devices()).toBe(2);
    expect(lostEvent(engine).fromStep).toBe(paused);
    expect(engine.simulation?.stepCount).toBe(paused);
    expect(engine.getSnapshot().playing, 'still paused').toBe(false);
    const after = Array.from((await engine.simulation?.positions()) ?? []);
    expect(after).toEqual(before);
    engine.dispose();
  });

  it('a Step while paused is in the snapshot too', async () => {
    const { engine, frame, lose } = await lossEngine();
    await frame();
    engine.pause();
    await frame();
    const paused = engine.simulation?.stepCount ?? 0;
    engine.stepOnce();
    await frame();
    expect(engine.simulation?.stepCount).toBe(paused + 1);
    await lose('simulated');
    expect(lostEvent(engine).fromStep).toBe(paused + 1);
    expect(engine.simulation?.stepCount).toBe(paused + 1);
    engine.dispose();
  });

  it('a second loss soon after a recovery restores the same step again (not a reset to step 0)', async () => {
    const { engine, frame, lose } = await lossEngine();
    for (let i = 0; i < 3; i++) await frame();
    const snap = engine.getSnapshot().snapshotStep ?? 0;
    expect(snap).toBeGreaterThan(0);
    await lose('first');
    expect(lostEvent(engine).fromStep).toBe(snap);
    expect(engine.getSnapshot().snapshotStep, 'the restored snapshot is kept').toBe(snap);
    await lose('second'); // before any frame ran on the new device
    const e = lostEvent(engine);
    expect(e.reason).toBe('second');
    expect(e.fromStep).toBe(snap);
    expect(engine.simulation?.stepCount).toBe(snap);
    // and the run goes on from there
    for (let i = 0; i < 3; i++) await frame();
    expect(engine.simulation?.stepCount).toBeGreaterThan(snap);
    engine.dispose();
  });

  it('split view: the compared runs are restored from their snapshots and the event lists each', async () => {
    const { engine, frame, lose } = await lossEngine();
    expect(engine.setCompare('svgd')).toBe(true);
    expect(engine.setCompare2('gwg')).toBe(true);
    for (let i = 0; i < 4; i++) await frame();
    engine.pause();
    await frame();
    const step = engine.simulation?.stepCount ?? 0;
    expect(step).toBeGreaterThan(0);
    expect(engine.compareSimulation?.stepCount).toBe(step);
    const cmpBefore = Array.from((await engine.compareSimulation?.positions()) ?? []);
    await lose('simulated');
    const e = lostEvent(engine);
    expect(e.fromStep).toBe(step);
    expect(e.runs).toEqual([
      { method: 'svgd', fromStep: step },
      { method: 'gwg', fromStep: step },
    ]);
    expect(engine.compareSimulation?.stepCount).toBe(step);
    expect(engine.getSnapshot().compare2?.step).toBe(step);
    expect(Array.from((await engine.compareSimulation?.positions()) ?? [])).toEqual(cmpBefore);
    engine.dispose();
  });

  it('split view: a loss before any snapshot restarts both runs, and the event says so for each', async () => {
    const { engine, frame, lose } = await lossEngine();
    for (let i = 0; i < 3; i++) await frame();
    // turning the split view on starts both runs over: no snapshot of either yet
    expect(engine.setCompare('svgd')).toBe(true);
    expect(engine.getSnapshot().snapshotStep).toBeUndefined();
    await lose('simulated');
    const e = lostEvent(engine);
    expect(e.fromStep).toBeUndefined();
    expect(e.runs).toEqual([{ method: 'svgd', fromStep: undefined }]);
    expect(engine.simulation?.stepCount).toBe(0);
    expect(engine.compareSimulation?.stepCount).toBe(0);
    engine.dispose();
  });
});

describe('SnapshotKeeper', () => {
  it('drops a read abandoned by a lost run (empty positions) and a read that lands after clear() or keep()', async () => {
    const keeper = new SnapshotKeeper(1000);
    let steps = 5;
    let empty = false;
    let release: () => void = () => undefined;
    const held = new Promise<Float32Array>((r) => {
      release = () => r(new Float32Array([1, 2]));
    });
    let hold = false;
    const sim = {
      n: 1,
      get stepCount() {
        return steps;
      },
      finish: () => Promise.resolve(),
      positions: () =>
        hold
          ? held
          : Promise.resolve(empty ? new Float32Array(0) : new Float32Array([steps, -steps])),
    } as unknown as Simulation;
    await keeper.take(sim, 0);
    expect(keeper.latest?.step).toBe(5);
    empty = true;
    steps = 6;
    await keeper.take(sim, 10);
    expect(keeper.latest?.step, 'an empty read keeps the previous snapshot').toBe(5);
    empty = false;
    hold = true;
    const pending = keeper.take(sim, 20);
    keeper.keep({ data: new Float32Array([9, 9]), step: 9, n: 1 });
    release();
    await pending;
    expect(keeper.latest?.step, 'a read older than keep() is dropped').toBe(9);
    // restoreInto checks the source run when asked
    const other = { ...sim } as Simulation;
    keeper.keep({ data: new Float32Array([3, 3]), step: 3, n: 1, source: other });
    const target = { n: 1, setPositions: () => undefined } as unknown as Simulation;
    expect(keeper.restoreInto(target, keeper.latest, sim)).toBeUndefined();
    expect(keeper.restoreInto(target, keeper.latest, other)).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './backend';
import { Engine } from './Engine';
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

/** An engine on the CPU backend whose frames are run by hand (./manualEngine.ts). */
const manualEngine = (c: RunConfig = config): ReturnType<typeof manualEngineOf> => manualEngineOf(c);

describe('Engine (CPU backend, manual frames)', () => {
  it('steps while playing, pauses, steps once, resets', async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.getSnapshot().backend?.kind).toBe('cpu');
    for (let i = 0; i < 3; i++) await frame();
    const s = engine.simulation?.stepCount ?? 0;
    expect(s).toBeGreaterThan(0);
    engine.pause();
    await frame();
    expect(engine.simulation?.stepCount).toBe(s);
    engine.stepOnce();
    await frame();
    expect(engine.simulation?.stepCount).toBe(s + 1);
    engine.reset();
    expect(engine.simulation?.stepCount).toBe(0);
    expect(engine.getSnapshot().playing).toBe(true);
    engine.dispose();
  });

  it('keeps the previous run and names the field when the config is rejected', async () => {
    const { engine, frame } = await manualEngine();
    await frame();
    const sim = engine.simulation;
    expect(engine.configure({ n: 10_000_000_000 })).toBe(false);
    expect(engine.simulation).toBe(sim);
    expect(engine.getSnapshot().config.n).toBe(64);
    expect(engine.getSnapshot().message?.event).toEqual({ type: 'config-rejected', during: 'configure', problem: expect.objectContaining({ field: 'n' }) });
    expect(engine.configure({ stepSize: -1 })).toBe(false);
    expect(engine.getSnapshot().message?.event).toEqual(expect.objectContaining({ problem: expect.objectContaining({ field: 'stepSize' }) }));
    // A combination of valid values that is invalid together is refused at resolve time, the run kept.
    expect(engine.configure({ method: 'svgd', params: { kernel: 'imq', smoothing: 'pm' } })).toBe(false);
    expect(engine.simulation).toBe(sim);
    expect(engine.getSnapshot().message?.text).toMatch(/smoothing pm is the particle-mesh Riesz kernel/);
    expect(engine.getSnapshot().message?.event).toEqual(expect.objectContaining({ problem: expect.objectContaining({ field: 'params.smoothing' }) }));
    engine.dispose();
  });

  it('changes the target in place without resetting the run', async () => {
    const { engine, frame } = await manualEngine();
    for (let i = 0; i < 3; i++) await frame();
    const sim = engine.simulation;
    const steps = sim?.stepCount ?? 0;
    expect(engine.setTarget({ id: 'gaussian', params: { mean: [2, 0] } })).toBe(true);
    expect(engine.simulation).toBe(sim);
    expect(engine.simulation?.stepCount).toBe(steps);
    expect(engine.getSnapshot().target?.params).toEqual(expect.objectContaining({ mean: [2, 0] }));
    engine.dispose();
  });

  it('pauses with a message naming the cause when the particles diverge', async () => {
    const { engine, frame } = await manualEngine({ ...config, stepSize: 1e6 });
    for (let i = 0; i < 40 && engine.getSnapshot().playing; i++) await frame();
    const snap = engine.getSnapshot();
    expect(snap.playing).toBe(false);
    expect(snap.diverged).toBe(true);
    // h = 1e6 throws the particles to |x| ~ 1e6 at step 1: the run's box (src/engine/divergence.ts, 100 x 8 here)
    // catches that before NaN or |x| > 1e8 (issue 21 item 3); whichever comes first is named, with its limit
    const event = snap.message?.event;
    expect(event).toEqual(expect.objectContaining({ type: 'diverged', run: 'main', cause: expect.stringMatching(/^(nan|overflow|box)$/), step: expect.any(Number) }));
    expect(event?.type === 'diverged' ? event.limit : undefined).toBe(event?.type === 'diverged' && event.cause === 'box' ? 800 : 1e8);
    engine.reset();
    expect(engine.getSnapshot().playing).toBe(true);
    expect(engine.getSnapshot().message).toBeUndefined();
    engine.dispose();
  });

  it('records every k-th step exactly', async () => {
    const { engine, frame } = await manualEngine();
    engine.setRecordEvery(3);
    for (let i = 0; i < 30; i++) await frame();
    const rec = await engine.takeRecording();
    expect(rec?.steps.length).toBeGreaterThan(2);
    for (const s of rec?.steps ?? []) expect(s % 3).toBe(0);
    expect(rec?.frames[0]?.length).toBe(2 * 64);
    engine.dispose();
  });
  it('split view: the compared run takes the same steps and has its own history; none turns it off', async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.setCompare('svgd')).toBe(true);
    for (let i = 0; i < 8; i++) await frame();
    const snap = engine.getSnapshot();
    expect(snap.compare?.method).toBe('svgd');
    expect(snap.compare?.label).toBeTruthy();
    expect(engine.compareSimulation?.stepCount).toBe(engine.simulation?.stepCount);
    expect(engine.compareSimulation?.config.seed).toBe(snap.config.seed);
    // a target change follows in place in both runs
    expect(engine.setTarget({ id: 'gaussian', params: { mean: [1, 0] } })).toBe(true);
    expect(engine.compareSimulation?.config.target.params).toEqual({ mean: [1, 0] });
    engine.setCompare('none');
    expect(engine.compareSimulation).toBeUndefined();
    expect(engine.getSnapshot().compare).toBeUndefined();
    engine.dispose();
  });

  it('a link without n takes the adapter default N (1,024 on the CPU engine), a link with n keeps it (issue 22 item 5)', async () => {
    const make = async (n: number, nFromAdapter: boolean): Promise<number> => {
      const engine = new Engine({ config: { ...config, n }, backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()), requestFrame: () => 1, cancelFrame: () => undefined, nFromAdapter });
      await engine.start();
      const got = engine.getSnapshot().config.n;
      engine.dispose();
      return got;
    };
    expect(await make(4096, true)).toBe(1024);
    expect(await make(4096, false)).toBe(4096);
    // a landscape's or the user's own N is not the app default: kept
    expect(await make(64, true)).toBe(64);
  });

  it('refuses a sample-only target for a score-based method and keeps the run', async () => {
    const { engine, frame } = await manualEngine();
    await frame();
    const sim = engine.simulation;
    expect(engine.setTarget({ id: 'cloud', params: {}, cloud: new Float64Array([0, 0, 1, 1, 2, 0]) })).toBe(false);
    expect(engine.simulation).toBe(sim);
    expect(engine.getSnapshot().message?.text).toMatch(/known only by samples/);
    engine.dispose();
  });
});

describe('Engine: no dead ends (issue 8, bugs 2 and 6)', () => {
  async function diverged(): Promise<Awaited<ReturnType<typeof manualEngine>>> {
    const m = await manualEngine({ ...config, stepSize: 1e6 });
    for (let i = 0; i < 40 && m.engine.getSnapshot().playing; i++) await m.frame();
    expect(m.engine.getSnapshot().diverged).toBe(true);
    return m;
  }

  it('after a blow-up Play and Step run nothing and say to Reset or lower the step size', async () => {
    const { engine, frame } = await diverged();
    const step = engine.simulation?.stepCount;
    engine.play();
    await frame();
    expect(engine.getSnapshot().playing).toBe(false);
    expect(engine.simulation?.stepCount).toBe(step);
    expect(engine.getSnapshot().message?.event).toEqual({ type: 'blocked-after-divergence', step });
    engine.stepOnce();
    await frame();
    expect(engine.simulation?.stepCount).toBe(step);
    engine.dispose();
  });

  for (const change of [{ method: 'svgd', params: {} }, { target: { id: 'banana', params: {} } }, { stepSize: 0.05 }] as const) {
    it(`after a blow-up a change of ${Object.keys(change)[0]} starts a fresh run and plays`, async () => {
      const { engine, frame } = await diverged();
      const old = engine.simulation;
      expect(engine.configure(change)).toBe(true);
      const snap = engine.getSnapshot();
      expect(engine.simulation).not.toBe(old);
      expect(snap.step).toBe(0);
      expect(snap.playing).toBe(true);
      expect(snap.diverged).toBe(false);
      expect(snap.message?.event).toEqual({ type: 'restarted', after: 'divergence', changed: [Object.keys(change)[0]] });
      if ('stepSize' in change) {
        for (let i = 0; i < 20 && engine.getSnapshot().stats === undefined; i++) await frame();
        expect(engine.simulation?.stepCount ?? 0).toBeGreaterThan(0);
        expect(engine.getSnapshot().stats?.nonFinite).toBe(0);
        expect(engine.getSnapshot().diverged).toBe(false);
      }
      engine.dispose();
    });
  }

  it('a failed start (n too large) is revived by a valid n without Reset', async () => {
    const { engine, frame } = await manualEngine({ ...config, n: 10_000_000_000 });
    expect(engine.getSnapshot().status).toBe('failed');
    expect(engine.simulation).toBeUndefined();
    expect(engine.getSnapshot().message?.event).toEqual(expect.objectContaining({ type: 'config-rejected', during: 'start', problem: expect.objectContaining({ field: 'n' }) }));
    expect(engine.configure({ n: -3 })).toBe(false);
    expect(engine.getSnapshot().message?.event).toEqual(expect.objectContaining({ during: 'revive' }));
    expect(engine.configure({ n: 64 })).toBe(true);
    expect(engine.getSnapshot().status).toBe('ready');
    expect(engine.simulation?.n).toBe(64);
    for (let i = 0; i < 3; i++) await frame();
    expect(engine.simulation?.stepCount ?? 0).toBeGreaterThan(0);
    engine.dispose();
  });

  it('split view refuses the same method with the same parameters, allows other parameters, and reports both runs', async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.setCompare('langevin')).toBe(false);
    expect(engine.getSnapshot().compare).toBeUndefined();
    expect(engine.getSnapshot().message?.event).toEqual({ type: 'compare-identical', method: 'langevin' });
    expect(engine.setCompare('langevin', { mala: false })).toBe(false); // mala=false is the default: still identical
    expect(engine.setCompare('langevin', { mala: true })).toBe(true);
    expect(engine.compareSimulation?.config.params).toEqual({ mala: true });
    // frames until both runs' stats reached the (throttled, ~10/s) snapshot
    for (let i = 0; i < 60 && !((engine.getSnapshot().compare?.stats?.step ?? 0) > 0 && (engine.getSnapshot().stats?.step ?? 0) > 0); i++) {
      await frame();
      await new Promise((r) => setTimeout(r, 20));
    }
    const snap = engine.getSnapshot();
    expect(snap.compare?.params).toEqual({ mala: true });
    expect(snap.compare?.stats?.step).toBeGreaterThan(0);
    expect(snap.stats?.step).toBeGreaterThan(0);
    expect(snap.compare?.stepsPerFrame).toBeGreaterThan(0);
    // the compared run's own parameters; identical ones refused, the run kept
    expect(engine.setCompareParams({})).toBe(false);
    expect(engine.compareSimulation?.config.params).toEqual({ mala: true });
    expect(engine.setCompare('svgd', { bandwidth: 0.5 })).toBe(true);
    expect(engine.compareSimulation?.config.params).toEqual({ bandwidth: 0.5 });
    expect(engine.getSnapshot().step).toBe(0); // both runs start together
    engine.dispose();
  });

  it('split view on a sample target: a compatible compared method is kept, an unfit one replaced and said', async () => {
    const { engine } = await manualEngine();
    expect(engine.setCompare('svgd')).toBe(true);
    // what the Target control does for a sample-only target: the main run switches to the Sinkhorn flow
    expect(engine.configure({ target: { id: 'moons', params: {} }, method: 'sinkhorn-flow', params: {} })).toBe(true);
    let snap = engine.getSnapshot();
    expect(snap.config.method).toBe('sinkhorn-flow');
    expect(snap.compare?.method).toBe('mmd-flow');
    expect(snap.compare?.note).toEqual(expect.objectContaining({ type: 'compare-switched', from: 'svgd', to: 'mmd-flow' }));
    expect(snap.message?.event?.type).toBe('compare-switched');
    // another sample target: mmd-flow still fits and is kept
    expect(engine.configure({ target: { id: '8gaussians', params: {} } })).toBe(true);
    snap = engine.getSnapshot();
    expect(snap.compare?.method).toBe('mmd-flow');
    expect(engine.compareSimulation?.config.target.id).toBe('8gaussians');
    engine.dispose();
  });
});

describe('Engine: runs as a list (issue 18 item 3)', () => {
  it('four runs (the primary and three compared runs, each its own method) step together; a fifth is refused', async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.addRun('svgd', { bandwidth: 0.5 })).toBe(true);
    expect(engine.addRun('langevin', { mala: true })).toBe(true);
    expect(engine.addRun('gwg')).toBe(true);
    expect(engine.addRun('svgd')).toBe(false);
    expect(engine.getSnapshot().message?.event).toEqual({ type: 'runs-full', max: 4 });
    for (let i = 0; i < 6; i++) await frame();
    const snap = engine.getSnapshot();
    expect(snap.runs.map((r) => [r.index, r.method])).toEqual([
      [0, 'langevin'],
      [1, 'svgd'],
      [2, 'langevin'],
      [3, 'gwg'],
    ]);
    expect(snap.runs[1]?.params).toEqual({ bandwidth: 0.5 });
    expect(snap.runs[2]?.params).toEqual({ mala: true });
    const step = engine.simulation?.stepCount ?? 0;
    expect(step).toBeGreaterThan(0);
    for (let i = 1; i <= 3; i++) {
      expect(engine.runSimulation(i)?.stepCount, `run ${i}`).toBe(step);
      expect(engine.runSimulation(i)?.config.seed).toBe(snap.config.seed);
    }
    // the older names read the same list
    expect(snap.compare?.method).toBe('svgd');
    expect(snap.compare2?.method).toBe('langevin');
    // Step advances every run by one
    engine.stepOnce();
    await frame();
    for (let i = 0; i <= 3; i++) expect(engine.runSimulation(i)?.stepCount, `run ${i}`).toBe(step + 1);
    engine.dispose();
  });

  it('a compared run takes its own step size (and may then be the primary method with its parameters); null follows the primary again', async () => {
    const { engine } = await manualEngine();
    expect(engine.setRun(1, 'langevin', {}, 0.01)).toBe(true);
    expect(engine.runSimulation(1)?.config.stepSize).toBe(0.01);
    expect(engine.getSnapshot().runs[1]?.ownStepSize).toBe(0.01);
    expect(engine.simulation?.config.stepSize).toBe(0.05);
    // the primary's step size changes in place: a run with its own step size keeps it
    expect(engine.configure({ stepSize: 0.02 })).toBe(true);
    expect(engine.runSimulation(1)?.config.stepSize).toBe(0.01);
    // an invalid own step size is refused by name and the run kept
    expect(engine.setRunStepSize(1, -1)).toBe(false);
    expect(engine.getSnapshot().message?.event).toEqual(expect.objectContaining({ type: 'compare-rejected', problem: expect.objectContaining({ field: 'stepSize' }) }));
    expect(engine.runSimulation(1)?.config.stepSize).toBe(0.01);
    // following the primary again: identical to it, refused
    expect(engine.setRunStepSize(1, undefined)).toBe(false);
    expect(engine.getSnapshot().message?.event).toEqual({ type: 'compare-identical', method: 'langevin' });
    engine.dispose();
  });

  it("a compared run's divergence pauses the view and names that run's index", async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.addRun('svgd')).toBe(true);
    expect(engine.addRun('langevin', {}, 1e6)).toBe(true);
    for (let i = 0; i < 40 && engine.getSnapshot().playing; i++) await frame();
    const snap = engine.getSnapshot();
    expect(snap.diverged).toBe(true);
    expect(snap.playing).toBe(false);
    expect(snap.message?.event).toEqual(expect.objectContaining({ type: 'diverged', run: 'compare', index: 2 }));
    engine.dispose();
  });

  it('removing a run moves the later runs down one index; the others keep their steps', async () => {
    const { engine, frame } = await manualEngine();
    expect(engine.addRun('svgd')).toBe(true);
    expect(engine.addRun('gwg')).toBe(true);
    expect(engine.addRun('langevin', { mala: true })).toBe(true);
    for (let i = 0; i < 4; i++) await frame();
    engine.pause();
    await frame();
    const step = engine.simulation?.stepCount ?? 0;
    const gwg = engine.runSimulation(2);
    expect(engine.removeRun(1)).toBe(true);
    const snap = engine.getSnapshot();
    expect(snap.runs.map((r) => r.method)).toEqual(['langevin', 'gwg', 'langevin']);
    expect(snap.runs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(engine.runSimulation(1)).toBe(gwg);
    expect(engine.simulation?.stepCount).toBe(step);
    expect(engine.runSimulation(1)?.stepCount).toBe(step);
    expect(engine.runSimulation(3)).toBeUndefined();
    // setRun(index, 'none') removes too; removing a run that is not there changes nothing
    expect(engine.setRun(2, 'none')).toBe(true);
    expect(engine.getSnapshot().runs.map((r) => r.method)).toEqual(['langevin', 'gwg']);
    expect(engine.removeRun(3)).toBe(true);
    expect(engine.getSnapshot().runs).toHaveLength(2);
    // setRuns replaces the list at once (a link)
    expect(engine.setRuns([{ method: 'svgd', params: {} }, { method: 'langevin', params: { mala: true }, stepSize: 0.02 }])).toBe(true);
    expect(engine.getSnapshot().runs.map((r) => [r.method, r.ownStepSize])).toEqual([
      ['langevin', undefined],
      ['svgd', undefined],
      ['langevin', 0.02],
    ]);
    expect(engine.configJson()).toEqual(expect.objectContaining({ compare: 'svgd', compare2: 'langevin', runs: [{ method: 'svgd', params: {} }, { method: 'langevin', params: { mala: true }, stepSize: 0.02 }] }));
    engine.dispose();
  });
});

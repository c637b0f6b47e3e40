/**
 * The work of a step, estimated before a run starts (issue 21 item 5): `#n=16776960` with SVGD froze
 * the page for minutes; now it is refused by name (field n, with the largest N that fits) and the
 * previous run keeps going. O(N) methods are bounded by the particle limit alone.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors';
import { createCpuBackend } from './backend';
import { Engine } from './Engine';
import type { RunConfig } from './types';
import { checkWork, pairBudget, pairWork, PAIR_BUDGET } from './work';

const software = { kind: 'gpu' as const, description: 'google swiftshader (software)' };
const hardware = { kind: 'gpu' as const, description: 'nvidia hopper' };
const run = (method: string, n: number, params = {}): RunConfig => ({ method, params, target: { id: 'banana', params: {} }, n, stepSize: 0.01, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } });

describe('work of a step', () => {
  it('counts the all-pairs sweeps a method declares; O(N) methods have none', () => {
    expect(pairWork(run('langevin', 16_776_960))).toBe(0);
    expect(pairWork(run('svgd', 1000))).toBe(1e6);
    expect(pairWork(run('svgd', 1000, { kernel: 'riesz' }))).toBe(0);
    expect(pairWork(run('gwg', 1000))).toBe(2e6);
    expect(pairWork({ ...run('mmd-flow', 1000), targetSamples: 4000 })).toBe(2 * 1000 * 4000);
    expect(pairWork(run('sinkhorn-flow', 100, { iterations: 6 }))).toBe(2 * 10 * 100 * 100);
  });

  it('the budget follows the adapter: hardware GPU, software GPU, CPU engine', () => {
    expect(pairBudget(hardware)).toBe(PAIR_BUDGET.hardware);
    expect(pairBudget(software)).toBe(PAIR_BUDGET.software);
    expect(pairBudget({ kind: 'cpu', description: 'CPU float64' })).toBe(PAIR_BUDGET.cpu);
  });

  it('#n=16776960 with SVGD is refused on the software GPU, naming n and the largest N that fits', () => {
    let err: unknown;
    try {
      checkWork(run('svgd', 16_776_960), software);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('n');
    expect((err as ConfigError).message).toMatch(/16,776,960 particles with SVGD make 2\.8e14 pair evaluations a step, over this backend's budget of 2\.0e9 .*: at most 44,721 particles/);
    // the largest N named fits, one more does not
    expect(() => checkWork(run('svgd', 44_721), software)).not.toThrow();
    expect(() => checkWork(run('svgd', 44_722), software)).toThrow(ConfigError);
    expect(() => checkWork(run('langevin', 16_776_960), software)).not.toThrow();
    expect(() => checkWork(run('svgd', 1_000_000), hardware)).not.toThrow();
  });

  it('the engine refuses such a run and keeps the previous one (CPU backend)', async () => {
    const engine = new Engine({ config: run('svgd', 64), backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()), requestFrame: () => 1, cancelFrame: () => undefined });
    await engine.start();
    const sim = engine.simulation;
    expect(engine.configure({ n: 1_000_000 })).toBe(false);
    expect(engine.simulation).toBe(sim);
    expect(engine.getSnapshot().config.n).toBe(64);
    expect(engine.getSnapshot().message?.text).toMatch(/1,000,000 particles with SVGD make 1\.0e12 pair evaluations a step.*at most 20,000 particles/);
    // an O(N) method at the same N is fine
    expect(engine.configure({ method: 'langevin', n: 200_000 })).toBe(true);
    // a compared all-pairs method at that N is refused by name too, the main run kept
    expect(engine.setCompare('svgd')).toBe(false);
    expect(engine.getSnapshot().config.method).toBe('langevin');
    engine.dispose();
  });
});

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
import { checkWork, landscapeWork, pairBudget, pairWork, PAIR_BUDGET, workBudget } from './work';
import { getMethod } from '../methods/registry';

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

  it('landscape methods declare their passes of N^2 (pairSweeps from their parameters); the estimate counts them per method', () => {
    const dw = (method: string, n: number, params = {}): RunConfig => ({ ...run(method, n, params), target: { id: 'double-well', params: {} } });
    // [passes a step, pair evaluations at N = 64 on a GPU backend, where the step runs]
    const seen = Object.fromEntries(['wgd', 'wgd-perturbed', 'w-newton', 'wsfn', 'jko'].map((m) => [m, [getMethod(m).pairSweeps?.({}), pairWork(dw(m, 64)), landscapeWork(dw(m, 64))?.where]]));
    expect(seen).toEqual({
      wgd: [1, 64 * 64, 'gpu'],
      'wgd-perturbed': [1, 64 * 64, 'gpu'],
      'w-newton': [23, 23 * 64 * 64, 'gpu'], // gradient, k = 20 Hessian-vector products, 2 line-search energies
      wsfn: [23, 23 * 64 * 64, 'gpu'],
      jko: [116, 116 * 64 * 64, 'host'], // 5 inner Newton solves of 23 passes, plus the result's energy
    });
    // the parameters move the count: Lanczos iterations, line search, inner iterations and solver
    expect(getMethod('wsfn').pairSweeps?.({ k: 5, lineSearch: false })).toBe(6);
    expect(getMethod('jko').pairSweeps?.({ innerIters: 2 })).toBe(2 * 23 + 1);
    expect(getMethod('jko').pairSweeps?.({ inner: 'gd', innerIters: 10 })).toBe(11);
    expect(pairWork(dw('wsfn', 64, { k: 5 }))).toBe(8 * 64 * 64);
    // the two-layer net: W averages over its M = 32 inputs (N^2 M on the GPU, N M on the host twin)
    const net = { ...run('wsfn', 16), target: { id: 'two-layer-net', params: {} } };
    expect(pairWork(net)).toBe(23 * 16 * 16 * 32);
    expect(pairWork(net, 'cpu')).toBe(23 * 16 * 32);
  });

  it('jko (its float64 twin on the host) is held to the CPU\'s budget on any adapter: N = 4,096 is refused by name, the estimate in words', () => {
    const jko = { ...run('jko', 4096), target: { id: 'double-well', params: {} } };
    expect(workBudget(jko, hardware)).toBe(PAIR_BUDGET.cpu);
    expect(workBudget({ ...jko, method: 'wsfn' }, hardware)).toBe(PAIR_BUDGET.hardware);
    let err: unknown;
    try {
      checkWork(jko, hardware);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('n');
    expect((err as ConfigError).message).toMatch(
      /^4,096 particles with .* make 1\.9e9 pair evaluations a step \(estimated before the run: 116 passes of N², on the host, float64 twin\), over this backend's budget of 4\.0e8 for a step on the host: at most 1,856 particles$/,
    );
    expect(() => checkWork({ ...jko, n: 1856 }, hardware)).not.toThrow();
    expect(() => checkWork({ ...jko, n: 1857 }, hardware)).toThrow(ConfigError);
  });

  it('a typed landscape N is kept up to the hard budget (wsfn at 4,096 on the software adapter, 70-80 s a step, runs); beyond it, refused with the estimate', () => {
    const wsfn = (n: number): RunConfig => ({ ...run('wsfn', n), target: { id: 'double-well', params: {} } });
    expect(() => checkWork(wsfn(4096), software)).not.toThrow();
    expect(() => checkWork(wsfn(9325), software)).not.toThrow();
    expect(() => checkWork(wsfn(9326), software)).toThrow(/9,326 particles with .* make 2\.0e9 pair evaluations a step \(estimated before the run: 23 passes of N², on the GPU\), over this backend's budget of 2\.0e9: at most 9,325 particles/);
    // the dense solver (its 2N x 2N eigendecomposition on the host) at its largest N = 128 is within the CPU's budget
    expect(() => checkWork({ ...wsfn(128), params: { solver: 'dense' } }, software)).not.toThrow();
  });

  it('a link with a landscape method and no n starts at the N its step cost allows on the adapter, chosen before the run starts (CPU engine: wsfn 128, jko 64); a typed N is kept', async () => {
    const start = async (method: string, n: number, nFromAdapter: boolean): Promise<number> => {
      const config = { ...run(method, n), target: { id: 'double-well', params: {} }, stepSize: 0.05 };
      const engine = new Engine({ config, backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()), requestFrame: () => 1, cancelFrame: () => undefined, nFromAdapter });
      await engine.start();
      const got = engine.getSnapshot().config.n;
      expect(engine.simulation?.config.n).toBe(got);
      engine.dispose();
      return got;
    };
    expect(await start('wsfn', 4096, true)).toBe(128);
    expect(await start('jko', 4096, true)).toBe(64);
    expect(await start('wsfn', 4096, false)).toBe(4096);
    expect(await start('wsfn', 300, true)).toBe(300);
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

/**
 * The generators suite's pure helpers: the "steps to reach" search on synthetic S_eps curves (exact
 * answers), the model selection, and the suite's flags. The timed suite itself runs in
 * `npm run bench -- --suites generators` (no timed tests here).
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './bench';
import { selectModels, stepsToReach, type CurvePoint, type IndexedModel } from './generatorsBench';

/** S(k) = 2^-k at k = 0, 5, 10, ..., 50, 10 ms per step. */
const geometric: CurvePoint[] = Array.from({ length: 11 }, (_, i) => ({ steps: 5 * i, ms: 50 * i, sinkhorn: 2 ** -(5 * i) }));

describe('stepsToReach', () => {
  it('returns the first checkpoint at or below the goal', () => {
    // 2^-k <= 1e-3 first at k = 10 (2^-10 = 9.77e-4); the resolution is the curve's (every 5 steps)
    expect(stepsToReach(geometric, 1e-3)).toEqual({ reached: true, steps: 10, ms: 100, sinkhorn: 2 ** -10 });
    // a goal equal to a checkpoint's value counts as reached there
    expect(stepsToReach(geometric, 2 ** -15)).toEqual({ reached: true, steps: 15, ms: 150, sinkhorn: 2 ** -15 });
    // the initial state may already be good enough
    expect(stepsToReach(geometric, 2)).toEqual({ reached: true, steps: 0, ms: 0, sinkhorn: 1 });
  });

  it('not reached: the closest (lowest) value, earliest on ties', () => {
    expect(stepsToReach(geometric, 0)).toEqual({ reached: false, steps: 50, ms: 500, sinkhorn: 2 ** -50 });
    // a noisy curve that bottoms out at 0.2 (steps 10 and 20) and rises again
    const noisy: CurvePoint[] = [0.9, 0.5, 0.2, 0.3, 0.2, 0.25].map((s, i) => ({ steps: 5 * i, ms: 7 * i, sinkhorn: s }));
    expect(stepsToReach(noisy, 0.1)).toEqual({ reached: false, steps: 10, ms: 14, sinkhorn: 0.2 });
    // the first crossing wins even when the curve rises after it
    expect(stepsToReach(noisy, 0.25)).toEqual({ reached: true, steps: 10, ms: 14, sinkhorn: 0.2 });
  });

  it('no answer for an empty curve or a non-finite goal', () => {
    expect(stepsToReach([], 1)).toBeUndefined();
    expect(stepsToReach(geometric, NaN)).toBeUndefined();
  });
});

describe('selectModels', () => {
  const index: IndexedModel[] = [
    { id: 'wflow-8gaussians', method: 'wflow', target: '8gaussians', file: 'a.onnx' },
    { id: 'uotm-moons', method: 'uotm', target: 'moons', file: 'b.onnx' },
    { id: 'sjko-8gaussians', method: 'sjko', target: '8gaussians', file: 'c.onnx' },
  ];
  it('defaults to the 8gaussians models; all; named ids in the given order; unknown ids refused', () => {
    expect(selectModels(index, undefined).map((m) => m.id)).toEqual(['wflow-8gaussians', 'sjko-8gaussians']);
    expect(selectModels(index, ['all']).map((m) => m.id)).toEqual(['wflow-8gaussians', 'uotm-moons', 'sjko-8gaussians']);
    expect(selectModels(index, ['uotm-moons', 'wflow-8gaussians']).map((m) => m.id)).toEqual(['uotm-moons', 'wflow-8gaussians']);
    expect(() => selectModels(index, ['wflow-rings'])).toThrow(/no model 'wflow-rings'/);
  });
});

describe('generators suite flags', () => {
  it('is opt-in, parses its flags, --quick bounds it', () => {
    const d = parseBenchArgs([]);
    expect(d !== 'help' && d.suites).not.toContain('generators');
    expect(parseBenchArgs(['--suites', 'generators', '--models', 'wflow-8gaussians', '--gen-sizes', '65536,4096', '--gen-max-s', '30', '--gen-tau', '0.5', '--gen-every', '2', '--gen-repeats', '3']))
      .toMatchObject({ genRepeats: 3, suites: ['generators'], genModels: ['wflow-8gaussians'], genSizes: [4096, 65536], genMaxS: 30, genTau: 0.5, genEvery: 2 });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ genSizes: [4096], genMaxS: 20 });
    expect(parseBenchArgs([])).toMatchObject({ genSizes: [4096, 65536], genModels: undefined, genTau: undefined, genM: 4096, genCpuMaxN: 4096 });
    expect(() => parseBenchArgs(['--gen-max-s', '-1'])).toThrow(/--gen-max-s expects a positive number/);
    expect(() => parseBenchArgs(['--suites', 'gens'])).toThrow(/opt-in: generators/);
  });
});

/**
 * The generators suite's pure helpers: the "steps to reach" search on synthetic S_eps curves (exact
 * answers), the model selection, the suite's flags, and one tiny run of the suite on the CPU backend
 * (report shape and consistency, not speed: no timing is asserted).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseBenchArgs, type BenchReport } from './bench';
import { selectModels, stepsToReach, type CurvePoint, type IndexedModel } from './generatorsBench';

const dir = mkdtempSync(join(tmpdir(), 'wgf-genbench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe('generators suite, one tiny run (CPU backend)', () => {
  it('writes rows whose generator S_eps is the card\'s metric and whose flow answer is read off its curve', async () => {
    const index = (JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { models: (IndexedModel & { evaluation: { sinkhorn: { samples: number } } })[] }).models;
    // a card measured on 512 points a side: the suite's S_eps at n = 512 is then the same number
    const card = index.find((m) => m.method !== 'sjko' && m.evaluation.sinkhorn.samples === 512);
    expect(card, 'a shipped card measured with 512 Sinkhorn samples').toBeDefined();
    if (!card) return;
    const out = join(dir, 'g.json');
    let err = '';
    const code = await main(
      ['--suites', 'generators', '--backends', 'cpu', '--models', card.id, '--gen-sizes', '512', '--gen-max-steps', '2', '--gen-repeats', '1', '--out', out],
      { out: () => undefined, err: (t) => void (err += t) },
    );
    expect(code, err).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(report.timing.generators).toBe('wall-clock');
    expect(report.generatorsRuntime?.sinkhornMetric).toMatchObject({ blur: 0.05, samples: 512 });
    const [row] = report.generators ?? [];
    expect(report.generators).toHaveLength(1);
    if (!row) return;
    expect(row).toMatchObject({ suite: 'generators', model: card.id, n: 512, generator: { ep: 'wasm' }, flow: { backend: 'cpu', method: 'sinkhorn-flow', stepSize: 0.2, m: 512 } });
    // onnxruntime (float32) vs the card's TS forward pass of the same float32 weights: within 1e-5 per
    // coordinate (generators.test.ts); S_eps moves by ~|grad| 1e-5, so 1e-4 + 1e-3 relative is generous
    const cardS = card.metrics?.sinkhorn ?? NaN;
    expect(Math.abs((row.generator.sinkhorn ?? NaN) - cardS)).toBeLessThanOrEqual(1e-4 + 1e-3 * cardS);
    // both numbers are rounded to 4 significant digits: 5e-4 relative each
    const sps = 512 / ((row.generator.msPerCall ?? NaN) / 1000);
    expect(Math.abs((row.generator.samplesPerSec ?? NaN) - sps)).toBeLessThanOrEqual(1e-3 * sps);
    expect(row.generatorWebgpu.unavailable).toMatch(/backend/);
    // the flow: S_eps at steps 0, 1, 2; the row's answer is stepsToReach of that curve at its goal
    const curve = row.flow.curve ?? [];
    const steps = curve.map((p) => p.steps);
    expect(steps.slice(0, 2)).toEqual([0, 1]);
    if (row.flow.stopped !== 'reached') expect(steps).toEqual([0, 1, 2]);
    else expect(curve.at(-1)?.sinkhorn ?? NaN).toBeLessThanOrEqual(row.flow.goal ?? NaN);
    expect(curve[0]?.sinkhorn ?? 0).toBeGreaterThan(cardS); // N(0, I) is far from the target
    expect(row.flow.goal).toBe(row.generator.sinkhorn);
    expect(row.flow).toMatchObject(stepsToReach(curve, row.flow.goal ?? NaN) ?? {});
  }, 120_000);
});

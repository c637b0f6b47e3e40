/**
 * GPU spot check of the per-(method, target) defaults (issue 22 item 2): the pairs whose defaults
 * changed most, on the WGSL steppers (float32) at the same small N as the CPU twin's test
 * (src/defaults.pairs.test.ts), so the new steps are stable in float32 too and the engine's
 * divergence rule (src/engine/divergence.ts) stays quiet. Small on purpose: on the software adapter
 * (SwiftShader) an O(N^2) step at N = 256 takes milliseconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStepSize } from './defaults';
import { createBackend } from './backend';
import { divergenceRule, statsDivergence } from './divergence';
import { resolveTarget } from './config';
import type { Backend, RunConfig } from './types';

let gpu: Backend;
beforeAll(async () => {
  gpu = await createBackend('gpu'); // throws (fails the suite) when no adapter
});
afterAll(() => gpu.destroy());

/** 25gaussians: the fraction of particles within 3 std of a mode centre 2 (i, j) / 2.828. */
function inModes(x: Float32Array): number {
  const sd = 0.05 / 2.828, c = 2 / 2.828, n = x.length / 2;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[2 * i] ?? NaN) / c, b = (x[2 * i + 1] ?? NaN) / c;
    const ia = Math.max(-2, Math.min(2, Math.round(a))), ib = Math.max(-2, Math.min(2, Math.round(b)));
    if (Math.hypot((a - ia) * c, (b - ib) * c) < 3 * sd) k++;
  }
  return k / n;
}

const run = (method: string, target: string, n: number): RunConfig => ({
  method, params: {}, target: { id: target, params: {} }, n, stepSize: defaultStepSize(method, target), seed: 3, init: { kind: 'gaussian', mean: [0, 0], std: 1 },
});

describe('per-pair defaults on the GPU (WGSL, float32)', () => {
  it('SVGD on the banana at its 0.2: the KSD (the page\'s metric) falls by more than half in 200 steps, no divergence', async () => {
    const c = run('svgd', 'banana', 256);
    const sim = gpu.createSimulation(c);
    const before = (await sim.metrics()).ksd ?? NaN;
    sim.step(200);
    await sim.finish();
    const after = (await sim.metrics()).ksd ?? NaN;
    const s = await sim.stats();
    expect(statsDivergence(divergenceRule(resolveTarget(c.target), c.init), s)).toBeUndefined();
    console.log(`gpu svgd banana h = ${c.stepSize}: KSD ${before.toPrecision(3)} -> ${after.toPrecision(3)}`);
    expect(after).toBeLessThan(0.5 * before);
    sim.destroy();
  }, 120_000);

  for (const method of ['svgd', 'gwg', 'mmd-flow']) {
    it(`${method} on 25gaussians at its target defaults: the particles settle in the modes`, async () => {
      const c = run(method, '25gaussians', 256);
      const sim = gpu.createSimulation(c);
      const before = inModes(await sim.positions());
      sim.step(200);
      await sim.finish();
      const after = inModes(await sim.positions());
      expect(statsDivergence(divergenceRule(resolveTarget(c.target), c.init), await sim.stats())).toBeUndefined();
      console.log(`gpu ${method} 25gaussians h = ${c.stepSize}: in modes ${before.toFixed(3)} -> ${after.toFixed(3)}`);
      expect(after).toBeGreaterThan(0.5);
      sim.destroy();
    }, 120_000);
  }

  it('wgd on attract-repel at its 0.02: F falls to near its minimum -1/12, no divergence', async () => {
    const c = run('wgd', 'attract-repel', 256);
    const sim = gpu.createSimulation(c);
    sim.step(40);
    await sim.finish();
    const m = await sim.metrics();
    expect(statsDivergence(divergenceRule(resolveTarget(c.target), c.init), await sim.stats())).toBeUndefined();
    console.log(`gpu wgd attract-repel h = ${c.stepSize}: F ${m.readouts?.energy}`);
    expect(m.readouts?.energy ?? NaN).toBeLessThan(-0.05);
    sim.destroy();
  }, 120_000);
});

/**
 * Issue 20, "Done means": the shipped formula presets (src/formula/presets.ts, the density ones) each
 * run at their default step size without blowing up and end near the density. As
 * src/engine/defaults.test.ts does for the built-in targets: every method that runs on the preset,
 * at the default step size of the formula target (src/engine/defaults.ts runStepSize), on the CPU
 * twin backend from N(0, I):
 *   - no divergence: no non-finite particle, none beyond 1e3;
 *   - near the density: the energy distance to 512 samples drawn from the density on its grid
 *     (the target's sampler, as image targets are) falls to at most 3/4 of its starting value, or
 *     the KSD does (the better of the two, as defaults.test.ts).
 * The numbers are printed (one row per pair).
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from './backend';
import { factsOf, incompatibility, runStepSize } from './defaults';
import { getMethod, methods } from '../methods/registry';
import { FORMULA_PRESETS } from '../formula/presets';
import { ksdFromRows, ksdRows } from '../reference/ksdRows';
import { Rng } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { formulaTarget } from '../targets/formula';
import type { TargetInstance } from '../targets/types';

const N = 96;
const FLOW_N = 64;
const steps = (h: number, flow: boolean): number => (flow ? 200 : Math.min(800, Math.max(300, Math.round(1 / h))));

function meanDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 2) for (let j = 0; j < b.length; j += 2) s += Math.hypot((a[i] ?? 0) - (b[j] ?? 0), (a[i + 1] ?? 0) - (b[j + 1] ?? 0));
  return s / ((a.length / 2) * (b.length / 2));
}

function ksd(x: Float64Array, t: TargetInstance): number {
  const m = x.length / 2;
  const s = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const [a, b] = t.score(x[2 * i] ?? 0, x[2 * i + 1] ?? 0);
    s[2 * i] = a;
    s[2 * i + 1] = b;
  }
  return ksdFromRows(ksdRows(x, s, m), m);
}

const pairs: { preset: string; method: string }[] = [];
for (const p of FORMULA_PRESETS) {
  if (p.logp === undefined) continue;
  const t = createTarget(formulaTarget.id, { logp: p.logp, ...p.values });
  for (const m of methods) if (incompatibility(m, factsOf(t), 'plane') === undefined) pairs.push({ preset: p.id, method: m.id });
}
const rows: string[] = [];

describe('formula presets at the default step size, CPU twin, N = 96 (flows 64)', () => {
  it.each(pairs)('$preset x $method', async ({ preset, method }) => {
    const p = FORMULA_PRESETS.find((q) => q.id === preset);
    if (!p?.logp) throw new Error(`no preset ${preset}`);
    const target = { id: formulaTarget.id, params: { logp: p.logp, ...p.values } };
    const t = createTarget(target.id, target.params);
    const flow = getMethod(method).needs === 'samples';
    const h = runStepSize({ method, target, domain: 'plane' });
    const backend = await createBackend('cpu');
    const sim = backend.createSimulation({ method, params: {}, target, n: flow ? FLOW_N : N, stepSize: h, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } });
    const y = t.sample?.(new Rng(99, 7), 512);
    if (!y) throw new Error('a formula target samples its grid');
    const yy = meanDist(y, y);
    const measure = async (): Promise<{ ksd: number; energy: number }> => {
      const x = Float64Array.from(await sim.positions());
      return { ksd: ksd(x, t), energy: 2 * meanDist(x, y) - meanDist(x, x) - yy };
    };
    const before = await measure();
    const count = steps(h, flow);
    sim.step(count);
    const st = await sim.stats();
    const after = await measure();
    sim.destroy();
    const rEnergy = after.energy / before.energy, rKsd = after.ksd / before.ksd;
    rows.push(`${preset.padEnd(11)} ${method.padEnd(14)} h=${String(h).padEnd(6)} steps=${count} energy ${before.energy.toPrecision(3)}->${after.energy.toPrecision(3)} ksd ${before.ksd.toPrecision(3)}->${after.ksd.toPrecision(3)} maxAbs=${st.maxAbs.toPrecision(3)}`);
    expect(st.nonFinite, 'non-finite particles').toBe(0);
    expect(st.maxAbs).toBeLessThan(1e3);
    expect(Math.min(rEnergy, rKsd), `energy ratio ${rEnergy}, ksd ratio ${rKsd}`).toBeLessThan(0.75);
  }, 120_000);

  it('prints the measured table', () => {
    console.log(`formula presets at the default step: ${rows.length} runs\n${rows.join('\n')}`);
    expect(rows.length).toBe(pairs.length);
  });
});

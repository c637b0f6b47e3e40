/**
 * Issue 10 through the Simulation API on both backends: the landscape targets and methods resolved
 * by the registry, the asynchronous GPU steps chained by GpuSimulation (step -> finish), the readouts
 * (energy, gradNorm, minEig, innerResidual) in metrics(), the default init next to the saddle, the
 * refusals between densities and landscapes, in-place landscape edits and setPositions mid-chain.
 * Exact answers: from the double well's saddle (N = 64, seed 1) w-newton stays at F = 1/4 with the
 * smallest eigenvalue -1 (METHODS.md 6: H at x = 0 has -1 on the all-together x1 mode), wsfn reaches
 * F < 1e-6; on a quadratic one w-newton step with h = 1 lands on the minimiser (F = 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from './backend';
import { ConfigError, type Backend, type RunConfig, type Simulation } from './types';
import { GpuSimulation } from './gpuSimulation';
import { createLandscape, landscapes, type LandscapeDef } from '../landscapes/presets';
import { landscapeEnergy } from '../reference/landscapeGrad';
import { methods } from '../methods/registry';
import { landscapeTargets } from '../targets/landscape';
import { createTarget } from '../targets/registry';
import { defaultStepSize, factsOf, incompatibility, methodsByPriority } from './defaults';

const backends: Partial<Record<'cpu' | 'gpu', Backend>> = {};
beforeAll(async () => {
  backends.cpu = await createBackend('cpu');
  backends.gpu = await createBackend('gpu'); // throws (fails the suite) when no adapter
});
afterAll(() => {
  backends.cpu?.destroy();
  backends.gpu?.destroy();
});

function backend(kind: 'cpu' | 'gpu'): Backend {
  const b = backends[kind];
  if (!b) throw new Error(`no ${kind} backend`);
  return b;
}

function config(over: Partial<RunConfig>): RunConfig {
  return { method: 'wsfn', params: {}, target: { id: 'double-well', params: {} }, n: 64, stepSize: 1, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 }, ...over };
}

/** Step one at a time, reading the readouts after each; stops early once `until(F)` holds. */
async function energies(sim: Simulation, steps: number, until: (f: number) => boolean = () => false): Promise<{ energy: number[]; last: Record<string, number> }> {
  const energy: number[] = [];
  let last: Record<string, number> = {};
  for (let s = 0; s < steps && !until(energy[energy.length - 1] ?? NaN); s++) {
    sim.step(1);
    await sim.finish();
    last = (await sim.metrics()).readouts ?? {};
    energy.push(last.energy ?? NaN);
  }
  return { energy, last };
}

for (const kind of ['cpu', 'gpu'] as const) {
  describe(`landscapes on the ${kind} backend`, () => {
    it('double well from the saddle: w-newton stays at F = 1/4 (min eig -1), wsfn reaches F < 1e-6 within 40 steps', async () => {
      const b = backend(kind);
      const newton = b.createSimulation(config({ method: 'w-newton' }));
      const wn = await energies(newton, 10);
      // f32 on the GPU: F = 1/4 to ~1e-6
      expect(Math.abs((wn.energy[9] ?? NaN) - 0.25)).toBeLessThan(kind === 'cpu' ? 1e-12 : 1e-5);
      expect(Math.abs((wn.last.minEig ?? NaN) + 1)).toBeLessThan(kind === 'cpu' ? 1e-9 : 1e-3);
      expect(wn.last.gradNorm).toBeGreaterThanOrEqual(0);
      newton.destroy();
      const sfn = b.createSimulation(config({ method: 'wsfn', params: { lambda: 0.5 } }));
      const ws = await energies(sfn, 40, (f) => f < 1e-6);
      const first = ws.energy.findIndex((f) => f < 1e-6);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(40);
      expect(ws.last.minEig ?? NaN).toBeGreaterThan(0.9); // at the minimiser H >= 1 (x2 modes)
      expect(sfn.stepCount).toBe(first + 1);
      sfn.destroy();
    });

    it('quadratic: one w-newton step with h = 1 lands on the minimiser; no density metric applies', async () => {
      const sim = backend(kind).createSimulation(config({ method: 'w-newton', target: { id: 'quadratic', params: { mean: [0.3, -0.7], c: 0.8 } }, n: 32, params: { trust: 1e6 } }));
      sim.step(1);
      await sim.finish();
      const m = await sim.metrics();
      expect(m.readouts?.energy ?? NaN).toBeLessThan(kind === 'cpu' ? 1e-24 : 1e-10);
      expect(m.ksd).toBeUndefined();
      expect(m.energy).toBeUndefined();
      expect(m.mmd).toBeUndefined();
      const x = await sim.positions();
      for (let i = 0; i < 32; i++) {
        expect(Math.abs((x[2 * i] ?? NaN) - 0.3)).toBeLessThan(1e-5);
        expect(Math.abs((x[2 * i + 1] ?? NaN) + 0.7)).toBeLessThan(1e-5);
      }
      sim.destroy();
    });

    it("the default init is the landscape's (double well: x1 ~ 0.01 N(0,1)); explicit positions are kept", async () => {
      const sim = backend(kind).createSimulation(config({ n: 4096 }));
      const s = await sim.stats();
      expect(Math.sqrt(s.cov[0])).toBeGreaterThan(0.009);
      expect(Math.sqrt(s.cov[0])).toBeLessThan(0.011);
      expect(Math.abs(Math.sqrt(s.cov[2]) - 1)).toBeLessThan(0.05);
      sim.destroy();
      const want = landscapes['double-well'].init(16, 7).map((v) => 3 * v);
      const explicit = backend(kind).createSimulation(config({ n: 16, init: { kind: 'positions', data: want } }));
      const got = await explicit.positions();
      for (let i = 0; i < 32; i++) expect(Math.abs((got[i] ?? NaN) - (want[i] ?? NaN))).toBeLessThan(1e-6);
      explicit.destroy();
    });

    it('densities and landscapes refuse each other by field', () => {
      const b = backend(kind);
      const refused = (c: RunConfig): ConfigError => {
        try {
          b.createSimulation(c).destroy();
        } catch (e) {
          if (e instanceof ConfigError) return e;
          throw e;
        }
        throw new Error('accepted');
      };
      expect(refused(config({ method: 'svgd' })).field).toBe('target');
      expect(refused(config({ method: 'mmd-flow' })).message).toMatch(/energy landscape/);
      expect(refused(config({ method: 'wsfn', target: { id: 'banana', params: {} } })).message).toMatch(/landscape target/);
      expect(refused(config({ target: { id: 'attract-repel', params: { a: 2, b: 3 } } })).field).toBe('target.a');
    });

    it('jko reports its inner residual; the interaction strength changes in place; setPositions is taken between steps', async () => {
      const sim = backend(kind).createSimulation(config({ method: 'jko', stepSize: 0.5, n: 32 }));
      const F0 = landscapeEnergy(createLandscape('double-well', {}), Float64Array.from(await sim.positions()), 32);
      sim.step(3);
      await sim.finish();
      const m = await sim.metrics();
      expect(m.readouts?.innerResidual ?? NaN).toBeLessThan(1e-6);
      // each JKO step decreases F (Y = X is feasible for the inner problem): F0 = 0.78 here
      expect(m.readouts?.energy ?? NaN).toBeLessThan(F0 - 0.1);
      if (sim instanceof GpuSimulation) expect(sim.stepperRunsOn).toBe('cpu');
      // exact saddle: every particle at 0, F = V(0) = 1/4 whatever c
      sim.setPositions(new Float64Array(64), 0);
      sim.setTarget({ id: 'double-well', params: { c: 2 } });
      sim.step(1);
      await sim.finish();
      const r = (await sim.metrics()).readouts ?? {};
      expect(r.gradNorm).toBe(0);
      expect(Math.abs((r.energy ?? NaN) - 0.25)).toBeLessThan(1e-7);
      expect(sim.stepCount).toBe(1);
      sim.destroy();
    });
  });
}

describe('GPU vs CPU backend (double well, N = 64, seed 1)', () => {
  it('wgd (h = 0.2): energies within 1e-5 relative over 20 steps; wgd-perturbed leaves the exact saddle on both', async () => {
    const run = config({ method: 'wgd', stepSize: 0.2 });
    const cpu = await energies(backend('cpu').createSimulation(run), 20);
    const gpuSim = backend('gpu').createSimulation(run);
    expect(gpuSim instanceof GpuSimulation && gpuSim.stepperRunsOn).toBe('gpu');
    const gpu = await energies(gpuSim, 20);
    gpuSim.destroy();
    for (let s = 0; s < 20; s++) expect(Math.abs((gpu.energy[s] ?? NaN) - (cpu.energy[s] ?? NaN))).toBeLessThan(1e-5 * (cpu.energy[s] ?? NaN));
    const saddle = config({ method: 'wgd-perturbed', stepSize: 0.3, n: 16, seed: 3, init: { kind: 'positions', data: new Float64Array(32) }, params: { radius: 0.01, gradThreshold: 1e-3, every: 20 } });
    for (const kind of ['cpu', 'gpu'] as const) {
      const sim = backend(kind).createSimulation(saddle);
      sim.step(100);
      await sim.finish();
      expect((await sim.metrics()).readouts?.energy ?? NaN).toBeLessThan(0.1);
      sim.destroy();
    }
  });

  it('destroy() while asynchronous steps are queued: finish() resolves, reads are stale', async () => {
    const sim = backend('gpu').createSimulation(config({ n: 256 }));
    sim.step(50);
    const pending = sim.metrics();
    sim.destroy();
    await sim.finish();
    expect((await pending).stale).toBe(true);
    expect(sim.stepCount).toBeLessThan(50);
  });
});

describe('defaults on the landscapes', () => {
  it('every landscape method takes its fixed default step (or the landscape\'s own) on every landscape target and lowers F there (CPU, N = 48, 20 steps)', async () => {
    const landscapeMethods = methods.filter((m) => m.needs === 'landscape');
    expect(landscapeMethods.map((m) => m.id)).toEqual(['wgd', 'wgd-perturbed', 'w-newton', 'wsfn', 'jko']);
    for (const t of landscapeTargets) {
      // the UI's first choice for a landscape target is wsfn (MethodDef.priority)
      const facts = factsOf(createTarget(t.id));
      expect(methodsByPriority().find((m) => incompatibility(m, facts, 'plane') === undefined)?.id).toBe('wsfn');
      for (const m of landscapeMethods) {
        const h = defaultStepSize(m.id, t.id);
        // a landscape may set its own step for a method (LandscapeDef.stepSize: two-layer-net's h = 2)
        expect(h).toBe((landscapes as Record<string, LandscapeDef | undefined>)[t.id]?.stepSize?.[m.id] ?? m.defaultStep?.fixed);
        const sim = backend('cpu').createSimulation(config({ method: m.id, target: { id: t.id, params: {} }, n: 48, stepSize: h }));
        const F0 = landscapeEnergy(createLandscape(t.id), Float64Array.from(await sim.positions()), 48);
        sim.step(20);
        const F = (await sim.metrics()).readouts?.energy ?? NaN;
        expect(F, `${m.id} on ${t.id}`).toBeLessThan(F0);
        sim.destroy();
      }
    }
  });
});

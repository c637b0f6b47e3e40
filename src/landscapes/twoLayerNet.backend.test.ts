/**
 * two-layer-net through the Simulation API on both backends (Dawn + SwiftShader for the GPU): wgd at
 * the landscape's default step from its default init (N(0, I) neurons), GPU energies against the CPU
 * twin's step by step; wsfn on the GPU lowers F; jko and solver 'dense' run the float64 twin on the
 * host even on the GPU backend and say so in stats().readouts.hostTwin (HOST_TWIN_READOUT = 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStepSize } from '../engine/defaults';
import { createBackend } from '../engine/backend';
import { GpuSimulation } from '../engine/gpuSimulation';
import type { Backend, RunConfig, Simulation } from '../engine/types';
import { HOST_TWIN_READOUT } from '../methods/landscapeMethod';

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

const target = { id: 'two-layer-net', params: {} };
function config(over: Partial<RunConfig>): RunConfig {
  // init N(0, I): the landscape's default init (w, b ~ N(0, 1)) is the same distribution
  return { method: 'wgd', params: {}, target, n: 48, stepSize: defaultStepSize('wgd', 'two-layer-net'), seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 }, ...over };
}

async function energies(sim: Simulation, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    sim.step(1);
    await sim.finish();
    out.push((await sim.metrics()).readouts?.energy ?? NaN);
  }
  return out;
}

describe('two-layer-net on both backends (N = 48, seed 1)', () => {
  it('wgd at the default step (h = 2): GPU energies within 1e-4 relative of the CPU twin over 15 steps, both decreasing', async () => {
    const cpu = await energies(backend('cpu').createSimulation(config({})), 15);
    const sim = backend('gpu').createSimulation(config({}));
    expect(sim instanceof GpuSimulation && sim.stepperRunsOn).toBe('gpu');
    const gpu = await energies(sim, 15);
    const st = await sim.stats();
    // the WGSL stepper: no host-twin flag
    expect(st.readouts?.[HOST_TWIN_READOUT]).toBeUndefined();
    sim.destroy();
    for (let s = 0; s < 15; s++) {
      // f32 positions (rounding 6e-8) and f32 F: the V and W sums are O(0.1) and cancel down to F ~ 0.02,
      // so F carries ~1e-6 relative error; the trajectories stay within that over a contracting flow.
      expect(Math.abs((gpu[s] ?? NaN) - (cpu[s] ?? NaN))).toBeLessThan(1e-4 * (cpu[s] ?? NaN));
      if (s > 0) {
        expect(cpu[s] ?? NaN).toBeLessThan(cpu[s - 1] ?? NaN);
        expect(gpu[s] ?? NaN).toBeLessThan(gpu[s - 1] ?? NaN);
      }
    }
  });

  it('wsfn (lambda = 0.5, Lanczos k = 10) on the GPU lowers F at every step and reports minEig < 0 at the start', async () => {
    const sim = backend('gpu').createSimulation(config({ method: 'wsfn', n: 24, stepSize: defaultStepSize('wsfn', 'two-layer-net'), params: { lambda: 0.5, k: 10 } }));
    const F = await energies(sim, 1);
    const first = (await sim.metrics()).readouts ?? {};
    expect(first.minEig ?? NaN).toBeLessThan(0);
    F.push(...(await energies(sim, 5)));
    sim.destroy();
    for (let s = 1; s < F.length; s++) expect(F[s] ?? NaN).toBeLessThan(F[s - 1] ?? NaN);
  });

  for (const over of [{ method: 'jko', stepSize: defaultStepSize('jko', 'two-layer-net') }, { method: 'wsfn', stepSize: 2, params: { solver: 'dense' } }] as const) {
    it(`${over.method} ${JSON.stringify('params' in over ? over.params : {})} on the GPU backend runs the float64 twin on the host and says so: stats().readouts.hostTwin = 1`, async () => {
      const run = config({ ...over, n: 16 });
      const sim = backend('gpu').createSimulation(run);
      expect(sim instanceof GpuSimulation && sim.stepperRunsOn).toBe('cpu');
      const gpu = await energies(sim, 3);
      expect((await sim.stats()).readouts?.[HOST_TWIN_READOUT]).toBe(1);
      sim.destroy();
      // the same float64 twin as the CPU backend; the GPU run starts from the f32-rounded positions: F agrees to that rounding
      const cpuSim = backend('cpu').createSimulation(run);
      const cpu = await energies(cpuSim, 3);
      expect((await cpuSim.stats()).readouts?.[HOST_TWIN_READOUT]).toBeUndefined();
      cpuSim.destroy();
      for (let s = 0; s < 3; s++) expect(Math.abs((gpu[s] ?? NaN) - (cpu[s] ?? NaN))).toBeLessThan(1e-5 * (cpu[s] ?? NaN));
      expect(cpu[2] ?? NaN).toBeLessThan(cpu[0] ?? NaN);
    });
  }
});

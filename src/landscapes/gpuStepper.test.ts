/**
 * The GPU landscape stepper (landscapeGrad + GpuLanczos + axpy, CPU tridiagonal solve) against the
 * float64 CPU steppers on Dawn + SwiftShader: the double well from its saddle, N = 64, seed 1.
 * f32 positions differ from the twin's by ~1e-7; near the saddle the unstable modes amplify that
 * by ~1.8 per step (WSFN's escape rate at lambda = 0.5), so trajectories are compared over the first
 * steps and the end state by its energy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testDevice, withValidation } from '../gpu/testing';
import { wgd } from '../methods/wgd';
import { wsfn } from '../methods/wsfn';
import { createLandscape, landscapes } from './presets';
import { LandscapeGpuStepper } from './gpuStepper';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

const L = createLandscape('double-well', {});
const n = 64;
const x0 = Float64Array.from(Float32Array.from(landscapes['double-well'].init(n, 1)));

describe('LandscapeGpuStepper vs the CPU steppers (double well, N = 64)', () => {
  it('wsfn (lambda = 0.5, k = 20, h = 1): same energies over the first 6 steps, F < 1e-8 after 24 on the GPU too', async () => {
    const lambda = 0.5;
    const cpu = wsfn.createCpu({ n, stepSize: 1, seed: 1, params: { lambda }, landscape: L });
    let x: Float64Array = x0;
    const want: number[] = [];
    for (let s = 0; s < 24; s++) {
      x = cpu.step(x, s);
      want.push(cpu.readouts().energy);
    }
    const got = await withValidation(device, async () => {
      const g = new LandscapeGpuStepper(device, L, { n, h: 1, f: (t) => 1 / Math.sqrt(t * t + lambda), k: 20, lineSearch: true, trust: 1 });
      g.setPositions(x0);
      const out: { energy: number; minEig: number | undefined }[] = [];
      for (let s = 0; s < 24; s++) {
        const r = await g.step();
        out.push({ energy: r.energy, minEig: r.minEig });
      }
      g.destroy();
      return out;
    });
    for (let s = 0; s < 6; s++) expect(Math.abs((got[s]?.energy ?? NaN) - (want[s] ?? NaN))).toBeLessThan(1e-4 * (want[s] ?? NaN));
    expect(got[23]?.energy ?? NaN).toBeLessThan(1e-8);
    expect(got[0]?.minEig ?? NaN).toBeLessThan(-0.9);
  });

  it('wgd (h = 0.2): energies within 1e-5 relative over 20 steps', async () => {
    const cpu = wgd.createCpu({ n, stepSize: 0.2, seed: 1, params: {}, landscape: L });
    let x: Float64Array = x0;
    const want: number[] = [];
    for (let s = 0; s < 20; s++) {
      x = cpu.step(x, s);
      want.push(cpu.readouts().energy);
    }
    const got = await withValidation(device, async () => {
      const g = new LandscapeGpuStepper(device, L, { n, h: 0.2, lineSearch: false, trust: 1e6 });
      g.setPositions(x0);
      const out: number[] = [];
      for (let s = 0; s < 20; s++) out.push((await g.step()).energy);
      const pos = await g.positions();
      g.destroy();
      return { out, pos };
    });
    for (let s = 0; s < 20; s++) expect(Math.abs((got.out[s] ?? NaN) - (want[s] ?? NaN))).toBeLessThan(1e-5 * (want[s] ?? NaN));
    expect(got.pos?.length).toBe(2 * n);
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs((got.pos?.[i] ?? NaN) - (x[i] ?? NaN)));
    expect(worst).toBeLessThan(1e-5);
  });
});

/**
 * GWG end to end (src/methods/gwg.ts) on both steppers: on a Gaussian target N(m, S) the particles
 * reach its mean and covariance for p = 2, 3, 1.5, and adaptive mode moves p and converges.
 * GPU runs drive the method's GpuStepper directly (own buffers, validation scopes, missing adapter
 * fails). N = 200 keeps SwiftShader cheap (7 tiled 200 x 200 passes per step).
 *
 * Tolerances, measured on the float64 stepper (N = 200, 300-400 steps): with 3 warm-started inner
 * iterations the velocity lags the particles, so the cloud keeps oscillating around the SVGD fixed
 * point (instantaneous moments wander by ~0.1-0.2). The tests therefore average the moments over the
 * second half of the run (every 5th step); measured deviations of those averages from (m, S):
 *   p = 2:   <= 0.07 (mean), <= 0.05 (cov)      p = 3: <= 0.05 (mean), <= 0.09 (cov)
 *   p = 1.5: <= 0.04 (mean), <= 0.3 (cov: v ~ |f|^2 is slow once |f| < 1, the long axis is still growing)
 *   adaptive from p = 2: <= 0.01 (mean), <= 0.11 (cov), p reaches its bound 3.
 * The GPU (f32) trajectories are not the CPU's step for step, so the bounds are about twice these.
 */
import { cloudMoments } from '../reference/particleStats';
import { beforeAll, describe, expect, it } from 'vitest';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { emptyBuffer, readBuffer, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { packTargetUniform } from '../targets/pack';
import { createTarget } from '../targets/registry';
import { resolveParams, type Params } from '../core/params';
import { createGwgCpu, createGwgGpu, gwg } from './gwg';
import { getMethod } from './registry';
import type { MethodRun } from './types';

const MEAN = [1, -1] as const;
const S = [1, 0.5, 2] as const;
const N = 200;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function initial(): Float64Array {
  const rng = new Rng(1, 9);
  const x = new Float64Array(2 * N);
  for (let i = 0; i < 2 * N; i++) x[i] = rng.normal();
  return x;
}

/** [m0, m1, c00, c01, c11]. */
function moments(x: ArrayLike<number>): number[] {
  const m = cloudMoments(x);
  return [...m.mean, ...m.cov];
}

function run(params: Params, stepSize: number): MethodRun {
  return { n: N, stepSize, seed: 1, params: resolveParams(gwg.params, params), domain: 'plane' };
}

const target = createTarget('gaussian', { mean: [...MEAN], cov: [...S] });

/** Moments averaged over every 5th step of the second half, and the final p. */
function cpuRun(params: Params, h: number, steps: number): { avg: number[]; p: number } {
  const st = createGwgCpu(run(params, h));
  let x = initial();
  const avg = [0, 0, 0, 0, 0];
  let count = 0;
  for (let s = 0; s < steps; s++) {
    x = st.step(x, s, target.packed);
    if (s >= steps / 2 && s % 5 === 0) {
      moments(x).forEach((v, k) => (avg[k] = (avg[k] ?? 0) + v));
      count++;
    }
  }
  return { avg: avg.map((v) => v / count), p: st.p() };
}

async function gpuRun(params: Params, h: number, steps: number): Promise<{ avg: number[]; p: number }> {
  return withValidation(device, async () => {
    const usage = GPUBufferUsage.STORAGE;
    const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, Float32Array.from(initial()), usage), emptyBuffer(device, 8 * N)];
    const ctx = {
      device, pos, scores: emptyBuffer(device, 16 * N), clock: emptyBuffer(device, 16),
    };
    const tu = uploadBuffer(device, new Uint8Array(packTargetUniform(target.packed)), GPUBufferUsage.UNIFORM);
    const tbg = bindBuffers(device, 'test.target', targetLayout(device), [tu]);
    const st = createGwgGpu(ctx, run(params, h));
    let cur: 0 | 1 = 0;
    const avg = [0, 0, 0, 0, 0];
    let count = 0;
    // Record up to 5 steps per submit; read back at every 5th step of the second half.
    for (let s = 0; s < steps;) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      do {
        cur = st.encode(pass, cur, tbg);
        s++;
      } while (s % 5 !== 0 && s < steps);
      pass.end();
      device.queue.submit([enc.finish()]);
      if (s > steps / 2) {
        const x = new Float32Array(await readBuffer(device, pos[cur], 8 * N));
        moments(x).forEach((v, k) => (avg[k] = (avg[k] ?? 0) + v));
        count++;
      }
    }
    const p = new Float32Array(await readBuffer(device, st.state, 4))[0] ?? NaN;
    st.destroy();
    for (const b of [...pos, ctx.scores, ctx.clock, tu]) b.destroy();
    return { avg: avg.map((v) => v / count), p };
  });
}

function expectMoments(avg: number[], tolMean: number, tolCov: number, label: string): void {
  const want = [...MEAN, ...S];
  avg.forEach((v, k) => {
    const tol = k < 2 ? tolMean : tolCov;
    expect(Math.abs(v - (want[k] ?? 0)), `${label}: moment ${k} = ${v.toFixed(3)} vs ${want[k]}`).toBeLessThan(tol);
  });
}

const cases = [
  { name: 'p = 2 (L2 functional gradient)', params: { p: 2 }, h: 0.2, steps: 300, tolMean: 0.1, tolCov: 0.15 },
  { name: 'p = 3', params: { p: 3 }, h: 0.2, steps: 300, tolMean: 0.12, tolCov: 0.2 },
  { name: 'p = 1.5 (slow near the target: v ~ |f|^2)', params: { p: 1.5 }, h: 1, steps: 400, tolMean: 0.1, tolCov: 0.4 },
] as const;

describe('GWG reaches the mean and covariance of a Gaussian target', () => {
  it('is registered under the id gwg with its params', () => {
    expect(getMethod('gwg')).toBe(gwg);
    const r = run({}, 0.1).params;
    expect(r).toMatchObject({ p: 2, adaptive: false, inner: 3, innerLr: 1, bandwidth: 'median', move: 'gradHStar' });
  });

  for (const c of cases) {
    it(`cpu: ${c.name}`, () => {
      const { avg, p } = cpuRun(c.params, c.h, c.steps);
      expectMoments(avg, c.tolMean, c.tolCov, 'cpu');
      expect(p).toBe(c.params.p);
    });
    // GPU budget (~45 s on SwiftShader): p = 3 here plus the adaptive run below (which starts at
    // p = 2); the other p share every WGSL line and are covered kernel by kernel in src/kernels/gwg.test.ts.
    if (c.params.p !== 3) continue;
    it(`gpu: ${c.name}`, async () => {
      const { avg, p } = await gpuRun(c.params, c.h, c.steps);
      expectMoments(avg, c.tolMean, c.tolCov, 'gpu');
      expect(p).toBeCloseTo(c.params.p, 6);
    });
  }

  it('cpu: adaptive p moves away from p0 = 2 and converges', () => {
    const { avg, p } = cpuRun({ p: 2, adaptive: true }, 0.2, 300);
    expect(p).not.toBe(2);
    expectMoments(avg, 0.1, 0.2, 'cpu adaptive');
  });

  it('gpu: adaptive p moves away from p0 = 2 and converges', async () => {
    const { avg, p } = await gpuRun({ p: 2, adaptive: true }, 0.2, 300);
    expect(Math.abs(p - 2)).toBeGreaterThan(0.1);
    expectMoments(avg, 0.15, 0.3, 'gpu adaptive');
  });

  it("cpu: move 'f' (velocity f itself) at p = 3 also converges", () => {
    const { avg } = cpuRun({ p: 3, move: 'f' }, 0.2, 300);
    expectMoments(avg, 0.12, 0.2, "cpu move 'f'");
  });
});

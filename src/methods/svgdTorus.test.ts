/**
 * SVGD end to end on the GPU (src/methods/svgd.ts driven through its GpuStepper, own buffers,
 * validation scopes; a missing adapter fails):
 *   - Riesz-kernel SVGD on the torus (direct and particle-mesh smoothing) reaches the wrapped-Gaussian
 *     target: the L2 distance of src/reference/torusL2.ts (K = 16, sigma = 0.03) falls from ~1.9
 *     (uniform start) below 0.5, under the 0.67 of N = 256 exact i.i.d. samples (measured, seed 5).
 *     Measured on the float64 stepper (N = 256, K = 8, s = 1.5, h = 5e-4, this start): 1.93 -> 0.49
 *     (100 steps) -> 0.42 (200) -> 0.40 (600): the plateau is the mode masses (SVGD moves mass between
 *     separated modes slowly); other starts reach 0.15-0.42. The GPU gave 0.420 (direct) and 0.421 (pm).
 *   - IMQ-SVGD on N(m, S) on the plane reaches the mean and covariance (GPU, N = 200, h = 0.2, 400
 *     steps: mean within 1e-3, covariance [0.95, 0.47, 1.89] for [1, 0.5, 2]; SVGD at finite N
 *     under-disperses slightly).
 * Sizes keep SwiftShader cheap (N = 256: 289-mode sums, or a 32^2 mesh, per step).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { emptyBuffer, readBuffer, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { cloudMoments } from '../reference/particleStats';
import { Rng } from '../reference/philox';
import { torusL2 } from '../reference/torusL2';
import { packTargetUniform } from '../targets/pack';
import { createTarget } from '../targets/registry';
import type { TargetInstance } from '../targets/types';
import { resolveParams, type Params } from '../core/params';
import { svgd } from './svgd';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

async function gpuRun(target: TargetInstance, x0: Float64Array, params: Params, domain: 'plane' | 'torus', h: number, steps: number): Promise<Float32Array> {
  const n = x0.length / 2;
  return withValidation(device, async () => {
    const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, Float32Array.from(x0)), emptyBuffer(device, 8 * n)];
    const ctx = {
      device, pos, scores: emptyBuffer(device, 16 * n), clock: emptyBuffer(device, 16),
    };
    const tu = uploadBuffer(device, new Uint8Array(packTargetUniform(target.packed)), GPUBufferUsage.UNIFORM);
    const tbg = bindBuffers(device, 'test.target', targetLayout(device), [tu]);
    const st = svgd.createGpu(ctx, { n, stepSize: h, seed: 1, params: resolveParams(svgd.params, params), domain });
    let cur: 0 | 1 = 0;
    for (let s = 0; s < steps;) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      do {
        cur = st.encode(pass, cur, tbg);
        s++;
      } while (s % 25 !== 0 && s < steps);
      pass.end();
      device.queue.submit([enc.finish()]);
    }
    const out = new Float32Array(await readBuffer(device, pos[cur], 8 * n));
    st.destroy();
    return out;
  });
}

describe('Riesz-kernel SVGD on the torus reaches the wrapped-Gaussian target', () => {
  const target = createTarget('torus-mixture', {});
  const n = 256;
  const rng = new Rng(3, 1);
  const x0 = Float64Array.from({ length: 2 * n }, () => rng.uniform());
  for (const smoothing of ['direct', 'pm'] as const) {
    it(`smoothing ${smoothing}`, async () => {
      const start = torusL2(x0, n, target);
      const x = await gpuRun(target, x0, { kernel: 'riesz', modes: 8, s: 1.5, smoothing, grid: 32 }, 'torus', 5e-4, 200);
      for (const v of x) expect(v >= 0 && v < 1).toBe(true);
      const end = torusL2(Float64Array.from(x), n, target);
      expect(start).toBeGreaterThan(1.5);
      expect(end).toBeLessThan(0.5);
      expect(end).toBeLessThan(start / 4);
    });
  }
});

describe('IMQ-SVGD on a Gaussian reaches its mean and covariance', () => {
  it('N=200, c = median heuristic, beta = -1/2', async () => {
    const target = createTarget('gaussian', { mean: [1, -1], cov: [1, 0.5, 2] });
    const n = 200;
    const rng = new Rng(1, 9);
    const x0 = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const x = await gpuRun(target, x0, { kernel: 'imq' }, 'plane', 0.2, 400);
    const { mean: [m0, m1], cov: [c00, c01, c11] } = cloudMoments(x);
    expect(Math.abs(m0 - 1)).toBeLessThan(0.05);
    expect(Math.abs(m1 + 1)).toBeLessThan(0.05);
    expect(Math.abs(c00 - 1)).toBeLessThan(0.15);
    expect(Math.abs(c01 - 0.5)).toBeLessThan(0.15);
    expect(Math.abs(c11 - 2)).toBeLessThan(0.3);
  });
});

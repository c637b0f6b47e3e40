/**
 * The Sinkhorn-divergence flow (method 'sinkhorn-flow', src/methods/sinkhornFlow.ts):
 *   x <- x + tau (T_ab(x) - T_aa(x))
 * from N(0, I) to a Gaussian cloud reaches the cloud's mean and covariance, with the CPU float64
 * stepper and with the GPU stepper (WGSL, Dawn + SwiftShader; N = M = 128 to stay fast).
 */
import { cloudMoments } from '../reference/particleStats';
import { describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { sinkhornFlow } from '../methods/sinkhornFlow';
import type { MethodRun } from '../methods/types';
import { Rng } from '../reference/philox';

/** Cloud N(mean, L L^T) with L = [[1.2, 0], [0.4, 0.6]]: cov [[1.44, 0.48], [0.48, 0.52]]. */
function gaussianCloud(n: number, seed: number, mean: [number, number] = [0, 0], L: [number, number, number] = [1, 0, 1]): Float64Array {
  const rng = new Rng(seed, 7);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const z0 = rng.normal(), z1 = rng.normal();
    out[2 * i] = mean[0] + L[0] * z0;
    out[2 * i + 1] = mean[1] + L[1] * z0 + L[2] * z1;
  }
  return out;
}

const moments = cloudMoments;

const L: [number, number, number] = [1.2, 0.4, 0.6];
const N = 128, STEPS = 30;
const runOf = (cloud: Float64Array): MethodRun => ({
  n: N, stepSize: 0.5, seed: 0, cloud, domain: 'plane',
  params: { blur: 0.1, scaling: 0.7, reach: 'none', tau: 'step', iterations: 5, debias: true },
});

describe('sinkhorn-flow', () => {
  it('CPU stepper: N(0, I) flows to the cloud mean and covariance', () => {
    const y = gaussianCloud(N, 1, [1, -0.5], L);
    const stepper = sinkhornFlow.createCpu(runOf(y));
    let x = gaussianCloud(N, 2);
    const none = { kind: 0, count: 0, data: new Float64Array(128) };
    for (let s = 0; s < STEPS; s++) x = stepper.step(x, s, none);
    const got = moments(x), want = moments(y);
    // The mean follows m <- m + tau (m_b - m) exactly at convergence (balanced marginals): 0.5^30.
    // The covariance of the S_eps minimiser matches the cloud's up to the blur (eps = 0.01) and
    // the unconverged warm-started potentials (5 iterations per step).
    expectClose(got.mean, want.mean, { atol: 0.01, rtol: 0 }, 'mean after 30 steps of tau = 0.5');
    expectClose(got.cov, want.cov, { atol: 0.05, rtol: 0 }, 'covariance after 30 steps, blur 0.1');
  });

  it('GPU stepper: N(0, I) flows to the cloud mean and covariance; no-debias variant moves toward it too', async () => {
    const device = await testDevice();
    const y = gaussianCloud(N, 1, [1, -0.5], L);
    const x0 = gaussianCloud(N, 2);
    const run = async (debias: boolean): Promise<Float32Array> => withValidation(device, async () => {
      const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, Float32Array.from(x0)), emptyBuffer(device, 8 * N)];
      const cloud = { buffer: uploadBuffer(device, Float32Array.from(y)), m: N };
      const ctx = {
        device, pos, scores: emptyBuffer(device, 16 * N), clock: emptyBuffer(device, 16),
        counters: emptyBuffer(device, 16), bw: emptyBuffer(device, 16), cloud,
      };
      const r = runOf(y);
      const stepper = sinkhornFlow.createGpu(ctx, { ...r, params: { ...r.params, debias } });
      const dummy = device.createBindGroup({ layout: device.createBindGroupLayout({ entries: [] }), entries: [] });
      let cur: 0 | 1 = 0;
      // two submissions, as the engine does (step(k) batches): potentials persist in between
      for (const count of [STEPS / 2, STEPS / 2]) {
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        for (let s = 0; s < count; s++) cur = stepper.encode(pass, cur, dummy);
        pass.end();
        device.queue.submit([enc.finish()]);
      }
      const out = new Float32Array(await readBuffer(device, pos[cur], 8 * N));
      stepper.destroy();
      return out;
    });
    const want = moments(y);
    const got = moments(await run(true));
    // as on the CPU; f32 adds ~1e-5
    expectClose(got.mean, want.mean, { atol: 0.01, rtol: 0 }, 'GPU mean after 30 steps of tau = 0.5');
    expectClose(got.cov, want.cov, { atol: 0.05, rtol: 0 }, 'GPU covariance after 30 steps, blur 0.1');
    // OT_eps flow x <- x + tau (T_ab(x) - x): same mean dynamics; T_ab shrinks the spread by the blur
    const plain = moments(await run(false));
    expectClose(plain.mean, want.mean, { atol: 0.01, rtol: 0 }, 'GPU OT_eps flow mean');
    expect(plain.cov[0]).toBeLessThan(want.cov[0] + 0.05);
  });
});

/**
 * The Sinkhorn-divergence flow (method 'sinkhorn-flow', src/methods/sinkhornFlow.ts):
 *   x <- x + tau (T_ab(x) - T_aa(x))
 * from N(0, I) to a Gaussian cloud reaches the cloud's mean and covariance, with the CPU float64
 * stepper and with the GPU stepper (WGSL, Dawn + SwiftShader; N = M = 128 to stay fast), with the
 * warm re-annealing (default) and with the whole schedule every step (warm = false); the two
 * steppers agree step by step; the softmin passes per step are counted (src/ot/sinkhornFlow.ts).
 */
import { cloudMoments } from '../reference/particleStats';
import { describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { sinkhornFlow } from '../methods/sinkhornFlow';
import type { MethodRun } from '../methods/types';
import { Rng } from '../reference/philox';
import { CpuSoftminProblem } from './cpuSinkhorn';
import { cloudDiameter } from './sinkhorn';
import { flowSolvePlan, flowStepPasses, recordFlowIterations, setFlowSchedule } from './sinkhornFlow';

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
/** The defaults (warm re-annealing of 5 levels, 1 iteration at blur^2), or the original schedule (warm = false, 5 iterations). */
const WARM = { warm: true, anneal: 5, iterations: 1 };
const FULL = { warm: false, anneal: 5, iterations: 5 };
const runOf = (cloud: Float64Array, mode: typeof WARM = WARM): MethodRun => ({
  n: N, stepSize: 0.5, seed: 0, cloud, domain: 'plane',
  params: { blur: 0.1, scaling: 0.7, reach: 'none', tau: 'step', debias: true, ...mode },
});
const none = { kind: 0, count: 0, data: new Float64Array(128) };

describe('sinkhorn-flow', () => {
  for (const [name, mode] of [['warm re-annealing (default)', WARM], ['whole schedule every step', FULL]] as const) {
    it(`CPU stepper, ${name}: N(0, I) flows to the cloud mean and covariance`, () => {
      const y = gaussianCloud(N, 1, [1, -0.5], L);
      const stepper = sinkhornFlow.createCpu(runOf(y, mode));
      let x = gaussianCloud(N, 2);
      for (let s = 0; s < STEPS; s++) x = stepper.step(x, s, none);
      const got = moments(x), want = moments(y);
      // The mean follows m <- m + tau (m_b - m) exactly at convergence (balanced marginals): 0.5^30.
      // The covariance of the S_eps minimiser matches the cloud's up to the blur (eps = 0.01) and
      // the unconverged warm-started potentials: measured |diff| 0.002 (whole schedule, 5
      // iterations) and 0.034 (warm, 5 levels + 1 iteration: the first entry, 1.358 vs 1.324).
      expectClose(got.mean, want.mean, { atol: 0.01, rtol: 0 }, 'mean after 30 steps of tau = 0.5');
      expectClose(got.cov, want.cov, { atol: 0.05, rtol: 0 }, 'covariance after 30 steps, blur 0.1');
    });
  }

  it('softmin passes per step: counted on the float64 problem = flowStepPasses, >= 3x fewer warm', () => {
    const y = gaussianCloud(N, 1, [1, -0.5], L);
    const x = gaussianCloud(N, 2);
    const count = (mode: typeof WARM): { plan: ReturnType<typeof flowSolvePlan>; first: number; later: number } => {
      const plan = flowSolvePlan(cloudDiameter(y, [-3, -3, 3, 3]), { blur: 0.1, scaling: 0.7, debias: true, ...mode });
      const p = new CpuSoftminProblem({ points: x }, { points: y });
      setFlowSchedule(p, plan, null);
      recordFlowIterations(p, plan, true);
      const first = p.passes;
      p.commit(true);
      recordFlowIterations(p, plan, false);
      return { plan, first, later: p.passes - first };
    };
    const full = count(FULL), warm = count(WARM);
    // bounding box of this cloud and [-3, 3]^2: diameter 9.04, eps 81.8 -> 0.01 by 0.49: L = 15 entries
    expect(full.plan.schedule).toHaveLength(15);
    expect(full.later).toBe(4 * (15 + 5));
    expect(full.first).toBe(4 + full.later);
    expect(full.later).toBe(flowStepPasses(full.plan, false));
    // warm: 4 passes for each of the 5 levels and the 1 iteration; the first step anneals all 15 entries
    expect(warm.later).toBe(4 * (5 + 1));
    expect(warm.first).toBe(4 + 4 * (15 - 1 - 5) + 4 * (5 + 1));
    expect([warm.first, warm.later]).toEqual([flowStepPasses(warm.plan, true), flowStepPasses(warm.plan, false)]);
    // with the in-step marginal-error check (2 passes) on both: 82 vs 26
    expect((full.later + 2) / (warm.later + 2)).toBeGreaterThanOrEqual(3);
    // the schedule index is back on the re-annealing start after each step: eps_{L-1-J}
    expect(warm.plan.offset).toBe(15 - 1 - 5);
    expect(warm.plan.period).toBe(5 + 1);
  });

  it('GPU stepper = CPU twin, step by step (warm re-annealing, debiased), within f32 rounding', async () => {
    const device = await testDevice();
    const y = gaussianCloud(N, 1, [1, -0.5], L);
    const x0 = gaussianCloud(N, 2);
    const K = 6;
    const gpu = await withValidation(device, async () => {
      const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, Float32Array.from(x0)), emptyBuffer(device, 8 * N)];
      const ctx = {
        device, pos, scores: emptyBuffer(device, 16 * N), clock: emptyBuffer(device, 16),
        cloud: { buffer: uploadBuffer(device, Float32Array.from(y)), m: N },
      };
      const stepper = sinkhornFlow.createGpu(ctx, runOf(y));
      const dummy = device.createBindGroup({ layout: device.createBindGroupLayout({ entries: [] }), entries: [] });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      let cur: 0 | 1 = 0;
      for (let s = 0; s < K; s++) cur = stepper.encode(pass, cur, dummy);
      pass.end();
      device.queue.submit([enc.finish()]);
      const out = new Float32Array(await readBuffer(device, pos[cur], 8 * N));
      stepper.destroy();
      return out;
    });
    const stepper = sinkhornFlow.createCpu(runOf(y));
    let x: Float64Array = Float64Array.from(Float32Array.from(x0));
    for (let s = 0; s < K; s++) x = stepper.step(x, s, none);
    // The softmin kernels agree with their twins to ~1e-6 per pass (src/kernels/sinkhorn.test.ts);
    // 6 steps of 24 passes and 2 projections, each moving x by half its displacement: measured max
    // |diff| 3.5e-6 over the 256 coordinates; 1e-4 absolute leaves room for other adapters' exp/log.
    expectClose(gpu, x, { atol: 1e-4, rtol: 0 }, 'GPU f32 flow vs float64 twin after 6 warm steps');
  });

  it('GPU stepper: N(0, I) flows to the cloud mean and covariance; no-debias variant moves toward it too', async () => {
    const device = await testDevice();
    const mode = WARM;
    const y = gaussianCloud(N, 1, [1, -0.5], L);
    const x0 = gaussianCloud(N, 2);
    const run = async (debias: boolean): Promise<Float32Array> => withValidation(device, async () => {
      const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, Float32Array.from(x0)), emptyBuffer(device, 8 * N)];
      const cloud = { buffer: uploadBuffer(device, Float32Array.from(y)), m: N };
      const ctx = {
        device, pos, scores: emptyBuffer(device, 16 * N), clock: emptyBuffer(device, 16), cloud,
      };
      const r = runOf(y, mode);
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
    // OT_eps flow x <- x + tau (T_ab(x) - x) (always the whole schedule: warm applies to debiased
    // flows only): same mean dynamics; T_ab shrinks the spread by the blur
    const plain = moments(await run(false));
    expectClose(plain.mean, want.mean, { atol: 0.01, rtol: 0 }, 'GPU OT_eps flow mean');
    expect(plain.cov[0]).toBeLessThan(want.cov[0] + 0.05);
  });
});

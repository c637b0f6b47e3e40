/**
 * MMD flow (shaders/mmdFlowStep.wgsl) and the MMD^2 metric (shaders/mmdRows.wgsl) against their
 * float64 twins on a real WebGPU device (Dawn + SwiftShader here; a missing adapter FAILS), and the
 * mathematics on the twins: v_i = -N dF/dx_i for F = MMD^2 / 2; v = 0 when the particles are the
 * target cloud; the energy kernel's MMD^2 is the energy distance (so F = ED / 2); the energy flow
 * from N(0, I) reaches a Gaussian cloud's mean and covariance, on the CPU and on the GPU.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../engine/backend';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { mmdFlow } from '../methods/mmdFlow';
import type { MethodRun } from '../methods/types';
import { MMD_KERNELS, mmdFlowStep, mmdVelocity, type MmdKernel } from '../reference/mmdFlowStep';
import { mmd2, mmdRows } from '../reference/mmdRows';
import { Rng } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { MmdFlowStep } from './mmdFlowStep';
import { MmdMetric } from '../metrics/mmd';
import { MmdRows } from './mmdRows';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

/** n points of N(mean, L L^T), L = [[l11, 0], [l21, l22]]. */
function gaussianCloud(n: number, seed: number, mean: [number, number] = [0, 0], l: [number, number, number] = [1, 0, 1]): Float64Array {
  const rng = new Rng(seed, 9);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const z0 = rng.normal(), z1 = rng.normal();
    x[2 * i] = mean[0] + l[0] * z0;
    x[2 * i + 1] = mean[1] + l[1] * z0 + l[2] * z1;
  }
  return x;
}

/** (1 / (n m)) sum_ij |x_i - y_j| in float64 (the energy distance's terms, written out). */
function meanDistance(x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) s += Math.hypot((x[2 * i] ?? 0) - (y[2 * j] ?? 0), (x[2 * i + 1] ?? 0) - (y[2 * j + 1] ?? 0));
  return s / (n * m);
}

function moments(x: ArrayLike<number>): { mean: [number, number]; cov: [number, number, number] } {
  const n = x.length / 2;
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) { a += x[2 * i] ?? 0; b += x[2 * i + 1] ?? 0; }
  a /= n; b /= n;
  let c11 = 0, c12 = 0, c22 = 0;
  for (let i = 0; i < n; i++) {
    const d0 = (x[2 * i] ?? 0) - a, d1 = (x[2 * i + 1] ?? 0) - b;
    c11 += d0 * d0; c12 += d0 * d1; c22 += d1 * d1;
  }
  return { mean: [a, b], cov: [c11 / n, c12 / n, c22 / n] };
}

const f32 = (x: ArrayLike<number>): Float32Array => Float32Array.from(x);
/** The f64 twin fed the same f32-rounded inputs the GPU sees. */
const asF32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(x));

/** Target cloud of the convergence tests: N((1, -0.5), [[1.5, 0.5], [0.5, 0.8]]). */
const TARGET_L: [number, number, number] = [Math.sqrt(1.5), 0.5 / Math.sqrt(1.5), Math.sqrt(0.8 - 0.25 / 1.5)];

/**
 * The energy flow's fixed point is the cloud itself (N = M), but its last mode (a slow rotation,
 * the off-diagonal covariance) relaxes slowly at h = 1 (c12 still 0.03 short after 600 steps), and
 * a large h leaves an O(h) jitter bias (h = 3: mean off by 0.03). So: 300 steps of h = 3, then 100
 * of h = 0.5 (measured on three seeds: mean and covariance within 2e-3 of the cloud's).
 */
const ENERGY_SCHEDULE = {
  h1: 3, steps1: 300, h2: 0.5, steps2: 100,
  why: 'energy flow, 300 steps of h = 3 then 100 of h = 0.5 (measured error < 2e-3)',
} as const;

function runOf(n: number, cloud: Float64Array, kernel: MmdKernel, h: number, bandwidth = 1): MethodRun {
  return { n, stepSize: h, seed: 0, params: { kernel, bandwidth }, cloud, domain: 'plane' };
}

describe('mmdFlowStep (WGSL) vs src/reference/mmdFlowStep.ts', () => {
  // N = 300 and M = 517: neither a multiple of the 256-wide tile, so both partial tiles are exercised.
  const n = 300, m = 517, h = 0.5;
  const x = gaussianCloud(n, 1, [0, 0], [1.5, 0, 1.5]);
  const y = gaussianCloud(m, 2, [1, 0.5], [1, 0.3, 0.8]);
  for (const kernel of MMD_KERNELS) {
    it(`${kernel}: one step`, async () => {
      const want = mmdFlowStep(asF32(x), n, asF32(y), m, h, kernel, 1);
      const got = await withValidation(device, async () => {
        const k = new MmdFlowStep(device);
        k.configure({ n, m, h, kernel, bw2: 1 });
        const pin = uploadBuffer(device, f32(x));
        const cloud = uploadBuffer(device, f32(y));
        const out = emptyBuffer(device, 8 * n);
        runPass(device, (pass) => k.encode(pass, k.bindIO(pin, cloud, out), n));
        const r = new Float32Array(await readBuffer(device, out, 8 * n));
        k.destroy();
        return r;
      });
      // Each velocity is a mean of N and of M f32 terms |w d| <= 1 (energy: unit vectors; gaussian
      // <= e^(-1/2) / sigma; imq <= 0.39 / c^2): the running sums' rounding is <= K eps max|term|
      // before the division by K, so |dv| <~ 300..517 x 6e-8 ~ 3e-5 in the worst case (~1e-6
      // typically), times h = 0.5; plus exp / inverseSqrt (a few ulp) and the final x + h v rounding
      // (6e-8 |x|, |x| < 8).
      expectClose(got, want, { atol: 2e-5, rtol: 1e-6 }, `f32 sums of ${n} + ${m} kernel terms`);
    });
  }

  it('v = 0 when the particles are the target cloud: the GPU returns its input bit for bit', async () => {
    const k = 384;
    const p = gaussianCloud(k, 4);
    for (const kernel of MMD_KERNELS) {
      const v = mmdVelocity(p, k, p, k, kernel, 1);
      expect(v.every((e) => e === 0)).toBe(true);
      const got = await withValidation(device, async () => {
        const step = new MmdFlowStep(device);
        step.configure({ n: k, m: k, h: 1, kernel, bw2: 1 });
        const pin = uploadBuffer(device, f32(p));
        const cloud = uploadBuffer(device, f32(p));
        const out = emptyBuffer(device, 8 * k);
        runPass(device, (pass) => step.encode(pass, step.bindIO(pin, cloud, out), k));
        const r = new Float32Array(await readBuffer(device, out, 8 * k));
        step.destroy();
        return r;
      });
      // Same terms in the same order in both tiled sums: rep - att is exactly 0.
      expect(Array.from(got)).toEqual(Array.from(f32(p)));
    }
  });
});

describe('MMD flow mathematics (float64 twin)', () => {
  it('v_i = -N dF/dx_i, F = MMD^2 / 2 (central differences)', () => {
    const n = 17, m = 23;
    const x = gaussianCloud(n, 5);
    const y = gaussianCloud(m, 6, [0.5, -0.3]);
    for (const kernel of MMD_KERNELS) {
      const v = mmdVelocity(x, n, y, m, kernel, 0.8);
      const fd = 1e-6;
      for (let c = 0; c < 2 * n; c++) {
        const xp = Float64Array.from(x), xm = Float64Array.from(x);
        xp[c] = (xp[c] ?? 0) + fd;
        xm[c] = (xm[c] ?? 0) - fd;
        const dF = (mmd2(xp, n, y, m, kernel, 0.8) / 2 - mmd2(xm, n, y, m, kernel, 0.8) / 2) / (2 * fd);
        // Truncation fd^2 |F'''| and rounding eps |F| / fd ~ 2e-10, times N = 17.
        expect(Math.abs((v[c] ?? 0) + n * dF), `${kernel} coordinate ${c}: ${v[c]} vs ${-n * dF}`).toBeLessThan(1e-7);
      }
    }
  });

  it('energy kernel: MMD^2 = the energy distance 2 E|X-Y| - E|X-X\'| - E|Y-Y\'|, so F = ED / 2', () => {
    const n = 200, m = 150;
    const x = gaussianCloud(n, 7);
    const y = gaussianCloud(m, 8, [1, 1], [0.7, 0.2, 1.2]);
    const ed = (2 * meanDistance(x, n, y, m)) - meanDistance(x, n, x, n) - meanDistance(y, m, y, m);
    expect(ed).toBeGreaterThan(0.1);
    expect(Math.abs(mmd2(x, n, y, m, 'energy') - ed)).toBeLessThan(1e-12 * (1 + ed));
    expect(mmd2(x, n, x, n, 'energy')).toBe(0);
    expect(mmd2(x, n, y, m, 'gaussian')).toBeCloseTo(mmd2(y, m, x, n, 'gaussian'), 14);
  });

  it('gaussian and imq flows dissipate F step by step (small h)', () => {
    const n = 120, m = 150;
    const y = gaussianCloud(m, 9, [1, -0.5], TARGET_L);
    for (const kernel of ['gaussian', 'imq'] as const) {
      let x = gaussianCloud(n, 10);
      let f = mmd2(x, n, y, m, kernel) / 2;
      const f0 = f;
      for (let s = 0; s < 30; s++) {
        x = mmdFlowStep(x, n, y, m, 0.5, kernel, 1);
        const next = mmd2(x, n, y, m, kernel) / 2;
        expect(next, `${kernel} step ${s}`).toBeLessThan(f);
        f = next;
      }
      expect(f).toBeLessThan(0.5 * f0);
    }
  });

  it('energy flow (CPU stepper) from N(0, I) reaches the cloud mean and covariance; setCloud moves it', () => {
    const n = 200;
    const y = gaussianCloud(n, 11, [1, -0.5], TARGET_L);
    const stepper = mmdFlow.createCpu(runOf(n, y, 'energy', ENERGY_SCHEDULE.h1));
    let x = gaussianCloud(n, 12);
    const none = { kind: 15, count: 0, data: new Float64Array(128) };
    for (let s = 0; s < ENERGY_SCHEDULE.steps1; s++) x = stepper.step(x, s, none);
    stepper.setStepSize(ENERGY_SCHEDULE.h2);
    for (let s = 0; s < ENERGY_SCHEDULE.steps2; s++) x = stepper.step(x, s, none);
    const got = moments(x), want = moments(y);
    expectClose(got.mean, want.mean, { atol: 0.01, rtol: 0 }, ENERGY_SCHEDULE.why);
    expectClose(got.cov, want.cov, { atol: 0.01, rtol: 0 }, ENERGY_SCHEDULE.why);
    const shifted = y.map((v, i) => v + (i % 2 === 0 ? 2 : 0));
    stepper.setCloud?.(shifted);
    for (let s = 0; s < 200; s++) x = stepper.step(x, s, none);
    expect(moments(x).mean[0]).toBeCloseTo(want.mean[0] + 2, 1);
  });

  it('runs through the engine on a sample-only target (moons): MMD^2 to the cloud drops', async () => {
    const backend = createCpuBackend();
    const sim = backend.createSimulation({
      method: 'mmd-flow', params: { kernel: 'energy' }, target: { id: 'moons', params: {} },
      n: 128, stepSize: 0.5, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 },
    });
    const before = await sim.positions();
    sim.step(150);
    await sim.finish();
    const after = await sim.positions();
    const t = createTarget('moons');
    const ref = t.sample?.(new Rng(99, 4), 512) ?? new Float64Array(0);
    const d0 = mmd2(before, 128, ref, 512, 'energy');
    const d1 = mmd2(after, 128, ref, 512, 'energy');
    expect(d1).toBeLessThan(0.2 * d0);
    sim.destroy();
    backend.destroy();
  });
});

describe('mmdRows (WGSL) vs src/reference/mmdRows.ts', () => {
  const na = 300, nb = 270;
  const a = gaussianCloud(na, 13);
  const b = gaussianCloud(nb, 14, [1, 0], [1.2, 0, 0.6]);
  for (const kernel of MMD_KERNELS) {
    it(`${kernel}: row sums`, async () => {
      const want = mmdRows(asF32(a), na, asF32(b), nb, kernel, 0.5);
      const got = await withValidation(device, async () => {
        const k = new MmdRows(device);
        k.configure({ na, nb, kernel, bw2: 0.5 });
        const pa = uploadBuffer(device, f32(a));
        const pb = uploadBuffer(device, f32(b));
        const rows = emptyBuffer(device, 4 * na);
        runPass(device, (pass) => k.encode(pass, k.bindIO(pa, pb, rows), na));
        const r = new Float32Array(await readBuffer(device, rows, 4 * na));
        k.destroy();
        return r;
      });
      // Sums of 270 same-signed f32 terms (|k| <= 1 for gaussian / imq with c^2 = 0.5: 1.42;
      // energy up to ~8): relative rounding <= 270 eps ~ 2e-5, typically ~1e-6.
      expectClose(got, want, { atol: 1e-5, rtol: 2e-5 }, `f32 sums of ${nb} kernel values`);
    });
  }

  it('energy rows are minus the distance rows sum_j |a_i - b_j| (f32 Euclidean distances, summed as the GPU does)', async () => {
    const e = await withValidation(device, async () => {
      const k = new MmdRows(device);
      k.configure({ na, nb, kernel: 'energy', bw2: 1 });
      const rows = emptyBuffer(device, 4 * na);
      runPass(device, (pass) => k.encode(pass, k.bindIO(uploadBuffer(device, f32(a)), uploadBuffer(device, f32(b)), rows), na));
      const out = new Float32Array(await readBuffer(device, rows, 4 * na));
      k.destroy();
      return out;
    });
    // The distance rows in f32 arithmetic, in the shader's order (j = 0..nb-1, one running f32 sum):
    // the GPU's sqrt(dot(d, d)) vs Math.fround(hypot) differ by a few ulp of each term.
    const a32 = f32(a), b32 = f32(b);
    const dist = Array.from({ length: na }, (_, i) => {
      let acc = 0;
      for (let j = 0; j < nb; j++) {
        const d0 = Math.fround((a32[2 * i] ?? 0) - (b32[2 * j] ?? 0)), d1 = Math.fround((a32[2 * i + 1] ?? 0) - (b32[2 * j + 1] ?? 0));
        acc = Math.fround(acc + Math.fround(Math.sqrt(Math.fround(Math.fround(d0 * d0) + Math.fround(d1 * d1)))));
      }
      return acc;
    });
    expectClose(Array.from(e, (v) => -v), dist, { atol: 1e-5, rtol: 1e-6 }, 'sqrt(dot) vs length per term');
  });

  it('MmdMetric: MMD^2(particles, cloud) with the Gaussian kernel equals the twin', async () => {
    const n = 300, m = 257;
    const x = gaussianCloud(n, 15);
    const y = gaussianCloud(m, 16, [0.8, -0.4]);
    const got = await withValidation(device, async () => {
      const px = uploadBuffer(device, f32(x));
      const py = uploadBuffer(device, f32(y));
      const metric = new MmdMetric(device, px, n, py, m, { kernel: 'gaussian', bw2: 1 });
      runPass(device, (pass) => metric.encode(pass));
      const v = metric.fromRows(await readBuffer(device, metric.rows, metric.rowsBytes));
      metric.destroy();
      return v;
    });
    const want = mmd2(asF32(x), n, asF32(y), m, 'gaussian', 1);
    // MMD^2 ~ 0.1 is a difference of O(1) means, each with relative f32 error ~1e-6.
    expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThan(1e-5);
  });
});

describe('mmd-flow on the GPU (method stepper)', () => {
  it('energy flow from N(0, I) reaches the cloud mean and covariance (N = M = 256); setStepSize; setCloud shrinks m', async () => {
    const n = 256;
    const y = gaussianCloud(n, 17, [1, -0.5], TARGET_L);
    const x0 = gaussianCloud(n, 18);
    const { x, xSmall } = await withValidation(device, async () => {
      const pos: [GPUBuffer, GPUBuffer] = [uploadBuffer(device, f32(x0)), emptyBuffer(device, 8 * n)];
      const cloud = { buffer: uploadBuffer(device, f32(y)), m: n };
      const ctx = {
        device, pos, scores: emptyBuffer(device, 16 * n), clock: emptyBuffer(device, 16), cloud,
      };
      const stepper = mmdFlow.createGpu(ctx, runOf(n, y, 'energy', ENERGY_SCHEDULE.h1));
      let cur: 0 | 1 = 0;
      // The target bind group is unused by mmd-flow (no @group(1)); any bind group will do.
      const dummy = device.createBindGroup({ layout: device.createBindGroupLayout({ entries: [] }), entries: [] });
      runPass(device, (p) => {
        for (let s = 0; s < ENERGY_SCHEDULE.steps1; s++) cur = stepper.encode(p, cur, dummy);
      });
      stepper.setStepSize(ENERGY_SCHEDULE.h2);
      runPass(device, (p) => {
        for (let s = 0; s < ENERGY_SCHEDULE.steps2; s++) cur = stepper.encode(p, cur, dummy);
      });
      const final = new Float32Array(await readBuffer(device, pos[cur], 8 * n));
      // setCloud(1): only y_0 attracts; the particles' mean heads to y_0.
      stepper.setCloud?.(1);
      runPass(device, (p) => {
        for (let s = 0; s < 200; s++) cur = stepper.encode(p, cur, dummy);
      });
      const small = new Float32Array(await readBuffer(device, pos[cur], 8 * n));
      stepper.destroy();
      return { x: final, xSmall: small };
    });
    const got = moments(x), want = moments(y);
    // As on the CPU; f32 changes single trajectories, not the fixed point.
    expectClose(got.mean, want.mean, { atol: 0.01, rtol: 0 }, `GPU ${ENERGY_SCHEDULE.why}`);
    expectClose(got.cov, want.cov, { atol: 0.015, rtol: 0 }, `GPU ${ENERGY_SCHEDULE.why}`);
    const ms = moments(xSmall).mean;
    const y0: [number, number] = [y[0] ?? 0, y[1] ?? 0];
    expect(Math.hypot(ms[0] - y0[0], ms[1] - y0[1])).toBeLessThan(Math.hypot(got.mean[0] - y0[0], got.mean[1] - y0[1]));
  });
});

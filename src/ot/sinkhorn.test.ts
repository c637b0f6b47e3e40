/**
 * The one Sinkhorn loop (src/ot/sinkhorn.ts) against exact answers, on the float64 CPU backend and on
 * the WebGPU backend (Dawn + SwiftShader here; sizes kept small, SwiftShader costs ~2 ms per dispatch):
 * entropic OT between Gaussians vs the closed form of Janati et al. 2020, S(a, a) = 0,
 * S(a, b) = S(b, a), the eps -> 0 limit W2^2 / 2 in 1-D, reach -> infinity -> balanced, and GPU
 * potentials vs the CPU twin up to an additive constant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, testDevice, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { createCpuSinkhorn, createCpuSinkhornMetric } from './cpuSinkhorn';
import { createGpuSinkhorn, createGpuSinkhornMetric } from './gpuSinkhorn';
import { epsilonSchedule, resolveSinkhornOptions, sinkhornDivergence, SinkhornOptionError } from './sinkhorn';

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], t: number): number => k.reduce((s, v) => s * t + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -probit(1 - p);
  const q = p - 0.5, r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Midpoint quantiles of N(mean, std^2): a deterministic discretisation of the population. */
const quantiles = (k: number, mean: number, std: number): number[] => Array.from({ length: k }, (_, i) => mean + std * probit((i + 0.5) / k));

/** k x k tensor grid of quantiles: the discretised N(mean, diag(std^2)) in 2-D. */
function grid(k: number, mean: [number, number], std: [number, number]): Float64Array {
  const qx = quantiles(k, mean[0], std[0]), qy = quantiles(k, mean[1], std[1]);
  const out = new Float64Array(2 * k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    out[2 * (i * k + j)] = qx[i] ?? 0;
    out[2 * (i * k + j) + 1] = qy[j] ?? 0;
  }
  return out;
}

/**
 * Closed form of OT_eps for cost |x-y|^2/2 between N(ma, A) and N(mb, B) in 1-D (Janati et al. 2020,
 * Thm 1, stated for cost |x-y|^2 with regularisation 2 sigma^2 KL: halve it and set sigma^2 = eps):
 *   OT = ( |ma - mb|^2 + A + B - D + s2 (1 - log(2 s2)) + s2 log(D + s2) ) / 2,  D = sqrt(4 A B + s2^2)
 * For independent coordinates (diagonal covariances) the plan factorises and the values add.
 */
function gaussianOt1d(ma: number, A: number, mb: number, B: number, eps: number): number {
  const D = Math.sqrt(4 * A * B + eps * eps);
  return ((ma - mb) ** 2 + A + B - D + eps * (1 - Math.log(2 * eps)) + eps * Math.log(D + eps)) / 2;
}

function gaussianCloud(n: number, seed: number, scale = 1, offset: [number, number] = [0, 0]): Float64Array {
  const rng = new Rng(seed, 3);
  return Float64Array.from({ length: 2 * n }, (_, i) => (offset[i % 2] ?? 0) + scale * rng.normal());
}

const embed1d = (v: readonly number[]): Float64Array => {
  const out = new Float64Array(2 * v.length);
  v.forEach((t, i) => (out[2 * i] = t));
  return out;
};

const cpu = createCpuSinkhorn();

describe('Sinkhorn loop, CPU float64 backend: exact answers', () => {
  it('OT_eps between two 1-D Gaussians matches the closed form (discretised by 200 quantiles)', async () => {
    const blur = 0.5, eps = blur * blur;
    const a = embed1d(quantiles(200, 0, 1)), b = embed1d(quantiles(200, 1, 2));
    const r = await sinkhornDivergence(cpu, { points: a }, { points: b }, { blur, scaling: 0.7, debias: false, tol: 1e-6 });
    expect(r.converged).toBe(true);
    const want = gaussianOt1d(0, 1, 1, 4, eps);
    // The loop converges (marginal error 1e-6); what remains is the discretisation: midpoint
    // quantiles under-represent the tails, a bias measured at -0.63/k relative (k = 200, 400, 800:
    // -3.1e-3, -1.5e-3, -7.7e-4), so 0.5% at k = 200.
    expectClose([r.value], [want], { atol: 0, rtol: 5e-3 }, 'quantile discretisation bias ~0.63/k');
    expect(r.value).toBeLessThan(want);
  });

  it('S_eps between two 2-D Gaussians (diagonal covariances) matches the closed form', async () => {
    const blur = 0.6, eps = blur * blur;
    const k = 14;
    const a = grid(k, [0, 0], [1, 0.7]), b = grid(k, [0.8, -0.5], [1.4, 0.9]);
    const r = await sinkhornDivergence(cpu, { points: a }, { points: b }, { blur, scaling: 0.6, tol: 1e-5 });
    const ot = (ma: [number, number], sa: [number, number], mb: [number, number], sb: [number, number]): number =>
      gaussianOt1d(ma[0], sa[0] ** 2, mb[0], sb[0] ** 2, eps) + gaussianOt1d(ma[1], sa[1] ** 2, mb[1], sb[1] ** 2, eps);
    const want = ot([0, 0], [1, 0.7], [0.8, -0.5], [1.4, 0.9]) - ot([0, 0], [1, 0.7], [0, 0], [1, 0.7]) / 2 - ot([0.8, -0.5], [1.4, 0.9], [0.8, -0.5], [1.4, 0.9]) / 2;
    // Same quantile bias per axis (~0.63/k of the variance terms, k = 14 points per axis): ~3%.
    expectClose([r.value], [want], { atol: 0, rtol: 0.05 }, 'quantile discretisation bias, 14 points per axis');
  });

  it('S(a, a) = 0 and S(a, b) = S(b, a), weighted clouds of different sizes', async () => {
    const x = gaussianCloud(60, 1), y = gaussianCloud(90, 2, 0.7, [1, 0.5]);
    const wx = Array.from({ length: 60 }, (_, i) => (1 + (i % 3)) / 120);
    const wy = Array.from({ length: 90 }, (_, i) => (2 + (i % 5)) / 360);
    const o = { blur: 0.2, scaling: 0.7, tol: 1e-7 };
    const ab = await sinkhornDivergence(cpu, { points: x, weights: wx }, { points: y, weights: wy }, o);
    const ba = await sinkhornDivergence(cpu, { points: y, weights: wy }, { points: x, weights: wx }, o);
    const aa = await sinkhornDivergence(cpu, { points: x, weights: wx }, { points: x, weights: wx }, o);
    expect(ab.value).toBeGreaterThan(0.1);
    // converged to 1e-7 in marginals: the two runs solve transposed problems, equal to ~1e-7 relative
    expectClose([ba.value], [ab.value], { atol: 0, rtol: 1e-6 }, 'symmetry of S_eps at marginal error 1e-7');
    // a = b: after the annealing f_ab, g_ab update alternately and f_aa by averaging, different iterates
    // with one fixed point (f_ab = g_ab = f_aa). The dual value is stationary there, so S is 0 up to
    // O(marginal error^2) = O(1e-14) plus rounding (measured 1.8e-12); 1e-10 << S(a, b) > 0.1.
    expect(Math.abs(aa.value)).toBeLessThan(1e-10);
  });

  it('1-D: as blur -> 0, S_eps -> W2^2 / 2 of the sorted samples', async () => {
    const rng = new Rng(3, 1);
    const n = 100;
    const xa = Array.from({ length: n }, () => rng.normal()), xb = Array.from({ length: n }, () => 1 + 0.5 * rng.normal());
    const sa = [...xa].sort((p, q) => p - q), sb = [...xb].sort((p, q) => p - q);
    const half = sa.reduce((s, t, i) => s + (t - (sb[i] ?? 0)) ** 2, 0) / (2 * n);
    const errs: number[] = [];
    for (const blur of [0.1, 0.05]) {
      const r = await sinkhornDivergence(cpu, { points: embed1d(xa) }, { points: embed1d(xb) }, { blur, scaling: 0.8, tol: 1e-4 });
      errs.push(Math.abs(r.value - half) / half);
    }
    // Measured O(eps) gap: 8.0e-4 at blur 0.1, 7.7e-5 at blur 0.03; it must shrink with the blur.
    expect(errs[0]).toBeLessThan(2e-3);
    expect(errs[1]).toBeLessThan(5e-4);
    expect(errs[1] ?? 1).toBeLessThan((errs[0] ?? 0) / 2);
  });

  it('unbalanced: reach -> infinity gives the balanced value; a small reach differs', async () => {
    const x = gaussianCloud(50, 4), y = gaussianCloud(70, 5, 0.8, [1, 0]);
    const o = { blur: 0.3, scaling: 0.7, tol: 1e-6 };
    const bal = await sinkhornDivergence(cpu, { points: x }, { points: y }, o);
    const far = await sinkhornDivergence(cpu, { points: x }, { points: y }, { ...o, reach: 100 });
    const near = await sinkhornDivergence(cpu, { points: x }, { points: y }, { ...o, reach: 0.5 });
    // lambda = 1/(1 + eps/rho) = 1 - 9e-6 at rho = 1e4: the value moves by O(eps/rho + |f|^2/rho)
    expectClose([far.value], [bal.value], { atol: 0, rtol: 2e-3 }, 'reach 100: rho = 1e4 >> |f|, eps');
    expect(near.value).toBeLessThan(0.8 * bal.value);
  });

  it('options: GeomLoss epsilon_schedule and named errors', () => {
    // GeomLoss: [d^2] + exp(arange(2 log d, 2 log blur, 2 log scaling)) + [blur^2]
    const s = epsilonSchedule(4, 0.05, 0.5);
    expect(s[0]).toBe(16);
    expect(s[1]).toBeCloseTo(16, 12);
    expect(s[2]).toBeCloseTo(4, 12);
    expect(s.at(-1)).toBeCloseTo(0.0025, 15);
    expect(s.length).toBe(2 + Math.ceil(Math.log(0.05 / 4) / Math.log(0.5)));
    expect(() => resolveSinkhornOptions({ blur: 0 })).toThrow(SinkhornOptionError);
    expect(() => resolveSinkhornOptions({ blur: 0.1, scaling: 1 })).toThrow(/scaling/);
    expect(() => resolveSinkhornOptions({ blur: 0.1, reach: -1 })).toThrow(/reach/);
  });

  it('metric helper: a warm start on unchanged clouds stops at the first check; moved clouds cost no more than cold', async () => {
    const x = gaussianCloud(80, 6), y = gaussianCloud(80, 7, 1, [0.5, 0]);
    const metric = createCpuSinkhornMetric({ blur: 0.3, scaling: 0.7, tol: 1e-4 });
    await metric.measure(x, y); // the cold first measure: it anneals and leaves warm potentials
    const same = await metric.measure(x, y);
    // a shift d changes f by ~ d |x - T(x)|, i.e. the marginals by ~ d |x - T| / eps: still a warm start
    const moved = x.map((v) => v + 1e-3);
    const second = await metric.measure(moved, y);
    const cold = await sinkhornDivergence(cpu, { points: moved }, { points: y }, { blur: 0.3, scaling: 0.7, tol: 1e-4 });
    // warm starts still run the annealing schedule (robust when clouds moved far); count the refinement after it
    expect(same.iterations - same.scheduleLength).toBeLessThanOrEqual(1);
    expect(second.iterations - second.scheduleLength).toBeLessThanOrEqual(cold.iterations - cold.scheduleLength);
    expectClose([second.value], [cold.value], { atol: 1e-4, rtol: 1e-3 }, 'warm vs cold start, both at marginal error 1e-4');
  });
});

describe('Sinkhorn loop, GPU backend (WGSL) vs the CPU twin', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice();
  });

  it('balanced S_eps: value and converged potentials (up to a constant) match float64', async () => {
    const x = gaussianCloud(150, 8), y = gaussianCloud(200, 9, 0.6, [1, -0.5]);
    const o = { blur: 0.3, scaling: 0.5, tol: 1e-4, checkEvery: 20 };
    const want = await sinkhornDivergence(cpu, { points: x }, { points: y }, o);
    const got = await withValidation(device, () => sinkhornDivergence(createGpuSinkhorn(device), { points: x }, { points: y }, o));
    expect(got.converged).toBe(true);
    // same iterates in f32: S ~ 1 is a difference of O(1) sums, f32 error ~1e-6
    expectClose([got.value], [want.value], { atol: 2e-5, rtol: 1e-4 }, 'f32 loop vs float64 loop, S_eps ~ 1');
    // Balanced potentials are defined up to (f + c, g - c): compare after removing the means.
    const centre = (v: Float64Array): number[] => {
      const mu = v.reduce((s, t) => s + t, 0) / v.length;
      return Array.from(v, (t) => t - mu);
    };
    // f32 exponents |C|/eps (~40 here) cost ~eps * 40 * 6e-8 per update; the iterations are
    // contractive, so errors stay ~1e-5; plus both stop at marginal error 1e-4 at possibly different
    // checks (same check cadence, so normally the same iteration).
    for (const p of ['fab', 'gab', 'faa', 'gbb'] as const) {
      expectClose(centre(got.potentials[p]), centre(want.potentials[p]), { atol: 2e-4, rtol: 0 }, `${p} up to a constant, f32 vs f64`);
    }
  });

  it('unbalanced (reach 1) OT_eps and the marginal error match float64', async () => {
    const x = gaussianCloud(100, 10), y = gaussianCloud(130, 11, 0.5, [0.5, 0.5]);
    const o = { blur: 0.4, scaling: 0.5, reach: 1, debias: false, tol: 1e-4, checkEvery: 20 };
    const want = await sinkhornDivergence(cpu, { points: x }, { points: y }, o);
    const got = await withValidation(device, () => sinkhornDivergence(createGpuSinkhorn(device), { points: x }, { points: y }, o));
    expect(got.iterations).toBe(want.iterations);
    expectClose([got.value], [want.value], { atol: 2e-5, rtol: 1e-4 }, 'f32 vs f64 unbalanced OT_eps (exp(-f/rho) terms)');
    expect(got.marginalError).toBeLessThanOrEqual(1e-4);
  });

  it('S(a, a) = 0, S(a, b) = S(b, a); GPU metric warm start', async () => {
    const x = gaussianCloud(64, 12), y = gaussianCloud(96, 13, 0.8, [0.7, 0]);
    const o = { blur: 0.4, scaling: 0.5, tol: 1e-4, checkEvery: 20 };
    const gpu = createGpuSinkhorn(device);
    const { ab, ba, aa } = await withValidation(device, async () => ({
      ab: await sinkhornDivergence(gpu, { points: x }, { points: y }, o),
      ba: await sinkhornDivergence(gpu, { points: y }, { points: x }, o),
      aa: await sinkhornDivergence(gpu, { points: x }, { points: x }, o),
    }));
    expectClose([ba.value], [ab.value], { atol: 2e-5, rtol: 1e-4 }, 'transposed problems, f32, marginal error 1e-4');
    // a = b: identical f32 iterates for f_ab and f_aa, so the f32 sum of differences is exactly 0
    expect(Math.abs(aa.value)).toBeLessThan(1e-6);
    const metricValue = await withValidation(device, async () => {
      const px = device.createBuffer({ size: 8 * 64, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
      const py = device.createBuffer({ size: 8 * 96, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
      device.queue.writeBuffer(px, 0, Float32Array.from(x));
      device.queue.writeBuffer(py, 0, Float32Array.from(y));
      const metric = createGpuSinkhornMetric(device, { ...o, n: 64, m: 96, diameter: 8 });
      const first = await metric.measure(px, py);
      const second = await metric.measure(px, py);
      metric.destroy();
      px.destroy();
      py.destroy();
      return { first, second };
    });
    expectClose([metricValue.first.value], [ab.value], { atol: 1e-4, rtol: 1e-3 }, 'metric (diameter 8) vs library call (bbox diameter)');
    const refine = (r: { iterations: number; scheduleLength: number }): number => r.iterations - r.scheduleLength;
    expect(refine(metricValue.second)).toBeLessThanOrEqual(Math.max(1, refine(metricValue.first) / 2));
    expectClose([metricValue.second.value], [metricValue.first.value], { atol: 1e-4, rtol: 1e-3 }, 'warm restart on unchanged clouds');
  });
});

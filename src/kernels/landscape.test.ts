/**
 * The landscape kernels against their float64 twins on a real WebGPU device (Dawn + SwiftShader):
 * landscapeGrad (g, e, F, |g|^2), landscapeHvp, and GPU Lanczos (lanczosVec + landscapeHvp) with
 * the CPU tridiagonal solve, against src/reference/lanczos.ts and the dense eigendecomposition.
 * f32 (unit roundoff 6e-8): the O(N) sums of O(1) terms carry ~N^(1/2) 6e-8 relative error; the
 * double well's terms are O(|x|^3) and attract-repel's O(|z|^3), so positions are kept O(1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { createLandscape, landscapeUniform } from '../landscapes/presets';
import type { Params } from '../core/params';
import { applyMatrixFunction, symEig } from '../reference/denseEig';
import { lanczos, lanczosCoefficients, ritz } from '../reference/lanczos';
import { landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHessian, landscapeHvp } from '../reference/landscapeHvp';
import { Rng } from '../reference/philox';
import { GpuLanczos } from './lanczos';
import { LandscapeGrad } from './landscapeGrad';
import { LandscapeHvp } from './landscapeHvp';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

/** f32-representable N(0, s^2) numbers, so the twins see exactly the GPU's inputs. */
function cloud(m: number, seed: number, s = 1): Float64Array {
  const rng = new Rng(seed, 12);
  return Float64Array.from(Float32Array.from({ length: m }, () => s * rng.normal()));
}
const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const uniform = (d: GPUDevice, buf: ArrayBuffer): GPUBuffer => uploadBuffer(d, new Uint8Array(buf), GPUBufferUsage.UNIFORM, 'landscape');

const cases: { id: string; params: Params; n: number }[] = [
  { id: 'quadratic', params: { mean: [0.3, -0.7], c: 0.8 }, n: 300 },
  { id: 'double-well', params: {}, n: 257 },
  { id: 'attract-repel', params: {}, n: 300 },
  { id: 'attract-repel', params: { a: 5, b: 3, k: 0.5 }, n: 64 },
  // W(theta, theta') = E_u tanh tanh: not a function of the difference; every term is bounded (|tanh| <= 1, |u| <= 2)
  { id: 'two-layer-net', params: {}, n: 200 },
];

describe('landscapeGrad and landscapeHvp vs twins', () => {
  for (const c of cases) {
    it(`${c.id} ${JSON.stringify(c.params)} N=${c.n}`, async () => {
      const { n } = c;
      const L = createLandscape(c.id, c.params);
      const x = cloud(2 * n, 1, 0.8);
      const v = cloud(2 * n, 2);
      const want = landscapeGrad(L, x, n);
      const wantHv = landscapeHvp(L, x, v, n);
      const got = await withValidation(device, async () => {
        const gk = new LandscapeGrad(device), hk = new LandscapeHvp(device);
        gk.configure(n);
        hk.configure(n);
        const land = uniform(device, landscapeUniform(L));
        const pos = uploadBuffer(device, Float32Array.from(x));
        const vin = uploadBuffer(device, Float32Array.from(v));
        const slot = uploadBuffer(device, new Uint32Array([0, 0, 0, 0]));
        const grad = emptyBuffer(device, 8 * n), energy = emptyBuffer(device, 4 * n), sums = emptyBuffer(device, 16), hv = emptyBuffer(device, 8 * n);
        const gio = gk.bindIO(land, pos, grad, energy, sums), hio = hk.bindIO(land, pos, vin, slot, hv);
        runPass(device, (pass) => {
          gk.encode(pass, gio, n);
          hk.encode(pass, hio, n);
        });
        const out = {
          g: new Float32Array(await readBuffer(device, grad, 8 * n)),
          e: new Float32Array(await readBuffer(device, energy, 4 * n)),
          sums: new Float32Array(await readBuffer(device, sums, 8)),
          hv: new Float32Array(await readBuffer(device, hv, 8 * n)),
        };
        for (const b of [land, pos, vin, slot, grad, energy, sums, hv]) b.destroy();
        gk.destroy();
        hk.destroy();
        return out;
      });
      // Per-entry error: the j-sum of N terms of size ~max|term| in f32, ~1e-6 of the scale.
      const sg = maxAbs(want.g), se = maxAbs(want.e), sh = maxAbs(wantHv);
      expectClose(got.g, want.g, { atol: 2e-6 * sg, rtol: 1e-5 }, 'f32 O(N) sum of grad_1 W terms');
      expectClose(got.e, want.e, { atol: 2e-6 * se, rtol: 1e-5 }, 'f32 O(N) sum of W terms');
      expectClose(got.sums, [want.energy, want.gradNorm ** 2], { atol: 2e-6 * se, rtol: 2e-5 }, 'f32 tree reductions');
      expectClose(got.hv, wantHv, { atol: 2e-6 * sh, rtol: 1e-5 }, 'f32 O(N) sum of Hessian blocks');
    });
  }
});

describe('GPU Lanczos (k steps, CGS2) vs the float64 twin and the dense eigendecomposition', () => {
  for (const c of [{ id: 'double-well', params: {}, n: 40, k: 12 }, { id: 'attract-repel', params: { a: 5, b: 3, k: 0.5 }, n: 32, k: 64 }, { id: 'two-layer-net', params: {}, n: 24, k: 48 }] as const) {
    it(`${c.id} N=${c.n} k=${c.k}`, async () => {
      const { n, k } = c;
      const L = createLandscape(c.id, { ...c.params });
      const x = cloud(2 * n, 3, 0.8);
      const b = Float64Array.from(Float32Array.from(landscapeGrad(L, x, n).g));
      const apply = (v: Float64Array): Float64Array => landscapeHvp(L, x, v, n);
      const twin = lanczos(apply, b, k);
      const lambda = 0.5;
      const f = (t: number): number => 1 / Math.sqrt(t * t + lambda);
      const got = await withValidation(device, async () => {
        const lz = new GpuLanczos(device, n, k);
        const land = uniform(device, landscapeUniform(L));
        const pos = uploadBuffer(device, Float32Array.from(x));
        const bb = uploadBuffer(device, Float32Array.from(b));
        const out = emptyBuffer(device, 8 * n);
        const io = lz.bindIO(land, pos, bb, out);
        lz.configure();
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        lz.encode(pass, io, k);
        pass.end();
        lz.copyState(enc);
        device.queue.submit([enc.finish()]);
        const ab = await lz.readAlphaBeta(k);
        if (!ab) throw new Error('destroyed');
        const r = ritz(ab.alpha, ab.beta);
        const { y } = lanczosCoefficients(r, ab.norm, f);
        lz.setCoefficients(y);
        runPass(device, (p) => lz.encodeCombine(p, io));
        const d = new Float32Array(await readBuffer(device, out, 8 * n));
        for (const buf of [land, pos, bb, out]) buf.destroy();
        lz.destroy();
        return { ...ab, ritz: r, d };
      });
      // alpha, beta: Lanczos in f32 with full reorthogonalisation is backward stable: T is the
      // twin's to ~1e-5 relative to |H| for the first steps; later steps amplify the difference
      // (beta_j small), so the spectra are compared where it matters.
      const scale = maxAbs(twin.alpha);
      const k0 = 6;
      expectClose(got.alpha.subarray(0, k0), twin.alpha.subarray(0, k0), { atol: 1e-4 * scale, rtol: 0 }, 'first steps: f32 vs f64 of the same recurrence');
      expectClose(got.beta.subarray(0, k0), twin.beta.subarray(0, k0), { atol: 1e-4 * scale, rtol: 0 }, 'first steps: f32 vs f64 of the same recurrence');
      expect(Math.abs(got.norm / twin.norm - 1)).toBeLessThan(1e-6);
      // The extreme Ritz values (they converge first) and f(H) b ~ |b| Q S f(Theta) S^T e_1, from
      // the GPU basis and the CPU-solved coefficients, against the twin's k steps.
      const tr = ritz(twin.alpha, twin.beta);
      const spread = (tr.values[tr.k - 1] ?? NaN) - (tr.values[0] ?? NaN);
      expect(Math.abs((got.ritz.values[0] ?? NaN) - (tr.values[0] ?? NaN))).toBeLessThan(1e-4 * spread);
      expect(Math.abs((got.ritz.values[got.ritz.k - 1] ?? NaN) - (tr.values[tr.k - 1] ?? NaN))).toBeLessThan(1e-4 * spread);
      const { y } = lanczosCoefficients(tr, twin.norm, f);
      const wantK = new Float64Array(2 * n);
      twin.Q.forEach((qv, m) => qv.forEach((v, i) => (wantK[i] = (wantK[i] ?? 0) + (y[m] ?? 0) * v)));
      expectClose(got.d, wantK, { atol: 2e-4 * maxAbs(wantK), rtol: 0 }, 'the same k-step Lanczos f(H) b in f32 vs f64');
      if (k >= 2 * n) {
        // k = 2N: the exact f(H) b (dense eigendecomposition of the 2N x 2N Hessian).
        const eig = symEig(landscapeHessian(L, x, n), 2 * n);
        const want = applyMatrixFunction(eig, f, b);
        expectClose(got.d, want, { atol: 2e-4 * maxAbs(want), rtol: 0 }, 'k = 2N: Lanczos is exact up to f32 rounding');
        const lo = eig.values[0] ?? NaN, hi = eig.values[2 * n - 1] ?? NaN;
        expect(Math.abs((got.ritz.values[0] ?? NaN) - lo)).toBeLessThan(1e-4 * (hi - lo));
      }
    });
  }
});

/**
 * Exact (CPU, float64) tests of the torus Fourier machinery: the Stockham FFT against closed forms,
 * the particle-mesh Riesz velocity converging to the direct truncated Fourier sum as G grows, the
 * wrapped-Gaussian target (score vs finite differences, normalisation, closed-form Fourier
 * coefficients, exact sampler) and the L2 metric.
 */
import { describe, expect, it } from 'vitest';
import { ParamError, resolveParams } from '../core/params';
import { svgd, svgdSettings } from '../methods/svgd';
import { createTarget } from '../targets/registry';
import { torusMixtureFourier } from '../targets/torus';
import { fft2d } from './fft';
import { modeCount, modeXi } from './fourier';
import { Rng } from './philox';
import { rieszVelocityDirect, rieszVelocityPm } from './rieszSvgd';
import { torusDft } from './torusDft';
import { l2FromModes, targetFourier, torusL2 } from './torusL2';

const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? 0))), 0);

describe('fft (Stockham radix-2) against closed forms', () => {
  it('a pure wave e^{2 pi i (3x + 5y)/G} transforms to G^2 at mode (3, 5), 0 elsewhere; inverse recovers G^2 x input', () => {
    const g = 16;
    const d = new Float64Array(2 * g * g);
    for (let y = 0; y < g; y++) for (let x = 0; x < g; x++) {
      const t = (2 * Math.PI * (3 * x + 5 * y)) / g;
      d[2 * (y * g + x)] = Math.cos(t);
      d[2 * (y * g + x) + 1] = Math.sin(t);
    }
    const f = fft2d(d, g, 1, -1);
    const want = new Float64Array(2 * g * g);
    want[2 * (5 * g + 3)] = g * g;
    expect(maxDiff(f, want)).toBeLessThan(1e-10);
    const back = fft2d(f, g, 1, 1);
    expect(maxDiff(back, d.map((v) => v * g * g))).toBeLessThan(1e-9);
  });
  it('a delta at (2, 7) transforms to the phasor e^{-2 pi i (2 kx + 7 ky)/G}', () => {
    const g = 8;
    const d = new Float64Array(2 * g * g);
    d[2 * (7 * g + 2)] = 1;
    const f = fft2d(d, g, 1, -1);
    for (let ky = 0; ky < g; ky++) for (let kx = 0; kx < g; kx++) {
      const t = (-2 * Math.PI * (2 * kx + 7 * ky)) / g;
      expect(Math.abs((f[2 * (ky * g + kx)] ?? 0) - Math.cos(t))).toBeLessThan(1e-12);
      expect(Math.abs((f[2 * (ky * g + kx) + 1] ?? 0) - Math.sin(t))).toBeLessThan(1e-12);
    }
  });
});

describe('particle mesh vs direct truncated Fourier sum (Riesz kernel)', () => {
  it('relative error falls with G (second order: CIC deposit + interpolation, deconvolved)', () => {
    const rng = new Rng(4, 1);
    const n = 200;
    const x = Float64Array.from({ length: 2 * n }, () => rng.uniform());
    const s = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const o = { modes: 6, s: 1.5, k0: 1 };
    const direct = rieszVelocityDirect(x, s, n, o);
    const scale = maxAbs(direct);
    const errs = [16, 32, 64, 128].map((g) => maxDiff(rieszVelocityPm(x, s, n, g, o), direct) / scale);
    for (let i = 1; i < errs.length; i++) expect(errs[i] ?? 1).toBeLessThan(0.35 * (errs[i - 1] ?? 0));
    expect(errs[3]).toBeLessThan(2e-3);
  });
  it('direct velocity = O(N^2) pair sum of the truncated kernel (k and grad k by their Fourier series)', () => {
    const rng = new Rng(5, 1);
    const n = 40;
    const x = Float64Array.from({ length: 2 * n }, () => rng.uniform());
    const s = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const o = { modes: 4, s: 2, k0: 0.5 };
    const phi = rieszVelocityDirect(x, s, n, o);
    const want = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      // k(d) = sum khat cos(2 pi xi.d), grad k(d) = -sum khat 2 pi xi sin(2 pi xi.d), d = x_i - x_j
      const d0 = (x[2 * i] ?? 0) - (x[2 * j] ?? 0), d1 = (x[2 * i + 1] ?? 0) - (x[2 * j + 1] ?? 0);
      let k = 0, g0 = 0, g1 = 0;
      for (let m = 0; m < modeCount(o.modes); m++) {
        const [a, b] = modeXi(m, o.modes);
        const kh = a === 0 && b === 0 ? o.k0 : Math.pow(a * a + b * b, -o.s);
        const t = 2 * Math.PI * (a * d0 + b * d1);
        k += kh * Math.cos(t);
        g0 -= kh * 2 * Math.PI * a * Math.sin(t);
        g1 -= kh * 2 * Math.PI * b * Math.sin(t);
      }
      // phi_i = (1/N) sum_j [k(x_i - x_j) s_j + grad_{x_j} k(x_i - x_j)] = (1/N) sum_j [k s_j - grad k]
      want[2 * i] = (want[2 * i] ?? 0) + (k * (s[2 * j] ?? 0) - g0) / n;
      want[2 * i + 1] = (want[2 * i + 1] ?? 0) + (k * (s[2 * j + 1] ?? 0) - g1) / n;
    }
    expect(maxDiff(phi, want)).toBeLessThan(1e-10 * maxAbs(want));
  });
});

describe('torus-mixture target', () => {
  const t = createTarget('torus-mixture', {});
  it('is periodic, normalised on [0,1)^2, and its score matches finite differences', () => {
    expect(t.periodic).toBe(true);
    const q = 200;
    let z = 0;
    for (let b = 0; b < q; b++) for (let a = 0; a < q; a++) z += Math.exp(t.logDensity((a + 0.5) / q, (b + 0.5) / q));
    expect(Math.abs(z / (q * q) - 1)).toBeLessThan(1e-6);
    const rng = new Rng(1, 2);
    for (let i = 0; i < 50; i++) {
      const x = rng.uniform(), y = rng.uniform();
      expect(Math.abs(t.logDensity(x + 1, y - 2) - t.logDensity(x, y))).toBeLessThan(1e-9);
      const e = 1e-6;
      const fx = (t.logDensity(x + e, y) - t.logDensity(x - e, y)) / (2 * e);
      const fy = (t.logDensity(x, y + e) - t.logDensity(x, y - e)) / (2 * e);
      const [sx, sy] = t.score(x, y);
      expect(Math.abs(sx - fx)).toBeLessThan(1e-5 * (1 + Math.abs(fx)));
      expect(Math.abs(sy - fy)).toBeLessThan(1e-5 * (1 + Math.abs(fy)));
    }
  });
  it('quadrature pihat matches the closed form, and exact samples match pihat (CLT bound)', () => {
    const comps = t.components ?? [];
    const k = 6;
    const pihat = targetFourier((x, y) => t.logDensity(x, y), k);
    const n = 20000;
    const samples = t.sample?.(new Rng(3, 4), n) ?? new Float64Array();
    const emp = torusDft(samples, null, n, k);
    for (let m = 0; m < modeCount(k); m++) {
      const [a, b] = modeXi(m, k);
      const [re, im] = torusMixtureFourier(comps, a, b);
      expect(Math.abs((pihat[2 * m] ?? 0) - re)).toBeLessThan(1e-9);
      expect(Math.abs((pihat[2 * m + 1] ?? 0) - im)).toBeLessThan(1e-9);
      // each part of rhohat_N has std <= 1/sqrt(2N) ~ 0.005: 5 sigma
      expect(Math.abs((emp[8 * m + 4] ?? 0) - re)).toBeLessThan(0.025);
      expect(Math.abs((emp[8 * m + 5] ?? 0) - im)).toBeLessThan(0.025);
    }
  });
  it('rejects components wider than std 1/4', () => {
    expect(() => createTarget('torus-mixture', { components: JSON.stringify([{ mean: [0.5, 0.5], std: 0.3 }]) })).toThrow(ParamError);
  });
});

describe('torus L2 metric', () => {
  const t = createTarget('torus-mixture', {});
  it('is ~0 for the target itself, decreases like 1/sqrt(N) for exact samples, and is large for a uniform cloud', () => {
    const pihat = targetFourier((x, y) => t.logDensity(x, y), 16);
    const stride2 = new Float64Array(8 * modeCount(16));
    for (let m = 0; m < modeCount(16); m++) stride2.set([pihat[2 * m] ?? 0, pihat[2 * m + 1] ?? 0], 8 * m + 4);
    expect(l2FromModes(stride2, pihat, 16, 0.03)).toBe(0);
    const d1 = torusL2(t.sample?.(new Rng(1, 1), 1000) ?? new Float64Array(), 1000, t);
    const d16 = torusL2(t.sample?.(new Rng(2, 1), 16000) ?? new Float64Array(), 16000, t);
    expect(d16 / d1).toBeGreaterThan(0.15);
    expect(d16 / d1).toBeLessThan(0.4);
    const rng = new Rng(3, 1);
    const u = Float64Array.from({ length: 2000 }, () => rng.uniform());
    expect(torusL2(u, 1000, t)).toBeGreaterThan(5 * d1);
  });
});

describe('svgd kernel / domain combinations', () => {
  const p = (given: Record<string, string | number>): ReturnType<typeof resolveParams> => resolveParams(svgd.params, given);
  it('riesz needs the torus; pm needs riesz, a power-of-two grid and modes <= grid/2 - 1', () => {
    expect(() => svgdSettings(p({ kernel: 'riesz' }), 'plane')).toThrow(ParamError);
    expect(() => svgdSettings(p({ kernel: 'imq', smoothing: 'pm' }), 'plane')).toThrow(/riesz/);
    expect(() => svgdSettings(p({ kernel: 'riesz', smoothing: 'pm', grid: 48 }), 'torus')).toThrow(/power of two/);
    expect(() => svgdSettings(p({ kernel: 'riesz', smoothing: 'pm', grid: 32, modes: 16 }), 'torus')).toThrow(/modes/);
    expect(svgdSettings(p({ kernel: 'riesz', smoothing: 'pm', grid: 64, modes: 16 }), 'torus')).toMatchObject({ kernel: 'riesz', grid: 64, modes: 16 });
    expect(svgdSettings(p({ kernel: 'imq' }), 'torus')).toMatchObject({ kernel: 'imq', periodic: true, beta: -0.5 });
    expect(svgd.domains).toEqual(['plane', 'torus']);
  });
});

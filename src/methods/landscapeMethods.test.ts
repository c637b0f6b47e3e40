/**
 * The landscape steppers (issue 10) in float64 against exact answers: Newton on a quadratic in one
 * step, the double well from its saddle (Newton stays, WSFN escapes and converges linearly at the
 * predicted rate), the overshoot safeguards, JKO's closed-form proximal step and its tau -> 0 limit,
 * and the perturbed baseline leaving an exact saddle.
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from '../gpu/testing';
import { createLandscape, landscapes } from '../landscapes/presets';
import type { LandscapeMethodDef } from '../landscapes/stepper';
import { symEig } from '../reference/denseEig';
import { landscapeEnergy, landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHessian } from '../reference/landscapeHvp';
import type { PackedLandscape } from '../reference/landscapes';
import type { Params } from '../core/params';
import { jko } from './jko';
import { wgd } from './wgd';
import { perturbParticles, wgdPerturbed } from './wgdPerturbed';
import { wNewton } from './wNewton';
import { wsfn } from './wsfn';

function run(m: LandscapeMethodDef, L: PackedLandscape, x0: Float64Array, h: number, steps: number, params: Params = {}, seed = 1) {
  const n = x0.length / 2;
  const st = m.createCpu({ n, stepSize: h, seed, params, landscape: L });
  let x = x0;
  const energy: number[] = [];
  const minEig: (number | undefined)[] = [];
  for (let s = 0; s < steps; s++) {
    x = st.step(x, s);
    energy.push(st.readouts().energy);
    minEig.push(st.readouts().minEig);
  }
  return { x, energy, minEig, readouts: st.readouts() };
}

describe('quadratic energy: w-newton with h = 1 converges in one step', () => {
  for (const c of [0, 0.8]) {
    for (const solver of ['lanczos', 'dense']) {
      it(`W = (${c}/2)|x - y|^2, ${solver}`, () => {
        const m = [0.3, -0.7];
        const L = createLandscape('quadratic', { mean: m, c });
        const n = 32;
        const x0 = landscapes.quadratic.init(n, 4);
        // F is quadratic with minimiser x_i = m for all i: one exact Newton step lands there.
        const r = run(wNewton, L, x0, 1, 1, { solver, trust: 1e6 });
        expectClose(r.x, Float64Array.from({ length: 2 * n }, (_, k) => m[k % 2] ?? 0), { atol: 1e-12, rtol: 0 }, 'exact Newton step on a quadratic');
        expect(r.readouts.energy).toBeLessThan(1e-24);
        expect(r.readouts.minEig).toBeCloseTo(1, 12);
      });
    }
  }
});

describe('double well from the saddle (N = 64, seed 1)', () => {
  const L = createLandscape('double-well', {});
  const n = 64;
  const x0 = landscapes['double-well'].init(n, 1);

  it('w-newton is attracted to the saddle: F = 1/4 and the smallest eigenvalue is -1', () => {
    const r = run(wNewton, L, x0, 1, 30);
    expect(Math.abs((r.energy[29] ?? NaN) - 0.25)).toBeLessThan(1e-12);
    // At the saddle x = 0: H = hess V + c (I - mean) on each coordinate; the x1 block has
    // -1 (all particles moving together) and -1 + c = -0.5: the smallest eigenvalue is -1.
    expect(Math.abs((r.minEig[29] ?? NaN) + 1)).toBeLessThan(1e-9);
    expect(symEig(landscapeHessian(L, r.x, n), 2 * n).values[0] ?? NaN).toBeCloseTo(-1, 9);
  });

  for (const solver of ['lanczos', 'dense']) {
    it(`wsfn (lambda = 0.5, h = 1, ${solver}) escapes: F < 1e-8 within 40 steps, then linear convergence at the predicted rate`, () => {
      const r = run(wsfn, L, x0, 1, 40, { lambda: 0.5, solver });
      const first = r.energy.findIndex((f) => f < 1e-8);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(40);
      // The global minimiser puts every particle in one well, x = (+-1, 0): H has eigenvalues
      // 2 and 2 + c (x1) and 1 and 1 + c (x2). Each eigen-component of x - x* shrinks by
      // 1 - theta / sqrt(theta^2 + lambda) per step; the slowest is theta = 1, so F (quadratic in
      // the error) falls by rho = (1 - 1/sqrt(1.5))^2 = 0.0337 per step at the end.
      const rho = (1 - 1 / Math.sqrt(1.5)) ** 2;
      const tail = r.energy.map((f, k) => ({ f, k })).filter(({ f, k }) => k > first && f > 1e-60 && f < 1e-12);
      expect(tail.length).toBeGreaterThan(4);
      const ratios = tail.slice(1).map(({ f, k }) => f / (r.energy[k - 1] ?? NaN));
      for (const q of ratios) expect(q).toBeLessThan(2 * rho);
      expect(Math.abs((ratios[ratios.length - 1] ?? NaN) / rho - 1)).toBeLessThan(0.05);
      const x1 = r.x[0] ?? 0;
      for (let i = 0; i < n; i++) expect(Math.abs((r.x[2 * i] ?? 0) - x1)).toBeLessThan(1e-9);
      expect(Math.abs(Math.abs(x1) - 1)).toBeLessThan(1e-9);
    });
  }

  it('the safeguards stop a tiny lambda from overshooting (unsafe: F rises more than 100-fold in one step)', () => {
    // Near the inflection points x1^2 = 1/3 hess V_11 = 3 x1^2 - 1 ~ 0, so with c = 0 and lambda
    // = 1e-10 the step g / sqrt(theta^2 + lambda) is huge.
    const Lc = createLandscape('double-well', { c: 0 });
    const m = 16;
    const x = Float64Array.from({ length: 2 * m }, (_, k) => (k % 2 === 0 ? 1 / Math.sqrt(3) + 1e-3 * Math.sin(k + 1) : 0));
    const F0 = landscapeEnergy(Lc, x, m);
    const unsafe = run(wsfn, Lc, x, 1, 1, { lambda: 1e-10, lineSearch: false, trust: 1e6, solver: 'dense' });
    expect(unsafe.readouts.energy).toBeGreaterThan(100 * F0);
    const safe = run(wsfn, Lc, x, 1, 1, { lambda: 1e-10, solver: 'dense' });
    expect(safe.readouts.energy).toBeLessThan(F0);
  });
});

describe('jko', () => {
  it('on V = |x - m|^2/2 (W = 0 and W = (c/2)|x - y|^2) it is the closed-form proximal step', () => {
    const m = [0.5, -1], n = 20, tau = 0.7;
    for (const c of [0, 0.8]) {
      const L = createLandscape('quadratic', { mean: m, c });
      const x = landscapes.quadratic.init(n, 3);
      // Stationarity: (y_i - m) + c (y_i - ybar) + (y_i - x_i)/tau = 0. Its mean gives
      // ybar = (tau m + xbar) / (1 + tau), then y_i = (m + c ybar + x_i/tau) / (1 + c + 1/tau).
      const xbar = [0, 1].map((d) => Array.from({ length: n }, (_, i) => x[2 * i + d] ?? 0).reduce((a, b) => a + b, 0) / n);
      const want = Float64Array.from({ length: 2 * n }, (_, k) => {
        const d = k % 2;
        const ybar = (tau * (m[d] ?? 0) + (xbar[d] ?? 0)) / (1 + tau);
        return ((m[d] ?? 0) + c * ybar + (x[k] ?? 0) / tau) / (1 + c + 1 / tau);
      });
      for (const inner of ['newton', 'gd']) {
        const r = run(jko, L, x, tau, 1, { inner, innerIters: inner === 'newton' ? 1 : 400, innerTol: 0 });
        expectClose(r.x, want, { atol: 1e-12, rtol: 0 }, `${inner}: one Newton iteration is exact on a quadratic; gd contracts by (1 - innerStep (1 + tau (1 + c)))... per iteration`);
        expect(r.readouts.innerResidual ?? NaN).toBeLessThan(1e-11);
      }
    }
  });

  it('tau -> 0 follows wgd: |jko(x) - (x - tau g)| = O(tau^2)', () => {
    const L = createLandscape('double-well', {});
    const n = 24;
    const x = landscapes['double-well'].init(n, 5).map((v, k) => (k % 2 === 0 ? 10 * v : v));
    const errs = [1e-2, 1e-3].map((tau) => {
      const y = run(jko, L, x, tau, 1, { innerIters: 10, innerTol: 1e-14 }).x;
      const z = run(wgd, L, x, tau, 1).x;
      return Math.sqrt(y.reduce((s, v, k) => s + (v - (z[k] ?? 0)) ** 2, 0) / n);
    });
    // Backward vs forward Euler differ by tau^2 H g: the ratio over a factor-10 tau is ~100.
    const ratio = (errs[0] ?? NaN) / (errs[1] ?? NaN);
    expect(ratio).toBeGreaterThan(80);
    expect(ratio).toBeLessThan(120);
    // and over many steps the JKO trajectory stays within O(tau) of wgd's
    const a = run(jko, L, x, 1e-3, 200, { innerIters: 10, innerTol: 1e-14 }).x;
    const b = run(wgd, L, x, 1e-3, 200).x;
    expect(Math.max(...a.map((v, k) => Math.abs(v - (b[k] ?? 0))))).toBeLessThan(1e-3);
  });
});

describe('wgd-perturbed', () => {
  it('wgd stays on an exact saddle (g = 0); the perturbed version leaves it and F falls below 0.1', () => {
    const L = createLandscape('double-well', {});
    const n = 16;
    const x = new Float64Array(2 * n);
    expect(landscapeGrad(L, x, n).gradNorm).toBe(0);
    const plain = run(wgd, L, x, 0.3, 100);
    expect(plain.energy[99]).toBe(0.25);
    const pert = run(wgdPerturbed, L, x, 0.3, 100, { radius: 0.01, gradThreshold: 1e-3, every: 20 }, 3);
    expect(pert.energy[99] ?? NaN).toBeLessThan(0.1);
    // The noise is Philox (seed, step): reproducible.
    expectClose(perturbParticles(x, n, 0.01, 3, 0), perturbParticles(x, n, 0.01, 3, 0), { atol: 0, rtol: 0 }, 'same counter, same noise');
  });
});

/**
 * The `two-layer-net` landscape (mean-field two-layer tanh network, issue 10) in float64, against
 * exact answers: F is the squared loss computed directly from the network's output; the student
 * equal to the teacher (N = 2, or the teacher replicated) has F = 0 and g = 0; W is symmetric but
 * not a function of theta - theta'; each derivative of V and W is the central difference of the one
 * below; Lanczos with k = 2N is the dense eigendecomposition; wgd at the default step lowers F
 * monotonically. (The generic gradient / HVP / symmetry checks run on it in landscapes.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { defaultStepSize } from '../engine/defaults';
import { expectClose } from '../gpu/testing';
import { wgd } from '../methods/wgd';
import { wsfn } from '../methods/wsfn';
import { applyMatrixFunction, symEig } from '../reference/denseEig';
import { lanczos, lanczosApply, ritz } from '../reference/lanczos';
import { landscapeEnergy, landscapeEnergyPairwise, landscapeGrad, landscapeGradPairwise } from '../reference/landscapeGrad';
import { landscapeHessian, landscapeHvp, landscapeHvpPairwise } from '../reference/landscapeHvp';
import { landGradV, landGradW1, landHessV, landHessW11, landHessW12, landPairGrad, landPairHvp, landV, landW } from '../reference/landscapes';
import type { Params } from '../core/params';
import { Rng } from '../reference/philox';
import { createLandscape, landscapes, NET_RANGE, TEACHER } from './presets';

const L = createLandscape('two-layer-net');
const M = 32;

function cloud(n: number, seed: number, s = 1): Float64Array {
  const rng = new Rng(seed, 13);
  return Float64Array.from({ length: 2 * n }, () => s * rng.normal());
}

/** The loss written out directly: 1/2 mean_u (y(u) - (1/N) sum_j tanh(w_j u + b_j))^2, u on the grid. */
function directLoss(x: Float64Array, n: number, teacher: readonly number[] = TEACHER, m = M): number {
  const [w1 = 0, b1 = 0, w2 = 0, b2 = 0] = teacher;
  let s = 0;
  for (let k = 0; k < m; k++) {
    const u = NET_RANGE * (-1 + (2 * k) / (m - 1));
    const y = (Math.tanh(w1 * u + b1) + Math.tanh(w2 * u + b2)) / 2;
    let f = 0;
    for (let j = 0; j < n; j++) f += Math.tanh((x[2 * j] ?? 0) * u + (x[2 * j + 1] ?? 0)) / n;
    s += 0.5 * (y - f) ** 2;
  }
  return s / m;
}

describe('two-layer-net: the energy is the network\'s squared loss', () => {
  it('F(X) = 1/2 mean_u (y - f_X)^2 for random neurons (default and other teacher / M)', () => {
    const other = [1, -0.5, -3, 2];
    const runs: [Params, readonly number[], number][] = [[{}, TEACHER, M], [{ teacher: other, m: 7 }, other, 7]];
    for (const [params, teacher, m] of runs) {
      const Lp = createLandscape('two-layer-net', params);
      for (const n of [1, 5, 40]) {
        const x = cloud(n, n, 1.5);
        // Sums of O(1) terms in a different order: agreement to roundoff.
        expect(Math.abs(landscapeEnergy(Lp, x, n) - directLoss(x, n, teacher, m))).toBeLessThan(1e-14);
      }
    }
  });

  it('exact minimiser: neurons on the teacher\'s (N = 2, or each replicated 32 times) give F = 0 and g = 0', () => {
    for (const reps of [1, 32]) {
      const n = 2 * reps;
      const x = new Float64Array(2 * n);
      for (let r = 0; r < reps; r++) x.set([TEACHER[0], TEACHER[1], TEACHER[2], TEACHER[3]], 4 * r);
      const G = landscapeGrad(L, x, n);
      // F = E[y^2/2 - y f + f^2/2] with f = y: cancellation of O(0.1) terms, roundoff ~1e-17.
      expect(Math.abs(G.energy)).toBeLessThan(1e-15);
      // g_i = E[sigma'(z_i) (f - y) (u, 1)]: f - y is roundoff.
      expect(G.gradNorm).toBeLessThan(1e-14);
    }
    // and away from it F > 0 (a single teacher neuron cannot fit the bump)
    expect(landscapeEnergy(L, Float64Array.from([TEACHER[0], TEACHER[1]]), 1)).toBeGreaterThan(0.05);
  });

  it('W(theta, theta\') = W(theta\', theta), hess_12 W(x, y) = hess_12 W(y, x)^T, and W is not a function of theta - theta\'', () => {
    const p = cloud(20, 21);
    for (let i = 0; i + 3 < p.length; i += 4) {
      const [a0, a1, b0, b1] = [p[i] ?? 0, p[i + 1] ?? 0, p[i + 2] ?? 0, p[i + 3] ?? 0];
      expect(landW(L, a0, a1, b0, b1)).toBe(landW(L, b0, b1, a0, a1));
      const c = landHessW12(L, a0, a1, b0, b1), ct = landHessW12(L, b0, b1, a0, a1);
      expectClose(c, [ct[0], ct[2], ct[1], ct[3]], { atol: 1e-15, rtol: 0 }, 'the cross term is the transpose with the arguments swapped');
    }
    // translated together: W changes (it would not for a W(x - y))
    expect(Math.abs(landW(L, 0.5, 0.2, -0.3, 0.1) - landW(L, 1.5, 1.2, 0.7, 1.1))).toBeGreaterThan(0.1);
    // hess_12 W is not -hess_11 W (it is for a W(x - y))
    const h11 = landHessW11(L, 0.5, 0.2, -0.3, 0.1), h12 = landHessW12(L, 0.5, 0.2, -0.3, 0.1);
    expect(Math.abs(h12[0] + h11[0])).toBeGreaterThan(0.05);
  });

  it('grad V, hess V, grad_1 W, hess_11 W and hess_12 W are central differences of the function below them', () => {
    // Central differences with eps = 1e-5: truncation eps^2 |f'''| / 6 ~ 1e-10 (tanh''' <= 2, |u| <= 2), roundoff 1e-16 / eps.
    const eps = 1e-5;
    const tol = { atol: 1e-8, rtol: 1e-7 };
    const p = cloud(8, 22, 1.2);
    for (let i = 0; i + 3 < p.length; i += 4) {
      const [x0, x1, y0, y1] = [p[i] ?? 0, p[i + 1] ?? 0, p[i + 2] ?? 0, p[i + 3] ?? 0];
      const d = (f: (a: number, b: number) => number): [number, number] => [(f(x0 + eps, x1) - f(x0 - eps, x1)) / (2 * eps), (f(x0, x1 + eps) - f(x0, x1 - eps)) / (2 * eps)];
      expectClose(landGradV(L, x0, x1), d((a, b) => landV(L, a, b)), tol, 'grad V = FD of V');
      const hv = landHessV(L, x0, x1);
      expectClose([hv[0], hv[1]], d((a, b) => landGradV(L, a, b)[0]), tol, 'hess V row 1 = FD of dV/dw');
      expectClose([hv[1], hv[2]], d((a, b) => landGradV(L, a, b)[1]), tol, 'hess V row 2 = FD of dV/db');
      expectClose(landGradW1(L, x0, x1, y0, y1), d((a, b) => landW(L, a, b, y0, y1)), tol, 'grad_1 W = FD of W in its first argument');
      const h = landHessW11(L, x0, x1, y0, y1);
      expectClose([h[0], h[1]], d((a, b) => landGradW1(L, a, b, y0, y1)[0]), tol, 'hess_11 W row 1');
      expectClose([h[1], h[2]], d((a, b) => landGradW1(L, a, b, y0, y1)[1]), tol, 'hess_11 W row 2');
      const c = landHessW12(L, x0, x1, y0, y1);
      const dy = (f: (a: number, b: number) => number): [number, number] => [(f(y0 + eps, y1) - f(y0 - eps, y1)) / (2 * eps), (f(y0, y1 + eps) - f(y0, y1 - eps)) / (2 * eps)];
      expectClose([c[0], c[1]], dy((a, b) => landGradW1(L, x0, x1, a, b)[0]), tol, 'hess_12 W row 1 = d/dy of dW/dw');
      expectClose([c[2], c[3]], dy((a, b) => landGradW1(L, x0, x1, a, b)[1]), tol, 'hess_12 W row 2 = d/dy of dW/db');
    }
  });

  it('the one-pass pair terms equal the separate functions (every W kind): landPairGrad = (grad_1 W, W), landPairHvp = hess_11 W vx + hess_12 W vy', () => {
    const p = cloud(6, 25);
    for (const [id, params] of [['two-layer-net', {}], ['double-well', {}], ['attract-repel', { a: 5, b: 3 }], ['quadratic', { c: 0.7 }]] as const) {
      const Lk = createLandscape(id, params);
      for (let i = 0; i + 7 < p.length; i += 8) {
        const [x0, x1, y0, y1, a0, a1, b0, b1] = Array.from(p.subarray(i, i + 8));
        if (x0 === undefined || x1 === undefined || y0 === undefined || y1 === undefined || a0 === undefined || a1 === undefined || b0 === undefined || b1 === undefined) throw new Error('short cloud');
        const [g0, g1] = landGradW1(Lk, x0, x1, y0, y1);
        expectClose(landPairGrad(Lk, x0, x1, y0, y1), [g0, g1, landW(Lk, x0, x1, y0, y1)], { atol: 1e-15, rtol: 1e-14 }, 'same sums, same order');
        const [h11, h12, h22] = landHessW11(Lk, x0, x1, y0, y1);
        const [c11, c12, c21, c22] = landHessW12(Lk, x0, x1, y0, y1);
        const want = [h11 * a0 + h12 * a1 + c11 * b0 + c12 * b1, h12 * a0 + h22 * a1 + c21 * b0 + c22 * b1];
        expectClose(landPairHvp(Lk, x0, x1, y0, y1, a0, a1, b0, b1), want, { atol: 1e-15, rtol: 1e-13 }, 'the products summed in another order');
      }
    }
  });

  it('the O(N M) path (rank-M W) equals the pairwise O(N^2 M) sums in the WGSL\'s order: g, e, F, H v', () => {
    const runs: [Params, number][] = [[{}, 37], [{ teacher: [1, -0.5, -3, 2], m: 7 }, 12]];
    for (const [params, n] of runs) {
      const Lp = createLandscape('two-layer-net', params);
      const x = cloud(n, 26, 1.5), v = cloud(n, 27);
      const fast = landscapeGrad(Lp, x, n), slow = landscapeGradPairwise(Lp, x, n);
      // float64 sums of N M bounded terms in two orders: ~1e-16 N M relative
      expectClose(fast.g, slow.g, { atol: 1e-14, rtol: 1e-12 }, 'g: same sums, other order');
      expectClose(fast.e, slow.e, { atol: 1e-14, rtol: 1e-12 }, 'e_i: same sums, other order');
      expect(Math.abs(fast.energy - slow.energy)).toBeLessThan(1e-14);
      expect(Math.abs(landscapeEnergy(Lp, x, n) - landscapeEnergyPairwise(Lp, x, n))).toBeLessThan(1e-14);
      expectClose(landscapeHvp(Lp, x, v, n), landscapeHvpPairwise(Lp, x, v, n), { atol: 1e-14, rtol: 1e-12 }, 'H v: same sums, other order');
    }
  });

  it('Lanczos with k = 2N (N = 10) equals the dense eigendecomposition: Ritz values, (H^2 + lambda)^(-1/2) g', () => {
    const n = 10, m = 2 * n;
    const x = cloud(n, 23);
    const A = landscapeHessian(L, x, n);
    const eig = symEig(A, m);
    const apply = (v: Float64Array): Float64Array => landscapeHvp(L, x, v, n);
    // A random start vector touches every eigen-direction; the spectrum here is simple (measured gap below).
    const b = cloud(n, 24);
    let gap = Infinity;
    for (let k = 1; k < m; k++) gap = Math.min(gap, (eig.values[k] ?? 0) - (eig.values[k - 1] ?? 0));
    expect(gap).toBeGreaterThan(1e-6);
    const lz = lanczos(apply, b, m);
    const thetas = ritz(lz.alpha, lz.beta).values;
    expect(thetas.length).toBe(m);
    // Full reorthogonalisation: the Ritz values of k = 2N are the eigenvalues to ~1e-12 |H|.
    expectClose(thetas, eig.values, { atol: 1e-10, rtol: 0 }, 'k = 2N: T is H in the Krylov basis');
    const f = (t: number): number => 1 / Math.sqrt(t * t + 0.5);
    expectClose(lanczosApply(apply, b, m, f).x, applyMatrixFunction(eig, f, b), { atol: 1e-9, rtol: 1e-9 }, 'k = 2N: the matrix function is exact');
    // At the default init the landscape is not convex: negative curvature is there (what wsfn uses).
    const x0 = landscapes['two-layer-net'].init(n, 1);
    expect(symEig(landscapeHessian(L, x0, n), m).values[0] ?? NaN).toBeLessThan(0);
  });
});

describe('two-layer-net: descent from the default init (N(0, I) neurons, N = 32, seed 1)', () => {
  it('wgd at the default step (2 on this landscape) lowers F at every one of 200 steps, by more than 30x', () => {
    const n = 32;
    const h = defaultStepSize('wgd', 'two-layer-net');
    expect(h).toBe(2);
    const st = wgd.createCpu({ n, stepSize: h, seed: 1, params: { lineSearch: false, trust: 1e6 }, landscape: L });
    let x = landscapes['two-layer-net'].init(n, 1);
    const F0 = landscapeEnergy(L, x, n);
    let prev = F0;
    for (let s = 0; s < 200; s++) {
      x = st.step(x, s);
      const F = st.readouts().energy;
      expect(F).toBeLessThan(prev);
      prev = F;
    }
    // measured: F0 = 0.0661 -> 3.8e-4 (170x) after 200 steps
    expect(prev).toBeLessThan(F0 / 30);
  });

  it('wsfn (lambda = 0.5, k = 20) at its default step lowers F at every step, and faster than wgd at h = 0.2', () => {
    const n = 32;
    const h = defaultStepSize('wsfn', 'two-layer-net');
    const st = wsfn.createCpu({ n, stepSize: h, seed: 1, params: { lambda: 0.5, k: 20, solver: 'lanczos', lineSearch: true, trust: 1 }, landscape: L });
    const slow = wgd.createCpu({ n, stepSize: 0.2, seed: 1, params: { lineSearch: false, trust: 1e6 }, landscape: L });
    let x: Float64Array = landscapes['two-layer-net'].init(n, 1), y: Float64Array = Float64Array.from(x);
    let prev = landscapeEnergy(L, x, n);
    for (let s = 0; s < 30; s++) {
      x = st.step(x, s);
      y = slow.step(y, s);
      const F = st.readouts().energy;
      expect(F).toBeLessThan(prev);
      prev = F;
    }
    // measured: wsfn 5.2e-3, wgd (h = 0.2) 2.5e-2 after 30 steps
    expect(prev).toBeLessThan(slow.readouts().energy / 2);
  });
});

/**
 * Landscapes, the Hessian and Lanczos in float64, against exact answers: finite differences of the
 * energy and the gradient, a matrix with a closed-form spectrum, the dense eigendecomposition,
 * and the attract-repel ring radius.
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from '../gpu/testing';
import { applyMatrixFunction, symEig, symEigJacobi } from '../reference/denseEig';
import { lanczos, lanczosApply, lanczosEffectiveK, ritz } from '../reference/lanczos';
import { landscapeEnergy, landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHessian, landscapeHvp } from '../reference/landscapeHvp';
import { Rng } from '../reference/philox';
import { wgd } from '../methods/wgd';
import type { Params } from '../core/params';
import { createLandscape, landscapes } from './presets';

const cases: { id: string; params: Params }[] = [
  { id: 'quadratic', params: { mean: [0.3, -0.7], c: 0.8 } },
  { id: 'double-well', params: {} },
  { id: 'attract-repel', params: {} },
  { id: 'attract-repel', params: { a: 5, b: 3, k: 0.5 } },
  // W(theta, theta') not a function of theta - theta' (the cross term hess_12 W is its own matrix)
  { id: 'two-layer-net', params: {} },
  { id: 'two-layer-net', params: { teacher: [1, -0.5, -3, 2], m: 7 } },
];

function cloud(n: number, seed: number, s = 1): Float64Array {
  const rng = new Rng(seed, 11);
  return Float64Array.from({ length: 2 * n }, () => s * rng.normal());
}

describe('landscape gradient and Hessian vs finite differences (float64)', () => {
  for (const c of cases) {
    it(`${c.id} ${JSON.stringify(c.params)}: g = N dF/dx, H v = d/dt g(x + t v), H symmetric`, () => {
      const L = createLandscape(c.id, { ...c.params });
      const n = 7;
      const x = cloud(n, 3);
      const v = cloud(n, 4);
      const { g } = landscapeGrad(L, x, n);
      // Central differences: error O(eps^2 |F'''|) ~ 1e-10 plus roundoff 1e-16 / eps ~ 1e-11.
      const eps = 1e-5;
      const fd = Float64Array.from(x, (_, k) => {
        const xp = Float64Array.from(x), xm = Float64Array.from(x);
        xp[k] = (xp[k] ?? 0) + eps;
        xm[k] = (xm[k] ?? 0) - eps;
        return (n * (landscapeEnergy(L, xp, n) - landscapeEnergy(L, xm, n))) / (2 * eps);
      });
      expectClose(g, fd, { atol: 1e-7, rtol: 1e-7 }, 'central difference of F, O(eps^2) with eps = 1e-5');
      const xp = Float64Array.from(x, (xi, k) => xi + eps * (v[k] ?? 0));
      const xm = Float64Array.from(x, (xi, k) => xi - eps * (v[k] ?? 0));
      const gp = landscapeGrad(L, xp, n).g, gm = landscapeGrad(L, xm, n).g;
      const hvFd = Float64Array.from(gp, (a, k) => (a - (gm[k] ?? 0)) / (2 * eps));
      expectClose(landscapeHvp(L, x, v, n), hvFd, { atol: 1e-6, rtol: 1e-6 }, 'central difference of g along v');
      const A = landscapeHessian(L, x, n);
      const m = 2 * n;
      const At = Float64Array.from(A, (_, k) => A[(k % m) * m + Math.floor(k / m)] ?? 0);
      expectClose(A, At, { atol: 1e-12, rtol: 1e-12 }, 'H = N hess F is symmetric for a symmetric W');
    });
  }
});

describe('dense symmetric eigendecomposition (Householder + implicit QL) against cyclic Jacobi', () => {
  it('random, degenerate and two-layer-net Hessians: the same eigenvalues, orthonormal eigenvectors, A U = U Lambda', () => {
    const rng = new Rng(9, 11);
    const rand = (m: number): Float64Array => {
      const A = new Float64Array(m * m);
      for (let r = 0; r < m; r++) for (let c = 0; c <= r; c++) A[r * m + c] = A[c * m + r] = rng.normal();
      return A;
    };
    // rank-one plus identity: eigenvalue 1 with multiplicity m - 1 (a degenerate spectrum)
    const m1 = 15, u = Float64Array.from({ length: m1 }, () => rng.normal());
    const deg = Float64Array.from({ length: m1 * m1 }, (_, k) => (u[Math.floor(k / m1)] ?? 0) * (u[k % m1] ?? 0) + (Math.floor(k / m1) === k % m1 ? 1 : 0));
    const net = createLandscape('two-layer-net');
    const cases: [Float64Array, number][] = [[rand(1), 1], [rand(2), 2], [rand(31), 31], [deg, m1], [landscapeHessian(net, cloud(40, 12), 40), 80]];
    for (const [A, m] of cases) {
      const ql = symEig(A, m), jac = symEigJacobi(A, m);
      let scale = 0;
      for (const v of A) scale = Math.max(scale, Math.abs(v));
      // both backward stable: eigenvalues within ~m eps |A| of each other
      expectClose(ql.values, jac.values, { atol: 1e-12 * scale * m, rtol: 0 }, 'two algorithms, the same spectrum');
      for (let k = 0; k < m; k++) {
        const uk = Float64Array.from({ length: m }, (_, r) => ql.vectors[r * m + k] ?? 0);
        const Au = Float64Array.from({ length: m }, (_, r) => {
          let t = 0;
          for (let c = 0; c < m; c++) t += (A[r * m + c] ?? 0) * (uk[c] ?? 0);
          return t;
        });
        expectClose(Au, uk.map((x) => x * (ql.values[k] ?? 0)), { atol: 1e-12 * scale * m, rtol: 0 }, 'eigenvector residual');
        for (let j = 0; j <= k; j++) {
          let dot = 0;
          for (let r = 0; r < m; r++) dot += (ql.vectors[r * m + k] ?? 0) * (ql.vectors[r * m + j] ?? 0);
          expect(Math.abs(dot - (j === k ? 1 : 0))).toBeLessThan(1e-12 * m);
        }
      }
    }
    expect(symEig(deg, m1).values.slice(0, m1 - 1).every((v) => Math.abs(v - 1) < 1e-13)).toBe(true);
  });
});

describe('dense symmetric eigendecomposition (Jacobi)', () => {
  it('tridiag(-1, 2, -1) of size 20 has eigenvalues 2 - 2 cos(k pi / 21)', () => {
    const m = 20;
    const A = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      A[i * m + i] = 2;
      if (i + 1 < m) A[i * m + i + 1] = A[(i + 1) * m + i] = -1;
    }
    const eig = symEig(A, m);
    const want = Float64Array.from({ length: m }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (m + 1)));
    expectClose(eig.values, want, { atol: 1e-13, rtol: 0 }, 'Jacobi converges to machine precision');
    // A u_k = lambda_k u_k for every column.
    for (let k = 0; k < m; k++) {
      const u = Float64Array.from({ length: m }, (_, r) => eig.vectors[r * m + k] ?? 0);
      const Au = Float64Array.from({ length: m }, (_, r) => {
        let s = 0;
        for (let c = 0; c < m; c++) s += (A[r * m + c] ?? 0) * (u[c] ?? 0);
        return s;
      });
      expectClose(Au, u.map((x) => x * (eig.values[k] ?? 0)), { atol: 1e-13, rtol: 0 }, 'eigenvector residual');
    }
  });
});

describe('Lanczos (full reorthogonalisation) vs the dense eigendecomposition', () => {
  for (const c of cases.slice(1)) {
    it(`${c.id} ${JSON.stringify(c.params)}: k = 2N Ritz values = the eigenvalues g sees; H^-1 g and (H^2 + lambda)^(-1/2) g`, () => {
      const L = createLandscape(c.id, { ...c.params });
      const n = 8, m = 2 * n;
      // The double well at spread positions: hess V differs per particle, so the spectrum is simple.
      const x = cloud(n, 5, 0.8);
      const apply = (v: Float64Array): Float64Array => landscapeHvp(L, x, v, n);
      // Start from the gradient, as the steppers do: for a translation-invariant W (V = 0) it is
      // orthogonal to the null space of translations, so H^-1 g is defined.
      const g = landscapeGrad(L, x, n).g;
      const eig = symEig(landscapeHessian(L, x, n), m);
      const lz = lanczos(apply, g, m);
      // The spectra have multiple eigenvalues (the double well's x2 block: 1 once and 1 + c
      // N - 1 times; the null space of translations of a translation-invariant W), and a Krylov
      // space holds one vector per distinct eigenvalue that g touches: so k = 2N Lanczos stops at
      // a zero beta after that many steps, give or take two steps where the residual sits just
      // above the breakdown threshold (3.7e-10 measured for the double well, 8.9e-9 for the
      // ring: the later vectors pick up eigen-directions g touches at roundoff level), and its
      // Ritz values are exactly eigenvalues of H, all the ones g sees among them.
      const distinct: number[] = [];
      for (let c = 0; c < m; c++) {
        const v = eig.values[c] ?? 0;
        let w = 0;
        for (let r = 0; r < m; r++) w += (eig.vectors[r * m + c] ?? 0) * (g[r] ?? 0);
        if (Math.abs(w) < 1e-9) continue; // g has no component there (e.g. translations)
        if (distinct.length === 0 || v - (distinct[distinct.length - 1] ?? 0) > 1e-8) distinct.push(v);
      }
      const keff = lanczosEffectiveK(lz.alpha, lz.beta);
      expect(keff).toBeGreaterThanOrEqual(distinct.length);
      expect(keff).toBeLessThanOrEqual(distinct.length + 2);
      const thetas = Array.from(ritz(lz.alpha, lz.beta).values);
      const nearest = (v: number, set: readonly number[]): number => set.reduce((b, u) => Math.min(b, Math.abs(u - v)), Infinity);
      expect(Math.max(...thetas.map((t) => nearest(t, Array.from(eig.values))))).toBeLessThan(1e-8);
      expect(Math.max(...distinct.map((v) => nearest(v, thetas)))).toBeLessThan(1e-8);
      const lambda = 0.5;
      // Pseudo-inverse on the null space (g has no component there).
      for (const f of [(t: number) => (Math.abs(t) < 1e-9 ? 0 : 1 / t), (t: number) => 1 / Math.sqrt(t * t + lambda)]) {
        const want = applyMatrixFunction(eig, f, g);
        expectClose(lanczosApply(apply, g, m, f).x, want, { atol: 1e-8, rtol: 1e-8 }, 'k = 2N: the matrix function is exact');
      }
    });
  }
  it('quadratic with W = (c/2)|x - y|^2: the spectrum is {1, 1 + c}, Lanczos stops after 2 steps and H^-1 g is exact', () => {
    const c = 0.8, n = 16;
    const L = createLandscape('quadratic', { c });
    const x = cloud(n, 7);
    const g = landscapeGrad(L, x, n).g;
    const lz = lanczos((v) => landscapeHvp(L, x, v, n), g, 10);
    expect(lanczosEffectiveK(lz.alpha, lz.beta)).toBe(2);
    expectClose(ritz(lz.alpha, lz.beta).values, [1, 1 + c], { atol: 1e-12, rtol: 0 }, 'H u = u + c (u - mean u): eigenvalues 1 (constants) and 1 + c');
    const eig = symEig(landscapeHessian(L, x, n), 2 * n);
    expectClose(lanczosApply((v) => landscapeHvp(L, x, v, n), g, 10, (t) => 1 / t).x, applyMatrixFunction(eig, (t) => 1 / t, g), { atol: 1e-12, rtol: 1e-12 }, 'invariant Krylov space: exact');
  });
});

describe('attract-repel: the ring', () => {
  it('W = |z|^4/4 - |z|^2/2: wgd settles on the circle of radius 1/sqrt(3) about the mean, F = -1/12', () => {
    // Closed form. With mean zero, M2 = E|x|^2, Sigma = E[x x^T], for y an independent copy:
    //   int int |x - y|^2 = 2 M2,   int int |x - y|^4 = 2 E|x|^4 + 2 M2^2 + 4 tr(Sigma^2),
    // so F = (1/2) int int W = (1/8)(2 E|x|^4 + 2 M2^2 + 4 tr Sigma^2) - M2/2. Given M2,
    // E|x|^4 >= M2^2 (equality iff |x| is constant) and tr Sigma^2 >= M2^2/2 (equality iff
    // Sigma = (M2/2) I): the uniform ring attains both, F = (3/4) M2^2 - M2/2, least at
    // M2 = 1/3: radius R = 1/sqrt(3) and F = -1/12. The same holds for the empirical measure of
    // N >= 3 particles (the j = i terms vanish: W(0) = 0), so the particle minimisers are exactly
    // the centred configurations on that circle with isotropic covariance.
    const n = 48;
    const L = createLandscape('attract-repel', {});
    let x = landscapes['attract-repel'].init(n, 2);
    const st = wgd.createCpu({ n, stepSize: 0.5, seed: 2, params: { lineSearch: true, trust: 0.5 }, landscape: L });
    // From N(0, I) the quartic gradient (|z|^3 ~ 100) overshoots at h = 0.5 without the line search.
    for (let s = 0; s < 300; s++) x = st.step(x, s);
    let m0 = 0, m1 = 0;
    for (let i = 0; i < n; i++) {
      m0 += (x[2 * i] ?? 0) / n;
      m1 += (x[2 * i + 1] ?? 0) / n;
    }
    const radii = Float64Array.from({ length: n }, (_, i) => Math.hypot((x[2 * i] ?? 0) - m0, (x[2 * i + 1] ?? 0) - m1));
    expectClose(radii, new Float64Array(n).fill(1 / Math.sqrt(3)), { atol: 1e-6, rtol: 0 }, 'every particle on the circle R = 1/sqrt(3)');
    expect(Math.abs(landscapeEnergy(L, x, n) + 1 / 12)).toBeLessThan(1e-10);
  });
});

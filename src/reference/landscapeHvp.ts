/**
 * Float64 twin of shaders/landscapeHvp.wgsl: the particle Wasserstein Hessian applied to a
 * tangent field v (v_i per particle), METHODS.md section 6 with a general W(x, y):
 *   (H v)_i = hess V(x_i) v_i + (1/N) sum_j [ hess_11 W(x_i, x_j) v_i + hess_12 W(x_i, x_j) v_j ]
 * This is the derivative of g_i (landscapeGrad) along x -> x + t v, i.e. H = N hess_X F; for
 * W(x - y) it is METHODS.md's hess V v_i + (1/N) sum_j hess W(x_i - x_j)(v_i - v_j). H is symmetric
 * (in the Euclidean and the L2(mu) inner product alike) when W is. The j = i term is included: it
 * carries both arguments' derivatives (hess_11 + hess_12 at (x_i, x_i)).
 */
import { landHessV, landPairHvp, type PackedLandscape } from './landscapes';
import { isNet, netHvp } from './landscapeNet';

/** The two-layer net takes the O(N M) path of ./landscapeNet.ts; landscapeHvpPairwise is the WGSL's pairwise sum. */
export function landscapeHvp(L: PackedLandscape, x: Float64Array, v: Float64Array, n: number): Float64Array {
  return isNet(L) ? netHvp(L, x, v, n) : landscapeHvpPairwise(L, x, v, n);
}

export function landscapeHvpPairwise(L: PackedLandscape, x: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    const vi0 = v[2 * i] ?? 0, vi1 = v[2 * i + 1] ?? 0;
    let a0 = 0, a1 = 0;
    for (let j = 0; j < n; j++) {
      const xj0 = x[2 * j] ?? 0, xj1 = x[2 * j + 1] ?? 0;
      const vj0 = v[2 * j] ?? 0, vj1 = v[2 * j + 1] ?? 0;
      const [d0, d1] = landPairHvp(L, xi0, xi1, xj0, xj1, vi0, vi1, vj0, vj1);
      a0 += d0;
      a1 += d1;
    }
    const [p11, p12, p22] = landHessV(L, xi0, xi1);
    out[2 * i] = p11 * vi0 + p12 * vi1 + a0 / n;
    out[2 * i + 1] = p12 * vi0 + p22 * vi1 + a1 / n;
  }
  return out;
}

/** The full 2N x 2N Hessian (row-major), column c = H e_c (small N only: O(N^3) work). */
export function landscapeHessian(L: PackedLandscape, x: Float64Array, n: number): Float64Array {
  const m = 2 * n;
  const A = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    e.fill(0);
    e[c] = 1;
    const col = landscapeHvp(L, x, e, n);
    for (let r = 0; r < m; r++) A[r * m + c] = col[r] ?? 0;
  }
  return A;
}

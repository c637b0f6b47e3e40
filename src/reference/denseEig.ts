/**
 * Dense symmetric eigendecomposition by cyclic Jacobi rotations (Golub & Van Loan, Matrix
 * Computations, 4th ed., section 8.5), float64: the exact reference for the Lanczos solves (the
 * full 2N x 2N particle Hessian at small N) and the solver of Lanczos's small k x k tridiagonal T.
 * Sweeps until the off-diagonal Frobenius norm is below 1e-15 of the matrix norm (quadratic
 * convergence: ~6-10 sweeps).
 */

export interface SymEig {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns, row-major m x m: vectors[r * m + k] = (u_k)_r. */
  vectors: Float64Array;
  m: number;
}

/** A is m x m, row-major, symmetric (only its symmetric part is used). */
export function symEig(A: Float64Array, m: number, maxSweeps = 60): SymEig {
  const a = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) a[r * m + c] = 0.5 * ((A[r * m + c] ?? 0) + (A[c * m + r] ?? 0));
  const V = new Float64Array(m * m);
  for (let r = 0; r < m; r++) V[r * m + r] = 1;
  let total = 0;
  for (let k = 0; k < m * m; k++) total += (a[k] ?? 0) ** 2;
  const tol = 1e-30 * Math.max(total, 1e-300);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += (a[p * m + q] ?? 0) ** 2;
    if (off <= tol) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q] ?? 0;
        if (apq === 0) continue;
        const app = a[p * m + p] ?? 0, aqq = a[q * m + q] ?? 0;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p] ?? 0, akq = a[k * m + q] ?? 0;
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k] ?? 0, aqk = a[q * m + k] ?? 0;
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p] ?? 0, vkq = V[k * m + q] ?? 0;
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, k) => k).sort((i, j) => (a[i * m + i] ?? 0) - (a[j * m + j] ?? 0));
  const values = Float64Array.from(order, (k) => a[k * m + k] ?? 0);
  const vectors = new Float64Array(m * m);
  order.forEach((k, col) => {
    for (let r = 0; r < m; r++) vectors[r * m + col] = V[r * m + k] ?? 0;
  });
  return { values, vectors, m };
}

/** f(A) b = U f(Lambda) U^T b from an eigendecomposition. */
export function applyMatrixFunction(eig: SymEig, f: (lambda: number) => number, b: Float64Array): Float64Array {
  const { m, values, vectors } = eig;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let c = 0;
    for (let r = 0; r < m; r++) c += (vectors[r * m + k] ?? 0) * (b[r] ?? 0);
    c *= f(values[k] ?? 0);
    for (let r = 0; r < m; r++) out[r] = (out[r] ?? 0) + c * (vectors[r * m + k] ?? 0);
  }
  return out;
}

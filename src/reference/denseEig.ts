/**
 * Dense symmetric eigendecomposition, float64: the exact reference for the Lanczos solves (the full
 * 2N x 2N particle Hessian at small N) and the solver of Lanczos's small k x k tridiagonal T.
 * `symEig`: Householder reduction to tridiagonal form and the implicit QL algorithm with Wilkinson
 * shifts (tred2 / tql2 of EISPACK, as in JAMA's EigenvalueDecomposition; Golub & Van Loan, Matrix
 * Computations, 4th ed., sections 8.3), ~10 m^3 flops. `symEigJacobi`: cyclic Jacobi rotations
 * (G&VL section 8.5), sweeping until the off-diagonal Frobenius norm is below 1e-15 of the matrix
 * norm (~8 sweeps of ~6 m^3): kept as a second, independent reference. On the dense 124 x 124
 * Hessian of two-layer-net (N = 62) Jacobi took ~105 ms, QL ~14 ms (measured, warm).
 */

export interface SymEig {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns, row-major m x m: vectors[r * m + k] = (u_k)_r. */
  vectors: Float64Array;
  m: number;
}

/** Cyclic Jacobi. A is m x m, row-major, symmetric (only its symmetric part is used). */
export function symEigJacobi(A: Float64Array, m: number, maxSweeps = 60): SymEig {
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

/** Householder tridiagonalisation + implicit QL. A is m x m, row-major, symmetric (its symmetric part is used). */
export function symEig(A: Float64Array, m: number): SymEig {
  const n = m;
  const V = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) V[r * n + c] = 0.5 * ((A[r * n + c] ?? 0) + (A[c * n + r] ?? 0));
  const d = new Float64Array(n), e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V, m };
  tred2(V, d, e, n);
  tql2(V, d, e, n);
  const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => (d[i] ?? 0) - (d[j] ?? 0));
  const values = Float64Array.from(order, (k) => d[k] ?? 0);
  const vectors = new Float64Array(n * n);
  order.forEach((k, col) => {
    for (let r = 0; r < n; r++) vectors[r * n + col] = V[r * n + k] ?? 0;
  });
  return { values, vectors, m };
}

/** Householder reduction of the symmetric V (in place: on return the orthogonal Q) to tridiagonal (d, e). */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const at = (r: number, c: number): number => V[r * n + c] ?? 0;
  const set = (r: number, c: number, v: number): void => {
    V[r * n + c] = v;
  };
  for (let j = 0; j < n; j++) d[j] = at(n - 1, j);
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] ?? 0);
    if (scale === 0) {
      e[i] = d[i - 1] ?? 0;
      for (let j = 0; j < i; j++) {
        d[j] = at(i - 1, j);
        set(i, j, 0);
        set(j, i, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const dk = (d[k] ?? 0) / scale;
        d[k] = dk;
        h += dk * dk;
      }
      let f = d[i - 1] ?? 0;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] ?? 0;
        set(j, i, f);
        g = (e[j] ?? 0) + at(j, j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += at(k, j) * (d[k] ?? 0);
          e[k] = (e[k] ?? 0) + at(k, j) * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = (e[j] ?? 0) / h;
        e[j] = ej;
        f += ej * (d[j] ?? 0);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] ?? 0) - hh * (d[j] ?? 0);
      for (let j = 0; j < i; j++) {
        f = d[j] ?? 0;
        g = e[j] ?? 0;
        for (let k = j; k <= i - 1; k++) set(k, j, at(k, j) - (f * (e[k] ?? 0) + g * (d[k] ?? 0)));
        d[j] = at(i - 1, j);
        set(i, j, 0);
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    set(n - 1, i, at(i, i));
    set(i, i, 1);
    const h = d[i + 1] ?? 0;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = at(k, i + 1) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += at(k, i + 1) * at(k, j);
        for (let k = 0; k <= i; k++) set(k, j, at(k, j) - g * (d[k] ?? 0));
      }
    }
    for (let k = 0; k <= i; k++) set(k, i + 1, 0);
  }
  for (let j = 0; j < n; j++) {
    d[j] = at(n - 1, j);
    set(n - 1, j, 0);
  }
  set(n - 1, n - 1, 1);
  e[0] = 0;
}

/** Implicit QL with Wilkinson shifts on the tridiagonal (d, e), rotating the columns of V. */
function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] ?? 0;
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] ?? 0) + Math.abs(e[l] ?? 0));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] ?? 0) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l] ?? 0;
        const el = e[l] ?? 0;
        let p = ((d[l + 1] ?? 0) - g) / (2 * el);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = el / (p + r);
        d[l + 1] = el * (p + r);
        const dl1 = d[l + 1] ?? 0;
        let h = g - (d[l] ?? 0);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] ?? 0) - h;
        f += h;
        p = d[m] ?? 0;
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1] ?? 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] ?? 0, di = d[i] ?? 0;
          g = c * ei;
          h = c * p;
          r = Math.hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          for (let k = 0; k < n; k++) {
            const vk1 = V[k * n + i + 1] ?? 0, vk = V[k * n + i] ?? 0;
            V[k * n + i + 1] = s * vk + c * vk1;
            V[k * n + i] = c * vk - s * vk1;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] ?? 0)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l] ?? 0) > eps * tst1)) break;
      }
    }
    d[l] = (d[l] ?? 0) + f;
    e[l] = 0;
  }
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

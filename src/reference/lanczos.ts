/**
 * Float64 twin of the GPU Lanczos (src/kernels/lanczos.ts over shaders/lanczosVec.wgsl and
 * shaders/landscapeHvp.wgsl): k steps of symmetric Lanczos on the particle Hessian H from b, with
 * full reorthogonalisation (classical Gram-Schmidt against every previous q, twice: "CGS2",
 * Giraud et al. 2005), since plain three-term Lanczos loses orthogonality once Ritz values
 * converge (Paige 1971). Per step j, exactly the GPU's sequence:
 *   w = H q_j
 *   twice: c_m = q_m . w (m <= j);  alpha_j += c_j;  w -= sum_m c_m q_m
 *   beta_j = |w|;  q_{j+1} = w / beta_j   (q_{j+1} = 0 if beta_j = 0)
 * T = tridiag(beta, alpha, beta) (k x k). The small eigenproblem T = S Theta S^T is solved on the
 * CPU by dense Jacobi (denseEig.ts): k <= a few hundred numbers, cheaper there than a GPU launch;
 * the GPU reads back only alpha and beta (2k floats). Matrix functions (Golub & Van Loan 10.2):
 *   f(H) b ~ |b| Q S f(Theta) S^T e_1
 * e.g. f = 1/theta (Newton), f = (theta^2 + lambda)^(-1/2) (WSFN), f = 1/(theta + 1/tau) (JKO).
 * Breakdown: once the Krylov space is invariant (H q_j already in span Q), the orthogonalised w
 * is roundoff, and roundoff is not random: at a symmetric state it can point along q_j itself
 * (seen: every later q equal to q_0 and Ritz values down to -504 for a spectrum in [1, 2.5]).
 * So |w| <= breakdownTol |H q_j| sets beta_j = 0 and q_{j+1} = 0; T is truncated there
 * (lanczosEffectiveK), which is exact for f(H) b since b's Krylov space is then invariant.
 * breakdownTol: 1e-10 in float64, 1e-4 for the f32 GPU (its CGS2 leaves ~1e-6 relative).
 */
export const LANCZOS_BREAKDOWN_F64 = 1e-10;
export const LANCZOS_BREAKDOWN_F32 = 1e-4;
import { symEig, type SymEig } from './denseEig';

export interface LanczosResult {
  /** Diagonal of T (k). */
  alpha: Float64Array;
  /** Off-diagonal of T: beta[j] couples q_j and q_{j+1} (k; beta[k-1] is the residual norm). */
  beta: Float64Array;
  /** |b|. */
  norm: number;
  /** The orthonormal basis, k vectors (the GPU keeps them in one buffer). */
  Q: Float64Array[];
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
};

export function lanczos(apply: (v: Float64Array) => Float64Array, b: Float64Array, k: number, breakdownTol = LANCZOS_BREAKDOWN_F64): LanczosResult {
  const m = b.length;
  const alpha = new Float64Array(k), beta = new Float64Array(k);
  const norm = Math.sqrt(dot(b, b));
  const Q: Float64Array[] = [];
  let q = Float64Array.from(b, (v) => (norm > 0 ? v / norm : 0));
  for (let j = 0; j < k; j++) {
    Q.push(q);
    const w = apply(q);
    const hn = Math.sqrt(dot(w, w));
    for (let pass = 0; pass < 2; pass++) {
      const c = Q.map((qm) => dot(qm, w));
      alpha[j] = (alpha[j] ?? 0) + (c[j] ?? 0);
      for (let mIdx = 0; mIdx <= j; mIdx++) {
        const qm = Q[mIdx], cm = c[mIdx] ?? 0;
        if (!qm) continue;
        for (let i = 0; i < m; i++) w[i] = (w[i] ?? 0) - cm * (qm[i] ?? 0);
      }
    }
    const r = Math.sqrt(dot(w, w));
    const bj = r > breakdownTol * hn ? r : 0;
    beta[j] = bj;
    q = Float64Array.from(w, (v) => (bj > 0 ? v / bj : 0));
  }
  return { alpha, beta, norm, Q };
}

/** The number of usable Lanczos steps: up to (excluding) the first exactly-zero beta after it. */
export function lanczosEffectiveK(alpha: ArrayLike<number>, beta: ArrayLike<number>): number {
  const k = alpha.length;
  for (let j = 0; j < k - 1; j++) if (!((beta[j] ?? 0) > 0)) return j + 1;
  return k;
}

export interface RitzPairs {
  /** Ritz values Theta, ascending (keff). */
  values: Float64Array;
  /** The k x k eigenvectors S of T (keff x keff, row-major, columns). */
  eig: SymEig;
  /** Effective k (after truncating at a zero beta). */
  k: number;
  /** beta[k-1]: |H Q - Q T| lives in the last column, scaled by this. */
  lastBeta: number;
}

/** Ritz pairs of T = tridiag(beta, alpha, beta), solved on the CPU (dense Jacobi on k x k). */
export function ritz(alpha: ArrayLike<number>, beta: ArrayLike<number>): RitzPairs {
  const k = lanczosEffectiveK(alpha, beta);
  const T = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    T[j * k + j] = alpha[j] ?? 0;
    if (j + 1 < k) {
      T[j * k + j + 1] = beta[j] ?? 0;
      T[(j + 1) * k + j] = beta[j] ?? 0;
    }
  }
  const eig = symEig(T, k);
  return { values: eig.values, eig, k, lastBeta: beta[k - 1] ?? 0 };
}

/**
 * Coefficients y = |b| S f(Theta) S^T e_1 (length k) so that f(H) b ~ Q y, and the Lanczos
 * residual estimate |beta_{k-1} y_{k-1}| / |b| of the solve when f = 1/theta-like (Saad 2003, 6.6.1).
 */
export function lanczosCoefficients(r: RitzPairs, norm: number, f: (theta: number) => number): { y: Float64Array; residual: number } {
  const { k, eig } = r;
  const y = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const s0 = eig.vectors[c] ?? 0; // (S^T e_1)_c = S[0, c]
    const w = norm > 0 ? norm * f(eig.values[c] ?? 0) * s0 : 0;
    for (let row = 0; row < k; row++) y[row] = (y[row] ?? 0) + w * (eig.vectors[row * k + c] ?? 0);
  }
  const residual = norm > 0 ? Math.abs(r.lastBeta * (y[k - 1] ?? 0)) / norm : 0;
  return { y, residual };
}

/** Q y for the basis of a LanczosResult (the GPU does this with lanczosVec `combine`). */
export function lanczosCombine(Q: Float64Array[], y: ArrayLike<number>): Float64Array {
  const m = Q[0]?.length ?? 0;
  const out = new Float64Array(m);
  for (let j = 0; j < y.length; j++) {
    const q = Q[j], c = y[j] ?? 0;
    if (!q) continue;
    for (let i = 0; i < m; i++) out[i] = (out[i] ?? 0) + c * (q[i] ?? 0);
  }
  return out;
}

/** f(H) b by k Lanczos steps, plus the smallest Ritz value (the minEig readout). */
export function lanczosApply(
  apply: (v: Float64Array) => Float64Array,
  b: Float64Array,
  k: number,
  f: (theta: number) => number,
): { x: Float64Array; minRitz: number; ritzValues: Float64Array; residual: number } {
  const L = lanczos(apply, b, k);
  const r = ritz(L.alpha, L.beta);
  const { y, residual } = lanczosCoefficients(r, L.norm, f);
  return { x: lanczosCombine(L.Q, y), minRitz: L.norm > 0 ? r.values[0] ?? NaN : NaN, ritzValues: r.values, residual };
}

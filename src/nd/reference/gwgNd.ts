/**
 * GWG in d dimensions (Cheng et al., NeurIPS 2023; METHODS.md section 5), float64, the d-D
 * generalisation of src/reference/gwgStep.ts and gwgAdapt.ts (same function class, same inner
 * ascent, same move rules and the same adaptive-p rule; see their headers for the derivations):
 *   f(x) = (1/N) sum_j c_j k(x, x_j),  k = rbf(sigma^2),  c_j in R^d warm-started across steps
 *   inner (x `inner`): f_i = (1/N) sum_j c_j k_ij,  w_i = s_i - grad h(f_i),  grad h(v) = |v|^(p-2) v
 *                      c_j <- c_j + lr (1/N) sum_i [ k_ij w_i + k_ij (x_j - x_i) / sigma^2 ]
 *   move: x_i <- x_i + h grad h*(f_i),  grad h*(w) = |w|^(q-2) w, 1/p + 1/q = 1   (or x_i + h f_i)
 *   adaptive p: r <- r + rate * (weighted mean of log |grad h(f_i)|), p from r, clamped to [1.5, 3].
 * Particles, scores and c are N x d row-major. CPU only this session (no WGSL twin yet).
 */
import { dissipationExponent, LOG_FLOOR, P_MAX, P_MIN, pFromExponent } from '../../reference/gwgAdapt';
import type { MoveRule } from '../../reference/gwgStep';

export interface GwgNdOptions {
  n: number;
  d: number;
  h: number;
  sigma2: number;
  p: number;
  inner: number;
  lr: number;
  eps2: number;
  move: MoveRule;
}

function norm2(v: Float64Array, o: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += (v[o + k] ?? 0) ** 2;
  return s;
}

/** |v|^(p-2), smoothed for p < 2 (as gradHScale in 2-D). */
export function gradHScaleNd(r2: number, p: number, eps2: number): number {
  if (p === 2) return 1;
  if (p < 2) return Math.pow(r2 + eps2, (p - 2) / 2);
  return Math.pow(r2, (p - 2) / 2);
}

function kernelMatrix(x: Float64Array, n: number, d: number, sigma2: number): Float64Array {
  const K = new Float64Array(n * n);
  const a = -0.5 / sigma2;
  for (let i = 0; i < n; i++) {
    K[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) r2 += ((x[i * d + k] ?? 0) - (x[j * d + k] ?? 0)) ** 2;
      const v = Math.exp(a * r2);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}

function evalF(K: Float64Array, c: Float64Array, n: number, d: number): Float64Array {
  const f = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const kij = K[i * n + j] ?? 0;
      for (let k = 0; k < d; k++) f[i * d + k] = (f[i * d + k] ?? 0) + kij * (c[j * d + k] ?? 0);
    }
  }
  for (let a = 0; a < n * d; a++) f[a] = (f[a] ?? 0) / n;
  return f;
}

/** One GWG particle step; returns the new x, c and the final f (for gwgAdaptNd). */
export function gwgNdStep(x: Float64Array, scores: Float64Array, c: Float64Array, o: GwgNdOptions): { x: Float64Array; c: Float64Array; f: Float64Array } {
  const { n, d } = o;
  const K = kernelMatrix(x, n, d, o.sigma2);
  const inv = 1 / o.sigma2;
  let coef = Float64Array.from(c);
  for (let t = 0; t < o.inner; t++) {
    const f = evalF(K, coef, n, d);
    const w = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const g = gradHScaleNd(norm2(f, i * d, d), o.p, o.eps2);
      for (let k = 0; k < d; k++) w[i * d + k] = (scores[i * d + k] ?? 0) - g * (f[i * d + k] ?? 0);
    }
    const next = Float64Array.from(coef);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const kij = K[i * n + j] ?? 0;
        for (let k = 0; k < d; k++) {
          next[j * d + k] = (next[j * d + k] ?? 0) + (o.lr / n) * kij * ((w[i * d + k] ?? 0) + ((x[j * d + k] ?? 0) - (x[i * d + k] ?? 0)) * inv);
        }
      }
    }
    coef = next;
  }
  const f = evalF(K, coef, n, d);
  const q = o.p / (o.p - 1);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r2 = norm2(f, i * d, d);
    const s = o.move === 'f' ? 1 : r2 === 0 ? 0 : Math.pow(r2, (q - 2) / 2);
    for (let k = 0; k < d; k++) out[i * d + k] = (x[i * d + k] ?? 0) + o.h * s * (f[i * d + k] ?? 0);
  }
  return { x: out, c: coef, f };
}

/** Adaptive p (Ada-GWG), the d-D form of src/reference/gwgAdapt.ts. */
export function gwgAdaptNd(f: Float64Array, p: number, o: { n: number; d: number; rate: number; eps2: number; move: MoveRule }): { p: number; meanLog: number } {
  const r = dissipationExponent(p, o.move);
  const logs = new Float64Array(o.n);
  let top = -Infinity;
  for (let i = 0; i < o.n; i++) {
    const r2 = norm2(f, i * o.d, o.d);
    const g = gradHScaleNd(r2, p, o.eps2) * Math.sqrt(r2);
    const l = Math.log(Math.max(g, LOG_FLOOR));
    logs[i] = l;
    top = Math.max(top, r * l);
  }
  let sw = 0, swl = 0;
  for (const l of logs) {
    const w = Math.exp(r * l - top);
    sw += w;
    swl += w * l;
  }
  const meanLog = sw > 0 ? swl / sw : 0;
  const rNext = Math.min(Math.max(r + o.rate * meanLog, dissipationExponent(P_MAX, o.move)), dissipationExponent(P_MIN, o.move));
  return { p: pFromExponent(rNext, o.move), meanLog };
}

/**
 * Float64 twin of shaders/gwgAdapt.wgsl: the adaptive-p update of Ada-GWG (Cheng et al., NeurIPS
 * 2023, section "adaptive GWG": choose the Wasserstein metric h_p during the run to accelerate the
 * decrease of KL). The paper's exact update could not be retrieved here, so this is a stated
 * reconstruction from the same principle: gradient ascent on the estimated log KL dissipation rate.
 *
 * Along x' = v(x) the KL decreases at rate D = E_mu[ g . v ], g = grad log(pi/mu). The inner problem
 * gives grad h(f*) = g, so g_i ~ ghat_i = grad h_p(f_i) (same smoothing as gwgStep). With the move
 * v = grad h*(f) = grad h*(grad h*(g)) (rule 'gradHStar') g . v = |g|^r with r = (q-1)^2 + 1; with
 * v = f = grad h*(g) (rule 'f') r = q; q = p/(p-1). So D(r) = mean_i |ghat_i|^r and
 *
 *   d log D / dr = Lbar = sum_i |ghat_i|^r log|ghat_i| / sum_i |ghat_i|^r   (a weighted mean log |g|),
 *   r <- r + rate * Lbar,   then p from r, clamped to [pMin, pMax].
 *
 * Far from the target (|g| > 1) r grows (p falls towards pMin: larger velocities for larger
 * gradients); near it (|g| < 1) r falls (p rises towards pMax: the velocity |g|^(r-1) fades slower).
 * The ascent is in r because d log D / dr is O(log |g|) at every p (d/dp blows up like (p-1)^-3).
 * The sums are taken with the largest r log|ghat| subtracted (no overflow in f32).
 */
import { gradHScale, type MoveRule } from './gwgStep';

export const P_MIN = 1.5;
export const P_MAX = 3;
/** |ghat| floor before the log (f = 0 exactly, e.g. a particle at a stationary point). */
export const LOG_FLOOR = 1e-20;

/** The dissipation exponent r(p) of the move rule (header). */
export function dissipationExponent(p: number, move: MoveRule): number {
  const q = p / (p - 1);
  return move === 'f' ? q : (q - 1) * (q - 1) + 1;
}

/** Inverse of dissipationExponent on p > 1. */
export function pFromExponent(r: number, move: MoveRule): number {
  const q = move === 'f' ? r : 1 + Math.sqrt(Math.max(r - 1, 0));
  return q / (q - 1);
}

export interface GwgAdaptOptions {
  n: number;
  rate: number;
  eps2: number;
  move: MoveRule;
  pMin?: number;
  pMax?: number;
}

export function gwgAdapt(f: Float64Array, p: number, o: GwgAdaptOptions): { p: number; meanLog: number } {
  const pMin = o.pMin ?? P_MIN, pMax = o.pMax ?? P_MAX;
  const r = dissipationExponent(p, o.move);
  const logs = new Float64Array(o.n);
  let top = -Infinity;
  for (let i = 0; i < o.n; i++) {
    const f0 = f[2 * i] ?? 0, f1 = f[2 * i + 1] ?? 0;
    const g = gradHScale(f0, f1, p, o.eps2) * Math.hypot(f0, f1);
    const l = Math.log(Math.max(g, LOG_FLOOR));
    logs[i] = l;
    top = Math.max(top, r * l);
  }
  let sw = 0, swl = 0;
  for (let i = 0; i < o.n; i++) {
    const l = logs[i] ?? 0;
    const w = Math.exp(r * l - top);
    sw += w;
    swl += w * l;
  }
  const meanLog = sw > 0 ? swl / sw : 0;
  // p is decreasing in r: the clamp on p is a clamp on r to [r(pMax), r(pMin)].
  const rNext = Math.min(Math.max(r + o.rate * meanLog, dissipationExponent(pMax, o.move)), dissipationExponent(pMin, o.move));
  return { p: pFromExponent(rNext, o.move), meanLog };
}

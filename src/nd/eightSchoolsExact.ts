/**
 * Exact posterior facts of `eight-schools` by one-dimensional quadrature (BDA3 5.4-5.5): given
 * tau, theta integrates out (theta_j | mu, tau ~ N(mu, tau^2), so y_j | mu, tau ~ N(mu, v_j),
 * v_j = sigma_j^2 + tau^2) and with mu ~ N(0, 25) the conditional mu | tau, y is normal:
 *   P = 1/25 + sum_j 1/v_j,   mu | tau, y ~ N(M, 1/P),   M = (sum_j y_j / v_j) / P
 *   log p(tau | y) = log p(tau) - (1/2) log 25 - (1/2) sum_j log v_j - (1/2) log P
 *                    - (1/2) (sum_j y_j^2 / v_j - P M^2) + const
 * The non-centred coordinates have the same (mu, tau) marginal, so this checks the reference
 * draws of mu and log_tau. Integrated over u = log tau on a fine grid (the density in u carries
 * the Jacobian tau), trapezoid rule; tails beyond [-12, 8] hold < 1e-6 of the mass.
 */
import { eightSchoolsData } from './datasets';

export interface EightSchoolsExact {
  muMean: number;
  muSd: number;
  logTauMean: number;
  logTauSd: number;
  tauMean: number;
  tauMedian: number;
}

export function eightSchoolsExact(points = 40001): EightSchoolsExact {
  const { y, sigma } = eightSchoolsData();
  const lo = -12, hi = 8, du = (hi - lo) / (points - 1);
  const logw = new Float64Array(points), Ms = new Float64Array(points), Vs = new Float64Array(points);
  let top = -Infinity;
  for (let a = 0; a < points; a++) {
    const u = lo + a * du, tau = Math.exp(u);
    let P = 1 / 25, sy = 0, syy = 0, sl = 0;
    for (let j = 0; j < 8; j++) {
      const v = (sigma[j] ?? 1) ** 2 + tau * tau;
      P += 1 / v;
      sy += (y[j] ?? 0) / v;
      syy += (y[j] ?? 0) ** 2 / v;
      sl += Math.log(v);
    }
    const M = sy / P;
    // half-Cauchy(0, 5) density in tau times the Jacobian tau
    const lw = -Math.log1p((tau * tau) / 25) + u - 0.5 * sl - 0.5 * Math.log(P) - 0.5 * (syy - P * M * M);
    logw[a] = lw;
    Ms[a] = M;
    Vs[a] = 1 / P;
    top = Math.max(top, lw);
  }
  const w = logw.map((l, a) => Math.exp(l - top) * (a === 0 || a === points - 1 ? 0.5 : 1));
  const Z = w.reduce((s, v) => s + v, 0);
  let m1 = 0, m2 = 0, u1 = 0, u2 = 0, t1 = 0;
  for (let a = 0; a < points; a++) {
    const p = (w[a] ?? 0) / Z, u = lo + a * du, M = Ms[a] ?? 0;
    m1 += p * M;
    m2 += p * ((Vs[a] ?? 0) + M * M);
    u1 += p * u;
    u2 += p * u * u;
    t1 += p * Math.exp(u);
  }
  let c = 0, median = NaN;
  for (let a = 0; a < points; a++) {
    const next = c + (w[a] ?? 0) / Z;
    if (next >= 0.5) {
      // linear interpolation inside the cell
      const f = (0.5 - c) / Math.max(next - c, 1e-300);
      median = Math.exp(lo + (a - 1 + f) * du);
      break;
    }
    c = next;
  }
  return { muMean: m1, muSd: Math.sqrt(m2 - m1 * m1), logTauMean: u1, logTauSd: Math.sqrt(u2 - u1 * u1), tauMean: t1, tauMedian: median };
}

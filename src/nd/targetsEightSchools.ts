/**
 * `eight-schools`, non-centred (Rubin 1981; BDA3 5.5; the Stan / PyMC standard form):
 *   mu ~ N(0, 5^2), tau ~ half-Cauchy(0, 5), theta_trans_j ~ N(0, 1),
 *   theta_j = mu + tau theta_trans_j, y_j ~ N(theta_j, sigma_j^2), j = 1..8.
 * Coordinates [mu, log_tau, theta_trans_1..8] (d = 10); the density is over log_tau, so the
 * log-Jacobian log tau is included:
 *   log pi = log N(mu; 0, 25) + log(2 / (pi 5 (1 + tau^2/25))) + log tau
 *            + sum_j log N(tt_j; 0, 1) + sum_j log N(y_j; mu + tau tt_j, sigma_j^2)
 * With r_j = (y_j - theta_j) / sigma_j^2:
 *   d/dmu = -mu/25 + sum_j r_j,   d/dtt_j = -tt_j + tau r_j,
 *   d/dlog_tau = tau sum_j r_j tt_j - 2 (tau^2/25) / (1 + tau^2/25) + 1.
 */
import type { Params } from '../core/params';
import { eightSchoolsData } from './datasets';
import { LOG_2PI, type NdTarget } from './types';

export const EIGHT_SCHOOLS_NAMES = ['mu', 'log_tau', ...Array.from({ length: 8 }, (_, j) => `theta_trans_${j + 1}`)];

export function createEightSchools(p: Params): NdTarget {
  const { y, sigma } = eightSchoolsData();
  const d = 10;
  let logNorm = -0.5 * LOG_2PI - Math.log(5) + Math.log(2 / (Math.PI * 5)) - 8 * 0.5 * LOG_2PI;
  for (const s of sigma) logNorm -= 0.5 * LOG_2PI + Math.log(s);
  const logpGrad = (x: Float64Array, n: number, grad?: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const mu = x[o] ?? 0, lt = x[o + 1] ?? 0;
      const tau = Math.exp(lt);
      const u = (tau * tau) / 25;
      let lp = -(mu * mu) / 50 - Math.log1p(u) + lt;
      let gmu = -mu / 25, glt = 1 - (2 * u) / (1 + u);
      for (let j = 0; j < 8; j++) {
        const tt = x[o + 2 + j] ?? 0;
        const s = sigma[j] ?? 1;
        const res = (y[j] ?? 0) - mu - tau * tt;
        lp += -0.5 * tt * tt - (0.5 * res * res) / (s * s);
        const r = res / (s * s);
        gmu += r;
        glt += tau * r * tt;
        if (grad) grad[o + 2 + j] = -tt + tau * r;
      }
      if (grad) {
        grad[o] = gmu;
        grad[o + 1] = glt;
      }
      out[i] = lp + logNorm;
    }
    return out;
  };
  return {
    id: 'eight-schools', d, params: p, names: EIGHT_SCHOOLS_NAMES,
    logp: (x, n) => logpGrad(x, n),
    logpGrad,
    reference: 'reference draws (scripts/nd-reference.ts); known: E mu ~ 4.4, sd mu ~ 3.3 (BDA3 5.5, Stan case study)',
  };
}

/**
 * MCMC diagnostics over chains stored as [chain][draw * d + k] (Float64Array per chain):
 *   split R-hat (Gelman et al., BDA3 11.4: each chain split in halves), and the effective sample
 *   size from Geyer's initial monotone positive sequence on the chain-averaged autocorrelation
 *   (Stan's estimator, BDA3 11.5). Plus per-coordinate mean and sd of a cloud N x d.
 */

export function meanSd(x: Float64Array, n: number, d: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(d), sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] = (mean[k] ?? 0) + (x[i * d + k] ?? 0);
  for (let k = 0; k < d; k++) mean[k] = (mean[k] ?? 0) / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sd[k] = (sd[k] ?? 0) + ((x[i * d + k] ?? 0) - (mean[k] ?? 0)) ** 2;
  for (let k = 0; k < d; k++) sd[k] = Math.sqrt((sd[k] ?? 0) / Math.max(n - 1, 1));
  return { mean, sd };
}

function column(chain: Float64Array, d: number, k: number, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let t = from; t < to; t++) out[t - from] = chain[t * d + k] ?? 0;
  return out;
}

function meanVar(v: Float64Array): { m: number; v: number } {
  let m = 0;
  for (const a of v) m += a;
  m /= v.length;
  let s = 0;
  for (const a of v) s += (a - m) ** 2;
  return { m, v: s / Math.max(v.length - 1, 1) };
}

/** Split R-hat of coordinate k over chains of `draws` draws each. */
export function splitRhat(chains: Float64Array[], draws: number, d: number, k: number): number {
  const half = Math.floor(draws / 2);
  const parts: Float64Array[] = [];
  for (const c of chains) {
    parts.push(column(c, d, k, 0, half), column(c, d, k, draws - half, draws));
  }
  const stats = parts.map(meanVar);
  const m = parts.length, n = half;
  const grand = stats.reduce((a, s) => a + s.m, 0) / m;
  const B = (n / (m - 1)) * stats.reduce((a, s) => a + (s.m - grand) ** 2, 0);
  const W = stats.reduce((a, s) => a + s.v, 0) / m;
  const varPlus = ((n - 1) / n) * W + B / n;
  return W > 0 ? Math.sqrt(varPlus / W) : 1;
}

/** Autocovariance at lags 0..maxLag of v (biased, / n), by direct sums. */
function autocov(v: Float64Array, maxLag: number): Float64Array {
  const n = v.length;
  let m = 0;
  for (const a of v) m += a;
  m /= n;
  const out = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let t = 0; t + lag < n; t++) s += ((v[t] ?? 0) - m) * ((v[t + lag] ?? 0) - m);
    out[lag] = s / n;
  }
  return out;
}

/**
 * ESS of coordinate k: rho_t = 1 - (W - mean_chain acov_t) / var+, summed in pairs
 * (Geyer 1992) while the pair sums stay positive, made monotone; ESS = m n / (-1 + 2 sum rho).
 * Lags are searched up to `maxLag` (default draws / 4, capped at 2,000: chains here are thinned
 * enough that their autocorrelation dies well before).
 */
export function ess(chains: Float64Array[], draws: number, d: number, k: number, maxLag = Math.min(Math.floor(draws / 4), 2000)): number {
  const m = chains.length, n = draws;
  const cols = chains.map((c) => column(c, d, k, 0, n));
  const acovs = cols.map((c) => autocov(c, maxLag));
  const stats = cols.map(meanVar);
  const W = stats.reduce((a, s) => a + s.v, 0) / m;
  const grand = stats.reduce((a, s) => a + s.m, 0) / m;
  const B = m > 1 ? (n / (m - 1)) * stats.reduce((a, s) => a + (s.m - grand) ** 2, 0) : 0;
  const varPlus = ((n - 1) / n) * W + B / n;
  if (!(varPlus > 0)) return m * n;
  const rho = (t: number): number => {
    let a = 0;
    for (const ac of acovs) a += ac[t] ?? 0;
    return 1 - (W - a / m) / varPlus;
  };
  let sum = 0;
  let prevPair = Infinity;
  for (let t = 0; t + 1 <= maxLag; t += 2) {
    let pair = rho(t) + rho(t + 1);
    if (pair < 0) break;
    pair = Math.min(pair, prevPair);
    prevPair = pair;
    sum += pair;
  }
  const tau = -1 + 2 * sum;
  return (m * n) / Math.max(tau, 1 / Math.log10(Math.max(m * n, 10)));
}

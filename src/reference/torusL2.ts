/**
 * The L2 distance on the torus T^2 between the particles' smoothed density and the equally smoothed
 * target density (the torus runs' metric, both backends):
 *   D(rho_N, pi) = || g_sigma * (rho_N - pi) ||_{L2(T^2)}
 *               = ( sum_{|xi|_inf <= K} e^{-4 pi^2 sigma^2 |xi|^2} |rhohat_N(xi) - pihat(xi)|^2 )^(1/2)
 * (Parseval), g_sigma the heat kernel on T^2 (wrapped Gaussian of std sigma, ghat = e^{-2 pi^2 sigma^2 |xi|^2}),
 * rhohat_N(xi) = (1/N) sum_j e^{-2 pi i xi.x_j} (torusDft's R), pihat(xi) = int pi e^{-2 pi i xi.x} dx.
 * The modes beyond K carry weight below e^{-4 pi^2 sigma^2 K^2} (e^-9.1 at the defaults K = 16,
 * sigma = 0.03). For N i.i.d. samples of pi, E D^2 = (1/N) sum_{xi != 0} ghat^2 (1 - |pihat|^2) <~ 1/(4 pi sigma^2 N).
 * pihat comes from the target's log-density by the midpoint rule on a Q x Q grid (spectrally accurate
 * for smooth periodic densities), normalised so pihat(0) = 1.
 */
import { modeCount, modeXi, TWO_PI } from './fourier';
import { torusDft } from './torusDft';

export interface TorusL2Options {
  /** K: modes |xi|_inf <= K (default 16). */
  modes?: number;
  /** sigma: std of the heat-kernel smoothing (default 0.03). */
  sigma?: number;
  /** Q: quadrature grid for pihat (default 128). */
  quadrature?: number;
}

export const TORUS_L2_DEFAULTS = { modes: 16, sigma: 0.03, quadrature: 128 } as const;

/** pihat(xi) for |xi|_inf <= K, [re, im] per mode (mode order of fourier.ts). */
export function targetFourier(logDensity: (x: number, y: number) => number, k: number, q: number = TORUS_L2_DEFAULTS.quadrature): Float64Array {
  const p = new Float64Array(q * q);
  let mx = -Infinity;
  for (let b = 0; b < q; b++) for (let a = 0; a < q; a++) {
    const v = logDensity((a + 0.5) / q, (b + 0.5) / q);
    p[b * q + a] = v;
    if (v > mx) mx = v;
  }
  let total = 0;
  for (let i = 0; i < q * q; i++) total += (p[i] = Math.exp((p[i] ?? 0) - mx));
  const w = 2 * k + 1;
  // along x: rows[b][xi_x] = sum_a p(a, b) e^{-2 pi i xi_x (a + 1/2) / q}
  const rr = new Float64Array(q * w), ri = new Float64Array(q * w);
  for (let b = 0; b < q; b++) for (let u = 0; u < w; u++) {
    const xx = u - k;
    let re = 0, im = 0;
    for (let a = 0; a < q; a++) {
      const t = (-TWO_PI * xx * (a + 0.5)) / q;
      const v = p[b * q + a] ?? 0;
      re += v * Math.cos(t);
      im += v * Math.sin(t);
    }
    rr[b * w + u] = re;
    ri[b * w + u] = im;
  }
  const out = new Float64Array(2 * modeCount(k));
  for (let m = 0; m < modeCount(k); m++) {
    const [xx, xy] = modeXi(m, k);
    const u = xx + k;
    let re = 0, im = 0;
    for (let b = 0; b < q; b++) {
      const t = (-TWO_PI * xy * (b + 0.5)) / q;
      const c = Math.cos(t), s = Math.sin(t);
      const zr = rr[b * w + u] ?? 0, zi = ri[b * w + u] ?? 0;
      re += zr * c - zi * s;
      im += zr * s + zi * c;
    }
    out[2 * m] = re / total;
    out[2 * m + 1] = im / total;
  }
  return out;
}

/**
 * D from the particles' modes (torusDft layout: R at [8m + 4, 8m + 5], `stride` 8; or [re, im]
 * pairs with stride 2 and offset 0) and the target's pihat.
 */
export function l2FromModes(rho: ArrayLike<number>, pihat: Float64Array, k: number, sigma: number, stride = 8, offset = 4): number {
  let sum = 0;
  for (let m = 0; m < modeCount(k); m++) {
    const [xx, xy] = modeXi(m, k);
    const g2 = Math.exp(-2 * TWO_PI * Math.PI * sigma * sigma * (xx * xx + xy * xy));
    const dr = (rho[stride * m + offset] ?? 0) - (pihat[2 * m] ?? 0);
    const di = (rho[stride * m + offset + 1] ?? 0) - (pihat[2 * m + 1] ?? 0);
    sum += g2 * (dr * dr + di * di);
  }
  return Math.sqrt(sum);
}

const pihatCache = new WeakMap<object, Map<string, Float64Array>>();

/** pihat of a target instance, cached per instance and (K, Q). */
export function targetModes(target: { logDensity(x: number, y: number): number }, k: number, q: number = TORUS_L2_DEFAULTS.quadrature): Float64Array {
  let m = pihatCache.get(target);
  if (!m) pihatCache.set(target, (m = new Map()));
  const key = `${k}:${q}`;
  let v = m.get(key);
  if (!v) m.set(key, (v = targetFourier((x, y) => target.logDensity(x, y), k, q)));
  return v;
}

/** CPU backend: D for the first n particles of x (interleaved, in [0,1)^2). */
export function torusL2(x: Float64Array, n: number, target: { logDensity(x: number, y: number): number }, opts: TorusL2Options = {}): number {
  const k = opts.modes ?? TORUS_L2_DEFAULTS.modes;
  const sigma = opts.sigma ?? TORUS_L2_DEFAULTS.sigma;
  return l2FromModes(torusDft(x, null, n, k), targetModes(target, k, opts.quadrature), k, sigma);
}

/**
 * Float64 twin of shaders/nd/svgdNd.wgsl: one SVGD step in d dimensions (Liu & Wang 2016;
 * METHODS.md section 2), particles and scores N x d row-major, with delta = x_i - x_j, r^2 = |delta|^2:
 *   x_i <- x_i + (h/N) sum_j [ k(x_j, x_i) s(x_j) + grad_{x_j} k(x_j, x_i) ]
 *   rbf: k = exp(-r^2 / (2 sigma^2)),      grad_{x_j} k = k delta / sigma^2
 *   imq: k = (c^2 + r^2)^beta (beta < 0),  grad_{x_j} k = -2 beta k delta / (c^2 + r^2)
 * The bandwidth (sigma^2 for rbf, c^2 for imq) comes from medianBandwidthNd.
 */
export type SvgdNdKernel = 'rbf' | 'imq';

export interface SvgdNdOptions {
  n: number;
  d: number;
  h: number;
  /** rbf: sigma^2; imq: c^2. */
  bandwidth: number;
  kernel: SvgdNdKernel;
  /** imq exponent, default -1/2. */
  beta?: number;
}

/** The SVGD velocity phi(x_i) (n x d). */
export function svgdNdVelocity(x: Float64Array, scores: Float64Array, o: SvgdNdOptions): Float64Array {
  const { n, d, bandwidth } = o;
  const beta = o.beta ?? -0.5;
  const phi = new Float64Array(n * d);
  const inv = 1 / bandwidth;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = (x[i * d + k] ?? 0) - (x[j * d + k] ?? 0);
        r2 += t * t;
      }
      let kv: number, g: number;
      if (o.kernel === 'imq') {
        const q = bandwidth + r2;
        kv = Math.pow(q, beta);
        g = (-2 * beta * kv) / q;
      } else {
        kv = Math.exp(-0.5 * r2 * inv);
        g = kv * inv;
      }
      for (let k = 0; k < d; k++) {
        phi[i * d + k] = (phi[i * d + k] ?? 0) + kv * (scores[j * d + k] ?? 0) + g * ((x[i * d + k] ?? 0) - (x[j * d + k] ?? 0));
      }
    }
  }
  for (let a = 0; a < n * d; a++) phi[a] = (phi[a] ?? 0) / n;
  return phi;
}

export function svgdNd(x: Float64Array, scores: Float64Array, o: SvgdNdOptions): Float64Array {
  const phi = svgdNdVelocity(x, scores, o);
  const out = new Float64Array(o.n * o.d);
  for (let a = 0; a < o.n * o.d; a++) out[a] = (x[a] ?? 0) + o.h * (phi[a] ?? 0);
  return out;
}

/**
 * The median heuristic in d dimensions (as src/reference/medianBandwidth.ts in 2-D): med2 = lower
 * median of the pairwise squared distances over the subset x_{t floor(n/m)}, m = min(n, 256);
 * rbf: sigma^2 = med2 / (2 log(n + 1)) (METHODS.md); imq: c^2 = med2 (the kernel scale at the
 * typical distance). Floored at 1e-12.
 */
export function medianBandwidthNd(x: Float64Array, n: number, d: number, kernel: SvgdNdKernel = 'rbf'): { bandwidth: number; med2: number } {
  const m = Math.min(n, 256);
  if (m < 2) return { bandwidth: 1, med2: 0 };
  const stride = Math.floor(n / m);
  const d2 = new Float64Array((m * (m - 1)) / 2);
  let c = 0;
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = (x[a * stride * d + k] ?? 0) - (x[b * stride * d + k] ?? 0);
        s += t * t;
      }
      d2[c++] = s;
    }
  }
  d2.sort();
  const med2 = d2[Math.floor((d2.length - 1) / 2)] ?? 0;
  const bw = kernel === 'imq' ? med2 : med2 / (2 * Math.log(n + 1));
  return { bandwidth: Math.max(bw, 1e-12), med2 };
}

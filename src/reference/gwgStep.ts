/**
 * Float64 twin of shaders/gwgStep.wgsl: one step of generalized Wasserstein gradient descent (GWG,
 * Cheng, Zhang, Yu & Zhang, NeurIPS 2023; METHODS.md section 5) with the RKHS-span function class
 *
 *   f(x) = (1/N) sum_j c_j k(x, x_j),   k(x, y) = exp(-|x - y|^2 / (2 sigma^2)),
 *
 * c warm-started across particle steps (c_j travels with particle j). Each inner iteration is
 * gradient ascent on J(c) = (1/N) sum_i [ s_i . f_i + div f(x_i) - h(f_i) ], h(v) = |v|^p / p:
 *
 *   evalF:   f_i = (1/N) sum_j c_j k(x_i, x_j),   w_i = s_i - grad h(f_i),  grad h(v) = |v|^(p-2) v
 *   ascend:  G_j = (1/N) sum_i [ k(x_i, x_j) w_i + grad_{x_i} k(x_i, x_j) ],  c_j <- c_j + lr G_j
 *
 * G_j = N dJ/dc_j (the mean-field scaling: in function space the ascent is f <- f + lr T G with
 * T = K/N, whose eigenvalues lie in [0, 1], so at p = 2 the iteration is stable for lr < 2 at every
 * N). At c = 0, G_j is exactly the SVGD velocity phi(x_j) (the `s_i` and `grad k` parts; see
 * svgdStep.ts), and at p = 2 the fixed point solves (K/N) f = phi_SVGD. Stationary particle
 * configurations (f = 0 with G = 0) are therefore the SVGD fixed points for every p.
 *
 *   move:    x_i <- x_i + h v_i,  v_i = grad h*(f_i) = |f_i|^(q-2) f_i  (rule 'gradHStar', METHODS.md)
 *                                 or v_i = f_i                          (rule 'f')
 * with 1/p + 1/q = 1. For p < 2, grad h is smoothed to (|v|^2 + eps2)^((p-2)/2) v so the inner
 * ascent stays stable near f = 0 (its curvature is bounded by (p-1) eps2^((p-2)/2)); for p >= 2
 * eps2 is unused. Vectors are interleaved (x, y) per particle.
 */
export type MoveRule = 'gradHStar' | 'f';

export interface GwgStepOptions {
  n: number;
  /** Particle step size h. */
  h: number;
  sigma2: number;
  p: number;
  /** Inner gradient-ascent iterations per particle step. */
  inner: number;
  /** Inner learning rate on c (mean-field scaling, see header). */
  lr: number;
  eps2: number;
  move: MoveRule;
}

/** grad h(v) for h(v) = |v|^p / p, smoothed for p < 2 (header). Returns the scale |v|^(p-2). */
export function gradHScale(v0: number, v1: number, p: number, eps2: number): number {
  const r2 = v0 * v0 + v1 * v1;
  if (p === 2) return 1;
  if (p < 2) return Math.pow(r2 + eps2, (p - 2) / 2);
  return Math.pow(r2, (p - 2) / 2);
}

/** grad h*(w) = |w|^(q-2) w, q = p / (p - 1); the scale |w|^(q-2), 0 at w = 0. */
export function gradHStarScale(w0: number, w1: number, p: number): number {
  const q = p / (p - 1);
  const r2 = w0 * w0 + w1 * w1;
  if (r2 === 0) return 0;
  return Math.pow(r2, (q - 2) / 2);
}

/** f_i = (1/N) sum_j c_j k(x_i, x_j) and w_i = s_i - grad h(f_i). `scores` has `scoreStride` numbers per particle. */
export function gwgEvalF(x: Float64Array, c: Float64Array, scores: Float64Array, n: number, sigma2: number, p: number, eps2: number, scoreStride = 2): { f: Float64Array; w: Float64Array } {
  const f = new Float64Array(2 * n);
  const w = new Float64Array(2 * n);
  const a = -0.5 / sigma2;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    let f0 = 0, f1 = 0;
    for (let j = 0; j < n; j++) {
      const d0 = xi0 - (x[2 * j] ?? 0), d1 = xi1 - (x[2 * j + 1] ?? 0);
      const k = Math.exp(a * (d0 * d0 + d1 * d1));
      f0 += k * (c[2 * j] ?? 0);
      f1 += k * (c[2 * j + 1] ?? 0);
    }
    f0 /= n;
    f1 /= n;
    const g = gradHScale(f0, f1, p, eps2);
    f[2 * i] = f0;
    f[2 * i + 1] = f1;
    w[2 * i] = (scores[scoreStride * i] ?? 0) - g * f0;
    w[2 * i + 1] = (scores[scoreStride * i + 1] ?? 0) - g * f1;
  }
  return { f, w };
}

/** G_j = (1/N) sum_i k(x_i, x_j) [ w_i + (x_j - x_i) / sigma^2 ]; returns c + lr G (c is not modified). */
export function gwgAscend(x: Float64Array, w: Float64Array, c: Float64Array, n: number, sigma2: number, lr: number): Float64Array {
  const out = new Float64Array(2 * n);
  const inv = 1 / sigma2;
  const a = -0.5 * inv;
  for (let j = 0; j < n; j++) {
    const xj0 = x[2 * j] ?? 0, xj1 = x[2 * j + 1] ?? 0;
    let g0 = 0, g1 = 0;
    for (let i = 0; i < n; i++) {
      const d0 = xj0 - (x[2 * i] ?? 0), d1 = xj1 - (x[2 * i + 1] ?? 0);
      const k = Math.exp(a * (d0 * d0 + d1 * d1));
      g0 += k * ((w[2 * i] ?? 0) + d0 * inv);
      g1 += k * ((w[2 * i + 1] ?? 0) + d1 * inv);
    }
    out[2 * j] = (c[2 * j] ?? 0) + (lr * g0) / n;
    out[2 * j + 1] = (c[2 * j + 1] ?? 0) + (lr * g1) / n;
  }
  return out;
}

/** The velocity of the move rule at f (interleaved). */
export function gwgVelocity(f: Float64Array, n: number, p: number, move: MoveRule): Float64Array {
  const v = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const f0 = f[2 * i] ?? 0, f1 = f[2 * i + 1] ?? 0;
    const s = move === 'f' ? 1 : gradHStarScale(f0, f1, p);
    v[2 * i] = s * f0;
    v[2 * i + 1] = s * f1;
  }
  return v;
}

/** x_i + h v_i. */
export function gwgMove(x: Float64Array, f: Float64Array, n: number, h: number, p: number, move: MoveRule): Float64Array {
  const v = gwgVelocity(f, n, p, move);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) out[i] = (x[i] ?? 0) + h * (v[i] ?? 0);
  return out;
}

/**
 * The inner objective J(c) = (1/N) sum_i [ s_i . f_i + div f(x_i) - h(f_i) ] (unsmoothed h; for tests:
 * at p >= 2 and small enough lr the ascent increases it monotonically).
 */
export function gwgObjective(x: Float64Array, c: Float64Array, scores: Float64Array, n: number, sigma2: number, p: number, scoreStride = 2): number {
  const inv = 1 / sigma2;
  const a = -0.5 * inv;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    let f0 = 0, f1 = 0, div = 0;
    for (let j = 0; j < n; j++) {
      const d0 = xi0 - (x[2 * j] ?? 0), d1 = xi1 - (x[2 * j + 1] ?? 0);
      const k = Math.exp(a * (d0 * d0 + d1 * d1));
      const c0 = c[2 * j] ?? 0, c1 = c[2 * j + 1] ?? 0;
      f0 += k * c0;
      f1 += k * c1;
      // div_x [c_j k(x, x_j)] = c_j . grad_x k = -k (x - x_j) . c_j / sigma^2
      div -= k * (d0 * c0 + d1 * c1) * inv;
    }
    f0 /= n;
    f1 /= n;
    div /= n;
    const r = Math.hypot(f0, f1);
    total += (scores[scoreStride * i] ?? 0) * f0 + (scores[scoreStride * i + 1] ?? 0) * f1 + div - Math.pow(r, p) / p;
  }
  return total / n;
}

/**
 * One full GWG particle step: `inner` ascent iterations from the warm start c, then the move with
 * f evaluated at the final c. Returns the new positions, the new c and the final f (for gwgAdapt).
 */
export function gwgStep(x: Float64Array, scores: Float64Array, c: Float64Array, o: GwgStepOptions, scoreStride = 2): { x: Float64Array; c: Float64Array; f: Float64Array } {
  let coef = c;
  for (let t = 0; t < o.inner; t++) {
    const { w } = gwgEvalF(x, coef, scores, o.n, o.sigma2, o.p, o.eps2, scoreStride);
    coef = gwgAscend(x, w, coef, o.n, o.sigma2, o.lr);
  }
  const { f } = gwgEvalF(x, coef, scores, o.n, o.sigma2, o.p, o.eps2, scoreStride);
  return { x: gwgMove(x, f, o.n, o.h, o.p, o.move), c: coef, f };
}

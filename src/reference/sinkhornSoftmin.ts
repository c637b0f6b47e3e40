/**
 * Float64 twin of shaders/sinkhornSoftmin.wgsl: one log-domain Sinkhorn half-update (Feydy et al.
 * 2019; GeomLoss softmin_tensorized), cost C(x, y) = |x - y|^2 / 2:
 *   s_i   = -eps log sum_j exp( log w_j + (p_j - C(x_i, y_j)) / eps )
 *   out_i = blend old_i + (1 - blend) lambda s_i     (raw: out_i = s_i)
 * Points are interleaved (x0, y0, x1, y1, ...). The log-sum-exp subtracts the row max.
 */
export interface SoftminStep {
  eps: number;
  /** Damping 1 / (1 + eps / rho); 1 when balanced. */
  lambda: number;
  /** Weight of the old value (GeomLoss symmetric updates: 1/2). */
  blend: number;
  /** Write the undamped softmin s_i, ignoring blend and old. */
  raw?: boolean;
}

export function sinkhornSoftmin(
  x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number,
  logw: ArrayLike<number>, pot: ArrayLike<number>, old: ArrayLike<number>, step: SoftminStep,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const invEps = 1 / step.eps;
  const h = new Float64Array(m);
  for (let j = 0; j < m; j++) h[j] = (logw[j] ?? 0) + (pot[j] ?? 0) * invEps;
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const x0 = x[2 * i] ?? 0, x1 = x[2 * i + 1] ?? 0;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const d0 = x0 - (y[2 * j] ?? 0), d1 = x1 - (y[2 * j + 1] ?? 0);
      const vj = (h[j] ?? 0) - 0.5 * (d0 * d0 + d1 * d1) * invEps;
      v[j] = vj;
      if (vj > mx) mx = vj;
    }
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp((v[j] ?? 0) - mx);
    const sm = -step.eps * (mx + Math.log(s));
    out[i] = step.raw ? sm : step.blend * (old[i] ?? 0) + (1 - step.blend) * step.lambda * sm;
  }
  return out;
}

/**
 * Float64 twin of shaders/sinkhornBarycenter.wgsl: barycentric projection of the entropic plan
 * (Feydy et al. 2019) fused with an axpy, cost C = |x - y|^2 / 2:
 *   T(x_i) = sum_j P_ij y_j / sum_j P_ij,  log P_ij = log w_j + (p_j - C(x_i, y_j)) / eps + const_i
 *   out_i  = alpha x_i + beta T(x_i) + gamma addend_i
 * Points interleaved; returns 2n numbers.
 */
export interface BarycenterStep {
  eps: number;
  alpha: number;
  beta: number;
  gamma: number;
}

export function sinkhornBarycenter(
  x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number,
  logw: ArrayLike<number>, pot: ArrayLike<number>, addend: ArrayLike<number>, step: BarycenterStep,
): Float64Array {
  const out = new Float64Array(2 * n);
  const invEps = 1 / step.eps;
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const x0 = x[2 * i] ?? 0, x1 = x[2 * i + 1] ?? 0;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const d0 = x0 - (y[2 * j] ?? 0), d1 = x1 - (y[2 * j + 1] ?? 0);
      const vj = (logw[j] ?? 0) + ((pot[j] ?? 0) - 0.5 * (d0 * d0 + d1 * d1)) * invEps;
      v[j] = vj;
      if (vj > mx) mx = vj;
    }
    let s = 0, t0 = 0, t1 = 0;
    for (let j = 0; j < m; j++) {
      const w = Math.exp((v[j] ?? 0) - mx);
      s += w;
      t0 += w * (y[2 * j] ?? 0);
      t1 += w * (y[2 * j + 1] ?? 0);
    }
    out[2 * i] = step.alpha * x0 + (step.beta * t0) / s + step.gamma * (addend[2 * i] ?? 0);
    out[2 * i + 1] = step.alpha * x1 + (step.beta * t1) / s + step.gamma * (addend[2 * i + 1] ?? 0);
  }
  return out;
}

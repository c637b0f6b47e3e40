/**
 * Float64 twin of shaders/sinkhornReduce.wgsl: the weighted sums of the Sinkhorn loop, w_i = exp(log w_i).
 *   'value' (Feydy's thesis eq. (3.209); Sejourne et al. 2019 Prop. 12):
 *       balanced:   sum_i w_i (u_i - v_i)
 *       unbalanced: sum_i w_i (rho + eps/2) (exp(-v_i/rho) - exp(-u_i/rho))
 *   'error' (L1 distance of the plan's marginal a_i exp((u_i - s_i)/eps) to its optimum a_i exp(-u_i/rho)):
 *       sum_i w_i | exp((u_i - v_i)/eps) - exp(-u_i/rho) |,  v = s the undamped softmin
 * rho = null: balanced (exp(-u/rho) = 1).
 */
export function sinkhornReduce(
  logw: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>, n: number,
  mode: 'value' | 'error', eps: number, rho: number | null,
): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(logw[i] ?? 0);
    const ui = u[i] ?? 0, vi = v[i] ?? 0;
    if (mode === 'value') {
      acc += rho === null ? w * (ui - vi) : -w * (rho + eps / 2) * Math.exp(-vi / rho) * Math.expm1((vi - ui) / rho);
    } else {
      acc += w * Math.abs(Math.exp((ui - vi) / eps) - (rho === null ? 1 : Math.exp(-ui / rho)));
    }
  }
  return acc;
}

/**
 * Float64 twin of shaders/landscapeGrad.wgsl: the particle Wasserstein gradient and the energy
 * (METHODS.md section 6), for mu = (1/N) sum_i delta_{x_i}:
 *   g_i = grad V(x_i) + (1/N) sum_j grad_1 W(x_i, x_j)
 *   e_i = V(x_i) + (1/(2N)) sum_j W(x_i, x_j),          F = (1/N) sum_i e_i
 * For a symmetric W, g_i = N dF/dx_i: the gradient in the L2(mu) (Wasserstein tangent) inner
 * product <u, v>_mu = (1/N) sum_i u_i . v_i. The j = i term is included (W(x, x) may be nonzero).
 * The two-layer net (a rank-M W) takes the O(N M) path of ./landscapeNet.ts; `landscapeGradPairwise`
 * and `landscapeEnergyPairwise` are the pairwise sums in the WGSL's order for every landscape.
 */
import { landGradV, landPairGrad, landV, landW, type PackedLandscape } from './landscapes';
import { isNet, netEnergy, netGrad } from './landscapeNet';

export interface LandscapeGradResult {
  /** g, interleaved (2n). */
  g: Float64Array;
  /** Per-particle energy e_i (n). */
  e: Float64Array;
  /** F = (1/N) sum_i e_i. */
  energy: number;
  /** |g|_mu = sqrt((1/N) sum_i |g_i|^2). */
  gradNorm: number;
}

export function landscapeGrad(L: PackedLandscape, x: Float64Array, n: number): LandscapeGradResult {
  return isNet(L) ? netGrad(L, x, n) : landscapeGradPairwise(L, x, n);
}

export function landscapeGradPairwise(L: PackedLandscape, x: Float64Array, n: number): LandscapeGradResult {
  const g = new Float64Array(2 * n);
  const e = new Float64Array(n);
  let energy = 0, g2 = 0;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    let a0 = 0, a1 = 0, w = 0;
    for (let j = 0; j < n; j++) {
      const xj0 = x[2 * j] ?? 0, xj1 = x[2 * j + 1] ?? 0;
      const [d0, d1, wij] = landPairGrad(L, xi0, xi1, xj0, xj1);
      a0 += d0;
      a1 += d1;
      w += wij;
    }
    const [v0, v1] = landGradV(L, xi0, xi1);
    const gi0 = v0 + a0 / n, gi1 = v1 + a1 / n;
    g[2 * i] = gi0;
    g[2 * i + 1] = gi1;
    const ei = landV(L, xi0, xi1) + w / (2 * n);
    e[i] = ei;
    energy += ei;
    g2 += gi0 * gi0 + gi1 * gi1;
  }
  return { g, e, energy: energy / n, gradNorm: Math.sqrt(g2 / n) };
}

/** F alone (the line search's trial points). */
export function landscapeEnergy(L: PackedLandscape, x: Float64Array, n: number): number {
  return isNet(L) ? netEnergy(L, x, n) : landscapeEnergyPairwise(L, x, n);
}

export function landscapeEnergyPairwise(L: PackedLandscape, x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    let w = 0;
    for (let j = 0; j < n; j++) w += landW(L, xi0, xi1, x[2 * j] ?? 0, x[2 * j + 1] ?? 0);
    s += landV(L, xi0, xi1) + w / (2 * n);
  }
  return s / n;
}

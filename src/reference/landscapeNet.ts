/**
 * The two-layer net (vKind 3 + wKind 3, `two-layer-net`) in O(N M) for the float64 steppers: its W
 * is a rank-M kernel, W(x, y) = (1/M) sum_m sigma(x . phi_m) sigma(y . phi_m), phi_m = (u_m, 1), so
 * every j-sum of landscapeGrad / landscapeHvp factors through M numbers:
 *   S_m = (1/N) sum_j sigma(z_jm) = f_rho(u_m),   G_m = (1/N) sum_j sigma'(z_jm) phi_m . v_j
 *   e_i = V(x_i) + (1/(2M)) sum_m sigma(z_im) S_m
 *   g_i = (1/M) sum_m sigma'(z_im) (S_m - y_m) phi_m
 *   (H v)_i = (1/M) sum_m [ sigma''(z_im) (S_m - y_m) (phi_m . v_i) + sigma'(z_im) G_m ] phi_m
 * The same quantities as the pairwise O(N^2 M) sums of shaders/landscapeGrad.wgsl and
 * shaders/landscapeHvp.wgsl (their twins' generic path), summed in another order (float64: within
 * 1e-14 of them, src/landscapes/twoLayerNet.test.ts). landscapeGrad / landscapeEnergy / landscapeHvp
 * take this path for the net: a CPU wsfn step (N = 64, k = 20) took 15 ms instead of 518 ms (CLI, 60 steps).
 */
import { landAct, landNetM, landNetU, landNetY, type PackedLandscape } from './landscapes';

export const isNet = (L: PackedLandscape): boolean => L.vKind === 3 && L.wKind === 3;

interface NetTables {
  M: number;
  u: Float64Array;
  y: Float64Array;
  /** sigma, sigma', sigma'' of z_im = x_i . phi_m, at [i * M + m]. */
  s0: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  /** S_m = f_rho(u_m). */
  S: Float64Array;
}

function tables(L: PackedLandscape, x: Float64Array, n: number): NetTables {
  const M = landNetM(L);
  const u = Float64Array.from({ length: M }, (_, m) => landNetU(L, m, M));
  const y = Float64Array.from(u, (um) => landNetY(L, um));
  const s0 = new Float64Array(n * M), s1 = new Float64Array(n * M), s2 = new Float64Array(n * M);
  const S = new Float64Array(M);
  for (let i = 0; i < n; i++) {
    const w = x[2 * i] ?? 0, b = x[2 * i + 1] ?? 0;
    for (let m = 0; m < M; m++) {
      const [a0, a1, a2] = landAct(w * (u[m] ?? 0) + b);
      s0[i * M + m] = a0;
      s1[i * M + m] = a1;
      s2[i * M + m] = a2;
      S[m] = (S[m] ?? 0) + a0 / n;
    }
  }
  return { M, u, y, s0, s1, s2, S };
}

/** (g, e, F, |g|_mu) of the net: landscapeGrad's result, in O(N M). */
export function netGrad(L: PackedLandscape, x: Float64Array, n: number): { g: Float64Array; e: Float64Array; energy: number; gradNorm: number } {
  const { M, u, y, s0, s1, S } = tables(L, x, n);
  const g = new Float64Array(2 * n), e = new Float64Array(n);
  let energy = 0, g2 = 0;
  for (let i = 0; i < n; i++) {
    let g0 = 0, g1 = 0, ei = 0;
    for (let m = 0; m < M; m++) {
      const ym = y[m] ?? 0, Sm = S[m] ?? 0, a0 = s0[i * M + m] ?? 0;
      const c = (s1[i * M + m] ?? 0) * (Sm - ym);
      g0 += c * (u[m] ?? 0);
      g1 += c;
      ei += 0.5 * ym * ym - ym * a0 + 0.5 * a0 * Sm;
    }
    g[2 * i] = g0 / M;
    g[2 * i + 1] = g1 / M;
    e[i] = ei / M;
    energy += ei / M;
    g2 += (g0 / M) ** 2 + (g1 / M) ** 2;
  }
  return { g, e, energy: energy / n, gradNorm: Math.sqrt(g2 / n) };
}

/** F of the net in O(N M): 1/2 mean_m (y_m - S_m)^2 is the same number (F is the loss), summed as landscapeEnergy's e_i. */
export function netEnergy(L: PackedLandscape, x: Float64Array, n: number): number {
  return netGrad(L, x, n).energy;
}

/** (H v)_i of the net in O(N M). */
export function netHvp(L: PackedLandscape, x: Float64Array, v: Float64Array, n: number): Float64Array {
  const { M, u, y, s1, s2, S } = tables(L, x, n);
  const G = new Float64Array(M);
  for (let j = 0; j < n; j++) {
    const v0 = v[2 * j] ?? 0, v1 = v[2 * j + 1] ?? 0;
    for (let m = 0; m < M; m++) G[m] = (G[m] ?? 0) + ((s1[j * M + m] ?? 0) * ((u[m] ?? 0) * v0 + v1)) / n;
  }
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const v0 = v[2 * i] ?? 0, v1 = v[2 * i + 1] ?? 0;
    let a0 = 0, a1 = 0;
    for (let m = 0; m < M; m++) {
      const um = u[m] ?? 0;
      const c = (s2[i * M + m] ?? 0) * ((S[m] ?? 0) - (y[m] ?? 0)) * (um * v0 + v1) + (s1[i * M + m] ?? 0) * (G[m] ?? 0);
      a0 += c * um;
      a1 += c;
    }
    out[2 * i] = a0 / M;
    out[2 * i + 1] = a1 / M;
  }
  return out;
}

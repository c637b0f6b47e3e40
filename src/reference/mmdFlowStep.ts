/**
 * Float64 twin of shaders/mmdFlowStep.wgsl: one explicit Euler step of the MMD flow (METHODS.md
 * section 3; Arbel, Korba, Salim & Gretton 2019, "Maximum Mean Discrepancy Gradient Flow";
 * Hertrich et al. 2023 for the Riesz / energy-distance kernel). F(mu) = MMD_k^2(mu, nu) / 2,
 *   v(x_i) = -grad_x [ (1/N) sum_j k(x, x_j) - (1/M) sum_m k(x, y_m) ] at x = x_i
 *          = (1/N) sum_j w(|d_ij|^2) d_ij - (1/M) sum_m w(|d_im|^2) d_im,   d = x_i - z,
 *   x_i <- x_i + h v(x_i),
 * with -grad_x k(x, z) = w(|x - z|^2) (x - z) for the radial kernels:
 *   gaussian k = exp(-r^2 / (2 sigma^2))      w = k / sigma^2              (bw2 = sigma^2)
 *   imq      k = (c^2 + r^2)^(-1/2)           w = (c^2 + r^2)^(-3/2)       (bw2 = c^2)
 *   energy   k = -r (Riesz, s = 1)            w = 1 / r, 0 at r = 0        (bw2 unused)
 * Since sum_j over x_j includes j = i (d = 0 gives 0), v_i = -N dF/dx_i exactly (tested).
 */

export type MmdKernel = 'gaussian' | 'imq' | 'energy';
export const MMD_KERNELS: readonly MmdKernel[] = ['gaussian', 'imq', 'energy'];
/** Codes shared with `params.kernel` in shaders/mmdFlowStep.wgsl and shaders/mmdRows.wgsl. */
export const MMD_KERNEL_CODE: Record<MmdKernel, number> = { gaussian: 0, imq: 1, energy: 2 };

/** w(r^2) with -grad_x k(x, z) = w (x - z). */
export function mmdWeight(kernel: MmdKernel, r2: number, bw2: number): number {
  switch (kernel) {
    case 'gaussian':
      return Math.exp((-0.5 * r2) / bw2) / bw2;
    case 'imq': {
      const q = 1 / (bw2 + r2);
      return q * Math.sqrt(q);
    }
    case 'energy':
      return r2 > 0 ? 1 / Math.sqrt(r2) : 0;
  }
}

/** k(x, z) as a function of r^2 = |x - z|^2. */
export function mmdKernelValue(kernel: MmdKernel, r2: number, bw2: number): number {
  switch (kernel) {
    case 'gaussian':
      return Math.exp((-0.5 * r2) / bw2);
    case 'imq':
      return 1 / Math.sqrt(bw2 + r2);
    case 'energy':
      return -Math.sqrt(r2);
  }
}

/** The velocity v(x_i) for all i, interleaved (2n). */
export function mmdVelocity(x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number, kernel: MmdKernel, bw2: number): Float64Array {
  const v = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    let r0 = 0, r1 = 0;
    for (let j = 0; j < n; j++) {
      const d0 = xi0 - (x[2 * j] ?? 0), d1 = xi1 - (x[2 * j + 1] ?? 0);
      const w = mmdWeight(kernel, d0 * d0 + d1 * d1, bw2);
      r0 += w * d0;
      r1 += w * d1;
    }
    let a0 = 0, a1 = 0;
    for (let j = 0; j < m; j++) {
      const d0 = xi0 - (y[2 * j] ?? 0), d1 = xi1 - (y[2 * j + 1] ?? 0);
      const w = mmdWeight(kernel, d0 * d0 + d1 * d1, bw2);
      a0 += w * d0;
      a1 += w * d1;
    }
    v[2 * i] = r0 / n - a0 / m;
    v[2 * i + 1] = r1 / n - a1 / m;
  }
  return v;
}

/** x_i + h v(x_i), a new array (every i reads every x_j, like the GPU's ping-pong). */
export function mmdFlowStep(x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number, h: number, kernel: MmdKernel, bw2: number): Float64Array {
  const v = mmdVelocity(x, n, y, m, kernel, bw2);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) out[i] = (x[i] ?? 0) + h * (v[i] ?? 0);
  return out;
}

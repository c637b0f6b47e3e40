/**
 * Float64 twin of shaders/medianBandwidth.wgsl: the median heuristic on the subset
 * z_t = x_{t * floor(n/m)}, m = min(n, 256): med2 = lower median of the pairwise squared distances
 * (exact sort here; bisection on the GPU), sigma^2 = max(med2 / (2 log(n+1)), 1e-12).
 */
export const MEDIAN_SUBSET = 256;

export function medianBandwidth(x: ArrayLike<number>, n: number): { sigma2: number; med2: number } {
  const m = Math.min(n, MEDIAN_SUBSET);
  if (m < 2) return { sigma2: 1, med2: 0 };
  const stride = Math.floor(n / m);
  const d2 = new Float64Array((m * (m - 1)) / 2);
  let k = 0;
  for (let a = 0; a < m; a++) {
    const ax = x[2 * a * stride] ?? 0, ay = x[2 * a * stride + 1] ?? 0;
    for (let b = a + 1; b < m; b++) {
      const dx = ax - (x[2 * b * stride] ?? 0), dy = ay - (x[2 * b * stride + 1] ?? 0);
      d2[k++] = dx * dx + dy * dy;
    }
  }
  d2.sort();
  const rank = Math.floor((d2.length - 1) / 2);
  const med2 = d2[rank] ?? 0;
  return { sigma2: Math.max(med2 / (2 * Math.log(n + 1)), 1e-12), med2 };
}

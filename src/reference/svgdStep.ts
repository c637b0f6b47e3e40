/**
 * Float64 twin of shaders/svgdStep.wgsl (Liu & Wang 2016), RBF kernel k = exp(-|x-y|^2 / (2 sigma^2)):
 *   x_i <- x_i + (h/N) sum_j k(x_j, x_i) [ s(x_j) + (x_i - x_j) / sigma^2 ]
 * `scores` is interleaved (sx, sy) per particle (or vec4 rows with `scoreStride` 4).
 */
export function svgdStep(x: Float64Array, scores: Float64Array, n: number, h: number, sigma2: number, scoreStride = 2): Float64Array {
  const out = new Float64Array(2 * n);
  const inv = 1 / sigma2;
  const c = -0.5 * inv;
  for (let i = 0; i < n; i++) {
    const xi0 = x[2 * i] ?? 0;
    const xi1 = x[2 * i + 1] ?? 0;
    let a0 = 0, a1 = 0;
    for (let j = 0; j < n; j++) {
      const d0 = xi0 - (x[2 * j] ?? 0);
      const d1 = xi1 - (x[2 * j + 1] ?? 0);
      const k = Math.exp(c * (d0 * d0 + d1 * d1));
      a0 += k * ((scores[scoreStride * j] ?? 0) + d0 * inv);
      a1 += k * ((scores[scoreStride * j + 1] ?? 0) + d1 * inv);
    }
    out[2 * i] = xi0 + (h * a0) / n;
    out[2 * i + 1] = xi1 + (h * a1) / n;
  }
  return out;
}

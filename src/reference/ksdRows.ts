/**
 * Float64 twin of shaders/ksdRows.wgsl: rows[i] = sum_j u(x_i, x_j) for the IMQ Stein kernel
 * (c = 1, beta = -1/2), and KSD = sqrt(max(0, sum rows) / m^2) (V-statistic).
 */
const BETA = -0.5;

export function ksdRows(x: ArrayLike<number>, scores: ArrayLike<number>, m: number, scoreStride = 2): Float64Array {
  const rows = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const xi0 = x[2 * i] ?? 0, xi1 = x[2 * i + 1] ?? 0;
    const si0 = scores[scoreStride * i] ?? 0, si1 = scores[scoreStride * i + 1] ?? 0;
    let acc = 0;
    for (let j = 0; j < m; j++) {
      const r0 = xi0 - (x[2 * j] ?? 0), r1 = xi1 - (x[2 * j + 1] ?? 0);
      const sj0 = scores[scoreStride * j] ?? 0, sj1 = scores[scoreStride * j + 1] ?? 0;
      const r2 = r0 * r0 + r1 * r1;
      const q = 1 + r2;
      const k = 1 / Math.sqrt(q);
      const k1 = k / q;
      const k2 = k1 / q;
      acc += k * (si0 * sj0 + si1 * sj1) - 2 * BETA * k1 * (si0 * r0 + si1 * r1) + 2 * BETA * k1 * (sj0 * r0 + sj1 * r1)
        - 4 * BETA * k1 - 4 * BETA * (BETA - 1) * k2 * r2;
    }
    rows[i] = acc;
  }
  return rows;
}

export function ksdFromRows(rows: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += rows[i] ?? 0;
  return Math.sqrt(Math.max(0, s) / (m * m));
}

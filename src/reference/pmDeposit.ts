/**
 * Float64 twin of shaders/pmDeposit.wgsl: cloud-in-cell deposit on the G x G torus grid (node (a, b)
 * at (a, b)/G), weights 1/N (rho) and s_j/N (S):
 *   rho_g(a, b) = (1/N) sum_j W(a - G x_j) W(b - G y_j),  W(t) = max(0, 1 - |t|)  (periodic)
 * Returns the `pack` output: 2 complex fields of G^2, interleaved re/im: (rho_g, 0), (Sx_g, Sy_g).
 */

/** The 4 CIC cells and weights of a point on the G-grid (same arithmetic as the WGSL). */
export function cicCells(x: number, y: number, g: number): { cells: [number, number, number, number]; w: [number, number, number, number] } {
  const ux = x * g, uy = y * g;
  const c0x = Math.min(Math.max(Math.floor(ux), 0), g - 1);
  const c0y = Math.min(Math.max(Math.floor(uy), 0), g - 1);
  const fx = ux - c0x, fy = uy - c0y;
  const c1x = (c0x + 1) % g, c1y = (c0y + 1) % g;
  return {
    cells: [c0y * g + c0x, c0y * g + c1x, c1y * g + c0x, c1y * g + c1x],
    w: [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy],
  };
}

export function pmDeposit(x: Float64Array, scores: Float64Array, n: number, g: number, scoreStride = 2): Float64Array {
  const g2 = g * g;
  const out = new Float64Array(4 * g2);
  for (let j = 0; j < n; j++) {
    const { cells, w } = cicCells(x[2 * j] ?? 0, x[2 * j + 1] ?? 0, g);
    const sx = (scores[scoreStride * j] ?? 0) / n;
    const sy = (scores[scoreStride * j + 1] ?? 0) / n;
    for (let q = 0; q < 4; q++) {
      const c = cells[q] ?? 0;
      const wq = w[q] ?? 0;
      out[2 * c] = (out[2 * c] ?? 0) + wq / n;
      out[2 * (g2 + c)] = (out[2 * (g2 + c)] ?? 0) + wq * sx;
      out[2 * (g2 + c) + 1] = (out[2 * (g2 + c) + 1] ?? 0) + wq * sy;
    }
  }
  return out;
}

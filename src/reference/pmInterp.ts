/**
 * Float64 twin of shaders/pmInterp.wgsl: cloud-in-cell interpolation of the grid velocity
 * (field phi_x + i phi_y, interleaved re/im) at the particles, x_i <- (x_i + h phi(x_i)) mod 1.
 * `pmVelocity` returns phi at the particles (interleaved).
 */
import { wrapUnit } from './fourier';
import { cicCells } from './pmDeposit';

export function pmVelocity(x: Float64Array, field: Float64Array, n: number, g: number): Float64Array {
  const phi = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const { cells, w } = cicCells(x[2 * i] ?? 0, x[2 * i + 1] ?? 0, g);
    let p0 = 0, p1 = 0;
    for (let q = 0; q < 4; q++) {
      const c = cells[q] ?? 0;
      p0 += (w[q] ?? 0) * (field[2 * c] ?? 0);
      p1 += (w[q] ?? 0) * (field[2 * c + 1] ?? 0);
    }
    phi[2 * i] = p0;
    phi[2 * i + 1] = p1;
  }
  return phi;
}

export function pmInterp(x: Float64Array, field: Float64Array, n: number, g: number, h: number): Float64Array {
  const phi = pmVelocity(x, field, n, g);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) out[i] = wrapUnit((x[i] ?? 0) + h * (phi[i] ?? 0));
  return out;
}

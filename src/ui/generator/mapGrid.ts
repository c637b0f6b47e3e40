/**
 * The map G drawn as the transport it is: polylines of a grid in noise space z in [-R, R]^2 (R = 3)
 * pushed through G (a deformed grid), and short segments z -> G(z) for a few noise samples. The
 * polylines are one batch for the model: `gridPoints` lays them out point after point, interleaved,
 * and `gridPolylines` cuts the model's output back into lines.
 */
export const GRID_RADIUS = 3;

export interface GridSpec {
  /** Lines per direction (vertical and horizontal). */
  lines: number;
  /** Points per line. */
  points: number;
  radius: number;
}

export const DEFAULT_GRID: GridSpec = { lines: 13, points: 61, radius: GRID_RADIUS };

/** The grid's points (interleaved): the vertical lines x = const first, then the horizontal ones. */
export function gridPoints(g: GridSpec = DEFAULT_GRID): Float64Array {
  const out = new Float64Array(2 * 2 * g.lines * g.points);
  const at = (i: number, n: number): number => (n === 1 ? 0 : -g.radius + (2 * g.radius * i) / (n - 1));
  let k = 0;
  for (let dir = 0; dir < 2; dir++) {
    for (let l = 0; l < g.lines; l++) {
      for (let p = 0; p < g.points; p++) {
        const a = at(l, g.lines), b = at(p, g.points);
        out[k++] = dir === 0 ? a : b;
        out[k++] = dir === 0 ? b : a;
      }
    }
  }
  return out;
}

/** Cut a batch laid out as gridPoints(g) into its 2 * lines polylines (each `points` points, interleaved). */
export function gridPolylines(xy: ArrayLike<number>, g: GridSpec = DEFAULT_GRID): Float64Array[] {
  const lines: Float64Array[] = [];
  const len = 2 * g.points;
  for (let l = 0; l < 2 * g.lines; l++) {
    const line = new Float64Array(len);
    for (let i = 0; i < len; i++) line[i] = xy[l * len + i] ?? NaN;
    lines.push(line);
  }
  return lines;
}

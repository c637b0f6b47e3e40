/**
 * Numerics checks of a compiled formula, on its float64 twin (issue 20 "numerics that fail on a
 * formula are told, not crashed on"):
 * - checkGrid: evaluate value and derivatives on a grid over a box with the twin's check mode; the
 *   first log of a negative number / of zero, division by zero, square root of a negative number,
 *   overflow of exp (or of the f32 range the GPU computes in) is a FormulaError naming the
 *   operation, the subexpression and the point.
 * - checkTails (logp): a density whose mass on the plane is not finite. On circles of radius
 *   TAIL_R1 and TAIL_R2 (TAIL_ANGLES points each) m(R) = max log pi; a density with finite mass
 *   decays faster than R^-2 in every direction, so the slope (m(R2) - m(R1)) / log(R2 / R1) must be
 *   below -TAIL_SLOPE. A grid check, not a proof: a ridge narrower than the circles' spacing
 *   (R 2 pi / TAIL_ANGLES) between sample angles, or a non-integrable singularity at a point, is
 *   not seen.
 * - gridQuadrature: the normalising constant Z = int exp(logp) over a box and the marginal
 *   densities of x and y, by the midpoint rule on nx x ny cells (max-shifted, so logZ is exact to
 *   quadrature error even when exp(logp) over- or underflows).
 */
import { FormulaError } from './grammar';
import type { CompiledFormula } from './compile';
import { runProgram } from './twin';

export type Box = readonly [xmin: number, xmax: number, ymin: number, ymax: number];

export const TAIL_R1 = 100;
export const TAIL_R2 = 1000;
export const TAIL_ANGLES = 720;
/** Decay exponent a density's tails must beat (R^-2 is the borderline in 2-D), with a margin for the grid. */
export const TAIL_SLOPE = 2.05;

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/** Throw a FormulaError at the first numerical failure on an n x n grid over `box` (edges included). */
export function checkGrid(f: CompiledFormula, params: ArrayLike<number>, box: Box, n = 65): void {
  const prog = f.program;
  const vals = new Float64Array(prog.n);
  const out = new Float64Array(prog.outputs.length);
  const [x0, x1, y0, y1] = box;
  const name = f.kind === 'logp' ? 'log pi' : f.kind;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = x0 + ((x1 - x0) * i) / (n - 1), y = y0 + ((y1 - y0) * j) / (n - 1);
      const problem = runProgram(prog, x, y, params, out, vals, { check: true });
      if (problem) {
        const where = f.builder.describe(problem.node, f.params, 60);
        throw new FormulaError(f.kind, `${problem.what} in ${where} at (x, y) = (${fmt(x)}, ${fmt(y)})`);
      }
      for (let o = 0; o < out.length; o++) {
        if (!Number.isFinite(out[o] ?? NaN)) {
          const what = o === 0 ? name : o < 3 ? `the gradient of ${name}` : `the Hessian of ${name}`;
          throw new FormulaError(f.kind, `${what} is not finite at (x, y) = (${fmt(x)}, ${fmt(y)})`);
        }
      }
    }
  }
}

/** Max of log pi over the circle of radius r (non-finite values: +inf returned as is, NaN skipped). */
function circleMax(f: CompiledFormula, params: ArrayLike<number>, r: number): number {
  const out = new Float64Array(f.program.outputs.length);
  let m = -Infinity;
  for (let i = 0; i < TAIL_ANGLES; i++) {
    const t = (2 * Math.PI * i) / TAIL_ANGLES;
    f.evaluate(r * Math.cos(t), r * Math.sin(t), params, out);
    const v = out[0] ?? NaN;
    if (v > m) m = v;
  }
  return m;
}

/** Throw a FormulaError when log pi's tails do not decay fast enough for a finite mass (see the header). */
export function checkTails(f: CompiledFormula, params: ArrayLike<number>): void {
  const m1 = circleMax(f, params, TAIL_R1), m2 = circleMax(f, params, TAIL_R2);
  if (m2 === -Infinity) return;
  if (m2 === Infinity) throw new FormulaError(f.kind, `the density's mass on the plane is not finite: log pi is +infinite at radius ${TAIL_R2}`);
  const slope = (m2 - m1) / Math.log(TAIL_R2 / TAIL_R1);
  if (!(slope < -TAIL_SLOPE)) {
    throw new FormulaError(
      f.kind,
      `the density's mass on the plane is not finite: log pi does not decrease in the tails (its maximum is ${fmt(m1)} at radius ${TAIL_R1} and ${fmt(m2)} at radius ${TAIL_R2}; a density must decay faster than r^-2 in every direction)`,
    );
  }
}

export interface Quadrature {
  /** log of Z = int_box exp(logp). */
  logZ: number;
  Z: number;
  /** Cell centres. */
  xs: Float64Array;
  ys: Float64Array;
  /** Marginal densities of x and y at the cell centres (each integrates to 1 over the box). */
  marginalX: Float64Array;
  marginalY: Float64Array;
  /** Largest log pi on the grid and where. */
  maxLogp: number;
  argmax: [number, number];
}

/** Z and the marginals of exp(logp) over `box` by the midpoint rule on nx x ny cells. */
export function gridQuadrature(f: CompiledFormula, params: ArrayLike<number>, box: Box, nx = 256, ny = 256): Quadrature {
  const [x0, x1, y0, y1] = box;
  const dx = (x1 - x0) / nx, dy = (y1 - y0) / ny;
  const xs = Float64Array.from({ length: nx }, (_, i) => x0 + (i + 0.5) * dx);
  const ys = Float64Array.from({ length: ny }, (_, j) => y0 + (j + 0.5) * dy);
  const lp = new Float64Array(nx * ny);
  const out = new Float64Array(f.program.outputs.length);
  let maxLogp = -Infinity;
  const argmax: [number, number] = [NaN, NaN];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x = xs[i] ?? 0, y = ys[j] ?? 0;
      f.evaluate(x, y, params, out);
      const v = out[0] ?? NaN;
      if (Number.isNaN(v) || v === Infinity) {
        throw new FormulaError(f.kind, `log pi is ${String(v)} at (x, y) = (${fmt(x)}, ${fmt(y)}): the density cannot be integrated`);
      }
      lp[j * nx + i] = v;
      if (v > maxLogp) { maxLogp = v; argmax[0] = x; argmax[1] = y; }
    }
  }
  if (maxLogp === -Infinity) throw new FormulaError(f.kind, 'the density is zero everywhere on the box (log pi = -infinity)');
  const mx = new Float64Array(nx), my = new Float64Array(ny);
  let s = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const w = Math.exp((lp[j * nx + i] ?? -Infinity) - maxLogp);
      s += w;
      mx[i] = (mx[i] ?? 0) + w;
      my[j] = (my[j] ?? 0) + w;
    }
  }
  for (let i = 0; i < nx; i++) mx[i] = (mx[i] ?? 0) / (s * dx);
  for (let j = 0; j < ny; j++) my[j] = (my[j] ?? 0) / (s * dy);
  const logZ = maxLogp + Math.log(s * dx * dy);
  return { logZ, Z: Math.exp(logZ), xs, ys, marginalX: mx, marginalY: my, maxLogp, argmax };
}

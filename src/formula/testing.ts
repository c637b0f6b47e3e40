/**
 * Test helpers for formulas: a fast-check arbitrary of well-formed formula texts (random trees over
 * the whole grammar, printed fully parenthesised) and the f32 error model of the GPU-vs-twin test.
 *
 * Error model (gpuweb's WGSL spec, "Floating Point Accuracy"): each operation's f32 value may
 * differ from the exact one by a relative error R and an absolute error A:
 *   + - * and constants: correctly rounded, R = 2^-24; / : 2.5 ULP;
 *   exp: 3 + 2|a| ULP; log: 3 ULP, and absolute 2^-21 on [0.5, 2]; sqrt: inherited from
 *   inverseSqrt (2 ULP) plus a division; pow: inherited from exp2(b log2 a); sin, cos: absolute
 *   2^-11 (on [-pi, pi]); tan = sin / cos; sinh, cosh, tanh: inherited from exp; atan, atan2:
 *   4096 ULP; the helpers of src/formula/wgsl.ts (log1p, sigmoid, softplus, erf, powi,
 *   logsumexp) by their formulas (erf: Abramowitz-Stegun's 1.5e-7 absolute).
 * `perturbF32(rng)` replaces each value v by v (1 + R u1) + A u2 with u1, u2 uniform in [-1, 1]: a
 * twin run with it is one random f32 evaluation within the spec, and the spread of a few such
 * runs around the exact twin measures how much THIS formula at THIS point amplifies f32 errors.
 */
import fc from 'fast-check';
import type { CompiledFormula } from './compile';
import { Op, type OpCode } from './ops';
import { runProgram } from './twin';

const ULP = 2 ** -23;

/** Relative and absolute error bounds of one operation in f32 WGSL (see the header). */
export function f32ErrorBound(op: OpCode, a: number, v: number): { R: number; A: number } {
  switch (op) {
    case Op.CONST: case Op.ADD: case Op.SUB: case Op.MUL: return { R: ULP / 2, A: 0 };
    case Op.DIV: return { R: 2.5 * ULP, A: 0 };
    case Op.EXP: return { R: (3 + 2 * Math.abs(a)) * ULP, A: 0 };
    case Op.LOG: return { R: 3 * ULP, A: 2 ** -21 };
    case Op.LOG1P: return { R: 6 * ULP, A: 2 ** -21 };
    case Op.SQRT: return { R: 4 * ULP, A: 0 };
    case Op.POW: return { R: (6 + 2 * Math.abs(Math.log2(Math.abs(v) || 1))) * ULP, A: 0 };
    case Op.POWI: return { R: 8 * ULP, A: 0 };
    case Op.SIN: case Op.COS: return { R: 0, A: 2 ** -11 };
    case Op.TAN: return { R: 0, A: 2 ** -10 * (1 + v * v) };
    case Op.SINH: case Op.COSH: return { R: (5 + 2 * Math.abs(a)) * ULP, A: 0 };
    case Op.TANH: return { R: (5 + 4 * Math.abs(a)) * ULP, A: 2 ** -22 };
    case Op.ATAN: case Op.ATAN2: return { R: 4096 * ULP, A: 0 };
    case Op.SIGMOID: return { R: (8 + 2 * Math.abs(a)) * ULP, A: 0 };
    case Op.SOFTPLUS: return { R: 8 * ULP, A: 2 ** -20 };
    case Op.LSE: return { R: 8 * ULP, A: 2 ** -20 };
    case Op.ERF: return { R: 4 * ULP, A: 1.5e-7 };
    default: return { R: ULP, A: 0 };
  }
}

/** A perturbation for runProgram's `perturb` drawing errors within f32ErrorBound from `rand` (uniform [0, 1)). */
export function perturbF32(rand: () => number): (op: OpCode, a: number, v: number) => number {
  return (op, a, v) => {
    const { R, A } = f32ErrorBound(op, a, v);
    return v * (1 + R * (2 * rand() - 1)) + A * (2 * rand() - 1);
  };
}

/** A small deterministic uniform generator (mulberry32). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAVES = ['x', 'y', 'x', 'y', 'x - y', 'a', 'b', '0.5', '1', '2', '3', '0.25', '1.5', '0.1', 'pi'];
const UNARY: ((u: string) => string)[] = [
  (u) => `-(${u})`, (u) => `exp(${u})`, (u) => `exp(-(${u})^2)`, (u) => `log(${u})`, (u) => `log((${u})^2 + 0.5)`,
  (u) => `log1p((${u})^2)`, (u) => `sqrt(${u})`, (u) => `sqrt((${u})^2 + 0.25)`, (u) => `abs(${u})`, (u) => `sin(${u})`,
  (u) => `cos(${u})`, (u) => `tan(${u})`, (u) => `tanh(${u})`, (u) => `sinh(${u})`, (u) => `cosh(${u})`, (u) => `atan(${u})`,
  (u) => `sigmoid(${u})`, (u) => `softplus(${u})`, (u) => `erf(${u})`, (u) => `(${u})^2`, (u) => `(${u})^3`, (u) => `(${u})^(-1)`,
  (u) => `(${u})^4`,
];
const BINARY: ((u: string, v: string) => string)[] = [
  (u, v) => `(${u}) + (${v})`, (u, v) => `(${u}) - (${v})`, (u, v) => `(${u}) * (${v})`, (u, v) => `(${u}) / (${v})`,
  (u, v) => `(${u}) / ((${v})^2 + 0.5)`, (u, v) => `pow(${u}, ${v})`, (u, v) => `((${u})^2 + 0.5)^(${v})`,
  (u, v) => `atan2(${u}, ${v})`, (u, v) => `min(${u}, ${v})`, (u, v) => `max(${u}, ${v})`, (u, v) => `logsumexp(${u}, ${v})`,
  (u, v) => `a * (${u}) + b * (${v})`, (u, v) => `logsumexp(${u}, ${v}, x - y)`, (u, v) => `(${u}) (${v})`,
];

/** Formula texts from random trees of depth <= maxDepth (at most 500 characters). */
export function formulaArb(maxDepth = 4): fc.Arbitrary<string> {
  const arb = (depth: number): fc.Arbitrary<string> => {
    const leaf = fc.constantFrom(...LEAVES);
    if (depth === 0) return leaf;
    const sub = arb(depth - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 1 },
      { arbitrary: fc.tuple(fc.integer({ min: 0, max: UNARY.length - 1 }), sub).map(([i, u]) => (UNARY[i] ?? UNARY[0] ?? String)(u)), weight: 2 },
      { arbitrary: fc.tuple(fc.integer({ min: 0, max: BINARY.length - 1 }), sub, sub).map(([i, u, v]) => (BINARY[i] ?? ((p: string) => p))(u, v)), weight: 2 },
    );
  };
  return arb(maxDepth).filter((s) => s.length <= 500);
}

/** The twin's outputs at a point and how far f32 evaluation may move each (see the header). */
export interface TwinSpread {
  /** The float64 twin's outputs (value, gradient, ...). */
  ref: Float64Array;
  /** Per output: the largest deviation of `runs` perturbed (f32-within-spec) evaluations from ref. */
  dev: Float64Array;
}

/**
 * The twin of `f` at (x, y) with `params`, and its f32 spread (`runs` evaluations under perturbF32);
 * undefined where the comparison means nothing: the twin is not finite (log of a negative number,
 * a pole) or an intermediate leaves the range f32 represents faithfully (|v| > 1e30 or
 * 0 < |v| < 1e-30: f32 overflows or flushes there, float64 does not).
 */
export function twinWithSpread(f: CompiledFormula, x: number, y: number, params: ArrayLike<number>, rand: () => number, runs = 4): TwinSpread | undefined {
  const prog = f.program;
  const nOut = prog.outputs.length;
  const vals = new Float64Array(prog.n), ref = new Float64Array(nOut), pert = new Float64Array(nOut);
  const stats = { maxAbs: 0, minAbs: Infinity };
  runProgram(prog, x, y, params, ref, vals, { stats });
  if (!ref.every(Number.isFinite) || stats.maxAbs > 1e30 || stats.minAbs < 1e-30) return undefined;
  const dev = new Float64Array(nOut);
  for (let r = 0; r < runs; r++) {
    runProgram(prog, x, y, params, pert, vals, { perturb: perturbF32(rand) });
    for (let o = 0; o < nOut; o++) {
      // a perturbed run that is not finite says the point is ill-conditioned: no bound (Infinity)
      const d = Math.abs((pert[o] ?? NaN) - (ref[o] ?? 0));
      dev[o] = Math.max(dev[o] ?? 0, Number.isNaN(d) ? Infinity : d);
    }
  }
  return { ref, dev };
}

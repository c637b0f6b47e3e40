/**
 * The IR's operations and their float64 semantics: one function, `applyOp`, used by the constant
 * folder (src/formula/ir.ts) and by the twin's interpreter (src/formula/twin.ts), so a folded
 * constant and an evaluated node always agree. The WGSL emitter (src/formula/wgsl.ts) writes the
 * same stable forms in f32.
 */
export const Op = {
  CONST: 0, X: 1, Y: 2, PARAM: 3,
  ADD: 4, SUB: 5, MUL: 6, DIV: 7, NEG: 8,
  /** a^b, b not a small integer constant: Math.pow (negative a with integer b allowed). */
  POW: 9,
  /** a^k for an integer constant k (node.k). */
  POWI: 10,
  EXP: 11, LOG: 12, LOG1P: 13, SQRT: 14, ABS: 15, SIN: 16, COS: 17, TAN: 18, TANH: 19, SINH: 20, COSH: 21,
  ATAN: 22, ATAN2: 23, MIN: 24, MAX: 25, SIGMOID: 26, SOFTPLUS: 27,
  /** logsumexp of its (n >= 2) arguments, max-shifted. */
  LSE: 28,
  ERF: 29,
  /** Internal (derivatives): sign(a) (0 at 0). */
  SIGN: 30,
  /** Internal (derivatives of min / max): a >= 0 ? b : c. */
  SELECT: 31,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

export const OP_NAMES: Record<OpCode, string> = {
  0: 'const', 1: 'x', 2: 'y', 3: 'param', 4: 'add', 5: 'sub', 6: 'mul', 7: 'div', 8: 'neg', 9: 'pow', 10: 'powi',
  11: 'exp', 12: 'log', 13: 'log1p', 14: 'sqrt', 15: 'abs', 16: 'sin', 17: 'cos', 18: 'tan', 19: 'tanh', 20: 'sinh',
  21: 'cosh', 22: 'atan', 23: 'atan2', 24: 'min', 25: 'max', 26: 'sigmoid', 27: 'softplus', 28: 'logsumexp', 29: 'erf',
  30: 'sign', 31: 'select',
};

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf in float64 (|error| ~ 1e-15): the all-positive series erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!
 * for |x| < 3 (no cancellation), the continued fraction of erfc beyond (evaluated backwards, 60 terms).
 */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  if (z < 3) {
    let term = z, sum = z;
    const z2 = 2 * z * z;
    for (let n = 1; n < 200; n++) {
      term *= z2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const r = TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
    return x < 0 ? -r : r;
  }
  if (z > 6) return x < 0 ? -1 : 1;
  // erfc(z) = e^{-z^2}/sqrt(pi) * 1 / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...)))))
  let f = z;
  for (let n = 60; n >= 1; n--) f = z + n / 2 / f;
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/** sigmoid, never exp of a positive number. */
export function sigmoid64(a: number): number {
  const e = Math.exp(-Math.abs(a));
  return a >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** softplus = log(1 + e^a) as max(a, 0) + log1p(e^{-|a|}). */
export function softplus64(a: number): number {
  return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
}

/** logsumexp by max-shift. */
export function logsumexp64(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i] ?? NaN);
  if (m === -Infinity || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.exp((v[i] ?? NaN) - m);
  return m + Math.log(s);
}

/** One operation in float64 (the twin's semantics and the constant folder's). */
export function applyOp(op: OpCode, args: readonly number[], k: number): number {
  const a = args[0] ?? NaN, b = args[1] ?? NaN;
  switch (op) {
    case Op.CONST: return k;
    case Op.X: case Op.Y: case Op.PARAM: return NaN;
    case Op.ADD: return a + b;
    case Op.SUB: return a - b;
    case Op.MUL: return a * b;
    case Op.DIV: return a / b;
    case Op.NEG: return -a;
    case Op.POW: return Math.pow(a, b);
    case Op.POWI: return Math.pow(a, k);
    case Op.EXP: return Math.exp(a);
    case Op.LOG: return Math.log(a);
    case Op.LOG1P: return Math.log1p(a);
    case Op.SQRT: return Math.sqrt(a);
    case Op.ABS: return Math.abs(a);
    case Op.SIN: return Math.sin(a);
    case Op.COS: return Math.cos(a);
    case Op.TAN: return Math.tan(a);
    case Op.TANH: return Math.tanh(a);
    case Op.SINH: return Math.sinh(a);
    case Op.COSH: return Math.cosh(a);
    case Op.ATAN: return Math.atan(a);
    case Op.ATAN2: return Math.atan2(a, b);
    case Op.MIN: return Math.min(a, b);
    case Op.MAX: return Math.max(a, b);
    case Op.SIGMOID: return sigmoid64(a);
    case Op.SOFTPLUS: return softplus64(a);
    case Op.LSE: return logsumexp64(args);
    case Op.ERF: return erf64(a);
    case Op.SIGN: return Math.sign(a);
    case Op.SELECT: return a >= 0 ? b : (args[2] ?? NaN);
  }
}

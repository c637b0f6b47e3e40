/**
 * The float64 twin of a formula's WGSL: the IR's live nodes flattened into arrays of operations
 * (op code, argument slots, constant) and evaluated in one loop by `runProgram`, with the
 * semantics of src/formula/ops.ts applyOp. No code is generated from the text (no eval, no
 * new Function): the program is data.
 *
 * `runProgram` has two extra modes for the numerics checks and the tests:
 * - check: the first operation whose arguments are finite but whose value is not (or exceeds the
 *   f32 range the GPU computes in) is returned as a Problem naming the operation (log of a
 *   negative number, division by zero, overflow of exp, ...);
 * - perturb: every rounded operation's value (constants included) is replaced by a perturbed one,
 *   so that running a few times with random errors of the size f32 and WGSL's builtins allow
 *   measures how much the formula amplifies them (the GPU-vs-twin tolerance of src/formula/gpu.test.ts).
 */
import { F32_MAX } from './grammar';
import type { Builder } from './ir';
import { applyOp, Op, type OpCode } from './ops';

export interface Program {
  /** Number of slots (live nodes), in topological order. */
  n: number;
  op: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  k: Float64Array;
  /** LSE argument lists: slots list[listStart[s] .. listStart[s] + listLen[s]). */
  listStart: Int32Array;
  listLen: Int32Array;
  list: Int32Array;
  /** The slot of each output. */
  outputs: Int32Array;
  /** The IR node id of each slot (for messages). */
  nodeIds: Int32Array;
}

/** Nodes reachable from `roots`, in increasing id (topological) order. */
export function liveNodes(builder: Builder, roots: readonly number[]): number[] {
  const max = Math.max(-1, ...roots);
  const mark = new Uint8Array(max + 1);
  for (const r of roots) mark[r] = 1;
  for (let i = max; i >= 0; i--) {
    if (!mark[i]) continue;
    for (const a of builder.node(i).args) mark[a] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i <= max; i++) if (mark[i]) out.push(i);
  return out;
}

export function compileProgram(builder: Builder, outputs: readonly number[]): Program {
  const ids = liveNodes(builder, outputs);
  const slot = new Map<number, number>();
  ids.forEach((id, s) => slot.set(id, s));
  const n = ids.length;
  const p: Program = {
    n,
    op: new Int32Array(n), a: new Int32Array(n).fill(-1), b: new Int32Array(n).fill(-1), c: new Int32Array(n).fill(-1),
    k: new Float64Array(n), listStart: new Int32Array(n), listLen: new Int32Array(n), list: new Int32Array(0),
    outputs: Int32Array.from(outputs.map((o) => slot.get(o) ?? -1)), nodeIds: Int32Array.from(ids),
  };
  const list: number[] = [];
  ids.forEach((id, s) => {
    const node = builder.node(id);
    p.op[s] = node.op;
    p.k[s] = node.k;
    const args = node.args.map((a) => slot.get(a) ?? -1);
    if (node.op === Op.LSE) {
      p.listStart[s] = list.length;
      p.listLen[s] = args.length;
      list.push(...args);
    } else {
      p.a[s] = args[0] ?? -1;
      p.b[s] = args[1] ?? -1;
      p.c[s] = args[2] ?? -1;
    }
  });
  p.list = Int32Array.from(list);
  return p;
}

/** A numerical failure found by a checked evaluation. */
export interface Problem {
  /** IR node id of the failing operation. */
  node: number;
  /** What failed, e.g. 'log of a negative number'. */
  what: string;
}

export interface RunOptions {
  check?: boolean;
  /**
   * Replace each operation's value by perturb(op, first argument, value): the tests model the GPU's
   * f32 rounding and the WGSL accuracy of each builtin this way (src/formula/testing.ts).
   */
  perturb?: (op: OpCode, a: number, v: number) => number;
  /** Filled with the largest and smallest nonzero |value| of any operation (f32 range of the GPU). */
  stats?: { maxAbs: number; minAbs: number };
}

/** Operations that are exact in f32 given f32 arguments (never perturbed); inputs x, y and the parameters are given as f32 values. */
const EXACT: ReadonlySet<number> = new Set([Op.X, Op.Y, Op.PARAM, Op.NEG, Op.ABS, Op.SIGN, Op.SELECT, Op.MIN, Op.MAX]);

function explain(op: number, a: number, b: number, v: number): string {
  const over = Number.isFinite(v) ? 'overflow of f32 (|value| > 3.4e38)' : 'overflow';
  switch (op) {
    case Op.LOG: return a < 0 ? 'log of a negative number' : a === 0 ? 'log of zero' : over;
    case Op.LOG1P: return a < -1 ? 'log1p of a number below -1' : a === -1 ? 'log1p(-1) (log of zero)' : over;
    case Op.SQRT: return a < 0 ? 'square root of a negative number' : over;
    case Op.DIV: return b === 0 ? 'division by zero' : over;
    case Op.POW: return a < 0 && !Number.isInteger(b) ? 'power of a negative number to a non-integer exponent' : a === 0 && b < 0 ? 'division by zero (0 to a negative power)' : over;
    case Op.POWI: return a === 0 && v !== 0 ? 'division by zero (0 to a negative power)' : over;
    case Op.EXP: return 'overflow of exp (write log(exp(a) + exp(b)) as logsumexp(a, b), log(1 + exp(a)) as softplus(a))';
    case Op.TAN: return 'tan at a pole';
    case Op.SINH: case Op.COSH: return `overflow of ${op === Op.SINH ? 'sinh' : 'cosh'}`;
    default: return Number.isNaN(v) ? 'an undefined value (inf - inf or 0 * inf after an overflow)' : over;
  }
}

/** Argument scratch of the rarer operations (one module-level array: no allocation per evaluation). */
const SCRATCH: number[] = [];

/**
 * Evaluate the program at (x, y) with parameter values `params`; writes the outputs into `out`.
 * `vals` (length >= prog.n) is scratch. Returns a Problem in check mode, else undefined.
 */
export function runProgram(prog: Program, x: number, y: number, params: ArrayLike<number>, out: Float64Array, vals: Float64Array, opts?: RunOptions): Problem | undefined {
  const { op, a, b, c, k } = prog;
  const args = SCRATCH;
  let problem: Problem | undefined;
  let maxAbs = 0, minAbs = Infinity;
  for (let s = 0; s < prog.n; s++) {
    const o = op[s] as OpCode;
    // (a missing argument is slot -1: never read out of bounds, which V8 deoptimises on)
    const ia = a[s] ?? -1, ib = b[s] ?? -1;
    const va = ia >= 0 ? (vals[ia] ?? NaN) : 0, vb = ib >= 0 ? (vals[ib] ?? NaN) : 0;
    let v: number;
    switch (o) {
      case Op.CONST: v = k[s] ?? NaN; break;
      case Op.X: v = x; break;
      case Op.Y: v = y; break;
      case Op.PARAM: v = params[k[s] ?? 0] ?? NaN; break;
      case Op.ADD: v = va + vb; break;
      case Op.SUB: v = va - vb; break;
      case Op.MUL: v = va * vb; break;
      case Op.DIV: v = va / vb; break;
      case Op.NEG: v = -va; break;
      case Op.SELECT: v = va >= 0 ? vb : (vals[c[s] ?? 0] ?? NaN); break;
      case Op.POW: v = Math.pow(va, vb); break;
      case Op.POWI: {
        const e = k[s] ?? 0;
        v = e === 2 ? va * va : Math.pow(va, e);
        break;
      }
      case Op.EXP: v = Math.exp(va); break;
      case Op.LOG: v = Math.log(va); break;
      case Op.LOG1P: v = Math.log1p(va); break;
      case Op.SQRT: v = Math.sqrt(va); break;
      case Op.ABS: v = Math.abs(va); break;
      case Op.SIN: v = Math.sin(va); break;
      case Op.COS: v = Math.cos(va); break;
      case Op.TANH: v = Math.tanh(va); break;
      case Op.SIGN: v = Math.sign(va); break;
      case Op.MIN: v = Math.min(va, vb); break;
      case Op.MAX: v = Math.max(va, vb); break;
      case Op.LSE: {
        args.length = 0;
        const st = prog.listStart[s] ?? 0, len = prog.listLen[s] ?? 0;
        for (let j = 0; j < len; j++) args.push(vals[prog.list[st + j] ?? 0] ?? NaN);
        v = applyOp(o, args, 0);
        break;
      }
      default:
        args.length = 0;
        args.push(va, vb);
        v = applyOp(o, args, k[s] ?? 0);
    }
    if (opts) {
      if (opts.perturb && !EXACT.has(o)) v = opts.perturb(o, va, v);
      const m = Math.abs(v);
      if (m > maxAbs) maxAbs = m;
      if (m > 0 && m < minAbs) minAbs = m;
      if (opts.check && problem === undefined && (!Number.isFinite(v) || m > F32_MAX)) {
        let argsFinite: boolean;
        if (o === Op.LSE) {
          argsFinite = true;
          const st = prog.listStart[s] ?? 0, len = prog.listLen[s] ?? 0;
          for (let j = 0; j < len; j++) if (!Number.isFinite(vals[prog.list[st + j] ?? 0] ?? NaN)) argsFinite = false;
        } else {
          argsFinite = [a[s] ?? -1, b[s] ?? -1, c[s] ?? -1].every((i) => i < 0 || Number.isFinite(vals[i] ?? NaN));
        }
        if (argsFinite) problem = { node: prog.nodeIds[s] ?? -1, what: explain(o, va, vb, v) };
      }
    }
    vals[s] = v;
  }
  for (let i = 0; i < prog.outputs.length; i++) out[i] = vals[prog.outputs[i] ?? 0] ?? NaN;
  if (opts?.stats) {
    opts.stats.maxAbs = maxAbs;
    opts.stats.minAbs = minAbs;
  }
  return problem;
}

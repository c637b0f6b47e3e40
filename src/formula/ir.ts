/**
 * The formula IR: a DAG of scalar operations, hash-consed (a node is stored once per (op, args,
 * constant), so equal subexpressions are one node and every emitter shares them: each node is one
 * WGSL `let` and one slot of the twin's program). Node ids are topological: a node's arguments
 * always have smaller ids.
 *
 * Derivatives: forward symbolic differentiation ON THIS IR (`derivative`), not mathjs
 * `derivative`. Why: mathjs knows neither sigmoid, softplus, logsumexp nor erf, so its derivative
 * would need them expanded into exp/log forms that overflow (log(exp(a) + exp(b)) at a = 100) and
 * then a second whitelist pass over its output; on our own IR each function keeps its stable form
 * and its derivative is written in stable forms too (softplus' = sigmoid, logsumexp' = the softmax
 * exp(a_i - lse) that reuses the lse node), the result is hash-consed into the same DAG (so the
 * gradient shares the value's subexpressions), and the Hessian is the same rule applied twice.
 *
 * Simplification happens as nodes are made (`Builder.make`): constant folding (with the twin's own
 * float64 semantics, src/formula/ops.ts, only when the result is finite and fits f32), x + 0, x * 1,
 * x * 0, x - x, -(-x), x^1, x^0, integer powers as POWI, e^u as exp(u), log(exp(u)) as u,
 * commutative arguments ordered so that a + b and b + a are one node.
 */
import { CONSTANTS, F32_MAX, type Ast, type FunctionName } from './grammar';
import { applyOp, Op, OP_NAMES, type OpCode } from './ops';

export interface IrNode {
  op: OpCode;
  args: readonly number[];
  /** CONST: the value; PARAM: the parameter index; POWI: the integer exponent; otherwise 0. */
  k: number;
}

/** Largest |integer exponent| written as repeated multiplication (POWI) rather than pow. */
export const MAX_POWI = 64;

const COMMUTATIVE: ReadonlySet<OpCode> = new Set([Op.ADD, Op.MUL, Op.MIN, Op.MAX]);

export class Builder {
  readonly nodes: IrNode[] = [];
  private readonly index = new Map<string, number>();
  readonly zero: number;
  readonly one: number;
  readonly x: number;
  readonly y: number;

  constructor() {
    this.zero = this.constant(0);
    this.one = this.constant(1);
    this.x = this.raw(Op.X, [], 0);
    this.y = this.raw(Op.Y, [], 0);
  }

  node(id: number): IrNode {
    const n = this.nodes[id];
    if (!n) throw new Error(`formula IR: no node ${id}`);
    return n;
  }

  isConst(id: number, v?: number): boolean {
    const n = this.node(id);
    return n.op === Op.CONST && (v === undefined || Object.is(n.k, v) || n.k === v);
  }

  constValue(id: number): number | undefined {
    const n = this.node(id);
    return n.op === Op.CONST ? n.k : undefined;
  }

  constant(v: number): number {
    return this.raw(Op.CONST, [], v === 0 ? 0 : v);
  }

  param(i: number): number {
    return this.raw(Op.PARAM, [], i);
  }

  private raw(op: OpCode, args: readonly number[], k: number): number {
    const key = `${op}|${k}|${args.join(',')}`;
    const hit = this.index.get(key);
    if (hit !== undefined) return hit;
    const id = this.nodes.length;
    this.nodes.push({ op, args: [...args], k });
    this.index.set(key, id);
    return id;
  }

  /** Make a node, simplified. */
  make(op: OpCode, argsIn: readonly number[], k = 0): number {
    let args = [...argsIn];
    if (COMMUTATIVE.has(op) && args.length === 2) {
      // canonical order: a constant first, else by id
      const [p = 0, q = 0] = args;
      const pc = this.isConst(p), qc = this.isConst(q);
      if ((qc && !pc) || (pc === qc && p > q)) args = [q, p];
    }
    const [a = -1, b = -1, c = -1] = args;
    // constant folding with the twin's semantics, kept only when the value can be written in WGSL
    if (op !== Op.CONST && op !== Op.PARAM && op !== Op.X && op !== Op.Y && args.every((id) => this.isConst(id))) {
      const v = applyOp(op, args.map((id) => this.node(id).k), k);
      if (Number.isFinite(v) && Math.abs(v) <= F32_MAX) return this.constant(v);
    }
    switch (op) {
      case Op.ADD:
        if (this.isConst(a, 0)) return b;
        if (this.isConst(b, 0)) return a;
        if (this.node(b).op === Op.NEG) return this.make(Op.SUB, [a, this.node(b).args[0] ?? 0]);
        if (this.node(a).op === Op.NEG) return this.make(Op.SUB, [b, this.node(a).args[0] ?? 0]);
        break;
      case Op.SUB: {
        if (this.isConst(b, 0)) return a;
        // (u + v) - v -> u, (u + v) - u -> v
        const na = this.node(a);
        if (na.op === Op.ADD && na.args[1] === b) return na.args[0] ?? 0;
        if (na.op === Op.ADD && na.args[0] === b) return na.args[1] ?? 0;
        if (this.isConst(a, 0)) return this.make(Op.NEG, [b]);
        if (a === b) return this.zero;
        if (this.node(b).op === Op.NEG) return this.make(Op.ADD, [a, this.node(b).args[0] ?? 0]);
        break;
      }
      case Op.MUL: {
        if (this.isConst(a, 0) || this.isConst(b, 0)) return this.zero;
        if (this.isConst(a, 1)) return b;
        if (this.isConst(b, 1)) return a;
        if (this.isConst(a, -1)) return this.make(Op.NEG, [b]);
        if (this.isConst(b, -1)) return this.make(Op.NEG, [a]);
        const na = this.node(a), nb = this.node(b);
        if (na.op === Op.NEG) return this.make(Op.NEG, [this.make(Op.MUL, [na.args[0] ?? 0, b])]);
        if (nb.op === Op.NEG) return this.make(Op.NEG, [this.make(Op.MUL, [a, nb.args[0] ?? 0])]);
        if (a === b) return this.make(Op.POWI, [a], 2);
        // c1 * (c2 * u) -> (c1 c2) * u
        const ca = this.constValue(a);
        if (ca !== undefined && nb.op === Op.MUL) {
          const inner = nb.args.find((id) => this.isConst(id));
          const other = nb.args.find((id) => id !== inner);
          if (inner !== undefined && other !== undefined) {
            const v = ca * this.node(inner).k;
            if (Number.isFinite(v) && Math.abs(v) <= F32_MAX) return this.make(Op.MUL, [this.constant(v), other]);
          }
        }
        break;
      }
      case Op.DIV: {
        if (this.isConst(a, 0)) return this.zero;
        // (c1 * u) / c2 -> (c1 / c2) * u
        const cb = this.constValue(b), na = this.node(a);
        if (cb !== undefined && cb !== 0 && na.op === Op.MUL && this.isConst(na.args[0] ?? 0)) {
          const v = this.node(na.args[0] ?? 0).k / cb;
          if (Number.isFinite(v) && Math.abs(v) <= F32_MAX && v !== 0) return this.make(Op.MUL, [this.constant(v), na.args[1] ?? 0]);
        }
        if (this.isConst(b, 1)) return a;
        if (this.isConst(b, -1)) return this.make(Op.NEG, [a]);
        if (a === b) return this.one;
        if (this.node(a).op === Op.NEG) return this.make(Op.NEG, [this.make(Op.DIV, [this.node(a).args[0] ?? 0, b])]);
        break;
      }
      case Op.NEG: {
        const na = this.node(a);
        if (na.op === Op.NEG) return na.args[0] ?? 0;
        if (na.op === Op.SUB) return this.make(Op.SUB, [na.args[1] ?? 0, na.args[0] ?? 0]);
        break;
      }
      case Op.POW: {
        const e = this.constValue(b);
        if (e !== undefined && Number.isInteger(e) && Math.abs(e) <= MAX_POWI) return this.make(Op.POWI, [a], e);
        if (e === 0.5) return this.make(Op.SQRT, [a]);
        if (this.isConst(a, CONSTANTS.e)) return this.make(Op.EXP, [b]);
        break;
      }
      case Op.POWI: {
        if (k === 0) return this.one;
        if (k === 1) return a;
        const na = this.node(a);
        if (na.op === Op.POWI && Math.abs(na.k * k) <= MAX_POWI) return this.make(Op.POWI, [na.args[0] ?? 0], na.k * k);
        if (na.op === Op.NEG && k % 2 === 0) return this.make(Op.POWI, [na.args[0] ?? 0], k);
        break;
      }
      case Op.LOG:
        if (this.node(a).op === Op.EXP) return this.node(a).args[0] ?? 0;
        break;
      case Op.SELECT: {
        if (b === c) return b;
        const cv = this.constValue(a);
        if (cv !== undefined) return cv >= 0 ? b : c;
        break;
      }
      case Op.LSE:
        if (args.length === 1) return a;
        break;
      case Op.MIN:
      case Op.MAX:
        if (a === b) return a;
        break;
      default:
        break;
    }
    return this.raw(op, args, op === Op.POWI ? k : 0);
  }

  add(a: number, b: number): number { return this.make(Op.ADD, [a, b]); }
  sub(a: number, b: number): number { return this.make(Op.SUB, [a, b]); }
  mul(a: number, b: number): number { return this.make(Op.MUL, [a, b]); }
  div(a: number, b: number): number { return this.make(Op.DIV, [a, b]); }
  neg(a: number): number { return this.make(Op.NEG, [a]); }
  un(op: OpCode, a: number): number { return this.make(op, [a]); }

  /** Build the IR of a whitelisted tree; `paramIndex` maps a parameter name to its slot. */
  fromAst(ast: Ast, paramIndex: (name: string) => number): number {
    switch (ast.t) {
      case 'num': return this.constant(ast.v);
      case 'x': return this.x;
      case 'y': return this.y;
      case 'param': return this.param(paramIndex(ast.name));
      case 'neg': return this.neg(this.fromAst(ast.a, paramIndex));
      case 'bin': {
        const a = this.fromAst(ast.a, paramIndex), b = this.fromAst(ast.b, paramIndex);
        const op = { '+': Op.ADD, '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '^': Op.POW }[ast.op];
        return this.make(op, [a, b]);
      }
      case 'call': {
        const args = ast.args.map((a) => this.fromAst(a, paramIndex));
        return this.call(ast.fn, args);
      }
    }
  }

  private call(fn: FunctionName, args: number[]): number {
    const [a = 0, b = 0] = args;
    switch (fn) {
      case 'pow': return this.make(Op.POW, [a, b]);
      case 'atan2': return this.make(Op.ATAN2, [a, b]);
      case 'min':
      case 'max': {
        const op = fn === 'min' ? Op.MIN : Op.MAX;
        return args.slice(1).reduce((acc, v) => this.make(op, [acc, v]), a);
      }
      case 'logsumexp': return this.make(Op.LSE, args);
      default: return this.make(UNARY_OP[fn], [a]);
    }
  }

  /** d node / d var (var = this.x or this.y), memoised per variable; the result lives in the same DAG. */
  derivative(root: number, v: number, memo: Map<number, number> = new Map()): number {
    const d = (id: number): number => {
      const hit = memo.get(id);
      if (hit !== undefined) return hit;
      const first = this.nodes.length;
      const r = this.derivativeOf(id, v, d);
      // nodes made here belong to the derivative of `id` (messages name it)
      const source = this.origin.get(id) ?? id;
      for (let n = first; n < this.nodes.length; n++) if (!this.origin.has(n)) this.origin.set(n, source);
      memo.set(id, r);
      return r;
    };
    // iterative warm-up in id order keeps the recursion shallow on long chains
    for (let id = 0; id <= root; id++) if (!memo.has(id) && this.reaches(root, id)) d(id);
    return d(root);
  }

  /** For nodes made by differentiation: the node of the formula whose derivative made them. */
  readonly origin = new Map<number, number>();

  /** The node as a message names it: its text, or 'the derivative of TEXT' for a derivative's node. */
  describe(id: number, paramNames: readonly string[], max = 80): string {
    const source = this.origin.get(id);
    return source === undefined ? this.print(id, paramNames, max) : `the derivative of ${this.print(source, paramNames, max)}`;
  }

  private reachCache = new Map<number, Uint8Array>();
  /** Whether `id` is in the DAG under `root` (cached per root). */
  private reaches(root: number, id: number): boolean {
    let mark = this.reachCache.get(root);
    if (!mark || mark.length <= root) {
      mark = new Uint8Array(root + 1);
      mark[root] = 1;
      for (let i = root; i >= 0; i--) {
        if (!mark[i]) continue;
        for (const a of this.node(i).args) mark[a] = 1;
      }
      this.reachCache.set(root, mark);
    }
    return mark[id] === 1;
  }

  private derivativeOf(id: number, v: number, d: (id: number) => number): number {
    const n = this.node(id);
    const [a = 0, b = 0, c = 0] = n.args;
    const Z = this.zero;
    switch (n.op) {
      case Op.CONST:
      case Op.PARAM:
        return Z;
      case Op.X:
      case Op.Y:
        return id === v ? this.one : Z;
      case Op.ADD: return this.add(d(a), d(b));
      case Op.SUB: return this.sub(d(a), d(b));
      case Op.MUL: return this.add(this.mul(d(a), b), this.mul(a, d(b)));
      case Op.DIV: {
        // (a / b)' = (a' - (a / b) b') / b
        const da = d(a), db = d(b);
        if (db === Z) return this.div(da, b);
        return this.div(this.sub(da, this.mul(id, db)), b);
      }
      case Op.NEG: return this.neg(d(a));
      case Op.POW: {
        const da = d(a), db = d(b);
        // (a^b)' = b a^(b-1) a' + a^b log(a) b'
        const t1 = da === Z ? Z : this.mul(this.mul(b, this.make(Op.POW, [a, this.sub(b, this.one)])), da);
        const t2 = db === Z ? Z : this.mul(this.mul(id, this.un(Op.LOG, a)), db);
        return this.add(t1, t2);
      }
      case Op.POWI: {
        const da = d(a);
        if (da === Z) return Z;
        return this.mul(this.mul(this.constant(n.k), this.make(Op.POWI, [a], n.k - 1)), da);
      }
      case Op.EXP: return this.mul(id, d(a));
      case Op.LOG: return this.div(d(a), a);
      case Op.LOG1P: return this.div(d(a), this.add(this.one, a));
      case Op.SQRT: {
        const da = d(a);
        return da === Z ? Z : this.div(da, this.mul(this.constant(2), id));
      }
      case Op.ABS: return this.mul(this.un(Op.SIGN, a), d(a));
      case Op.SIN: return this.mul(this.un(Op.COS, a), d(a));
      case Op.COS: return this.neg(this.mul(this.un(Op.SIN, a), d(a)));
      case Op.TAN: return this.mul(this.add(this.one, this.make(Op.POWI, [id], 2)), d(a));
      case Op.TANH: return this.mul(this.sub(this.one, this.make(Op.POWI, [id], 2)), d(a));
      case Op.SINH: return this.mul(this.un(Op.COSH, a), d(a));
      case Op.COSH: return this.mul(this.un(Op.SINH, a), d(a));
      case Op.ATAN: return this.div(d(a), this.add(this.one, this.make(Op.POWI, [a], 2)));
      case Op.ATAN2: {
        // atan2(a, b)' = (b a' - a b') / (a^2 + b^2)
        const da = d(a), db = d(b);
        const num = this.sub(this.mul(b, da), this.mul(a, db));
        return this.div(num, this.add(this.make(Op.POWI, [a], 2), this.make(Op.POWI, [b], 2)));
      }
      case Op.MIN: return this.make(Op.SELECT, [this.sub(b, a), d(a), d(b)]);
      case Op.MAX: return this.make(Op.SELECT, [this.sub(a, b), d(a), d(b)]);
      case Op.SIGMOID: return this.mul(this.mul(id, this.sub(this.one, id)), d(a));
      case Op.SOFTPLUS: return this.mul(this.un(Op.SIGMOID, a), d(a));
      case Op.LSE: {
        // softmax weights exp(a_i - lse), the lse node shared
        let acc = Z;
        for (const ai of n.args) {
          const dai = d(ai);
          if (dai === Z) continue;
          acc = this.add(acc, this.mul(this.un(Op.EXP, this.sub(ai, id)), dai));
        }
        return acc;
      }
      case Op.ERF: {
        const da = d(a);
        if (da === Z) return Z;
        const g = this.mul(this.constant(2 / Math.sqrt(Math.PI)), this.un(Op.EXP, this.neg(this.make(Op.POWI, [a], 2))));
        return this.mul(g, da);
      }
      case Op.SIGN: return Z;
      case Op.SELECT: return this.make(Op.SELECT, [a, d(b), d(c)]);
      default:
        throw new Error(`formula IR: no derivative for op ${n.op}`);
    }
  }

  /** The node as formula text (for messages), cut to `max` characters. */
  print(id: number, paramNames: readonly string[], max = 80): string {
    const memo = new Map<number, string>();
    const p = (i: number): string => {
      const hit = memo.get(i);
      if (hit !== undefined) return hit;
      const n = this.node(i);
      const args = n.args.map(p);
      const [a = '', b = ''] = args;
      let s: string;
      switch (n.op) {
        case Op.CONST: s = n.k < 0 ? `(${formatNumber(n.k)})` : formatNumber(n.k); break;
        case Op.X: s = 'x'; break;
        case Op.Y: s = 'y'; break;
        case Op.PARAM: s = paramNames[n.k] ?? `p${n.k}`; break;
        case Op.ADD: s = `(${a} + ${b})`; break;
        case Op.SUB: s = `(${a} - ${b})`; break;
        case Op.MUL: s = `${a} * ${b}`; break;
        case Op.DIV: s = `${a} / ${b}`; break;
        case Op.NEG: s = `(-${a})`; break;
        case Op.POW: s = `${a}^${b}`; break;
        case Op.POWI: s = `${a}^${n.k < 0 ? `(${n.k})` : n.k}`; break;
        case Op.SELECT: s = `(${a} >= 0 ? ${b} : ${args[2] ?? ''})`; break;
        default: s = `${OP_NAMES[n.op]}(${args.join(', ')})`;
      }
      if (s.length > 4 * max) s = `${s.slice(0, 4 * max)}...`;
      memo.set(i, s);
      return s;
    };
    for (let i = 0; i <= id; i++) if (this.reaches(id, i)) p(i);
    const s = p(id);
    return s.length > max ? `${s.slice(0, max - 3)}...` : s;
  }
}

const UNARY_OP: Record<Exclude<FunctionName, 'pow' | 'atan2' | 'min' | 'max' | 'logsumexp'>, OpCode> = {
  exp: Op.EXP, log: Op.LOG, log1p: Op.LOG1P, sqrt: Op.SQRT, abs: Op.ABS, sin: Op.SIN, cos: Op.COS, tan: Op.TAN,
  tanh: Op.TANH, sinh: Op.SINH, cosh: Op.COSH, atan: Op.ATAN, sigmoid: Op.SIGMOID, softplus: Op.SOFTPLUS, erf: Op.ERF,
};

/** Shortest round-tripping decimal, with a '.0' when it would read as an integer. */
export function formatNumber(v: number): string {
  const s = String(v);
  return /[.eE]/.test(s) || !Number.isFinite(v) ? s : `${s}.0`;
}

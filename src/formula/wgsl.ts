/**
 * The WGSL emitter: each live IR node is one `let` (so common subexpressions are computed once),
 * leaves are written inline (p.x, p.y, a literal, formula_params[i / 4][i % 4]). The text is
 * assembled from the IR, never from the user's text: the only things copied into WGSL are op
 * names from a fixed table and numbers printed by formatNumber (finite, within f32 range), so no
 * user-chosen character reaches the shader. (STYLE.md 2 keeps hand-written WGSL in .wgsl files;
 * a formula's WGSL cannot be, as it is made per formula: this module is the one place that makes it.)
 *
 * Stable forms (shared with the twin, src/formula/ops.ts): softplus = max(a, 0) + log1p(exp(-|a|));
 * sigmoid never takes exp of a positive number; logsumexp is max-shifted; log1p is written out
 * (WGSL has none) with the (log(u) * a / (u - 1)) correction; tanh beyond |a| = 4 is written with
 * exp(-2|a|); erf is a Taylor series below |a| = 0.5 and Abramowitz-Stegun 7.1.26 above
 * (|error| < 1.5e-7); a^b handles a negative base with an integer exponent like Math.pow.
 * Operations on constants that the folder refused (log(-3), exp(1000)) are emitted through
 * formula_rt so that WGSL's shader-creation-time constant evaluation never sees them.
 */
import { F32_MAX, MAX_PARAMS } from './grammar';
import { formatNumber, type Builder } from './ir';
import { Op, type OpCode } from './ops';
import { liveNodes } from './twin';

/** vec4 slots of the parameter uniform: `var<uniform> formula_params: array<vec4<f32>, FORMULA_PARAM_VEC4>`. */
export const FORMULA_PARAM_VEC4 = Math.ceil(MAX_PARAMS / 4);
/** Byte size of the parameter uniform. */
export const FORMULA_PARAM_BYTES = 16 * FORMULA_PARAM_VEC4;

/** The helper functions every emitted formula may call (emitted once per module). */
export const FORMULA_PRELUDE = /* wgsl */ `
fn formula_rt(a: f32) -> f32 {
  return a;
}
fn formula_log1p(a: f32) -> f32 {
  let u = 1.0 + a;
  if (u == 1.0) { return a; }
  return log(u) * (a / (u - 1.0));
}
fn formula_sigmoid(a: f32) -> f32 {
  let e = exp(-abs(a));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), a >= 0.0);
}
fn formula_softplus(a: f32) -> f32 {
  return max(a, 0.0) + formula_log1p(exp(-abs(a)));
}
fn formula_tanh(a: f32) -> f32 {
  let e = exp(-2.0 * abs(a));
  return select(tanh(a), sign(a) * (1.0 - e) / (1.0 + e), abs(a) > 4.0);
}
fn formula_erf(a: f32) -> f32 {
  let z = abs(a);
  if (z < 0.5) {
    let s = a * a;
    return 1.1283791670955126 * a * (1.0 - s * (1.0 / 3.0 - s * (0.1 - s * (1.0 / 42.0 - s * (1.0 / 216.0 - s * (1.0 / 1320.0 - s / 9360.0))))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let q = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign(a) * (1.0 - q * exp(-z * z));
}
fn formula_powi(a: f32, k: i32) -> f32 {
  var base = a;
  var n = abs(k);
  var r = 1.0;
  loop {
    if ((n & 1) != 0) { r = r * base; }
    n = n >> 1u;
    if (n == 0) { break; }
    base = base * base;
  }
  return select(r, 1.0 / r, k < 0);
}
fn formula_pow(a: f32, b: f32) -> f32 {
  if (a > 0.0) { return pow(a, b); }
  if (a == 0.0) { return select(select(1.0 / a, 1.0, b == 0.0), 0.0, b > 0.0); }
  if (b != round(b)) { return sqrt(a); }
  let r = pow(-a, b);
  return select(r, -r, fract(0.5 * b) != 0.0);
}
`;

/** Smallest normal f32: smaller constants are written as 0 (an absolute change below 1.2e-38). */
const F32_MIN_NORMAL = 1.1754943508222875e-38;

function literal(v: number): string {
  if (!Number.isFinite(v) || Math.abs(v) > F32_MAX) throw new Error(`formula WGSL: constant ${v} is not an f32`);
  if (Math.abs(v) < F32_MIN_NORMAL) return '0.0';
  const s = formatNumber(Math.abs(v));
  return v < 0 ? `(-${s})` : s;
}

const UNARY_WGSL: Partial<Record<OpCode, string>> = {
  [Op.EXP]: 'exp', [Op.LOG]: 'log', [Op.LOG1P]: 'formula_log1p', [Op.SQRT]: 'sqrt', [Op.ABS]: 'abs', [Op.SIN]: 'sin',
  [Op.COS]: 'cos', [Op.TAN]: 'tan', [Op.TANH]: 'formula_tanh', [Op.SINH]: 'sinh', [Op.COSH]: 'cosh', [Op.ATAN]: 'atan',
  [Op.SIGMOID]: 'formula_sigmoid', [Op.SOFTPLUS]: 'formula_softplus', [Op.ERF]: 'formula_erf', [Op.SIGN]: 'sign',
};

export interface WgslFunction {
  name: string;
  /** The returned outputs (IR node ids): 1 -> f32, 2 -> vec2<f32>, 3 -> vec3<f32>. */
  outputs: readonly number[];
  /**
   * Where parameter i is read: 'uniform' (default) formula_params[i / 4][i % 4] (formulaParamsDecl);
   * 'target' tgt.data[i / 4][i % 4], the existing target uniform of shaders/common/targets.wgsl (no new binding);
   * 'landscape' L.v[i] (i < 4) or L.w[i - 4] of the Landscape struct of shaders/common/landscapes.wgsl,
   * passed as the function's first argument: `fn NAME(L: Landscape, p: vec2<f32>)`.
   */
  params?: 'uniform' | 'target' | 'landscape';
}

/** One WGSL function `fn NAME(p: vec2<f32>) -> T` returning `outputs`. */
export function emitFunction(builder: Builder, fn: WgslFunction): string {
  const ids = liveNodes(builder, fn.outputs);
  const ref = (id: number): string => {
    const n = builder.node(id);
    switch (n.op) {
      case Op.CONST: return literal(n.k);
      case Op.X: return 'p.x';
      case Op.Y: return 'p.y';
      case Op.PARAM:
        if (fn.params === 'landscape') return `L.${n.k < 4 ? 'v' : 'w'}[${n.k & 3}]`;
        return `${fn.params === 'target' ? 'tgt.data' : 'formula_params'}[${n.k >> 2}][${n.k & 3}]`;
      default: return `t${id}`;
    }
  };
  const lines: string[] = [];
  for (const id of ids) {
    const n = builder.node(id);
    if (n.op === Op.CONST || n.op === Op.X || n.op === Op.Y || n.op === Op.PARAM) continue;
    // an operation on constants only is one the folder refused (its value is not a finite f32: log(-3),
    // exp(1000), 1 / 0); WGSL would evaluate it when the shader is created and fail, so its constants
    // go through formula_rt (a function call is never a const-expression) and it fails at run time,
    // where the twin's checks name it
    const allConst = n.args.length > 0 && n.args.every((id) => builder.node(id).op === Op.CONST);
    const arg = (id: number): string => (allConst ? `formula_rt(${ref(id)})` : ref(id));
    const [a = '', b = '', c = ''] = n.args.map(arg);
    let e: string;
    switch (n.op) {
      case Op.ADD: e = `${a} + ${b}`; break;
      case Op.SUB: e = `${a} - ${b}`; break;
      case Op.MUL: e = `${a} * ${b}`; break;
      case Op.DIV: e = `${a} / ${b}`; break;
      case Op.NEG: e = `-${a}`; break;
      case Op.POW: e = `formula_pow(${a}, ${b})`; break;
      case Op.POWI: {
        const k = n.k;
        if (k === 2) e = `${a} * ${a}`;
        else if (k === 3) e = `${a} * ${a} * ${a}`;
        else if (k === -1) e = `1.0 / ${a}`;
        else if (k === -2) e = `1.0 / (${a} * ${a})`;
        else e = `formula_powi(${a}, ${k})`;
        break;
      }
      case Op.ATAN2: e = `atan2(${a}, ${b})`; break;
      case Op.MIN: e = `min(${a}, ${b})`; break;
      case Op.MAX: e = `max(${a}, ${b})`; break;
      case Op.SELECT: e = `select(${c}, ${b}, ${a} >= 0.0)`; break;
      case Op.LSE: {
        const args = n.args.map(arg);
        const m = args.slice(1).reduce((acc, v) => `max(${acc}, ${v})`, args[0] ?? '0.0');
        lines.push(`  let m${id} = ${m};`);
        e = `m${id} + log(${args.map((v) => `exp(${v} - m${id})`).join(' + ')})`;
        break;
      }
      default: {
        const f = UNARY_WGSL[n.op];
        if (!f) throw new Error(`formula WGSL: no emitter for op ${n.op}`);
        e = `${f}(${a})`;
      }
    }
    lines.push(`  let t${id} = ${e};`);
  }
  const outs = fn.outputs.map(ref);
  const type = outs.length === 1 ? 'f32' : `vec${outs.length}<f32>`;
  const ret = outs.length === 1 ? (outs[0] ?? '0.0') : `${type}(${outs.join(', ')})`;
  const args = fn.params === 'landscape' ? 'L: Landscape, p: vec2<f32>' : 'p: vec2<f32>';
  return `fn ${fn.name}(${args}) -> ${type} {\n${lines.join('\n')}${lines.length ? '\n' : ''}  return ${ret};\n}\n`;
}

/** The parameter uniform's declaration at (group, binding). */
export function formulaParamsDecl(group: number, binding: number): string {
  return `@group(${group}) @binding(${binding}) var<uniform> formula_params: array<vec4<f32>, ${FORMULA_PARAM_VEC4}>;\n`;
}

/** Pack parameter values (in the formula's order) for the uniform. */
export function packFormulaParams(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(4 * FORMULA_PARAM_VEC4);
  for (let i = 0; i < Math.min(values.length, MAX_PARAMS); i++) out[i] = values[i] ?? 0;
  return out;
}

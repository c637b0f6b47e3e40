/**
 * Compile a formula (issue 20): parse + whitelist (grammar.ts) -> IR with its gradient (and, for
 * landscapes V and W, its Hessian) by symbolic differentiation on the IR (ir.ts) -> a float64
 * twin (twin.ts) and WGSL functions (wgsl.ts), plus a structureKey that names the WGSL's
 * structure and not the parameters' values (a pipeline is rebuilt only when it changes).
 *
 * Outputs, in the twin's `out` order and in WGSL:
 *   logp: [logp, dlogp/dx, dlogp/dy]       fn formula_logp(p) -> f32, fn formula_grad(p) -> vec2<f32>
 *   V, W: [F, dF/dx, dF/dy, Fxx, Fxy, Fyy] fn formula_V(p) -> f32, formula_V_grad(p) -> vec2<f32>,
 *                                          formula_V_hess(p) -> vec3<f32> (xx, xy, yy); same with W.
 */
import { FormulaError, MAX_PARAMS, parseFormula, type FormulaKind, type ParsedFormula } from './grammar';
import { Builder } from './ir';
import { compileProgram, runProgram, type Program } from './twin';
import { emitFunction, FORMULA_PRELUDE } from './wgsl';

export interface CompiledFormula {
  kind: FormulaKind;
  text: string;
  /** Parameter names; a value array is in this order (the uniform's slots). */
  params: string[];
  builder: Builder;
  /** IR node ids: the value, its gradient, and (V, W) the Hessian [xx, xy, yy]. */
  value: number;
  grad: [number, number];
  hess?: [number, number, number];
  /** value, gx, gy (, hxx, hxy, hyy) */
  program: Program;
  /** Changes when the WGSL changes; not when a parameter's value does. */
  structureKey: string;
  /** Evaluate the twin: writes the outputs (see the header) into `out`. */
  evaluate(x: number, y: number, params: ArrayLike<number>, out: Float64Array): void;
}

export interface CompileOptions {
  /**
   * Parameter names already in use (e.g. V's when compiling W): they keep their slots and new names
   * are appended, so V and W of one landscape share one parameter uniform.
   */
  params?: readonly string[];
}

/** 53-bit string hash (cyrb53), as hex. */
function hash(s: string): string {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

function programKey(kind: string, p: Program): string {
  return `${kind}:${p.n}:${hash([...p.op].join(',') + '|' + [...p.a].join(',') + '|' + [...p.b].join(',') + '|' + [...p.c].join(',') + '|' + [...p.k].join(',') + '|' + [...p.list].join(',') + '|' + [...p.outputs].join(','))}`;
}

export function compileFormula(text: string, kind: FormulaKind, opts: CompileOptions = {}): CompiledFormula {
  const parsed: ParsedFormula = parseFormula(text, kind);
  const params = [...(opts.params ?? [])];
  for (const name of parsed.params) if (!params.includes(name)) params.push(name);
  if (params.length > MAX_PARAMS) throw new FormulaError(kind, `more than ${MAX_PARAMS} parameters in all (${params.join(', ')}): the limit is ${MAX_PARAMS}`);
  const builder = new Builder();
  let value: number;
  try {
    value = builder.fromAst(parsed.ast, (name) => params.indexOf(name));
  } catch (err) {
    throw new FormulaError(kind, `cannot compile: ${err instanceof Error ? err.message : String(err)}`);
  }
  const memoX = new Map<number, number>(), memoY = new Map<number, number>();
  const grad: [number, number] = [builder.derivative(value, builder.x, memoX), builder.derivative(value, builder.y, memoY)];
  let hess: [number, number, number] | undefined;
  if (kind !== 'logp') {
    hess = [builder.derivative(grad[0], builder.x, memoX), builder.derivative(grad[0], builder.y, memoY), builder.derivative(grad[1], builder.y, memoY)];
  }
  const outputs = hess ? [value, ...grad, ...hess] : [value, ...grad];
  const program = compileProgram(builder, outputs);
  const vals = new Float64Array(program.n);
  return {
    kind,
    text,
    params,
    builder,
    value,
    grad,
    ...(hess ? { hess } : {}),
    program,
    structureKey: programKey(kind, program),
    evaluate(x, y, p, out) {
      runProgram(program, x, y, p, out, vals);
    },
  };
}

/** Compile a landscape's V and W with one shared parameter list (V's names first). */
export function compileLandscape(vText: string, wText: string): { V: CompiledFormula; W: CompiledFormula; params: string[] } {
  const V0 = compileFormula(vText, 'V');
  const W = compileFormula(wText, 'W', { params: V0.params });
  // V again with W's extra names so both index the same slots (names V does not use are unused)
  const V = W.params.length === V0.params.length ? V0 : compileFormula(vText, 'V', { params: W.params });
  return { V, W, params: W.params };
}

/** The WGSL function names of a compiled formula (see the header). */
export function wgslNames(f: CompiledFormula): { value: string; grad: string; hess?: string } {
  if (f.kind === 'logp') return { value: 'formula_logp', grad: 'formula_grad' };
  return { value: `formula_${f.kind}`, grad: `formula_${f.kind}_grad`, hess: `formula_${f.kind}_hess` };
}

/**
 * The WGSL functions of one or more formulas (the prelude once). Parameters are read from
 * `formula_params` (the module declares it: wgsl.ts formulaParamsDecl), or with params 'target'
 * from `tgt.data` (shaders/common/targets.wgsl's uniform: slots 0 and 1 hold the 8 values).
 */
export function emitWgsl(formulas: readonly CompiledFormula[], params: 'uniform' | 'target' | 'landscape' = 'uniform'): string {
  const parts = [FORMULA_PRELUDE];
  for (const f of formulas) {
    const names = wgslNames(f);
    parts.push(`// ${f.kind}: structure ${f.structureKey}\n`);
    parts.push(emitFunction(f.builder, { name: names.value, outputs: [f.value], params }));
    parts.push(emitFunction(f.builder, { name: names.grad, outputs: f.grad, params }));
    if (f.hess && names.hess) parts.push(emitFunction(f.builder, { name: names.hess, outputs: f.hess, params }));
  }
  return parts.join('\n');
}

/**
 * The chunk a target module variant appends to shaders/common/targets.wgsl for a formula target:
 * `fn target_formula(x: vec2f) -> vec3f` = (score, logp), the case `target_eval` would dispatch to
 * (kind 11), with the parameters in tgt.data. Without a formula, a stub returning 0 (so one
 * targets.wgsl serves every module). A pipeline is keyed by the formula's structureKey.
 */
export function targetFormulaChunk(f: CompiledFormula | undefined): string {
  if (!f) return 'fn target_formula(x: vec2f) -> vec3f {\n  return vec3f(0.0);\n}\n';
  if (f.kind !== 'logp') throw new Error(`targetFormulaChunk: a ${f.kind} formula is not a density`);
  return `${emitWgsl([f], 'target')}\nfn target_formula(x: vec2f) -> vec3f {\n  return vec3f(formula_grad(x), formula_logp(x));\n}\n`;
}

/**
 * The chunk a landscape module variant appends to shaders/common/landscapes.wgsl for a formula
 * landscape (vKind 4, wKind 4): land_formula_V / _V_grad / _V_hess (L, x) and land_formula_W /
 * _W_grad / _W_hess (L, z) of z = x - y, with the parameters read from the Landscape uniform
 * (0-3 in L.v, 4-7 in L.w: MAX_PARAMS = 8 fit). V and W share one parameter list (compileLandscape).
 */
export function landscapeFormulaChunk(V: CompiledFormula, W: CompiledFormula): string {
  if (V.kind !== 'V' || W.kind !== 'W' || !V.hess || !W.hess) throw new Error('landscapeFormulaChunk: needs V and W compiled as landscapes');
  if (V.params.join(',') !== W.params.join(',')) throw new Error('landscapeFormulaChunk: V and W must share their parameter list (compileLandscape)');
  const parts = [FORMULA_PRELUDE];
  for (const f of [V, W]) {
    const hess = f.hess ?? [f.value, f.value, f.value];
    parts.push(`// ${f.kind}: structure ${f.structureKey}\n`);
    parts.push(emitFunction(f.builder, { name: `land_formula_${f.kind}`, outputs: [f.value], params: 'landscape' }));
    parts.push(emitFunction(f.builder, { name: `land_formula_${f.kind}_grad`, outputs: f.grad, params: 'landscape' }));
    parts.push(emitFunction(f.builder, { name: `land_formula_${f.kind}_hess`, outputs: hess, params: 'landscape' }));
  }
  return parts.join('\n');
}

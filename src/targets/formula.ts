/**
 * The `formula` target (issue 20): log pi(x, y) typed as a formula (grammar: src/formula/grammar.ts),
 * compiled by src/formula/ into a float64 twin (used here: density, score, the CPU engine through
 * PackedTarget.evalPoint, see src/reference/targetEval.ts) and WGSL: the packed target (kind 11)
 * carries `shader` = targetFormulaChunk(formula) keyed by the formula's structure key, which every
 * GPU module reading the target splices in (src/gpu/shaders.ts), and its parameter values in data
 * slots 0-1 (tgt.data, the uniform the GPU run rewrites when a parameter moves: no recompilation).
 *
 * Parameters: `logp` (the text) and the formula's own named parameters as numbers
 * (`formulaParamSpecs(text)`, default FORMULA_PARAM_DEFAULT). The static `params` list holds only
 * `logp`; a caller that knows the text (CLI, URL, UI) asks formulaParamSpecs for the rest.
 *
 * create(): compile (a FormulaError, which is a ParamError naming logp, on bad text) -> grid check
 * of the numerics on CHECK_BOX -> tail check -> the view from grid quadrature (the box holding all
 * but 1e-3 of the mass per axis, squared and padded) -> an exact-enough sampler: cells of a
 * SAMPLE_GRID x SAMPLE_GRID grid over the padded view drawn by their mass, uniform within a cell
 * (as image targets are).
 */
import { compileFormula, compileLandscape, landscapeFormulaChunk, targetFormulaChunk, type CompiledFormula } from '../formula/compile';
import { FORMULA_GRAMMAR, FormulaError, parseFormula, type FormulaKind } from '../formula/grammar';
import { FORMULA_PRESETS } from '../formula/presets';
import { checkGrid, checkTails, gridQuadrature, type Box } from '../formula/numerics';
import { ParamError, type ParamSpec, type Params } from '../core/params';
import type { LandscapeHost, PackedLandscape } from '../reference/landscapes';
import { Rng } from '../reference/philox';
import { squareView } from './gaussian';
import { firstAbove } from './image';
import { emptyPacked, TargetKind } from './pack';
import type { PackedTarget, TargetDef, TargetInstance, TargetTextEditor } from './types';

/** The packed kind of a formula target: kind 11 of shaders/common/targets.wgsl, `target_formula` from PackedTarget.shader. */
export const FORMULA_TARGET_KIND = TargetKind.formula;
export const FORMULA_PARAM_DEFAULT = 1;
export const FORMULA_PARAM_RANGE = 100;
export const FORMULA_DEFAULT_LOGP = '-((x^2 + y^2 - 4)^2) / 0.5';
/** Box of the numerics grid check (value and gradient on a 65 x 65 grid). */
export const CHECK_BOX: Box = [-8, 8, -8, 8];
/** Box of the first quadrature that finds the view (widened to WIDE_BOX when the mass reaches its edge). */
export const SEARCH_BOX: Box = [-12, 12, -12, 12];
export const WIDE_BOX: Box = [-60, 60, -60, 60];
export const SAMPLE_GRID = 256;

/**
 * A packed target evaluated on the host: src/reference/targetEval.ts targetEvalPoint calls evalPoint
 * (returning [score_x, score_y, logp]) before its switch on kind.
 */
export interface FormulaPackedTarget extends PackedTarget {
  evalPoint(x: number, y: number): [number, number, number];
  formula: CompiledFormula;
  /** The parameters' values, in formula.params order (the uniform's slots). */
  values: number[];
}

const LOGP_SPEC: ParamSpec = {
  name: 'logp', label: 'log π(x, y)', kind: 'json', default: FORMULA_DEFAULT_LOGP,
  description: 'log pi(x, y), unnormalised, as a formula in x and y (see wgf list for the grammar)',
};

/** The parameter list for formula `text`: logp, then one number per named parameter (none when the text does not parse). */
export function formulaParamSpecs(text: string): ParamSpec[] {
  let names: string[] = [];
  try {
    names = compileFormula(text, 'logp').params;
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
  }
  return [LOGP_SPEC, ...names.map((name): ParamSpec => ({
    name, label: name, kind: 'number', default: FORMULA_PARAM_DEFAULT, min: -FORMULA_PARAM_RANGE, max: FORMULA_PARAM_RANGE, step: 0.01,
    description: `the formula's parameter ${name}`,
  }))];
}

/** The number spec of a formula's own parameter `name`. */
function numberSpec(name: string, whose: string): ParamSpec {
  return {
    name, label: name, kind: 'number', default: FORMULA_PARAM_DEFAULT, min: -FORMULA_PARAM_RANGE, max: FORMULA_PARAM_RANGE, step: 0.01,
    description: `${whose} parameter ${name}`,
  };
}

/**
 * TargetDef.paramsFor of the formula targets: the text specs, then one number per named parameter
 * of the texts (in order of first appearance, V's before W's). Parses only (the grammar's checks:
 * length, nesting, names, parameter count); throws FormulaError (a ParamError naming the text
 * parameter) when a text is refused, so a bad formula in a link or on the command line is named
 * before any target is built.
 */
function textParamsFor(textSpecs: readonly ParamSpec[], given: Params): ParamSpec[] {
  const names: string[] = [];
  for (const spec of textSpecs) {
    const v = given[spec.name] ?? spec.default;
    if (typeof v !== 'string') throw new FormulaError(spec.name, 'expected the formula as text');
    for (const n of parseFormula(v, spec.name as FormulaKind).params) if (!names.includes(n)) names.push(n);
  }
  const whose = textSpecs.length > 1 ? "the formulas'" : "the formula's";
  return [...textSpecs, ...names.map((n) => numberSpec(n, whose))];
}

/** The side panel's formula box(es) and the gallery (src/formula/presets.ts) of the given kind. */
function textEditor(fields: string[], landscape: boolean): TargetTextEditor {
  return {
    fields,
    help: FORMULA_GRAMMAR,
    presets: FORMULA_PRESETS.filter((p) => (p.logp === undefined) === landscape).map((p) => ({
      id: p.id, label: p.label, text: p.text,
      params: { ...(p.logp !== undefined ? { logp: p.logp } : {}), ...(p.V !== undefined ? { V: p.V } : {}), ...(p.W !== undefined ? { W: p.W } : {}), ...p.values },
    })),
  };
}

/** Quantile box of the quadrature's marginals: [q, 1 - q] per axis. */
function massBox(xs: Float64Array, mx: Float64Array, ys: Float64Array, my: Float64Array, q: number): Box {
  const range = (c: Float64Array, m: Float64Array): [number, number] => {
    const h = (c[1] ?? 0) - (c[0] ?? 0);
    let s = 0, lo = c[0] ?? 0, hi = c[c.length - 1] ?? 0, seenLo = false;
    for (let i = 0; i < m.length; i++) {
      s += (m[i] ?? 0) * h;
      if (!seenLo && s >= q) { lo = (c[i] ?? 0) - h / 2; seenLo = true; }
      if (s >= 1 - q) { hi = (c[i] ?? 0) + h / 2; break; }
    }
    return [lo, hi];
  };
  const [x0, x1] = range(xs, mx), [y0, y1] = range(ys, my);
  return [x0, x1, y0, y1];
}

/** Build the instance of formula `text` with parameter values from `params` (names of the formula; missing ones take the default). */
export function formulaInstance(text: string, params: Params): TargetInstance {
  const f = compileFormula(text, 'logp');
  const values = f.params.map((name) => {
    const v = params[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : FORMULA_PARAM_DEFAULT;
  });
  checkGrid(f, values, CHECK_BOX);
  checkTails(f, values);
  let q = gridQuadrature(f, values, SEARCH_BOX, 160, 160);
  let box = massBox(q.xs, q.marginalX, q.ys, q.marginalY, 1e-3);
  const edge = (b: Box, s: Box): boolean => b[0] <= s[0] + 0.5 || b[1] >= s[1] - 0.5 || b[2] <= s[2] + 0.5 || b[3] >= s[3] - 0.5;
  if (edge(box, SEARCH_BOX)) {
    q = gridQuadrature(f, values, WIDE_BOX, 400, 400);
    box = massBox(q.xs, q.marginalX, q.ys, q.marginalY, 1e-3);
  }
  const minHalf = 0.5;
  const cx = (box[0] + box[1]) / 2, cy = (box[2] + box[3]) / 2;
  const hx = Math.max(minHalf, (box[1] - box[0]) / 2), hy = Math.max(minHalf, (box[3] - box[2]) / 2);
  const view = squareView(cx - hx, cx + hx, cy - hy, cy + hy);

  // the sampler's grid: the view padded by half its size
  const pad = 0.5 * (view[1] - view[0]);
  const sbox: Box = [view[0] - pad, view[1] + pad, view[2] - pad, view[3] + pad];
  const g = SAMPLE_GRID;
  const out = new Float64Array(f.program.outputs.length);
  const dx = (sbox[1] - sbox[0]) / g, dy = (sbox[3] - sbox[2]) / g;
  const lp = new Float64Array(g * g);
  let lmax = -Infinity;
  for (let j = 0; j < g; j++) {
    for (let i = 0; i < g; i++) {
      f.evaluate(sbox[0] + (i + 0.5) * dx, sbox[2] + (j + 0.5) * dy, values, out);
      const v = out[0] ?? -Infinity;
      lp[j * g + i] = v;
      if (v > lmax) lmax = v;
    }
  }
  const cum = new Float64Array(g * g);
  let s = 0;
  for (let k = 0; k < g * g; k++) {
    s += Math.exp((lp[k] ?? -Infinity) - lmax);
    cum[k] = s;
  }
  const sample = (rng: Rng, n: number): Float64Array => {
    const pts = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const k = firstAbove(cum, rng.uniform() * s);
      const ci = k % g, cj = Math.floor(k / g);
      pts[2 * i] = sbox[0] + (ci + rng.uniform()) * dx;
      pts[2 * i + 1] = sbox[2] + (cj + rng.uniform()) * dy;
    }
    return pts;
  };

  const evalOut = new Float64Array(f.program.outputs.length);
  const evalPoint = (x: number, y: number): [number, number, number] => {
    f.evaluate(x, y, values, evalOut);
    return [evalOut[1] ?? NaN, evalOut[2] ?? NaN, evalOut[0] ?? NaN];
  };
  const packed: FormulaPackedTarget = {
    ...emptyPacked(TargetKind.none), kind: FORMULA_TARGET_KIND, evalPoint, formula: f, values,
    shader: { key: `formula:${f.structureKey}`, code: targetFormulaChunk(f) },
  };
  // the parameters in data slots 0-1, where the WGSL of targetFormulaChunk (src/formula/compile.ts) reads them (tgt.data)
  packed.data.set(values, 0);
  return {
    id: 'formula',
    params,
    packed,
    view,
    logDensity: (x, y) => evalPoint(x, y)[2],
    score: (x, y) => {
      const e = evalPoint(x, y);
      return [e[0], e[1]];
    },
    sample,
  };
}

export const formulaTarget: TargetDef = {
  id: 'formula',
  label: 'Formula',
  description: 'log pi(x, y) typed as a formula: x, y, numbers, named parameters, + - * / ^, exp log log1p sqrt abs sin cos tan tanh sinh cosh atan atan2 min max pow sigmoid softplus logsumexp erf, pi, e.',
  about: {
    tex: String.raw`\log \pi(x, y) = \text{your formula} + \text{const}`,
    text: 'Type an unnormalised log-density in x and y; names other than the built-in functions and constants become parameters. It is checked on a grid (log of a negative number, division by zero, overflow, tails whose mass is not finite) and compiled to WGSL and a float64 twin, gradients by symbolic differentiation.',
    params: { logp: 'The unnormalised log-density log π(x, y) as a formula.' },
  },
  params: [LOGP_SPEC],
  paramsFor: (params) => textParamsFor([LOGP_SPEC], params),
  textEditor: textEditor(['logp'], false),
  create(params) {
    const text = params.logp;
    if (typeof text !== 'string') throw new FormulaError('logp', 'expected the formula as text');
    return formulaInstance(text, params);
  },
};

/**
 * The packed vKind / wKind of a formula landscape: kind 4 of shaders/common/landscapes.wgsl, whose
 * land_formula_* functions come from PackedLandscape.shader (landscapeFormulaChunk); the twin reads
 * PackedLandscape.host. The parameter values sit in v (0-3) and w (4-7) of the Landscape uniform.
 */
export const FORMULA_LANDSCAPE_KIND = 4;
export const FORMULA_DEFAULT_V = '(x^2 - 1)^2 / 4 + y^2 / 2';
export const FORMULA_DEFAULT_W = 'c (x^2 + y^2) / 2';
/** The view of a landscape whose exp(-V) has no finite mass (nothing to size it by). */
export const LANDSCAPE_FALLBACK_VIEW: Box = [-3, 3, -3, 3];

const V_SPEC: ParamSpec = {
  name: 'V', label: 'V(x, y)', kind: 'json', default: FORMULA_DEFAULT_V,
  description: 'the potential V(x, y) as a formula (see wgf list for the grammar)',
};
const W_SPEC: ParamSpec = {
  name: 'W', label: 'W(x, y)', kind: 'json', default: FORMULA_DEFAULT_W,
  description: 'the interaction W(x, y) of the difference (x, y) = x_i - x_j of two particles, as a formula; W(-z) = W(z)',
};

/** The parameter list of a formula landscape: V, W, then one number per named parameter of either (none when they do not parse). */
export function formulaLandscapeParamSpecs(vText: string, wText: string): ParamSpec[] {
  let names: string[] = [];
  try {
    names = compileLandscape(vText, wText).params;
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
  }
  return [V_SPEC, W_SPEC, ...names.map((name): ParamSpec => ({
    name, label: name, kind: 'number', default: FORMULA_PARAM_DEFAULT, min: -FORMULA_PARAM_RANGE, max: FORMULA_PARAM_RANGE, step: 0.01,
    description: `the formulas' parameter ${name}`,
  }))];
}

/** A formula landscape packed for the twin (host: the compiled V and W, the values) and the GPU (shader, v, w). */
export interface FormulaPackedLandscape extends PackedLandscape {
  host: LandscapeHost;
  formulas: { V: CompiledFormula; W: CompiledFormula };
  values: number[];
}

/** Build the instance of the landscape (V, W) with parameter values from `params`. */
export function formulaLandscapeInstance(vText: string, wText: string, params: Params): TargetInstance {
  const { V, W, params: names } = compileLandscape(vText, wText);
  const values = names.map((name) => {
    const v = params[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : FORMULA_PARAM_DEFAULT;
  });
  checkGrid(V, values, CHECK_BOX);
  checkGrid(W, values, CHECK_BOX);
  // W of a difference must be even: W(-z) = W(z) (F's interaction term is symmetric)
  const a = new Float64Array(6), b = new Float64Array(6);
  for (const [z0, z1] of [[0.7, -1.3], [2.1, 0.4], [-0.2, 3.3]] as const) {
    W.evaluate(z0, z1, values, a);
    W.evaluate(-z0, -z1, values, b);
    if (!(Math.abs((a[0] ?? NaN) - (b[0] ?? NaN)) <= 1e-9 * (1 + Math.abs(a[0] ?? 0)))) {
      throw new FormulaError('W', `W must be even, W(-x, -y) = W(x, y): W(${z0}, ${z1}) = ${a[0]} but W(${-z0}, ${-z1}) = ${b[0]}`);
    }
  }
  const host: LandscapeHost = {
    v: (x0, x1, out) => V.evaluate(x0, x1, values, out),
    w: (z0, z1, out) => W.evaluate(z0, z1, values, out),
  };
  const landscape: FormulaPackedLandscape = {
    host, vKind: FORMULA_LANDSCAPE_KIND, wKind: FORMULA_LANDSCAPE_KIND,
    v: Float64Array.from({ length: 4 }, (_, i) => values[i] ?? 0), w: Float64Array.from({ length: 4 }, (_, i) => values[4 + i] ?? 0),
    formulas: { V, W }, values,
    shader: { key: `formula-landscape:${V.structureKey}|${W.structureKey}`, code: landscapeFormulaChunk(V, W), landscape: true },
  };
  // the view: where exp(-V) holds its mass, when it has finite mass
  let view = squareView(...LANDSCAPE_FALLBACK_VIEW);
  try {
    const negV = compileFormula(`-(${vText})`, 'V', { params: names });
    const q = gridQuadrature(negV, values, SEARCH_BOX, 160, 160);
    const box = massBox(q.xs, q.marginalX, q.ys, q.marginalY, 1e-3);
    const hx = Math.max(1, (box[1] - box[0]) / 2), hy = Math.max(1, (box[3] - box[2]) / 2);
    const cx = (box[0] + box[1]) / 2, cy = (box[2] + box[3]) / 2;
    if ([hx, hy, cx, cy].every(Number.isFinite)) view = squareView(cx - hx, cx + hx, cy - hy, cy + hy);
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
  }
  const vOut = new Float64Array(6);
  return {
    id: 'formula-landscape',
    params,
    packed: emptyPacked(TargetKind.none),
    view,
    landscape,
    // for drawing only (the canvas shades V), as the built-in landscapes
    logDensity: (x, y) => { V.evaluate(x, y, values, vOut); return -(vOut[0] ?? NaN); },
    score: (x, y) => { V.evaluate(x, y, values, vOut); return [-(vOut[1] ?? NaN), -(vOut[2] ?? NaN)]; },
    defaultInit: (n, seed) => {
      const rng = new Rng(seed, 7);
      return Float64Array.from({ length: 2 * n }, () => rng.normal());
    },
  };
}

export const formulaLandscapeTarget: TargetDef = {
  id: 'formula-landscape',
  label: 'Formula landscape',
  description: 'An energy F(rho) = int V + 1/2 int int W(x - y) typed as two formulas V(x, y) and W(x, y) (see formula for the grammar).',
  about: {
    tex: String.raw`F(\rho) = \int V\, d\rho + \tfrac12 \iint W(x - y)\, d\rho(x)\, d\rho(y)`,
    text: 'Type the potential V and the interaction W of the difference of two particles; the landscape methods descend F with gradients and Hessian-vector products from the formulas\' symbolic derivatives.',
    params: { V: 'The potential V(x, y) as a formula.', W: 'The interaction W(x, y), even, of the difference of two particles.' },
  },
  params: [V_SPEC, W_SPEC],
  paramsFor: (params) => textParamsFor([V_SPEC, W_SPEC], params),
  textEditor: textEditor(['V', 'W'], true),
  create(params) {
    const v = params.V, w = params.W;
    if (typeof v !== 'string') throw new ParamError('V', 'V: expected the formula as text');
    if (typeof w !== 'string') throw new ParamError('W', 'W: expected the formula as text');
    return formulaLandscapeInstance(v, w, params);
  },
};

/** The targets typed as formulas (registered in src/targets/registry.ts allTargets). */
export const formulaTargets: readonly TargetDef[] = [formulaTarget, formulaLandscapeTarget];

/**
 * The formula grammar (issue 20): mathjs parses the text, then a whitelist walk keeps ONLY
 *   numbers, x, y, named parameters, + - * / ^, unary - and +, parentheses, implicit
 *   multiplication (2x, 3 x y, and `b (x - a)`: a name, a space, then a parenthesis, which mathjs
 *   would read as a call), the functions of FUNCTIONS and the constants pi, e;
 * everything else (other node types, operators, functions, names) is refused with a FormulaError
 * naming it. The text is never evaluated: mathjs is used for `parse` only (no evaluate / compile),
 * and what survives the walk is this module's own small tree (Ast), which src/formula/ir.ts turns
 * into the IR that the WGSL emitter and the float64 twin read.
 *
 * Limits (exported, stated in every refusal): MAX_FORMULA_LENGTH characters, MAX_NESTING levels of
 * brackets (parentheses and function calls, counted on the text before parsing, so a deep input
 * never reaches the recursive parser), MAX_PARAMS named parameters.
 */
import { parse as mathParse, type MathNode } from 'mathjs';
import { ParamError } from '../core/params';

export const MAX_FORMULA_LENGTH = 500;
export const MAX_NESTING = 40;
export const MAX_PARAMS = 8;
/** Largest finite f32: numbers beyond it cannot be written in WGSL. */
export const F32_MAX = 3.4028234663852886e38;

/** 'logp': log pi(x, y) (uses x and y); 'V': landscape potential V(x, y); 'W': interaction W(x, y) of the difference. */
export type FormulaKind = 'logp' | 'V' | 'W';

/** A refused or failing formula. A ParamError (so the CLI and the UI report it like any bad parameter) naming the formula's parameter (logp, V or W). */
export class FormulaError extends ParamError {
  constructor(kind: FormulaKind | string, message: string) {
    super(kind, `${kind}: ${message}`);
    this.name = 'FormulaError';
  }
}

/** The functions, with their argument counts (max Infinity: a list). */
export const FUNCTIONS = {
  exp: [1, 1], log: [1, 1], log1p: [1, 1], sqrt: [1, 1], abs: [1, 1],
  sin: [1, 1], cos: [1, 1], tan: [1, 1], tanh: [1, 1], sinh: [1, 1], cosh: [1, 1],
  atan: [1, 1], atan2: [2, 2], min: [1, Infinity], max: [1, Infinity], pow: [2, 2],
  sigmoid: [1, 1], softplus: [1, 1], logsumexp: [1, Infinity], erf: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;
export type FunctionName = keyof typeof FUNCTIONS;

export const CONSTANTS = { pi: Math.PI, e: Math.E } as const;

/** The grammar in a few lines, for `wgf list`, the UI's help and the docs (built from the constants above). */
export const FORMULA_GRAMMAR = [
  'A formula is an expression in x and y (log pi(x, y) for Target: Formula, unnormalised; V(x, y) and W(x, y) for a landscape, W a function of the difference of two particles):',
  '  numbers (1, 0.5, 2e-3), x, y, the constants pi and e, and parameters: any other name, a letter followed by letters or digits (a, sigma, k1); each becomes a number with a slider;',
  '  + - * / ^ (power, right-associative: -x^2 = -(x^2)), unary minus, parentheses, implicit products (2x, 3 x y, a (x - 1));',
  `  functions: ${Object.entries(FUNCTIONS).map(([name, [lo, hi]]) => (hi === Infinity ? `${name}(a, b, ...)` : lo === 2 ? `${name}(a, b)` : `${name}(a)`)).join(', ')};`,
  '  softplus(a) = log(1 + e^a), sigmoid(a) = 1 / (1 + e^-a), logsumexp(a, b, ...) = log(e^a + e^b + ...) are computed in stable forms: prefer them to log(exp(a) + exp(b)).',
  `Limits: ${MAX_FORMULA_LENGTH} characters, ${MAX_NESTING} levels of brackets, ${MAX_PARAMS} parameters. Refused: anything else (other functions, =, ;, ?:, comparisons, [], ., strings) and names JavaScript objects carry (constructor, __proto__, toString, ...).`,
  'log pi must use both x and y; it is checked on a grid (log of a negative number or of zero, division by zero, overflow) and in its tails (the mass on the plane must be finite).',
].join('\n');

/** Names JavaScript objects and functions carry: never parameter names. */
const JS_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  'prototype', 'constructor', '__proto__',
]);
/** Names a parameter may not take: the variables, the formula parameters' own names, number words. */
const RESERVED: ReadonlySet<string> = new Set(['x', 'y', 'logp', 'V', 'W', 'Infinity', 'NaN', 'undefined', 'null', 'true', 'false']);
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export type Ast =
  | { t: 'num'; v: number }
  | { t: 'x' }
  | { t: 'y' }
  | { t: 'param'; name: string }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Ast; b: Ast }
  | { t: 'neg'; a: Ast }
  | { t: 'call'; fn: FunctionName; args: Ast[] };

export interface ParsedFormula {
  kind: FormulaKind;
  text: string;
  ast: Ast;
  /** Parameter names in order of first appearance. */
  params: string[];
  usesX: boolean;
  usesY: boolean;
}

const BINARY: Record<string, '+' | '-' | '*' | '/' | '^'> = { add: '+', subtract: '-', multiply: '*', divide: '/', pow: '^' };

/** What the user sees for a refused mathjs node. */
function describe(node: MathNode): string {
  switch (node.type) {
    case 'AccessorNode': return 'property access (a.b, a[i])';
    case 'ArrayNode': return 'a matrix or list [...]';
    case 'AssignmentNode': return 'an assignment (=)';
    case 'BlockNode': return 'several statements (; or a new line)';
    case 'ConditionalNode': return 'a conditional (a ? b : c)';
    case 'FunctionAssignmentNode': return 'a function definition';
    case 'IndexNode': return 'indexing [...]';
    case 'ObjectNode': return 'an object {...}';
    case 'RangeNode': return 'a range (a:b)';
    case 'RelationalNode': return 'a comparison';
    default: return `'${node.type}'`;
  }
}

/** mathjs's syntax message ("Value expected (char 4)") as "column 4: value expected". */
function syntaxMessage(err: unknown, text: string, inserted: readonly number[]): string {
  const raw = err instanceof Error ? err.message : String(err);
  const m = /^(.*?)\s*\(char (\d+)\)\s*$/.exec(raw);
  const what = (m?.[1] ?? raw).trim();
  // the column in the user's text: minus the '*' inserted before it
  const col0 = m?.[2] !== undefined ? Number(m[2]) : undefined;
  const col = col0 === undefined ? undefined : col0 - inserted.filter((pos, i) => pos + i < col0 - 1).length;
  const lower = what.charAt(0).toLowerCase() + what.slice(1);
  if (col === undefined) return `cannot parse: ${lower}`;
  const shown = col <= text.length ? ` (at '${text.slice(col - 1, col + 9)}')` : ' (at the end)';
  return `column ${col}: ${lower}${shown}`;
}

/** Maximum bracket depth of the text ((), [], {}), and where it is first exceeded. */
function bracketDepth(text: string): { depth: number; column: number } {
  let d = 0, max = 0, column = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      d++;
      if (d > max) { max = d; column = i + 1; }
    } else if (c === ')' || c === ']' || c === '}') d = Math.max(0, d - 1);
  }
  return { depth: max, column };
}

/** Parse and whitelist `text`; throws FormulaError (never anything else) with a named message. */
export function parseFormula(text: string, kind: FormulaKind): ParsedFormula {
  if (typeof text !== 'string') throw new FormulaError(kind, 'expected the formula as text');
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(kind, `the formula is ${text.length} characters long: the limit is ${MAX_FORMULA_LENGTH}`);
  }
  if (text.trim() === '') throw new FormulaError(kind, `empty formula: write ${kind === 'logp' ? 'log pi(x, y)' : `${kind}(x, y)`}, e.g. -(x^2 + y^2) / 2`);
  const nest = bracketDepth(text);
  if (nest.depth > MAX_NESTING) {
    throw new FormulaError(kind, `nested ${nest.depth} levels deep (column ${nest.column}): the limit is ${MAX_NESTING} levels of brackets`);
  }
  // `b (x - a)` (a name, a space, a parenthesis) is a product, as on a blackboard; `b(x - a)` stays a call
  const inserted: number[] = [];
  const source = text.replace(/(?<![A-Za-z0-9_$.])([A-Za-z][A-Za-z0-9]*)(\s+)\(/g, (m: string, name: string, space: string, offset: number) => {
    if (Object.hasOwn(FUNCTIONS, name)) return m;
    inserted.push(offset + name.length);
    return `${name}*${space}(`;
  });
  let root: MathNode;
  try {
    root = mathParse(source);
  } catch (err) {
    throw new FormulaError(kind, syntaxMessage(err, text, inserted));
  }
  const params: string[] = [];
  let usesX = false, usesY = false;

  const walk = (node: MathNode): Ast => {
    switch (node.type) {
      case 'ParenthesisNode':
        return walk((node as unknown as { content: MathNode }).content);
      case 'ConstantNode': {
        const v = (node as unknown as { value: unknown }).value;
        if (typeof v !== 'number') throw new FormulaError(kind, `${JSON.stringify(v)} is not a number: only numbers, x, y and parameters are allowed`);
        if (!Number.isFinite(v) || Math.abs(v) > F32_MAX) throw new FormulaError(kind, `the number ${String(v)} is out of range (|v| <= ${F32_MAX.toExponential(3)}, the f32 limit)`);
        return { t: 'num', v };
      }
      case 'SymbolNode': {
        const name = (node as unknown as { name: string }).name;
        if (name === 'x') { usesX = true; return { t: 'x' }; }
        if (name === 'y') { usesY = true; return { t: 'y' }; }
        if (Object.hasOwn(CONSTANTS, name)) return { t: 'num', v: CONSTANTS[name as keyof typeof CONSTANTS] };
        if (Object.hasOwn(FUNCTIONS, name)) throw new FormulaError(kind, `the function ${name} needs its argument in parentheses: ${name}(...)`);
        if (!PARAM_NAME.test(name)) throw new FormulaError(kind, `'${name}' cannot be a parameter: a parameter name is a letter followed by letters or digits`);
        if (JS_NAMES.has(name) || RESERVED.has(name)) throw new FormulaError(kind, `'${name}' is a reserved name and cannot be a parameter`);
        if (!params.includes(name)) {
          if (params.length >= MAX_PARAMS) throw new FormulaError(kind, `more than ${MAX_PARAMS} parameters (${[...params, name].join(', ')}): the limit is ${MAX_PARAMS}`);
          params.push(name);
        }
        return { t: 'param', name };
      }
      case 'OperatorNode': {
        const op = node as unknown as { fn: string; op: string; args: MathNode[] };
        const args = op.args;
        if ((op.fn === 'unaryMinus' || op.fn === 'unaryPlus') && args.length === 1 && args[0]) {
          const a = walk(args[0]);
          return op.fn === 'unaryMinus' ? { t: 'neg', a } : a;
        }
        const bop = Object.hasOwn(BINARY, op.fn) ? BINARY[op.fn] : undefined;
        if (bop && args.length >= 2 && args[0]) {
          // mathjs builds binary nodes; fold any longer argument list left to right
          let acc = walk(args[0]);
          for (const arg of args.slice(1)) acc = { t: 'bin', op: bop, a: acc, b: walk(arg) };
          return acc;
        }
        throw new FormulaError(kind, `the operator '${op.op}' is not allowed: only + - * / ^ and unary -`);
      }
      case 'FunctionNode': {
        const f = node as unknown as { fn: MathNode; args: MathNode[] };
        if (f.fn.type !== 'SymbolNode') throw new FormulaError(kind, 'only named functions can be called, e.g. exp(x)');
        const name = (f.fn as unknown as { name: string }).name;
        if (!Object.hasOwn(FUNCTIONS, name)) {
          const product = PARAM_NAME.test(name) ? ` (for a product write ${name} * (...) or ${name} (...))` : '';
          throw new FormulaError(kind, `unknown function '${name}': the functions are ${Object.keys(FUNCTIONS).join(', ')}${product}`);
        }
        const fn = name as FunctionName;
        const [lo, hi] = FUNCTIONS[fn];
        const n = f.args.length;
        if (n < lo || n > hi) {
          const want = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : `at least ${lo} argument`;
          throw new FormulaError(kind, `${fn} takes ${want}, got ${n}`);
        }
        return { t: 'call', fn, args: f.args.map(walk) };
      }
      default:
        throw new FormulaError(kind, `${describe(node)} is not allowed in a formula`);
    }
  };

  let ast: Ast;
  try {
    ast = walk(root);
  } catch (err) {
    if (err instanceof FormulaError) throw err;
    throw new FormulaError(kind, `cannot read the formula: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (kind === 'logp') {
    if (!usesX && !usesY) throw new FormulaError(kind, 'the formula does not use x or y: log pi(x, y) must depend on both');
    if (!usesY) throw new FormulaError(kind, 'the formula does not use y: log pi(x, y) must depend on both x and y (its mass on the plane is not finite otherwise)');
    if (!usesX) throw new FormulaError(kind, 'the formula does not use x: log pi(x, y) must depend on both x and y (its mass on the plane is not finite otherwise)');
  }
  return { kind, text, ast, params, usesX, usesY };
}

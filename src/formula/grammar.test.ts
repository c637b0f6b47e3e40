/**
 * The formula grammar (src/formula/grammar.ts): what is accepted (with the parameters found), and
 * each refusal with its message (a FormulaError, also a ParamError naming logp / V / W); random
 * strings never throw anything but a FormulaError and finish in bounded time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../core/params';
import { compileFormula } from './compile';
import { FORMULA_GRAMMAR, FormulaError, FUNCTIONS, MAX_FORMULA_LENGTH, MAX_NESTING, MAX_PARAMS, parseFormula, type FormulaKind } from './grammar';

const ACCEPT: [text: string, kind: FormulaKind, params: string[]][] = [
  ['-(x^2 + y^2) / 2', 'logp', []],
  ['-((x^2 + y^2 - 4)^2) / 0.5', 'logp', []],
  ['log(exp(-(x-2)^2 - y^2) + exp(-(x+2)^2 - y^2))', 'logp', []],
  ['logsumexp(-(x-a)^2 - y^2, -(x+a)^2 - y^2, -x^2 - (y-b)^2)', 'logp', ['a', 'b']],
  ['-x^2/(2*sigma^2) - y^2/2', 'logp', ['sigma']],
  ['-2x^2 - 3 x y - y^2', 'logp', []],
  ['+x - -y', 'logp', []],
  ['-sqrt(x^2 + y^2 + 1) + abs(x) * 0 + sin(x) + cos(y) + tan(0.1 x) + tanh(y)', 'logp', []],
  ['sinh(x) - cosh(y) + atan(x) + atan2(y, x) + min(x, y, 1) + max(x, y) + pow(x, 2)', 'logp', []],
  ['sigmoid(x) + softplus(y) + erf(x) + log1p(x^2) + e^x - pi * y^2', 'logp', []],
  ['1.5e-3 * x - 2E2 * y', 'logp', []],
  ['x^2 + k1 * y', 'V', ['k1']],
  ['-(x / a)^2 / 2 - (y + b (x^2 - a^2))^2 / 2', 'logp', ['a', 'b']],
  ['x (y + 1) - y^2', 'logp', []],
  ['exp (x) + y', 'logp', []],
  ['x^2', 'V', []],
  ['a*b*c*d*f*g*h*k*x*y', 'logp', ['a', 'b', 'c', 'd', 'f', 'g', 'h', 'k']],
  ['x' + '+x'.repeat((MAX_FORMULA_LENGTH - 1) / 2 - 1) + '+y', 'logp', []],
  ['('.repeat(MAX_NESTING) + 'x + y' + ')'.repeat(MAX_NESTING), 'logp', []],
];

const REFUSE: [text: string, kind: FormulaKind, message: RegExp][] = [
  ['x +', 'logp', /^logp: column 4: unexpected end of expression \(at the end\)$/],
  ['(x + y', 'logp', /^logp: column 7: parenthesis \) expected/],
  ['x +* y', 'logp', /^logp: column 4: value expected \(at '\* y'\)$/],
  ['', 'logp', /^logp: empty formula/],
  ['-x^2', 'logp', /^logp: the formula does not use y/],
  ['-y^2', 'logp', /^logp: the formula does not use x/],
  ['3', 'logp', /^logp: the formula does not use x or y/],
  ['foo(x) + y', 'logp', /^logp: unknown function 'foo': the functions are exp, log, /],
  ['eval(x) + y', 'logp', /unknown function 'eval'/],
  ['x + y + constructor', 'logp', /'constructor' is a reserved name and cannot be a parameter/],
  ['x + y + toString', 'logp', /'toString' is a reserved name/],
  ['x + y + valueOf', 'logp', /'valueOf' is a reserved name/],
  ['x + y + hasOwnProperty', 'logp', /'hasOwnProperty' is a reserved name/],
  ['x + y + prototype', 'logp', /'prototype' is a reserved name/],
  ['x + y + __proto__', 'logp', /'__proto__' cannot be a parameter: a parameter name is a letter followed by letters or digits/],
  ['x + y + a_b', 'logp', /'a_b' cannot be a parameter/],
  ['x + y + Infinity', 'logp', /the number Infinity is out of range/],
  ['x + y + NaN', 'logp', /the number NaN is out of range/],
  ['x + y + logp', 'logp', /'logp' is a reserved name/],
  ['x.constructor + y', 'logp', /property access \(a.b, a\[i\]\) is not allowed/],
  ['x[1] + y', 'logp', /property access/],
  ['[x, y]', 'logp', /a matrix or list \[...\] is not allowed/],
  ['a = x + y', 'logp', /an assignment \(=\) is not allowed/],
  ['f(x) = x + y', 'logp', /a function definition is not allowed/],
  ['x > 0 ? x : y', 'logp', /a conditional \(a \? b : c\) is not allowed/],
  ['x; y', 'logp', /several statements/],
  ['x == y', 'logp', /the operator '==' is not allowed/],
  ['x! + y', 'logp', /the operator '!' is not allowed/],
  ["x' + y", 'logp', /the operator ''' is not allowed/],
  ['x mod y', 'logp', /the operator 'mod' is not allowed/],
  ['x % y', 'logp', /the operator '%' is not allowed|the operator 'mod' is not allowed/],
  ['1:3 + x + y', 'logp', /a range \(a:b\) is not allowed/],
  ['"x" + y', 'logp', /"x" is not a number/],
  ['true + x + y', 'logp', /true is not a number/],
  ['{a: 1} + x + y', 'logp', /an object \{...\} is not allowed/],
  ['1e400 * x + y', 'logp', /the number Infinity is out of range/],
  ['1e39 * x + y', 'logp', /the number 1e\+39 is out of range/],
  ['exp + x + y', 'logp', /the function exp needs its argument in parentheses: exp\(...\)/],
  ['exp(x, y)', 'logp', /exp takes 1 argument, got 2/],
  ['atan2(x)', 'logp', /atan2 takes 2 arguments, got 1/],
  ['logsumexp() + x + y', 'logp', /logsumexp takes at least 1 argument, got 0/],
  ['x(y)', 'logp', /unknown function 'x': .* \(for a product write x \* \(...\) or x \(...\)\)$/],
  ['b (x +) + y', 'logp', /^logp: column 7: value expected \(at '\) \+ y'\)$/],
  ['a (x) + b (y) +', 'logp', /^logp: column 16: unexpected end of expression \(at the end\)$/],
  ['x' + '+x'.repeat(MAX_FORMULA_LENGTH / 2), 'logp', new RegExp(`^logp: the formula is ${MAX_FORMULA_LENGTH + 1} characters long: the limit is ${MAX_FORMULA_LENGTH}$`)],
  ['('.repeat(MAX_NESTING + 1) + 'x + y' + ')'.repeat(MAX_NESTING + 1), 'logp', new RegExp(`^logp: nested ${MAX_NESTING + 1} levels deep \\(column ${MAX_NESTING + 1}\\): the limit is ${MAX_NESTING} levels of brackets$`)],
  ['a*b*c*d*f*g*h*k*m*x*y', 'logp', new RegExp(`more than ${MAX_PARAMS} parameters \\(a, b, c, d, f, g, h, k, m\\): the limit is ${MAX_PARAMS}`)],
];

describe('formula grammar: accepted', () => {
  it.each(ACCEPT)('%s (%s)', (text, kind, params) => {
    const p = parseFormula(text, kind);
    expect(p.params).toEqual(params);
    const f = compileFormula(text, kind);
    expect(f.params).toEqual(params);
  });
  it('implicit multiplication with a unit-like name is a parameter, not a unit', () => {
    expect(parseFormula('5 cm * x^2 + y', 'V').params).toEqual(['cm']);
  });
});

describe('formula grammar: refused, each with its message', () => {
  it.each(REFUSE)('%s', (text, kind, message) => {
    let err: unknown;
    try {
      parseFormula(text, kind);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormulaError);
    expect(err).toBeInstanceOf(ParamError);
    expect((err as ParamError).param).toBe(kind);
    expect((err as Error).message).toMatch(message);
  });
  it('V and W name themselves in their messages', () => {
    expect(() => parseFormula('x +', 'W')).toThrow(/^W: column 4/);
    expect(() => parseFormula('foo(x)', 'V')).toThrow(/^V: unknown function 'foo'/);
  });
  it('a non-string is refused', () => {
    expect(() => parseFormula(42 as unknown as string, 'logp')).toThrow(FormulaError);
  });
});

describe('formula grammar: the stated grammar', () => {
  it('FORMULA_GRAMMAR names every function, both constants and the three limits', () => {
    for (const name of Object.keys(FUNCTIONS)) expect(FORMULA_GRAMMAR).toContain(`${name}(`);
    expect(FORMULA_GRAMMAR).toContain('pi and e');
    expect(FORMULA_GRAMMAR).toContain(`${MAX_FORMULA_LENGTH} characters, ${MAX_NESTING} levels of brackets, ${MAX_PARAMS} parameters`);
  });
});

describe('formula grammar: random strings', () => {
  const alphabet = 'xy()+-*/^,.0123456789e abcdeflognpqrstuwz[]{}=?:;!\'"%_$\\&|<>'.split('');
  const check = (s: string): void => {
    const t0 = performance.now();
    try {
      compileFormula(s, 'logp');
    } catch (e) {
      if (!(e instanceof FormulaError)) throw new Error(`'${s}' threw ${String(e)} (not a FormulaError)`, { cause: e });
    }
    const ms = performance.now() - t0;
    if (ms > 500) throw new Error(`'${s}' took ${ms.toFixed(0)} ms (bound 500 ms)`);
  };
  it('never throw anything but a FormulaError, each within 500 ms (3,000 strings from the grammar alphabet)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }).map((a) => a.join('')), (s) => { check(s); }), { numRuns: 2000, seed: 20 });
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => { check(s); }), { numRuns: 1000, seed: 21 });
  });
  it('pathological strings end in bounded time', () => {
    for (const s of ['('.repeat(5000), ')'.repeat(5000), '-'.repeat(499) + 'x', 'x^'.repeat(249) + 'y', 'exp('.repeat(40) + 'x' + ')'.repeat(40) + '+y', '9^9^9^9^9*x+y']) check(s);
  });
});

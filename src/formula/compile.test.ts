/**
 * The compiled formula's float64 twin: known closed forms (the Gaussian's gradient and Z = 2 pi,
 * a correlated Gaussian's Z, Hessians of polynomials), the stable forms (softplus, logsumexp,
 * sigmoid, log(exp(.)) at +-1000), gradient and Hessian against central differences on a table of
 * formulas and on 300 random formula trees, the structure key, shared landscape parameters,
 * the numerics checks' messages, and that no user text reaches the WGSL.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula, compileLandscape, emitWgsl, type CompiledFormula } from './compile';
import { FormulaError } from './grammar';
import { checkGrid, checkTails, gridQuadrature } from './numerics';
import { erf64, Op } from './ops';
import { formulaArb, mulberry32 } from './testing';
import { runProgram } from './twin';

function evalAt(f: CompiledFormula, x: number, y: number, params: number[] = []): Float64Array {
  const out = new Float64Array(f.program.outputs.length);
  f.evaluate(x, y, params, out);
  return out;
}

describe('formula twin: closed forms', () => {
  it('Gaussian logp = -(x^2 + y^2)/2: value, grad = -(x, y), Z = 2 pi, marginals N(0, 1)', () => {
    const f = compileFormula('-(x^2 + y^2) / 2', 'logp');
    for (const [x, y] of [[0, 0], [1, 2], [-3.5, 0.25], [1e3, -2e3]] as const) {
      const [v, gx, gy] = evalAt(f, x, y);
      expect(v).toBeCloseTo(-(x * x + y * y) / 2, 10);
      expect(gx).toBe(-x);
      expect(gy).toBe(-y);
    }
    const q = gridQuadrature(f, [], [-10, 10, -10, 10], 200, 200);
    expect(Math.abs(q.Z - 2 * Math.PI) / (2 * Math.PI)).toBeLessThan(1e-10);
    for (let i = 0; i < q.xs.length; i += 17) {
      const x = q.xs[i] ?? 0;
      expect(q.marginalX[i]).toBeCloseTo(Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI), 4);
      expect(q.marginalY[i]).toBeCloseTo(Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI), 4);
    }
    expect(Math.abs(q.argmax[0])).toBeCloseTo(0.05, 10);
  });

  it('correlated Gaussian with parameters: Z = 2 pi sqrt(det S), score = -P (x - m)', () => {
    // precision P = [[2, 0.6], [0.6, 1]], mean (a, b)
    const f = compileFormula('-(2 (x - a)^2 + 2 * 0.6 (x - a) (y - b) + (y - b)^2) / 2', 'logp');
    expect(f.params).toEqual(['a', 'b']);
    const p = [1, -2];
    const [, gx, gy] = evalAt(f, 0.3, 0.4, p);
    expect(gx).toBeCloseTo(-(2 * (0.3 - 1) + 0.6 * (0.4 + 2)), 12);
    expect(gy).toBeCloseTo(-(0.6 * (0.3 - 1) + 1 * (0.4 + 2)), 12);
    const det = 2 * 1 - 0.36;
    const q = gridQuadrature(f, p, [-9, 11, -12, 8], 300, 300);
    expect(q.Z).toBeCloseTo((2 * Math.PI) / Math.sqrt(det), 8);
  });

  it('Hessians of V: x^2 y + sin(x y), W = (x^2 + y^2)^2 / 4 - (x^2 + y^2) / 2', () => {
    const f = compileFormula('x^2 y + sin(x y)', 'V');
    const [x, y] = [0.7, -1.3];
    const [v, gx, gy, hxx, hxy, hyy] = evalAt(f, x, y);
    expect(v).toBeCloseTo(x * x * y + Math.sin(x * y), 14);
    expect(gx).toBeCloseTo(2 * x * y + y * Math.cos(x * y), 14);
    expect(gy).toBeCloseTo(x * x + x * Math.cos(x * y), 14);
    expect(hxx).toBeCloseTo(2 * y - y * y * Math.sin(x * y), 14);
    expect(hxy).toBeCloseTo(2 * x + Math.cos(x * y) - x * y * Math.sin(x * y), 14);
    expect(hyy).toBeCloseTo(-x * x * Math.sin(x * y), 14);
    const w = compileFormula('(x^2 + y^2)^2 / 4 - (x^2 + y^2) / 2', 'W');
    const r2 = x * x + y * y;
    const o = evalAt(w, x, y);
    expect(o[1]).toBeCloseTo((r2 - 1) * x, 13);
    expect(o[3]).toBeCloseTo(r2 - 1 + 2 * x * x, 13);
    expect(o[4]).toBeCloseTo(2 * x * y, 13);
  });

  it('erf64 against tabulated values (|error| < 1e-15)', () => {
    const table: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [2.9, 0.9999589021219005], [3.5, 0.9999992569016276], [5, 0.9999999999984626]];
    for (const [x, v] of table) {
      expect(Math.abs(erf64(x) - v)).toBeLessThan(1e-15);
      expect(Math.abs(erf64(-x) + v)).toBeLessThan(1e-15);
    }
  });
});

describe('formula twin: stable forms', () => {
  it('softplus, sigmoid, logsumexp and log(exp(.)) stay finite at +-1000, with finite gradients', () => {
    const cases: [string, number, number][] = [
      ['softplus(x) + 0 y', 1000, 1000], ['softplus(x) + 0 y', -1000, 0], ['sigmoid(x) + 0 y', -1000, 0],
      ['logsumexp(x, y)', 1000, 1000 + Math.log(2)], ['log(exp(x)) + 0 y', 1000, 1000],
    ];
    for (const [text, x, want] of cases) {
      const f = compileFormula(text.replace('+ 0 y', '+ 0*y'), 'V');
      const [v, gx, gy] = evalAt(f, x, x);
      expect(v, text).toBeCloseTo(want, 10);
      expect(Number.isFinite(gx) && Number.isFinite(gy), text).toBe(true);
    }
    const lse = compileFormula('logsumexp(x, y)', 'V');
    const o = evalAt(lse, 1000, 1000);
    expect(o[1]).toBeCloseTo(0.5, 12);
    expect(o[3]).toBeCloseTo(0.25, 12); // softmax Jacobian p (1 - p)
  });
});

/** Central differences of the twin: f at (x +- h, y) etc. */
function centralCheck(f: CompiledFormula, x: number, y: number, params: number[]): { checked: boolean; worst: number } {
  const base = evalAt(f, x, y, params);
  const nOut = base.length;
  const fd = (h: number): number[] => {
    const px = evalAt(f, x + h, y, params), mx = evalAt(f, x - h, y, params);
    const py = evalAt(f, x, y + h, params), my = evalAt(f, x, y - h, params);
    const d = [((px[0] ?? 0) - (mx[0] ?? 0)) / (2 * h), ((py[0] ?? 0) - (my[0] ?? 0)) / (2 * h)];
    if (nOut === 6) d.push(((px[1] ?? 0) - (mx[1] ?? 0)) / (2 * h), ((py[1] ?? 0) - (my[1] ?? 0)) / (2 * h), ((py[2] ?? 0) - (my[2] ?? 0)) / (2 * h));
    return d;
  };
  const sym = nOut === 6 ? [base[1], base[2], base[3], base[4], base[5]] : [base[1], base[2]];
  const a = fd(1e-4), b = fd(5e-5);
  let worst = 0;
  for (let i = 0; i < sym.length; i++) {
    const s = sym[i] ?? NaN, u = a[i] ?? NaN, w = b[i] ?? NaN;
    const tol = 1e-5 * (1 + Math.abs(s));
    // non-smooth or ill-conditioned here (the two step sizes disagree): not a point to judge at
    if (!Number.isFinite(s) || !Number.isFinite(u) || !Number.isFinite(w) || Math.abs(u - w) > tol / 4) return { checked: false, worst: 0 };
    worst = Math.max(worst, Math.abs(s - w) / tol);
  }
  return { checked: true, worst };
}

describe('formula twin: gradient and Hessian against central differences', () => {
  const TABLE = [
    '-((x^2 + y^2 - 4)^2) / 0.5', 'log(exp(-(x-2)^2 - y^2) + exp(-(x+2)^2 - y^2))', 'logsumexp(-(x-a)^2 - y^2, -(x+a)^2 - y^2, -x^2 - (y-b)^2)',
    '-y^2/18 - x^2 / (2 exp(y)) - y/2', '-(1 - x)^2 - 10 (y - x^2)^2', 'sigmoid(x y) + softplus(x - y) + erf(x / 2) * tanh(y)',
    'atan2(y, x + 3) + atan(x y) + sinh(x / 3) cosh(y / 3)', 'pow(x^2 + 1, y / 3) + sqrt(x^2 + y^2 + 1) + log1p(x^2 y^2)',
    'tan(x / 4) + sin(x) cos(y) + e^(x / 2) - pi y', 'a * x^3 - b * y^4 + x^(-2) * 0 + (x + y)^5 / 100', 'min(x, y) + max(x^2, y) + abs(x - 0.3)',
  ];
  it.each(TABLE)('%s (V: value, gradient, Hessian)', (text) => {
    const f = compileFormula(text, 'V');
    const rand = mulberry32(7);
    let checked = 0;
    for (let k = 0; k < 20; k++) {
      const r = centralCheck(f, 4 * rand() - 2, 4 * rand() - 2, [0.7, 1.3]);
      if (r.checked) {
        checked++;
        expect(r.worst, text).toBeLessThanOrEqual(1);
      }
    }
    expect(checked, `${text}: points where both step sizes agree`).toBeGreaterThanOrEqual(15);
  });

  it('300 random formula trees (depth <= 4): where the two step sizes agree, |sym - fd| <= 1e-5 (1 + |sym|)', () => {
    let points = 0, checked = 0, formulas = 0;
    fc.assert(fc.property(formulaArb(4), (text) => {
      const f = compileFormula(text, 'V');
      formulas++;
      const rand = mulberry32(text.length);
      for (let k = 0; k < 6; k++) {
        const x = 4 * rand() - 2, y = 4 * rand() - 2;
        const v = evalAt(f, x, y, [0.7, 1.3])[0] ?? NaN;
        if (!Number.isFinite(v) || Math.abs(v) > 1e6) continue;
        points++;
        const r = centralCheck(f, x, y, [0.7, 1.3]);
        if (!r.checked) continue;
        checked++;
        if (r.worst > 1) throw new Error(`${text} at (${x}, ${y}): symbolic vs central difference ${r.worst.toFixed(2)} x the tolerance`);
      }
    }), { numRuns: 300, seed: 2020 });
    expect(formulas).toBe(300);
    // measured: most points of finite value are smooth enough to judge
    expect(checked).toBeGreaterThan(0.7 * points);
  });
});

describe('formula compile: structure key, parameters, WGSL text', () => {
  it('the structure key ignores parameter values and names, and changes with the structure', () => {
    const a = compileFormula('-(x - a)^2 - y^2', 'logp');
    const b = compileFormula('-(x - mu)^2 - y^2', 'logp');
    const c = compileFormula('-(x - a)^2 - 2 y^2', 'logp');
    expect(a.structureKey).toBe(b.structureKey);
    expect(a.structureKey).not.toBe(c.structureKey);
    expect(compileFormula('-(x - a)^2 - y^2', 'V').structureKey).not.toBe(a.structureKey);
    // the same program evaluates any parameter value
    expect(evalAt(a, 1, 0, [3])[0]).toBe(-4);
    expect(evalAt(a, 1, 0, [-1])[0]).toBe(-4);
  });

  it('common subexpressions are one node: (x^2 + y^2) written three times is computed once', () => {
    const f = compileFormula('exp(-(x^2 + y^2)) + log(x^2 + y^2 + 1) + (x^2 + y^2)^2', 'logp');
    const b = f.builder;
    const sq = (v: number): number => b.make(Op.POWI, [v], 2);
    const r2 = b.add(sq(b.x), sq(b.y));
    const live = new Set(f.program.nodeIds);
    expect(live.has(r2)).toBe(true);
    expect(b.nodes.filter((n) => n.op === Op.ADD && n.args.includes(sq(b.x)) && n.args.includes(sq(b.y)))).toHaveLength(1);
    const wgsl = emitWgsl([f]);
    // each WGSL function computes x^2 once (its `let`), the value and the gradient functions each
    const fns = wgsl.split(/(?=^fn formula_)/m).filter((t) => t.startsWith('fn formula_logp') || t.startsWith('fn formula_grad'));
    expect(fns).toHaveLength(2);
    for (const fn of fns) expect(fn.match(/p\.x \* p\.x/g)?.length).toBe(1);
  });

  it('landscape V and W share one parameter list', () => {
    const { V, W, params } = compileLandscape('a * (x^2 + y^2) - b * x', '(x^2 + y^2) * c - a * log(x^2 + y^2 + 1)');
    expect(params).toEqual(['a', 'b', 'c']);
    expect(V.params).toEqual(params);
    expect(W.params).toEqual(params);
    expect(evalAt(W, 1, 0, [2, 0, 3])[0]).toBeCloseTo(3 - 2 * Math.log(2), 14);
    expect(() => compileLandscape('a*b*c*d*x', 'f*g*h*k*m*y')).toThrow(/^W: more than 8 parameters in all/);
  });

  it('no user text reaches the WGSL: parameter names and spelling are absent, only IR-made code', () => {
    const f = compileFormula('-((x - sigma)^2) / (2 * myScale^2) - y^2 / 2', 'logp');
    const wgsl = emitWgsl([f]);
    expect(wgsl).not.toMatch(/sigma|myScale/);
    expect(wgsl).toContain('fn formula_logp(p: vec2<f32>) -> f32');
    expect(wgsl).toContain('fn formula_grad(p: vec2<f32>) -> vec2<f32>');
    expect(wgsl).toContain('formula_params[0][1]');
    const land = emitWgsl([compileFormula('x^2 + y^2', 'V'), compileFormula('x^2', 'W')]);
    for (const name of ['formula_V', 'formula_V_grad', 'formula_V_hess', 'formula_W', 'formula_W_grad', 'formula_W_hess']) expect(land).toContain(`fn ${name}(`);
    expect(land.match(/fn formula_log1p/g)?.length).toBe(1);
  });
});

describe('formula numerics: named messages', () => {
  const BOX = [-3, 3, -3, 3] as const;
  const refused = (text: string, kind: 'logp' | 'V', re: RegExp, params: number[] = []): void => {
    let err: unknown;
    try {
      const f = compileFormula(text, kind);
      checkGrid(f, params, BOX, 33);
      if (kind === 'logp') checkTails(f, params);
    } catch (e) {
      err = e;
    }
    expect(err, text).toBeInstanceOf(FormulaError);
    expect((err as Error).message, text).toMatch(re);
  };
  it.each([
    ['log(x) - y^2', /^logp: log of a negative number in log\(x\) at \(x, y\) = \(-3, -3\)$/],
    ['-x^2 - y^2 + log(x^2 + y - y)', /^logp: log of zero in log\(x\^2\) at \(x, y\) = \(0, -3\)$/],
    ['-x^2 - y^2 + log(x^2)', /^logp: log of zero in log\(x\^2\) at \(x, y\) = \(0, -3\)$/],
    ['1/x - y^2 - x^2', /^logp: division by zero in 1.0 \/ x at \(x, y\) = \(0, -3\)$/],
    ['sqrt(x) - y^2', /^logp: square root of a negative number in sqrt\(x\)/],
    ['exp(20 x^2) - y^2', /^logp: overflow of exp \(write .*\) in exp\(20.0 \* x\^2\) at \(x, y\) = \(-3, -3\)$/],
    ['1e30 * (x^2 + 1e10) - y^2', /^logp: overflow of f32 \(\|value\| > 3.4e38\) in 1e\+30 \* /],
    ['log(exp(100 x^2) + exp(y)) - x^2', /^logp: overflow of exp \(write log\(exp\(a\) \+ exp\(b\)\) as logsumexp\(a, b\)/],
    ['(-1)^(x/2) - y^2', /^logp: power of a negative number to a non-integer exponent in \(-1.0\)\^x \/ 2.0 at \(x, y\) = \(-3, -3\)$/],
    ['(-1)^x - y^2', /^logp: log of a negative number in the derivative of \(-1.0\)\^x at \(x, y\) = \(-3, -3\)$/],
    ['x * 0 + y * 0', /^logp: the density's mass on the plane is not finite: log pi does not decrease in the tails \(its maximum is 0 at radius 100 and 0 at radius 1000/],
    ['x^2 + y^2', /^logp: the density's mass on the plane is not finite/],
    ['-x^2', /^logp: the formula does not use y/],
    ['-x^2 + 0 * y', /^logp: the density's mass on the plane is not finite/],
    ['-log(1 + x^2 + y^2)', /^logp: the density's mass on the plane is not finite/],
  ] as [string, RegExp][])('%s', (text, re) => refused(text, 'logp', re));

  it('parameters enter the checks: log(x - a) is fine for a = -4, refused for a = 0', () => {
    const f = compileFormula('log(x - a) - y^2 - x^2', 'logp');
    expect(() => checkGrid(f, [-4], BOX, 33)).not.toThrow();
    expect(() => checkGrid(f, [0], BOX, 33)).toThrow(/log of (a negative number|zero) in log\(\(x - a\)\)/);
  });

  it('densities with finite mass pass the tail check: Gaussian, Cauchy-like r^-3, funnel, banana, ring', () => {
    for (const text of ['-(x^2 + y^2)/2', '-1.5 log(1 + x^2 + y^2)', '-y^2/18 - x^2 / (2 exp(y)) - y/2', '-(x/2)^2/2 - (2 y + 0.4 (x^2 + 4))^2 / 2', '-((x^2 + y^2 - 4)^2) / 0.5']) {
      const f = compileFormula(text, 'logp');
      expect(() => checkTails(f, []), text).not.toThrow();
    }
  });

  it('checked and unchecked runs agree where nothing fails', () => {
    const f = compileFormula('logsumexp(-(x-1)^2, -(y+1)^2) + softplus(x) - 0.1 x^2 - 0.1 y^2', 'logp');
    const out1 = new Float64Array(3), out2 = new Float64Array(3), vals = new Float64Array(f.program.n);
    expect(runProgram(f.program, 0.3, -0.2, [], out1, vals, { check: true })).toBeUndefined();
    runProgram(f.program, 0.3, -0.2, [], out2, vals);
    expect([...out1]).toEqual([...out2]);
  });
});

/** The d-D targets: data as shipped, gradients against central differences, exact moments, bad input. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../reference/philox';
import { breastCancerData, irisData } from './datasets';
import { meanSd } from './diagnostics';
import { createNdTarget, ndTargets } from './targets';
import { blrPredictive, splitPermutation, type BlrTarget } from './targetsBlr';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(new URL(path, import.meta.url))).digest('hex');

describe('shipped data', () => {
  it('files are the verbatim copies named in data/README.md', () => {
    expect(sha256('./data/breast-cancer.csv')).toBe('fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed');
    expect(sha256('./data/iris.csv')).toBe('f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449');
  });
  it('breast cancer: 569 x 30, 357 benign (label 1), 212 malignant', () => {
    const b = breastCancerData();
    expect([b.rows, b.features, b.featureNames.length]).toEqual([569, 30, 30]);
    expect(b.y.reduce((a, v) => a + v, 0)).toBe(357);
    expect(b.x[0]).toBe(17.99);
    expect(b.featureNames[0]).toBe('mean radius');
    expect(b.featureNames[29]).toBe('worst fractal dimension');
  });
  it('iris: versicolor vs virginica, 100 x 4, 50 of each', () => {
    const d = irisData();
    expect([d.rows, d.features]).toEqual([100, 4]);
    expect(d.y.reduce((a, v) => a + v, 0)).toBe(50);
  });
});

/** Central differences of logp against logpGrad at n random points. */
function checkGradient(id: string, params: Record<string, string>, pts: Float64Array, n: number, rtol: number): void {
  const t = createNdTarget(id, params);
  const d = t.d;
  const g = new Float64Array(n * d);
  const lp = t.logpGrad(pts, n, g);
  const lp2 = t.logp(pts, n);
  for (let i = 0; i < n; i++) expect(lp2[i]).toBe(lp[i]);
  const h = 1e-5;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const a = Float64Array.from(pts.subarray(i * d, i * d + d));
      const b = Float64Array.from(a);
      a[k] = (a[k] ?? 0) + h;
      b[k] = (b[k] ?? 0) - h;
      const fd = ((t.logp(a, 1)[0] ?? 0) - (t.logp(b, 1)[0] ?? 0)) / (2 * h);
      const an = g[i * d + k] ?? NaN;
      // central differences: O(h^2) truncation plus roundoff |logp| 1e-16 / h
      const lim = rtol * Math.max(1, Math.abs(an)) + 1e-10 * Math.max(1, Math.abs(lp[i] ?? 0)) / h;
      if (!(Math.abs(fd - an) <= lim)) throw new Error(`${id} grad[${i},${k}] = ${an}, central difference ${fd}`);
    }
  }
}

function randomPoints(n: number, d: number, scale: number, seed: number): Float64Array {
  const rng = new Rng(seed, 9);
  return Float64Array.from({ length: n * d }, () => scale * rng.normal());
}

describe('gradients against central differences (h = 1e-5)', () => {
  it('gaussian-nd d = 7, cond 100, mean 0.5', () => checkGradient('gaussian-nd', { d: '7', cond: '100', mean: '0.5' }, randomPoints(5, 7, 1, 1), 5, 1e-6));
  it('funnel-nd d = 6', () => checkGradient('funnel-nd', { d: '6' }, randomPoints(5, 6, 1.5, 2), 5, 1e-6));
  it('eight-schools', () => checkGradient('eight-schools', {}, randomPoints(5, 10, 1.5, 3), 5, 1e-6));
  it('blr breast-cancer (31-D)', () => checkGradient('blr', { data: 'breast-cancer' }, randomPoints(3, 31, 0.3, 4), 3, 1e-6));
  it('blr iris, prior 2, test 0', () => checkGradient('blr', { data: 'iris', prior: '2', test: '0' }, randomPoints(3, 5, 1, 5), 3, 1e-6));
});

describe('contract: ids, dimensions, coordinate names', () => {
  it('lists the four ids', () => expect(ndTargets.map((t) => t.id)).toEqual(['gaussian-nd', 'funnel-nd', 'blr', 'eight-schools']));
  it('blr: [w_1..w_D, b], split sizes, standardised over all rows (population sd)', () => {
    const t = createNdTarget('blr', {}) as BlrTarget;
    expect(t.d).toBe(31);
    expect(t.names[0]).toBe('w_1');
    expect(t.names[30]).toBe('b');
    expect(t.data.testRows).toBe(114);
    expect(t.data.rows).toBe(455);
    const all = createNdTarget('blr', { test: '0' }) as BlrTarget;
    expect(all.data.rows).toBe(569);
    const { mean, sd } = meanSd(all.data.x, 569, 30);
    const pop = sd.map((s) => s * Math.sqrt(568 / 569));
    for (let k = 0; k < 30; k++) {
      expect(Math.abs(mean[k] ?? 1)).toBeLessThan(1e-12);
      expect(pop[k]).toBeCloseTo(1, 12);
    }
    const perm = splitPermutation(569);
    expect(new Set(perm).size).toBe(569);
  });
  it('eight-schools: d = 10, [mu, log_tau, theta_trans_1..8]', () => {
    const t = createNdTarget('eight-schools');
    expect(t.d).toBe(10);
    expect(t.names.slice(0, 3)).toEqual(['mu', 'log_tau', 'theta_trans_1']);
    expect(t.names[9]).toBe('theta_trans_8');
  });
  it('funnel-nd: [v, x1..]', () => expect(createNdTarget('funnel-nd', { d: '4' }).names).toEqual(['v', 'x1', 'x2', 'x3']));
});

describe('exact moments and normalisation', () => {
  it('gaussian-nd: exact samples reproduce the stated moments; condition number = cond', () => {
    const t = createNdTarget('gaussian-nd', { d: '32', cond: '100', mean: '1' });
    const sd = t.exact?.sd ?? new Float64Array();
    expect(((sd[0] ?? 0) / (sd[31] ?? 1)) ** 2).toBeCloseTo(100, 9);
    const n = 20000;
    const s = t.sample?.(n, 3) ?? new Float64Array();
    const m = meanSd(s, n, 32);
    for (let k = 0; k < 32; k++) {
      expect(Math.abs((m.mean[k] ?? 0) - 1)).toBeLessThan(5 * (sd[k] ?? 0) / Math.sqrt(n));
      expect(Math.abs((m.sd[k] ?? 0) / (sd[k] ?? 1) - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    }
  });
  it('funnel-nd d = 2 integrates to 1 (grid quadrature)', () => {
    const t = createNdTarget('funnel-nd', { d: '2' });
    const h = 0.02;
    let z = 0;
    for (let v = -12; v <= 12; v += h) {
      const sx = Math.exp(v / 2), hx = sx / 20;
      const col: number[] = [];
      for (let x = -10 * sx; x <= 10 * sx; x += hx) col.push(v, x);
      const lp = t.logp(Float64Array.from(col), col.length / 2);
      z += lp.reduce((a, l) => a + Math.exp(l), 0) * hx * h;
    }
    expect(z).toBeCloseTo(1, 3);
  });
  it('blr: predictive at theta = 0 is chance (p = 0.5 everywhere: log-lik log 0.5)', () => {
    const t = createNdTarget('blr', {}) as BlrTarget;
    const p = blrPredictive(t, new Float64Array(31), 1);
    expect(p.on).toBe('test');
    expect(p.rows).toBe(114);
    expect(p.logLik).toBeCloseTo(Math.log(0.5), 12);
  });
});

describe('bad input: named errors', () => {
  it('unknown target, unknown parameter, out of range, not an integer, bad enum', () => {
    expect(() => createNdTarget('nope')).toThrow(/unknown d-D target 'nope'/);
    expect(() => createNdTarget('blr', { nope: '1' })).toThrow(/unknown parameter 'nope'/);
    expect(() => createNdTarget('gaussian-nd', { d: '0' })).toThrow(/d: 0 is below the minimum 1/);
    expect(() => createNdTarget('gaussian-nd', { d: '2.5' })).toThrow(/d: expected a whole number, got 2.5/);
    expect(() => createNdTarget('blr', { data: 'mnist' })).toThrow(/data: expected one of breast-cancer\|iris/);
    expect(() => createNdTarget('blr', { test: '0.95' })).toThrow(/test: 0.95 is above the maximum 0.9/);
  });
});

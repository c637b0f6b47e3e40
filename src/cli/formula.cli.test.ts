/**
 * `wgf run --target formula --param 'logp=EXPR'` and `--target formula-landscape --param 'V=EXPR'
 * --param 'W=EXPR'` (issue 20: these ids and parameter names are the contract), the formula's own
 * parameters by --param NAME=VALUE, bad formulas refused with one line and exit 2 (no file written),
 * and `wgf list` showing the grammar. CPU backend, in process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, MAX_FORMULA_LENGTH } from '../formula/grammar';
import { main, type RunSummary } from './main';

const dir = mkdtempSync(join(tmpdir(), 'wgf-formula-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

const RING = 'logp=-((x^2 + y^2 - r^2)^2) / w';

describe('wgf run --target formula (cpu)', () => {
  it('runs a typed density with its own parameters and ends on it (ring of radius r: E|x|^2 ~ r^2)', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'formula', '--method', 'langevin', '--param', RING, '--param', 'r=2', '--param', 'w=0.5',
      '--n', '512', '--steps', '400', '--step-size', '0.01', '--seed', '1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out.trim()) as RunSummary;
    expect(s.target).toBe('formula');
    expect(s.final.nonFinite).toBe(0);
    const [c11, , c22] = s.final.cov;
    const m2 = (c11 ?? NaN) + (c22 ?? NaN) + (s.final.mean[0] ?? NaN) ** 2 + (s.final.mean[1] ?? NaN) ** 2;
    // the ring's E|x|^2 by quadrature is 4.06 (r = 2, w = 0.5); 512 particles after 400 steps: within 10%
    expect(Math.abs(m2 - 4.06) / 4.06).toBeLessThan(0.1);
  });

  it("refuses a parameter the formula does not have, naming the formula's parameters (exit 2, one line)", async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'formula', '--param', RING, '--param', 'sigma=1', '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: --param sigma: unknown parameter[^\n]*logp, r, w[^\n]*\n$/);
  });

  it('refuses bad formulas with a named one-line message, exit 2, and writes no file', async () => {
    const cases: [string, RegExp][] = [
      ['logp=x +', /logp: column \d+/],
      ['logp=foo(x) + y', /foo/],
      ['logp=constructor + x + y', /constructor/],
      ['logp=__proto__ * x * y', /__proto__/],
      ['logp=x; y', /several statements|;/],
      ['logp=x == y', /comparison|=/],
      [`logp=${'x+'.repeat(MAX_FORMULA_LENGTH)}y`, new RegExp(`limit is ${MAX_FORMULA_LENGTH}`)],
      [`logp=${'('.repeat(60)}x${')'.repeat(60)} + y`, /nested 60 levels/],
      ['logp=a+b+c+d+f+g+h+k+m+x+y', /more than 8 parameters/],
    ];
    for (const [param, message] of cases) {
      const out = join(dir, 'bad.npy');
      const r = await wgf('run', '--backend', 'cpu', '--target', 'formula', '--param', param, '--steps', '2', '--out', out);
      expect(r.code, param).toBe(2);
      expect(r.err, param).toMatch(/^wgf: [^\n]*\n$/);
      expect(r.err, param).toMatch(message);
      expect(existsSync(out), param).toBe(false);
    }
  });

  it('refuses a density the numerics check fails (log of a negative number), exit 2, one line', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'formula', '--param', 'logp=log(x) + y', '--steps', '2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: [^\n]*logp[^\n]*\n$/);
  });
});

describe('wgf run --target formula-landscape (cpu)', () => {
  it("runs V and W typed as formulas with W's parameter c", async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'formula-landscape', '--method', 'wgd',
      '--param', 'V=(x^2 - 1)^2 / 4 + y^2 / 2', '--param', 'W=c (x^2 + y^2) / 2', '--param', 'c=0.5', '--n', '64', '--steps', '50', '--seed', '2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out.trim()) as RunSummary;
    expect(s.target).toBe('formula-landscape');
    expect(s.final.nonFinite).toBe(0);
  });

  it('refuses an odd W by name (exit 2)', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'formula-landscape', '--method', 'wgd', '--param', 'V=x^2 + y^2', '--param', 'W=x + y', '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: [^\n]*W must be even[^\n]*\n$/);
  });
});

describe('wgf list shows the formula grammar', () => {
  it('text: the formula targets with their text parameters, every function, the operators, the constants and the limits', async () => {
    const r = await wgf('list');
    expect(r.code).toBe(0);
    expect(r.out).toContain("--target formula --param 'logp=EXPR'");
    expect(r.out).toContain("--target formula-landscape --param 'V=EXPR' --param 'W=EXPR'");
    for (const name of Object.keys(FUNCTIONS)) expect(r.out).toContain(`${name}(`);
    expect(r.out).toMatch(/\+ - \* \/ \^/);
    expect(r.out).toMatch(/constants pi and e/);
    expect(r.out).toContain(`${MAX_FORMULA_LENGTH} characters`);
  });

  it('--json: a formula section with functions (argument counts), operators, constants and limits', async () => {
    const r = await wgf('list', '--json');
    const j = JSON.parse(r.out) as { formula: { functions: { name: string }[]; operators: string[]; constants: string[]; targets: { id: string; texts: string[] }[]; limits: { length: number } } };
    expect(j.formula.functions.map((f) => f.name)).toEqual(Object.keys(FUNCTIONS));
    expect(j.formula.constants).toEqual(['pi', 'e']);
    expect(j.formula.operators).toContain('^');
    expect(j.formula.targets).toEqual([{ id: 'formula', texts: ['logp'] }, { id: 'formula-landscape', texts: ['V', 'W'] }]);
    expect(j.formula.limits.length).toBe(MAX_FORMULA_LENGTH);
  });
});

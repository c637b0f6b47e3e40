/**
 * The 'newton' bench suite (src/bench/newtonBench.ts) at small N: rows for both operations on both
 * backends, the Lanczos solve's smallest Ritz value near the saddle (the double well's default init:
 * H ~ its value at x = 0, smallest eigenvalue -1; k = 20 Ritz values approach it from above), the
 * software adapter labelled, and the --budget-s rule (an estimate recorded instead of a run).
 */
import { describe, expect, it } from 'vitest';
import { newtonBench } from './newtonBench';
import { parseBenchArgs } from './bench';

describe('newton bench suite', () => {
  it('times one HVP and one Lanczos(k = 20) solve on the GPU and the CPU twin; Ritz values agree', async () => {
    const rows = await newtonBench({ sizes: [64], repeats: 2, budgetMs: 60_000 });
    expect(rows.map((r) => `${r.backend} ${r.op}`)).toEqual(['gpu hvp', 'gpu lanczos', 'cpu hvp', 'cpu lanczos']);
    for (const r of rows) {
      expect(r.error).toBeUndefined();
      expect(r.ms ?? NaN).toBeGreaterThan(0);
    }
    const [gpu, cpu] = [rows[1]?.minRitz ?? NaN, rows[3]?.minRitz ?? NaN];
    expect(cpu).toBeLessThan(-0.9);
    expect(Math.abs(gpu - cpu)).toBeLessThan(1e-3);
    // Dawn on SwiftShader here: labelled as software
    expect(rows[0]?.software).toBe(/swiftshader|software|fallback/i.test(rows[0]?.adapter ?? '') ? true : undefined);
  }, 120_000);

  it('skips what the budget cannot hold, with the estimate recorded', async () => {
    const rows = await newtonBench({ sizes: [256, 4096], backends: ['cpu'], repeats: 3, budgetMs: 50 });
    const big = rows.filter((r) => r.n === 4096);
    expect(big).toHaveLength(2);
    for (const r of big) expect(r.skipped).toMatch(/^estimated [0-9.e+]+ s$/);
  });

  it('is a suite of npm run bench', () => {
    const o = parseBenchArgs(['--suites', 'newton']);
    expect(o === 'help' ? [] : o.suites).toEqual(['newton']);
  });
});

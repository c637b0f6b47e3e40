/**
 * The benchmark driver on the CPU backend with tiny sizes: report shape, the written file, the
 * budget-based skipping, and argument errors. (GPU timings are exercised by `npm run bench`.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseBenchArgs, type BenchReport } from './bench';

const dir = mkdtempSync(join(tmpdir(), 'wgf-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bench(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('bench', () => {
  it('parses sizes, --quick and defaults', () => {
    const d = parseBenchArgs([]);
    expect(d).toMatchObject({ sizes: [1024, 4096, 16384, 65536], methods: ['svgd', 'langevin'], backends: ['gpu', 'cpu'], out: 'bench-results/bench.json' });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ sizes: [1024, 4096] });
    expect(parseBenchArgs(['--sizes', '512,128'])).toMatchObject({ sizes: [128, 512] });
    expect(() => parseBenchArgs(['--sizes', '12,x'])).toThrow(/--sizes expects positive integers, got 'x'/);
    expect(() => parseBenchArgs(['--backends', 'tpu'])).toThrow(/expected gpu or cpu/);
    expect(() => parseBenchArgs(['--frob'])).toThrow(/unknown option '--frob'/);
  });

  it('measures CPU configurations and writes the JSON report', async () => {
    const out = join(dir, 'nested', 'bench.json');
    const r = await bench('--sizes', '32,64', '--backends', 'cpu', '--repeats', '3', '--out', out);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(JSON.parse(r.out)).toEqual(report);
    expect(report.node).toBe(process.version);
    expect(report.results).toHaveLength(4);
    for (const res of report.results) {
      expect(res.backend).toBe('cpu');
      expect(res.msPerStep).toBeGreaterThan(0);
      expect(res.repeats).toBe(3);
      expect(res.stepsPerRepeat).toBeGreaterThanOrEqual(1);
    }
    expect(report.ratios).toEqual([]);
    expect(r.err).toMatch(/method\s+n\s+cpu ms\/step\s+cpu\/gpu/);
  });

  it('skips configurations over the time budget, saying the estimate', async () => {
    const r = await bench('--sizes', '64,4096', '--methods', 'svgd', '--backends', 'cpu', '--repeats', '2', '--budget-s', '1e-6', '--out', join(dir, 'skip.json'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as BenchReport;
    expect(report.results.map((x) => x.skipped)).toEqual([expect.stringMatching(/^estimated \d/), expect.stringMatching(/n=64; larger n skipped$/)]);
  });

  it('bad arguments exit 2 with one line', async () => {
    const r = await bench('--repeats', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bench: --repeats expects positive integers, got '0'\n$/);
  });
});

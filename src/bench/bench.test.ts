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
    expect(d).toMatchObject({ suites: ['steps', 'sinkhorn', 'pm'], sinkhornSizes: [4096, 16384, 65536], pmSizes: [4096, 65536, 1048576], pmGrids: [64, 128, 256] });
    expect(parseBenchArgs(['--suites', 'pm', '--pm-grids', '128,32'])).toMatchObject({ suites: ['pm'], pmGrids: [32, 128] });
    expect(() => parseBenchArgs(['--suites', 'fft'])).toThrow(/--suites: expected steps\|sinkhorn\|pm, got 'fft'/);
    expect(() => parseBenchArgs(['--pm-grids', '48'])).toThrow(/powers of two/);
  });

  it('measures CPU configurations and writes the JSON report', async () => {
    const out = join(dir, 'nested', 'bench.json');
    const r = await bench('--suites', 'steps', '--sizes', '32,64', '--backends', 'cpu', '--repeats', '3', '--out', out);
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
    const r = await bench('--suites', 'steps', '--sizes', '64,4096', '--methods', 'svgd', '--backends', 'cpu', '--repeats', '2', '--budget-s', '1e-6', '--out', join(dir, 'skip.json'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as BenchReport;
    expect(report.results.map((x) => x.skipped)).toEqual([expect.stringMatching(/^estimated \d/), expect.stringMatching(/n=64; larger n skipped$/)]);
  });

  it('sinkhorn and pm suites on the GPU (SwiftShader here; a missing adapter fails): rows, budget skips', async () => {
    const r = await bench('--suites', 'sinkhorn,pm', '--backends', 'cpu', '--sinkhorn-sizes', '128,256,1048576', '--pm-sizes', '512,1048576',
      '--pm-grids', '64', '--repeats', '1', '--budget-s', '20', '--out', join(dir, 'gpu.json'));
    const report = JSON.parse(r.out) as BenchReport;
    expect(report.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.results).toEqual([]); // no steps suite
    expect(report.adapter).not.toBeNull();
    const it128 = report.sinkhorn.find((x) => x.kind === 'iteration' && x.n === 128);
    const div256 = report.sinkhorn.find((x) => x.kind === 'divergence' && x.n === 256);
    expect(it128?.ms).toBeGreaterThan(0);
    expect(it128?.pairsPerSecond).toBeGreaterThan(0);
    // 100 iterations exactly (tol 0), a positive debiased divergence between N(0, I) and N((1, 0), 0.25 I)
    expect(div256).toMatchObject({ iterations: 100 });
    expect(div256?.value).toBeGreaterThan(0.3);
    // N = M = 2^20 is 2^24 times the work of N = 256: predicted from the measured size and skipped
    expect(report.sinkhorn.filter((x) => x.n === 1048576).map((x) => x.skipped)).toEqual([expect.stringMatching(/^estimated .* scaled as N\^2/), expect.stringMatching(/^estimated/)]);
    const direct = report.pm.find((x) => x.smoothing === 'direct' && x.n === 512);
    const pm = report.pm.find((x) => x.smoothing === 'pm' && x.n === 512);
    expect(direct?.ms).toBeGreaterThan(0);
    expect(pm?.ms).toBeGreaterThan(0);
    expect(pm?.relError).toBeLessThan(0.05); // the particle-mesh step against the direct sum (K = 16, G = 64)
    // N = 2^20: each configuration either measured or skipped by the budget with its estimate
    const big = report.pm.filter((x) => x.n === 1048576);
    expect(big.map((x) => x.smoothing)).toEqual(['direct', 'pm']);
    for (const x of big) expect(x.ms !== undefined || /^(timing )?estimated /.test(x.skipped ?? '')).toBe(true);
    expect(r.err).toMatch(/sinkhorn iteration\s+N=M=128/);
  }, 300_000);

  it('bad arguments exit 2 with one line', async () => {
    const r = await bench('--repeats', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bench: --repeats expects positive integers, got '0'\n$/);
  });
});

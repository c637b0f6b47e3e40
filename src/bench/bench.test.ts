/**
 * The benchmark driver on the CPU backend with tiny sizes: report shape, the written file, the
 * budget-based skipping, and argument errors. (GPU timings are exercised by `npm run bench`.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { methods } from '../methods/registry';
import { defaultMethods, main, parseBenchArgs, type BenchReport } from './bench';

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
    expect(d).toMatchObject({ sizes: [1024, 4096, 16384, 65536], backends: ['gpu', 'cpu'], out: 'bench-results/bench.json' });
    // the steps suite's methods come from the registry: every plane method not marked bench: false
    expect(d !== 'help' && d.methods).toEqual(defaultMethods());
    expect(defaultMethods()).toEqual(methods.filter((m) => m.bench !== false && (m.domains ?? ['plane']).includes('plane')).map((m) => m.id));
    expect(defaultMethods()).toEqual(expect.arrayContaining(['langevin', 'svgd', 'sinkhorn-flow']));
    expect(parseBenchArgs(['--wg', '128,64', '--flow-sizes', '64', '--flow-steps', '3'])).toMatchObject({ wg: [128, 64], flowSizes: [64], flowSteps: 3 });
    expect(() => parseBenchArgs(['--wg', '96'])).toThrow(/powers of two/);
    expect(parseBenchArgs(['--quick'])).toMatchObject({ sizes: [1024, 4096] });
    expect(parseBenchArgs(['--sizes', '512,128'])).toMatchObject({ sizes: [128, 512] });
    expect(() => parseBenchArgs(['--sizes', '12,x'])).toThrow(/--sizes expects positive integers, got 'x'/);
    expect(() => parseBenchArgs(['--backends', 'tpu'])).toThrow(/expected gpu or cpu/);
    expect(() => parseBenchArgs(['--frob'])).toThrow(/unknown option '--frob'/);
    expect(d).toMatchObject({ suites: ['steps', 'sinkhorn', 'pm', 'flow', 'newton'], flowSizes: [512, 4096], flowTargets: ['8gaussians', 'moons'], sinkhornSizes: [4096, 16384, 65536], pmSizes: [4096, 65536, 1048576], pmGrids: [64, 128, 256] });
    expect(parseBenchArgs(['--suites', 'pm', '--pm-grids', '128,32'])).toMatchObject({ suites: ['pm'], pmGrids: [32, 128] });
    expect(() => parseBenchArgs(['--suites', 'fft'])).toThrow(/--suites: expected steps\|sinkhorn\|pm\|flow\|newton, got 'fft'/);
    expect(() => parseBenchArgs(['--pm-grids', '48'])).toThrow(/powers of two/);
  });

  it('measures CPU configurations and writes the JSON report', async () => {
    const out = join(dir, 'nested', 'bench.json');
    const r = await bench('--suites', 'steps', '--methods', 'svgd,langevin', '--sizes', '32,64', '--backends', 'cpu', '--repeats', '3', '--out', out);
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
    expect(report.timing).toEqual({ steps: 'wall-clock' });
    expect(r.err).toMatch(/method\s+n\s+cpu ms\/step\s+cpu\/gpu/);
  });

  it('flow suite on the CPU twin: before/after rows, >= 3x fewer softmin passes per step, energy distance after the same time', async () => {
    const r = await bench('--suites', 'flow', '--backends', 'cpu', '--flow-sizes', '64,100000', '--flow-targets', 'moons', '--flow-steps', '4', '--budget-s', '60', '--out', join(dir, 'flow.json'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as BenchReport;
    expect(report.timing).toEqual({ flow: 'wall-clock' });
    const at = (variant: string, n: number) => report.flow.find((x) => x.variant === variant && x.n === n);
    const before = at('before', 64), after = at('after', 64);
    expect(before).toMatchObject({ backend: 'cpu', target: 'moons', m: 64, steps: 4, tau: 0.5, time: 2, params: { warm: false, iterations: 5 } });
    expect(before?.msPerStep).toBeGreaterThan(0);
    expect(after?.msPerStep).toBeGreaterThan(0);
    // passes: 4 (L + 5) + 2 before, 4 (J + 1) + 2 after (L = the schedule's length, 15 here; J = the
    // re-annealed levels, 'auto' since the depth follows the geometry: 7 at tau = 0.5 on moons, M = 64,
    // 5 at the playground's tau = 0.2; it was a fixed 5, 26 passes, 3.2x fewer)
    expect(before?.passesPerStep).toBe(82);
    expect(after?.passesPerStep).toBe(34);
    expect((before?.passesPerStep ?? 0) / (after?.passesPerStep ?? Infinity)).toBeGreaterThanOrEqual(2.4);
    for (const x of [before, after]) {
      expect(x?.energyDistance).toBeGreaterThan(0);
      expect(x?.energyDistance).toBeLessThan(1); // from N(0, I) toward the moons, energy distance ~0.5 at t = 0
      expect(x?.flowMarginalError).toBeGreaterThan(0);
    }
    // N = 10^5 is (10^5 / 64)^2 = 2.4e6 times the work: predicted and skipped
    expect(at('after', 100000)?.skipped).toMatch(/^estimated .* scaled as N\^2/);
  }, 120_000);

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
    // GPU timestamps where the adapter has 'timestamp-query', else the wall clock; the JSON says which
    const kind = report.timestampQuery ? 'timestamp-query' : 'wall-clock';
    expect(report.timing).toEqual({ sinkhorn: kind, pm: kind });
    expect(it128?.timing).toMatch(/^(timestamp-query|wall-clock)$/);
    expect(div256?.timing).toBe('wall-clock');
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

/**
 * The `wgf` command: in-process runs on the CPU backend (files in each format, the JSON line, the
 * --init file path, exit codes and one-line messages for bad arguments), and one real child
 * process on the GPU backend (Dawn; SwiftShader where there is no GPU). A missing adapter fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePointsCsv } from '../io/csv';
import { decodeNpy, encodeNpy } from '../io/npy';
import { CLI_DEFAULTS, defaultStepSize } from '../engine/defaults';
import { getMethod, methods } from '../methods/registry';
import { targets } from '../targets/registry';
import { metrics } from '../metrics/registry';
import { main, type RunSummary } from './main';

const dir = mkdtempSync(join(tmpdir(), 'wgf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

function summaryOf(out: string): RunSummary {
  const lines = out.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as RunSummary;
}

const small = ['--backend', 'cpu', '--target', 'gaussian', '--n', '64', '--steps', '20', '--every', '5', '--step-size', '0.05', '--seed', '3'];

describe('wgf run (cpu backend, in process)', () => {
  it('writes .npy [frames, n, 2] and prints one JSON line', async () => {
    const file = join(dir, 'sub', 'traj.npy');
    const r = await wgf('run', '--method', 'langevin', ...small, '--out', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = summaryOf(r.out);
    expect(s).toMatchObject({ backend: 'cpu', method: 'langevin', target: 'gaussian', n: 64, steps: 20, every: 5, frames: 5, out: file });
    expect(Object.keys(s)).toEqual(['backend', 'adapter', 'method', 'target', 'n', 'steps', 'every', 'frames', 'wallMs', 'msPerStep', 'out', 'final', 'metrics']);
    expect(s.final.nonFinite).toBe(0);
    expect(s.final.mean).toHaveLength(2);
    expect(s.final.cov).toHaveLength(3);
    expect(s.msPerStep).toBeGreaterThan(0);
    // the live metrics that apply (a plane target with a density and exact samples): KSD, energy, MMD^2, on the final positions
    expect(Object.keys(s.metrics)).toEqual(metrics.filter((d) => d.appliesTo({ domain: 'plane', sampleOnly: false, hasSamples: true, sampleBased: false, landscape: false })).map((d) => d.id));
    expect(Object.keys(s.metrics)).toEqual(expect.arrayContaining(['ksd', 'energy', 'mmd']));
    for (const v of Object.values(s.metrics)) expect(Number.isFinite(v)).toBe(true);
    const npy = decodeNpy(readFileSync(file));
    expect(npy.shape).toEqual([5, 64, 2]);
    expect(npy.data).toBeInstanceOf(Float32Array);
    expect(npy.data.every((v) => Number.isFinite(v))).toBe(true);
    // Frames differ: the particles moved between read-backs.
    expect(npy.data.subarray(0, 128)).not.toEqual(npy.data.subarray(4 * 128, 5 * 128));
  });

  it('is reproducible: same seed, same trajectory', async () => {
    const a = join(dir, 'a.npy');
    const b = join(dir, 'b.npy');
    expect((await wgf('run', '--method', 'langevin', ...small, '--out', a)).code).toBe(0);
    expect((await wgf('run', '--method', 'langevin', ...small, '--out', b)).code).toBe(0);
    expect(Buffer.from(readFileSync(a)).equals(Buffer.from(readFileSync(b)))).toBe(true);
  });

  it('writes .csv (step,particle,x,y) and .json (meta, steps, frames)', async () => {
    const csv = join(dir, 'traj.csv');
    const rc = await wgf('run', '--method', 'svgd', ...small, '--param', 'bandwidth=median', '--out', csv);
    expect(rc.code).toBe(0);
    const table = decodePointsCsv(readFileSync(csv, 'utf8'));
    expect(table.header).toEqual(['step', 'particle', 'x', 'y']);
    expect(table.shape).toEqual([5 * 64, 4]);
    expect(table.data[64 * 4]).toBe(5); // first row of frame 1 is step 5
    expect(table.data[5 * 64 * 4 - 4]).toBe(20);

    const json = join(dir, 'traj.json');
    const rj = await wgf('run', '--method', 'svgd', ...small, '--out', json);
    expect(rj.code).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { meta: Record<string, unknown>; steps: number[]; frames: number[][][] };
    expect(parsed.steps).toEqual([0, 5, 10, 15, 20]);
    expect(parsed.frames).toHaveLength(5);
    expect(parsed.frames[4]).toHaveLength(64);
    expect(parsed.frames[4]?.[0]).toHaveLength(2);
    expect(parsed.meta).toMatchObject({ method: 'svgd', target: 'gaussian', n: 64, steps: 20, every: 5, stepSize: 0.05, seed: 3 });
  });

  it('without --out: no file, out null, defaults every = steps (2 frames)', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--n', '32', '--steps', '7');
    expect(r.code).toBe(0);
    expect(summaryOf(r.out)).toMatchObject({ method: 'langevin', target: 'gaussian', n: 32, steps: 7, every: 7, frames: 2, out: null });
  });

  it('runs the steps after the last frame when steps is not a multiple of every', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--n', '16', '--steps', '7', '--every', '3', '--out', join(dir, 'odd.npy'));
    expect(r.code).toBe(0);
    expect(summaryOf(r.out).frames).toBe(3);
    expect(decodeNpy(readFileSync(join(dir, 'odd.npy'))).shape).toEqual([3, 16, 2]);
  });

  it('--init FILE sets the initial positions and n; a different --n is an error', async () => {
    const init = new Float32Array(2 * 40).map((_, i) => (i % 2 === 0 ? 3 : -1) + i * 1e-3);
    const file = join(dir, 'init.npy');
    writeFileSync(file, encodeNpy(init, [40, 2]));
    const out = join(dir, 'from-init.npy');
    const r = await wgf('run', '--backend', 'cpu', '--steps', '2', '--init', file, '--out', out);
    expect(r.code).toBe(0);
    expect(summaryOf(r.out).n).toBe(40);
    const traj = decodeNpy(readFileSync(out));
    expect(traj.shape).toEqual([2, 40, 2]);
    expect(Array.from(traj.data.subarray(0, 80))).toEqual(Array.from(init));

    const csv = join(dir, 'init.csv');
    writeFileSync(csv, 'x,y\n1,2\n3,4\n5,6\n');
    const rc = await wgf('run', '--backend', 'cpu', '--steps', '1', '--init', csv);
    expect(rc.code).toBe(0);
    expect(summaryOf(rc.out).n).toBe(3);

    const bad = await wgf('run', '--backend', 'cpu', '--n', '16', '--init', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^wgf: --n 16 does not match the 40 points in --init/);
  });

  it('exits 3 with a warning and nonFinite > 0 when the run blows up', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--n', '32', '--steps', '200', '--step-size', '1e6');
    expect(r.code).toBe(3);
    expect(summaryOf(r.out).final.nonFinite).toBeGreaterThan(0);
    expect(r.err).toMatch(/^wgf: warning: \d+ of 32 particles are non-finite/);
  });
});

describe('wgf arguments', () => {
  const cases: [string[], RegExp][] = [
    [['run', '--bogus', '1'], /unknown option '--bogus'/],
    [['run', '--n'], /--n needs a value/],
    [['run', '--n', '--steps', '3'], /--n needs a value/],
    [['run', '--n', '1.5'], /--n must be an integer >= 1, got '1.5'/],
    [['run', '--n', '-3'], /--n must be an integer >= 1/],
    [['run', '--n', '0'], /--n must be an integer >= 1/],
    [['run', '--steps', 'ten'], /--steps must be an integer >= 0/],
    [['run', '--every', '0'], /--every must be an integer >= 1/],
    [['run', '--steps', '10', '--every', '20'], /--every \(20\) must not exceed --steps \(10\)/],
    [['run', '--step-size', 'inf'], /--step-size must be a finite number > 0/],
    [['run', '--step-size', 'NaN'], /--step-size/],
    [['run', '--seed', '-1'], /--seed/],
    [['run', '--backend', 'tpu'], /--backend must be gpu or cpu/],
    [['run', '--target', 'nope'], /--target: unknown target 'nope' \(known: .*banana/],
    [['run', '--method', 'nope'], /--method: unknown method 'nope' \(known: .*svgd/],
    [['run', '--param', 'mala'], /--param expects name=value, got 'mala'/],
    [['run', '--param', 'nope=1'], /--param nope: unknown parameter/],
    [['run', '--method', 'svgd', '--param', 'bandwidth=wide'], /--param bandwidth: expected a number or median/],
    [['run', '--method', 'langevin', '--param', 'mala=maybe'], /--param mala: expected true or false/],
    [['run', '--out', 'traj.txt'], /--out: unknown file extension in 'traj.txt'/],
    [['run', '--init', join(dir, 'missing.npy')], /--init: cannot read '.*missing\.npy'/],
    [['run', '--n', '5', '--n', '6'], /--n given twice/],
    [['run', 'extra'], /unexpected argument 'extra'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /missing command/],
  ];
  it.each(cases)('%j -> exit 2, one line naming the argument', async (argv, message) => {
    const r = await wgf(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wgf: [^\n]*\n$/);
    expect(r.err).toMatch(message);
  });

  it('an unreadable --init file is a one-line error naming it', async () => {
    const garbage = join(dir, 'garbage.npy');
    writeFileSync(garbage, 'not numpy at all');
    const r = await wgf('run', '--backend', 'cpu', '--init', garbage);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: --init .*garbage\.npy: not an NPY file/);
  });

  it('passes engine ConfigError/ParamError messages through (exit 2)', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'mixture', '--param', 'components=not json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: [^\n]*\n$/);
    expect(r.err).toMatch(/components|mixture/);
  });

  it('refuses invalid SVGD kernel/domain/smoothing combinations when the run is resolved (exit 2, names the param)', async () => {
    const cases: [string[], RegExp][] = [
      [['--param', 'kernel=riesz'], /^wgf: svgd: kernel 'riesz' .*torus/],
      [['--param', 'kernel=imq', '--param', 'smoothing=pm'], /^wgf: svgd: smoothing pm .*riesz/],
      [['--domain', 'torus', '--target', 'torus-mixture', '--param', 'kernel=riesz', '--param', 'smoothing=pm', '--param', 'grid=48'], /^wgf: svgd: grid: .*power of two/],
      [['--domain', 'torus', '--target', 'torus-mixture', '--param', 'kernel=riesz', '--param', 'smoothing=pm', '--param', 'grid=16', '--param', 'modes=16'], /^wgf: svgd: modes 16 needs grid/],
    ];
    for (const [argv, message] of cases) {
      const r = await wgf('run', '--backend', 'cpu', '--method', 'svgd', '--n', '8', '--steps', '1', ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^wgf: [^\n]*\n$/);
      expect(r.err).toMatch(message);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['help']]) {
      const r = await wgf(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('wgf run [options]');
      expect(r.out).toContain('--param NAME=VALUE');
    }
  });

  it('list prints every method and target with its parameters', async () => {
    const r = await wgf('list');
    expect(r.code).toBe(0);
    for (const d of [...methods, ...targets]) {
      expect(r.out).toContain(d.id);
      for (const p of d.params) expect(r.out).toContain(p.name);
    }
    const j = await wgf('list', '--json');
    const parsed = JSON.parse(j.out) as { methods: { id: string }[]; targets: { id: string }[]; metrics: { id: string; label: string; appliesTo: string }[] };
    expect(parsed.methods.map((m) => m.id)).toEqual(methods.map((m) => m.id));
    expect(parsed.targets.map((t) => t.id)).toEqual(targets.map((t) => t.id));
    // the metrics section: every registered metric, its label and when it applies in words
    expect(parsed.metrics.map((m) => m.id)).toEqual(metrics.map((m) => m.id));
    expect(parsed.metrics.find((m) => m.id === 'ksd')).toMatchObject({ label: 'KSD', appliesTo: 'plane, not a landscape, the target has a density' });
    expect(parsed.metrics.find((m) => m.id === 'l2')?.appliesTo).toBe('torus, not a landscape');
    for (const m of metrics) expect(r.out).toContain(`  ${m.id.padEnd(10)} ${m.label}`);
  });
});

describe('wgf run --target-file (a target known only by samples)', () => {
  it('flows mmd-flow towards the points of a .npy [m,2] or .csv file; the JSON meta names the file', async () => {
    // Target cloud: 300 points on the circle of radius 2 centred at (3, -1): mean (3, -1), cov 2 I.
    const m = 300;
    const y = new Float32Array(2 * m);
    for (let k = 0; k < m; k++) {
      y[2 * k] = 3 + 2 * Math.cos((2 * Math.PI * k) / m);
      y[2 * k + 1] = -1 + 2 * Math.sin((2 * Math.PI * k) / m);
    }
    const npy = join(dir, 'cloud.npy');
    writeFileSync(npy, encodeNpy(y, [m, 2]));
    const csv = join(dir, 'cloud.csv');
    writeFileSync(csv, `x,y\n${Array.from({ length: m }, (_, k) => `${y[2 * k]},${y[2 * k + 1]}`).join('\n')}\n`);
    for (const file of [npy, csv]) {
      const out = join(dir, 'cloud-run.json');
      const r = await wgf('run', '--backend', 'cpu', '--method', 'mmd-flow', '--param', 'kernel=energy', '--target-file', file,
        '--n', '128', '--steps', '150', '--step-size', '1', '--seed', '2', '--out', out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = summaryOf(r.out);
      expect(s).toMatchObject({ method: 'mmd-flow', target: 'cloud', n: 128 });
      expect(Math.hypot(s.final.mean[0] - 3, s.final.mean[1] + 1)).toBeLessThan(0.05);
      const meta = (JSON.parse(readFileSync(out, 'utf8')) as { meta: { target: string; targetFile: string } }).meta;
      expect(meta).toMatchObject({ target: 'cloud', targetFile: file });
    }
  });

  it('bad target files and combinations are one-line errors (exit 2)', async () => {
    const bad3 = join(dir, 'frames.npy');
    writeFileSync(bad3, encodeNpy(new Float32Array(12), [2, 3, 2]));
    const bad1 = join(dir, 'wide.npy');
    writeFileSync(bad1, encodeNpy(new Float32Array(9), [3, 3]));
    const garbage = join(dir, 'garbage-cloud.npy');
    writeFileSync(garbage, 'not numpy at all');
    const cases: [string[], RegExp][] = [
      [['--target-file', join(dir, 'missing.npy')], /--target-file: cannot read '.*missing\.npy'/],
      [['--target-file', garbage], /--target-file .*garbage-cloud\.npy: not an NPY file/],
      [['--target-file', bad3], /--target-file .*frames\.npy: npy: expected shape \(m, 2\), got \(2, 3, 2\)/],
      [['--target-file', bad1], /--target-file .*wide\.npy: npy: expected shape/],
      [['--target-file', join(dir, 'cloud.txt.gz')], /--target-file: cannot read|unknown point file type/],
      [['--target', 'banana', '--target-file', bad1], /--target banana and --target-file both set the target/],
      [['--target', 'cloud'], /--target cloud needs --target-file/],
    ];
    for (const [argv, message] of cases) {
      const r = await wgf('run', '--backend', 'cpu', '--method', 'mmd-flow', '--n', '8', '--steps', '1', ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^wgf: [^\n]*\n$/);
      expect(r.err).toMatch(message);
    }
    // A score-based method on a file cloud: the engine's message, one line.
    const ok = join(dir, 'ok.npy');
    writeFileSync(ok, encodeNpy(new Float32Array([0, 0, 1, 1]), [2, 2]));
    const r = await wgf('run', '--backend', 'cpu', '--method', 'langevin', '--target-file', ok, '--n', '8', '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: .*known only by samples.*\n$/);
  });

  it('the usage text mentions --target-file', async () => {
    expect((await wgf('--help')).out).toContain('--target-file FILE');
  });
});

describe('wgf as a process on the GPU backend', () => {
  it('runs SVGD on Dawn and reports backend gpu (a missing adapter fails)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const out = join(dir, 'gpu.npy');
    const args = ['bin/wgf.mjs', 'run', '--backend', 'gpu', '--method', 'svgd', '--target', 'banana', '--n', '256', '--steps', '20', '--every', '10', '--step-size', '0.05', '--seed', '1', '--out', out];
    const p = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 110_000 });
    expect(p.error, String(p.error)).toBeUndefined();
    expect(p.status, `stderr: ${p.stderr}`).toBe(0);
    const s = summaryOf(p.stdout);
    expect(s.backend).toBe('gpu');
    expect(s.adapter.length).toBeGreaterThan(0);
    expect(s).toMatchObject({ method: 'svgd', target: 'banana', n: 256, frames: 3, final: { nonFinite: 0 } });
    expect(decodeNpy(readFileSync(out)).shape).toEqual([3, 256, 2]);
  });
});

describe('one parser: defaults, readouts and the sinkhorn command', () => {
  it('without --step-size the run takes the stable default of its method and target (src/engine/defaults.ts)', async () => {
    const out = join(dir, 'default-step.json');
    const r = await wgf('run', '--backend', 'cpu', '--target', '25gaussians', '--n', '16', '--steps', '5', '--out', out);
    expect(r.code).toBe(0);
    const meta = (JSON.parse(readFileSync(out, 'utf8')) as { meta: { stepSize: number; method: string } }).meta;
    expect(meta.method).toBe(CLI_DEFAULTS.method);
    expect(meta.stepSize).toBe(defaultStepSize(CLI_DEFAULTS.method, '25gaussians'));
    expect(summaryOf(r.out).final.nonFinite).toBe(0);
  });

  it("spreads the method's readouts into the result line's final object", async () => {
    const r = await wgf('run', '--backend', 'cpu', '--method', 'langevin', '--param', 'mala=true', '--n', '32', '--steps', '10');
    expect(r.code).toBe(0);
    const final = summaryOf(r.out).final;
    const keys = (getMethod('langevin').readouts ?? []).filter((s) => s.when === 'stats').map((s) => s.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(typeof final[k]).toBe('number');
  });

  it('wgf sinkhorn: bad arguments are one line "wgf sinkhorn: ..." with exit 2; a CPU run prints one JSON line', async () => {
    const a = join(dir, 'sa.npy');
    const b = join(dir, 'sb.npy');
    writeFileSync(a, encodeNpy(new Float32Array([0, 0, 1, 0, 0, 1]), [3, 2]));
    writeFileSync(b, encodeNpy(new Float32Array([0.1, 0, 1.1, 0, 0.1, 1]), [3, 2]));
    const cases: [string[], RegExp][] = [
      [[a], /expected two point files A B, got 1/],
      [[a, b, '--blur', '-1'], /--blur must be a positive number, got '-1'/],
      [[a, b, '--scaling', '1'], /--scaling must be a number in \(0, 1\)/],
      [[a, b, '--bogus'], /unknown option '--bogus' \(see wgf sinkhorn --help\)/],
      [[a, b, '--blur'], /--blur needs a value/],
      [[a, b, '--blur', '0.1', '--blur', '0.2'], /--blur given twice/],
      [[a, b, '--backend', 'tpu'], /--backend must be gpu or cpu, got 'tpu'/],
      [[a, b, '--no-debias=1'], /--no-debias takes no value/],
    ];
    for (const [argv, message] of cases) {
      const r = await wgf('sinkhorn', ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^wgf sinkhorn: [^\n]*\n$/);
      expect(r.err).toMatch(message);
    }
    expect((await wgf('sinkhorn', '--help', '--bogus')).code).toBe(0);
    const ok = await wgf('sinkhorn', a, b, '--backend', 'cpu', '--blur=0.1', '--no-debias');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.out) as { backend: string; n: number; m: number; debias: boolean; value: number };
    expect(j).toMatchObject({ backend: 'cpu', n: 3, m: 3, debias: false });
    expect(Number.isFinite(j.value)).toBe(true);
  });
});

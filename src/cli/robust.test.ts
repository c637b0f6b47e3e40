/**
 * Issue 21, the CLI and file side: nothing silent, nothing stuck. Each test here failed on the code
 * before it (d2961ab / 516cb0d), as its name says: NaN/Inf ONNX weights and non-finite samples
 * (item 1), float64 files beyond float32's range (item 2), ranges of every numeric flag, --out
 * checked first, bad files named with exit 2, the --param map without a prototype, fractional
 * counts (item 4), absurd sizes refused up front, progress and Ctrl-C (item 5), and `wgf train`'s
 * result line agreeing with its files (item 6).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnxObject, encodeOnnxObject, GeneratorModelError, readGeneratorModel } from '../generators/onnx';
import { decodeNpy, encodeNpy } from '../io/npy';
import { main } from './main';
import { Progress } from './progress';
import { csvPointChunks, csvPoints } from './sample';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wgf-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = '';
  let err = '';
  const t0 = performance.now();
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err, ms: performance.now() - t0 };
}

/** A little-endian float64 .npy of `shape` (numpy's '<f8'). */
function npyF64(values: number[], shape: number[]): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const len = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const bytes = new Uint8Array(10 + len + 8 * values.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, len, true);
  bytes.set(new TextEncoder().encode(dict.padEnd(len - 1, ' ') + '\n'), 10);
  const view = new DataView(bytes.buffer, 10 + len);
  values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  return bytes;
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const shipped = (name: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'public/models', name)));

interface OnnxTensor { name: string; data_type: number; dims: number[]; raw_data?: Uint8Array; float_data?: number[] }
interface OnnxObject { graph: { initializer: OnnxTensor[]; node: { name: string; op_type: string; attribute?: { name: string; f?: number; type: number }[] }[] } }

/** The model with `edit` applied to its decoded ModelProto. */
function mutate(bytes: Uint8Array, edit: (m: OnnxObject) => void): Uint8Array {
  const m = decodeOnnxObject(bytes) as unknown as OnnxObject;
  edit(m);
  return encodeOnnxObject(m as unknown as Record<string, unknown>);
}

/** Set float32 value `index` of initializer `name` (raw_data) to v. */
function setWeight(m: OnnxObject, name: string, index: number, v: number): void {
  const t = m.graph.initializer.find((x) => x.name === name);
  if (!t?.raw_data) throw new Error(`no raw initializer ${name}`);
  const raw = new Uint8Array(t.raw_data);
  new DataView(raw.buffer).setFloat32(4 * index, v, true);
  t.raw_data = raw;
}

describe('item 1: non-finite ONNX weights are refused by name; non-finite samples are never written', () => {
  it('readGeneratorModel refuses NaN / Inf in raw, float_data and attributes, naming the tensor (was accepted)', () => {
    const base = shipped('wflow-8gaussians.onnx');
    expect(() => readGeneratorModel(base)).not.toThrow();
    const nan = mutate(base, (m) => setWeight(m, 's1_l2_W', 5, NaN));
    expect(() => readGeneratorModel(nan)).toThrow(GeneratorModelError);
    expect(() => readGeneratorModel(nan)).toThrow(/initializer 's1_l2_W' holds a non-finite value \(NaN at \[0, 5\]\)/);
    const inf = mutate(base, (m) => {
      const t = m.graph.initializer.find((x) => x.name === 's1_l1_b');
      if (!t?.raw_data) throw new Error('no s1_l1_b');
      const v = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      t.float_data = Array.from({ length: t.raw_data.length / 4 }, (_, i) => (i === 3 ? -Infinity : v.getFloat32(4 * i, true)));
      delete t.raw_data;
    });
    expect(() => readGeneratorModel(inf)).toThrow(/initializer 's1_l1_b' holds a non-finite value \(-Infinity at \[3\]\)/);
    const alpha = mutate(base, (m) => {
      const gemm = m.graph.node.find((n) => n.op_type === 'Gemm');
      const a = gemm?.attribute?.find((x) => x.name === 'alpha');
      if (!a) throw new Error('no alpha');
      a.f = NaN;
    });
    expect(() => readGeneratorModel(alpha)).toThrow(/attribute 'alpha' of node 's1_l1_gemm' \(Gemm\) is NaN/);
    // one NaN in every shipped model is caught
    const models = readdirOnnx();
    expect(models.length).toBeGreaterThan(20);
    for (const name of models) {
      const bytes = shipped(name);
      expect(() => readGeneratorModel(bytes), name).not.toThrow();
      const m = decodeOnnxObject(bytes) as unknown as OnnxObject;
      const last = m.graph.initializer[m.graph.initializer.length - 1];
      if (!last) throw new Error(name);
      expect(() => readGeneratorModel(mutate(bytes, (x) => setWeight(x, last.name, 0, NaN))), name).toThrow(new RegExp(`'${last.name}' holds a non-finite value`));
    }
  });

  it('wgf sample --model nan_weights.onnx: exit 2 naming --model and the tensor, nothing written (was exit 0 with 512 NaN)', async () => {
    const model = file('nan_weights.onnx', mutate(shipped('wflow-8gaussians.onnx'), (m) => setWeight(m, 's1_l2_W', 0, NaN)));
    const out = join(dir, 'nan-samples.npy');
    const r = await wgf('sample', '--model', model, '--n', '256', '--out', out);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wgf sample: --model .*nan_weights\.onnx: initializer 's1_l2_W' holds a non-finite value[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('a finite model whose output overflows: exit 3, one line, nothing written (was exit 0, "mean":[null,null])', async () => {
    // last layer weights 3e38: finite weights, x = z + h W + b overflows to +-Infinity
    const model = file('overflow.onnx', mutate(shipped('wflow-8gaussians.onnx'), (m) => {
      const w = m.graph.initializer.filter((t) => /_W$/.test(t.name)).pop();
      if (!w?.raw_data) throw new Error('no W');
      const raw = new Uint8Array(w.raw_data);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < raw.length / 4; i++) view.setFloat32(4 * i, 3e38, true);
      w.raw_data = raw;
    }));
    expect(() => readGeneratorModel(readFileSync(model))).not.toThrow();
    const out = join(dir, 'overflow.npy');
    const r = await wgf('sample', '--model', model, '--n', '256', '--out', out);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wgf sample: .*overflow\.onnx: \d+ of 256 samples of output 'x' are non-finite \(NaN or Inf\): nothing written[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });
});

function readdirOnnx(): string[] {
  return readdirSync(join(root, 'public/models')).filter((f) => f.endsWith('.onnx'));
}

describe('bugs the CLI fuzz found (src/fuzz/cliFuzz.ts)', () => {
  it('wgf sample --n 16776961 --out x.csv wrote one string past V8\'s limit (exit 1 after 7 min): the CSV is written in chunks', () => {
    const x = Float32Array.from([1, 2, 3.5, -4, 0.25, 1e-7, 5, 6]);
    const parts = [...csvPointChunks(x, 3)];
    expect(parts.length).toBe(3);
    expect(parts.join('')).toBe('x,y\n1,2\n3.5,-4\n0.25,1.0000000116860974e-7\n5,6\n');
    expect(csvPoints(x)).toBe(parts.join(''));
  });
});

describe('item 2: float64 files beyond float32 are refused by file, row and column', () => {
  it('--init float64 NPY with 1e39: exit 2 naming the file, row and column (was exit 0 with non-finite particles)', async () => {
    const init = file('huge-init.npy', npyF64([0, 0, 1, 1, 2, 1e39], [3, 2]));
    const r = await wgf('run', '--backend', 'cpu', '--init', init, '--steps', '3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf: --init .*huge-init\.npy: npy: row 2, column 2 \(y\) is 1e\+39, beyond float32's range[^\n]*\n$/);
    // --steps 0 used to report nonFinite: 0 and write Inf into the .npy
    const out = join(dir, 'steps0.npy');
    const z = await wgf('run', '--backend', 'cpu', '--init', init, '--steps', '0', '--out', out);
    expect(z.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('--target-file CSV and sinkhorn A/B beyond float32: exit 2 naming the line (was exit 0, "value": null)', async () => {
    const cloud = file('huge.csv', '# cloud\nx,y\n0,0\n1,1\n\n2,-4e38\n');
    const r = await wgf('run', '--backend', 'cpu', '--method', 'mmd-flow', '--target-file', cloud, '--n', '8', '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--target-file .*huge\.csv: csv: line 6, column 2 \(y\) is -4e\+38, beyond float32's range/);
    const ok = file('ok.npy', encodeNpy(new Float32Array([0, 0, 1, 0, 0, 1]), [3, 2]));
    const big = file('big.npy', npyF64([0, 0, 1e300, 0], [2, 2]));
    const a = await wgf('sinkhorn', big, ok, '--backend', 'cpu');
    expect(a.code).toBe(2);
    expect(a.out).toBe('');
    expect(a.err).toMatch(/^wgf sinkhorn: A .*big\.npy: npy: row 1, column 1 \(x\) is 1e\+300, beyond float32's range[^\n]*\n$/);
    const b = await wgf('sinkhorn', ok, big, '--backend', 'cpu');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^wgf sinkhorn: B .*big\.npy: /);
  });

  it('wgf sinkhorn with a non-finite value: exit 3, nothing on stdout (was "value": null, exit 0)', async () => {
    const a = file('sa.npy', encodeNpy(new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), [4, 2]));
    const b = file('sb.npy', encodeNpy(new Float32Array([0.5, 0, 1.5, 0, 0.5, 1]), [3, 2]));
    const r = await wgf('sinkhorn', a, b, '--backend', 'cpu', '--blur', '1e-200', '--max-iter', '20');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wgf sinkhorn: the S_eps value is not finite \(NaN\)[^\n]*\n$/);
  });
});

describe('item 4: every numeric flag has a range, checked first; files named; no prototype; counts', () => {
  const cases: [string[], RegExp, string][] = [
    [['run', '--n', '1e308'], /^wgf: --n must be at most 16,776,960 on the gpu backend, got '1e308'/, 'Invalid typed array length'],
    [['run', '--n', '99999999999999999999999'], /^wgf: --n must be at most/, ''],
    [['run', '--backend', 'cpu', '--n', '2000000'], /^wgf: --n must be at most 1,048,576 on the cpu backend/, ''],
    [['run', '--steps', '1e308'], /^wgf: --steps must be at most 10,000,000/, ''],
    [['run', '--steps', '100', '--every', '1e308'], /^wgf: --every must be at most/, ''],
    [['run', '--step-size', '1e308'], /^wgf: --step-size must be at most 1000000/, ''],
    [['run', '--target-samples', '1e30', '--method', 'mmd-flow', '--target', 'banana'], /^wgf: --target-samples must be at most/, ''],
    [['run', '--backend', 'cpu', '--n', '1000000', '--steps', '1000000'], /^wgf: --n 1,000,000 x --steps 1,000,000 = 1\.0e12 particle-steps, over the cpu backend's limit/, ''],
    [['run', '--backend', 'cpu', '--n', '100000', '--steps', '100000', '--every', '1', '--out', 'x.npy'], /^wgf: --out would hold 100,001 frames of 100,000 particles/, ''],
    [['sinkhorn', 'a.npy', 'b.npy', '--max-iter', '1e308'], /^wgf sinkhorn: --max-iter must be at most 1,000,000/, ''],
    [['sinkhorn', 'a.npy', 'b.npy', '--check-every', '1e12'], /^wgf sinkhorn: --check-every must be at most/, ''],
    [['sinkhorn', 'a.npy', 'b.npy', '--blur', '1e308'], /^wgf sinkhorn: --blur must be at most/, ''],
    [['train', '--method', 'wflow', '--target', 'moons', '--steps', '1e308'], /^wgf train: --steps must be at most 1,000,000/, ''],
    [['train', '--method', 'wflow', '--target', 'moons', '--seed', '1e308'], /^wgf train: --seed must be at most/, ''],
    [['sample', '--model', 'm.onnx', '--out', 'x.npy', '--n', '1e308'], /^wgf sample: --n must be at most 16,777,216/, ''],
    [['sample', '--model', 'm.onnx', '--out', 'x.npy', '--seed', '1e308'], /^wgf sample: --seed must be at most/, ''],
  ];
  it.each(cases)('%j -> exit 2 naming the flag, before any allocation', async (argv, message) => {
    const r = await wgf(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wgf[a-z ]*: [^\n]*\n$/);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/Invalid typed array length|RangeError/);
  });

  it('an unwritable --out is found before the computation (was after it)', async () => {
    const blocker = file('a-file', 'x');
    // a CPU run of minutes: refused in well under a second when --out cannot be written
    for (const out of [join(blocker, 'traj.npy'), dir, '/proc/wgf-no/traj.npy']) {
      const r = await wgf('run', '--backend', 'cpu', '--method', 'svgd', '--n', '20000', '--steps', '1000', '--out', out);
      expect(r.code, out).toBe(2);
      expect(r.err).toMatch(/^wgf: --out: cannot write|^wgf: --out: unknown file extension/);
      expect(r.ms).toBeLessThan(5000);
    }
    const s = await wgf('sample', '--model', join(root, 'public/models/wflow-8gaussians.onnx'), '--out', join(blocker, 'x.npy'));
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/^wgf sample: --out: cannot write/);
    const t = await wgf('train', '--method', 'uotm', '--target', 'moons', '--steps', '100000', '--out', join(blocker, 'm.onnx'));
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/^wgf train: --out: cannot write/);
    expect(t.ms).toBeLessThan(5000);
  });

  it('a bad input file exits 2 naming which file in every command (sinkhorn and train said 1)', async () => {
    const garbage = file('garbage.npy', 'not numpy at all');
    const ok = file('ok2.npy', encodeNpy(new Float32Array([0, 0, 1, 0, 0, 1]), [3, 2]));
    const runs: [string[], RegExp][] = [
      [['run', '--backend', 'cpu', '--init', garbage], /^wgf: --init .*garbage\.npy: not an NPY file/],
      [['run', '--backend', 'cpu', '--method', 'mmd-flow', '--target-file', garbage], /^wgf: --target-file .*garbage\.npy: not an NPY file/],
      [['sinkhorn', garbage, ok, '--backend', 'cpu'], /^wgf sinkhorn: A .*garbage\.npy: not an NPY file/],
      [['sinkhorn', ok, garbage, '--backend', 'cpu'], /^wgf sinkhorn: B .*garbage\.npy: not an NPY file/],
      [['sinkhorn', ok, join(dir, 'missing.csv'), '--backend', 'cpu'], /^wgf sinkhorn: B: cannot read '.*missing\.csv': no such file/],
      [['train', '--method', 'uotm', '--target-file', garbage, '--out', join(dir, 't.onnx')], /^wgf train: --target-file .*garbage\.npy: not an NPY file/],
      [['train', '--method', 'uotm', '--target-file', join(dir, 'missing.npy'), '--out', join(dir, 't.onnx')], /^wgf train: --target-file: cannot read/],
      [['sample', '--model', garbage, '--out', join(dir, 's.npy')], /^wgf sample: --model .*garbage\.npy: not an ONNX model/],
      [['sample', '--model', join(dir, 'missing.onnx'), '--out', join(dir, 's.npy')], /^wgf sample: --model: cannot read '.*missing\.onnx'/],
    ];
    for (const [argv, message] of runs) {
      const r = await wgf(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^wgf[a-z ]*: [^\n]*\n$/);
      expect(r.err).toMatch(message);
    }
  });

  it("--param toString=1 / constructor=1 / __proto__=1 given once are unknown names, not 'given twice'", async () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const t = await wgf('train', '--method', 'wflow', '--target', 'moons', '--param', `${name}=1`);
      expect(t.code, name).toBe(2);
      expect(t.err).not.toMatch(/given twice/);
      expect(t.err).toMatch(new RegExp(`--param ${name}: unknown training parameter`));
      const r = await wgf('run', '--backend', 'cpu', '--param', `${name}=1`);
      expect(r.code).toBe(2);
      expect(r.err).not.toMatch(/given twice/);
      expect(r.err).toMatch(/unknown parameter/);
    }
    // a real repeat is still refused
    const twice = await wgf('train', '--method', 'wflow', '--target', 'moons', '--param', 'lr=1e-3', '--param', 'lr=2e-3');
    expect(twice.err).toMatch(/--param lr given twice/);
  });

  it('fractional counts are refused, not rounded (k=2.5, iterations, inner, m, innerIters, grid)', async () => {
    const runs: string[][] = [
      ['--method', 'wsfn', '--target', 'double-well', '--param', 'k=2.5'],
      ['--method', 'sinkhorn-flow', '--target', 'banana', '--param', 'iterations=2.5'],
      ['--method', 'gwg', '--target', 'banana', '--param', 'inner=2.5'],
      ['--method', 'wsfn', '--target', 'two-layer-net', '--param', 'm=31.5'],
      ['--method', 'jko', '--target', 'banana', '--param', 'innerIters=1.5'],
    ];
    for (const argv of runs) {
      const r = await wgf('run', '--backend', 'cpu', '--n', '8', '--steps', '1', ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      const name = (argv[argv.length - 1] ?? '').split('=')[0] ?? '';
      expect(r.err).toMatch(new RegExp(`^wgf: --param ${name} is a count: it must be an integer, got`));
    }
    const t = await wgf('train', '--method', 'wflow', '--target', 'moons', '--param', 'iterations=2.5');
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/iterations must be a positive integer, got '2\.5'/);
  });
});

describe('item 5: absurd sizes refused up front, bounds stated, progress, Ctrl-C', () => {
  it('train --steps 9007199254740993 and --param batch=1e9 are refused at once (ran for ever)', async () => {
    const a = await wgf('train', '--method', 'wflow', '--target', 'moons', '--steps', '9007199254740993');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--steps must be at most 1,000,000/);
    const b = await wgf('train', '--method', 'wflow', '--target', 'moons', '--param', 'batch=1e9');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--param batch must be at most 16,384, got 1,000,000,000/);
    const c = await wgf('train', '--method', 'wflow', '--target', 'moons', '--steps', '1000000', '--param', 'batch=16384');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/operations, over the limit of 1\.0e13/);
    expect(a.ms + b.ms + c.ms).toBeLessThan(5000);
  });

  it('--init /dev/zero, a FIFO-like device and a file over 1 GiB are refused by stat, never read (grew to 14 GB)', async () => {
    const z = await wgf('run', '--backend', 'cpu', '--init', '/dev/zero');
    expect(z.code).toBe(2);
    expect(z.err).toMatch(/^wgf: --init: cannot read '\/dev\/zero': not a regular file/);
    const d = await wgf('run', '--backend', 'cpu', '--init', dir);
    expect(d.err).toMatch(/--init: cannot read .*: is a directory/);
    const sparse = join(dir, 'sparse.npy');
    writeFileSync(sparse, '');
    truncateSync(sparse, 2 * 1024 ** 3); // 2 GiB, sparse: nothing is allocated on disk
    const big = await wgf('sinkhorn', sparse, sparse, '--backend', 'cpu');
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/^wgf sinkhorn: A .*sparse\.npy: 2,147,483,648 bytes, over the 1,073,741,824-byte limit for input files/);
    expect(big.ms).toBeLessThan(3000);
    rmSync(sparse);
  });

  it('sinkhorn on 200,000 points on the CPU is refused up front with the estimate (ran past 60 s silently)', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${(i % 997) / 100},${(i % 991) / 100}`);
    const big = file('big200k.csv', `x,y\n${rows.join('\n')}\n`);
    const r = await wgf('sinkhorn', big, big, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf sinkhorn: A \(200,000 points\) x B \(200,000 points\) x up to [\d,]+ iterations = [\d.]+e\d+ pair evaluations, over the cpu backend's limit of 1\.0e11[^\n]*--backend gpu\n$/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('wgf --help, wgf list and the sub-commands state the bounds', async () => {
    const help = (await wgf('--help')).out;
    for (const s of ['Limits', '--n 1..16,776,960 (gpu)', '--steps 0..10,000,000', 'regular files of at most 1 GiB', 'Ctrl-C']) expect(help).toContain(s);
    const list = (await wgf('list')).out;
    expect(list).toContain('Limits');
    expect(list).toMatch(/iterations\s+number\s+default 1\s+integer \[1, 1000\]/);
    expect((await wgf('train', '--help')).out).toContain('batch, batchEnd <= 16,384');
    expect((await wgf('sample', '--help')).out).toContain('1..16,777,216');
    expect((await wgf('sinkhorn', '--help')).out).toContain('pair evaluations');
  });

  it('progress: silent for 2 s, then a line per 10% (not a terminal) or a bar redrawn in place (a terminal)', () => {
    let t = 0;
    const lines: string[] = [];
    const p = new Progress({ err: (s) => void lines.push(s), progress: true }, 'wgf run', 1000, 'steps', () => t);
    for (let done = 0; done <= 1000; done += 10) {
      t = done * 10; // 10 s in all
      p.update(done);
    }
    p.finish();
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines[0]).toMatch(/^wgf run: 20% \(200\/1,000 steps, 2\.0 s, about 8\.0 s left; Ctrl-C stops\)\n$/);
    expect(lines.at(-1)).toMatch(/^wgf run: 100% /);
    t = 0;
    const tty: string[] = [];
    const q = new Progress({ err: (s) => void tty.push(s), isTTY: true, progress: true }, 'wgf run', 100, 'steps', () => t);
    q.update(10);
    expect(tty).toHaveLength(0);
    t = 3000;
    q.update(50);
    q.finish();
    expect(tty[0]).toMatch(/^\rwgf run \[#{15}\.{15}\] 50% /);
    expect(tty.at(-1)).toBe('\n');
    // in-process callers (no progress flag) and work that ends before anything was shown: silent
    const quiet: string[] = [];
    t = 0;
    const r = new Progress({ err: (s) => void quiet.push(s) }, 'wgf run', 10, 'steps', () => t);
    t = 5000;
    r.update(5);
    const s = new Progress({ err: (x) => void quiet.push(x), progress: true }, 'wgf run', 10, 'steps', () => t);
    t = 9000;
    s.update(10);
    expect(quiet).toEqual([]);
  });

  it('Ctrl-C stops a run cleanly: the frames so far are written and the line says so (exit 130; was killed with no file)', async () => {
    const out = join(dir, 'interrupted.npy');
    const args = ['bin/wgf.mjs', 'run', '--backend', 'cpu', '--method', 'svgd', '--n', '1500', '--steps', '100000', '--every', '5', '--out', out];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    const progressed = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/wgf run: \d+%/.test(stderr)) resolve();
      });
    });
    await Promise.race([progressed, new Promise((r) => setTimeout(r, 40_000))]);
    expect(stderr, 'a progress line after ~2 s on a non-terminal stderr').toMatch(/^wgf run: \d+% \([\d,]+\/100,000 steps, [\d.]+ s, about .* left; Ctrl-C stops\)$/m);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    const line = JSON.parse(stdout.trim()) as { steps: number; frames: number; interrupted: boolean; out: string; final: { nonFinite: number } };
    expect(line.interrupted).toBe(true);
    expect(line.steps).toBeGreaterThan(0);
    expect(line.steps).toBeLessThan(100_000);
    expect(stderr).toMatch(/wgf: interrupted after \d+ of 100000 steps; \d+ frames written to/);
    const npy = decodeNpy(readFileSync(out));
    expect(npy.shape).toEqual([line.frames, 1500, 2]);
    expect(npy.data.every(Number.isFinite)).toBe(true);
  }, 90_000);
});

describe('item 6: wgf train: the result line and the files always agree', () => {
  it('sjko with --steps below its stages is refused (said steps 6 for --steps 5, exit 0)', async () => {
    const out = join(dir, 'sjko5.onnx');
    const r = await wgf('train', '--method', 'sjko', '--target', 'mixture', '--steps', '5', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wgf train: --steps 5 is fewer than the 6 S-JKO stages/);
    expect(existsSync(out)).toBe(false);
  });

  it('the line, the card and the model metadata name the same steps and files', async () => {
    for (const [method, extra] of [['sjko', ['--param', 'stages=2']]] as const) {
      const out = join(dir, 'agree', `${method}.onnx`);
      const r = await wgf('train', '--method', method, '--target', 'moons', '--steps', '6', '--param', 'hidden=8', '--param', 'batch=32', '--no-sinkhorn', '--out', out, ...extra);
      expect(r.code, r.err).toBe(0);
      const line = JSON.parse(r.out) as { steps: number; out: string; card: string; id: string };
      expect(line.steps).toBe(6);
      expect(line.out).toBe(out);
      const card = JSON.parse(readFileSync(line.card, 'utf8')) as { steps: number; id: string; file: string };
      expect(card).toMatchObject({ steps: 6, id: line.id, file: `${method}.onnx` });
      const info = readGeneratorModel(readFileSync(line.out));
      expect(info.metadata.steps).toBe('6');
      expect(info.metadata.id).toBe(line.id);
    }
  });
});

/**
 * The CLI fuzz harness (issue 21, "Done means"): seeded fast-check generators of `wgf` argument
 * vectors, of NPY / CSV point files and of ONNX mutants of the shipped models, and the one oracle
 * that classifies each case by running `main()` in process:
 *
 *   refused   exit 2, one line on stderr that starts with the command's prefix
 *   accepted  exit 0 with a result line that agrees with the file it names (shape, finite values,
 *             the line's mean = the file's mean), or exit 3 with nothing non-finite left as exit 0
 *   failed    anything else: an exception escaping main, exit 1 or another code, a stack trace
 *             on stderr, a non-finite number with exit 0, a result line that disagrees with its file,
 *             or more than one line on stderr for a refusal
 *
 * Used by src/fuzz/cli.fuzz.test.ts (a short budget in CI) and scripts/fuzz-long.ts (`npm run
 * fuzz:long`, the long budget, with a report: tried / refused / accepted / failed). Accepted runs are
 * kept cheap by construction (the CPU backend, small n and steps among the hostile values); the
 * GPU backend is not fuzzed here (src/cli/cli.test.ts runs it once).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeOnnxObject, encodeOnnxObject, readGeneratorModel } from '../generators/onnx';
import { decodeNpy, encodeNpy } from '../io/npy';
import { methods } from '../methods/registry';
import { targets } from '../targets/registry';
import { main } from '../cli/main';
import { csvText, npyBytes } from './arbitraries';

export type Outcome = { kind: 'refused' } | { kind: 'accepted' } | { kind: 'failed'; why: string };

export interface SuiteReport {
  suite: string;
  tried: number;
  refused: number;
  accepted: number;
  failed: number;
  /** The first few failures: the case and why. */
  failures: string[];
  ms: number;
  /** The slowest cases (ms, label). */
  slowest: [number, string][];
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
  threw?: unknown;
}

/** main() in process, its stdout / stderr captured; an exception escaping it is recorded, not thrown. */
export async function runWgf(argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  try {
    const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out, err };
  } catch (e) {
    return { code: -1, out, err, threw: e };
  }
}

const PREFIX = /^wgf( run| sinkhorn| train| sample)?: /;

function finiteDeep(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null) return false; // JSON writes NaN and Infinity as null
  if (Array.isArray(v)) return v.every(finiteDeep);
  if (typeof v === 'object') return Object.values(v).every(finiteDeep);
  return true;
}

/** Points of an output file (npy [.., n, 2] last frame, csv x,y / trajectory csv, json frames). */
function filePoints(path: string): { n: number; data: ArrayLike<number>; frames: number } {
  const bytes = readFileSync(path);
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) {
    const a = decodeNpy(bytes);
    const n = a.shape[a.shape.length - 2] ?? 0;
    const frames = a.shape.length === 3 ? (a.shape[0] ?? 0) : 1;
    return { n, data: a.data, frames };
  }
  if (lower.endsWith('.csv')) {
    // line by line from the bytes: a 16-million-row file is more than V8's longest string
    const cols: string[] = [];
    const data: number[] = [];
    const steps = new Set<number>();
    let xi = 0, yi = 1, si = -1;
    let start = 0;
    let first = true;
    while (start < bytes.length) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      const line = bytes.toString('utf8', start, end).trim();
      start = end + 1;
      if (line === '') continue;
      const cells = line.split(',');
      if (first) {
        first = false;
        if (cells.some((c) => !Number.isFinite(Number(c)))) {
          cols.push(...cells);
          xi = cols.indexOf('x');
          yi = cols.indexOf('y');
          si = cols.indexOf('step');
          continue;
        }
      }
      data.push(Number(cells[xi] ?? NaN), Number(cells[yi] ?? NaN));
      if (si >= 0) steps.add(Number(cells[si]));
    }
    const frames = si >= 0 ? steps.size : 1;
    return { n: data.length / 2 / frames, data, frames };
  }
  const j = JSON.parse(bytes.toString('utf8')) as { frames: (number | null)[][][] };
  const flat = j.frames.flat(2).map((v) => (v === null ? NaN : v));
  return { n: j.frames[0]?.length ?? 0, data: flat, frames: j.frames.length };
}

/** The oracle (see the header). `argv` is the command line (for the `--out` it names). */
export function classify(argv: readonly string[], r: CliRun): Outcome {
  const fail = (why: string): Outcome => ({ kind: 'failed', why });
  if (r.threw !== undefined) return fail(`threw ${r.threw instanceof Error ? `${r.threw.name}: ${r.threw.message}` : String(r.threw)}`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(r.err) || /\n\s+at /.test(r.out)) return fail(`stack trace: ${r.err.slice(0, 300)}`);
  if (r.code === 2) {
    if (r.out !== '') return fail(`refused with stdout: ${r.out.slice(0, 200)}`);
    if (!PREFIX.test(r.err) || r.err.trimEnd().includes('\n')) return fail(`refusal not one line naming the command: ${JSON.stringify(r.err.slice(0, 300))}`);
    return { kind: 'refused' };
  }
  if (r.code !== 0 && r.code !== 3) return fail(`exit ${r.code}: ${r.err.slice(0, 300)}`);
  const command = argv[0] ?? '';
  const outFlag = argv.findIndex((a) => a === '--out' || a.startsWith('--out='));
  const outPath = outFlag < 0 ? undefined : argv[outFlag]?.startsWith('--out=') ? argv[outFlag]?.slice(6) : argv[outFlag + 1];
  if (r.code === 3) {
    // non-finite: said on stderr; sample / sinkhorn / train write nothing and print no line
    if (!PREFIX.test(r.err)) return fail(`exit 3 without a message: ${r.err.slice(0, 200)}`);
    if (command === 'sample' && outPath !== undefined && existsSync(outPath)) return fail('exit 3 but the samples were written');
    if (command === 'run') {
      // non-finite particles, or the engine's divergence rule fired (src/engine/divergence.ts: the line says why)
      const line = JSON.parse(r.out.trim() || '{}') as { final?: { nonFinite?: number }; diverged?: string };
      if (!((line.final?.nonFinite ?? 0) > 0) && !(typeof line.diverged === 'string' && line.diverged !== '')) {
        return fail(`exit 3 with nonFinite ${String(line.final?.nonFinite)} and no divergence named`);
      }
    }
    return { kind: 'accepted' };
  }
  // exit 0 for usage and listings: text on stdout, nothing on stderr
  if (command === 'list' || command === 'help' || command === '--help' || argv.includes('--help') || argv.includes('-h')) {
    if (r.out === '' || r.err !== '') return fail(`help / list: stdout ${r.out.length} chars, stderr ${JSON.stringify(r.err.slice(0, 200))}`);
    return { kind: 'accepted' };
  }
  // exit 0: one finite result line that agrees with its file
  const lines = r.out.trimEnd().split('\n');
  if (lines.length !== 1) return fail(`exit 0 with ${lines.length} lines on stdout`);
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  } catch {
    return fail(`exit 0, stdout not JSON: ${lines[0]?.slice(0, 200) ?? ''}`);
  }
  const numbers = command === 'run' ? line.final : command === 'sinkhorn' ? { value: line.value, marginalError: line.marginalError } : command === 'sample' ? line.mean : line.metrics;
  if (!finiteDeep(numbers)) return fail(`exit 0 with a non-finite number: ${lines[0]?.slice(0, 300) ?? ''}`);
  const out = typeof line.out === 'string' ? line.out : undefined;
  if (outPath !== undefined && out !== outPath && command !== 'train') return fail(`line says out ${String(line.out)}, the command line ${outPath}`);
  if (out !== undefined) {
    if (!existsSync(out)) return fail(`the line names ${out}, which does not exist`);
    try {
      if (command === 'train') {
        const info = readGeneratorModel(readFileSync(out));
        const card = JSON.parse(readFileSync(String(line.card), 'utf8')) as { steps: number; id: string };
        if (info.metadata.steps !== String(line.steps) || card.steps !== line.steps || card.id !== line.id) return fail(`train line / card / model disagree: line ${String(line.steps)}, card ${card.steps}, model ${String(info.metadata.steps)}`);
        return { kind: 'accepted' };
      }
      const p = filePoints(out);
      for (let i = 0; i < p.data.length; i++) if (!Number.isFinite(p.data[i] ?? NaN)) return fail(`exit 0 but ${out} holds a non-finite value at ${i}`);
      if (command === 'run') {
        if (p.n !== line.n || p.frames !== line.frames) return fail(`line n ${String(line.n)} frames ${String(line.frames)}, file n ${p.n} frames ${p.frames}`);
        const mean = (line.final as { mean: number[] }).mean;
        const last = Array.from(p.data).slice((p.frames - 1) * p.n * 2);
        const mx = last.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) / p.n;
        const tol = 1e-3 * (1 + Math.abs(mx)) + 1e-5 * Math.max(...last.map(Math.abs));
        if (Math.abs(mx - (mean[0] ?? NaN)) > tol) return fail(`line mean x ${String(mean[0])} vs the file's last frame ${mx}`);
      }
      if (command === 'sample') {
        if (p.n !== line.n) return fail(`line n ${String(line.n)}, file ${p.n}`);
        const mean = line.mean as number[];
        let mx = 0;
        for (let i = 0; i < p.n; i++) mx += (p.data[2 * i] ?? 0) / p.n;
        if (Math.abs(mx - (mean[0] ?? NaN)) > 1e-3 * (1 + Math.abs(mx))) return fail(`sample mean ${String(mean[0])} vs file ${mx}`);
      }
    } catch (e) {
      return fail(`the file ${out} does not read back: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { kind: 'accepted' };
}

// ---------------------------------------------------------------- generators

const methodIds = methods.map((m) => m.id);
const targetIds = targets.map((t) => t.id);
const garbage = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('', ' ', '-', '--', '-1', '1e400', 'NaN', 'Infinity', '0x10', '1.5', '=', 'a=b', '\u00e9', 'toString', '__proto__', 'constructor'));
/** Counts: mostly small and cheap, with the hostile ones (all refused before any work). */
const count = (small: number): fc.Arbitrary<string> => fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: small }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('1e308', '-1e308', '9007199254740993', '99999999999999999999999', '1e9', '16776961', '2.5', '-1', '0', '1e3', ' 7 ', '0x10', 'NaN', 'Infinity', '') },
  { weight: 1, arbitrary: garbage },
);
const real = fc.oneof(fc.double({ min: 1e-4, max: 0.2, noNaN: true }).map(String), fc.constantFrom('1e308', '-0.1', '0', '5e-324', 'NaN', '1e6', '1e7', '1e-300'), garbage);
const paramFor = (specsOf: { params: { name: string; kind: string; min?: number; max?: number; options?: string[] }[] }[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...specsOf.flatMap((d) => d.params), { name: 'lr', kind: 'number', min: 1e-5, max: 1 }).chain((p) =>
      (p.kind === 'number'
        ? fc.oneof(fc.double({ min: p.min ?? -10, max: p.max ?? 10, noNaN: true }).map(String), fc.integer({ min: Math.ceil(p.min ?? 0), max: Math.max(Math.ceil(p.min ?? 0), Math.min(Math.floor(p.max ?? 50), 50)) }).map(String), fc.constantFrom('2.5', '1e308', 'NaN', '-1'))
        : p.kind === 'enum' ? fc.constantFrom(...(p.options ?? ['x']), 'nope')
          : p.kind === 'boolean' ? fc.constantFrom('true', 'false', 'maybe')
            : garbage).map((v) => `${p.name}=${v}`)),
    fc.tuple(garbage, garbage).map(([a, b]) => `${a}=${b}`),
    fc.constantFrom('toString=1', 'constructor=1', '__proto__=1', 'hasOwnProperty=x', '=1', 'nope'),
  );

/** A flag group: `--f v`, `--f=v`, a bare flag, a stray token. */
function groups(flags: Record<string, fc.Arbitrary<string>>, bare: string[]): fc.Arbitrary<string[]> {
  const names = Object.keys(flags);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names).chain((f) => (flags[f] ?? garbage).map((v) => [`--${f}`, v])) },
    { weight: 2, arbitrary: fc.constantFrom(...names).chain((f) => (flags[f] ?? garbage).map((v) => [`--${f}=${v}`])) },
    { weight: 1, arbitrary: fc.constantFrom(...bare, '--bogus', '-x', '--').map((f) => [f]) },
    { weight: 1, arbitrary: garbage.map((g) => [g]) },
  );
}

/** Files the argument vectors point at (good, bad, missing, special), made by `prepareFiles`. */
export interface FuzzFiles {
  dir: string;
  points: string[];
  models: string[];
}

export function prepareFiles(dir: string, root: string): FuzzFiles {
  mkdirSync(dir, { recursive: true });
  const w = (name: string, content: string | Uint8Array): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const ring = Float32Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? Math.cos(i) * 2 : Math.sin(i) * 2));
  const points = [
    w('ring.npy', encodeNpy(ring, [32, 2])), w('traj.npy', encodeNpy(Float32Array.from({ length: 96 }, (_, i) => Math.sin(i)), [3, 16, 2])),
    w('ring.csv', 'x,y\n' + Array.from({ length: 20 }, (_, i) => `${Math.cos(i)},${Math.sin(i)}`).join('\n') + '\n'),
    w('garbage.npy', 'not numpy'), w('empty.csv', ''), w('nan.csv', '1,2\nNaN,1\n'), w('wide.npy', encodeNpy(new Float32Array(9), [3, 3])),
    join(dir, 'missing.npy'), dir, '/dev/zero', '/dev/null',
  ];
  const modelDir = join(root, 'public/models');
  const shippedModels = readdirSync(modelDir).filter((f) => f.endsWith('.onnx')).sort().slice(0, 3).map((f) => join(modelDir, f));
  const models = [...shippedModels, points[0] ?? '', join(dir, 'missing.onnx'), w('empty.onnx', '')];
  return { dir, points, models };
}

/** Random `wgf` argument vectors over all commands (cheap when accepted). */
export function argvArbitrary(files: FuzzFiles, opts: { train: boolean }): fc.Arbitrary<string[]> {
  const out = (exts: string[]): fc.Arbitrary<string> => fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...exts), fc.nat({ max: 1e6 })).map(([e, k]) => join(files.dir, 'out', `o${k}${e}`)) },
    { weight: 1, arbitrary: fc.constantFrom(join(files.dir, 'ring.npy', 'x.npy'), files.dir, '/proc/wgf-fuzz/x.npy', join(files.dir, 'out') + '/', '/dev/null') },
  );
  const pointFile = fc.constantFrom(...files.points);
  const run = fc.tuple(
    fc.array(groups({
      target: fc.oneof(fc.constantFrom(...targetIds, 'cloud'), garbage), method: fc.oneof(fc.constantFrom(...methodIds), garbage),
      every: count(6), 'step-size': real, seed: count(1e6), backend: fc.constantFrom('cpu', 'cpu', 'tpu', ''),
      param: paramFor([...methods, ...targets]), init: fc.oneof(fc.constant('gaussian'), pointFile), 'target-file': pointFile, out: out(['.npy', '.csv', '.json', '.txt']),
      domain: fc.constantFrom('plane', 'torus', 'sphere'), 'target-samples': count(64),
    }, ['--help']), { maxLength: 7 }),
    count(48),
    count(12),
  ).map(([gs, n, steps]) => {
    const flat = gs.flat();
    // the GPU backend is not fuzzed here: every run is pinned to the CPU; n and steps are always given
    // (the defaults, 1,024 particles and 100 steps, would make accepted O(N^2) runs slow)
    const pinned = new Set(['--backend', '--n', '--steps']);
    const rest = flat.filter((a, i) => !(pinned.has(a) || pinned.has(flat[i - 1] ?? '') || /^--(backend|n|steps)=/.test(a)));
    return ['run', '--backend', 'cpu', '--n', n, '--steps', steps, ...rest];
  });
  const sinkhorn = fc.tuple(pointFile, pointFile, fc.array(groups({
    blur: real, scaling: fc.oneof(fc.double({ min: 0.1, max: 0.9, noNaN: true }).map(String), garbage), reach: fc.oneof(real, fc.constant('none')),
    tol: real, 'check-every': count(20), 'max-iter': count(30),
  }, ['--no-debias', '--help']), { maxLength: 4 })).map(([a, b, gs]) => ['sinkhorn', a, b, '--backend', 'cpu', ...gs.flat().filter((x) => !x.startsWith('--backend'))]);
  const sample = fc.array(groups({
    model: fc.constantFrom(...files.models), n: count(200), seed: count(1e6), out: out(['.npy', '.csv', '.json']), output: fc.constantFrom('x', 'x_1', 'nope'),
  }, ['--help']), { maxLength: 5 }).map((gs) => ['sample', ...gs.flat()]);
  const trainArbs = fc.array(groups({
    method: fc.oneof(fc.constantFrom('wflow', 'uotm', 'sjko'), garbage), target: fc.oneof(fc.constantFrom('moons', '8gaussians', 'banana', 'nope'), garbage),
    'target-file': pointFile, steps: count(4), seed: count(100), out: out(['.onnx']),
    param: fc.oneof(fc.constantFrom('hidden=8', 'batch=16', 'stages=2', 'iterations=1', 'batch=1e9', 'iterations=2.5', 'lr=NaN', 'outliers=0.1', 'outliers=2', 'penalty=none', 'toString=1', '__proto__=1'), paramFor([])),
  }, ['--no-sinkhorn', '--help']), { maxLength: 6 }).map((gs) => {
    const flat = gs.flat();
    // accepted training runs stay small: a tiny net and batch, no Sinkhorn metric (flags given twice are
    // refused); without --out the model would land in the working directory: one in the scratch folder
    const hasOut = flat.some((a) => a === '--out' || a.startsWith('--out='));
    return ['train', ...flat, '--param', 'hidden=8', '--param', 'batch=16', '--no-sinkhorn', ...(hasOut ? [] : ['--out', join(files.dir, 'out', 'default.onnx')])];
  });
  const list = fc.constantFrom<string[]>(['list'], ['list', '--json'], ['list', '--bogus'], ['--help'], ['help'], [], ['frobnicate']);
  return fc.oneof(
    { weight: 10, arbitrary: run },
    { weight: 4, arbitrary: sinkhorn },
    { weight: 3, arbitrary: sample },
    { weight: opts.train ? 1 : 0, arbitrary: trainArbs },
    { weight: 1, arbitrary: list },
  );
}

/** Point-file bytes: the io fuzz generators, float64 beyond float32, big and odd clouds. */
export const pointBytes: fc.Arbitrary<{ ext: string; bytes: Uint8Array }> = fc.oneof(
  { weight: 4, arbitrary: npyBytes.map((bytes) => ({ ext: '.npy', bytes })) },
  { weight: 4, arbitrary: csvText.map((s) => ({ ext: '.csv', bytes: new TextEncoder().encode(s) })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom(1e39, -3.5e38, 3.4e38, 1e300, -1e-320, 0, 1e38, 5e-324), fc.nat({ max: 79 }), fc.boolean()).map(([n, v, at, csv]) => {
      const vals = Array.from({ length: 2 * n }, (_, i) => (i === at % (2 * n) ? v : Math.sin(i)));
      if (csv) return { ext: '.csv', bytes: new TextEncoder().encode('x,y\n' + Array.from({ length: n }, (_, i) => `${vals[2 * i] ?? 0},${vals[2 * i + 1] ?? 0}`).join('\n')) };
      const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${n}, 2), }`;
      const len = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
      const b = new Uint8Array(10 + len + 16 * n);
      b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(b.buffer).setUint16(8, len, true);
      b.set(new TextEncoder().encode(dict.padEnd(len - 1, ' ') + '\n'), 10);
      const dv = new DataView(b.buffer, 10 + len);
      vals.forEach((x, i) => dv.setFloat64(8 * i, x, true));
      return { ext: '.npy', bytes: b };
    }),
  },
);

/** One file case: the bytes as --init, as --target-file, as sinkhorn A, or as train --target-file. */
export const fileCase = fc.tuple(pointBytes, fc.constantFrom('init', 'target-file', 'sinkhorn-a', 'sinkhorn-b', 'train'), fc.nat({ max: 1e9 }));

export function fileArgv(files: FuzzFiles, path: string, use: string, k: number, train: boolean): string[] {
  const good = files.points[0] ?? '';
  const out = join(files.dir, 'out', `f${k}.npy`);
  switch (use) {
    case 'init': return ['run', '--backend', 'cpu', '--method', 'langevin', '--steps', '2', '--init', path, '--out', out];
    case 'target-file': return ['run', '--backend', 'cpu', '--method', 'mmd-flow', '--n', '16', '--steps', '1', '--target-file', path, '--out', out];
    case 'sinkhorn-a': return ['sinkhorn', path, good, '--backend', 'cpu', '--max-iter', '20'];
    case 'sinkhorn-b': return ['sinkhorn', good, path, '--backend', 'cpu', '--max-iter', '20'];
    default:
      return train
        ? ['train', '--method', 'uotm', '--target-file', path, '--steps', '1', '--param', 'hidden=8', '--param', 'batch=16', '--no-sinkhorn', '--out', join(files.dir, 'out', `t${k}.onnx`)]
        : ['sinkhorn', path, path, '--backend', 'cpu', '--max-iter', '5'];
  }
}

// ---------------------------------------------------------------- ONNX mutants

interface Tensor { name: string; data_type: number; dims: number[]; raw_data?: Uint8Array; float_data?: number[] }
interface Node { name?: string; op_type: string; input: string[]; output: string[]; attribute?: { name: string; type: number; f?: number; i?: number }[] }
interface Model { ir_version?: number; opset_import?: { domain?: string; version?: number }[]; graph?: { node?: Node[]; initializer?: Tensor[]; input?: unknown[]; output?: { name: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } } }[] } }

const OPS = ['Gemm', 'Relu', 'Add', 'Mul', 'Sigmoid', 'Exp', 'Log', 'Div', 'Sqrt', 'Identity', 'MatMul', 'Tanh', 'Neg', 'Abs', 'Softmax', 'Transpose', 'Reshape', 'NotAnOp'];
const SPECIAL = [NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e30, 0, -0, 1e-45, 88, -88];

/** A mutant of one of the shipped models: bytes flipped, cut or spliced, or the decoded graph edited. */
export function onnxMutant(models: readonly Uint8Array[]): fc.Arbitrary<{ bytes: Uint8Array; how: string }> {
  return fc.tuple(fc.nat({ max: models.length - 1 }), fc.nat({ max: 15 }), fc.array(fc.nat({ max: 1e9 }), { minLength: 6, maxLength: 6 })).map(([mi, kind, r]) => {
    const base = models[mi] ?? new Uint8Array(0);
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = r;
    const bytes = base.slice();
    if (kind <= 3) {
      // byte level: flip, cut, splice garbage, zero a range
      if (kind === 0) {
        for (let i = 0; i <= a % 8; i++) {
          const at = (b + i * 7919 * (c + 1)) % bytes.length;
          bytes[at] = (bytes[at] ?? 0) ^ (1 << (d % 8));
        }
        return { bytes, how: `model ${mi}: flipped ${(a % 8) + 1} bits` };
      }
      if (kind === 1) return { bytes: bytes.subarray(0, a % bytes.length), how: `model ${mi}: cut at ${a % bytes.length}` };
      if (kind === 2) {
        const at = a % bytes.length;
        const junk = Uint8Array.from({ length: (b % 64) + 1 }, (_, i) => (c * (i + 1) * 2654435761) & 0xff);
        const out = new Uint8Array(bytes.length + junk.length);
        out.set(bytes.subarray(0, at));
        out.set(junk, at);
        out.set(bytes.subarray(at), at + junk.length);
        return { bytes: out, how: `model ${mi}: ${junk.length} bytes spliced at ${at}` };
      }
      const at = a % bytes.length;
      bytes.fill(d & 0xff, at, Math.min(bytes.length, at + (b % 256)));
      return { bytes, how: `model ${mi}: ${b % 256} bytes set to ${d & 0xff} at ${at}` };
    }
    let m: Model;
    try {
      m = decodeOnnxObject(base) as Model;
    } catch {
      return { bytes, how: `model ${mi}: undecodable base` };
    }
    const g = m.graph ?? {};
    const inits = g.initializer ?? [];
    const nodes = g.node ?? [];
    const t = inits[a % Math.max(1, inits.length)];
    const node = nodes[a % Math.max(1, nodes.length)];
    let how = `model ${mi}: `;
    switch (kind) {
      case 4: case 5: case 6: {
        // weights: special values (NaN, Inf, overflowing, denormal) at a few places
        if (t?.raw_data) {
          const raw = new Uint8Array(t.raw_data);
          const view = new DataView(raw.buffer);
          const k = (b % 3) + 1;
          for (let i = 0; i < k; i++) view.setFloat32(4 * ((c + i * 31) % (raw.length / 4)), SPECIAL[(d + i) % SPECIAL.length] ?? 0, true);
          t.raw_data = raw;
          how += `${k} weights of ${t.name} set to ${String(SPECIAL[d % SPECIAL.length])}...`;
        }
        break;
      }
      case 7:
        if (t) {
          t.dims = t.dims.map((x, i) => (i === b % Math.max(1, t.dims.length) ? [0, 1, 3, 65, -1, 2 ** 31][c % 6] ?? 1 : x));
          how += `dims of ${t.name} -> [${t.dims.join(', ')}]`;
        }
        break;
      case 8:
        if (t) {
          t.data_type = [0, 2, 6, 7, 10, 11, 16, 99][b % 8] ?? 1;
          how += `data_type of ${t.name} -> ${t.data_type}`;
        }
        break;
      case 9:
        if (node) {
          node.op_type = OPS[b % OPS.length] ?? 'Relu';
          how += `node ${node.name ?? ''} op -> ${node.op_type}`;
        }
        break;
      case 10:
        if (nodes.length > 0) {
          nodes.splice(b % nodes.length, 1);
          how += 'a node removed';
        }
        break;
      case 11:
        if (node?.attribute?.[0]) {
          const at = node.attribute[b % node.attribute.length];
          if (at) {
            if (at.f !== undefined) at.f = SPECIAL[c % SPECIAL.length] ?? 1;
            else at.i = [0, 1, 2, -1, 1e9][c % 5] ?? 0;
            how += `attribute ${at.name} of ${node.name ?? ''} changed`;
          }
        }
        break;
      case 12: {
        const o = g.output?.[b % Math.max(1, g.output.length)];
        const tt = o?.type?.tensor_type;
        if (o && tt) {
          if (c % 3 === 0) tt.elem_type = [1, 7, 11, 10][d % 4] ?? 1;
          else if (c % 3 === 1) tt.shape = { dim: [{ dim_value: [1, 64, 0][d % 3] ?? 1 }, { dim_value: [2, 3, 1][e % 3] ?? 2 }] };
          else o.name = ['x', 'y', '', 'z'][d % 4] ?? 'x';
          how += `output ${o.name} type/shape/name changed`;
        }
        break;
      }
      case 13:
        m.opset_import = [{ domain: '', version: [1, 7, 13, 99, 0][b % 5] ?? 13 }];
        m.ir_version = [3, 8, 0, 99][c % 4] ?? 8;
        how += `opset ${m.opset_import[0]?.version ?? ''} ir ${m.ir_version}`;
        break;
      case 14:
        if (node && nodes.length > 1) {
          const other = nodes[(b + 1) % nodes.length];
          if (other) [node.input, other.input] = [other.input, node.input];
          how += 'two nodes swap inputs';
        }
        break;
      default:
        if (node) {
          node.input = node.input.map((x, i) => (i === e % Math.max(1, node.input.length) ? ['z', 'x', '', 'nothing', node.output[0] ?? ''][f % 5] ?? x : x));
          how += `node ${node.name ?? ''} input rewired`;
        }
    }
    try {
      return { bytes: encodeOnnxObject(m as Record<string, unknown>), how };
    } catch (err) {
      return { bytes, how: `${how} (unencodable: ${err instanceof Error ? err.message : String(err)})` };
    }
  });
}

// ---------------------------------------------------------------- the loop

export interface SuiteOptions {
  seed: number;
  cases: number;
  /** Stop early after this many milliseconds (the cases run so far are reported). */
  budgetMs?: number;
  /** Keep at most this many failure descriptions. */
  keepFailures?: number;
}

/** Run `cases` generated cases through `step` (sequentially: main() is not re-entrant on stdout). */
export async function runSuite<T>(suite: string, arb: fc.Arbitrary<T>, step: (value: T, index: number) => Promise<{ outcome: Outcome; label: string }>, o: SuiteOptions): Promise<SuiteReport> {
  const report: SuiteReport = { suite, tried: 0, refused: 0, accepted: 0, failed: 0, failures: [], ms: 0, slowest: [] };
  const t0 = performance.now();
  const values = fc.sample(arb, { seed: o.seed, numRuns: o.cases });
  for (let i = 0; i < values.length; i++) {
    if (o.budgetMs !== undefined && performance.now() - t0 > o.budgetMs) break;
    const value = values[i] as T;
    const c0 = performance.now();
    const { outcome, label } = await step(value, i);
    const ms = performance.now() - c0;
    if (report.slowest.length < 3 || ms > (report.slowest[2]?.[0] ?? 0)) {
      report.slowest.push([Math.round(ms), label.slice(0, 240)]);
      report.slowest.sort((x, y) => y[0] - x[0]);
      report.slowest.length = Math.min(3, report.slowest.length);
    }
    report.tried++;
    if (outcome.kind === 'failed') {
      report.failed++;
      if (report.failures.length < (o.keepFailures ?? 20)) report.failures.push(`${label}\n    -> ${outcome.why}`);
    } else report[outcome.kind]++;
  }
  report.ms = Math.round(performance.now() - t0);
  return report;
}

/** The three suites over one scratch folder. */
export async function fuzzCli(root: string, scratch: string, o: { seed: number; argv: number; files: number; onnx: number; train: boolean; budgetMs?: number; log?: (r: SuiteReport) => void }): Promise<SuiteReport[]> {
  rmSync(scratch, { recursive: true, force: true });
  const files = prepareFiles(scratch, root);
  const clean = (): void => {
    rmSync(join(scratch, 'out'), { recursive: true, force: true });
  };
  const reports: SuiteReport[] = [];
  const budget = o.budgetMs;
  const argvReport = await runSuite('argv (wgf run / sinkhorn / sample / train / list)', argvArbitrary(files, { train: o.train }), async (argv, i) => {
    if (i % 200 === 0) clean();
    const r = await runWgf(argv);
    return { outcome: classify(argv, r), label: JSON.stringify(argv) };
  }, { seed: o.seed, cases: o.argv, ...(budget !== undefined ? { budgetMs: budget } : {}) });
  reports.push(argvReport);
  o.log?.(argvReport);
  clean();
  const filesReport = await runSuite('files (NPY / CSV bytes as --init, --target-file, sinkhorn A/B, train --target-file)', fileCase, async ([file, use, k], i) => {
    if (i % 200 === 0) clean();
    const path = join(scratch, `case${file.ext}`);
    writeFileSync(path, file.bytes);
    const argv = fileArgv(files, path, use, k, o.train && i % 100 === 0);
    const r = await runWgf(argv);
    return { outcome: classify(argv, r), label: `${JSON.stringify(argv)} on ${file.bytes.length} bytes: ${Buffer.from(file.bytes.subarray(0, 48)).toString('hex')}` };
  }, { seed: o.seed + 1, cases: o.files, ...(budget !== undefined ? { budgetMs: budget } : {}) });
  reports.push(filesReport);
  o.log?.(filesReport);
  clean();
  const modelDir = join(root, 'public/models');
  const models = readdirSync(modelDir).filter((f) => f.endsWith('.onnx')).sort().map((f) => new Uint8Array(readFileSync(join(modelDir, f))));
  const onnxReport = await runSuite('onnx (mutants of the shipped models through wgf sample)', onnxMutant(models), async ({ bytes, how }, i) => {
    if (i % 200 === 0) clean();
    const model = join(scratch, 'mutant.onnx');
    writeFileSync(model, bytes);
    const argv = ['sample', '--model', model, '--n', '64', '--seed', String(i), '--out', join(scratch, 'out', `s${i}.npy`)];
    const r = await runWgf(argv);
    return { outcome: classify(argv, r), label: how };
  }, { seed: o.seed + 2, cases: o.onnx, ...(budget !== undefined ? { budgetMs: budget } : {}) });
  reports.push(onnxReport);
  o.log?.(onnxReport);
  rmSync(scratch, { recursive: true, force: true });
  return reports;
}

export function formatReport(reports: readonly SuiteReport[]): string {
  const lines = reports.map((r) => `${r.suite}\n  tried ${r.tried}, refused ${r.refused}, accepted ${r.accepted}, failed ${r.failed} (${(r.ms / 1000).toFixed(1)} s; slowest ${r.slowest.map(([ms]) => `${ms} ms`).join(', ')})${r.failures.map((f) => `\n  FAILED ${f}`).join('')}${r.slowest[0] ? `\n  slowest case: ${r.slowest[0][1]}` : ''}`);
  const t = reports.reduce((a, r) => ({ tried: a.tried + r.tried, refused: a.refused + r.refused, accepted: a.accepted + r.accepted, failed: a.failed + r.failed }), { tried: 0, refused: 0, accepted: 0, failed: 0 });
  lines.push(`total: tried ${t.tried}, refused ${t.refused}, accepted ${t.accepted}, failed ${t.failed}`);
  return lines.join('\n');
}

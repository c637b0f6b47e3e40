/**
 * `wgf sample --model model.onnx --n N --seed K --out x.npy`: run a generator model with
 * onnxruntime-web (wasm, in Node; src/generators/runtime.ts) on seeded noise z ~ N(0, I)
 * (src/generators/model.ts sampleNoise) and write x: .npy float32 [N, 2] or .csv (x,y header).
 * --output NAME picks another output (an S-JKO chain's x_k). Prints ONE JSON line:
 *   {"model","n","seed","output","out","ms","mean":[mx,my]}
 * A file that is not a generator model (not ONNX, other shapes or types, a NaN or Inf weight) is
 * refused with one line naming --model, before onnxruntime sees it. Non-finite samples are never
 * written: one line, exit 3. The noise runs through the model in batches (the same numbers as one
 * batch: the map is row-wise), with progress on stderr past ~2 s and Ctrl-C between batches.
 * Exit codes: 0 ok, 1 runtime failure (onnxruntime, I/O), 2 bad arguments or a bad model file,
 * 3 non-finite samples (nothing written), 130 Ctrl-C (nothing written).
 */
import { nodeOrt } from '../generators/nodeOrt';
import { sampleNoise } from '../generators/model';
import { GeneratorModelError } from '../generators/onnx';
import { OnnxGenerator } from '../generators/runtime';
import { encodeNpy } from '../io/npy';
import { CliError, oneLine, parseFlags } from './args';
import { checkWritable, readInputFile, writeFileAtomic } from './files';
import { boundedInt, MAX_SAMPLES, MAX_SEED } from './limits';
import { Progress } from './progress';
import type { CliIo } from './run';

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: process.stderr.isTTY,
  progress: true,
};

export const SAMPLE_USAGE = `Usage: wgf sample --model FILE.onnx --n N --seed K --out FILE
  --model FILE          a generator: ONNX, input z float32 [B, 2], output x float32 [B, 2]
  --n N                 number of samples, 1..${MAX_SAMPLES.toLocaleString('en-US')} [4096]
  --seed K              noise seed, integer in [0, 2^32 - 1] [0]
  --out FILE            .npy (float32 [N, 2]) or .csv (x,y)
  --output NAME         which model output [x]; an S-JKO chain also has x_1 .. x_{K-1}
Output: one JSON line {"model","n","seed","output","out","ms","mean"}.
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or model file, 3 non-finite samples (nothing
written), 130 Ctrl-C.
`;

const PREFIX = 'wgf sample';
const SAMPLE_FLAGS = { model: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, output: { type: 'string' } } as const;
/** Samples per onnxruntime call. */
const BATCH = 65_536;

export function csvPoints(x: Float32Array): string {
  return [...csvPointChunks(x)].join('');
}

/**
 * The same text in pieces of at most `rows` lines: 16 million samples as one string would exceed
 * V8's string length limit (found by the fuzz: `--n 16776961 --out x.csv` failed after 7 minutes).
 */
export function* csvPointChunks(x: Float32Array, rows = 65_536): Generator<string> {
  yield 'x,y\n';
  const n = Math.floor(x.length / 2);
  for (let start = 0; start < n; start += rows) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + rows); i++) lines.push(`${x[2 * i] ?? 0},${x[2 * i + 1] ?? 0}\n`);
    yield lines.join('');
  }
}

/** `wgf sample ...`; returns the exit code. */
export async function runSample(argv: string[], io: CliIo = processIo): Promise<number> {
  let model: string, n: number, seed: number, out: string, output: string | undefined;
  let bytes: Uint8Array;
  try {
    const f = parseFlags(argv, SAMPLE_FLAGS, { seeHelp: 'wgf sample --help', helpStops: true, prefix: PREFIX });
    if (f.help) {
      io.out(SAMPLE_USAGE);
      return 0;
    }
    const m = f.values.get('model'), o = f.values.get('out');
    if (m === undefined) throw new CliError('--model is required', PREFIX);
    if (o === undefined) throw new CliError('--out is required (.npy or .csv)', PREFIX);
    if (!/\.(npy|csv)$/i.test(o)) throw new CliError(`--out must end in .npy or .csv, got '${o}'`, PREFIX);
    model = m;
    out = o;
    output = f.values.get('output');
    n = boundedInt('n', f.values.get('n'), 1, MAX_SAMPLES, PREFIX) ?? 4096;
    seed = boundedInt('seed', f.values.get('seed'), 0, MAX_SEED, PREFIX) ?? 0;
    await checkWritable(out, '--out', PREFIX);
    bytes = await readInputFile(model, '--model', PREFIX);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.prefix}: ${oneLine(e)}\n`);
      return 2;
    }
    throw e;
  }
  let gen: OnnxGenerator | undefined;
  try {
    try {
      gen = await OnnxGenerator.load(await nodeOrt(), bytes);
    } catch (e) {
      // refused by the reader (or by onnxruntime): a bad input file, exit 2
      if (e instanceof GeneratorModelError) {
        io.err(`wgf sample: --model ${model}: ${oneLine(e)}\n`);
        return 2;
      }
      throw e;
    }
    const name = output ?? gen.info.outputName;
    if (!gen.info.outputs.includes(name)) {
      io.err(`wgf sample: --output: the model has no output '${name}' (outputs: ${gen.info.outputs.join(', ')})\n`);
      return 2;
    }
    const t0 = performance.now();
    const z = sampleNoise(seed, n);
    const x = new Float32Array(2 * n);
    const progress = new Progress(io, 'wgf sample', n, 'samples');
    for (let start = 0; start < n; start += BATCH) {
      if (io.signal?.aborted) {
        progress.finish();
        io.err('wgf sample: interrupted (nothing written)\n');
        return 130;
      }
      const count = Math.min(BATCH, n - start);
      const part = (await gen.run(z.subarray(2 * start, 2 * (start + count)), count))[name];
      if (!part) throw new Error(`the model returned no '${name}'`);
      x.set(part, 2 * start);
      progress.update(start + count);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    progress.finish();
    const ms = performance.now() - t0;
    let bad = 0;
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
      const a = x[2 * i] ?? NaN, b = x[2 * i + 1] ?? NaN;
      if (!Number.isFinite(a) || !Number.isFinite(b)) bad++;
      mx += a / n;
      my += b / n;
    }
    if (bad > 0 || !Number.isFinite(mx) || !Number.isFinite(my)) {
      io.err(`wgf sample: ${model}: ${bad} of ${n} samples of output '${name}' are non-finite (NaN or Inf): nothing written to ${out}\n`);
      return 3;
    }
    await writeFileAtomic(out, /\.npy$/i.test(out) ? encodeNpy(x, [n, 2]) : csvPointChunks(x));
    io.out(JSON.stringify({ model, n, seed, output: name, out, ms: Math.round(ms * 100) / 100, mean: [mx, my] }) + '\n');
    return 0;
  } catch (e) {
    // a model that loads but fails to run is a bad model file too
    if (e instanceof GeneratorModelError) {
      io.err(`wgf sample: --model ${model}: ${oneLine(e)}\n`);
      return 2;
    }
    io.err(`wgf sample: ${model}: ${oneLine(e)}\n`);
    return 1;
  } finally {
    gen?.release();
  }
}

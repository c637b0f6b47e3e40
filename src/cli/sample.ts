/**
 * `wgf sample --model model.onnx --n N --seed K --out x.npy`: run a generator model with
 * onnxruntime-web (wasm, in Node; src/generators/runtime.ts) on seeded noise z ~ N(0, I)
 * (src/generators/model.ts sampleNoise) and write x: .npy float32 [N, 2] or .csv (x,y header).
 * --output NAME picks another output (an S-JKO chain's x_k). Prints ONE JSON line:
 *   {"model","n","seed","output","out","ms","mean":[mx,my]}
 * A file that is not a generator model (not ONNX, other shapes or types) is refused with one line.
 * Exit codes: 0 ok, 1 runtime failure (unreadable or refused model, I/O), 2 bad arguments.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nodeOrt } from '../generators/nodeOrt';
import { sampleNoise } from '../generators/model';
import { OnnxGenerator } from '../generators/runtime';
import { encodeNpy } from '../io/npy';
import { CliError, integerFlag, oneLine, parseFlags } from './args';
import type { CliIo } from './run';

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export const SAMPLE_USAGE = `Usage: wgf sample --model FILE.onnx --n N --seed K --out FILE
  --model FILE          a generator: ONNX, input z float32 [B, 2], output x float32 [B, 2]
  --n N                 number of samples [4096]
  --seed K              noise seed, integer >= 0 [0]
  --out FILE            .npy (float32 [N, 2]) or .csv (x,y)
  --output NAME         which model output [x]; an S-JKO chain also has x_1 .. x_{K-1}
Output: one JSON line {"model","n","seed","output","out","ms","mean"}.
`;

const PREFIX = 'wgf sample';
const SAMPLE_FLAGS = { model: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, output: { type: 'string' } } as const;

export function csvPoints(x: Float32Array): string {
  const lines = ['x,y'];
  for (let i = 0; i + 1 < x.length; i += 2) lines.push(`${x[i] ?? 0},${x[i + 1] ?? 0}`);
  return lines.join('\n') + '\n';
}

/** `wgf sample ...`; returns the exit code. */
export async function runSample(argv: string[], io: CliIo = processIo): Promise<number> {
  let model: string, n: number, seed: number, out: string, output: string | undefined;
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
    n = integerFlag('n', f.values.get('n'), 1, PREFIX) ?? 4096;
    if (n > 1 << 24) throw new CliError(`--n must be at most ${1 << 24}, got ${n}`, PREFIX);
    seed = integerFlag('seed', f.values.get('seed'), 0, PREFIX) ?? 0;
    if (seed > 0xffffffff) throw new CliError(`--seed must be at most ${0xffffffff}, got ${seed}`, PREFIX);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.prefix}: ${oneLine(e)}\n`);
      return 2;
    }
    throw e;
  }
  let gen: OnnxGenerator | undefined;
  try {
    const bytes = new Uint8Array(await readFile(model));
    gen = await OnnxGenerator.load(await nodeOrt(), bytes);
    const name = output ?? gen.info.outputName;
    if (!gen.info.outputs.includes(name)) throw new Error(`the model has no output '${name}' (outputs: ${gen.info.outputs.join(', ')})`);
    const t0 = performance.now();
    const x = (await gen.run(sampleNoise(seed, n), n))[name];
    const ms = performance.now() - t0;
    if (!x) throw new Error(`the model returned no '${name}'`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, /\.npy$/i.test(out) ? encodeNpy(x, [n, 2]) : csvPoints(x));
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
      mx += (x[2 * i] ?? 0) / n;
      my += (x[2 * i + 1] ?? 0) / n;
    }
    io.out(JSON.stringify({ model, n, seed, output: name, out, ms: Math.round(ms * 100) / 100, mean: [mx, my] }) + '\n');
    return 0;
  } catch (e) {
    io.err(`wgf sample: ${model}: ${oneLine(e)}\n`);
    return 1;
  } finally {
    gen?.release();
  }
}

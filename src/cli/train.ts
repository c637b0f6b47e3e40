/**
 * `wgf train`: train a one-step generator (W-Flow, UOTM, S-JKO; src/generators/train.ts) on the CPU,
 * write it as ONNX (input z float32 [B, 2], output x float32 [B, 2]) plus its model card (JSON,
 * beside it: model.onnx -> model.json), print ONE JSON line:
 *   {"method","target","steps","wallMs","metrics":{"energy","tv","sinkhorn","modes"?,"highQuality"?,
 *    "outlierFraction"?},"floor":{"energy","tv","draws"},"out","card","id"}
 * The metrics are the card's: 4,096 generated vs 4,096 held-out target samples (src/generators/metrics.ts).
 * Deterministic: the same flags give the same weights bit for bit (on the same machine and Node).
 * Exit codes: 0 ok, 1 runtime failure (unreadable file, I/O), 2 bad arguments.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { trainModel } from '../generators/card';
import { GENERATOR_METHODS, type GeneratorMethod } from '../generators/model';
import { TRAIN_DEFAULTS, TrainParamError } from '../generators/train';
import { pointsFromFile } from '../io/points';
import { toyTargets } from '../targets/toy';
import type { CliIo } from './run';
import { choiceFlag, CliError, integerFlag, oneLine, parseFlags } from './args';

export type CommandIo = CliIo;

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

const defaults = (m: GeneratorMethod): string => Object.entries(TRAIN_DEFAULTS[m]).filter(([k]) => !(m === 'wflow' && ['penalty', 'critic', 'stages', 'h'].includes(k))).map(([k, v]) => `${k}=${v}`).join(' ');

export const TRAIN_USAGE = `Usage: wgf train --method wflow|uotm|sjko --target ID [options]
  --method M            wflow (W-Flow), uotm (UOTM; --param penalty=none: balanced OTM), sjko (S-JKO)
  --target ID           a sample target: ${toyTargets.map((t) => t.id).join(', ')} (or any target with an exact sampler)
  --target-file FILE    train on a point cloud (.npy [m,2] or .csv x,y) instead; the last min(4096, m/5)
                        points of the seed-shuffled cloud are held out for the metrics
  --steps S             training steps [1000] (sjko: split over its stages)
  --seed K              integer >= 0 [0]
  --out FILE            the ONNX model [<method>-<target>.onnx]; the card goes to FILE with .json
  --param NAME=VALUE    training parameter (repeatable); outliers=P puts a fraction P of the target
                        mass on a far cluster (the UOTM robustness demo). Defaults:
                          wflow: ${defaults('wflow')}
                          uotm:  ${defaults('uotm')}
                          sjko:  ${defaults('sjko')}
  --no-sinkhorn         skip the S_eps metric (the slowest one)
Output: one JSON line {"method","target","steps","wallMs","metrics","floor","out","card","id"}.
`;

interface TrainArgs {
  method: GeneratorMethod;
  target: string;
  targetFile: string | undefined;
  steps: number;
  seed: number;
  out: string | undefined;
  params: Record<string, string>;
  sinkhorn: boolean;
}

const PREFIX = 'wgf train';
const TRAIN_FLAGS = {
  method: { type: 'string' }, target: { type: 'string' }, 'target-file': { type: 'string' }, steps: { type: 'string' },
  seed: { type: 'string' }, out: { type: 'string' }, param: { type: 'string', multiple: true }, 'no-sinkhorn': { type: 'boolean' },
} as const;

/** Parse `wgf train` flags (the one parser of ./args.ts); throws CliError. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs | 'help' {
  const f = parseFlags(argv, TRAIN_FLAGS, { seeHelp: 'wgf train --help', helpStops: true, prefix: PREFIX });
  if (f.help) return 'help';
  const method = choiceFlag('method', f.values.get('method'), GENERATOR_METHODS, PREFIX);
  if (method === undefined) throw new CliError(`--method is required (${GENERATOR_METHODS.join(', ')})`, PREFIX);
  const targetFile = f.values.get('target-file');
  const given = f.values.get('target');
  if (targetFile !== undefined && given !== undefined && given !== 'cloud') throw new CliError('give --target or --target-file, not both', PREFIX);
  const target = targetFile !== undefined ? 'cloud' : given;
  if (target === undefined) throw new CliError('--target (or --target-file) is required', PREFIX);
  const params: Record<string, string> = {};
  for (const p of f.lists.get('param') ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param expects NAME=VALUE, got '${p}'`, PREFIX);
    const name = p.slice(0, eq);
    if (name in params) throw new CliError(`--param ${name} given twice`, PREFIX);
    params[name] = p.slice(eq + 1);
  }
  return {
    method, target, targetFile,
    steps: integerFlag('steps', f.values.get('steps'), 1, PREFIX) ?? 1000,
    seed: integerFlag('seed', f.values.get('seed'), 0, PREFIX) ?? 0,
    out: f.values.get('out'), params, sinkhorn: !f.flags.has('no-sinkhorn'),
  };
}

export function cardPath(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '') + '.json';
}

/** `wgf train ...`; returns the exit code. */
export async function runTrain(argv: string[], io: CommandIo = processIo): Promise<number> {
  let args: TrainArgs | 'help';
  try {
    args = parseTrainArgs(argv);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.prefix}: ${oneLine(e)}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    io.out(TRAIN_USAGE);
    return 0;
  }
  let cloud: Float64Array | undefined;
  if (args.targetFile !== undefined) {
    try {
      cloud = Float64Array.from(pointsFromFile(args.targetFile, new Uint8Array(await readFile(args.targetFile))).data);
    } catch (e) {
      io.err(`wgf train: ${args.targetFile}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  let trained;
  try {
    trained = await trainModel({ method: args.method, target: args.target, ...(cloud ? { cloud } : {}), steps: args.steps, seed: args.seed, params: args.params }, {}, { sinkhorn: args.sinkhorn });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // bad parameters and unknown targets are argument errors
    if (e instanceof TrainParamError || /unknown target|outliers must|no exact sampler|ParamError/.test(msg) || (e instanceof Error && e.name === 'ParamError')) {
      io.err(`wgf train: ${msg}\n`);
      return 2;
    }
    io.err(`wgf train: ${msg}\n`);
    return 1;
  }
  const out = args.out ?? `${trained.card.id}.onnx`;
  const card = cardPath(out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, trained.bytes);
    await writeFile(card, JSON.stringify({ ...trained.card, file: out.split(/[\\/]/).pop() ?? out }, null, 2) + '\n');
  } catch (e) {
    io.err(`wgf train: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const c = trained.card;
  io.out(JSON.stringify({ method: c.method, target: c.target, steps: c.steps, wallMs: c.wallMs, metrics: c.metrics, floor: c.floor, out, card, id: c.id }) + '\n');
  return 0;
}

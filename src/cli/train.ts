/**
 * `wgf train`: train a one-step generator (W-Flow, UOTM, S-JKO; src/generators/train.ts) on the CPU,
 * write it as ONNX (input z float32 [B, 2], output x float32 [B, 2]) plus its model card (JSON,
 * beside it: model.onnx -> model.json), print ONE JSON line:
 *   {"method","target","steps","wallMs","metrics":{"energy","tv","sinkhorn","modes"?,"highQuality"?,
 *    "outlierFraction"?},"floor":{"energy","tv","draws"},"out","card","id"}
 * The metrics are the card's: 4,096 generated vs 4,096 held-out target samples (src/generators/metrics.ts).
 * Deterministic: the same flags give the same weights bit for bit (on the same machine and Node).
 * The result line and the files always agree (issue 21 item 6): "steps" is what was trained and what
 * the card and the ONNX metadata say (S-JKO needs --steps >= its stages: each stage trains at least
 * one step, so --steps 5 with 6 stages used to train 6 and say so), the model and the card are
 * written to temporary files and renamed into place, read back and compared before the line is
 * printed, and a model with a non-finite weight or metric is never written (exit 3).
 * Exit codes: 0 ok, 1 runtime failure (I/O), 2 bad arguments or a bad --target-file, 3 the trained
 * model is not finite (nothing written), 130 Ctrl-C (the model so far is written, "interrupted": true).
 */
import { readFile } from 'node:fs/promises';
import { modelId, trainModel } from '../generators/card';
import { GENERATOR_METHODS, type GeneratorMethod } from '../generators/model';
import { readGeneratorModel } from '../generators/onnx';
import { targetSampler } from '../generators/targets';
import { resolveTrainParams, TRAIN_DEFAULTS, TrainParamError, type TrainParams } from '../generators/train';
import { pointsFromFile } from '../io/points';
import { findTarget, pointsTarget } from '../targets/registry';
import { toyTargets } from '../targets/toy';
import { EXIT_INTERRUPTED, type CliIo } from './run';
import { choiceFlag, CliError, oneLine, parseFlags } from './args';
import { checkWritable, readInputFile, writeFileAtomic } from './files';
import { boundedInt, fmtInt, LIMITS_TEXT, MAX_SEED, MAX_TRAIN_BATCH, MAX_TRAIN_COUNT, MAX_TRAIN_STEPS, MAX_TRAIN_WORK, sci } from './limits';
import { Progress } from './progress';

export type CommandIo = CliIo;

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: process.stderr.isTTY,
  progress: true,
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
Output: one JSON line {"method","target","steps","wallMs","metrics","floor","out","card","id"}
("steps": the steps trained, as the card and the model's metadata say; "interrupted": true after Ctrl-C).
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or --target-file, 3 non-finite model (nothing
written), 130 Ctrl-C (the model so far is written).

${LIMITS_TEXT}`;

interface TrainArgs {
  method: GeneratorMethod;
  target: string;
  targetFile: string | undefined;
  steps: number;
  seed: number;
  out: string | undefined;
  /** By name, without a prototype (`--param toString=1` is an unknown name, not "given twice"). */
  params: Record<string, string>;
  /** The resolved training parameters (checked, bounded). */
  resolved: TrainParams;
  outliers: number;
  sinkhorn: boolean;
}

/** Integer training parameters with a CLI upper bound (train.ts bounds hidden, layers and stages itself). */
const BOUNDED_COUNTS: Partial<Record<keyof TrainParams, number>> = {
  batch: MAX_TRAIN_BATCH, batchEnd: MAX_TRAIN_BATCH, iterations: MAX_TRAIN_COUNT, critic: MAX_TRAIN_COUNT, fit: MAX_TRAIN_COUNT, anneal: MAX_TRAIN_COUNT,
};

/** Rough work of a run: per step, batch x (batch x Sinkhorn iterations + the MLP's hidden^2 x layers) x (critic + 1). */
export function trainWork(method: GeneratorMethod, p: TrainParams, steps: number): number {
  const batch = Math.max(p.batch, p.batchEnd);
  const mlp = p.hidden * p.hidden * p.layers;
  const perStep = method === 'wflow' ? batch * (batch * (p.iterations + 1) * p.fit + mlp) : batch * mlp * (p.critic + 1) * (method === 'sjko' ? p.stages : 1);
  return steps * perStep;
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
  // a target built from points (TargetDef.data 'points', the file cloud) is the only --target a --target-file goes with
  if (targetFile !== undefined && given !== undefined && findTarget(given)?.data !== 'points') throw new CliError('give --target or --target-file, not both', PREFIX);
  const target = targetFile !== undefined ? (given ?? pointsTarget().id) : given;
  if (target === undefined) throw new CliError('--target (or --target-file) is required', PREFIX);
  const known = [...Object.keys(TRAIN_DEFAULTS[method]), 'outliers'];
  const params = Object.create(null) as Record<string, string>;
  for (const p of f.lists.get('param') ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param expects NAME=VALUE, got '${p}'`, PREFIX);
    const name = p.slice(0, eq);
    if (!known.includes(name)) throw new CliError(`--param ${name}: unknown training parameter (known: ${known.join(', ')})`, PREFIX);
    if (Object.hasOwn(params, name)) throw new CliError(`--param ${name} given twice`, PREFIX);
    params[name] = p.slice(eq + 1);
  }
  const steps = boundedInt('steps', f.values.get('steps'), 1, MAX_TRAIN_STEPS, PREFIX) ?? 1000;
  const seed = boundedInt('seed', f.values.get('seed'), 0, MAX_SEED, PREFIX) ?? 0;
  const { outliers: rawOutliers, ...rest } = params;
  const outliers = rawOutliers === undefined ? 0 : rawOutliers.trim() === '' ? NaN : Number(rawOutliers);
  if (!(Number.isFinite(outliers) && outliers >= 0 && outliers < 1)) throw new CliError(`--param outliers must be a fraction in [0, 1), got '${rawOutliers ?? ''}'`, PREFIX);
  let resolved: TrainParams;
  try {
    resolved = resolveTrainParams(method, rest);
  } catch (e) {
    if (e instanceof TrainParamError) throw new CliError(`--param ${e.message}`, PREFIX);
    throw e;
  }
  for (const [key, max] of Object.entries(BOUNDED_COUNTS)) {
    const v = resolved[key as keyof TrainParams];
    if (typeof v === 'number' && v > max) throw new CliError(`--param ${key} must be at most ${fmtInt(max)}, got ${fmtInt(v)}`, PREFIX);
  }
  if (method === 'sjko' && steps < resolved.stages) {
    throw new CliError(`--steps ${steps} is fewer than the ${resolved.stages} S-JKO stages (each stage trains at least one step): --steps >= ${resolved.stages}, or --param stages=${steps}`, PREFIX);
  }
  const work = trainWork(method, resolved, steps);
  if (work > MAX_TRAIN_WORK) {
    throw new CliError(`--steps ${fmtInt(steps)} with batch ${fmtInt(Math.max(resolved.batch, resolved.batchEnd))} is about ${sci(work)} operations, over the limit of ${sci(MAX_TRAIN_WORK)} (days of CPU): fewer --steps or a smaller batch`, PREFIX);
  }
  if (targetFile === undefined) {
    try {
      targetSampler(target);
    } catch (e) {
      throw new CliError(`--target ${target}: ${e instanceof Error ? e.message : String(e)}`, PREFIX);
    }
  }
  return { method, target, targetFile, steps, seed, out: f.values.get('out'), params, resolved, outliers, sinkhorn: !f.flags.has('no-sinkhorn') };
}

export function cardPath(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '') + '.json';
}

/** `wgf train ...`; returns the exit code. */
export async function runTrain(argv: string[], io: CommandIo = processIo): Promise<number> {
  let args: TrainArgs | 'help';
  let cloud: Float64Array | undefined;
  let out: string, card: string;
  try {
    args = parseTrainArgs(argv);
    if (args === 'help') {
      io.out(TRAIN_USAGE);
      return 0;
    }
    out = args.out ?? `${modelId(args.method, args.target, args.resolved, args.outliers)}.onnx`;
    card = cardPath(out);
    if (card === out) throw new CliError(`--out ${out}: the model and its card would be the same file`, PREFIX);
    // unwritable outputs are found before any training
    await checkWritable(out, '--out', PREFIX);
    await checkWritable(card, '--out (the card)', PREFIX);
    if (args.targetFile !== undefined) {
      const bytes = await readInputFile(args.targetFile, '--target-file', PREFIX);
      try {
        cloud = Float64Array.from(pointsFromFile(args.targetFile, bytes).data);
      } catch (e) {
        throw new CliError(`--target-file ${args.targetFile}: ${e instanceof Error ? e.message : String(e)}`, PREFIX);
      }
      if (cloud.length < 4) throw new CliError(`--target-file ${args.targetFile}: a cloud target needs at least 2 points, got ${cloud.length / 2}`, PREFIX);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.prefix}: ${oneLine(e)}\n`);
      return 2;
    }
    throw e;
  }
  const progress = new Progress(io, 'wgf train', args.steps, 'steps');
  let trained;
  try {
    trained = await trainModel(
      { method: args.method, target: args.target, ...(cloud ? { cloud } : {}), steps: args.steps, seed: args.seed, params: { ...args.params } },
      {
        onProgress: async (p) => {
          progress.update(p.step);
          // a turn for the event loop: Ctrl-C (SIGINT) is delivered there
          await new Promise<void>((resolve) => setImmediate(resolve));
        },
        shouldStop: () => io.signal?.aborted === true,
      },
      { sinkhorn: args.sinkhorn },
    );
  } catch (e) {
    progress.finish();
    const msg = e instanceof Error ? e.message : String(e);
    // bad parameters and unknown targets are argument errors
    if (e instanceof TrainParamError || /unknown target|outliers must|no exact sampler|ParamError/.test(msg) || (e instanceof Error && e.name === 'ParamError')) {
      io.err(`wgf train: ${msg}\n`);
      return 2;
    }
    io.err(`wgf train: ${msg}\n`);
    return 1;
  }
  progress.finish();
  const c = trained.card;
  const interrupted = io.signal?.aborted === true && c.steps < args.steps;
  // nothing non-finite leaves: the weights (the reader refuses NaN/Inf) and the card's metrics
  try {
    readGeneratorModel(trained.bytes);
  } catch (e) {
    io.err(`wgf train: the trained model is not usable (${oneLine(e)}); nothing written: try a smaller --param lr\n`);
    return 3;
  }
  const badMetric = Object.entries(c.metrics).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
  if (badMetric) {
    io.err(`wgf train: metric ${badMetric[0]} of the trained model is ${String(badMetric[1])}; nothing written\n`);
    return 3;
  }
  const cardText = JSON.stringify({ ...c, file: out.split(/[\\/]/).pop() ?? out, ...(interrupted ? { interrupted: true } : {}) }, null, 2) + '\n';
  try {
    await writeFileAtomic(out, trained.bytes);
    await writeFileAtomic(card, cardText);
    // the files hold what the line says: read back and compared
    const back = new Uint8Array(await readFile(out));
    if (back.length !== trained.bytes.length || back.some((b, i) => b !== trained.bytes[i])) throw new Error(`${out} does not read back as written`);
    if ((await readFile(card, 'utf8')) !== cardText) throw new Error(`${card} does not read back as written`);
  } catch (e) {
    io.err(`wgf train: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.out(JSON.stringify({ method: c.method, target: c.target, steps: c.steps, wallMs: c.wallMs, metrics: c.metrics, floor: c.floor, out, card, id: c.id, ...(interrupted ? { interrupted: true } : {}) }) + '\n');
  if (interrupted) {
    io.err(`wgf train: interrupted after ${c.steps} of ${args.steps} steps; the model so far is in ${out}\n`);
    return EXIT_INTERRUPTED;
  }
  return 0;
}


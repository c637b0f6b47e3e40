/**
 * The `wgf` command (bin/wgf.mjs): run a particle sampler in Node on the same engine and WGSL as
 * the browser, write the trajectory (.npy / .csv / .json), print one JSON summary line.
 *
 * Exit codes: 0 ok, 1 runtime failure (no GPU adapter, I/O error, device lost), 2 bad arguments,
 * 3 the run produced non-finite particles. Errors are one line `wgf: <message>` on stderr.
 * `main` never calls process.exit: bin/run-ts.mjs exits with the returned code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createBackend } from '../engine/backend';
import { ConfigError, type Backend, type BackendKind, type Domain, type InitSpec, type ParticleStats, type RunConfig, type Simulation } from '../engine/types';
import { drainChunks } from '../io/chunks';
import { decodeNpy } from '../io/npy';
import { pointsFromFile } from '../io/points';
import { formatFromFileName, trajectoryChunks, type TrajectoryFormat } from '../io/trajectory';
import { methods, getMethod } from '../methods/registry';
import { ParamError, parseParam, resolveParams, type ParamSpec, type Params } from '../params';
import { targets, getTarget } from '../targets/registry';
import { GpuRunError, guardGpu } from './gpuGuard';
import { sinkhornCommand } from './sinkhorn';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export const USAGE = `wgf: Wasserstein gradient flow particle samplers on WebGPU (Dawn) or the float64 CPU twin.

Usage:
  wgf run [options]     run a sampler; prints one JSON line to stdout
  wgf list [--json]     list methods and targets with their parameters
  wgf sinkhorn A B ...  Sinkhorn divergence between two point clouds (wgf sinkhorn --help)
  wgf --help            this text

Options for run (defaults in brackets):
  --target ID           target density [gaussian]; see \`wgf list\`
  --target-file FILE    target known only by samples: a .npy [m,2] or .csv (x,y columns) point
                        cloud (target id 'cloud'); for sample-based methods, e.g. --method mmd-flow
  --method ID           sampler [langevin]; see \`wgf list\`
  --n N                 number of particles [1024, or the row count of --init FILE]
  --steps S             number of steps [100]
  --every K             save a frame every K steps [S: first and last frame only]
  --step-size H         step size [0.01]
  --seed SEED           random seed, integer >= 0 [0]
  --backend gpu|cpu     gpu: WebGPU through Dawn; cpu: float64 reference [gpu]
  --param NAME=VALUE    a method or target parameter (repeatable); prefix with method. or
                        target. when a name is ambiguous, e.g. --param bandwidth=median
  --domain plane|torus  the plane R^2 [plane], or the torus [0,1)^2 (periodic targets, e.g.
                        svgd with --param kernel=riesz)
  --target-samples M    target cloud size for sample-based methods (mmd-flow, sinkhorn-flow) [n]
  --init gaussian|FILE  initial positions: N(0, I) [gaussian], or a .npy ([n,2] or the last
                        frame of [frames,n,2]) or .csv (x,y columns) file
  --out FILE            write the trajectory; format by extension:
                          .npy   float32 array [frames, n, 2]
                          .csv   step,particle,x,y
                          .json  {"meta": ..., "steps": [...], "frames": [[[x, y], ...], ...]}
                        frames = floor(S/K) + 1 at steps 0, K, 2K, ...; frame 0 = initial state;
                        steps after the last frame (S not a multiple of K) still run

Output: {"backend","adapter","method","target","n","steps","every","frames","wallMs",
"msPerStep","out","final":{"mean","cov","nonFinite"}}; cov = [c11, c12, c22]; wallMs includes
the frame read-backs, msPerStep times the stepping only (each batch waits for the GPU).
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments, 3 non-finite particles.

Example:
  wgf run --target banana --method svgd --n 4096 --steps 500 --every 10 --step-size 0.05 --seed 1 --out traj.npy
`;

/** A bad command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Flags of `wgf run` that take a value (`--param` may repeat). */
const RUN_FLAGS = ['target', 'target-file', 'method', 'n', 'steps', 'every', 'step-size', 'seed', 'backend', 'param', 'init', 'out', 'domain', 'target-samples'] as const;
type RunFlag = (typeof RUN_FLAGS)[number];

export interface RunArgs {
  target: string;
  method: string;
  /** Undefined: 1024, or the --init file's row count. */
  n: number | undefined;
  steps: number;
  every: number;
  stepSize: number;
  seed: number;
  backend: BackendKind;
  methodParams: Params;
  targetParams: Params;
  init: string;
  /** --target-file: the target is the point cloud in this file (target id 'cloud'). */
  targetFile: string | undefined;
  /** --domain plane|torus. */
  domain: Domain;
  /** --target-samples M: size of the target cloud drawn for sample-based methods (default n). */
  targetSamples: number | undefined;
  out: string | undefined;
  format: TrajectoryFormat | undefined;
}

function isRunFlag(name: string): name is RunFlag {
  return (RUN_FLAGS as readonly string[]).includes(name);
}

/** Split argv into flag values; `--name value` and `--name=value` both work. */
function collectFlags(argv: readonly string[]): { values: Map<RunFlag, string>; params: string[]; help: boolean } {
  const values = new Map<RunFlag, string>();
  const params: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (options start with --)`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!isRunFlag(name)) throw new UsageError(`unknown option '--${name}' (see wgf --help)`);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (name === 'param') params.push(value);
    else if (values.has(name)) throw new UsageError(`--${name} given twice`);
    else values.set(name, value);
  }
  return { values, params, help };
}

function integerFlag(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${raw}'`);
  }
  return v;
}

/** Route `name=value` to the method's or the target's parameter list and parse it there. */
function routeParam(raw: string, methodSpecs: readonly ParamSpec[], targetSpecs: readonly ParamSpec[], methodParams: Params, targetParams: Params, ids: { method: string; target: string }): void {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param expects name=value, got '${raw}'`);
  let name = raw.slice(0, eq).trim();
  const value = raw.slice(eq + 1);
  let owner: 'method' | 'target' | undefined;
  if (name.startsWith('method.')) [owner, name] = ['method', name.slice(7)];
  else if (name.startsWith('target.')) [owner, name] = ['target', name.slice(7)];
  const m = owner !== 'target' ? methodSpecs.find((s) => s.name === name) : undefined;
  const t = owner !== 'method' ? targetSpecs.find((s) => s.name === name) : undefined;
  if (m && t) throw new UsageError(`--param ${name} is ambiguous: use method.${name} or target.${name}`);
  const spec = m ?? t;
  if (!spec) {
    const known = [...methodSpecs.map((s) => s.name), ...targetSpecs.map((s) => s.name)];
    throw new UsageError(
      `--param ${name}: unknown parameter for method '${ids.method}' and target '${ids.target}' (known: ${known.join(', ') || 'none'})`,
    );
  }
  const into = m ? methodParams : targetParams;
  if (into[spec.name] !== undefined) throw new UsageError(`--param ${spec.name} given twice`);
  try {
    into[spec.name] = parseParam(spec, value);
  } catch (e) {
    if (e instanceof ParamError) throw new UsageError(`--param ${e.message}`);
    throw e;
  }
}

function lookupId<T extends { id: string }>(flag: string, id: string, all: readonly T[], get: (id: string) => T): T {
  try {
    return get(id);
  } catch {
    throw new UsageError(`--${flag}: unknown ${flag} '${id}' (known: ${all.map((d) => d.id).join(', ')})`);
  }
}

/** Parse and check the `wgf run` options (no file access). Throws UsageError. */
export function parseRunArgs(argv: readonly string[]): RunArgs | 'help' {
  const { values, params, help } = collectFlags(argv);
  if (help) return 'help';
  const targetFile = values.get('target-file');
  if (targetFile !== undefined && targetFile.trim() === '') throw new UsageError('--target-file needs a file name (.npy or .csv)');
  const targetGiven = values.get('target');
  if (targetFile !== undefined && targetGiven !== undefined && targetGiven !== 'cloud') {
    throw new UsageError(`--target ${targetGiven} and --target-file both set the target: give one`);
  }
  if (targetFile === undefined && targetGiven === 'cloud') throw new UsageError("--target cloud needs --target-file FILE (.npy [m,2] or .csv)");
  const target = targetFile !== undefined ? 'cloud' : (targetGiven ?? 'gaussian');
  const method = values.get('method') ?? 'langevin';
  const methodDef = lookupId('method', method, methods, getMethod);
  // The file cloud has no parameters and no registry entry (src/engine/config.ts resolveTarget).
  const targetDef = targetFile !== undefined ? { params: [] as ParamSpec[] } : lookupId('target', target, targets, getTarget);

  const n = integerFlag('n', values.get('n'), 1);
  const steps = integerFlag('steps', values.get('steps'), 0) ?? 100;
  const everyGiven = integerFlag('every', values.get('every'), 1);
  if (everyGiven !== undefined && everyGiven > steps) {
    throw new UsageError(`--every (${everyGiven}) must not exceed --steps (${steps})`);
  }
  const every = everyGiven ?? Math.max(steps, 1);
  const stepRaw = values.get('step-size');
  const stepSize = stepRaw === undefined ? 0.01 : Number(stepRaw);
  if (stepRaw !== undefined && (stepRaw.trim() === '' || !Number.isFinite(stepSize) || stepSize <= 0)) {
    throw new UsageError(`--step-size must be a finite number > 0, got '${stepRaw}'`);
  }
  const seed = integerFlag('seed', values.get('seed'), 0) ?? 0;
  if (seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${seed}`);
  const backend = values.get('backend') ?? 'gpu';
  if (backend !== 'gpu' && backend !== 'cpu') throw new UsageError(`--backend must be gpu or cpu, got '${backend}'`);

  const methodParams: Params = {};
  const targetParams: Params = {};
  for (const p of params) routeParam(p, methodDef.params, targetDef.params, methodParams, targetParams, { method, target });

  const init = values.get('init') ?? 'gaussian';
  if (init.trim() === '') throw new UsageError('--init needs gaussian or a file name');
  const out = values.get('out');
  let format: TrajectoryFormat | undefined;
  if (out !== undefined) {
    format = formatFromFileName(out);
    if (format === undefined) throw new UsageError(`--out: unknown file extension in '${out}' (use .npy, .csv or .json)`);
  }
  const domain = values.get('domain') ?? 'plane';
  if (domain !== 'plane' && domain !== 'torus') throw new UsageError(`--domain must be plane or torus, got '${domain}'`);
  const targetSamples = integerFlag('target-samples', values.get('target-samples'), 1);
  return { target, method, n, steps, every, stepSize, seed, backend, methodParams, targetParams, init, targetFile, domain, targetSamples, out, format };
}

/** The initial positions and the particle count they imply. Throws UsageError for a bad file. */
async function loadInit(args: RunArgs): Promise<{ init: InitSpec; n: number }> {
  if (args.init === 'gaussian') return { init: { kind: 'gaussian', mean: [0, 0], std: 1 }, n: args.n ?? 1024 };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(args.init);
  } catch (e) {
    throw new UsageError(`--init: cannot read '${args.init}': ${e instanceof Error ? e.message : String(e)}`);
  }
  let points;
  try {
    points = pointsFromFile(args.init, bytes);
  } catch (e) {
    throw new UsageError(`--init ${args.init}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (args.n !== undefined && args.n !== points.n) {
    throw new UsageError(`--n ${args.n} does not match the ${points.n} points in --init ${args.init}`);
  }
  return { init: { kind: 'positions', data: points.data }, n: points.n };
}

/** The --target-file point cloud (interleaved, float64), or undefined. Throws UsageError for a bad file. */
async function loadTargetCloud(args: RunArgs): Promise<Float64Array | undefined> {
  const file = args.targetFile;
  if (file === undefined) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UsageError(`--target-file: cannot read '${file}': ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const points = pointsFromFile(file, bytes);
    if (points.n < 1) throw new Error('no points');
    // Only [m, 2] (a cloud, not a trajectory): the last frame of [frames, m, 2] would surprise here.
    if (file.toLowerCase().endsWith('.npy')) {
      const shape = decodeNpy(bytes).shape;
      if (shape.length !== 2) throw new Error(`npy: expected shape (m, 2), got (${shape.join(', ')})`);
    }
    for (let i = 0; i < points.data.length; i++) {
      if (!Number.isFinite(points.data[i] ?? NaN)) throw new Error(`point ${Math.floor(i / 2)} has a non-finite coordinate`);
    }
    return Float64Array.from(points.data);
  } catch (e) {
    throw new UsageError(`--target-file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function fmtDefault(spec: ParamSpec): string {
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}

function fmtRange(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number': {
      const range = `[${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]`;
      return spec.alsoAccept?.length ? `${range} or ${spec.alsoAccept.join('|')}` : range;
    }
    case 'enum':
      return (spec.options ?? []).join('|');
    case 'vector':
      return spec.length !== undefined ? `${spec.length} numbers` : 'numbers';
    case 'boolean':
      return 'true|false';
    case 'json':
      return 'JSON';
  }
}

/** `wgf list`: every method and target with its parameters. */
export function listText(): string {
  const lines: string[] = [];
  const section = (title: string, defs: readonly { id: string; label: string; description: string; params: ParamSpec[] }[]): void => {
    lines.push(`${title}:`);
    for (const d of defs) {
      lines.push(`  ${d.id.padEnd(10)} ${d.label}: ${d.description}`);
      if (d.params.length === 0) lines.push('      (no parameters)');
      for (const p of d.params) {
        // Long defaults (JSON) go on a line of their own so the columns stay aligned.
        const def = fmtDefault(p);
        const shown = def.length <= 10 ? def : '(below)';
        lines.push(`      ${p.name.padEnd(12)} ${p.kind.padEnd(8)} default ${shown.padEnd(10)} ${fmtRange(p).padEnd(22)} ${p.description}`);
        if (shown !== def) lines.push(`${' '.repeat(19)}default: ${def}`);
      }
    }
  };
  section('methods', methods);
  lines.push('');
  section('targets', targets);
  lines.push('', 'Set parameters with --param NAME=VALUE (vectors: comma-separated, e.g. --param mean=1,2).');
  return `${lines.join('\n')}\n`;
}

function listJson(): string {
  const strip = (defs: readonly { id: string; label: string; description: string; params: ParamSpec[] }[]): object[] =>
    defs.map(({ id, label, description, params }) => ({ id, label, description, params }));
  return `${JSON.stringify({ methods: strip(methods), targets: strip(targets) })}\n`;
}

export interface RunSummary {
  backend: BackendKind;
  adapter: string;
  method: string;
  target: string;
  n: number;
  steps: number;
  every: number;
  frames: number;
  wallMs: number;
  msPerStep: number;
  out: string | null;
  final: { mean: [number, number]; cov: [number, number, number]; nonFinite: number };
}

const round = (v: number, digits = 4): number => Number(v.toPrecision(digits));
/** 7 significant digits; NaN/Infinity stay (JSON.stringify writes them as null). */
const roundStat = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(7)) : v);

/** Step the simulation, reading back a frame every `every` steps when `frames` is given. */
async function runLoop(sim: Simulation, args: RunArgs, frameCount: number, frames: Float32Array | undefined): Promise<{ wallMs: number; stepMs: number }> {
  const stride = sim.n * 2;
  const t0 = performance.now();
  let stepMs = 0;
  if (frames) frames.set(await sim.positions(), 0);
  let done = 0;
  for (let f = 1; f < frameCount; f++) {
    const s0 = performance.now();
    sim.step(args.every);
    await sim.finish();
    stepMs += performance.now() - s0;
    done += args.every;
    if (frames) frames.set(await sim.positions(), f * stride);
  }
  if (done < args.steps) {
    // Steps after the last frame (steps not a multiple of every): run, not saved.
    const s0 = performance.now();
    sim.step(args.steps - done);
    await sim.finish();
    stepMs += performance.now() - s0;
  }
  return { wallMs: performance.now() - t0, stepMs };
}

async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const { init, n } = await loadInit(args);
  const cloud = await loadTargetCloud(args);
  const config: RunConfig = {
    method: args.method,
    params: args.methodParams,
    target: cloud ? { id: 'cloud', params: {}, cloud } : { id: args.target, params: args.targetParams },
    n,
    stepSize: args.stepSize,
    seed: args.seed,
    init,
    domain: args.domain,
    ...(args.targetSamples !== undefined ? { targetSamples: args.targetSamples } : {}),
  };
  let backend: Backend;
  try {
    backend = await createBackend(args.backend);
  } catch (e) {
    io.err(`wgf: cannot start the ${args.backend} backend: ${oneLine(e)}\n`);
    return 1;
  }
  let sim: Simulation | undefined;
  try {
    const frameCount = Math.floor(args.steps / args.every) + 1;
    const frames = args.out !== undefined ? new Float32Array(frameCount * n * 2) : undefined;
    let run: { wallMs: number; stepMs: number; stats: ParticleStats };
    try {
      run = await guardGpu(backend, async () => {
        try {
          sim = backend.createSimulation(config);
        } catch (e) {
          if (e instanceof ConfigError || e instanceof ParamError) throw new UsageError(e.message);
          throw e;
        }
        const timing = await runLoop(sim, args, frameCount, frames);
        return { ...timing, stats: await sim.stats() };
      });
    } catch (e) {
      if (e instanceof GpuRunError) {
        io.err(`wgf: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const { wallMs, stepMs, stats } = run;

    if (frames && args.out !== undefined && args.format !== undefined) {
      const steps = Array.from({ length: frameCount }, (_, f) => f * args.every);
      const meta = {
        method: args.method,
        params: resolveParams(getMethod(args.method).params, args.methodParams),
        target: args.target,
        targetParams: args.targetFile !== undefined ? {} : resolveParams(getTarget(args.target).params, args.targetParams),
        ...(args.targetFile !== undefined ? { targetFile: args.targetFile } : {}),
        n,
        steps: args.steps,
        every: args.every,
        stepSize: args.stepSize,
        seed: args.seed,
        init: args.init,
        backend: args.backend,
        adapter: backend.info.description,
      };
      // Chunked even here: no single string over V8's length limit for large CSV/JSON exports.
      const parts = await drainChunks(trajectoryChunks(args.format, frames, steps, n, meta), { budgetMs: 1000 });
      try {
        await mkdir(dirname(args.out), { recursive: true });
        await writeFile(args.out, parts);
      } catch (e) {
        io.err(`wgf: cannot write --out ${args.out}: ${oneLine(e)}\n`);
        return 1;
      }
    }

    const summary: RunSummary = {
      backend: args.backend,
      adapter: backend.info.description,
      method: args.method,
      target: args.target,
      n,
      steps: args.steps,
      every: args.every,
      frames: frameCount,
      wallMs: round(wallMs),
      msPerStep: args.steps > 0 ? round(stepMs / args.steps) : 0,
      out: args.out ?? null,
      final: {
        mean: [roundStat(stats.mean[0]), roundStat(stats.mean[1])],
        cov: [roundStat(stats.cov[0]), roundStat(stats.cov[1]), roundStat(stats.cov[2])],
        nonFinite: stats.nonFinite,
      },
    };
    io.out(`${JSON.stringify(summary)}\n`);
    if (stats.nonFinite > 0) {
      io.err(`wgf: warning: ${stats.nonFinite} of ${n} particles are non-finite after ${args.steps} steps (try a smaller --step-size)\n`);
      return 3;
    }
    return 0;
  } finally {
    sim?.destroy();
    backend.destroy();
  }
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ').trim();
}

/** Entry point: `wgf <command> [options]`. Returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new UsageError('missing command: run or list (see wgf --help)');
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case 'list': {
        const extra = rest.filter((a) => a !== '--json');
        if (extra.length > 0) throw new UsageError(`list: unexpected argument '${extra[0] ?? ''}'`);
        io.out(rest.includes('--json') ? listJson() : listText());
        return 0;
      }
      case 'sinkhorn':
        return await sinkhornCommand(rest, io);
      case 'run': {
        const args = parseRunArgs(rest);
        if (args === 'help') {
          io.out(USAGE);
          return 0;
        }
        return await runCommand(args, io);
      }
      default:
        throw new UsageError(`unknown command '${command}' (expected run, list or sinkhorn; see wgf --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`wgf: ${oneLine(e)}\n`);
      return 2;
    }
    io.err(`wgf: ${oneLine(e)}\n`);
    return 1;
  }
}

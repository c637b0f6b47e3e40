/**
 * `wgf run`: run a particle sampler in Node on the same engine and WGSL as the browser, write the
 * trajectory (.npy / .csv / .json), print one JSON summary line. The defaults (method, target, n,
 * the step size rule) are data in src/engine/defaults.ts; flags are split by the one parser (./args.ts).
 */
import { APP_DEFAULTS, CLI_DEFAULTS, defaultStepSize } from '../engine/defaults';
import { createBackend } from '../engine/backend';
import { refusalByIds, runsOn } from '../engine/compat';
import { resolveTarget } from '../engine/config';
import { divergenceRule, runDivergence } from '../engine/divergence';
import { ConfigError, type Backend, type BackendKind, type Domain, type InitSpec, type Metrics, type ParticleStats, type RunConfig, type Simulation } from '../engine/types';
import { decodeNpy } from '../io/npy';
import { pointsFromFile } from '../io/points';
import { encodeNpySidecar, npySidecarName } from '../io/npySidecar';
import { formatFromFileName, trajectoryChunks, type TrajectoryFormat } from '../io/trajectory';
import { methods, getMethod } from '../methods/registry';
import { metricsWithValues, readMetric } from '../metrics/registry';

/** Registry data for the usage text (no method id is written in the CLI). */
const SAMPLE_METHODS = methods.filter((m) => m.needs === 'samples').map((m) => m.id);
const TORUS_METHOD = methods.find((m) => m.domainDefaults?.torus?.params);
const TORUS_PARAMS = Object.entries(TORUS_METHOD?.domainDefaults?.torus?.params ?? {}).map(([k, v]) => `--param ${k}=${String(v)}`).join(' ');
import { isCount, ParamError, parseParam, resolveParams, type ParamSpec, type Params } from '../core/params';
import { targets, findTarget, getTarget, pointsTarget, targetParamSpecs } from '../targets/registry';

/** The registered target a --target-file cloud becomes (TargetDef.data 'points'). */
const FILE_TARGET = pointsTarget();
import { choiceFlag, CliError, integerFlag, oneLine, parseFlags, type FlagSpec } from './args';
import { checkWritable, readInputFile, writeFileAtomic } from './files';
import {
  boundedInt, boundedNumber, CPU_MAX_PARTICLES, fmtInt, GPU_MAX_PARTICLES, LIMITS_TEXT, MAX_FRAME_VALUES, MAX_PARTICLE_STEPS, MAX_RUN_STEPS, MAX_STEP_SIZE, sci,
} from './limits';
import { Progress } from './progress';
import { GpuRunError, guardGpu } from '../engine/gpuGuard';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stderr is a terminal (progress as a bar; else a line per 10%). */
  isTTY?: boolean;
  /** Show progress on stderr for runs past ~2 s (the real process; in-process callers leave it out). */
  progress?: boolean;
  /** Aborted on Ctrl-C (SIGINT): a run stops after its current chunk and keeps what it has (exit 130). */
  signal?: AbortSignal;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

export const USAGE = `wgf: Wasserstein gradient flow particle samplers on WebGPU (Dawn) or the float64 CPU twin.

Usage:
  wgf run [options]     run a sampler; prints one JSON line to stdout
  wgf list [--json]     list methods and targets with their parameters
  wgf sinkhorn A B ...  Sinkhorn divergence between two point clouds (wgf sinkhorn --help)
  wgf train ...         train a one-step generator (wflow, uotm, sjko) as ONNX (wgf train --help)
  wgf sample ...        sample a generator .onnx with onnxruntime-web (wgf sample --help)
  wgf --help            this text

Options for run (defaults in brackets):
  --target ID           target density [${CLI_DEFAULTS.target}]; see \`wgf list\`
  --target-file FILE    target known only by samples: a .npy [m,2] or .csv (x,y columns) point
                        cloud (target id '${FILE_TARGET.id}'); for sample-based methods, e.g. --method ${SAMPLE_METHODS[0] ?? ''}
  --method ID           sampler [${CLI_DEFAULTS.method}]; see \`wgf list\`
  --n N                 number of particles [${CLI_DEFAULTS.n}, or the row count of --init FILE]
  --steps S             number of steps [${CLI_DEFAULTS.steps}]
  --every K             save a frame every K steps [S: first and last frame only]
  --step-size H         step size [the stable default of the method on the target: h = 0.2 / L for
                        score-based methods, L the curvature of -log pi (at most 0.1); a fixed step
                        for the sample-based flows; the method's torus step on the torus]
  --seed SEED           random seed, integer >= 0 [${CLI_DEFAULTS.seed}]
  --backend gpu|cpu     gpu: WebGPU through Dawn; cpu: float64 reference [gpu]
  --param NAME=VALUE    a method or target parameter (repeatable); prefix with method. or
                        target. when a name is ambiguous, e.g. --param bandwidth=median
  --domain plane|torus  the plane R^2 [plane], or the torus [0,1)^2 (periodic targets, e.g.
                        ${TORUS_METHOD?.id ?? ''} with ${TORUS_PARAMS})
  --target-samples M    target cloud size for sample-based methods (${SAMPLE_METHODS.join(', ')}) [n]
  --init gaussian|FILE  initial positions: N(0, I) [gaussian], or a .npy ([n,2] or the last
                        frame of [frames,n,2]) or .csv (x,y columns) file
  --out FILE            write the trajectory; format by extension:
                          .npy   float32 array [frames, n, 2], and beside it
                                 FILE.steps.json {"npy", "shape", "meta", "steps"}
                          .csv   step,particle,x,y
                          .json  {"meta": ..., "steps": [...], "frames": [[[x, y], ...], ...]}
                        frames = floor(S/K) + 1 at steps 0, K, 2K, ...; frame 0 = initial state;
                        steps after the last frame (S not a multiple of K) still run

Output: {"backend","adapter","method","target","n","steps","every","frames","wallMs",
"msPerStep","out","final":{"mean","cov","nonFinite", and the method's readouts, e.g. "acceptance"},
"metrics":{the live metrics that apply to the run, by id, on the final positions; see wgf list}};
cov = [c11, c12, c22]; wallMs includes
the frame read-backs, msPerStep times the stepping only (each batch waits for the GPU).
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or input files, 3 non-finite particles,
130 stopped by Ctrl-C (the frames so far are written, the result line says "interrupted": true).

${LIMITS_TEXT}
Example:
  wgf run --target banana --method ${APP_DEFAULTS.method} --n 4096 --steps 500 --every 10 --step-size 0.05 --seed 1 --out traj.npy
`;

export interface RunArgs {
  target: string;
  method: string;
  /** Undefined: CLI_DEFAULTS.n, or the --init file's row count. */
  n: number | undefined;
  steps: number;
  every: number;
  stepSize: number;
  seed: number;
  backend: BackendKind;
  methodParams: Params;
  targetParams: Params;
  init: string;
  /** --target-file: the target is the point cloud in this file (the target built from points, FILE_TARGET). */
  targetFile: string | undefined;
  /** --domain plane|torus. */
  domain: Domain;
  /** --target-samples M: size of the target cloud drawn for sample-based methods (default n). */
  targetSamples: number | undefined;
  out: string | undefined;
  format: TrajectoryFormat | undefined;
}

/** Route `name=value` to the method's or the target's parameter list and parse it there. */
function routeParam(raw: string, methodSpecs: readonly ParamSpec[], targetSpecs: readonly ParamSpec[], methodParams: Params, targetParams: Params, ids: { method: string; target: string }): void {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new CliError(`--param expects name=value, got '${raw}'`);
  let name = raw.slice(0, eq).trim();
  const value = raw.slice(eq + 1);
  let owner: 'method' | 'target' | undefined;
  if (name.startsWith('method.')) [owner, name] = ['method', name.slice(7)];
  else if (name.startsWith('target.')) [owner, name] = ['target', name.slice(7)];
  const m = owner !== 'target' ? methodSpecs.find((s) => s.name === name) : undefined;
  const t = owner !== 'method' ? targetSpecs.find((s) => s.name === name) : undefined;
  if (m && t) throw new CliError(`--param ${name} is ambiguous: use method.${name} or target.${name}`);
  const spec = m ?? t;
  if (!spec) {
    const known = [...methodSpecs.map((s) => s.name), ...targetSpecs.map((s) => s.name)];
    throw new CliError(
      `--param ${name}: unknown parameter for method '${ids.method}' and target '${ids.target}' (known: ${known.join(', ') || 'none'})`,
    );
  }
  const into = m ? methodParams : targetParams;
  if (Object.hasOwn(into, spec.name)) throw new CliError(`--param ${spec.name} given twice`);
  // counts (a number spec with step 1: iterations, inner, k, m, grid, ...) are integers: refused, not rounded
  const asNumber = Number(value.trim());
  if (isCount(spec) && value.trim() !== '' && Number.isFinite(asNumber) && !Number.isInteger(asNumber)) {
    throw new CliError(`--param ${spec.name} is a count: it must be an integer, got '${value}'`);
  }
  let parsed;
  try {
    parsed = parseParam(spec, value);
  } catch (e) {
    if (e instanceof ParamError) throw new CliError(`--param ${e.message}`);
    throw e;
  }
  into[spec.name] = parsed;
}

/** A number parameter that counts something (declared with step 1 and an integer minimum). */
export { isCount };

function lookupId<T extends { id: string }>(flag: string, id: string, all: readonly T[], get: (id: string) => T): T {
  try {
    return get(id);
  } catch {
    throw new CliError(`--${flag}: unknown ${flag} '${id}' (known: ${all.map((d) => d.id).join(', ')})`);
  }
}

/** Flags of `wgf run` (`--param` may repeat). */
const RUN_FLAGS: Readonly<Record<string, FlagSpec>> = Object.fromEntries(
  ['target', 'target-file', 'method', 'n', 'steps', 'every', 'step-size', 'seed', 'backend', 'init', 'out', 'domain', 'target-samples']
    .map((name) => [name, { type: 'string' } as FlagSpec])
    .concat([['param', { type: 'string', multiple: true }]]),
);

/** Parse and check the `wgf run` options (no file access). Throws CliError naming the argument. */
export function parseRunArgs(argv: readonly string[]): RunArgs | 'help' {
  const { values, lists, help } = parseFlags(argv, RUN_FLAGS, { seeHelp: 'wgf --help' });
  if (help) return 'help';
  const targetFile = values.get('target-file');
  if (targetFile !== undefined && targetFile.trim() === '') throw new CliError('--target-file needs a file name (.npy or .csv)');
  const targetGiven = values.get('target');
  // a target built from points (TargetDef.data 'points') takes them from --target-file, and only from there
  const givenFromPoints = targetGiven !== undefined && findTarget(targetGiven)?.data === 'points';
  if (targetFile !== undefined && targetGiven !== undefined && !givenFromPoints) {
    throw new CliError(`--target ${targetGiven} and --target-file both set the target: give one`);
  }
  if (targetFile === undefined && givenFromPoints) throw new CliError(`--target ${targetGiven} needs --target-file FILE (.npy [m,2] or .csv)`);
  const target = targetFile !== undefined ? (targetGiven ?? FILE_TARGET.id) : (targetGiven ?? CLI_DEFAULTS.target);
  const method = values.get('method') ?? CLI_DEFAULTS.method;
  const methodDef = lookupId('method', method, methods, getMethod);
  // the file cloud's target: its params come from the registry like any target's (the cloud has none)
  const targetDef = lookupId('target', target, targets, getTarget);

  const backend = choiceFlag('backend', values.get('backend'), ['gpu', 'cpu'] as const) ?? 'gpu';
  const maxN = backend === 'cpu' ? CPU_MAX_PARTICLES : GPU_MAX_PARTICLES;
  const n = boundedInt('n', values.get('n'), 1, maxN, 'wgf', ` on the ${backend} backend`);
  const steps = boundedInt('steps', values.get('steps'), 0, MAX_RUN_STEPS) ?? CLI_DEFAULTS.steps;
  const everyGiven = boundedInt('every', values.get('every'), 1, MAX_RUN_STEPS);
  if (everyGiven !== undefined && everyGiven > steps) {
    throw new CliError(`--every (${everyGiven}) must not exceed --steps (${steps})`);
  }
  const every = everyGiven ?? Math.max(steps, 1);
  const stepGiven = boundedNumber('step-size', values.get('step-size'), (v) => v > 0, 'a finite number > 0', MAX_STEP_SIZE);
  const seed = integerFlag('seed', values.get('seed'), 0) ?? CLI_DEFAULTS.seed;
  if (seed > 0xffffffff) throw new CliError(`--seed must be below 2^32, got ${seed}`);

  const methodParams: Params = {};
  const targetParams: Params = {};
  const given = lists.get('param') ?? [];
  // a target whose parameters follow its values (a formula: --param 'logp=EXPR' names its own
  // parameters): its static parameters (the text) first, then the full list (TargetDef.paramsFor)
  let targetSpecs: readonly ParamSpec[] = targetDef.params;
  if (targetDef.paramsFor) {
    const first: Params = {};
    for (const p of given) {
      const eq = p.indexOf('=');
      const name = p.slice(0, Math.max(eq, 0)).trim().replace(/^target\./, '');
      const spec = targetDef.params.find((s) => s.name === name);
      if (eq <= 0 || !spec || (!p.trim().startsWith('target.') && methodDef.params.some((s) => s.name === name))) continue;
      try {
        first[name] = parseParam(spec, p.slice(eq + 1));
      } catch {
        // routeParam below names it
      }
    }
    try {
      targetSpecs = targetParamSpecs(targetDef, first);
    } catch (e) {
      if (e instanceof ParamError) throw new CliError(`--param ${e.message}`);
      throw e;
    }
  }
  for (const p of given) routeParam(p, methodDef.params, targetSpecs, methodParams, targetParams, { method, target });

  const init = values.get('init') ?? 'gaussian';
  if (init.trim() === '') throw new CliError('--init needs gaussian or a file name');
  const out = values.get('out');
  let format: TrajectoryFormat | undefined;
  if (out !== undefined) {
    format = formatFromFileName(out);
    if (format === undefined) throw new CliError(`--out: unknown file extension in '${out}' (use .npy, .csv or .json)`);
  }
  const domain: Domain = choiceFlag('domain', values.get('domain'), ['plane', 'torus'] as const) ?? 'plane';
  const targetSamples = boundedInt('target-samples', values.get('target-samples'), 1, maxN, 'wgf', ` on the ${backend} backend`);
  const refused = refusalByIds(method, target, domain); if (refused !== undefined) throw new CliError(`--method ${method} on ${targetFile !== undefined ? '--target-file' : `--target ${target}`}${domain !== 'plane' ? ` --domain ${domain}` : ''}: ${refused}`); // what runs on what: src/engine/compat.ts, before any file is read
  // Absent --step-size: the same stable default as the app's (src/engine/defaults.ts).
  const stepSize = stepGiven ?? defaultStepSize(method, target, domain);
  const args: RunArgs = { target, method, n, steps, every, stepSize, seed, backend, methodParams, targetParams, init, targetFile, domain, targetSamples, out, format };
  if (n !== undefined || init === 'gaussian') checkWork(args, n ?? CLI_DEFAULTS.n);
  return args;
}

/** The work bounds of a run of n particles (see LIMITS_TEXT); throws CliError naming the flags. */
export function checkWork(args: RunArgs, n: number): void {
  const cap = MAX_PARTICLE_STEPS[args.backend];
  if (n * args.steps > cap) {
    throw new CliError(`--n ${fmtInt(n)} x --steps ${fmtInt(args.steps)} = ${sci(n * args.steps)} particle-steps, over the ${args.backend} backend's limit of ${sci(cap)} (a run of days): fewer --steps or particles`);
  }
  if (args.out !== undefined) {
    const frames = Math.floor(args.steps / args.every) + 1;
    if (frames * n * 2 > MAX_FRAME_VALUES) {
      throw new CliError(`--out would hold ${fmtInt(frames)} frames of ${fmtInt(n)} particles (${sci(frames * n)} points), over the limit of ${fmtInt(MAX_FRAME_VALUES / 2)}: a larger --every`);
    }
  }
}
/** The initial positions and the particle count they imply. Throws CliError for a bad file. */
async function loadInit(args: RunArgs): Promise<{ init: InitSpec; n: number }> {
  if (args.init === 'gaussian') return { init: { kind: 'gaussian', mean: [0, 0], std: 1 }, n: args.n ?? CLI_DEFAULTS.n };
  const bytes = await readInputFile(args.init, '--init');
  let points;
  try {
    points = pointsFromFile(args.init, bytes);
  } catch (e) {
    throw new CliError(`--init ${args.init}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (args.n !== undefined && args.n !== points.n) {
    throw new CliError(`--n ${args.n} does not match the ${points.n} points in --init ${args.init}`);
  }
  return { init: { kind: 'positions', data: points.data }, n: points.n };
}

/** The --target-file point cloud (interleaved, float64), or undefined. Throws CliError for a bad file. */
async function loadTargetCloud(args: RunArgs): Promise<Float64Array | undefined> {
  const file = args.targetFile;
  if (file === undefined) return undefined;
  const bytes = await readInputFile(file, '--target-file');
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
    throw new CliError(`--target-file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
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
  /** 'cpu (float64 twin on the host)' when the GPU backend ran a method without a WGSL stepper (jko, solver 'dense'). */
  stepper?: string;
  /** Stopped by Ctrl-C: steps and frames count what ran and was written. */
  interrupted?: boolean;
  /** The engine's divergence rule fired (exit 3): the reason in words, e.g. "max |x| = 1.3e+7 left the box ...". */
  diverged?: string;
  /** Plus the method's readouts (stats.readouts, metrics.readouts), e.g. acceptance, bandwidth, energy, gradNorm, minEig. */
  final: { mean: [number, number]; cov: [number, number, number]; nonFinite: number } & Record<string, number | number[]>;
  /**
   * The registry's metrics that apply to the run (src/metrics/registry.ts, as the page plots them),
   * measured on the final positions by the backend's implementations (GPU kernels or the float64
   * twins), by id, with their extras (e.g. sinkhornIterations); null where a value is not finite.
   */
  metrics: Record<string, number | null>;
}

const round = (v: number, digits = 4): number => Number(v.toPrecision(digits));
/** 7 significant digits; NaN/Infinity stay (JSON.stringify writes them as null). */
const roundStat = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(7)) : v);

/** What the stepping loop did: timings, the steps run and the frames read back (fewer when interrupted). */
interface LoopResult {
  wallMs: number;
  stepMs: number;
  stepsDone: number;
  framesDone: number;
  interrupted: boolean;
}

/** A chunk of steps should take about this long: the loop checks Ctrl-C and draws progress between chunks. */
const CHUNK_MS = 200;

/**
 * Step the simulation, reading back a frame every `every` steps when `frames` is given. The steps
 * run in chunks (never across a frame) sized to take about CHUNK_MS, so progress is shown and Ctrl-C
 * (io.signal) is honoured between them; the chunking does not change the trajectory (the engine's
 * noise is indexed by the step clock).
 */
async function runLoop(sim: Simulation, args: RunArgs, frameCount: number, frames: Float32Array | undefined, io: CliIo): Promise<LoopResult> {
  const stride = sim.n * 2;
  const t0 = performance.now();
  let stepMs = 0;
  if (frames) frames.set(await sim.positions(), 0);
  const progress = new Progress(io, 'wgf run', args.steps, 'steps');
  let done = 0;
  let framesDone = 1;
  let chunk = 1;
  const stepTo = async (until: number): Promise<boolean> => {
    while (done < until) {
      if (io.signal?.aborted) return false;
      const k = Math.min(chunk, until - done);
      const s0 = performance.now();
      sim.step(k);
      await sim.finish();
      const ms = performance.now() - s0;
      stepMs += ms;
      done += k;
      // grow the chunk while it runs fast (GPU submissions stay large), shrink it when slow
      if (ms < CHUNK_MS / 2 && k === chunk) chunk = Math.min(chunk * 2, 1 << 20);
      else if (ms > CHUNK_MS * 2 && chunk > 1) chunk = Math.max(1, Math.floor(chunk / 2));
      progress.update(done);
      // hand the event loop a turn (SIGINT is delivered there)
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return true;
  };
  let interrupted = false;
  // a heartbeat while a step is awaited (GPU): a slow first step still shows elapsed time after ~2 s
  const heartbeat = setInterval(() => progress.update(done), 1000);
  try {
    for (let f = 1; f < frameCount; f++) {
      if (!(await stepTo(f * args.every))) {
        interrupted = true;
        break;
      }
      if (frames) frames.set(await sim.positions(), f * stride);
      framesDone = f + 1;
    }
    // Steps after the last frame (steps not a multiple of every): run, not saved.
    if (!interrupted && !(await stepTo(args.steps))) interrupted = true;
  } finally {
    clearInterval(heartbeat);
  }
  progress.finish();
  return { wallMs: performance.now() - t0, stepMs, stepsDone: done, framesDone, interrupted };
}

/** Non-finite numbers among `values` (float32 frames: a finite float64 beyond 3.4e38 is Infinity here). */
function countNonFinitePoints(values: Float32Array): number {
  let bad = 0;
  for (let i = 0; i + 1 < values.length; i += 2) if (!Number.isFinite(values[i] ?? NaN) || !Number.isFinite(values[i + 1] ?? NaN)) bad++;
  return bad;
}

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  // an unwritable --out is found before anything is read or computed
  if (args.out !== undefined) await checkWritable(args.out, '--out');
  const { init, n } = await loadInit(args);
  checkWork(args, n);
  const cloud = await loadTargetCloud(args);
  const config: RunConfig = {
    method: args.method,
    params: args.methodParams,
    target: { id: args.target, params: args.targetParams, ...(cloud ? { cloud } : {}) },
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
    let run: LoopResult & { stats: ParticleStats; metrics: Metrics | undefined; measured: Metrics; last: Float32Array | undefined };
    try {
      run = await guardGpu(backend, async () => {
        try {
          sim = backend.createSimulation(config);
        } catch (e) {
          if (e instanceof ConfigError || e instanceof ParamError) throw new CliError(e.message);
          throw e;
        }
        const loop = await runLoop(sim, args, frameCount, frames, io);
        // The method's 'metrics' readouts (e.g. an inner solve's residual) need a metrics() call: only then.
        const wantsMetrics = getMethod(args.method).readouts?.some((r) => r.when === 'metrics') === true && loop.stepsDone > 0;
        // the final positions as float32 (what the files hold): a float64 value beyond float32's range counts as non-finite
        const last = frames ? undefined : Float32Array.from(await sim.positions());
        const stats = await sim.stats();
        // the live metrics on the final positions (the result's "metrics"); the readouts of final come from it only as before
        const measured = await sim.metrics();
        return { ...loop, stats, metrics: wantsMetrics ? measured : undefined, measured, last };
      });
    } catch (e) {
      if (e instanceof GpuRunError) {
        io.err(`wgf: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const { wallMs, stepMs, stats, metrics, measured, stepsDone, framesDone, interrupted } = run;
    const stride = n * 2;
    const lastFrame = frames ? frames.subarray((framesDone - 1) * stride, framesDone * stride) : run.last;
    const nonFinite = Math.max(stats.nonFinite, lastFrame ? countNonFinitePoints(lastFrame) : 0);
    // the engine's one divergence rule (src/engine/divergence.ts): NaN, the target's box, F or |g| exploding
    const diverged = cloud ? undefined : runDivergence(divergenceRule(resolveTarget(config.target), config.init), stats, metrics);

    if (frames && args.out !== undefined && args.format !== undefined) {
      const steps = Array.from({ length: framesDone }, (_, f) => f * args.every);
      const meta = {
        method: args.method,
        params: resolveParams(getMethod(args.method).params, args.methodParams),
        target: args.target,
        targetParams: resolveParams(targetParamSpecs(getTarget(args.target), args.targetParams), args.targetParams),
        ...(args.targetFile !== undefined ? { targetFile: args.targetFile } : {}),
        n,
        steps: interrupted ? stepsDone : args.steps,
        every: args.every,
        stepSize: args.stepSize,
        seed: args.seed,
        init: args.init,
        backend: args.backend,
        adapter: backend.info.description,
        ...(interrupted ? { interrupted: true } : {}),
      };
      // Chunked, streamed to a temporary file and renamed: no single string over V8's length limit, no half file.
      const chunks = trajectoryChunks(args.format, frames.subarray(0, framesDone * stride), steps, n, meta);
      try {
        await writeFileAtomic(args.out, (function* () {
          for (const c of chunks) yield c.part;
        })());
      } catch (e) {
        io.err(`wgf: cannot write --out ${args.out}: ${oneLine(e)}\n`);
        return 1;
      }
      // an .npy holds one array: the step of each frame and the meta go beside it (src/io/npySidecar.ts)
      if (args.format === 'npy') {
        const side = npySidecarName(args.out);
        try {
          await writeFileAtomic(side, encodeNpySidecar(args.out, meta, steps, n));
        } catch (e) {
          io.err(`wgf: cannot write the steps sidecar ${side}: ${oneLine(e)}\n`);
          return 1;
        }
      }
    }

    const summary: RunSummary = {
      backend: args.backend,
      adapter: backend.info.description,
      method: args.method,
      target: args.target,
      n,
      steps: interrupted ? stepsDone : args.steps,
      every: args.every,
      frames: interrupted ? framesDone : frameCount,
      wallMs: round(wallMs),
      msPerStep: stepsDone > 0 ? round(stepMs / stepsDone) : 0,
      out: args.out ?? null,
      // the GPU backend ran the method's float64 twin on the host (no WGSL stepper for it): said here,
      // by the one rule (src/engine/compat.ts runsOn)
      ...(runsOn(getMethod(args.method), resolveParams(getMethod(args.method).params, args.methodParams), backend.info.kind).runsOn === 'host' ? { stepper: 'cpu (float64 twin on the host)' } : {}),
      ...(interrupted ? { interrupted: true } : {}),
      ...(diverged ? { diverged: diverged.reason } : {}),
      final: {
        mean: [roundStat(stats.mean[0]), roundStat(stats.mean[1])],
        cov: [roundStat(stats.cov[0]), roundStat(stats.cov[1]), roundStat(stats.cov[2])],
        nonFinite,
        ...readoutsOf(stats),
        ...(metrics ? readoutsOf(metrics) : {}),
      },
      metrics: metricsOf(measured),
    };
    io.out(`${JSON.stringify(summary)}\n`);
    if (interrupted) {
      io.err(`wgf: interrupted after ${stepsDone} of ${args.steps} steps${args.out !== undefined ? `; ${framesDone} frames written to ${args.out}` : ''}\n`);
      return EXIT_INTERRUPTED;
    }
    if (nonFinite > 0 || diverged) {
      const why = nonFinite > 0 ? `${nonFinite} of ${n} particles are non-finite` : `the run diverged (${diverged?.reason ?? ''})`;
      io.err(`wgf: warning: ${why} after ${args.steps} steps (try a smaller --step-size)\n`);
      return 3;
    }
    return 0;
  } finally {
    sim?.destroy();
    backend.destroy();
  }
}


/** The registered metrics with a value in `m`, and their extras, rounded like the stats (non-finite: null). */
function metricsOf(m: Metrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const put = (k: string, v: number): void => void (out[k] = Number.isFinite(v) ? roundStat(v) : null);
  for (const { def, value } of metricsWithValues(m)) {
    put(def.id, value);
    for (const e of def.extras ?? []) {
      const v = readMetric(m, e);
      if (v !== undefined) put(e, v);
    }
  }
  return out;
}

/** A readouts record, its values rounded like the stats (keys as the method declares them). */
function readoutsOf(x: { readouts?: Record<string, number> }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(x.readouts ?? {})) out[k] = roundStat(v);
  return out;
}

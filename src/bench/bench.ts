/**
 * `npm run bench`: milliseconds per step of each method on the GPU (Dawn) and CPU (float64)
 * backends over a range of particle counts, plus the CPU/GPU ratio.
 *
 * Per configuration: one warm-up step (pipeline compilation, first dispatch), one timed probe step,
 * then R repeats of `sim.step(k); await sim.finish()`; msPerStep = median over repeats of time / k,
 * with k chosen so a repeat lasts ~targetMs. A configuration whose estimated cost (from the probe,
 * or before the probe from the previous size scaled as N^2, the cost of the O(N^2) methods) exceeds
 * the budget is recorded as `"skipped": "estimated X s"` instead of run.
 *
 * Output: JSON to stdout and to --out (default bench-results/bench.json); a table to stderr.
 * On a machine without a GPU, 'gpu' is SwiftShader (software): its numbers measure correctness
 * paths, not GPU speed (isFallback says so). `timing` says per suite how GPU times were taken:
 * 'timestamp-query' (GPU timestamps around the recorded pass, src/bench/gpuTimer.ts, where the
 * adapter has the feature: sinkhorn iterations, pm steps) or 'wall-clock' (submit to
 * onSubmittedWorkDone: the steps and flow suites, which time the engine's own submissions, and any
 * suite on an adapter without timestamps).
 * The steps suite benchmarks every registry method (src/methods/registry.ts) that runs on the plane,
 * unless its MethodDef says `bench: false`; --methods picks some.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createBackend } from '../engine/backend';
import type { Backend, BackendKind, Simulation } from '../engine/types';
import { guardGpu } from '../engine/gpuGuard';
import { methods as registryMethods } from '../methods/registry';
import { setWorkgroupSizes, resetWorkgroupSizes, DEFAULT_WORKGROUP_SIZES } from '../gpu/workgroups';
import { flowBench, type FlowBenchRow } from './flowBench';
import { generatorsBench, generatorsTable, type GeneratorsBenchRow, type GeneratorsRuntime } from './generatorsBench';
import { newtonBench, type NewtonBenchRow } from './newtonBench';
import type { TimingKind } from './gpuTimer';
import { pmBench, type PmBenchRow } from './pmBench';
import { sinkhornBench, type SinkhornBenchRow } from './sinkhornBench';
import { fmtS, median } from './util';

export interface BenchIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Where the GPU comes from. Default: the engine's own lookup (navigator.gpu, or Dawn through
 * src/gpu/node.ts in Node); the bundled entry (src/bench/cli.ts) passes Dawn explicitly, since the
 * engine's runtime import of src/gpu/node is hidden from bundlers.
 */
export interface BenchEnv {
  gpu?: () => Promise<GPU>;
}

const processIo: BenchIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

const SUITES = ['steps', 'sinkhorn', 'pm', 'flow', 'newton'] as const;
/** Suites run only when --suites names them (not in the default run). */
const OPT_IN_SUITES = ['generators'] as const;
type Suite = (typeof SUITES)[number] | (typeof OPT_IN_SUITES)[number];

const USAGE = `usage: npm run bench -- [options]
  --suites S1,S2        steps (ms per method step), sinkhorn (one log-domain iteration and one
                        100-iteration debiased divergence at N = M), pm (Riesz-SVGD on the torus:
                        particle-mesh vs direct sum, time and error), flow (sinkhorn-flow before/after
                        the warm re-annealing: softmin passes per step, ms, energy distance after the
                        same simulated time), newton (one Hessian-vector product and one
                        Lanczos(k = 20) solve at N = 1024, 16384, 65536, GPU vs CPU twin);
                        opt-in: generators (each shipped ONNX generator's samples/s vs the
                        sinkhorn-flow reaching its S_eps from N(0, I))
                        [steps,sinkhorn,pm,flow,newton]
  --sizes N1,N2,...     steps: particle counts [1024,4096,16384,65536]
  --quick               steps: --sizes 1024,4096; sinkhorn: 1024,4096; pm: 4096,65536; flow: 512;
                        generators: --gen-sizes 4096, --gen-max-s 20
  --methods M1,M2       steps: methods [every registry method that runs on the plane]
  --backends B1,B2      steps and flow: backends [gpu,cpu] (sinkhorn and pm run on the GPU)
  --wg W1,W2,...        steps: run the suite once per workgroup size (all tunable kernels,
                        src/gpu/workgroups.ts), rows tagged with wg [the defaults, untagged]
  --flow-sizes N,...    flow: N = M [512,4096]
  --flow-targets T,...  flow: sample targets [8gaussians,moons]
  --flow-steps K        flow: steps [20]
  --flow-tau T          flow: step size tau [0.5]
  --sinkhorn-sizes N,.. sinkhorn: N = M [4096,16384,65536]
  --pm-sizes N,...      pm: particle counts [4096,65536,1048576]
  --pm-grids G,...      pm: mesh sizes [64,128,256]
  --models ID,...|all   generators: model ids of public/models/index.json [the 8gaussians models]
  --models-dir DIR      generators: where index.json and the .onnx files are [public/models]
  --gen-sizes N,...     generators: sample / particle counts [4096,65536]
  --gen-every K         generators: measure the flow's S_eps every K steps [5]
  --gen-repeats R       generators: timed generator calls per model and N (median) [15]
  --gen-max-steps K     generators: flow step cap per run [200]
  --gen-max-s S         generators: cap on a flow run's timed stepping, seconds [60]
  --gen-m M             generators: flow target cloud m = min(n, M) [4096]
  --gen-cpu-max-n N     generators: CPU-backend flows only for n <= N [4096]
  --gen-tau T           generators: flow step size [sinkhorn-flow's default, 0.2]
  --target ID           target density [gaussian]
  --repeats R           timed repeats per configuration [5]
  --budget-s S          skip configurations estimated to take longer than S seconds [20]
  --out FILE            JSON output file [bench-results/bench.json]
`;

export interface BenchOptions {
  suites: Suite[];
  sizes: number[];
  sinkhornSizes: number[];
  pmSizes: number[];
  pmGrids: number[];
  flowSizes: number[];
  flowTargets: string[];
  flowSteps: number;
  flowTau: number;
  /** steps: workgroup sizes to sweep (empty: the defaults, once). */
  wg: number[];
  methods: string[];
  backends: BackendKind[];
  target: string;
  repeats: number;
  budgetS: number;
  out: string;
  /** Aim for repeats of about this long (ms). */
  targetMs: number;
  /** Upper bound on steps per repeat. */
  maxStepsPerRepeat: number;
  /** generators (src/bench/generatorsBench.ts): model ids, ['all'], or undefined (the 8gaussians models). */
  genModels: string[] | undefined;
  modelsDir: string;
  genSizes: number[];
  genEvery: number;
  genRepeats: number;
  genMaxSteps: number;
  genMaxS: number;
  genM: number;
  genCpuMaxN: number;
  genTau: number | undefined;
}

export interface BenchResult {
  method: string;
  backend: BackendKind;
  n: number;
  msPerStep?: number;
  repeats?: number;
  stepsPerRepeat?: number;
  /** Every repeat's ms per step, for spread. */
  samplesMsPerStep?: number[];
  skipped?: string;
  error?: string;
  /** --wg sweeps: the workgroup size every tunable kernel ran with. */
  wg?: number;
}

export interface BenchReport {
  date: string;
  node: string;
  platform: string;
  adapter: string | null;
  isFallback: boolean | null;
  target: string;
  stepSize: number;
  budgetS: number;
  results: BenchResult[];
  /** cpu msPerStep / gpu msPerStep, where both ran. */
  ratios: { method: string; n: number; cpuOverGpu: number }[];
  /** Suite 'sinkhorn' (src/bench/sinkhornBench.ts): ms per iteration / per divergence, GPU. */
  sinkhorn: SinkhornBenchRow[];
  /** Suite 'pm' (src/bench/pmBench.ts): ms per Riesz-SVGD step and relative error vs the direct sum, GPU. */
  pm: PmBenchRow[];
  /** Suite 'flow' (src/bench/flowBench.ts): sinkhorn-flow before/after, both backends. */
  flow: FlowBenchRow[];
  /** Suite 'newton' (src/bench/newtonBench.ts, issue 10): one HVP and one Lanczos(k = 20) solve, GPU vs the CPU twin. */
  newton?: NewtonBenchRow[];
  /** Suite 'generators' (src/bench/generatorsBench.ts, issue 9): generator samples/s vs the flow reaching its S_eps. */
  generators?: GeneratorsBenchRow[];
  generatorsRuntime?: GeneratorsRuntime;
  /** How each suite that ran timed the GPU (see the header); the sinkhorn and pm rows carry theirs too. */
  timing: Partial<Record<Suite, TimingKind>>;
  /** The adapter has 'timestamp-query' (the bench's device requests it where available). */
  timestampQuery: boolean | null;
  errors: string[];
}

class BenchArgError extends Error {}

const STEP_SIZE = 0.01;

function list(raw: string, flag: string): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new BenchArgError(`--${flag} needs a comma-separated list`);
  return items;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const opts: BenchOptions = {
    suites: [...SUITES] as Suite[],
    sizes: [1024, 4096, 16384, 65536],
    sinkhornSizes: [4096, 16384, 65536],
    pmSizes: [4096, 65536, 1048576],
    pmGrids: [64, 128, 256],
    flowSizes: [512, 4096],
    flowTargets: ['8gaussians', 'moons'],
    flowSteps: 20,
    flowTau: 0.5,
    wg: [],
    methods: defaultMethods(),
    backends: ['gpu', 'cpu'],
    target: 'gaussian',
    repeats: 5,
    budgetS: 20,
    out: 'bench-results/bench.json',
    targetMs: 100,
    maxStepsPerRepeat: 1000,
    genModels: undefined,
    modelsDir: 'public/models',
    genSizes: [4096, 65536],
    genEvery: 5,
    genRepeats: 15,
    genMaxSteps: 200,
    genMaxS: 60,
    genM: 4096,
    genCpuMaxN: 4096,
    genTau: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quick') {
      opts.sizes = [1024, 4096];
      opts.sinkhornSizes = [1024, 4096];
      opts.pmSizes = [4096, 65536];
      opts.flowSizes = [512];
      opts.genSizes = [4096];
      opts.genMaxS = 20;
      continue;
    }
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new BenchArgError(`${arg} needs a value`);
      i++;
      return value;
    };
    const positiveInt = (v: string): number => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 1) throw new BenchArgError(`${arg} expects positive integers, got '${v}'`);
      return x;
    };
    switch (arg) {
      case '--sizes':
        opts.sizes = list(need(), 'sizes').map(positiveInt);
        break;
      case '--suites':
        opts.suites = list(need(), 'suites').map((x) => {
          if (![...SUITES, ...OPT_IN_SUITES].some((s) => s === x)) throw new BenchArgError(`--suites: expected ${SUITES.join('|')}, got '${x}' (opt-in: ${OPT_IN_SUITES.join('|')})`);
          return x as Suite;
        });
        break;
      case '--sinkhorn-sizes':
        opts.sinkhornSizes = list(need(), 'sinkhorn-sizes').map(positiveInt);
        break;
      case '--pm-sizes':
        opts.pmSizes = list(need(), 'pm-sizes').map(positiveInt);
        break;
      case '--pm-grids':
        opts.pmGrids = list(need(), 'pm-grids').map((v) => {
          const g = positiveInt(v);
          if ((g & (g - 1)) !== 0 || g < 8) throw new BenchArgError(`--pm-grids expects powers of two >= 8, got '${v}'`);
          return g;
        });
        break;
      case '--methods':
        opts.methods = list(need(), 'methods');
        break;
      case '--flow-sizes':
        opts.flowSizes = list(need(), 'flow-sizes').map(positiveInt);
        break;
      case '--flow-targets':
        opts.flowTargets = list(need(), 'flow-targets');
        break;
      case '--flow-steps':
        opts.flowSteps = positiveInt(need());
        break;
      case '--flow-tau': {
        const v = need();
        opts.flowTau = Number(v);
        if (!Number.isFinite(opts.flowTau) || opts.flowTau <= 0) throw new BenchArgError(`--flow-tau expects a positive number, got '${v}'`);
        break;
      }
      case '--wg':
        opts.wg = list(need(), 'wg').map((v) => {
          const g = positiveInt(v);
          if ((g & (g - 1)) !== 0 || g > 1024) throw new BenchArgError(`--wg expects powers of two <= 1024, got '${v}'`);
          return g;
        });
        break;
      case '--backends':
        opts.backends = list(need(), 'backends').map((b) => {
          if (b !== 'gpu' && b !== 'cpu') throw new BenchArgError(`--backends: expected gpu or cpu, got '${b}'`);
          return b;
        });
        break;
      case '--models':
        opts.genModels = list(need(), 'models');
        break;
      case '--models-dir':
        opts.modelsDir = need();
        break;
      case '--gen-sizes':
        opts.genSizes = list(need(), 'gen-sizes').map(positiveInt);
        break;
      case '--gen-every':
        opts.genEvery = positiveInt(need());
        break;
      case '--gen-repeats':
        opts.genRepeats = positiveInt(need());
        break;
      case '--gen-max-steps':
        opts.genMaxSteps = positiveInt(need());
        break;
      case '--gen-m':
        opts.genM = positiveInt(need());
        break;
      case '--gen-cpu-max-n':
        opts.genCpuMaxN = positiveInt(need());
        break;
      case '--gen-max-s':
      case '--gen-tau': {
        const v = need();
        const x = Number(v);
        if (!Number.isFinite(x) || x <= 0) throw new BenchArgError(`${arg} expects a positive number, got '${v}'`);
        if (arg === '--gen-max-s') opts.genMaxS = x;
        else opts.genTau = x;
        break;
      }
      case '--target':
        opts.target = need();
        break;
      case '--repeats':
        opts.repeats = positiveInt(need());
        break;
      case '--budget-s': {
        const v = need();
        opts.budgetS = Number(v);
        if (!Number.isFinite(opts.budgetS) || opts.budgetS <= 0) throw new BenchArgError(`--budget-s expects a positive number, got '${v}'`);
        break;
      }
      case '--out':
        opts.out = need();
        break;
      default:
        throw new BenchArgError(`unknown option '${arg}'`);
    }
  }
  for (const xs of [opts.sizes, opts.sinkhornSizes, opts.pmSizes, opts.pmGrids, opts.flowSizes, opts.genSizes]) xs.sort((a, b) => a - b);
  return opts;
}

/** The registry's methods the steps suite runs by default: those on the plane not marked `bench: false`. */
export function defaultMethods(): string[] {
  return registryMethods.filter((m) => m.bench !== false && (m.domains ?? ['plane']).includes('plane')).map((m) => m.id);
}


async function timeSteps(sim: Simulation, k: number): Promise<number> {
  const t0 = performance.now();
  sim.step(k);
  await sim.finish();
  return performance.now() - t0;
}

const sig = (v: number): number => Number(v.toPrecision(4));

/** One configuration. `prev` is the previous (smaller) size's result for the same method and backend. */
async function benchOne(backend: Backend, opts: BenchOptions, method: string, n: number, prev: BenchResult | undefined, keep: Simulation[]): Promise<BenchResult> {
  const base: BenchResult = { method, backend: backend.info.kind, n };
  const budgetMs = opts.budgetS * 1000;
  // Warm-up + probe + R repeats of at least one step each.
  const minSteps = opts.repeats + 2;
  if (prev?.msPerStep !== undefined) {
    const predicted = prev.msPerStep * (n / prev.n) ** 2 * minSteps;
    if (predicted > budgetMs) return { ...base, skipped: `estimated ${fmtS(predicted)}` };
  } else if (prev?.skipped !== undefined) {
    return { ...base, skipped: `${prev.skipped} at n=${prev.n}; larger n skipped` };
  }
  const sim = backend.createSimulation({
    method,
    params: {},
    target: { id: opts.target, params: {} },
    n,
    stepSize: STEP_SIZE,
    seed: 1,
    init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  });
  // Kept alive until the backend's run ends: repeated destroy()/GC cycles mid-run have crashed Dawn
  // (shared/ENVIRONMENT.md); the caller destroys them all together.
  keep.push(sim);
  await timeSteps(sim, 1); // warm-up: pipeline compilation, first dispatch
  const probe = await timeSteps(sim, 1);
  const estimate = probe * opts.repeats;
  if (estimate > budgetMs) return { ...base, skipped: `estimated ${fmtS(estimate + probe)}` };
  const k = Math.max(1, Math.min(opts.maxStepsPerRepeat, Math.round(opts.targetMs / Math.max(probe, 1e-3))));
  const samples: number[] = [];
  for (let r = 0; r < opts.repeats; r++) samples.push((await timeSteps(sim, k)) / k);
  return { ...base, msPerStep: sig(median(samples)), repeats: opts.repeats, stepsPerRepeat: k, samplesMsPerStep: samples.map(sig) };
}

/** The sinkhorn and pm suites on one device; rows are appended to the report as they come. */
async function runGpuSuites(device: GPUDevice, report: BenchReport, opts: BenchOptions, io: BenchIo): Promise<void> {
  const adapter = report.adapter ?? undefined;
  const common = { budgetMs: opts.budgetS * 1000, repeats: opts.repeats, ...(adapter ? { adapter } : {}) };
  const show = (r: { ms?: number; skipped?: string }): string => (r.ms !== undefined ? `${sig(r.ms)} ms` : (r.skipped ?? ''));
  if (opts.suites.includes('sinkhorn')) {
    try {
      await sinkhornBench(device, {
        ...common, sizes: opts.sinkhornSizes,
        onRow: (r) => {
          report.sinkhorn.push(r);
          io.err(`bench: sinkhorn ${r.kind} N=M=${r.n}: ${show(r)}\n`);
        },
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      report.errors.push(`sinkhorn: ${error}`);
      io.err(`bench: sinkhorn: error: ${error}\n`);
    }
  }
  if (opts.suites.includes('pm')) {
    try {
      await pmBench(device, {
        ...common, sizes: opts.pmSizes, grids: opts.pmGrids,
        onRow: (r) => {
          report.pm.push(r);
          io.err(`bench: pm ${r.smoothing}${r.grid ? ` G=${r.grid}` : ''} N=${r.n}: ${show(r)}${r.relError !== undefined ? `, rel. error ${sig(r.relError)}` : ''}\n`);
        },
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      report.errors.push(`pm: ${error}`);
      io.err(`bench: pm: error: ${error}\n`);
    }
  }
}

function table(report: BenchReport, opts: BenchOptions): string {
  const cell = (r: BenchResult | undefined): string =>
    r === undefined ? '-' : r.msPerStep !== undefined ? String(r.msPerStep) : r.skipped !== undefined ? 'skipped' : 'error';
  const rows = [['method', 'n', ...opts.backends.map((b) => `${b} ms/step`), 'cpu/gpu']];
  for (const method of opts.methods) {
    for (const n of opts.sizes) {
      const find = (b: BackendKind): BenchResult | undefined => report.results.find((r) => r.method === method && r.n === n && r.backend === b);
      const ratio = report.ratios.find((r) => r.method === method && r.n === n);
      rows.push([method, String(n), ...opts.backends.map((b) => cell(find(b))), ratio ? String(Number(ratio.cpuOverGpu.toPrecision(3))) : '-']);
    }
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return `${rows.map((r) => r.map((s, c) => s.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

/** The sinkhorn and pm rows as text. */
function gpuSuitesTable(report: BenchReport): string {
  const lines: string[] = [];
  const ms = (r: { ms?: number; skipped?: string }): string => (r.ms !== undefined ? `${sig(r.ms)} ms` : `skipped (${r.skipped ?? ''})`);
  for (const r of report.sinkhorn) {
    lines.push(`sinkhorn ${r.kind.padEnd(10)} N=M=${String(r.n).padEnd(8)} ${ms(r)}${r.pairsPerSecond !== undefined ? `  ${(r.pairsPerSecond / 1e9).toPrecision(3)} G pairs/s` : ''}${r.value !== undefined ? `  S_eps ${sig(r.value)}` : ''}`);
  }
  for (const r of report.flow) {
    lines.push(`flow ${r.backend} ${r.target.padEnd(10)} ${r.variant.padEnd(6)} N=M=${String(r.n).padEnd(6)} ${r.msPerStep !== undefined ? `${sig(r.msPerStep)} ms/step` : `skipped (${r.skipped ?? r.error ?? ''})`}  ${r.passesPerStep ?? '?'} passes/step${r.energyDistance !== undefined ? `  ED ${sig(r.energyDistance)} at t=${r.time}` : ''}${r.flowMarginalError !== undefined ? `  plan err ${sig(r.flowMarginalError)}` : ''}`);
  }
  for (const r of report.pm) {
    lines.push(`pm ${`${r.smoothing}${r.grid ? ` G=${r.grid}` : ''}`.padEnd(12)} N=${String(r.n).padEnd(8)} ${ms(r)}${r.relError !== undefined ? `  rel. error ${sig(r.relError)}` : ''}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function fallbackOf(backend: Backend): boolean | null {
  const info = (backend.device as { adapterInfo?: { isFallbackAdapter?: boolean } } | undefined)?.adapterInfo;
  if (typeof info?.isFallbackAdapter === 'boolean') return info.isFallbackAdapter;
  return /software|swiftshader|fallback/i.test(backend.info.description) ? true : null;
}

export async function runBench(opts: BenchOptions, io: BenchIo, env: BenchEnv = {}): Promise<BenchReport> {
  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    adapter: null,
    isFallback: null,
    target: opts.target,
    stepSize: STEP_SIZE,
    budgetS: opts.budgetS,
    results: [],
    ratios: [],
    sinkhorn: [],
    pm: [],
    flow: [],
    timing: {},
    timestampQuery: null,
    errors: [],
  };
  const stepKinds = opts.suites.includes('steps') ? opts.backends : [];
  // The GPU suites run on the gpu backend whatever --backends says (they have no CPU rows).
  const gpuSuites = opts.suites.filter((x) => x === 'sinkhorn' || x === 'pm');
  const kinds: BackendKind[] = gpuSuites.length > 0 && !stepKinds.includes('gpu') ? [...stepKinds, 'gpu'] : stepKinds;
  for (const kind of kinds) {
    let backend: Backend;
    try {
      backend = await createBackend(kind, kind === 'gpu' ? await env.gpu?.() : undefined);
    } catch (e) {
      report.errors.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
      io.err(`bench: ${kind} backend unavailable: ${e instanceof Error ? e.message : String(e)}\n`);
      continue;
    }
    if (kind === 'gpu') {
      report.adapter = backend.info.description;
      report.isFallback = fallbackOf(backend);
      report.timestampQuery = backend.device?.features.has('timestamp-query') ?? null;
      const gpuTiming: TimingKind = report.timestampQuery ? 'timestamp-query' : 'wall-clock';
      for (const suite of gpuSuites) report.timing[suite] = gpuTiming;
    }
    const keep: Simulation[] = [];
    try {
      if (kind === 'gpu' && backend.device) await runGpuSuites(backend.device, report, opts, io);
      if (stepKinds.includes(kind)) {
        report.timing.steps = 'wall-clock';
        // --wg: one pass of the suite per workgroup size, set before the simulations build their kernels
        for (const wg of opts.wg.length > 0 ? opts.wg : [undefined]) {
          if (wg !== undefined) setWorkgroupSizes(Object.fromEntries(Object.keys(DEFAULT_WORKGROUP_SIZES).map((k) => [k, wg])));
          try {
            for (const method of opts.methods) {
              let prev: BenchResult | undefined;
              for (const n of opts.sizes) {
                let result: BenchResult;
                try {
                  result = await guardGpu(backend, () => benchOne(backend, opts, method, n, prev, keep));
                } catch (e) {
                  result = { method, backend: kind, n, error: e instanceof Error ? e.message : String(e) };
                }
                if (wg !== undefined) result.wg = wg;
                report.results.push(result);
                const shown = result.msPerStep !== undefined ? `${result.msPerStep} ms/step` : (result.skipped ?? `error: ${result.error ?? ''}`);
                io.err(`bench: ${kind} ${method} n=${n}${wg !== undefined ? ` wg=${wg}` : ''}: ${shown}\n`);
                prev = result;
              }
            }
          } finally {
            resetWorkgroupSizes();
          }
        }
      }
    } finally {
      for (const sim of keep) sim.destroy();
      backend.destroy();
    }
  }
  if (opts.suites.includes('flow')) {
    report.timing.flow = 'wall-clock';
    try {
      report.flow = await flowBench({
        ...(env.gpu ? { gpu: env.gpu } : {}),
        backends: opts.backends, targets: opts.flowTargets, sizes: opts.flowSizes, steps: opts.flowSteps, tau: opts.flowTau, budgetMs: opts.budgetS * 1000,
        onRow: (r) => io.err(`bench: flow ${r.backend} ${r.target} ${r.variant} N=M=${r.n}: ${r.msPerStep !== undefined ? `${sig(r.msPerStep)} ms/step, ${r.passesPerStep ?? '?'} passes/step, energy distance ${sig(r.energyDistance ?? NaN)}` : (r.skipped ?? `error: ${r.error ?? ''}`)}\n`),
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      report.errors.push(`flow: ${error}`);
      io.err(`bench: flow: error: ${error}\n`);
    }
    for (const r of report.flow) if (r.error !== undefined) report.errors.push(`flow ${r.backend} ${r.target} ${r.variant} N=${r.n}: ${r.error}`);
    // a flow-only run creates its GPU backend in flowBench: take the adapter from its rows
    const gpuRow = report.flow.find((r) => r.adapter !== undefined);
    if (report.adapter === null && gpuRow?.adapter !== undefined) {
      report.adapter = gpuRow.adapter;
      report.isFallback = /software|swiftshader|fallback/i.test(gpuRow.adapter) ? true : null;
    }
  }
  if (opts.suites.includes('newton')) {
    report.timing.newton = 'wall-clock';
    report.newton = await newtonBench({
      ...(env.gpu ? { gpu: env.gpu } : {}), backends: opts.backends, repeats: opts.repeats, budgetMs: opts.budgetS * 1000,
      onRow: (r) => io.err(`bench: newton ${r.backend}${r.software ? ' (software adapter)' : ''} ${r.op}${r.k ? ` k=${r.k}` : ''} N=${r.n}: ${r.ms !== undefined ? `${sig(r.ms)} ms` : (r.skipped ?? `error: ${r.error ?? ''}`)}\n`),
    });
    for (const r of report.newton) if (r.error !== undefined) report.errors.push(`newton ${r.backend} ${r.op} N=${r.n}: ${r.error}`);
  }
  if (opts.suites.includes('generators')) {
    report.timing.generators = 'wall-clock';
    try {
      const g = await generatorsBench({
        ...(env.gpu ? { gpu: env.gpu } : {}),
        models: opts.genModels, modelsDir: opts.modelsDir, sizes: opts.genSizes, backends: opts.backends, repeats: opts.repeats,
        every: opts.genEvery, genRepeats: opts.genRepeats, maxSteps: opts.genMaxSteps, maxMs: opts.genMaxS * 1000, maxM: opts.genM, cpuMaxN: opts.genCpuMaxN, tau: opts.genTau,
        onRow: (r) => io.err(`bench: generators ${r.model} n=${r.n}: ${r.generator.msPerCall !== undefined ? `${r.generator.msPerCall} ms/call (${r.generator.ep})` : (r.generator.unavailable ?? r.generator.error ?? '')}; flow ${r.flow.backend}: ${r.flow.skipped ?? r.flow.error ?? `${r.flow.steps ?? '?'} steps, ${sig(r.flow.ms ?? NaN)} ms, ${r.flow.reached ? 'reached' : 'not reached'} S_eps ${sig(r.flow.sinkhorn ?? NaN)} (generator ${sig(r.generator.sinkhorn ?? NaN)})`}\n`),
      });
      report.generators = g.rows;
      report.generatorsRuntime = g.runtime;
      report.errors.push(...g.errors);
      const gpuRow = g.rows.find((r) => r.flow.adapter !== undefined);
      if (report.adapter === null && gpuRow?.flow.adapter !== undefined) {
        report.adapter = gpuRow.flow.adapter;
        report.isFallback = /software|swiftshader|fallback/i.test(gpuRow.flow.adapter) ? true : null;
      }
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      report.errors.push(`generators: ${error}`);
      io.err(`bench: generators: error: ${error}\n`);
    }
  }
  for (const r of report.results) {
    if (r.backend !== 'cpu' || r.msPerStep === undefined) continue;
    const gpu = report.results.find((g) => g.backend === 'gpu' && g.method === r.method && g.n === r.n && g.wg === r.wg);
    if (gpu?.msPerStep !== undefined && gpu.msPerStep > 0) {
      report.ratios.push({ method: r.method, n: r.n, cpuOverGpu: sig(r.msPerStep / gpu.msPerStep) });
    }
  }
  return report;
}

/** Entry point (bin/run-ts.mjs). Exit code 0; 1 when a backend or a configuration failed; 2 for bad arguments. */
export async function main(argv: string[], io: BenchIo = processIo, env: BenchEnv = {}): Promise<number> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchArgs(argv);
  } catch (e) {
    io.err(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (opts === 'help') {
    io.out(USAGE);
    return 0;
  }
  const report = await runBench(opts, io, env);
  const json = JSON.stringify(report, null, 2);
  io.out(`${json}\n`);
  try {
    await mkdir(dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${json}\n`);
  } catch (e) {
    io.err(`bench: cannot write ${opts.out}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.err(`\n${report.adapter !== null ? `GPU: ${report.adapter}${report.isFallback ? ' (fallback: software timings)' : ''}\n` : ''}`);
  if (opts.suites.includes('steps')) io.err(table(report, opts));
  io.err(gpuSuitesTable(report));
  if (report.generators && report.generators.length > 0) io.err(generatorsTable(report.generators));
  io.err(`wrote ${opts.out}\n`);
  return report.errors.length > 0 || report.results.some((r) => r.error !== undefined) ? 1 : 0;
}

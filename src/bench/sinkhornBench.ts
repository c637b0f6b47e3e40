/**
 * Sinkhorn benchmark rows (GPU), for src/bench/bench.ts: at N = M in `sizes` (default 4096, 16384,
 * 65536; SwiftShader should pass `maxSize`),
 *   'iteration':  one debiased symmetric Sinkhorn iteration (f_ab, g_ab, f_aa, g_bb softmin updates of
 *                 shaders/sinkhornSoftmin.wgsl + the schedule tick): batches of k iterations (k from a
 *                 probe so a batch lasts ~targetMs, at most iterationsPerRepeat) recorded into one
 *                 compute pass, timed by GPU timestamps around the pass where the adapter has
 *                 'timestamp-query', else submit to onSubmittedWorkDone (src/bench/gpuTimer.ts; the
 *                 row's `timing` says which); ms = median over repeats of time / k.
 *   'divergence': one full debiased S_eps (src/ot/sinkhorn.ts sinkhornDivergence, blur 0.05,
 *                 scaling 0.9, tol 0: exactly 100 iterations, annealing included, marginal error read
 *                 back every 50), upload, reductions and read-backs included; median over repeats.
 * Inputs: a = N(0, I), b = N((1, 0), 0.5^2 I), seeded. One untimed iteration per size compiles the pipelines.
 * Through the library only: the Sinkhorn solver's documented exports (src/ot/sinkhorn.ts,
 * src/ot/gpuSinkhorn.ts: "for benchmarks and scripts") and the seeded generator (src/reference/philox.ts).
 */
import { createGpuSinkhorn, type GpuSoftminProblem } from '../ot/gpuSinkhorn';
import { epsilonSchedule, sinkhornDivergence, sinkhornIteration } from '../ot/sinkhorn';
import { Rng } from '../reference/philox';
import { GpuTimer, type TimingKind } from './gpuTimer';
import { fmtS, median } from './util';

export interface SinkhornBenchOptions {
  sizes?: number[];
  /** Skip sizes above this (e.g. 4096 on SwiftShader). */
  maxSize?: number;
  repeats?: number;
  /** Upper bound on iterations per timed batch ('iteration'; default 20). */
  iterationsPerRepeat?: number;
  /** Aim for timed batches of about this long (ms, default 200). */
  targetMs?: number;
  /**
   * Skip what is estimated to take longer than this (ms): a size whose iteration, predicted from the
   * last measured size as N^2, exceeds it; a divergence whose 100 iterations exceed it (one repeat
   * when the repeats would).
   */
  budgetMs?: number;
  /** Adapter description for the rows. */
  adapter?: string;
  /** Called with each row as it is produced (progress). */
  onRow?: (row: SinkhornBenchRow) => void;
}

export interface SinkhornBenchRow {
  bench: 'sinkhorn';
  kind: 'iteration' | 'divergence';
  n: number;
  m: number;
  /** Milliseconds per iteration ('iteration') or per divergence ('divergence'); absent when skipped. */
  ms?: number;
  /** 'iteration': iterations per timed batch; 'divergence': iterations run. */
  iterations?: number;
  /** 'divergence': timed runs (the median is reported). */
  repeats?: number;
  value?: number;
  marginalError?: number;
  /** Pair evaluations per second (4 n m per debiased iteration), 'iteration' only. */
  pairsPerSecond?: number;
  skipped?: string;
  adapter?: string;
  /** How `ms` was measured: GPU timestamps around the pass, or wall clock ('divergence' rows: always wall clock, read-backs included). */
  timing?: TimingKind;
}

function cloud(n: number, seed: number, scale: number, shift: number): Float64Array {
  const rng = new Rng(seed, 11);
  return Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? shift : 0) + scale * rng.normal());
}


async function timeIterations(timer: GpuTimer, problem: GpuSoftminProblem, count: number): Promise<{ ms: number; kind: TimingKind }> {
  const t = await timer.time('sinkhornBench.iterations', (pass) => {
    problem.attach(pass);
    for (let k = 0; k < count; k++) sinkhornIteration(problem, true, 0.5, true);
    problem.detach();
  });
  return { ms: t.ms / count, kind: t.kind };
}


export async function sinkhornBench(device: GPUDevice, options: SinkhornBenchOptions = {}): Promise<SinkhornBenchRow[]> {
  const sizes = options.sizes ?? [4096, 16384, 65536];
  const repeats = options.repeats ?? 3;
  const maxPerRepeat = options.iterationsPerRepeat ?? 20;
  const budgetMs = options.budgetMs ?? Infinity;
  const targetMs = options.targetMs ?? 200;
  const backend = createGpuSinkhorn(device, options.adapter);
  const timer = new GpuTimer(device);
  const extra = options.adapter !== undefined ? { adapter: options.adapter } : {};
  const rows: SinkhornBenchRow[] = [];
  const push = (...rs: SinkhornBenchRow[]): void => {
    for (const r of rs) {
      rows.push(r);
      options.onRow?.(r);
    }
  };
  /** The last measured iteration (ms at n), to predict the next size as n^2. */
  let last: { n: number; ms: number } | undefined;
  const both = (n: number, skipped: string): void => {
    push({ bench: 'sinkhorn', kind: 'iteration', n, m: n, skipped, ...extra }, { bench: 'sinkhorn', kind: 'divergence', n, m: n, skipped, ...extra });
  };
  for (const n of sizes) {
    if (options.maxSize !== undefined && n > options.maxSize) {
      both(n, `N = ${n} above maxSize ${options.maxSize}`);
      continue;
    }
    if (last) {
      const predicted = last.ms * (n / last.n) ** 2;
      if (predicted > budgetMs) {
        both(n, `estimated ${fmtS(predicted)} per iteration (from N = ${last.n}, scaled as N^2)`);
        continue;
      }
    }
    const a = { points: cloud(n, 1, 1, 0) }, b = { points: cloud(n, 2, 0.5, 1) };
    // one iteration: a first (compiling) iteration, a probe, then `repeats` timed batches
    let iterMs: number;
    const problem = backend.problem(a, b);
    try {
      problem.setSchedule(epsilonSchedule(4, 0.05, 0.9), null);
      await timeIterations(timer, problem, 1);
      const probe = (await timeIterations(timer, problem, 1)).ms;
      const perRepeat = Math.max(1, Math.min(maxPerRepeat, Math.round(targetMs / Math.max(probe, 1e-3))));
      const times: number[] = [];
      let timing: TimingKind = timer.kind;
      for (let r = 0; r < repeats; r++) {
        const t = await timeIterations(timer, problem, perRepeat);
        times.push(t.ms);
        if (t.kind === 'wall-clock') timing = 'wall-clock';
      }
      iterMs = median(times);
      push({ bench: 'sinkhorn', kind: 'iteration', n, m: n, ms: iterMs, iterations: perRepeat, pairsPerSecond: (4 * n * n) / (iterMs / 1000), timing, ...extra });
    } finally {
      problem.destroy();
    }
    last = { n, ms: iterMs };
    // one full debiased divergence, 100 iterations
    const divOpts = { blur: 0.05, scaling: 0.9, tol: 0, maxIter: 100, checkEvery: 50 };
    const predicted = 100 * iterMs;
    if (predicted > budgetMs) {
      push({ bench: 'sinkhorn', kind: 'divergence', n, m: n, skipped: `estimated ${fmtS(predicted)} (100 iterations)`, ...extra });
      continue;
    }
    const divRepeats = predicted * repeats > budgetMs ? 1 : repeats;
    const times: number[] = [];
    let result: Awaited<ReturnType<typeof sinkhornDivergence>> | undefined;
    for (let r = 0; r < divRepeats; r++) {
      const t0 = performance.now();
      result = await sinkhornDivergence(backend, a, b, divOpts);
      times.push(performance.now() - t0);
    }
    push({
      bench: 'sinkhorn', kind: 'divergence', n, m: n, ms: median(times), repeats: divRepeats,
      ...(result ? { iterations: result.iterations, value: result.value, marginalError: result.marginalError } : {}), timing: 'wall-clock', ...extra,
    });
  }
  timer.destroy();
  return rows;
}

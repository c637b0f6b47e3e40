/**
 * Sinkhorn benchmark rows (GPU), for src/bench/bench.ts: at N = M in `sizes` (default 4096, 16384,
 * 65536; SwiftShader should pass `maxSize`),
 *   'iteration':  one debiased symmetric Sinkhorn iteration (f_ab, g_ab, f_aa, g_bb softmin updates of
 *                 shaders/sinkhornSoftmin.wgsl + the schedule tick): `iterationsPerRepeat` iterations
 *                 recorded into one command buffer, timed to onSubmittedWorkDone; ms = median / count.
 *   'divergence': one full debiased S_eps (src/ot/sinkhorn.ts sinkhornDivergence, blur 0.05,
 *                 scaling 0.9, tol 0: exactly 100 iterations, annealing included, marginal error read
 *                 back every 50), upload, reductions and read-backs included; median over repeats.
 * Inputs: a = N(0, I), b = N((1, 0), 0.5^2 I), seeded. One untimed iteration per size compiles the pipelines.
 */
import { createGpuSinkhorn, type GpuSoftminProblem } from '../ot/gpuSinkhorn';
import { epsilonSchedule, sinkhornDivergence, sinkhornIteration } from '../ot/sinkhorn';
import { Rng } from '../reference/philox';

export interface SinkhornBenchOptions {
  sizes?: number[];
  /** Skip sizes above this (e.g. 4096 on SwiftShader). */
  maxSize?: number;
  repeats?: number;
  iterationsPerRepeat?: number;
  /** Adapter description for the rows. */
  adapter?: string;
}

export interface SinkhornBenchRow {
  bench: 'sinkhorn';
  kind: 'iteration' | 'divergence';
  n: number;
  m: number;
  /** Milliseconds per iteration ('iteration') or per divergence ('divergence'); absent when skipped. */
  ms?: number;
  iterations?: number;
  value?: number;
  marginalError?: number;
  /** Pair evaluations per second (4 n m per debiased iteration), 'iteration' only. */
  pairsPerSecond?: number;
  skipped?: string;
  adapter?: string;
}

function cloud(n: number, seed: number, scale: number, shift: number): Float64Array {
  const rng = new Rng(seed, 11);
  return Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? shift : 0) + scale * rng.normal());
}

const median = (v: number[]): number => {
  const s = [...v].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function timeIterations(device: GPUDevice, problem: GpuSoftminProblem, count: number): Promise<number> {
  await device.queue.onSubmittedWorkDone();
  const t0 = performance.now();
  for (let k = 0; k < count; k++) sinkhornIteration(problem, true, 0.5, true);
  problem.flush();
  await device.queue.onSubmittedWorkDone();
  return (performance.now() - t0) / count;
}

export async function sinkhornBench(device: GPUDevice, options: SinkhornBenchOptions = {}): Promise<SinkhornBenchRow[]> {
  const sizes = options.sizes ?? [4096, 16384, 65536];
  const repeats = options.repeats ?? 3;
  const perRepeat = options.iterationsPerRepeat ?? 20;
  const backend = createGpuSinkhorn(device, options.adapter);
  const extra = options.adapter !== undefined ? { adapter: options.adapter } : {};
  const rows: SinkhornBenchRow[] = [];
  for (const n of sizes) {
    if (options.maxSize !== undefined && n > options.maxSize) {
      const skipped = `N = ${n} above maxSize ${options.maxSize}`;
      rows.push({ bench: 'sinkhorn', kind: 'iteration', n, m: n, skipped, ...extra }, { bench: 'sinkhorn', kind: 'divergence', n, m: n, skipped, ...extra });
      continue;
    }
    const a = { points: cloud(n, 1, 1, 0) }, b = { points: cloud(n, 2, 0.5, 1) };
    // one iteration
    const problem = backend.problem(a, b);
    try {
      problem.setSchedule(epsilonSchedule(4, 0.05, 0.9), null);
      await timeIterations(device, problem, 1);
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) times.push(await timeIterations(device, problem, perRepeat));
      const ms = median(times);
      rows.push({ bench: 'sinkhorn', kind: 'iteration', n, m: n, ms, pairsPerSecond: (4 * n * n) / (ms / 1000), ...extra });
    } finally {
      problem.destroy();
    }
    // one full debiased divergence, 100 iterations
    const opts = { blur: 0.05, scaling: 0.9, tol: 0, maxIter: 100, checkEvery: 50 };
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof sinkhornDivergence>> | undefined;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      last = await sinkhornDivergence(backend, a, b, opts);
      times.push(performance.now() - t0);
    }
    rows.push({
      bench: 'sinkhorn', kind: 'divergence', n, m: n, ms: median(times),
      ...(last ? { iterations: last.iterations, value: last.value, marginalError: last.marginalError } : {}), ...extra,
    });
  }
  return rows;
}

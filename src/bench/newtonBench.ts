/**
 * The 'newton' suite (issue 10): the second-order flows' two costly pieces on the double well
 * (c = 0.5), at N = 1,024, 16,384, 65,536 (N d up to 131,072), GPU vs the float64 CPU twin:
 *   hvp      one particle Hessian-vector product (H v)_i, O(N^2): shaders/landscapeHvp.wgsl vs
 *            src/reference/landscapeHvp.ts;
 *   lanczos  one Lanczos(k = 20) solve with full CGS2 reorthogonalisation from v: on the GPU
 *            GpuLanczos (20 HVPs + vector kernels in one pass, 2k + 1 floats read back, the k x k
 *            tridiagonal solved on the CPU), on the CPU src/reference/lanczos.ts lanczosApply.
 * Positions: the double well's default init (seed 1); v: the fixed probe vector (Philox, seed 0).
 * Timing: wall clock (GPU: submit to onSubmittedWorkDone, or to the read-back for lanczos), median
 * of `repeats`; GPU hvp batches of k products in one pass (k from a probe so a batch lasts ~targetMs),
 * divided by k. One untimed run compiles the pipelines. A configuration whose estimate (its own probe,
 * or the last smaller N scaled by (N / N_prev)^2) exceeds budgetMs is skipped, with the estimate
 * recorded. Rows on a software adapter (SwiftShader) carry `software: true`: for correctness, not speed.
 * The pieces are the library's: the w-newton method's documented export newtonPieces
 * (src/methods/wNewton.ts), the kernels its GPU stepper records and the twin its CPU stepper calls.
 */
import { createBackend } from '../engine/backend';
import { newtonPieces } from '../methods/wNewton';
import { fmtS, median } from './util';

export type NewtonOp = 'hvp' | 'lanczos';

export interface NewtonBenchRow {
  bench: 'newton';
  op: NewtonOp;
  backend: 'gpu' | 'cpu';
  n: number;
  /** Lanczos steps (lanczos rows). */
  k?: number;
  /** Median wall-clock ms per operation. */
  ms?: number;
  repeats?: number;
  /** GPU hvp: products per timed batch. */
  batch?: number;
  /** lanczos: the smallest Ritz value (a check that the solve ran: ~ -1 near the saddle). */
  minRitz?: number;
  skipped?: string;
  /** The one untimed-then-timed probe run's ms (what a skip's estimate and the next size's come from). */
  probeMs?: number;
  error?: string;
  timing: 'wall-clock';
  adapter?: string;
  /** The adapter is a software one (SwiftShader): the number is not a GPU speed. */
  software?: boolean;
}

export interface NewtonBenchOptions {
  sizes?: number[];
  k?: number;
  repeats?: number;
  targetMs?: number;
  budgetMs?: number;
  backends?: ('gpu' | 'cpu')[];
  gpu?: () => Promise<GPU | undefined>;
  onRow?: (row: NewtonBenchRow) => void;
}

async function time(fn: () => Promise<void> | void): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function newtonBench(o: NewtonBenchOptions = {}): Promise<NewtonBenchRow[]> {
  const sizes = o.sizes ?? [1024, 16384, 65536];
  const k = o.k ?? 20, repeats = o.repeats ?? 5, targetMs = o.targetMs ?? 200, budgetMs = o.budgetMs ?? 20_000;
  const rows: NewtonBenchRow[] = [];
  const push = (r: NewtonBenchRow): void => {
    rows.push(r);
    o.onRow?.(r);
  };
  for (const backend of o.backends ?? ['gpu', 'cpu']) {
    let device: GPUDevice | undefined, adapter: string | undefined, software = false, destroy = (): void => undefined;
    if (backend === 'gpu') {
      try {
        const b = await createBackend('gpu', await o.gpu?.());
        device = b.device;
        adapter = b.info.description;
        software = /software|swiftshader|fallback/i.test(adapter);
        destroy = () => b.destroy();
      } catch (e) {
        for (const op of ['hvp', 'lanczos'] as const) for (const n of sizes) push({ bench: 'newton', op, backend, n, error: e instanceof Error ? e.message : String(e), timing: 'wall-clock' });
        continue;
      }
    }
    try {
      for (const op of ['hvp', 'lanczos'] as const) {
        let prev: { n: number; ms: number } | undefined;
        for (const n of sizes) {
          const base: NewtonBenchRow = { bench: 'newton', op, backend, n, timing: 'wall-clock', ...(op === 'lanczos' ? { k } : {}), ...(adapter ? { adapter } : {}), ...(software ? { software } : {}) };
          const predicted = prev ? prev.ms * (n / prev.n) ** 2 * (repeats + 1) : 0;
          if (predicted > budgetMs) {
            push({ ...base, skipped: `estimated ${fmtS(predicted)}` });
            continue;
          }
          try {
            const r = device ? await gpuRow(device, op, n, k, repeats, targetMs, budgetMs) : cpuRow(op, n, k, repeats, budgetMs);
            const row = { ...base, ...r };
            push(row);
            const ms = row.ms ?? row.probeMs;
            if (ms !== undefined) prev = { n, ms };
          } catch (e) {
            push({ ...base, error: e instanceof Error ? e.message : String(e) });
          }
        }
      }
    } finally {
      destroy();
    }
  }
  return rows;
}

function cpuRow(op: NewtonOp, n: number, k: number, repeats: number, budgetMs: number): Partial<NewtonBenchRow> {
  const pieces = newtonPieces('double-well', n);
  let minRitz: number | undefined;
  const once = (): number => {
    const t0 = performance.now();
    if (op === 'hvp') pieces.hvpCpu();
    else minRitz = pieces.lanczosCpu(k);
    return performance.now() - t0;
  };
  const probe = once();
  if (probe * repeats > budgetMs) return { skipped: `estimated ${fmtS(probe * (repeats + 1))}`, probeMs: Number(probe.toPrecision(4)) };
  const samples = Array.from({ length: repeats }, once);
  return { ms: Number(median(samples).toPrecision(4)), repeats, ...(minRitz !== undefined ? { minRitz } : {}) };
}

async function gpuRow(device: GPUDevice, op: NewtonOp, n: number, k: number, repeats: number, targetMs: number, budgetMs: number): Promise<Partial<NewtonBenchRow>> {
  const pieces = newtonPieces('double-well', n);
  if (op === 'hvp') {
    const hvp = pieces.hvpGpu(device);
    try {
      const batch = async (count: number): Promise<number> =>
        time(async () => {
          const enc = device.createCommandEncoder();
          const pass = enc.beginComputePass();
          for (let j = 0; j < count; j++) hvp.encode(pass);
          pass.end();
          device.queue.submit([enc.finish()]);
          await device.queue.onSubmittedWorkDone();
        });
      await batch(1); // compile
      const probe = await batch(1);
      if (probe * repeats > budgetMs) return { skipped: `estimated ${fmtS(probe * (repeats + 1))}`, probeMs: Number(probe.toPrecision(4)) };
      const count = Math.max(1, Math.min(256, Math.floor(targetMs / Math.max(probe, 1e-3))));
      const samples: number[] = [];
      for (let r = 0; r < repeats; r++) samples.push((await batch(count)) / count);
      return { ms: Number(median(samples).toPrecision(4)), repeats, batch: count };
    } finally {
      hvp.destroy();
    }
  }
  const lz = pieces.lanczosGpu(device, k);
  try {
    let minRitz = NaN;
    const solve = async (): Promise<number> =>
      time(async () => {
        minRitz = await lz.solve();
      });
    await solve(); // compile
    const probe = await solve();
    if (probe * repeats > budgetMs) return { skipped: `estimated ${fmtS(probe * (repeats + 1))}`, probeMs: Number(probe.toPrecision(4)) };
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) samples.push(await solve());
    return { ms: Number(median(samples).toPrecision(4)), repeats, minRitz };
  } finally {
    lz.destroy();
  }
}

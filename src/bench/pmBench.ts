/**
 * Particle-mesh vs direct Riesz-kernel SVGD benchmark rows (GPU), for src/bench/bench.ts.
 * Particles: N exact samples of `torus-mixture` (seeded), scores from the target's score (the float64 twin), uploaded once.
 * For each N in `sizes` (default 4096, 65536, 1048576; caps as options so SwiftShader finishes):
 *   'direct': one step of torusDft + torusSynth (exact truncated Fourier series, O(N K^2));
 *   'pm':     one step of pmDeposit + FFT + pmMultiply + inverse FFT + pmInterp at each G in `grids`.
 * ms: median over `repeats` of k steps recorded into one compute pass, timed by GPU timestamps
 * around the pass where the adapter has 'timestamp-query', else to onSubmittedWorkDone
 * (src/bench/gpuTimer.ts; the row's `timing` says which), divided by k (k from a probe step so a batch lasts ~targetMs, at most
 * stepsPerRepeat); the target's score evaluation is not included.
 * relError: one step with h = 1e-3 from the same positions; the displacements (minimum image) of the
 * first min(N, errorSample) particles, || d_pm - d_direct ||_2 / || d_direct ||_2 (f32 position
 * rounding puts a floor of ~1e-5 under it). Only where the direct step runs (N <= directMaxSize); when timing
 * the direct sum would exceed the budget but one step fits, that one step runs as the reference.
 * One untimed step per configuration compiles the pipelines; budgetMs skips what would run too long.
 * The step is the library's: the svgd method's Riesz step (src/methods/svgd.ts createRieszStep, what
 * its GPU stepper records after the target evaluation) built from the method's own parameters.
 */
import { createRieszStep, type RieszStep, type Smoothing } from '../methods/svgd';
import { Rng } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { GpuTimer, type TimingKind } from './gpuTimer';
import { fmtS, median, minImage } from './util';
import type { Params } from '../core/params';

export interface PmBenchOptions {
  sizes?: number[];
  /** Skip sizes above this (e.g. 16384 on SwiftShader). */
  maxSize?: number;
  /** Skip the direct sum above this N (O(N K^2)); also bounds the error rows. */
  directMaxSize?: number;
  grids?: number[];
  /** K: modes |xi|_inf <= K (default 16). */
  modes?: number;
  s?: number;
  repeats?: number;
  stepsPerRepeat?: number;
  errorSample?: number;
  /** Aim for timed batches of about this long (ms, default 200; at most stepsPerRepeat steps). */
  targetMs?: number;
  /**
   * Skip a configuration estimated to take longer than this (ms): predicted from the same
   * configuration at the last smaller N (linear in N), or from its own probe step.
   */
  budgetMs?: number;
  adapter?: string;
  /** Called with each row as it is produced (progress). */
  onRow?: (row: PmBenchRow) => void;
}

export interface PmBenchRow {
  bench: 'pm';
  smoothing: Smoothing;
  n: number;
  modes: number;
  grid?: number;
  ms?: number;
  /** Steps per timed batch. */
  steps?: number;
  /** direct rows whose timing was skipped: the one reference step's wall time (ms, compilation and read-back included). */
  referenceMs?: number;
  /** Relative L2 error of the PM displacement against the direct one (pm rows). */
  relError?: number;
  skipped?: string;
  adapter?: string;
  /** How `ms` was measured (src/bench/gpuTimer.ts). */
  timing?: TimingKind;
}


export async function pmBench(device: GPUDevice, options: PmBenchOptions = {}): Promise<PmBenchRow[]> {
  const sizes = options.sizes ?? [4096, 65536, 1048576];
  const grids = options.grids ?? [64, 128, 256];
  const modes = options.modes ?? 16;
  const s = options.s ?? 1.5;
  const repeats = options.repeats ?? 5;
  const maxPerRepeat = options.stepsPerRepeat ?? 20;
  const maxSize = options.maxSize ?? Infinity;
  const directMax = options.directMaxSize ?? Infinity;
  const errorSample = options.errorSample ?? 65536;
  const budgetMs = options.budgetMs ?? Infinity;
  const targetMs = options.targetMs ?? 200;
  /** Last measured ms per step of each configuration ('direct', 'pm64', ...) and its N. */
  const lastMs = new Map<string, { n: number; ms: number }>();
  const base = { bench: 'pm' as const, modes, ...(options.adapter ? { adapter: options.adapter } : {}) };
  const target = createTarget('torus-mixture', {});
  const rows: PmBenchRow[] = [];
  const timer = new GpuTimer(device);
  const push = (...rs: PmBenchRow[]): void => {
    for (const r of rs) {
      rows.push(r);
      options.onRow?.(r);
    }
  };
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  /** The svgd method's parameters of one configuration (kernel riesz, k0 = 1). */
  const rieszParams = (smoothing: Smoothing, grid: number): Params => ({ kernel: 'riesz', smoothing, grid, modes, s, k0: 1 });

  for (const n of sizes) {
    const configs: { smoothing: Smoothing; grid: number }[] = [{ smoothing: 'direct', grid: 0 }, ...grids.map((grid) => ({ smoothing: 'pm' as const, grid }))];
    if (n > maxSize) {
      for (const c of configs) push({ ...base, smoothing: c.smoothing, n, ...(c.grid ? { grid: c.grid } : {}), skipped: `N > maxSize ${maxSize}` });
      continue;
    }
    const x = target.sample?.(new Rng(7, 3), n) ?? new Float64Array(2 * n);
    const x32 = Float32Array.from(x);
    const rowsF = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) {
      // the target's score (torus-mixture: the float64 twin of its packed evaluation)
      const [sx, sy] = target.score(x[2 * i] ?? 0, x[2 * i + 1] ?? 0);
      rowsF[4 * i] = sx;
      rowsF[4 * i + 1] = sy;
    }
    const pos: [GPUBuffer, GPUBuffer] = [
      device.createBuffer({ label: 'pmBench.pos0', size: 8 * n, usage }),
      device.createBuffer({ label: 'pmBench.pos1', size: 8 * n, usage }),
    ];
    const scores = device.createBuffer({ label: 'pmBench.scores', size: 16 * n, usage });
    device.queue.writeBuffer(scores, 0, rowsF);
    const m = Math.min(n, errorSample);
    const staging = device.createBuffer({ label: 'pmBench.staging', size: 8 * m, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

    /** One step with h = 1e-3 from x; the displacements of the first m particles. */
    const displacement = async (r: RieszStep): Promise<Float64Array> => {
      device.queue.writeBuffer(pos[0], 0, x32);
      r.setStepSize(1e-3);
      const enc = device.createCommandEncoder({ label: 'pmBench.error' });
      const pass = enc.beginComputePass();
      const out = r.encode(pass, 0);
      pass.end();
      enc.copyBufferToBuffer(pos[out], 0, staging, 0, 8 * m);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const y = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return Float64Array.from({ length: 2 * m }, (_, i) => minImage((y[i] ?? 0) - (x32[i] ?? 0)));
    };

    let reference: Float64Array | undefined;
    for (const c of configs) {
      const label = { ...base, smoothing: c.smoothing, n, ...(c.grid ? { grid: c.grid } : {}) };
      if (c.smoothing === 'direct' && n > directMax) {
        push({ ...label, skipped: `direct sum skipped: N > directMaxSize ${directMax}` });
        continue;
      }
      if (c.smoothing === 'pm' && modes > c.grid / 2 - 1) {
        push({ ...label, skipped: `modes ${modes} > grid/2 - 1` });
        continue;
      }
      const key = `${c.smoothing}${c.grid}`;
      const prev = lastMs.get(key);
      if (prev && prev.ms * (n / prev.n) * (repeats + 2) > budgetMs) {
        const total = `estimated ${fmtS(prev.ms * (n / prev.n) * (repeats + 2))} (from N = ${prev.n}, linear in N)`;
        if (c.smoothing === 'direct' && prev.ms * (n / prev.n) <= budgetMs) {
          // too slow to time, but one step fits the budget: run it once as the particle-mesh rows' reference
          const r = createRieszStep(device, pos, scores, { n, stepSize: 1e-4, params: rieszParams('direct', 64) });
          const t0 = performance.now();
          reference = await displacement(r);
          const referenceMs = performance.now() - t0;
          r.destroy();
          push({ ...label, skipped: `timing ${total}; one step run as the error reference`, referenceMs });
        } else {
          push({ ...label, skipped: total });
        }
        continue;
      }
      const r = createRieszStep(device, pos, scores, { n, stepSize: 1e-4, params: rieszParams(c.smoothing, c.grid || 64) });
      await displacement(r); // compiles the pipelines
      const t0 = performance.now();
      const d = await displacement(r);
      const probe = performance.now() - t0;
      let relError: number | undefined;
      if (c.smoothing === 'direct') reference = d;
      else if (reference) {
        let num = 0, den = 0;
        for (let i = 0; i < d.length; i++) {
          num += ((d[i] ?? 0) - (reference[i] ?? 0)) ** 2;
          den += (reference[i] ?? 0) ** 2;
        }
        relError = Math.sqrt(num / den);
      }
      r.setStepSize(1e-4);
      if (probe * repeats > budgetMs) {
        r.destroy();
        lastMs.set(key, { n, ms: probe });
        push({ ...label, skipped: `estimated ${fmtS(probe * repeats)} (probe step ${fmtS(probe)})`, ...(relError !== undefined ? { relError } : {}) });
        continue;
      }
      const perRepeat = Math.max(1, Math.min(maxPerRepeat, Math.round(targetMs / Math.max(probe, 1e-3))));
      const times: number[] = [];
      let timing: TimingKind = timer.kind;
      for (let rep = 0; rep < repeats; rep++) {
        const t = await timer.time('pmBench.steps', (pass) => {
          let cur: 0 | 1 = 0;
          for (let k = 0; k < perRepeat; k++) cur = r.encode(pass, cur);
        });
        times.push(t.ms / perRepeat);
        if (t.kind === 'wall-clock') timing = 'wall-clock';
      }
      r.destroy();
      const ms = median(times);
      lastMs.set(key, { n, ms });
      push({ ...label, ms, steps: perRepeat, timing, ...(relError !== undefined ? { relError } : {}) });
    }
    pos[0].destroy();
    pos[1].destroy();
    scores.destroy();
    staging.destroy();
  }
  timer.destroy();
  return rows;
}

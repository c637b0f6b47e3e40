/**
 * Milliseconds per step of the d-D kernels (the future `npm run bench -- --suites nd`; issue 19):
 * for each d and N, a ULA step on gaussian-nd (ndScore + langevinNd `ula`) and an SVGD rbf step
 * (ndScore + svgdNd), each checked against its float64 twin once before it is timed (max relative
 * error reported), then timed by wall clock (submit k steps, await onSubmittedWorkDone; median of
 * `reps` repeats / k). Configurations whose estimate (the previous N scaled as N^2 for SVGD) exceeds
 * `budgetMs` are skipped and say so. On SwiftShader these numbers test the paths, not GPU speed.
 *
 *   node bin/run-ts.mjs src/nd/ndBench.ts [--d 2,8,32,128] [--n 1024,8192] [--reps 5] [--budget-ms 20000]
 */
import { Rng } from '../reference/philox';
import { createNdTarget } from './targets';
import { NdScore } from './kernels/ndScore';
import { LangevinNd } from './kernels/langevinNd';
import { SvgdNd } from './kernels/svgdNd';
import { SvgdStep } from '../kernels/svgdStep';
import { ndScore, packNdTarget } from './reference/ndScore';
import { langevinPropose } from './reference/langevinNd';
import { medianBandwidthNd, svgdNd } from './reference/svgdNd';

export interface NdBenchRow {
  /** svgd-rbf-2d: the 2-D kernel of today (src/kernels/svgdStep.ts), the d = 2 baseline. */
  kernel: 'ula' | 'svgd-rbf' | 'svgd-rbf-2d';
  d: number;
  n: number;
  msPerStep?: number;
  maxRelErr?: number;
  skipped?: string;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function maxRelErr(got: Float32Array, want: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  return worst;
}

async function read(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

async function timeSteps(device: GPUDevice, record: (enc: GPUCommandEncoder) => void, reps: number, targetMs = 200): Promise<number> {
  const run = async (k: number): Promise<number> => {
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    for (let s = 0; s < k; s++) record(enc);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await run(1);
  const probe = await run(1);
  const k = Math.max(1, Math.min(100, Math.round(targetMs / Math.max(probe, 0.01))));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) times.push((await run(k)) / k);
  return median(times);
}

export async function ndBench(device: GPUDevice, o: { ds: number[]; ns: number[]; reps: number; budgetMs: number }): Promise<NdBenchRow[]> {
  const rows: NdBenchRow[] = [];
  for (const d of o.ds) {
    const t = createNdTarget('gaussian-nd', { d: String(d), cond: '10' });
    const packed = packNdTarget(t);
    const score = new NdScore(device, packed);
    const lang = new LangevinNd(device);
    const svgd = new SvgdNd(device, d);
    let svgdEstimate = 0;
    for (const n of o.ns) {
      const rng = new Rng(1, 9);
      const x = Float64Array.from(Float32Array.from({ length: n * d }, () => rng.normal()));
      const mk = (bytes: number, data?: Float32Array<ArrayBuffer>): GPUBuffer => {
        const b = device.createBuffer({ size: Math.max(16, bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
        if (data) device.queue.writeBuffer(b, 0, data);
        return b;
      };
      const xb = mk(4 * n * d, Float32Array.from(x)), sb = mk(4 * n * d), lb = mk(8 * n), out = mk(4 * n * d), cnt = mk(8);
      score.configure(n);
      const atX = score.bindIO(xb, sb, lb);
      // ULA: check one step, then time
      lang.configure({ n, d, h: 0.01, seed: 5, step: 0 });
      // x = xb (read), y = out (written): two writable bindings must not alias
      const io = lang.bindIO(xb, out, sb, sb, lb, cnt);
      const ula = (enc: GPUCommandEncoder): void => {
        const pass = enc.beginComputePass();
        score.encode(pass, atX, n);
        lang.encode(pass, io, 'propose', n, d);
        pass.end();
      };
      let enc = device.createCommandEncoder();
      ula(enc);
      device.queue.submit([enc.finish()]);
      const tw = ndScore(packed, x, n);
      const wantUla = langevinPropose(x, tw.scores, { n, d, h: 0.01, seed: 5, step: 0 });
      rows.push({ kernel: 'ula', d, n, maxRelErr: maxRelErr(await read(device, out, 4 * n * d), wantUla), msPerStep: await timeSteps(device, ula, o.reps) });
      // SVGD
      if (svgdEstimate * o.reps > o.budgetMs) {
        rows.push({ kernel: 'svgd-rbf', d, n, skipped: `estimated ${(svgdEstimate / 1000).toFixed(1)} s per step` });
      } else {
        const bandwidth = medianBandwidthNd(x, n, d).bandwidth;
        // h = 1 so the check sees the velocity at full size (x + h phi)
        svgd.configure({ n, h: 1, bandwidth, kernel: 'rbf' });
        const sio = svgd.bindIO(xb, sb, out);
        const step = (e: GPUCommandEncoder): void => {
          const pass = e.beginComputePass();
          score.encode(pass, atX, n);
          svgd.encode(pass, sio, n);
          pass.end();
        };
        enc = device.createCommandEncoder();
        step(enc);
        device.queue.submit([enc.finish()]);
        const want = svgdNd(x, tw.scores, { n, d, h: 1, bandwidth, kernel: 'rbf' });
        const err = maxRelErr(await read(device, out, 4 * n * d), want);
        const ms = await timeSteps(device, step, o.reps);
        rows.push({ kernel: 'svgd-rbf', d, n, maxRelErr: err, msPerStep: ms });
        svgdEstimate = ms * ((o.ns[o.ns.indexOf(n) + 1] ?? n) / n) ** 2;
      }
      if (d === 2 && svgdEstimate * o.reps <= o.budgetMs * 4) {
        // the 2-D kernel of today on the same particles and scores (vec4 rows: sx, sy, logp, 0)
        const k2 = new SvgdStep(device);
        const bandwidth = medianBandwidthNd(x, n, d).bandwidth;
        k2.configure({ n, h: 1, sigma2: bandwidth, kernel: 'rbf' });
        const s4 = new Float32Array(4 * n);
        for (let i = 0; i < n; i++) {
          s4[4 * i] = tw.scores[2 * i] ?? 0;
          s4[4 * i + 1] = tw.scores[2 * i + 1] ?? 0;
        }
        const sb4 = mk(16 * n, s4), bw = mk(16), out2 = mk(8 * n);
        const io2 = k2.bindIO(xb, sb4, bw, out2);
        const step2 = (e: GPUCommandEncoder): void => {
          const pass = e.beginComputePass();
          score.encode(pass, atX, n);
          k2.encode(pass, io2, n);
          pass.end();
        };
        enc = device.createCommandEncoder();
        step2(enc);
        device.queue.submit([enc.finish()]);
        const want = svgdNd(x, tw.scores, { n, d, h: 1, bandwidth, kernel: 'rbf' });
        const err = maxRelErr(await read(device, out2, 8 * n), want);
        rows.push({ kernel: 'svgd-rbf-2d', d, n, maxRelErr: err, msPerStep: await timeSteps(device, step2, o.reps) });
        for (const b of [sb4, bw, out2]) b.destroy();
        k2.destroy();
      }
      for (const b of [xb, sb, lb, out, cnt]) b.destroy();
    }
    score.destroy();
    lang.destroy();
    svgd.destroy();
  }
  return rows;
}

function list(argv: string[], flag: string, dflt: number[]): number[] {
  const i = argv.indexOf(flag);
  if (i < 0) return dflt;
  const v = (argv[i + 1] ?? '').split(',').map(Number);
  if (v.length === 0 || v.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`${flag}: expected comma-separated positive integers, got '${argv[i + 1] ?? ''}'`);
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const { nodeGpu } = await import('../gpu/node');
  const { acquireDevice } = await import('../gpu/device');
  const handle = await acquireDevice(await nodeGpu(), 'ndBench');
  const info = (handle.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const rows = await ndBench(handle.device, { ds: list(argv, '--d', [2, 8, 32, 128]), ns: list(argv, '--n', [1024, 8192]), reps: list(argv, '--reps', [5])[0] ?? 5, budgetMs: list(argv, '--budget-ms', [20000])[0] ?? 20000 });
  process.stdout.write(`${JSON.stringify({ adapter: info ? `${info.vendor} ${info.architecture} ${info.description}` : 'unknown', timing: 'wall-clock', rows }, null, 1)}\n`);
  return 0;
}

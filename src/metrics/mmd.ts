/**
 * The MMD^2 metric (Gaussian kernel, bandwidth MMD_BANDWIDTH) to the target samples, and what it
 * shares with the energy distance (src/metrics/energy.ts): MMD^2(x, y) on the GPU from three mmdRows
 * dispatches (shaders/mmdRows.wgsl, twin src/reference/mmdRows.ts): the xx, yy and xy kernel row
 * sums, finished in float64 by `mmdFromRows`. With the energy kernel k = -|x - y| the same sum is the
 * energy distance ED = 2 E|X-Y| - E|X-X'| - E|Y-Y'|, so one class gives both live metrics
 * (`mmdLikeGpu`, `mmdLikeCpu`: the yy rows once per sample set).
 */
import { MmdRows } from '../kernels/mmdRows';
import { createBuffer } from '../gpu/buffers';
import type { MmdKernel } from '../reference/mmdFlowStep';
import { mmdFromRows, mmdRows } from '../reference/mmdRows';
import { MMD_BANDWIDTH, METRIC_SUBSAMPLE, TARGET_SAMPLES } from './settings';
import type { CpuMetric, GpuMetric, GpuMetricHost, MetricDef } from './types';

/**
 * MMD^2 between the first n points of `x` and the first m of `y` (both array<vec2f>), n and m at most
 * the capacities given at construction (`setSizes` changes them). Three MmdRows kernels (one uniform
 * each: xx, yy, xy), built once; `encode` records them in one pass. `rows` holds the three f32 row
 * arrays at `offsets` (bytes, aligned to minStorageBufferOffsetAlignment); copy `rowsBytes` out and
 * pass them to `fromRows`. The yy rows only change with y: `encode(pass, false)` keeps the old ones.
 */
export class MmdMetric {
  private readonly xx: MmdRows;
  private readonly yy: MmdRows;
  private readonly xy: MmdRows;
  readonly rows: GPUBuffer;
  readonly rowsBytes: number;
  /** Byte offsets of the xx, yy and xy rows in `rows`. */
  readonly offsets: readonly [number, number, number];
  private readonly io: readonly [GPUBindGroup, GPUBindGroup, GPUBindGroup];
  private n: number;
  private m: number;
  private readonly kernel: MmdKernel;
  private readonly bw2: number;

  constructor(
    device: GPUDevice,
    x: GPUBuffer,
    private readonly nCap: number,
    y: GPUBuffer,
    private readonly mCap: number,
    opts: { kernel?: MmdKernel; bw2?: number; label?: string } = {},
  ) {
    this.kernel = opts.kernel ?? 'gaussian';
    this.bw2 = opts.bw2 ?? 1;
    const label = opts.label ?? 'MmdMetric';
    this.xx = new MmdRows(device);
    this.yy = new MmdRows(device);
    this.xy = new MmdRows(device);
    this.n = nCap;
    this.m = mCap;
    this.configure();
    const alignment = device.limits.minStorageBufferOffsetAlignment;
    const align = (b: number): number => Math.ceil(b / alignment) * alignment;
    const oyy = align(4 * nCap);
    const oxy = align(oyy + 4 * mCap);
    this.offsets = [0, oyy, oxy];
    this.rowsBytes = oxy + 4 * nCap;
    this.rows = createBuffer(device, `${label}.rows`, this.rowsBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const bindRows = (name: string, k: MmdRows, a: GPUBuffer, b: GPUBuffer, offset: number, count: number): GPUBindGroup => {
      if (!k.uniform) throw new Error('MmdRows: no params uniform');
      return device.createBindGroup({
        label: `${label}.${name}.bindGroup`,
        layout: k.layout,
        entries: [
          { binding: 0, resource: { buffer: k.uniform } },
          { binding: 1, resource: { buffer: a } },
          { binding: 2, resource: { buffer: b } },
          { binding: 3, resource: { buffer: this.rows, offset, size: 4 * count } },
        ],
      });
    };
    this.io = [bindRows('xx', this.xx, x, x, 0, nCap), bindRows('yy', this.yy, y, y, oyy, mCap), bindRows('xy', this.xy, x, y, oxy, nCap)];
  }

  private configure(): void {
    const { n, m, kernel, bw2 } = this;
    this.xx.configure({ na: n, nb: n, kernel, bw2 });
    this.yy.configure({ na: m, nb: m, kernel, bw2 });
    this.xy.configure({ na: n, nb: m, kernel, bw2 });
  }

  /** Measure the first n points of x against the first m of y from now on (queue writes only). */
  setSizes(n: number, m: number): void {
    if (n > this.nCap || m > this.mCap || n < 1 || m < 1) throw new Error(`MmdMetric: sizes ${n}, ${m} outside 1..${this.nCap}, 1..${this.mCap}`);
    if (n === this.n && m === this.m) return;
    this.n = n;
    this.m = m;
    this.configure();
  }

  encode(pass: GPUComputePassEncoder, withTarget = true): void {
    this.xx.encode(pass, this.io[0], this.n);
    if (withTarget) this.yy.encode(pass, this.io[1], this.m);
    this.xy.encode(pass, this.io[2], this.n);
  }

  /** MMD^2 from the first `rowsBytes` of `rows` read back (from byte `offset` of `bytes`); sums in float64. */
  fromRows(bytes: ArrayBuffer, offset = 0): number {
    const { n, m, offsets } = this;
    const xx = new Float32Array(bytes, offset + offsets[0], n);
    const yy = new Float32Array(bytes, offset + offsets[1], m);
    const xy = new Float32Array(bytes, offset + offsets[2], n);
    return mmdFromRows(xx, yy, xy, n, m);
  }

  destroy(): void {
    this.xx.destroy();
    this.yy.destroy();
    this.xy.destroy();
    this.rows.destroy();
  }
}

/** A metric's GPU side: MMD^2 with this kernel between host.x and host.samples (yy rows recomputed when the samples change). */
export function mmdLikeGpu(kernel: MmdKernel, bw2: number, label: string): (host: GpuMetricHost) => GpuMetric {
  return (host) => {
    const k = host.res.track(new MmdMetric(host.device, host.x, METRIC_SUBSAMPLE, host.samples, TARGET_SAMPLES, { kernel, bw2, label }));
    let yyStale = true;
    return {
      samplesChanged: () => {
        yyStale = true;
      },
      measure: (b) => {
        k.setSizes(b.m, b.M);
        k.encode(b.pass, yyStale);
        yyStale = false;
        return b.readBack(k.rows, k.rowsBytes, (bytes, off) => ({ value: k.fromRows(bytes, off) }));
      },
    };
  };
}

/** The same with the float64 twin (src/reference/mmdRows.ts). */
export function mmdLikeCpu(kernel: MmdKernel, bw2: number): () => CpuMetric {
  return () => {
    let yy: Float64Array | undefined;
    return {
      samplesChanged: () => {
        yy = undefined;
      },
      measure: (b) =>
        Promise.resolve().then(() => {
          const y = b.samples;
          if (!y) throw new Error(`MMD metric (${kernel} kernel): no target samples`);
          const M = y.length / 2, { sub, m } = b;
          yy ??= mmdRows(y, M, y, M, kernel, bw2);
          return { value: mmdFromRows(mmdRows(sub, m, sub, m, kernel, bw2), yy, mmdRows(sub, m, y, M, kernel, bw2), m, M) };
        }),
    };
  };
}

export const mmdMetric = {
  id: 'mmd',
  label: 'MMD²',
  plot: {
    title: 'MMD² to the target cloud',
    yTitle: 'MMD² (Gauss.)',
    what: 'Squared maximum mean discrepancy (Gaussian kernel) to the target cloud',
    yScale: 'log',
  },
  appliesTo: (f) => !f.landscape && f.hasSamples,
  needsSamples: true,
  gpu: mmdLikeGpu('gaussian', MMD_BANDWIDTH ** 2, 'GpuMetrics.mmd'),
  cpu: mmdLikeCpu('gaussian', MMD_BANDWIDTH ** 2),
} as const satisfies MetricDef;

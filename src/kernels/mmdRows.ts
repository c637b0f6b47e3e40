/**
 * GPU kernel: kernel row sums rows[i] = sum_j k(a_i, b_j) for the squared MMD (shaders/mmdRows.wgsl).
 * Twin: src/reference/mmdRows.ts; MMD^2 from three row arrays with `mmdFromRows` there.
 *
 * `MmdMetric` is the helper a simulation uses for the live plot: it owns the three row buffers and
 * bind groups for MMD^2(particles, target cloud) with the Gaussian kernel (or imq / energy) and
 * records the three dispatches; the caller reads the rows back and calls `mmdFromRows`.
 */
import { MMD_KERNEL_CODE, type MmdKernel } from '../reference/mmdFlowStep';
import { mmdFromRows } from '../reference/mmdRows';
import { Kernel, groups } from './kernel';

export class MmdRows extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'mmdRows', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(p: { na: number; nb: number; kernel: MmdKernel; bw2: number }): void {
    this.setParams({ na: p.na, nb: p.nb, kernel: MMD_KERNEL_CODE[p.kernel], bw2: p.bw2 });
  }
  bindIO(a: GPUBuffer, b: GPUBuffer, rows: GPUBuffer): GPUBindGroup {
    return this.bind([a, b, rows]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, na: number): void {
    this.dispatch(pass, io, groups(na));
  }
}

/**
 * MMD^2(x, y) between the first n particles of `x` and the m points of `y` (both array<vec2f>).
 * Three MmdRows kernels (one uniform each: xx, yy, xy), built once; `encode` records them in one
 * pass. `rows` holds the three f32 row arrays at `offsets` (bytes, aligned to the device's
 * minStorageBufferOffsetAlignment); copy `rowsBytes` out and pass them to `fromRows`.
 * The yy rows only change with the cloud: `encode(pass, false)` skips them (then keep the old ones).
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

  constructor(
    device: GPUDevice,
    x: GPUBuffer,
    private readonly n: number,
    y: GPUBuffer,
    private readonly m: number,
    opts: { kernel?: MmdKernel; bw2?: number } = {},
  ) {
    const kernel = opts.kernel ?? 'gaussian';
    const bw2 = opts.bw2 ?? 1;
    this.xx = new MmdRows(device);
    this.yy = new MmdRows(device);
    this.xy = new MmdRows(device);
    this.xx.configure({ na: n, nb: n, kernel, bw2 });
    this.yy.configure({ na: m, nb: m, kernel, bw2 });
    this.xy.configure({ na: n, nb: m, kernel, bw2 });
    const align = (b: number): number => Math.ceil(b / device.limits.minStorageBufferOffsetAlignment) * device.limits.minStorageBufferOffsetAlignment;
    const oyy = align(4 * n);
    const oxy = align(oyy + 4 * m);
    this.offsets = [0, oyy, oxy];
    this.rowsBytes = oxy + 4 * n;
    this.rows = device.createBuffer({
      label: 'MmdMetric.rows',
      size: Math.ceil(this.rowsBytes / 16) * 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    this.io = [
      this.bindRows(device, 'xx', this.xx, x, x, 0, n),
      this.bindRows(device, 'yy', this.yy, y, y, oyy, m),
      this.bindRows(device, 'xy', this.xy, x, y, oxy, n),
    ];
  }

  private bindRows(device: GPUDevice, name: string, k: MmdRows, a: GPUBuffer, b: GPUBuffer, offset: number, count: number): GPUBindGroup {
    if (!k.uniform) throw new Error('MmdRows: no params uniform');
    return device.createBindGroup({
      label: `MmdMetric.${name}.bindGroup`,
      layout: k.layout,
      entries: [
        { binding: 0, resource: { buffer: k.uniform } },
        { binding: 1, resource: { buffer: a } },
        { binding: 2, resource: { buffer: b } },
        { binding: 3, resource: { buffer: this.rows, offset, size: 4 * count } },
      ],
    });
  }

  encode(pass: GPUComputePassEncoder, withTarget = true): void {
    this.xx.encode(pass, this.io[0], this.n);
    if (withTarget) this.yy.encode(pass, this.io[1], this.m);
    this.xy.encode(pass, this.io[2], this.n);
  }

  /** MMD^2 from the first `rowsBytes` of `rows`, read back; sums accumulated in float64. */
  fromRows(bytes: ArrayBuffer): number {
    const { n, m, offsets } = this;
    const xx = new Float32Array(bytes, offsets[0], n);
    const yy = new Float32Array(bytes, offsets[1], m);
    const xy = new Float32Array(bytes, offsets[2], n);
    return mmdFromRows(xx, yy, xy, n, m);
  }

  destroy(): void {
    this.xx.destroy();
    this.yy.destroy();
    this.xy.destroy();
    this.rows.destroy();
  }
}

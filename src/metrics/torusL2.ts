/**
 * The torus L2 metric (`l2Metric`: || g_sigma * (rho_N - pi) ||_2 over all n points, torus runs; its
 * pane has log-log axes). GPU backend of the torus L2 metric (src/reference/torusL2.ts): torusDft computes the points' modes
 * rhohat_N(xi), |xi|_inf <= K, on the GPU (O(N K^2)); the (2K+1)^2 modes (32 bytes each) are read
 * back and `fromModes` finishes D against the target's pihat on the CPU.
 * Usage: encode(pass, buffer, n) inside a frame, copy `coef` (coefBytes) out, fromModes(bytes, target);
 * or `measure(target)` which submits and reads back itself (tests, benches).
 */
import { createBuffer, Readback } from '../gpu/buffers';
import { TorusDft } from '../kernels/torusDft';
import { l2FromModes, targetModes, torusL2, TORUS_L2_DEFAULTS, type TorusL2Options } from '../reference/torusL2';
import type { MetricDef } from './types';

export class TorusL2Metric {
  readonly coef: GPUBuffer;
  readonly coefBytes: number;
  private readonly dft: TorusDft;
  /** One bind group per measured buffer (e.g. a simulation's ping-pong pair), made on first use. */
  private readonly io = new Map<GPUBuffer, GPUBindGroup>();
  private readonly dummyScores: GPUBuffer;
  private readonly first: GPUBuffer | undefined;
  private n: number;
  readonly modes: number;
  readonly sigma: number;
  private readonly quadrature: number;

  /** x: the default buffer (array<vec2f>) whose first n points are measured; encode() may name another. */
  constructor(private readonly device: GPUDevice, x: GPUBuffer | undefined, n: number, opts: TorusL2Options = {}) {
    this.modes = opts.modes ?? TORUS_L2_DEFAULTS.modes;
    this.sigma = opts.sigma ?? TORUS_L2_DEFAULTS.sigma;
    this.quadrature = opts.quadrature ?? TORUS_L2_DEFAULTS.quadrature;
    this.dft = new TorusDft(device);
    this.n = n;
    this.dft.configure({ n, modes: this.modes, withScores: false });
    this.coefBytes = TorusDft.coefBytes(this.modes);
    this.coef = createBuffer(device, 'TorusL2Metric.coef', this.coefBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.dummyScores = createBuffer(device, 'TorusL2Metric.noScores', 16, GPUBufferUsage.STORAGE);
    this.first = x;
  }

  /** Record the DFT of the first n points of `x` (default: the constructor's buffer and n). */
  encode(pass: GPUComputePassEncoder, x: GPUBuffer | undefined = this.first, n = this.n): void {
    if (!x) throw new Error('TorusL2Metric: no points buffer');
    if (n !== this.n) {
      this.n = n;
      this.dft.configure({ n, modes: this.modes, withScores: false });
    }
    let io = this.io.get(x);
    if (!io) this.io.set(x, (io = this.dft.bindIO(x, this.dummyScores, this.coef)));
    this.dft.encode(pass, io);
  }

  /** D from the read-back coef bytes (f32, torusDft layout), starting at byte `offset`. */
  fromModes(bytes: ArrayBuffer, target: { logDensity(x: number, y: number): number }, offset = 0): number {
    return l2FromModes(new Float32Array(bytes, offset, this.coefBytes / 4), targetModes(target, this.modes, this.quadrature), this.modes, this.sigma);
  }

  /** Encode, submit, read back, finish (own staging buffer; for tests, benches, CLI). NaN if the read was abandoned. */
  async measure(target: { logDensity(x: number, y: number): number }): Promise<number> {
    const staging = new Readback(this.device, 'TorusL2Metric.staging', this.coefBytes);
    try {
      const enc = this.device.createCommandEncoder({ label: 'TorusL2Metric.measure' });
      const pass = enc.beginComputePass();
      this.encode(pass);
      pass.end();
      enc.copyBufferToBuffer(this.coef, 0, staging.buffer, 0, this.coefBytes);
      this.device.queue.submit([enc.finish()]);
      const bytes = await staging.read();
      return bytes ? this.fromModes(bytes, target) : NaN;
    } finally {
      staging.destroy();
    }
  }

  destroy(): void {
    this.dft.destroy();
    this.coef.destroy();
    this.dummyScores.destroy();
  }
}

export const l2Metric = {
  id: 'l2',
  label: 'L2',
  plot: {
    title: 'L2 distance to the target density (log-log)',
    yTitle: 'L2 distance',
    what: 'L2 distance between the heat-smoothed particle density and the target density on the torus',
    yScale: 'log',
    logX: true,
  },
  appliesTo: (f) => !f.landscape && f.domain === 'torus',
  needsSamples: false,
  // over all n points (not the subsample): the DFT of the measured buffer itself, made at the first n
  gpu: (host) => {
    let metric: TorusL2Metric | undefined;
    return {
      measure: (b) => {
        const l2 = (metric ??= host.res.track(new TorusL2Metric(host.device, undefined, b.n)));
        l2.encode(b.pass, b.points, b.n);
        return b.readBack(l2.coef, l2.coefBytes, (bytes, off) => ({ value: l2.fromModes(bytes, b.target, off) }));
      },
    };
  },
  cpu: () => ({ measure: (b) => Promise.resolve().then(() => ({ value: torusL2(b.points, b.n, b.target) })) }),
  status: (read, fmt) => {
    const v = read('l2');
    return v === undefined ? undefined : { text: `L2 ${fmt(v)}` };
  },
} as const satisfies MetricDef;

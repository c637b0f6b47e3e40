/**
 * The WebGPU softmin backend of the one Sinkhorn loop (src/ot/sinkhorn.ts; GeomLoss sinkhorn_loop,
 * Feydy et al. 2019):
 *   next[p] = blend cur[p] + (1 - blend) lambda_k softmin_{eps_k}(C, log w + cur[q] / eps_k)
 * recorded with shaders/sinkhornSoftmin.wgsl (tiled online log-sum-exp). The four potentials live in
 * GPU buffers (two per potential, ping-pong; the parity is tracked on the host while recording), eps_k
 * and lambda_k in a schedule buffer whose index clockTick advances on the GPU, so any number of
 * iterations is recorded into one command buffer; only marginalError() / value() end the recording
 * and read back 8 bytes (shaders/sinkhornReduce.wgsl). Potentials persist between loops (warm starts).
 * For benchmarks and scripts (src/bench/sinkhornBench.ts): createGpuSinkhorn, the backend whose
 * problem(a, b) records iterations (src/ot/sinkhorn.ts sinkhornIteration) between attach and detach.
 */
import { ClockTick } from '../kernels/clockTick';
import { SINKHORN_SCHEDULE_HEADER_BYTES, SINKHORN_SCHEDULE_STEP_BYTES, SinkhornSoftmin } from '../kernels/sinkhornSoftmin';
import { SinkhornReduce } from '../kernels/sinkhornReduce';
import {
  logWeights, MAX_SCHEDULE, SinkhornMetric,
  type Measure, type Potential, type Potentials, type SinkhornOptions, type SinkhornResult, type SoftminBackend, type SoftminProblem,
} from './sinkhorn';

const POTENTIALS: readonly Potential[] = ['fab', 'gab', 'faa', 'gbb'];

/** Buffers a GPU problem reads: points as array<vec2f>, log weights as array<f32>. */
export interface GpuProblemInputs {
  n: number;
  m: number;
  /** a's points; two buffers for ping-pong particle storage (select with `xIndex`). */
  xs: readonly GPUBuffer[];
  y: GPUBuffer;
  loga: GPUBuffer;
  logb: GPUBuffer;
}

export class GpuSoftminProblem implements SoftminProblem {
  readonly n: number;
  readonly m: number;
  readonly xs: readonly GPUBuffer[];
  readonly y: GPUBuffer;
  readonly loga: GPUBuffer;
  readonly logb: GPUBuffer;
  /** Schedule buffer: (iter, last, period, offset) u32 then (eps, lambda, 1/eps, 0) per step. */
  readonly sched: GPUBuffer;
  /** Which of `xs` holds a's points for the next recorded updates. */
  xIndex = 0;
  private readonly owned: GPUBuffer[] = [];
  private readonly pot: Record<Potential, [GPUBuffer, GPUBuffer]>;
  private readonly parity: Record<Potential, 0 | 1> = { fab: 0, gab: 0, faa: 0, gbb: 0 };
  private readonly written = new Set<Potential>();
  private readonly rawA: GPUBuffer;
  private readonly rawB: GPUBuffer;
  private readonly zeros: GPUBuffer;
  private readonly result: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly softminK: SinkhornSoftmin;
  private readonly reduceK: SinkhornReduce;
  private readonly tickK: ClockTick;
  private readonly tickBG: GPUBindGroup;
  private readonly blocks = new Map<string, GPUBuffer>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly reduceBlocks: { errA: GPUBuffer; errB: GPUBuffer; valA: GPUBuffer; valB: GPUBuffer };
  private rho: number | null = null;
  private external: GPUComputePassEncoder | undefined;
  private own: { encoder: GPUCommandEncoder; pass: GPUComputePassEncoder } | undefined;
  private destroyed = false;
  /** Softmin passes recorded (updates and the undamped ones of encodeMarginalError). */
  passes = 0;

  constructor(readonly device: GPUDevice, inputs: GpuProblemInputs, extraOwned: GPUBuffer[] = []) {
    const { n, m } = inputs;
    if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(m) && m >= 1)) throw new Error(`GpuSoftminProblem: bad sizes n=${n}, m=${m}`);
    if (inputs.xs.length === 0) throw new Error('GpuSoftminProblem: no x buffer');
    this.n = n;
    this.m = m;
    this.xs = inputs.xs;
    this.y = inputs.y;
    this.loga = inputs.loga;
    this.logb = inputs.logb;
    this.owned.push(...extraOwned);
    const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
    const buf = (label: string, bytes: number, usage = S | CS | CD): GPUBuffer => {
      const b = device.createBuffer({ label: `GpuSoftminProblem.${label}`, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
      this.owned.push(b);
      return b;
    };
    const size = (p: Potential): number => 4 * (p === 'fab' || p === 'faa' ? n : m);
    this.pot = {
      fab: [buf('fab0', size('fab')), buf('fab1', size('fab'))],
      gab: [buf('gab0', size('gab')), buf('gab1', size('gab'))],
      faa: [buf('faa0', size('faa')), buf('faa1', size('faa'))],
      gbb: [buf('gbb0', size('gbb')), buf('gbb1', size('gbb'))],
    };
    this.rawA = buf('rawA', 4 * n);
    this.rawB = buf('rawB', 4 * m);
    this.zeros = buf('zeros', 4 * Math.max(n, m));
    this.sched = buf('schedule', SINKHORN_SCHEDULE_HEADER_BYTES + SINKHORN_SCHEDULE_STEP_BYTES * MAX_SCHEDULE);
    this.result = buf('result', 16);
    this.staging = buf('staging', 16, GPUBufferUsage.MAP_READ | CD);
    this.softminK = new SinkhornSoftmin(device);
    this.reduceK = new SinkhornReduce(device);
    this.tickK = new ClockTick(device);
    this.tickBG = this.tickK.bind([this.sched]);
    this.reduceBlocks = {
      errA: this.reduceK.block({ n, mode: 'error', slot: 0, rho: null }, 'errA'),
      errB: this.reduceK.block({ n: m, mode: 'error', slot: 1, rho: null }, 'errB'),
      valA: this.reduceK.block({ n, mode: 'value', slot: 2, rho: null }, 'valA'),
      valB: this.reduceK.block({ n: m, mode: 'value', slot: 3, rho: null }, 'valB'),
    };
    this.setSchedule([1], null);
  }

  /** The buffer holding potential p now (e.g. for the flow's barycentric projections). */
  buffer(p: Potential): GPUBuffer {
    return this.pot[p][this.parity[p]];
  }

  /** Record into `pass` (owned by the caller) until detach(): the flow steppers' mode. */
  attach(pass: GPUComputePassEncoder): void {
    this.flush();
    this.external = pass;
  }

  detach(): void {
    this.external = undefined;
  }

  private pass(): GPUComputePassEncoder {
    if (this.destroyed) throw new Error('GpuSoftminProblem: destroyed');
    if (this.external) return this.external;
    if (!this.own) {
      const encoder = this.device.createCommandEncoder({ label: 'GpuSoftminProblem.iterations' });
      this.own = { encoder, pass: encoder.beginComputePass({ label: 'GpuSoftminProblem.iterations' }) };
    }
    return this.own.pass;
  }

  /** Submit what was recorded into the problem's own command buffer (no-op when attached). */
  flush(): void {
    if (!this.own) return;
    this.own.pass.end();
    this.device.queue.submit([this.own.encoder.finish()]);
    this.own = undefined;
  }

  /**
   * period > 0: the index wraps back to `offset` every `period` ticks (sinkhorn-flow re-anneals each
   * step inside one pass; shaders/common/schedule.wgsl).
   */
  setSchedule(eps: readonly number[], rho: number | null, period = 0, offset = 0): void {
    if (eps.length === 0 || eps.length > MAX_SCHEDULE) throw new Error(`schedule length ${eps.length} not in [1, ${MAX_SCHEDULE}]`);
    this.flush();
    const data = new ArrayBuffer(SINKHORN_SCHEDULE_HEADER_BYTES + SINKHORN_SCHEDULE_STEP_BYTES * eps.length);
    new Uint32Array(data, 0, 4).set([0, eps.length - 1, period, offset]);
    const steps = new Float32Array(data, SINKHORN_SCHEDULE_HEADER_BYTES);
    eps.forEach((e, k) => steps.set([e, rho === null ? 1 : 1 / (1 + e / rho), 1 / e, 0], 4 * k));
    this.device.queue.writeBuffer(this.sched, 0, data);
    if (rho !== this.rho) {
      this.rho = rho;
      this.reduceK.writeBlock(this.reduceBlocks.errA, { n: this.n, mode: 1, slot: 0, invRho: rho === null ? 0 : 1 / rho, rho: rho ?? 0 });
      this.reduceK.writeBlock(this.reduceBlocks.errB, { n: this.m, mode: 1, slot: 1, invRho: rho === null ? 0 : 1 / rho, rho: rho ?? 0 });
      this.reduceK.writeBlock(this.reduceBlocks.valA, { n: this.n, mode: 0, slot: 2, invRho: rho === null ? 0 : 1 / rho, rho: rho ?? 0 });
      this.reduceK.writeBlock(this.reduceBlocks.valB, { n: this.m, mode: 0, slot: 3, invRho: rho === null ? 0 : 1 / rho, rho: rho ?? 0 });
    }
  }

  private side(p: Potential): { nz: number; nw: number; z: GPUBuffer; w: GPUBuffer; logw: GPUBuffer; q: Potential } {
    const x = this.xs[this.xIndex] ?? this.xs[0];
    if (!x) throw new Error('GpuSoftminProblem: no x buffer');
    switch (p) {
      case 'fab': return { nz: this.n, nw: this.m, z: x, w: this.y, logw: this.logb, q: 'gab' };
      case 'gab': return { nz: this.m, nw: this.n, z: this.y, w: x, logw: this.loga, q: 'fab' };
      case 'faa': return { nz: this.n, nw: this.n, z: x, w: x, logw: this.loga, q: 'faa' };
      case 'gbb': return { nz: this.m, nw: this.m, z: this.y, w: this.y, logw: this.logb, q: 'gbb' };
    }
  }

  private block(p: Potential, blend: number, raw: boolean): GPUBuffer {
    const key = `${p}|${blend}|${raw}`;
    let b = this.blocks.get(key);
    if (!b) {
      const s = this.side(p);
      b = this.softminK.block({ n: s.nz, m: s.nw, blend, raw }, key);
      this.blocks.set(key, b);
    }
    return b;
  }

  private softminBindGroup(p: Potential, blend: number, out: GPUBuffer | undefined): GPUBindGroup {
    const s = this.side(p);
    const pq = this.parity[s.q], pp = this.parity[p];
    const raw = out !== undefined;
    const key = `softmin|${p}|${blend}|${raw}|${pq}|${pp}|${this.xIndex}`;
    let bg = this.bindGroups.get(key);
    if (!bg) {
      bg = this.softminK.bindIO(this.block(p, blend, raw), {
        sched: this.sched, x: s.z, y: s.w, logw: s.logw, pot: this.pot[s.q][pq], old: this.pot[p][pp],
        out: out ?? this.pot[p][pp === 0 ? 1 : 0],
      }, key);
      this.bindGroups.set(key, bg);
    }
    return bg;
  }

  softmin(p: Potential, blend: number): void {
    if (this.written.has(p)) throw new Error(`softmin: ${p} updated twice before commit`);
    this.softminK.encode(this.pass(), this.softminBindGroup(p, blend, undefined), this.side(p).nz);
    this.passes++;
    this.written.add(p);
  }

  commit(tick: boolean): void {
    for (const p of this.written) this.parity[p] = this.parity[p] === 0 ? 1 : 0;
    this.written.clear();
    if (tick) this.tickK.encode(this.pass(), this.tickBG);
  }

  reset(): void {
    this.flush();
    const enc = this.device.createCommandEncoder({ label: 'GpuSoftminProblem.reset' });
    for (const p of POTENTIALS) for (const b of this.pot[p]) enc.clearBuffer(b);
    this.device.queue.submit([enc.finish()]);
    this.written.clear();
  }

  private reduceBindGroup(which: 'errA' | 'errB' | 'valA' | 'valB', logw: GPUBuffer, u: Potential, v: Potential | 'rawA' | 'rawB' | 'zeros'): GPUBindGroup {
    const vb = v === 'rawA' ? this.rawA : v === 'rawB' ? this.rawB : v === 'zeros' ? this.zeros : this.buffer(v);
    const key = `reduce|${which}|${this.parity[u]}|${v}|${v === 'rawA' || v === 'rawB' || v === 'zeros' ? '' : this.parity[v]}`;
    let bg = this.bindGroups.get(key);
    if (!bg) {
      bg = this.reduceK.bindIO(this.reduceBlocks[which], { sched: this.sched, logw, u: this.buffer(u), v: vb, result: this.result }, key);
      this.bindGroups.set(key, bg);
    }
    return bg;
  }

  /** End the recording, copy result[slot0..slot0+1] and read them back (8 bytes). */
  private async readPair(slot0: number): Promise<[number, number]> {
    if (this.external) throw new Error('GpuSoftminProblem: cannot read back while attached to a caller-owned pass');
    const own = this.own;
    const encoder = own?.encoder ?? this.device.createCommandEncoder({ label: 'GpuSoftminProblem.read' });
    if (own) own.pass.end();
    this.own = undefined;
    encoder.copyBufferToBuffer(this.result, 4 * slot0, this.staging, 0, 8);
    this.device.queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ, 0, 8);
    const r = new Float32Array(this.staging.getMappedRange(0, 8).slice(0));
    this.staging.unmap();
    return [r[0] ?? NaN, r[1] ?? NaN];
  }

  /**
   * Record the (a, b) marginal errors at the current potentials and eps into `resultBuffer` slots 0
   * and 1 (f32), without reading back (a flow records it in its step; metrics read it later).
   */
  encodeMarginalError(): void {
    const pass = this.pass();
    this.softminK.encode(pass, this.softminBindGroup('fab', 0, this.rawA), this.n);
    this.softminK.encode(pass, this.softminBindGroup('gab', 0, this.rawB), this.m);
    this.passes += 2;
    this.reduceK.encode(pass, this.reduceBindGroup('errA', this.loga, 'fab', 'rawA'));
    this.reduceK.encode(pass, this.reduceBindGroup('errB', this.logb, 'gab', 'rawB'));
  }

  /** The reduction results: f32 [errA, errB, valA, valB]. */
  get resultBuffer(): GPUBuffer {
    return this.result;
  }

  async marginalError(): Promise<number> {
    this.encodeMarginalError();
    const [ea, eb] = await this.readPair(0);
    return Math.max(ea, eb);
  }

  async value(debias: boolean): Promise<number> {
    const pass = this.pass();
    this.reduceK.encode(pass, this.reduceBindGroup('valA', this.loga, 'fab', debias ? 'faa' : 'zeros'));
    this.reduceK.encode(pass, this.reduceBindGroup('valB', this.logb, 'gab', debias ? 'gbb' : 'zeros'));
    const [va, vb] = await this.readPair(2);
    return va + vb;
  }

  async potentials(): Promise<Potentials> {
    this.flush();
    const sizes = POTENTIALS.map((p) => (p === 'fab' || p === 'faa' ? this.n : this.m));
    const total = sizes.reduce((s, k) => s + k, 0);
    const staging = this.device.createBuffer({ label: 'GpuSoftminProblem.potentialsStaging', size: Math.ceil((4 * total) / 16) * 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder({ label: 'GpuSoftminProblem.readPotentials' });
      let off = 0;
      POTENTIALS.forEach((p, k) => {
        const bytes = 4 * (sizes[k] ?? 0);
        enc.copyBufferToBuffer(this.buffer(p), 0, staging, off, bytes);
        off += bytes;
      });
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const out: Partial<Potentials> = {};
      off = 0;
      POTENTIALS.forEach((p, k) => {
        const len = sizes[k] ?? 0;
        out[p] = Float64Array.from(all.subarray(off, off + len));
        off += len;
      });
      return { fab: out.fab ?? new Float64Array(0), gab: out.gab ?? new Float64Array(0), faa: out.faa ?? new Float64Array(0), gbb: out.gbb ?? new Float64Array(0) };
    } finally {
      staging.destroy();
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.own?.pass.end();
    this.own = undefined;
    this.destroyed = true;
    this.softminK.destroy();
    this.reduceK.destroy();
    this.tickK.destroy();
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}

/** Upload interleaved points as array<vec2f> (f32). */
function pointsBuffer(device: GPUDevice, label: string, points: ArrayLike<number>, capacity = points.length / 2): GPUBuffer {
  const b = device.createBuffer({
    label, size: Math.max(16, Math.ceil((8 * capacity) / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
  if (points.length > 0) device.queue.writeBuffer(b, 0, Float32Array.from(points));
  return b;
}

function f32Buffer(device: GPUDevice, label: string, data: ArrayLike<number>): GPUBuffer {
  const b = device.createBuffer({ label, size: Math.max(16, Math.ceil((4 * data.length) / 16) * 16), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(b, 0, Float32Array.from(data));
  return b;
}

/**
 * A GPU problem over buffers the caller already has (particles, target cloud), with uniform or given
 * log weights uploaded here. The caller keeps ownership of xs and y.
 */
export function gpuProblemOnBuffers(device: GPUDevice, p: { n: number; m: number; xs: readonly GPUBuffer[]; y: GPUBuffer; loga?: ArrayLike<number>; logb?: ArrayLike<number> }): GpuSoftminProblem {
  const loga = f32Buffer(device, 'GpuSoftminProblem.loga', p.loga ?? new Float64Array(p.n).fill(-Math.log(p.n)));
  const logb = f32Buffer(device, 'GpuSoftminProblem.logb', p.logb ?? new Float64Array(p.m).fill(-Math.log(p.m)));
  return new GpuSoftminProblem(device, { n: p.n, m: p.m, xs: p.xs, y: p.y, loga, logb }, [loga, logb]);
}

export class GpuSinkhorn implements SoftminBackend {
  readonly kind = 'gpu' as const;
  constructor(readonly device: GPUDevice, readonly description = 'WebGPU') {}
  problem(a: Measure, b: Measure): GpuSoftminProblem {
    const la = logWeights(a, 'a'), lb = logWeights(b, 'b');
    const x = pointsBuffer(this.device, 'GpuSoftminProblem.x', a.points);
    const y = pointsBuffer(this.device, 'GpuSoftminProblem.y', b.points);
    const loga = f32Buffer(this.device, 'GpuSoftminProblem.loga', la);
    const logb = f32Buffer(this.device, 'GpuSoftminProblem.logb', lb);
    return new GpuSoftminProblem(this.device, { n: la.length, m: lb.length, xs: [x], y, loga, logb }, [x, y, loga, logb]);
  }
  destroy(): void {
    // the device belongs to the caller
  }
}

export function createGpuSinkhorn(device: GPUDevice, description?: string): GpuSinkhorn {
  return new GpuSinkhorn(device, description);
}

export interface GpuSinkhornMetric {
  /**
   * S_eps (or OT_eps) between the first n points of `particles` and the first m of `cloud`
   * (array<vec2f> buffers, copied on the GPU, never read back); warm-started after the first call.
   */
  measure(particles: GPUBuffer, cloud: GPUBuffer): Promise<SinkhornResult>;
  /** Forget the potentials (the next measure anneals from diameter^2 again). */
  restart(): void;
  destroy(): void;
}

/**
 * The live-plot metric on the GPU. `diameter` (start of the annealing: eps_0 = diameter^2) should
 * cover both clouds, e.g. the target view's diagonal; the particles are not read back to find it.
 */
export function createGpuSinkhornMetric(device: GPUDevice, p: SinkhornOptions & { n: number; m: number; diameter: number }): GpuSinkhornMetric {
  const x = pointsBuffer(device, 'SinkhornMetric.x', [], p.n);
  const y = pointsBuffer(device, 'SinkhornMetric.y', [], p.m);
  const problem = gpuProblemOnBuffers(device, { n: p.n, m: p.m, xs: [x], y });
  const metric = new SinkhornMetric(problem, p, p.diameter);
  return {
    measure(particles, cloud) {
      problem.flush();
      const enc = device.createCommandEncoder({ label: 'SinkhornMetric.copyIn' });
      enc.copyBufferToBuffer(particles, 0, x, 0, 8 * p.n);
      enc.copyBufferToBuffer(cloud, 0, y, 0, 8 * p.m);
      device.queue.submit([enc.finish()]);
      return metric.measure();
    },
    restart: () => metric.restart(),
    destroy() {
      metric.destroy();
      x.destroy();
      y.destroy();
    },
  };
}



/**
 * The landscape descent stepper on the GPU (wgd, w-newton, wsfn): the same step as
 * src/landscapes/stepper.ts createDescentCpu, with the O(N^2) work in WGSL:
 *   landscapeGrad (g, F) -> [GpuLanczos from g: k steps, read back alpha, beta, |b|] -> CPU: Ritz
 *   pairs, y = |g| S f(Theta) S^T e_1, trust scaling (|Q y| = |y|: Q is orthonormal, so the RMS
 *   move is h |y| / sqrt(N) without a GPU pass) and the predicted change (g . s)/N = -h |g| y_0 / N
 *   -> combine s = -h Q y -> trials x + t s (lanczosVec axpy, landscapeGrad), F read back, halving.
 * It is async: every step reads back 2k + 1 floats and one energy per trial, so it does not fit
 * GpuStepper.encode (record-only); see the report of issue 10 for the integration shape.
 * The accepted trial's gradient is kept for the next step (no recomputation).
 */
import { GpuResources, type Readback } from '../gpu/buffers';
import { GpuLanczos } from '../kernels/lanczos';
import { LandscapeGrad } from '../kernels/landscapeGrad';
import { lanczosCoefficients, ritz } from '../reference/lanczos';
import type { PackedLandscape } from '../reference/landscapes';
import { acceptBound, probeVector, type LandscapeReadouts } from './stepper';
import { LANDSCAPE_UNIFORM_BYTES, landscapeUniform } from './presets';

export interface LandscapeGpuOptions {
  n: number;
  h: number;
  /** Matrix function of H applied to g (w-newton 1/theta, wsfn 1/sqrt(theta^2 + lambda)); absent: d = g (wgd). */
  f?: (theta: number) => number;
  /** Lanczos steps (with f). */
  k?: number;
  lineSearch: boolean;
  trust: number;
  /** The simulation's ping-pong position buffers (array<vec2f>, STORAGE | COPY_SRC | COPY_DST); absent: the stepper makes its own. */
  pos?: [GPUBuffer, GPUBuffer];
  /**
   * wgd-perturbed: asked after the gradient is known, with |g|_mu and the step; returns the perturbed
   * positions (interleaved) or null. The positions are read back for it and written after (rare:
   * only when |g| is small, at most once per `every` steps).
   */
  perturb?: { wants(step: number, gradNorm: number): boolean; apply(x: Float64Array, step: number): Float64Array };
}

export class LandscapeGpuStepper {
  private readonly res: GpuResources;
  private readonly land: GPUBuffer;
  private readonly pos: [GPUBuffer, GPUBuffer];
  private readonly grad: [GPUBuffer, GPUBuffer];
  private readonly energy: [GPUBuffer, GPUBuffer];
  private readonly sums: [GPUBuffer, GPUBuffer];
  private readonly s: GPUBuffer;
  private readonly gk: LandscapeGrad;
  private readonly lz: GpuLanczos | undefined;
  private readonly sumsRead: Readback;
  private readonly posRead: Readback;
  private readonly gradIO: GPUBindGroup[];
  private readonly lzIO: { hvp: GPUBindGroup; vec: GPUBindGroup }[] = [];
  /** Lanczos from the fixed probe vector (the twin's probeVector): the smallest Ritz value when g = 0. */
  private readonly probeIO: { hvp: GPUBindGroup; vec: GPUBindGroup }[] = [];
  private readonly axpyIO: GPUBindGroup[];
  private cur: 0 | 1 = 0;
  private gradFresh = false;
  private h: number;
  private last: LandscapeReadouts = { energy: NaN, gradNorm: NaN, stepScale: 0, backtracks: 0 };

  constructor(readonly device: GPUDevice, L: PackedLandscape, readonly opts: LandscapeGpuOptions) {
    const { n } = opts;
    this.h = opts.h;
    const st = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    this.res = new GpuResources(device, 'LandscapeGpuStepper');
    this.land = this.res.buffer('landscape', LANDSCAPE_UNIFORM_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(this.land, 0, landscapeUniform(L));
    const two = (label: string, bytes: number): [GPUBuffer, GPUBuffer] => [this.res.buffer(`${label}0`, bytes, st), this.res.buffer(`${label}1`, bytes, st)];
    this.pos = opts.pos ?? two('pos', 8 * n);
    this.grad = two('grad', 8 * n);
    this.energy = two('energy', 4 * n);
    this.sums = two('sums', 16);
    this.s = this.res.buffer('s', 8 * n, st);
    // a formula landscape's WGSL (L.shader) is built into its kernels; setLandscape keeps the key (GpuSimulation checks)
    this.gk = this.res.track(new LandscapeGrad(device, L.shader));
    this.gk.configure(n);
    this.sumsRead = this.res.readback('sums.readback', 16);
    this.posRead = this.res.readback('pos.readback', 8 * n);
    this.gradIO = [0, 1].map((p) => this.gk.bindIO(this.land, this.pos[p] as GPUBuffer, this.grad[p] as GPUBuffer, this.energy[p] as GPUBuffer, this.sums[p] as GPUBuffer));
    if (opts.f) {
      const k = Math.min(opts.k ?? 20, 2 * n);
      this.lz = this.res.track(new GpuLanczos(device, n, k, L.shader));
      for (const p of [0, 1]) this.lzIO.push(this.lz.bindIO(this.land, this.pos[p] as GPUBuffer, this.grad[p] as GPUBuffer, this.s));
      const probe = this.res.buffer('probe', 8 * n, st);
      device.queue.writeBuffer(probe, 0, Float32Array.from(probeVector(2 * n)));
      for (const p of [0, 1]) this.probeIO.push(this.lz.bindIO(this.land, this.pos[p] as GPUBuffer, probe, this.s));
    } else {
      this.lz = undefined;
    }
    // axpy: pos[1-p] = pos[p] + t dir, dir = s (Lanczos) or grad[p] (wgd)
    const lzv = this.lz?.vec ?? this.res.track(new GpuLanczos(device, n, 1)).vec;
    const state = this.lz?.state ?? this.res.buffer('state.unused', 4096, st);
    const q = this.lz?.q ?? this.res.buffer('q.unused', 16, st);
    const w = this.lz?.w ?? this.res.buffer('w.unused', 16, st);
    this.axpyVec = lzv;
    this.axpyIO = [0, 1].map((p) => lzv.bindIO(state, q, w, this.pos[p] as GPUBuffer, opts.f ? this.s : (this.grad[p] as GPUBuffer), this.pos[1 - p] as GPUBuffer));
  }
  private readonly axpyVec;

  setStepSize(h: number): void {
    this.h = h;
  }
  /** The index of the buffer holding the current positions. */
  get current(): 0 | 1 {
    return this.cur;
  }
  /** Continue from pos[c] (the simulation's buffers); the cached gradient is dropped when c moved. */
  setCurrent(c: 0 | 1): void {
    if (c !== this.cur) this.gradFresh = false;
    this.cur = c;
  }
  /** The positions changed outside the stepper. */
  invalidate(): void {
    this.gradFresh = false;
  }
  /** New landscape parameters (particles kept). */
  setLandscape(L: PackedLandscape): void {
    this.device.queue.writeBuffer(this.land, 0, landscapeUniform(L));
    this.gradFresh = false;
  }
  readouts(): LandscapeReadouts {
    return this.last;
  }
  setPositions(x: Float64Array): void {
    this.device.queue.writeBuffer(this.pos[this.cur], 0, Float32Array.from(x));
    this.gradFresh = false;
  }
  async positions(): Promise<Float32Array | undefined> {
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.pos[this.cur], 0, this.posRead.buffer, 0, 8 * this.opts.n);
    this.device.queue.submit([enc.finish()]);
    const b = await this.posRead.read();
    return b ? new Float32Array(b) : undefined;
  }
  private async readSums(enc: GPUCommandEncoder, p: 0 | 1): Promise<[number, number]> {
    enc.copyBufferToBuffer(this.sums[p], 0, this.sumsRead.buffer, 0, 16);
    this.device.queue.submit([enc.finish()]);
    const b = await this.sumsRead.read();
    if (!b) throw new Error('LandscapeGpuStepper destroyed');
    const f = new Float32Array(b);
    return [f[0] ?? NaN, f[1] ?? NaN];
  }

  /** One step; resolves with the readouts (energy at the new positions). `step`: the clock (wgd-perturbed's noise counter). */
  async step(step = 0): Promise<LandscapeReadouts> {
    const { n, trust } = this.opts;
    const c = this.cur;
    if (this.opts.perturb) await this.maybePerturb(step);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    if (!this.gradFresh) this.gk.encode(pass, this.gradIO[c] as GPUBindGroup, n);
    let minEig: number | undefined, residual: number | undefined;
    let coef: number, gs: number;
    if (this.lz) {
      const io = this.lzIO[c];
      if (!io) throw new Error('no Lanczos bind group');
      this.lz.configure();
      this.lz.encode(pass, io, this.lz.kmax);
      pass.end();
      this.lz.copyState(enc);
      const [F0, g2] = await this.readSums(enc, c);
      const ab = await this.lz.readAlphaBeta(this.lz.kmax);
      if (!ab || !this.opts.f) throw new Error('LandscapeGpuStepper destroyed');
      const r = ritz(ab.alpha, ab.beta);
      const sol = lanczosCoefficients(r, ab.norm, this.opts.f);
      minEig = ab.norm > 0 ? r.values[0] : await this.probeMinEig(c);
      residual = sol.residual;
      let y2 = 0;
      for (const v of sol.y) y2 += v * v;
      const rms = this.h * Math.sqrt(y2 / n);
      const scale = rms > trust ? trust / rms : 1;
      this.lz.setCoefficients(Array.from(sol.y, (v) => -this.h * scale * v));
      gs = (-this.h * scale * ab.norm * (sol.y[0] ?? 0)) / n;
      const e2 = this.device.createCommandEncoder();
      const p2 = e2.beginComputePass();
      this.lz.encodeCombine(p2, io);
      p2.end();
      this.device.queue.submit([e2.finish()]);
      coef = 1;
      return this.finishStep(F0, Math.sqrt(g2), gs, coef, minEig, residual);
    }
    pass.end();
    const [F0, g2] = await this.readSums(enc, c);
    const rms = this.h * Math.sqrt(g2);
    const scale = rms > trust ? trust / rms : 1;
    coef = -this.h * scale;
    gs = coef * g2;
    return this.finishStep(F0, Math.sqrt(g2), gs, coef, minEig, residual);
  }

  /**
   * g = 0 (an exact critical point, e.g. Newton on the saddle): g's Krylov space is empty, so the
   * smallest Ritz value comes from a Lanczos run on the fixed probe vector, as in the twin. It
   * overwrites the basis; the direction is 0 here (y = |g| ... = 0), so combine still gives s = 0.
   */
  private async probeMinEig(c: 0 | 1): Promise<number> {
    const lz = this.lz;
    const io = this.probeIO[c];
    if (!lz || !io) return NaN;
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    lz.configure();
    lz.encode(pass, io, lz.kmax);
    pass.end();
    lz.copyState(enc);
    this.device.queue.submit([enc.finish()]);
    const ab = await lz.readAlphaBeta(lz.kmax);
    if (!ab) throw new Error('LandscapeGpuStepper destroyed');
    return ab.norm > 0 ? (ritz(ab.alpha, ab.beta).values[0] ?? NaN) : NaN;
  }

  /** wgd-perturbed: the gradient norm from the GPU; when the hook perturbs, the new positions are written back. */
  private async maybePerturb(step: number): Promise<void> {
    const { n } = this.opts;
    const c = this.cur;
    const enc = this.device.createCommandEncoder();
    if (!this.gradFresh) {
      const pass = enc.beginComputePass();
      this.gk.encode(pass, this.gradIO[c] as GPUBindGroup, n);
      pass.end();
    }
    const [, g2] = await this.readSums(enc, c);
    this.gradFresh = true;
    const p = this.opts.perturb;
    if (!p?.wants(step, Math.sqrt(g2))) return;
    const x = await this.positions();
    if (!x) throw new Error('LandscapeGpuStepper destroyed');
    this.device.queue.writeBuffer(this.pos[c], 0, Float32Array.from(p.apply(Float64Array.from(x), step)));
    this.gradFresh = false;
  }

  private async finishStep(F0: number, gradNorm: number, gs: number, coef: number, minEig: number | undefined, residual: number | undefined): Promise<LandscapeReadouts> {
    const { n } = this.opts;
    const c = this.cur, o = (1 - c) as 0 | 1;
    // Trials t = 1, 1/2, ... are sequential: each needs its energy read back.
    const trial = async (t: number): Promise<number> => {
      this.axpyVec.configure({ n, t: t * coef });
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      this.axpyVec.run(pass, this.axpyIO[c] as GPUBindGroup, 'axpy', this.axpyVec.groups(n));
      this.gk.encode(pass, this.gradIO[o] as GPUBindGroup, n);
      pass.end();
      const [F] = await this.readSums(enc, o);
      return F;
    };
    // f32 energies: allow 4e-7 |F| of rounding on top of the CPU's bound.
    const slack = 4e-7 * Math.abs(F0);
    let t = 1, backtracks = 0, F = F0, accepted = false;
    for (; backtracks <= 30; backtracks++) {
      F = await trial(t);
      if (!this.opts.lineSearch || F <= acceptBound(F0 + slack, gs, t)) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (accepted) {
      this.cur = o;
      this.gradFresh = true;
    } else {
      t = 0;
      F = F0;
      this.gradFresh = false;
    }
    this.last = { energy: F, gradNorm, stepScale: t, backtracks, ...(minEig !== undefined ? { minEig } : {}), ...(residual !== undefined ? { innerResidual: residual } : {}) };
    return this.last;
  }

  destroy(): void {
    this.res.destroy();
  }
}

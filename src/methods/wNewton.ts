/**
 * w-newton: Wasserstein Newton on a landscape (issue 10, METHODS.md section 6):
 *   x <- x - h H^-1 g
 * with H the particle Wasserstein Hessian (shaders/landscapeHvp.wgsl), H^-1 g by k Lanczos steps
 * (f(theta) = 1/theta on the Ritz values) or densely. Attracted to saddles: H^-1 g points to the
 * nearest critical point whatever its index. Trust radius and line search: src/landscapes/stepper.ts.
 *
 * For benchmarks and scripts: newtonPieces (below) gives the method's two costly pieces (one
 * Hessian-vector product, one Lanczos solve) on a landscape preset, on the GPU and the float64 twin,
 * so that src/bench/newtonBench.ts times them through this module rather than the kernels.
 */
import { GpuResources } from '../gpu/buffers';
import { GpuLanczos } from '../kernels/lanczos';
import { LandscapeHvp } from '../kernels/landscapeHvp';
import { LANDSCAPE_UNIFORM_BYTES, createLandscape, landscapeUniform, landscapes, type LandscapeId } from '../landscapes/presets';
import { bool, createDescentCpu, hessianFunction, num, paramDefaults, probeVector, safeguardParams, solverParams } from '../landscapes/stepper';
import { lanczosApply, ritz } from '../reference/lanczos';
import { landscapeHvp } from '../reference/landscapeHvp';
import { denseSolverHostNote, type LandscapeMethodSpec } from './landscapeMethod';

export const wNewton: LandscapeMethodSpec = {
  id: 'w-newton',
  label: 'Wasserstein Newton',
  description: 'x <- x - h H^-1 g (Lanczos on Hessian-vector products): fast near minimisers, attracted to saddles.',
  params: [...solverParams, ...safeguardParams(true, 1)],
  about: {
    tex: String.raw`x \leftarrow x - h\,H^{-1} g, \qquad (H u)_i = \nabla^2 V(x_i) u_i + \frac1N \sum_j \big[\nabla^2_{11} W(x_i, x_j)\, u_i + \nabla^2_{12} W(x_i, x_j)\, u_j\big]`,
    text: 'Newton’s method with the particle Wasserstein Hessian H: fast near a minimiser, but H⁻¹g points to the nearest critical point whatever its kind, so from a saddle it stays on the saddle (F = 1/4 on the double well, smallest eigenvalue −1).',
    params: {
      solver: "lanczos: k Lanczos steps on Hessian-vector products (the GPU path); dense: the full 2N × 2N eigendecomposition on the CPU (the exact reference, N ≤ 128).",
      k: 'Lanczos steps per solve (full reorthogonalisation); the smallest Ritz value is the min-eig readout.',
      trust: 'Trust radius: the step is scaled so that the RMS particle move sqrt((1/N) Σ|s_i|²) is at most this.',
      lineSearch: 'Backtracking: halve the step until F falls (Armijo) or, on a non-descent direction, rises by at most its first-order prediction.',
    },
    papers: [
      { authors: 'Y. Wang, W. Li', title: "Information Newton's flow: second-order optimization method in probability space", year: 2020, venue: 'arXiv preprint' },
      { authors: 'Y. N. Dauphin, R. Pascanu, C. Gulcehre, K. Cho, S. Ganguli, Y. Bengio', title: 'Identifying and attacking the saddle point problem in high-dimensional non-convex optimization', year: 2014, venue: 'NeurIPS 2014' },
    ],
  },
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual', 'stepScale'],
  // h = 1 is the exact Newton step; 0.5 keeps wgd stable when the Saddle escape preset runs all three at w-newton's step (h L = 1.25 at the wells)
  defaultStep: { fixed: 0.5 },
  // solver 'dense' is the CPU reference (a 2N x 2N eigendecomposition): the twin runs on the host
  hostNote: denseSolverHostNote,
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    return { f: (t) => 1 / t, k: Math.round(num(p, 'k', 20)), lineSearch: bool(p, 'lineSearch', true), trust: num(p, 'trust', 1) };
  },
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    return createDescentCpu(run, (x, g) => hessianFunction(run.landscape, x, run.n, g, (t) => 1 / t, p), {
      lineSearch: bool(p, 'lineSearch', true),
      trust: num(p, 'trust', 1),
    });
  },
};

/** w-newton's Hessian-vector product on the GPU, on the inputs newtonPieces was given: one product per encode. */
export interface NewtonHvpGpu {
  /** Record one product (H v)_i for all particles into the pass. */
  encode(pass: GPUComputePassEncoder): void;
  destroy(): void;
}

/** w-newton's Lanczos solve on the GPU (k steps, full reorthogonalisation, from v). */
export interface NewtonLanczosGpu {
  /** Record, submit and read back one solve; the smallest Ritz value. */
  solve(): Promise<number>;
  destroy(): void;
}

/** The two costly pieces of w-newton at N particles on a landscape preset, positions and start vector fixed. */
export interface NewtonPieces {
  readonly n: number;
  /** Positions: the preset's default init (seed 1), interleaved. */
  readonly x: Float64Array;
  /** The start vector: the fixed probe vector (Philox stream 8, seed 0), length 2N. */
  readonly v: Float64Array;
  /** float64 twin of one product H v. */
  hvpCpu(): Float64Array;
  /** float64 twin of one Lanczos(k) solve from v with f(t) = 1/t; the smallest Ritz value. */
  lanczosCpu(k: number): number;
  hvpGpu(device: GPUDevice): NewtonHvpGpu;
  lanczosGpu(device: GPUDevice, k: number): NewtonLanczosGpu;
}

/**
 * For benchmarks and scripts (src/bench/newtonBench.ts): w-newton's Hessian-vector product and
 * Lanczos solve (what its steps spend their time on) on the landscape preset `landscape` at N
 * particles from the preset's default init (seed 1), v the fixed probe vector; on the GPU (the
 * kernels the method's GPU stepper records) and on the float64 twin (what its CPU stepper calls).
 */
export function newtonPieces(landscape: LandscapeId, n: number): NewtonPieces {
  const L = createLandscape(landscape, {});
  const x = landscapes[landscape].init(n, 1);
  const v = probeVector(2 * n);
  const apply = (w: Float64Array): Float64Array => landscapeHvp(L, x, w, n);
  const upload = (device: GPUDevice, label: string): { res: GpuResources; land: GPUBuffer; pos: GPUBuffer; vin: GPUBuffer; S: number } => {
    const res = new GpuResources(device, label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const land = res.buffer('landscape', LANDSCAPE_UNIFORM_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(land, 0, landscapeUniform(L));
    const pos = res.buffer('pos', 8 * n, S);
    device.queue.writeBuffer(pos, 0, Float32Array.from(x));
    const vin = res.buffer('v', 8 * n, S);
    device.queue.writeBuffer(vin, 0, Float32Array.from(v));
    return { res, land, pos, vin, S };
  };
  return {
    n, x, v,
    hvpCpu: () => apply(v),
    lanczosCpu: (k) => lanczosApply(apply, v, k, (t) => 1 / t).minRitz,
    hvpGpu(device) {
      const { res, land, pos, vin, S } = upload(device, 'newtonPieces.hvp');
      try {
        const hvp = res.track(new LandscapeHvp(device));
        hvp.configure(n);
        const slot = res.buffer('slot', 16, S);
        const out = res.buffer('hv', 8 * n, S);
        const io = hvp.bindIO(land, pos, vin, slot, out);
        return { encode: (pass) => hvp.encode(pass, io, n), destroy: () => res.destroy() };
      } catch (e) {
        res.destroy();
        throw e;
      }
    },
    lanczosGpu(device, k) {
      const { res, land, pos, vin, S } = upload(device, 'newtonPieces.lanczos');
      try {
        const lz = res.track(new GpuLanczos(device, n, k));
        const s = res.buffer('s', 8 * n, S);
        const io = lz.bindIO(land, pos, vin, s);
        return {
          async solve() {
            const enc = device.createCommandEncoder();
            const pass = enc.beginComputePass();
            lz.configure();
            lz.encode(pass, io, k);
            pass.end();
            lz.copyState(enc);
            device.queue.submit([enc.finish()]);
            const ab = await lz.readAlphaBeta(k);
            if (!ab) throw new Error('newtonPieces: Lanczos read-back destroyed');
            return ritz(ab.alpha, ab.beta).values[0] ?? NaN;
          },
          destroy: () => res.destroy(),
        };
      } catch (e) {
        res.destroy();
        throw e;
      }
    },
  };
}

/**
 * Stein variational gradient descent (Liu & Wang 2016), METHODS.md section 2, with three kernels:
 *   rbf   k = exp(-|x-y|^2 / (2 sigma^2))       plane, or torus with minimum-image distances
 *   imq   k = (c^2 + |x-y|^2)^beta, beta in (-1,0) (c = bandwidth)   plane or torus (minimum image)
 *   riesz Riesz kernel of order s on the torus T^2 (the mean-field SVGD convergence paper):
 *         khat(xi) = |xi|^(-2s), khat(0) = k0, truncated at |xi|_inf <= modes; torus only.
 *         smoothing 'direct' = exact truncated Fourier series (O(N K^2)), 'pm' = particle-mesh
 *         convolution on a grid x grid FFT mesh (O(N + G^2 log G)).
 * On the torus every kernel wraps positions mod 1 after each step.
 */
import { MedianBandwidth } from '../kernels/medianBandwidth';
import { SvgdStep } from '../kernels/svgdStep';
import { TargetEval } from '../kernels/targetEval';
import { isPowerOfTwo } from '../reference/fft';
import { medianBandwidth } from '../reference/medianBandwidth';
import { rieszStep, rieszVelocityDirect, rieszVelocityPm } from '../reference/rieszSvgd';
import { svgdStep } from '../reference/svgdStep';
import { targetEval } from '../reference/targetEval';
import { ParamError, readParams, type Params } from '../core/params';
import { RieszSvgdGpu, type Smoothing } from './svgdRiesz';
import type { GpuReadout, MethodDef, MethodRun, ReadoutSpec } from './types';

export type { Smoothing } from './svgdRiesz';

export type SvgdKernel = 'rbf' | 'imq' | 'riesz';

/** The resolved kernel settings of one run (params checked against the domain). */
export type SvgdSettings =
  | { kernel: 'rbf' | 'imq'; sigma2: number | null; beta: number; periodic: boolean }
  | { kernel: 'riesz'; s: number; k0: number; modes: number; smoothing: Smoothing; grid: number };

/** The kernel bandwidth sigma (rbf) or c (imq), median or fixed; GWG declares the same readout. */
export const BANDWIDTH_READOUT: ReadoutSpec = {
  key: 'bandwidth', label: 'σ', when: 'stats',
  description: "The kernel bandwidth in use: sigma (rbf) or c (imq); with 'median', sqrt(med^2 / (2 log(N+1))) of this step",
};

/**
 * A stepper's own bandwidth state, array<f32, 4> = [sigma^2, med^2, 0, 0] (medianBandwidth writes it,
 * the step reads bw[0]): sigma^2 = the fixed value, or 1 until the first median. Each method that
 * uses it (svgd, gwg) makes its own; its stepper's destroy() frees it.
 */
export function createBandwidthBuffer(device: GPUDevice, label: string, sigma2: number | null): GPUBuffer {
  const bw = device.createBuffer({ label, size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(bw, 0, new Float32Array([sigma2 ?? 1, 0, 0, 0]));
  return bw;
}

/** The GPU readout of bw[0] = sigma^2 (the stepper's bandwidth state, see createBandwidthBuffer). */
export function bandwidthReadout(bw: GPUBuffer): GpuReadout {
  return {
    region: () => ({ buffer: bw, offset: 0, bytes: 4 }),
    decode: (bytes) => ({ bandwidth: Math.sqrt(new Float32Array(bytes, 0, 1)[0] ?? NaN) }),
  };
}

/**
 * Check the kernel / domain / smoothing combination; throws ParamError naming the parameter.
 * Riesz lives on the torus only; rbf and imq run on the plane, or on the torus with minimum-image
 * distances; smoothing 'pm' is for riesz only and needs a power-of-two grid with modes <= grid/2 - 1.
 */
export function svgdSettings(params: Params, domain: 'plane' | 'torus'): SvgdSettings {
  const p = readParams(svgd.params, params);
  const kernel = p.oneOf('kernel', ['rbf', 'imq', 'riesz'] as const);
  const smoothing = p.oneOf('smoothing', ['direct', 'pm'] as const);
  if (kernel === 'riesz') {
    if (domain !== 'torus') throw new ParamError('kernel', "kernel 'riesz' is the Riesz kernel on the torus T^2: run it with domain torus (--domain torus)");
    const modes = p.num('modes');
    const grid = p.num('grid');
    if (!Number.isInteger(modes) || modes < 1) throw new ParamError('modes', `modes: expected a positive integer, got ${modes}`);
    if (smoothing === 'pm') {
      if (!isPowerOfTwo(grid) || grid < 8) throw new ParamError('grid', `grid: expected a power of two >= 8, got ${grid}`);
      if (modes > grid / 2 - 1) throw new ParamError('modes', `modes ${modes} needs grid >= ${2 * (modes + 1)} for smoothing pm (modes <= grid/2 - 1), got grid ${grid}`);
    }
    return { kernel, s: p.num('s'), k0: p.num('k0'), modes, smoothing, grid };
  }
  if (smoothing === 'pm') throw new ParamError('smoothing', `smoothing pm is the particle-mesh Riesz kernel: use kernel riesz (kernel ${kernel} sums directly)`);
  const b = p.optNum('bandwidth');
  const beta = p.num('beta');
  if (!(beta > -1 && beta < 0)) throw new ParamError('beta', `beta: expected a number in (-1, 0), got ${beta}`);
  return { kernel, sigma2: b === undefined ? null : b * b, beta, periodic: domain === 'torus' };
}

/** The svgd method's Riesz-kernel step on scores already evaluated: what its GPU stepper records after the target evaluation. */
export interface RieszStep {
  /** Record one step reading pos[cur] and the scores there; returns the output index. */
  encode(pass: GPUComputePassEncoder, cur: 0 | 1): 0 | 1;
  setStepSize(h: number): void;
  destroy(): void;
}

/**
 * The svgd method's Riesz step (kernel 'riesz' on the torus) on given scores, from the method's own
 * parameters (s, k0, modes, smoothing, grid; checked as the method checks them: ParamError naming
 * the parameter). A documented export of the library: the method's GPU stepper records it after its
 * target evaluation, and the particle-mesh benchmark (src/bench/pmBench.ts) times it alone, on
 * scores it uploaded. `scores`: one vec4 row (score.x, score.y, _, _) per particle.
 */
export function createRieszStep(device: GPUDevice, pos: readonly [GPUBuffer, GPUBuffer], scores: GPUBuffer, run: Pick<MethodRun, 'n' | 'stepSize' | 'params'>): RieszStep {
  const cfg = svgdSettings(run.params, 'torus');
  if (cfg.kernel !== 'riesz') throw new ParamError('kernel', `createRieszStep: kernel 'riesz' expected, got '${cfg.kernel}'`);
  return new RieszSvgdGpu(device, pos, scores, { n: run.n, h: run.stepSize, ...cfg });
}

export const svgd: MethodDef = {
  id: 'svgd',
  label: 'SVGD',
  // the Riesz kernel on the torus sums Fourier modes (O(N K^2)) or a particle mesh: not pairwise
  pairSweeps: (p) => (p.kernel === 'riesz' ? 0 : 1),
  description: 'Stein variational gradient descent: kernel-smoothed score plus repulsion (Liu & Wang 2016); RBF, IMQ, or the Riesz kernel on the torus.',
  check(params, domain) {
    svgdSettings(params, domain);
  },
  domains: ['plane', 'torus'],
  // SVGD's velocity is the score averaged by (1/N) sum_j k(x_j, x_i): with the median bandwidth that
  // average weighs a particle's own score by ~0.1 (E k = 1 / (1 + 2 s^2 / sigma^2), sigma^2 ~ s^2 / 4
  // at N = 256, 1 / 13 at N = 4,096), so a stable step is ~10x Langevin's. 4 / L (Langevin: 0.2 / L),
  // measured on the CPU twin at N = 256 (src/defaults.pairs.test.ts; KSD after 300 steps on the banana
  // 0.91 at Langevin's 0.01, 0.21 at 0.2; 12-20 / L fail: u1 diverged at 18 / L, the donut (12 / L)
  // and the mixture (20 / L) stopped converging).
  defaultStep: { perCurvature: 4, max: 2 },
  // 25gaussians: the median bandwidth (~0.3) spans the modes (std 0.018, 0.71 apart), so the kernel
  // smooths them away (a median 0.21 from the mode centres); a bandwidth 0.1 below the spacing with h
  // = 0.005 puts 98% of the particles within 3 std of a mode in 200 steps (all 25 modes occupied).
  targetDefaults: { '25gaussians': { params: { bandwidth: 0.1 }, stepSize: 0.005 } },
  // The torus is where the Riesz kernel lives; its targets are a unit cell wide: the paper-scale step 5e-4.
  domainDefaults: { torus: { params: { kernel: 'riesz' }, stepSize: 5e-4 } },
  readouts: [BANDWIDTH_READOUT],
  about: {
    tex: String.raw`\phi(x_i) = \frac{1}{N}\sum_{j=1}^{N}\Big[\,k(x_j, x_i)\,\nabla \log \pi(x_j) + \nabla_{x_j} k(x_j, x_i)\Big], \qquad x_i \leftarrow x_i + h\,\phi(x_i)`,
    text: 'Deterministic particles: the first term pulls each particle toward high density, smoothed over its neighbours by the kernel k; the second pushes particles apart, so they spread over π instead of collapsing on its mode. In the mean-field limit it is the gradient flow of KL(ρ | π) in a kernelised Wasserstein metric. Where it fails by nature: in high dimension the repulsion weakens and the particles’ variance shrinks (they collapse toward the mode), and a kernel wider than the gaps between modes smooths the modes away (hence a fixed bandwidth 0.1 on the 25 Gaussians).',
    params: {
      kernel: 'The kernel k: rbf exp(−|x−y|²/(2σ²)), imq (c² + |x−y|²)^β, or riesz (torus only), whose Fourier coefficients are |ξ|^(−2s).',
      bandwidth: "The kernel's length scale σ (rbf) or c (imq); 'median' sets σ² = med²/(2 log(N+1)) from the median pairwise distance, every step.",
      beta: 'The IMQ exponent β in (−1, 0): closer to 0, heavier tails and longer-range repulsion.',
      s: 'The Riesz order s: larger s, a smoother kernel (in 2-D continuous for s > 1, C¹ for s > 1.5, C² for s > 2).',
      k0: 'The zero Fourier mode k̂(0) of the Riesz kernel: a constant added to k (it does not change the repulsion).',
      modes: 'Fourier truncation K: the Riesz kernel keeps the modes |ξ|∞ ≤ K, (2K+1)² of them.',
      smoothing: 'How the Riesz sum is evaluated: direct (the exact truncated Fourier sum, O(N K²)) or pm (particle-mesh: deposit on a grid, FFT, multiply, interpolate back).',
      grid: 'The particle-mesh grid size G (a power of two with K ≤ G/2 − 1): finer G, smaller error, more work per step.',
    },
    papers: [
      { authors: 'Q. Liu, D. Wang', title: 'Stein variational gradient descent: a general purpose Bayesian inference algorithm', year: 2016, venue: 'NeurIPS 2016' },
      { authors: 'L. Chizat, M. Colombo, R. Colombo, X. Fernández-Real', title: 'Quantitative local convergence of mean-field Stein variational gradient flow (Riesz kernels on the torus)', year: 2026, venue: 'arXiv:2605.09456' },
    ],
  },
  params: [
    {
      name: 'kernel', label: 'Kernel', kind: 'enum', default: 'rbf', options: ['rbf', 'imq', 'riesz'],
      description: 'rbf k = exp(-|x-y|^2 / (2 sigma^2)); imq k = (c^2 + |x-y|^2)^beta (c = bandwidth); riesz: Riesz kernel of order s on the torus, khat(xi) = |xi|^(-2s) (domain torus only). On the torus rbf/imq use minimum-image distances.',
    },
    {
      name: 'bandwidth', label: 'Bandwidth', kind: 'number', default: 'median', alsoAccept: ['median'],
      min: 1e-4, max: 1e4, step: 0.01, log: true,
      description: "rbf: sigma; imq: c; or 'median': sigma^2 (c^2) = med^2 / (2 log(N+1)) recomputed every step on the GPU",
      shownWhen: { kernel: ['rbf', 'imq'] },
    },
    { name: 'beta', label: 'IMQ exponent β', kind: 'number', default: -0.5, min: -0.999, max: -0.001, step: 0.01, description: 'imq exponent beta in (-1, 0)', shownWhen: { kernel: ['imq'] } },
    { name: 's', label: 'Riesz order s', kind: 'number', default: 1.5, min: 0.5, max: 4, step: 0.05, description: 'riesz: khat(xi) = |xi|^(-2s); s > 1 continuous, s > 1.5 C^1, s > 2 C^2 kernel (d = 2)', shownWhen: { kernel: ['riesz'] } },
    { name: 'k0', label: 'Riesz zero mode k̂(0)', kind: 'number', default: 1, min: 0, max: 1000, step: 0.1, description: 'riesz: the zero mode khat(0) (a constant added to the kernel)', shownWhen: { kernel: ['riesz'] } },
    { name: 'modes', label: 'Fourier modes K (|ξ| ≤ K)', kind: 'number', default: 16, min: 1, max: 255, step: 1, description: 'riesz: truncation |xi|_inf <= K ((2K+1)^2 modes)', shownWhen: { kernel: ['riesz'] } },
    { name: 'smoothing', label: 'Riesz sum (direct or mesh)', kind: 'enum', default: 'direct', options: ['direct', 'pm'], description: 'riesz: direct = exact truncated Fourier sum O(N K^2); pm = particle-mesh convolution (CIC deposit, FFT, multiply, inverse FFT, interpolate)', shownWhen: { kernel: ['riesz'] } },
    { name: 'grid', label: 'PM grid G', kind: 'number', default: 64, min: 8, max: 1024, step: 1, log: true, description: 'riesz pm: G x G mesh, a power of two with modes <= G/2 - 1', shownWhen: { kernel: ['riesz'], smoothing: ['pm'] } },
  ],
  createGpu(ctx, run) {
    const n = run.n;
    const cfg = svgdSettings(run.params, run.domain);
    const evalK = new TargetEval(ctx.device, n, ctx.targetShader);
    const evalIO = [evalK.bindIO(ctx.pos[0], ctx.scores), evalK.bindIO(ctx.pos[1], ctx.scores)] as const;
    if (cfg.kernel === 'riesz') {
      const riesz = createRieszStep(ctx.device, ctx.pos, ctx.scores, run);
      return {
        encode(pass, cur, target) {
          evalK.encode(pass, evalIO[cur], target, n);
          return riesz.encode(pass, cur);
        },
        setStepSize(next) {
          riesz.setStepSize(next);
        },
        destroy() {
          evalK.destroy();
          riesz.destroy();
        },
      };
    }
    const median = new MedianBandwidth(ctx.device);
    const step = new SvgdStep(ctx.device);
    const { sigma2 } = cfg;
    let h = run.stepSize;
    median.configure(n);
    const configure = (): void => step.configure({ n, h, sigma2, kernel: cfg.kernel, beta: cfg.beta, periodic: cfg.periodic });
    configure();
    const bw = createBandwidthBuffer(ctx.device, 'svgd.bw', sigma2);
    const medIO = [median.bindIO(ctx.pos[0], bw), median.bindIO(ctx.pos[1], bw)] as const;
    const stepIO = [
      step.bindIO(ctx.pos[0], ctx.scores, bw, ctx.pos[1]),
      step.bindIO(ctx.pos[1], ctx.scores, bw, ctx.pos[0]),
    ] as const;
    return {
      readouts: { stats: bandwidthReadout(bw) },
      encode(pass, cur, target) {
        evalK.encode(pass, evalIO[cur], target, n);
        if (sigma2 === null) median.encode(pass, medIO[cur]);
        step.encode(pass, stepIO[cur], n);
        return cur === 0 ? 1 : 0;
      },
      setStepSize(next) {
        h = next;
        configure();
      },
      destroy() {
        evalK.destroy();
        median.destroy();
        step.destroy();
        bw.destroy();
      },
    };
  },
  createCpu(run) {
    const cfg = svgdSettings(run.params, run.domain);
    let h = run.stepSize;
    if (cfg.kernel === 'riesz') {
      return {
        step(x, _step, target) {
          const { score } = targetEval(target, x);
          const phi = cfg.smoothing === 'pm' ? rieszVelocityPm(x, score, run.n, cfg.grid, cfg) : rieszVelocityDirect(x, score, run.n, cfg);
          return rieszStep(x, phi, h);
        },
        setStepSize(next) {
          h = next;
        },
      };
    }
    const fixed = cfg.sigma2;
    let current = fixed ?? 1;
    return {
      step(x, _step, target) {
        const { score } = targetEval(target, x);
        current = fixed ?? medianBandwidth(x, run.n).sigma2;
        return svgdStep(x, score, run.n, h, current, 2, { kernel: cfg.kernel, beta: cfg.beta, periodic: cfg.periodic });
      },
      setStepSize(next) {
        h = next;
      },
      readouts: (when) => (when === 'stats' ? { bandwidth: Math.sqrt(current) } : {}),
    };
  },
};

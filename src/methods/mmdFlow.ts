/**
 * MMD flow towards the target's sample cloud (METHODS.md section 3; Arbel, Korba, Salim & Gretton
 * 2019; the energy kernel k = -|x - y| gives the energy-distance flow, Hertrich et al. 2023):
 *   F(mu) = MMD_k^2(mu, nu) / 2,
 *   v(x_i) = -grad_x [ (1/N) sum_j k(x, x_j) - (1/M) sum_m k(x, y_m) ] at x = x_i,  x_i <- x_i + h v(x_i).
 * GPU: shaders/mmdFlowStep.wgsl (src/kernels/mmdFlowStep.ts); CPU: src/reference/mmdFlowStep.ts.
 */
import { MmdFlowStep } from '../kernels/mmdFlowStep';
import { readParams } from '../core/params';
import { MMD_KERNELS, mmdFlowStep, type MmdKernel } from '../reference/mmdFlowStep';
import type { MethodDef, MethodRun } from './types';

function kernelOf(run: MethodRun): MmdKernel {
  return readParams(mmdFlow.params, run.params).oneOf('kernel', MMD_KERNELS);
}

/** bw2 = sigma^2 (gaussian) or c^2 (imq); unused by the energy kernel. */
function bw2Of(run: MethodRun): number {
  const b = readParams(mmdFlow.params, run.params).num('bandwidth');
  if (!(b > 0)) throw new Error(`mmd-flow: bandwidth must be a positive number, got ${String(b)}`);
  return b * b;
}

function cloudOf(run: MethodRun): Float64Array {
  if (!run.cloud || run.cloud.length < 2) throw new Error('mmd-flow needs the target cloud (a sample-based method: the engine passes MethodRun.cloud)');
  return run.cloud;
}

export const mmdFlow: MethodDef = {
  id: 'mmd-flow',
  label: 'MMD flow',
  pairSweeps: () => 2, // particles x particles and particles x target samples
  description: 'Gradient flow of MMD^2/2 towards the target samples: kernel attraction to the cloud, repulsion between particles (Arbel et al. 2019); energy kernel = energy-distance flow.',
  needs: 'samples',
  // A sample-based flow: its step is not tied to pi's curvature (src/engine/defaults.ts); picked after the Sinkhorn flow.
  defaultStep: { fixed: 0.5 },
  priority: 1,
  // 25gaussians: the Gaussian kernel of bandwidth 1 cannot see modes of std 0.018 (1.6% -> 2.1% of the
  // particles within 3 std of a mode in 200 steps, N = 192); the energy kernel -|x - y| is scale-free:
  // 86%, all 25 modes (src/defaults.pairs.test.ts).
  targetDefaults: { '25gaussians': { params: { kernel: 'energy' } } },
  about: {
    tex: String.raw`F(\mu) = \tfrac12\,\mathrm{MMD}_k^2(\mu, \nu), \qquad x_i \leftarrow x_i - h\,\nabla_{x}\Big[\frac{1}{N}\sum_{j=1}^{N} k(x, x_j) - \frac{1}{M}\sum_{m=1}^{M} k(x, y_m)\Big]_{x = x_i}`,
    text: 'A flow toward a cloud of target samples y_m (no density needed): each particle is attracted by the target samples and repelled by the other particles through the kernel k. With the energy kernel k = −|x − y| it is the energy-distance flow.',
    params: {
      kernel: 'The kernel k: gaussian exp(−|x−y|²/(2σ²)), imq (c² + |x−y|²)^(−1/2), or energy −|x−y| (no length scale).',
      bandwidth: 'The length scale σ (gaussian) or c (imq): small, only nearby samples attract (particles can get stuck between clusters); large, a smooth global pull.',
    },
    papers: [{ authors: 'M. Arbel, A. Korba, A. Salim, A. Gretton', title: 'Maximum mean discrepancy gradient flow', year: 2019, venue: 'NeurIPS 2019' }],
  },
  params: [
    {
      name: 'kernel', label: 'Kernel', kind: 'enum', default: 'gaussian', options: [...MMD_KERNELS],
      description: 'gaussian exp(-|x-y|^2/(2 sigma^2)); imq (c^2 + |x-y|^2)^(-1/2); energy -|x-y| (Riesz, the energy distance)',
    },
    {
      name: 'bandwidth', label: 'Bandwidth', kind: 'number', default: 1, min: 1e-3, max: 1e3, step: 0.01, log: true,
      description: 'sigma (gaussian) or c (imq); ignored by the energy kernel',
      shownWhen: { kernel: ['gaussian', 'imq'] },
    },
  ],
  createGpu(ctx, run) {
    const cloud = ctx.cloud;
    if (!cloud) throw new Error('mmd-flow needs the target cloud buffer (GpuMethodContext.cloud)');
    const n = run.n;
    const kernel = kernelOf(run);
    const bw2 = bw2Of(run);
    let h = run.stepSize;
    let m = cloud.m;
    const step = new MmdFlowStep(ctx.device);
    const configure = (): void => step.configure({ n, m, h, kernel, bw2 });
    configure();
    const io = [
      step.bindIO(ctx.pos[0], cloud.buffer, ctx.pos[1]),
      step.bindIO(ctx.pos[1], cloud.buffer, ctx.pos[0]),
    ] as const;
    return {
      encode(pass, cur) {
        step.encode(pass, io[cur], n);
        return cur === 0 ? 1 : 0;
      },
      setStepSize(next) {
        h = next;
        configure();
      },
      setCloud(next) {
        if (!Number.isInteger(next) || next < 1) throw new Error(`mmd-flow: the target cloud needs at least one point, got ${next}`);
        m = next;
        configure();
      },
      destroy() {
        step.destroy();
      },
    };
  },
  createCpu(run) {
    const kernel = kernelOf(run);
    const bw2 = bw2Of(run);
    let h = run.stepSize;
    let cloud = cloudOf(run);
    return {
      step(x) {
        return mmdFlowStep(x, run.n, cloud, cloud.length >> 1, h, kernel, bw2);
      },
      setStepSize(next) {
        h = next;
      },
      setCloud(next) {
        if (next.length < 2) throw new Error('mmd-flow: the target cloud needs at least one point');
        cloud = next;
      },
    };
  },
};

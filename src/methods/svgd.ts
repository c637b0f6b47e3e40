/** Stein variational gradient descent with the RBF kernel: METHODS.md section 2. */
import { MedianBandwidth } from '../kernels/medianBandwidth';
import { SvgdStep } from '../kernels/svgdStep';
import { TargetEval } from '../kernels/targetEval';
import { medianBandwidth } from '../reference/medianBandwidth';
import { svgdStep } from '../reference/svgdStep';
import { targetEval } from '../reference/targetEval';
import type { MethodDef, MethodRun } from './types';

/** sigma^2 from the bandwidth param (a number is sigma), or null for the median heuristic. */
function fixedSigma2(run: MethodRun): number | null {
  const b = run.params.bandwidth;
  return typeof b === 'number' ? b * b : null;
}

export const svgd: MethodDef = {
  id: 'svgd',
  label: 'SVGD',
  description: 'Stein variational gradient descent: kernel-smoothed score plus repulsion (Liu & Wang 2016).',
  params: [
    { name: 'kernel', label: 'Kernel', kind: 'enum', default: 'rbf', options: ['rbf'], description: 'RBF k = exp(-|x-y|^2 / (2 sigma^2))' },
    {
      name: 'bandwidth', label: 'Bandwidth', kind: 'number', default: 'median', alsoAccept: ['median'],
      min: 1e-4, max: 1e4, step: 0.01, log: true,
      description: "kernel bandwidth sigma, or 'median': sigma^2 = med^2 / (2 log(N+1)) recomputed every step on the GPU",
    },
  ],
  createGpu(ctx, run) {
    const n = run.n;
    const evalK = new TargetEval(ctx.device);
    const median = new MedianBandwidth(ctx.device);
    const step = new SvgdStep(ctx.device);
    const sigma2 = fixedSigma2(run);
    let h = run.stepSize;
    evalK.setParams({ n });
    median.configure(n);
    const configure = (): void => step.configure({ n, h, sigma2 });
    configure();
    const evalIO = [evalK.bindIO(ctx.pos[0], ctx.scores), evalK.bindIO(ctx.pos[1], ctx.scores)] as const;
    const medIO = [median.bindIO(ctx.pos[0], ctx.bw), median.bindIO(ctx.pos[1], ctx.bw)] as const;
    const stepIO = [
      step.bindIO(ctx.pos[0], ctx.scores, ctx.bw, ctx.pos[1]),
      step.bindIO(ctx.pos[1], ctx.scores, ctx.bw, ctx.pos[0]),
    ] as const;
    if (sigma2 !== null) ctx.device.queue.writeBuffer(ctx.bw, 0, new Float32Array([sigma2, 0, 0, 0]));
    return {
      reportsAcceptance: false,
      reportsBandwidth: true,
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
      },
    };
  },
  createCpu(run) {
    const fixed = fixedSigma2(run);
    let h = run.stepSize;
    let current = fixed ?? 1;
    return {
      step(x, _step, target) {
        const { score } = targetEval(target, x);
        current = fixed ?? medianBandwidth(x, run.n).sigma2;
        return svgdStep(x, score, run.n, h, current);
      },
      setStepSize(next) {
        h = next;
      },
      bandwidth: () => Math.sqrt(current),
    };
  },
};

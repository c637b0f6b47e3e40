/** Langevin dynamics (ULA, or MALA with `mala=true`): METHODS.md section 1. */
import { LangevinStep } from '../kernels/langevinStep';
import { langevinStep } from '../reference/langevinStep';
import type { MethodDef } from './types';

export const langevin: MethodDef = {
  id: 'langevin',
  label: 'Langevin (ULA / MALA)',
  description: 'x <- x + h grad log pi(x) + sqrt(2h) xi; MALA adds a Metropolis-Hastings test (exact target).',
  params: [
    { name: 'mala', label: 'MALA', kind: 'boolean', default: false, description: 'Metropolis-adjusted: accept/reject each proposal' },
  ],
  createGpu(ctx, run) {
    const kernel = new LangevinStep(ctx.device);
    const mala = run.params.mala === true;
    let h = run.stepSize;
    const configure = (): void => kernel.configure({ n: run.n, h, seed: run.seed, mala });
    configure();
    const io: [GPUBindGroup, GPUBindGroup] = [
      kernel.bindIO(ctx.pos[0], ctx.clock, ctx.counters),
      kernel.bindIO(ctx.pos[1], ctx.clock, ctx.counters),
    ];
    return {
      reportsAcceptance: mala,
      reportsBandwidth: false,
      encode(pass, cur, target) {
        kernel.encode(pass, io[cur], target, run.n);
        return cur;
      },
      setStepSize(next) {
        h = next;
        configure();
      },
      destroy: () => kernel.destroy(),
    };
  },
  createCpu(run) {
    const mala = run.params.mala === true;
    let h = run.stepSize;
    let accepted = 0, proposed = 0;
    return {
      step(x, step, target) {
        accepted += langevinStep(x, target, { n: run.n, h, seed: run.seed, mala, step });
        proposed += run.n;
        return x;
      },
      setStepSize(next) {
        h = next;
      },
      ...(mala
        ? {
            takeAcceptance() {
              const r = { accepted, proposed };
              accepted = 0;
              proposed = 0;
              return r;
            },
          }
        : {}),
    };
  },
};

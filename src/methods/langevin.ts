/** Langevin dynamics (ULA, or MALA with `mala=true`): METHODS.md section 1. */
import { LangevinStep } from '../kernels/langevinStep';
import { langevinStep } from '../reference/langevinStep';
import { readParams } from '../params';
import type { MethodDef, ReadoutSpec } from './types';

const READOUTS: ReadoutSpec[] = [
  { key: 'acceptance', label: 'accept', format: 'percent', when: 'stats', description: 'MALA: fraction of proposals accepted since the last read (the Metropolis-Hastings test)' },
];

export const langevin: MethodDef = {
  id: 'langevin',
  label: 'Langevin (ULA / MALA)',
  description: 'x <- x + h grad log pi(x) + sqrt(2h) xi; MALA adds a Metropolis-Hastings test (exact target).',
  params: [
    { name: 'mala', label: 'MALA', kind: 'boolean', default: false, description: 'Metropolis-adjusted: accept/reject each proposal' },
  ],
  readouts: READOUTS,
  createGpu(ctx, run) {
    const kernel = new LangevinStep(ctx.device);
    const mala = readParams(langevin.params, run.params).bool('mala');
    let h = run.stepSize;
    const configure = (): void => kernel.configure({ n: run.n, h, seed: run.seed, mala });
    configure();
    const io: [GPUBindGroup, GPUBindGroup] = [
      kernel.bindIO(ctx.pos[0], ctx.clock, ctx.counters),
      kernel.bindIO(ctx.pos[1], ctx.clock, ctx.counters),
    ];
    return {
      // counters = [accepted, proposed] (atomic u32), zeroed after each read
      ...(mala
        ? {
            readouts: {
              stats: {
                region: () => ({ buffer: ctx.counters, offset: 0, bytes: 8 }),
                resetOnRead: true,
                decode(bytes: ArrayBuffer) {
                  const [accepted = 0, proposed = 0] = new Uint32Array(bytes, 0, 2);
                  return proposed > 0 ? { acceptance: accepted / proposed } : {};
                },
              },
            },
          }
        : {}),
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
    const mala = readParams(langevin.params, run.params).bool('mala');
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
            readouts(when: 'stats' | 'metrics') {
              if (when !== 'stats') return {};
              const r = proposed > 0 ? { acceptance: accepted / proposed } : {};
              accepted = 0;
              proposed = 0;
              return r;
            },
          }
        : {}),
    };
  },
};

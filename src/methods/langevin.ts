/** Langevin dynamics (ULA, or MALA with `mala=true`): METHODS.md section 1. */
import { LangevinStep } from '../kernels/langevinStep';
import { langevinStep } from '../reference/langevinStep';
import { readParams } from '../core/params';
import type { MethodDef, ReadoutSpec } from './types';

const READOUTS: ReadoutSpec[] = [
  { key: 'acceptance', label: 'accept', format: 'percent', when: 'stats', description: 'MALA: fraction of proposals accepted since the last read (the Metropolis-Hastings test)' },
];

export const langevin: MethodDef = {
  id: 'langevin',
  label: 'Langevin (ULA / MALA)',
  description: 'x <- x + h grad log pi(x) + sqrt(2h) xi; MALA adds a Metropolis-Hastings test (exact target).',
  about: {
    tex: String.raw`x_i \leftarrow x_i + h\,\nabla \log \pi(x_i) + \sqrt{2h}\,\xi_i, \qquad \xi_i \sim \mathcal{N}(0, I)`,
    text: 'Each particle climbs the score (the gradient of log π) and is shaken by Gaussian noise: the particle picture of the Fokker–Planck equation, the Wasserstein gradient flow of KL(ρ | π). Without MALA a finite step h leaves a small bias (the cloud is a little too wide). Where it fails by nature: on well-separated modes a particle almost never crosses between them, so each mode keeps the share of particles that started in its basin, not its weight in π (the 25 Gaussians: the central modes stay crowded).',
    params: {
      mala: 'Metropolis-adjusted Langevin: accept each move with probability min(1, π(y) q(x | y) / (π(x) q(y | x))), else stay; the particles then sample π exactly at any h (the status bar shows the acceptance rate).',
    },
    papers: [
      { authors: 'R. Jordan, D. Kinderlehrer, F. Otto', title: 'The variational formulation of the Fokker–Planck equation', year: 1998, venue: 'SIAM Journal on Mathematical Analysis 29(1)' },
      { authors: 'G. O. Roberts, R. L. Tweedie', title: 'Exponential convergence of Langevin distributions and their discrete approximations', year: 1996, venue: 'Bernoulli 2(4)' },
    ],
  },
  params: [
    { name: 'mala', label: 'MALA (Metropolis accept/reject)', kind: 'boolean', default: false, description: 'Metropolis-adjusted: accept/reject each proposal' },
  ],
  readouts: READOUTS,
  createGpu(ctx, run) {
    const kernel = new LangevinStep(ctx.device, ctx.targetShader);
    const mala = readParams(langevin.params, run.params).bool('mala');
    let h = run.stepSize;
    const configure = (): void => kernel.configure({ n: run.n, h, seed: run.seed, mala });
    configure();
    // the stepper's own counters = [accepted, proposed] (atomic u32), zeroed after each read (MALA)
    const counters = ctx.device.createBuffer({ label: 'langevin.counters', size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const io: [GPUBindGroup, GPUBindGroup] = [
      kernel.bindIO(ctx.pos[0], ctx.clock, counters),
      kernel.bindIO(ctx.pos[1], ctx.clock, counters),
    ];
    return {
      ...(mala
        ? {
            readouts: {
              stats: {
                region: () => ({ buffer: counters, offset: 0, bytes: 8 }),
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
      destroy() {
        kernel.destroy();
        counters.destroy();
      },
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

/**
 * Riesz-kernel SVGD on the torus T^2 on the GPU (METHODS.md section 2; the mean-field SVGD
 * convergence paper): the kernels recorded for one step after the target's scores are evaluated.
 *   smoothing 'direct': torusDft -> torusSynth (exact truncated Fourier series, O(N K^2))
 *   smoothing 'pm':     pmDeposit -> fft -> pmMultiply -> fft^-1 -> pmInterp (O(N + G^2 log G))
 * Owns its kernels and scratch buffers; the caller owns pos and scores.
 */
import { Fft, type FftPlan } from '../kernels/fft';
import { PmDeposit } from '../kernels/pmDeposit';
import { PmInterp } from '../kernels/pmInterp';
import { PmMultiply } from '../kernels/pmMultiply';
import { TorusDft } from '../kernels/torusDft';
import { TorusSynth } from '../kernels/torusSynth';
import type { RieszOptions } from '../reference/torusSynth';

export type Smoothing = 'direct' | 'pm';

export interface RieszGpuOptions extends RieszOptions {
  n: number;
  h: number;
  smoothing: Smoothing;
  /** G for smoothing 'pm' (power of two, modes <= G/2 - 1). */
  grid: number;
}

export class RieszSvgdGpu {
  private readonly buffers: GPUBuffer[] = [];
  private readonly destroyers: (() => void)[] = [];
  private readonly record: (pass: GPUComputePassEncoder, cur: 0 | 1) => void;
  private readonly setH: (h: number) => void;

  constructor(device: GPUDevice, pos: readonly [GPUBuffer, GPUBuffer], scores: GPUBuffer, o: RieszGpuOptions) {
    const buf = (label: string, bytes: number): GPUBuffer => {
      const b = device.createBuffer({ label: `RieszSvgd.${label}`, size: Math.max(16, bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      this.buffers.push(b);
      return b;
    };
    const { n } = o;
    if (o.smoothing === 'direct') {
      const dft = new TorusDft(device);
      const synth = new TorusSynth(device);
      this.destroyers.push(() => dft.destroy(), () => synth.destroy());
      dft.configure({ n, modes: o.modes, withScores: true });
      const coef = buf('coef', TorusDft.coefBytes(o.modes));
      const dftIO = [dft.bindIO(pos[0], scores, coef), dft.bindIO(pos[1], scores, coef)] as const;
      const synthIO = [synth.bindIO(pos[0], coef, pos[1]), synth.bindIO(pos[1], coef, pos[0])] as const;
      this.setH = (h) => synth.configure({ n, h, modes: o.modes, s: o.s, k0: o.k0 });
      this.record = (pass, cur) => {
        dft.encode(pass, dftIO[cur]);
        synth.encode(pass, synthIO[cur], n);
      };
    } else {
      const g = o.grid;
      const dep = new PmDeposit(device);
      const fft = new Fft(device);
      const mul = new PmMultiply(device);
      const interp = new PmInterp(device);
      dep.configure({ n, g });
      mul.configure({ g, modes: o.modes, s: o.s, k0: o.k0 });
      const acc = buf('acc', PmDeposit.accBytes(g));
      const a = buf('gridA', PmDeposit.gridBytes(g));
      const b = buf('gridB', PmDeposit.gridBytes(g));
      const forward: FftPlan = fft.plan({ g, batch: 2, dir: -1 }, a, b);
      const inverse: FftPlan = fft.plan({ g, batch: 1, dir: 1 }, b, a);
      this.destroyers.push(() => dep.destroy(), () => fft.destroy(), () => mul.destroy(), () => interp.destroy(), () => forward.destroy(), () => inverse.destroy());
      const depIO = [dep.bindIO(pos[0], scores, acc, a), dep.bindIO(pos[1], scores, acc, a)] as const;
      const mulIO = mul.bindIO(a, b);
      const interpIO = [interp.bindIO(pos[0], b, pos[1]), interp.bindIO(pos[1], b, pos[0])] as const;
      this.setH = (h) => interp.configure({ n, g, h });
      this.record = (pass, cur) => {
        dep.encode(pass, depIO[cur]);
        forward.encode(pass);
        mul.encode(pass, mulIO);
        inverse.encode(pass);
        interp.encode(pass, interpIO[cur], n);
      };
    }
    this.setH(o.h);
  }

  /** Record one step reading pos[cur] (scores already evaluated there); returns the output index. */
  encode(pass: GPUComputePassEncoder, cur: 0 | 1): 0 | 1 {
    this.record(pass, cur);
    return cur === 0 ? 1 : 0;
  }

  setStepSize(h: number): void {
    this.setH(h);
  }

  destroy(): void {
    for (const d of this.destroyers) d();
    for (const b of this.buffers) b.destroy();
  }
}

/**
 * GPU kernel: radix-2 Stockham FFT on `batch` complex G x G fields (shaders/fft.wgsl, one stage per
 * dispatch). Every stage has its own small uniform (the stage's p and axis), so a plan records all
 * 2 log2 G stages in one pass; the stage count is even, so the result lands back in buffer `a`.
 * Twin: src/reference/fft.ts.
 */
import { createBuffer } from '../gpu/buffers';
import { bindBuffers } from '../gpu/layouts';
import { fftStages } from '../reference/fft';
import { Kernel } from './kernel';

export interface FftPlan {
  /** Record every stage (a -> b -> a ...); the transform ends in `a`. */
  encode(pass: GPUComputePassEncoder): void;
  destroy(): void;
}

export class Fft extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'fft', bindings: ['uniform', 'read-only-storage', 'storage'] });
  }

  /** A plan over buffers a and b (each >= 8 batch G^2 bytes); dir -1 forward, +1 unnormalised inverse. */
  plan(p: { g: number; batch: number; dir: -1 | 1 }, a: GPUBuffer, b: GPUBuffer): FftPlan {
    const view = this.params;
    if (!view) throw new Error('fft: no params uniform');
    const stages = fftStages(p.g);
    const uniforms: GPUBuffer[] = [];
    const bgs: GPUBindGroup[] = [];
    stages.forEach(({ p: half, axis }, s) => {
      view.set({ g: p.g, batch: p.batch, p: half, axis, dir: p.dir });
      const u = createBuffer(this.device, `fft.stage${s}.params`, view.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(u, 0, view.arrayBuffer);
      uniforms.push(u);
      const [src, dst] = s % 2 === 0 ? [a, b] : [b, a];
      bgs.push(bindBuffers(this.device, `fft.stage${s}.bindGroup`, this.layout, [u, src, dst]));
    });
    const threads = (p.batch * p.g * p.g) / 2;
    return {
      encode: (pass) => {
        for (const bg of bgs) this.dispatch(pass, bg, this.groups(threads));
      },
      destroy: () => {
        for (const u of uniforms) u.destroy();
      },
    };
  }
}

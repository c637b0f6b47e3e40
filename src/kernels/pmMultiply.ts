/** GPU kernel: Fourier-space multiply of particle-mesh Riesz SVGD (shaders/pmMultiply.wgsl). Twin: src/reference/pmMultiply.ts. */
import type { RieszOptions } from '../reference/torusSynth';
import { Kernel } from './kernel';

export class PmMultiply extends Kernel {
  private g = 0;
  constructor(device: GPUDevice) {
    super(device, { name: 'pmMultiply', bindings: ['uniform', 'read-only-storage', 'storage'] });
  }
  configure(p: { g: number } & RieszOptions): void {
    if (p.modes > p.g / 2 - 1) throw new Error(`pmMultiply: modes ${p.modes} > grid/2 - 1 = ${p.g / 2 - 1}`);
    this.g = p.g;
    this.setParams({ g: p.g, modes: p.modes, s: p.s, k0: p.k0 });
  }
  bindIO(spec: GPUBuffer, out: GPUBuffer): GPUBindGroup {
    return this.bind([spec, out]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, this.groups(this.g * this.g));
  }
}

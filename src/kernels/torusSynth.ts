/** GPU kernel: Riesz-SVGD velocity synthesised from torusDft's modes, x <- (x + h phi) mod 1 (shaders/torusSynth.wgsl). Twin: src/reference/torusSynth.ts. */
import type { RieszOptions } from '../reference/torusSynth';
import { Kernel } from './kernel';

export class TorusSynth extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'torusSynth', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(p: { n: number; h: number } & RieszOptions): void {
    this.setParams({ n: p.n, modes: p.modes, h: p.h, s: p.s, k0: p.k0 });
  }
  bindIO(posIn: GPUBuffer, coef: GPUBuffer, posOut: GPUBuffer): GPUBindGroup {
    return this.bind([posIn, coef, posOut]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}

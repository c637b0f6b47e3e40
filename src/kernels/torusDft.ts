/** GPU kernel: forward non-uniform DFT of the particles on T^2, modes |xi|_inf <= K (shaders/torusDft.wgsl). Twin: src/reference/torusDft.ts. */
import { modeCount } from '../reference/fourier';
import { storageElementBytes } from '../gpu/structs';
import { Kernel } from './kernel';

export class TorusDft extends Kernel {
  private modes = 0;
  constructor(device: GPUDevice) {
    super(device, { name: 'torusDft', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  /** withScores false: only R(xi) (the scores binding is not read). */
  configure(p: { n: number; modes: number; withScores: boolean }): void {
    this.modes = p.modes;
    this.setParams({ n: p.n, modes: p.modes, withScores: p.withScores ? 1 : 0 });
  }
  /** Bytes of the coefficient buffer: two `coef` elements (vec4f: S(xi), then R(xi)) per mode. */
  static coefBytes(modes: number): number {
    return 2 * modeCount(modes) * storageElementBytes('torusDft', 'coef');
  }
  bindIO(pos: GPUBuffer, scores: GPUBuffer, coef: GPUBuffer): GPUBindGroup {
    return this.bind([pos, scores, coef]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, this.groups(modeCount(this.modes)));
  }
}

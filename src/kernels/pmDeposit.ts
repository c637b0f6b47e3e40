/** GPU kernel: cloud-in-cell deposit of rho and rho s on the G x G torus grid (shaders/pmDeposit.wgsl: clear, deposit, pack). Twin: src/reference/pmDeposit.ts. */
import { Kernel, groups } from './kernel';

export class PmDeposit extends Kernel {
  private n = 0;
  private g = 0;
  constructor(device: GPUDevice) {
    super(device, {
      name: 'pmDeposit',
      bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'storage'],
      entryPoints: ['clear', 'deposit', 'pack'],
    });
  }
  configure(p: { n: number; g: number }): void {
    this.n = p.n;
    this.g = p.g;
    this.setParams({ n: p.n, g: p.g });
  }
  /** Scratch for the atomics: 3 f32 channels of G^2. */
  static accBytes(g: number): number {
    return 12 * g * g;
  }
  /** The packed output: 2 complex fields of G^2 (vec2f). */
  static gridBytes(g: number): number {
    return 16 * g * g;
  }
  bindIO(pos: GPUBuffer, scores: GPUBuffer, acc: GPUBuffer, grid: GPUBuffer): GPUBindGroup {
    return this.bind([pos, scores, acc, grid]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    const g2 = this.g * this.g;
    this.dispatch(pass, io, groups(3 * g2), undefined, 'clear');
    this.dispatch(pass, io, groups(this.n), undefined, 'deposit');
    this.dispatch(pass, io, groups(g2), undefined, 'pack');
  }
}

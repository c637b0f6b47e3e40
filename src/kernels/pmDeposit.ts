/** GPU kernel: cloud-in-cell deposit of rho and rho s on the G x G torus grid (shaders/pmDeposit.wgsl: clear, deposit, pack). Twin: src/reference/pmDeposit.ts. */
import { storageElementBytes } from '../gpu/structs';
import { Kernel } from './kernel';

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
  /** Scratch for the atomics: 3 channels (rho, rho sx, rho sy) of G^2 `acc` elements (atomic<u32> f32 bits). */
  static accBytes(g: number): number {
    return 3 * g * g * storageElementBytes('pmDeposit', 'acc');
  }
  /** The packed output: 2 complex fields of G^2 `grid` elements (vec2f). */
  static gridBytes(g: number): number {
    return 2 * g * g * storageElementBytes('pmDeposit', 'grid');
  }
  bindIO(pos: GPUBuffer, scores: GPUBuffer, acc: GPUBuffer, grid: GPUBuffer): GPUBindGroup {
    return this.bind([pos, scores, acc, grid]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    const g2 = this.g * this.g;
    this.dispatch(pass, io, this.groups(3 * g2), undefined, 'clear');
    this.dispatch(pass, io, this.groups(this.n), undefined, 'deposit');
    this.dispatch(pass, io, this.groups(g2), undefined, 'pack');
  }
}

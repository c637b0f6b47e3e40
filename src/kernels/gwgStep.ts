/**
 * GPU kernel: one GWG particle step with the RKHS-span function class (shaders/gwgStep.wgsl):
 * `inner` x (evalF, ascend) then advance. Twin: src/reference/gwgStep.ts.
 */
import type { MoveRule } from '../reference/gwgStep';
import { Kernel } from './kernel';

export interface GwgStepConfig {
  n: number;
  h: number;
  /** null: read sigma^2 from bw[0] (median heuristic computed on the GPU). */
  sigma2: number | null;
  lr: number;
  eps2: number;
  move: MoveRule;
}

export class GwgStep extends Kernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'gwgStep',
      // params, posIn, scores, bw, state, coef, fw, posOut
      bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage', 'storage', 'storage'],
      entryPoints: ['evalF', 'ascend', 'advance'],
    });
  }
  configure(c: GwgStepConfig): void {
    this.setParams({
      n: c.n, fixedBandwidth: c.sigma2 === null ? 0 : 1, moveRule: c.move === 'f' ? 1 : 0,
      h: c.h, sigma2: c.sigma2 ?? 1, lr: c.lr, eps2: c.eps2,
    });
  }
  /** coef: array<vec2f> (n), fw: array<vec4f> (n) scratch, state: array<f32> with state[0] = p. */
  bindIO(b: { posIn: GPUBuffer; scores: GPUBuffer; bw: GPUBuffer; state: GPUBuffer; coef: GPUBuffer; fw: GPUBuffer; posOut: GPUBuffer }): GPUBindGroup {
    return this.bind([b.posIn, b.scores, b.bw, b.state, b.coef, b.fw, b.posOut]);
  }
  /** `inner` ascent iterations on coef, then posOut = posIn + h v(f) (fw then holds the final (w, f)). */
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number, inner: number): void {
    for (let t = 0; t < inner; t++) {
      this.dispatch(pass, io, this.groups(n), undefined, 'evalF');
      this.dispatch(pass, io, this.groups(n), undefined, 'ascend');
    }
    this.dispatch(pass, io, this.groups(n), undefined, 'advance');
  }
  /** A single entry point (for tests). */
  encodeOne(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number, entry: 'evalF' | 'ascend' | 'advance'): void {
    this.dispatch(pass, io, this.groups(n), undefined, entry);
  }
}

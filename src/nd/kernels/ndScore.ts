/** GPU kernel: log-density and score of a packed d-D target (shaders/nd/ndScore.wgsl). Twin: src/nd/reference/ndScore.ts. */
import { createBuffer } from '../../gpu/buffers';
import type { PackedNdTarget } from '../reference/ndScore';
import { NdKernel, ndTiling } from './ndKernel';

export class NdScore extends NdKernel {
  readonly tdata: GPUBuffer;
  readonly ti: number;
  constructor(device: GPUDevice, readonly target: PackedNdTarget) {
    const t = ndTiling(target.d);
    super(device, 'ndScore', ['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'storage'], { WG: t.WG, TK: t.TK, D: target.d });
    this.ti = t.TI;
    const data = Float32Array.from(target.tdata.length > 0 ? target.tdata : [0]);
    this.tdata = createBuffer(device, 'ndScore.tdata', data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(this.tdata, 0, data);
  }
  configure(n: number): void {
    if (!(n >= 1)) throw new Error(`ndScore: need at least one particle, got ${n}`);
    this.setParams({ n, kind: this.target.kind, rows: this.target.rows, pp: this.target.pp, logNorm: this.target.logNorm });
  }
  /** x: N x d f32; scores: N x d f32 out; logp: N f32 out. */
  bindIO(x: GPUBuffer, scores: GPUBuffer, logp: GPUBuffer): GPUBindGroup {
    return this.bind([x, this.tdata, scores, logp]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, Math.ceil(n / this.ti));
  }
  override destroy(): void {
    super.destroy();
    this.tdata.destroy();
  }
}

/**
 * A kernel whose one pipeline is recorded several times in one pass with different `params`: each
 * configuration gets its own small uniform buffer (a "params block", same WGSL struct layout via
 * webgpu-utils), so no queue write has to land between two dispatches of one submission.
 */
import { createBuffer } from '../gpu/buffers';
import { bindBuffers } from '../gpu/layouts';
import { Kernel } from './kernel';

export class BlockKernel extends Kernel {
  private readonly blocks: GPUBuffer[] = [];

  /** A new uniform buffer holding `values` in the kernel's params layout; owned (destroyed) by the kernel. */
  paramBlock(values: Record<string, number>, label: string): GPUBuffer {
    if (!this.params) throw new Error(`${this.options.name}: no params uniform`);
    this.params.set(values);
    const b = createBuffer(this.device, `${this.options.name}.params.${label}`, this.params.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, this.params.arrayBuffer);
    this.blocks.push(b);
    return b;
  }

  /** Rewrite a block created by paramBlock (takes effect at the next submission). */
  writeBlock(block: GPUBuffer, values: Record<string, number>): void {
    if (!this.params) throw new Error(`${this.options.name}: no params uniform`);
    this.params.set(values);
    this.device.queue.writeBuffer(block, 0, this.params.arrayBuffer);
  }

  /** Bind group over a params block followed by `buffers`, in binding order. */
  bindBlock(block: GPUBuffer, buffers: GPUBuffer[], label: string): GPUBindGroup {
    return bindBuffers(this.device, `${this.options.name}.${label}.bindGroup`, this.layout, [block, ...buffers]);
  }

  override destroy(): void {
    for (const b of this.blocks) b.destroy();
    this.blocks.length = 0;
    super.destroy();
  }
}

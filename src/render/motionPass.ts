/**
 * Velocity arrows and trails on the GPU (shaders/render/motion.wgsl, twin src/render/motion.ts).
 * A render-owned ring of MAX_TRAIL slots, each holding the first `stride` (<= MAX_ARROWS) particles:
 * on every frame whose step count changed, one copyBufferToBuffer from the simulation's position
 * buffer into the next slot, recorded in the frame's encoder before the render pass. No read-back,
 * no buffer per frame: the ring is reallocated only when the particle count changes.
 */
import { makeStructuredView, type StructuredView } from 'webgpu-utils';
import { GpuResources } from '../gpu/buffers';
import { renderShaderModule } from '../gpu/shaders';
import { renderUniform } from '../gpu/structs';
import { MAX_ARROWS, MAX_TRAIL, MOTION_VERTICES, MotionHistory, type MotionMode, type MotionParams } from './motion';

export type MotionDraw = Omit<MotionParams, 'stride' | 'slots' | 'head' | 'mode'> & { colour: [number, number, number, number] };

export class MotionPass {
  private readonly pipeline: GPURenderPipeline;
  private readonly layout: GPUBindGroupLayout;
  private readonly resources: GpuResources;
  private readonly views: Record<MotionMode, { buffer: GPUBuffer; data: StructuredView }>;
  readonly history = new MotionHistory(MAX_TRAIL);
  private ring: { buffer: GPUBuffer; stride: number; bindGroups: Record<MotionMode, GPUBindGroup> } | undefined;

  constructor(private readonly device: GPUDevice, format: GPUTextureFormat) {
    this.resources = new GpuResources(device, 'MotionPass');
    const module = renderShaderModule(device, 'motion');
    this.layout = device.createBindGroupLayout({
      label: 'MotionPass.layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.VERTEX, buffer: { type: 'read-only-storage' } },
      ],
    });
    // premultiplied alpha "over"
    const over: GPUBlendComponent = { operation: 'add', srcFactor: 'one', dstFactor: 'one-minus-src-alpha' };
    this.pipeline = device.createRenderPipeline({
      label: 'MotionPass.pipeline',
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.layout] }),
      vertex: { module, entryPoint: 'motion_vs' },
      fragment: { module, entryPoint: 'motion_fs', targets: [{ format, blend: { color: over, alpha: over } }] },
      primitive: { topology: 'triangle-list' },
    });
    const view = (mode: MotionMode): { buffer: GPUBuffer; data: StructuredView } => {
      const data = makeStructuredView(renderUniform('motion', 'view'));
      return { data, buffer: this.resources.buffer(`view.${mode}`, data.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST) };
    };
    this.views = { arrows: view('arrows'), trails: view('trails') };
  }

  /** Points per slot for a run of n particles. */
  static strideFor(n: number): number {
    return Math.max(1, Math.min(n, MAX_ARROWS));
  }

  get stride(): number {
    return this.ring?.stride ?? 0;
  }

  get ringBuffer(): GPUBuffer | undefined {
    return this.ring?.buffer;
  }

  private ensureRing(stride: number): void {
    if (this.ring?.stride === stride) return;
    this.ring?.buffer.destroy();
    const buffer = this.resources.buffer('ring', MAX_TRAIL * stride * 8, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    const bg = (mode: MotionMode): GPUBindGroup =>
      this.device.createBindGroup({
        label: `MotionPass.bindGroup.${mode}`,
        layout: this.layout,
        entries: [
          { binding: 0, resource: { buffer: this.views[mode].buffer } },
          { binding: 1, resource: { buffer } },
        ],
      });
    this.ring = { buffer, stride, bindGroups: { arrows: bg('arrows'), trails: bg('trails') } };
    this.history.reset();
  }

  /** Before the frame's pass: copy the current positions into the next slot when the step count changed. */
  record(encoder: GPUCommandEncoder, source: object, positions: GPUBuffer, step: number, n: number): void {
    const stride = MotionPass.strideFor(n);
    this.ensureRing(stride);
    const slot = this.history.push(source, step, n);
    if (slot === undefined || !this.ring) return;
    encoder.copyBufferToBuffer(positions, 0, this.ring.buffer, slot * stride * 8, stride * 8);
  }

  /** Byte offset of slot `back` slots before the newest (0: newest). */
  slotOffset(back: number): number {
    const h = this.history;
    return (((h.head - back) % h.slots) + h.slots) % h.slots * this.stride * 8;
  }

  /** Draw arrows or trails into the frame's pass (uniform written before the submit). */
  encode(pass: GPURenderPassEncoder, mode: MotionMode, d: MotionDraw): void {
    const ring = this.ring;
    if (!ring || this.history.head < 0 || d.count < 1 || d.segments < 1) return;
    const v = this.views[mode];
    v.data.set({
      rect: d.rect,
      colour: d.colour,
      px: d.px,
      halfWidth: d.halfWidth,
      headPx: d.headPx,
      gain: d.gain,
      count: Math.min(d.count, ring.stride),
      stride: ring.stride,
      slots: this.history.slots,
      head: this.history.head,
      segments: d.segments,
      images: d.images,
      periodic: d.periodic ? 1 : 0,
      mode: mode === 'arrows' ? 0 : 1,
    });
    this.device.queue.writeBuffer(v.buffer, 0, v.data.arrayBuffer);
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, ring.bindGroups[mode]);
    pass.draw(MOTION_VERTICES, Math.min(d.count, ring.stride) * d.segments * d.images * d.images);
  }

  destroy(): void {
    this.resources.destroy();
    this.ring = undefined;
  }
}

/**
 * Particles drawn straight from the simulation's position buffer (shaders/render/particles.wgsl,
 * through the shader registry): instanced quads, additive blending. The simulation ping-pongs
 * between two buffers, so bind groups are cached per buffer (a WeakMap: a destroyed run's buffers
 * drop out with it). The view uniform's layout is read from the WGSL.
 */
import { makeStructuredView, type StructuredView } from 'webgpu-utils';
import { GpuResources } from '../gpu/buffers';
import { renderShaderModule } from '../gpu/shaders';
import { renderUniform } from '../gpu/structs';
import type { Rect } from './view';

export interface ParticleStyle {
  /** Point radius in device pixels. */
  radiusPx: number;
  colour: [number, number, number];
}

export class ParticlePass {
  private readonly pipeline: GPURenderPipeline;
  private readonly layout: GPUBindGroupLayout;
  private readonly resources: GpuResources;
  private readonly viewBuffer: GPUBuffer;
  private readonly viewData: StructuredView;
  private readonly bindGroups = new WeakMap<GPUBuffer, GPUBindGroup>();

  constructor(private readonly device: GPUDevice, format: GPUTextureFormat, label = 'ParticlePass') {
    this.resources = new GpuResources(device, label);
    this.viewData = makeStructuredView(renderUniform('particles', 'view'));
    const module = renderShaderModule(device, 'particles');
    this.layout = device.createBindGroupLayout({
      label: 'ParticlePass.layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.VERTEX, buffer: { type: 'read-only-storage' } },
      ],
    });
    const add: GPUBlendComponent = { operation: 'add', srcFactor: 'one', dstFactor: 'one' };
    this.pipeline = device.createRenderPipeline({
      label: 'ParticlePass.pipeline',
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.layout] }),
      vertex: { module, entryPoint: 'particles_vs' },
      fragment: { module, entryPoint: 'particles_fs', targets: [{ format, blend: { color: add, alpha: add } }] },
      primitive: { topology: 'triangle-list' },
    });
    this.viewBuffer = this.resources.buffer('view', this.viewData.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  /** images: 1 on the plane; 3 on the torus (each particle also drawn in the 8 neighbouring cells). */
  private images = 1;

  update(rect: Rect, widthPx: number, heightPx: number, n: number, style: ParticleStyle, images = 1): void {
    this.images = images;
    // Fewer, brighter points for small N; many faint ones for large N (additive blending).
    const intensity = Math.min(0.9, Math.max(0.12, 0.9 * Math.sqrt(2048 / Math.max(n, 1))));
    this.viewData.set({
      rect,
      radius: [(2 * style.radiusPx) / Math.max(widthPx, 1), (2 * style.radiusPx) / Math.max(heightPx, 1)],
      intensity,
      count: Math.max(n, 1),
      colour: [...style.colour, 1],
      images,
    });
    this.device.queue.writeBuffer(this.viewBuffer, 0, this.viewData.arrayBuffer);
  }

  encode(pass: GPURenderPassEncoder, positions: GPUBuffer, n: number): void {
    let bg = this.bindGroups.get(positions);
    if (!bg) {
      bg = this.device.createBindGroup({
        label: 'ParticlePass.bindGroup',
        layout: this.layout,
        entries: [
          { binding: 0, resource: { buffer: this.viewBuffer } },
          { binding: 1, resource: { buffer: positions, size: 8 * n } },
        ],
      });
      this.bindGroups.set(positions, bg);
    }
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bg);
    pass.draw(6, n * this.images * this.images);
  }

  destroy(): void {
    this.resources.destroy();
  }
}

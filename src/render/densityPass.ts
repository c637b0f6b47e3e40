/**
 * The density under the particles: shaders/render/density.wgsl (the registry prepends
 * shaders/common/trig.wgsl and targets.wgsl) drawn as one full-screen triangle into a cached
 * texture (at `resolution` x the canvas size), re-rendered only when the target or the view
 * changes; every frame shaders/render/blit.wgsl copies the texture onto the canvas. Owns its
 * target uniform (re-packed on target change); uniform layouts are read from the WGSL.
 */
import type { TargetShader } from '../core/packed';
import { makeStructuredView, type StructuredView } from 'webgpu-utils';
import { GpuResources } from '../gpu/buffers';
import { targetLayout } from '../gpu/layouts';
import { renderShaderModule } from '../gpu/shaders';
import { renderUniform, targetParamsLayout } from '../gpu/structs';
import { packTargetUniform } from '../targets/pack';
import type { TargetInstance } from '../targets/types';
import { densityLogMax } from './densityMax';
import { LandscapeShade } from './landscapeShade';
import type { Rect } from './view';

export class DensityPass {
  private readonly pipelines = new Map<string, GPURenderPipeline>();
  private readonly pipelineFor: (shader: TargetShader | undefined) => GPURenderPipeline;
  private readonly blitPipeline: GPURenderPipeline;
  private readonly blitLayout: GPUBindGroupLayout;
  private readonly sampler: GPUSampler;
  private readonly resources: GpuResources;
  private readonly viewBuffer: GPUBuffer;
  private readonly targetBuffer: GPUBuffer;
  private readonly viewBG: GPUBindGroup;
  private readonly targetBG: GPUBindGroup;
  private readonly viewData: StructuredView;
  private texture: GPUTexture | undefined;
  private blitBG: GPUBindGroup | undefined;
  private lastTarget: TargetInstance | undefined;
  private lastKey = '';
  /** Energy landscapes (issue 10): V is drawn instead of a density (made on first use). */
  private landscape: LandscapeShade | undefined;

  constructor(
    private readonly device: GPUDevice,
    private readonly format: GPUTextureFormat,
    private readonly resolution = 0.5,
  ) {
    this.resources = new GpuResources(device, 'DensityPass');
    this.viewData = makeStructuredView(renderUniform('density', 'view'));
    const viewLayout = device.createBindGroupLayout({
      label: 'DensityPass.viewLayout',
      entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } }],
    });
    // one pipeline per target WGSL: the built-in kinds' (key ''), and a formula target's (PackedTarget.shader, by its key)
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [viewLayout, targetLayout(device)] });
    this.pipelineFor = (shader) => {
      const key = shader?.key ?? '';
      let p = this.pipelines.get(key);
      if (!p) {
        const module = renderShaderModule(device, 'density', shader);
        p = device.createRenderPipeline({
          label: `DensityPass.pipeline${key ? ` (${key.slice(0, 40)})` : ''}`,
          layout: pipelineLayout,
          vertex: { module, entryPoint: 'density_vs' },
          fragment: { module, entryPoint: 'density_fs', targets: [{ format }] },
          primitive: { topology: 'triangle-list' },
        });
        this.pipelines.set(key, p);
      }
      return p;
    };
    this.pipelineFor(undefined);
    const blit = renderShaderModule(device, 'blit');
    this.blitLayout = device.createBindGroupLayout({
      label: 'DensityPass.blitLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.FRAGMENT, texture: { sampleType: 'float' } },
        { binding: 1, visibility: GPUShaderStage.FRAGMENT, sampler: { type: 'filtering' } },
      ],
    });
    this.blitPipeline = device.createRenderPipeline({
      label: 'DensityPass.blitPipeline',
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.blitLayout] }),
      vertex: { module: blit, entryPoint: 'blit_vs' },
      fragment: { module: blit, entryPoint: 'blit_fs', targets: [{ format }] },
      primitive: { topology: 'triangle-list' },
    });
    this.sampler = device.createSampler({ label: 'DensityPass.sampler', magFilter: 'linear', minFilter: 'linear' });
    this.viewBuffer = this.resources.buffer('view', this.viewData.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.targetBuffer = this.resources.buffer('target', targetParamsLayout().bytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.viewBG = device.createBindGroup({ label: 'DensityPass.viewBG', layout: viewLayout, entries: [{ binding: 0, resource: { buffer: this.viewBuffer } }] });
    this.targetBG = device.createBindGroup({ label: 'DensityPass.targetBG', layout: targetLayout(device), entries: [{ binding: 0, resource: { buffer: this.targetBuffer } }] });
  }

  /** Re-render the cached density when the target, view or canvas size changed (no-op otherwise). */
  update(encoder: GPUCommandEncoder, target: TargetInstance, rect: Rect, widthPx: number, heightPx: number): void {
    const w = Math.max(1, Math.round(widthPx * this.resolution));
    const h = Math.max(1, Math.round(heightPx * this.resolution));
    const key = `${rect.join(',')}|${w}x${h}`;
    if (target === this.lastTarget && key === this.lastKey && this.texture) return;
    if (!this.texture || this.texture.width !== w || this.texture.height !== h) {
      this.texture?.destroy();
      this.texture = this.device.createTexture({
        label: 'DensityPass.texture',
        size: [w, h],
        format: this.format,
        usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING,
      });
      this.blitBG = this.device.createBindGroup({
        label: 'DensityPass.blitBG',
        layout: this.blitLayout,
        entries: [
          { binding: 0, resource: this.texture.createView() },
          { binding: 1, resource: this.sampler },
        ],
      });
    }
    if (target.landscape) {
      (this.landscape ??= new LandscapeShade(this.device, this.format)).render(encoder, this.texture.createView(), target.landscape, rect);
      this.lastTarget = target;
      this.lastKey = key;
      return;
    }
    if (target !== this.lastTarget) this.device.queue.writeBuffer(this.targetBuffer, 0, packTargetUniform(target.packed));
    this.viewData.set({ rect, logMax: densityLogMax(target, rect) });
    this.device.queue.writeBuffer(this.viewBuffer, 0, this.viewData.arrayBuffer);
    this.lastTarget = target;
    this.lastKey = key;
    const pass = encoder.beginRenderPass({
      label: 'DensityPass.render',
      colorAttachments: [{ view: this.texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0, g: 0, b: 0, a: 1 } }],
    });
    pass.setPipeline(this.pipelineFor(target.packed.shader));
    pass.setBindGroup(0, this.viewBG);
    pass.setBindGroup(1, this.targetBG);
    pass.draw(3);
    pass.end();
  }

  /** Draw the cached density into the frame's pass. */
  encode(pass: GPURenderPassEncoder): void {
    if (!this.blitBG) return;
    pass.setPipeline(this.blitPipeline);
    pass.setBindGroup(0, this.blitBG);
    pass.draw(3);
  }

  destroy(): void {
    this.landscape?.destroy();
    this.landscape = undefined;
    this.resources.destroy();
    this.texture?.destroy();
    this.texture = undefined;
    this.blitBG = undefined;
  }
}

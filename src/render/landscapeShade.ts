/**
 * The energy landscape under the particles (issue 10): shaders/render/landscape.wgsl (prefixed by
 * shaders/common/landscapes.wgsl) drawn into the DensityPass's cached texture instead of the density,
 * when the target is a landscape (TargetInstance.landscape). Float64 twin of the fragment colour:
 * `landscapeShadeColour` (same formula, same ramp); `landscapeRange` gives vMin and vMax over a
 * coarse grid of the view (the colour scale), like densityLogMax does for densities.
 */
import type { TargetShader } from '../core/packed';
import { GpuResources } from '../gpu/buffers';
import { renderShaderModule } from '../gpu/shaders';
import { LANDSCAPE_UNIFORM_BYTES, landscapeUniform } from '../landscapes/presets';
import { landV, type PackedLandscape } from '../reference/landscapes';
import type { Rect } from './view';

/** Bytes of `LandscapeView` (rect vec4f + 4 f32). */
const VIEW_BYTES = 32;

/** V's minimum and maximum over a grid x grid lattice of cell centres of the view (float64). */
export function landscapeRange(L: PackedLandscape, rect: Rect, grid = 64): { vMin: number; vMax: number } {
  const [x0, x1, y0, y1] = rect;
  let vMin = Infinity, vMax = -Infinity;
  for (let j = 0; j < grid; j++) {
    const y = y0 + ((j + 0.5) / grid) * (y1 - y0);
    for (let i = 0; i < grid; i++) {
      const v = landV(L, x0 + ((i + 0.5) / grid) * (x1 - x0), y);
      if (Number.isFinite(v)) {
        vMin = Math.min(vMin, v);
        vMax = Math.max(vMax, v);
      }
    }
  }
  if (!Number.isFinite(vMin)) return { vMin: 0, vMax: 1 };
  return { vMin, vMax: vMax > vMin ? vMax : vMin + 1 };
}

const RAMP: [number, number, number][] = [[0.035, 0.043, 0.07], [0.07, 0.16, 0.36], [0.11, 0.47, 0.56], [0.56, 0.86, 0.8]];
const mix3 = (a: [number, number, number], b: [number, number, number], t: number): [number, number, number] => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Twin of landscape_fs: the linear RGB colour at world point (x, y) for the scale (vMin, vScale = 1 / (vMax - vMin)). */
export function landscapeShadeColour(L: PackedLandscape, x: number, y: number, vMin: number, vScale: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, (landV(L, x, y) - vMin) * vScale));
  const band = Math.abs(u * 12 - Math.floor(u * 12) - 0.5);
  const line = smoothstep(0.46, 0.5, band) * 0.2;
  const t = 1 - Math.sqrt(u);
  const [c0, c1, c2, c3] = RAMP as [typeof RAMP[0], typeof RAMP[0], typeof RAMP[0], typeof RAMP[0]];
  const c = t < 0.33 ? mix3(c0, c1, t / 0.33) : t < 0.66 ? mix3(c1, c2, (t - 0.33) / 0.33) : mix3(c2, c3, (t - 0.66) / 0.34);
  return [c[0] + line, c[1] + line, c[2] + line];
}

export class LandscapeShade {
  private readonly res: GpuResources;
  /** One pipeline per landscape WGSL: the built-in kinds' (key ''), and a formula landscape's (PackedLandscape.shader, by its key). */
  private readonly pipelines = new Map<string, GPURenderPipeline>();
  private readonly pipelineFor: (shader: TargetShader | undefined) => GPURenderPipeline;
  private readonly viewBuffer: GPUBuffer;
  private readonly landBuffer: GPUBuffer;
  private readonly viewBG: GPUBindGroup;
  private readonly landBG: GPUBindGroup;

  constructor(private readonly device: GPUDevice, format: GPUTextureFormat) {
    this.res = new GpuResources(device, 'LandscapeShade');
    const layout = (label: string): GPUBindGroupLayout =>
      device.createBindGroupLayout({ label, entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } }] });
    const viewLayout = layout('LandscapeShade.viewLayout');
    const landLayout = layout('LandscapeShade.landLayout');
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [viewLayout, landLayout] });
    this.pipelineFor = (shader) => {
      const key = shader?.key ?? '';
      let p = this.pipelines.get(key);
      if (!p) {
        const module = renderShaderModule(device, 'landscape', shader);
        p = device.createRenderPipeline({
          label: `LandscapeShade.pipeline${key ? ` (${key.slice(0, 40)})` : ''}`,
          layout: pipelineLayout,
          vertex: { module, entryPoint: 'landscape_vs' },
          fragment: { module, entryPoint: 'landscape_fs', targets: [{ format }] },
          primitive: { topology: 'triangle-list' },
        });
        this.pipelines.set(key, p);
      }
      return p;
    };
    this.pipelineFor(undefined);
    const U = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
    this.viewBuffer = this.res.buffer('view', VIEW_BYTES, U);
    this.landBuffer = this.res.buffer('landscape', LANDSCAPE_UNIFORM_BYTES, U);
    this.viewBG = device.createBindGroup({ label: 'LandscapeShade.viewBG', layout: viewLayout, entries: [{ binding: 0, resource: { buffer: this.viewBuffer } }] });
    this.landBG = device.createBindGroup({ label: 'LandscapeShade.landBG', layout: landLayout, entries: [{ binding: 0, resource: { buffer: this.landBuffer } }] });
  }

  /** Render V over `rect` into `target` (cleared first). Returns the colour scale used. */
  render(encoder: GPUCommandEncoder, target: GPUTextureView, L: PackedLandscape, rect: Rect): { vMin: number; vScale: number } {
    const { vMin, vMax } = landscapeRange(L, rect);
    const vScale = 1 / (vMax - vMin);
    this.device.queue.writeBuffer(this.viewBuffer, 0, new Float32Array([rect[0], rect[1], rect[2], rect[3], vMin, vScale, 0, 0]));
    this.device.queue.writeBuffer(this.landBuffer, 0, landscapeUniform(L));
    const pass = encoder.beginRenderPass({
      label: 'LandscapeShade.render',
      colorAttachments: [{ view: target, loadOp: 'clear', storeOp: 'store', clearValue: { r: 0, g: 0, b: 0, a: 1 } }],
    });
    pass.setPipeline(this.pipelineFor(L.shader));
    pass.setBindGroup(0, this.viewBG);
    pass.setBindGroup(1, this.landBG);
    pass.draw(3);
    pass.end();
    return { vMin, vScale };
  }

  destroy(): void {
    this.res.destroy();
  }
}

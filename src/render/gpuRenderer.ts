/**
 * WebGPU renderer for GPU runs: one render pass per frame, the density (full-screen shader) then
 * the particles straight from the simulation's position buffer. Shares the backend's device.
 * Sample-only targets have no density: their target cloud is drawn instead (sky blue points).
 * Draws any ParticleSource that has a position buffer (GPU runs); others are skipped.
 */
import { createBuffer } from '../gpu/buffers';
import type { TargetInstance } from '../targets/types';
import { DensityPass } from './densityPass';
import { CLOUD_STYLE, displayCloud } from './displayCloud';
import { ParticlePass } from './particlePass';
import { PARTICLE_STYLE } from './particleStyle';
import type { ParticleSource, Renderer } from './types';
import { fitView, viewRect, type View } from './view';

export class GpuRenderer implements Renderer {
  private readonly context: GPUCanvasContext;
  private readonly density: DensityPass;
  private readonly particles: ParticlePass;
  private readonly cloudPass: ParticlePass;
  private cloud: { points: Float32Array<ArrayBuffer>; buffer: GPUBuffer } | undefined;
  private view: View = fitView([-4, 4, -4, 4], 1, 1);
  private destroyed = false;
  private inFlight = false;

  constructor(private readonly device: GPUDevice, private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('webgpu');
    if (!ctx) throw new Error('this canvas has no WebGPU context');
    this.context = ctx;
    const format = navigator.gpu.getPreferredCanvasFormat();
    ctx.configure({ device, format, alphaMode: 'opaque' });
    this.density = new DensityPass(device, format);
    this.particles = new ParticlePass(device, format, 'GpuRenderer.particles');
    this.cloudPass = new ParticlePass(device, format, 'GpuRenderer.cloud');
  }

  /** The target cloud's vertex buffer (re-uploaded when the cloud changes). */
  private cloudBuffer(points: Float32Array<ArrayBuffer>): GPUBuffer {
    if (this.cloud?.points === points) return this.cloud.buffer;
    if (this.cloud && this.cloud.buffer.size < points.byteLength) {
      this.cloud.buffer.destroy();
      this.cloud = undefined;
    }
    const buffer = this.cloud?.buffer ?? createBuffer(this.device, 'GpuRenderer.targetCloud', points.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, points);
    this.cloud = { points, buffer };
    return buffer;
  }

  setView(view: View): void {
    this.view = view;
  }

  draw(sim: ParticleSource, target: TargetInstance): void {
    // Frame pacing: a software GPU can be slower than rAF; never queue a frame behind another.
    if (this.destroyed || this.inFlight) return;
    const positions = sim.getPositionBuffer?.();
    if (!positions) return;
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.canvas.clientWidth;
    const cssH = this.canvas.clientHeight;
    const w = Math.max(1, Math.round(cssW * dpr));
    const h = Math.max(1, Math.round(cssH * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const rect = viewRect(this.view, cssW, cssH);
    const enc = this.device.createCommandEncoder({ label: 'GpuRenderer.frame' });
    const cloud = target.sampleOnly ? displayCloud(target, sim.config) : undefined;
    if (!target.sampleOnly) this.density.update(enc, target, rect, w, h);
    if (cloud) this.cloudPass.update(rect, w, h, cloud.length / 2, { ...CLOUD_STYLE, radiusPx: CLOUD_STYLE.radiusPx * dpr });
    this.particles.update(rect, w, h, sim.n, { ...PARTICLE_STYLE, radiusPx: PARTICLE_STYLE.radiusPx * dpr }, sim.config.domain === 'torus' ? 3 : 1);
    const pass = enc.beginRenderPass({
      label: 'GpuRenderer.pass',
      colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0.035, g: 0.043, b: 0.07, a: 1 } }],
    });
    if (!target.sampleOnly) this.density.encode(pass);
    if (cloud) this.cloudPass.encode(pass, this.cloudBuffer(cloud), cloud.length / 2);
    this.particles.encode(pass, positions, sim.n);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    this.inFlight = true;
    void this.device.queue.onSubmittedWorkDone().finally(() => {
      this.inFlight = false;
    });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.density.destroy();
    this.particles.destroy();
    this.cloudPass.destroy();
    this.cloud?.buffer.destroy();
    this.context.unconfigure();
  }
}

/**
 * WebGPU renderer for GPU runs: one render pass per frame, the density (full-screen shader) then
 * the particles straight from the simulation's position buffer. Shares the backend's device.
 */
import { GpuSimulation } from '../engine/gpuSimulation';
import type { Simulation } from '../engine/types';
import type { TargetInstance } from '../targets/types';
import { DensityPass } from './densityPass';
import { ParticlePass } from './particlePass';
import { PARTICLE_STYLE } from './particleStyle';
import type { Renderer } from './types';
import { fitView, viewRect, type View } from './view';

export class GpuRenderer implements Renderer {
  private readonly context: GPUCanvasContext;
  private readonly density: DensityPass;
  private readonly particles: ParticlePass;
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
    this.particles = new ParticlePass(device, format);
  }

  setView(view: View): void {
    this.view = view;
  }

  draw(sim: Simulation, target: TargetInstance): void {
    // Frame pacing: a software GPU can be slower than rAF; never queue a frame behind another.
    if (this.destroyed || this.inFlight || !(sim instanceof GpuSimulation)) return;
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
    this.density.update(enc, target, rect, w, h);
    this.particles.update(rect, w, h, sim.n, { ...PARTICLE_STYLE, radiusPx: PARTICLE_STYLE.radiusPx * dpr });
    const pass = enc.beginRenderPass({
      label: 'GpuRenderer.pass',
      colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0.035, g: 0.043, b: 0.07, a: 1 } }],
    });
    this.density.encode(pass);
    this.particles.encode(pass, sim.getPositionBuffer(), sim.n);
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
    this.context.unconfigure();
  }
}

/**
 * WebGPU renderer for GPU runs: one render pass per frame, the density (full-screen shader) then
 * the particles straight from the simulation's position buffer. Shares the backend's device.
 * Sample-only targets have no density: their target cloud is drawn instead (sky blue points).
 * Draws any ParticleSource that has a position buffer (GPU runs); others are skipped.
 * Layers (layers.ts) switch the density, the target cloud, velocity arrows and trails (motionPass.ts:
 * a ring of position copies made on the GPU). While histograms or arrows are on, a positions sample
 * (the first MAX_SAMPLE particles, plus the arrow subset's two newest ring slots) is copied into one
 * staging buffer in a frame's encoder every SAMPLE_EVERY_MS and read back: never per frame.
 */
import { createBuffer, Readback } from '../gpu/buffers';
import type { TargetInstance } from '../targets/types';
import { DensityPass } from './densityPass';
import { CLOUD_STYLE, displayCloud } from './displayCloud';
import { DEFAULT_LAYERS, MAX_SAMPLE, SAMPLE_EVERY_MS, type Layers, type ParticleSample } from './layers';
import { ARROW_COLOUR, arrowMagnification, MAX_ARROWS, MAX_TRAIL_PARTICLES, rmsStep, TRAIL_COLOUR } from './motion';
import { MotionPass } from './motionPass';
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
  private readonly motion: MotionPass;
  private layers: Layers = DEFAULT_LAYERS;
  private listener: ((s: ParticleSample) => void) | undefined;
  private sampler: { read: Readback; count: number; stride: number } | undefined;
  private sampleBusy = false;
  private lastSampleAt = -Infinity;
  /** RMS displacement per step of the arrow subset, from the last sample. */
  private rms: number | undefined;
  private last: { sim: ParticleSource; target: TargetInstance } | undefined;

  constructor(private readonly device: GPUDevice, private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('webgpu');
    if (!ctx) throw new Error('this canvas has no WebGPU context');
    this.context = ctx;
    const format = navigator.gpu.getPreferredCanvasFormat();
    ctx.configure({ device, format, alphaMode: 'opaque' });
    this.density = new DensityPass(device, format);
    this.particles = new ParticlePass(device, format, 'GpuRenderer.particles');
    this.cloudPass = new ParticlePass(device, format, 'GpuRenderer.cloud');
    this.motion = new MotionPass(device, format);
  }

  setLayers(layers: Layers): void {
    // arrows and trails off: the ring starts over when they come back (no stale slots)
    if (!layers.arrows && !layers.trails) this.motion.history.reset();
    this.layers = layers;
  }

  setSampleListener(listener: ((s: ParticleSample) => void) | undefined): void {
    this.listener = listener;
  }

  redraw(): boolean {
    if (!this.last || this.destroyed) return false;
    return this.frame(this.last.sim, this.last.target, true);
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
    this.frame(sim, target, false);
  }

  /** The staging buffer for samples, sized for this run (reallocated only when N changes). */
  private samplerFor(n: number): NonNullable<GpuRenderer['sampler']> {
    const count = Math.min(n, MAX_SAMPLE);
    const stride = MotionPass.strideFor(n);
    if (this.sampler && this.sampler.count === count && this.sampler.stride === stride) return this.sampler;
    this.sampler?.read.destroy();
    this.sampler = { read: new Readback(this.device, 'GpuRenderer.sample', (count + 2 * stride) * 8), count, stride };
    return this.sampler;
  }

  /** One frame; `force` draws even while the previous frame is in flight (a screenshot). */
  private frame(sim: ParticleSource, target: TargetInstance, force: boolean): boolean {
    // Frame pacing: a software GPU can be slower than rAF; never queue a frame behind another.
    if (this.destroyed || (this.inFlight && !force)) return false;
    const positions = sim.getPositionBuffer?.();
    if (!positions) return false;
    this.last = { sim, target };
    const L = this.layers;
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
    const torus = sim.config.domain === 'torus';
    const images = torus ? 3 : 1;
    const enc = this.device.createCommandEncoder({ label: 'GpuRenderer.frame' });
    const cloud = target.sampleOnly && L.targetSamples ? displayCloud(target, sim.config) : undefined;
    const density = !target.sampleOnly && L.density;
    const moving = L.arrows || L.trails;
    if (moving) this.motion.record(enc, sim, positions, sim.stepCount, sim.n);
    if (density) this.density.update(enc, target, rect, w, h);
    if (cloud) this.cloudPass.update(rect, w, h, cloud.length / 2, { ...CLOUD_STYLE, radiusPx: CLOUD_STYLE.radiusPx * dpr });
    this.particles.update(rect, w, h, sim.n, { ...PARTICLE_STYLE, radiusPx: PARTICLE_STYLE.radiusPx * dpr }, images);
    const pass = enc.beginRenderPass({
      label: 'GpuRenderer.pass',
      colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0.035, g: 0.043, b: 0.07, a: 1 } }],
    });
    if (density) this.density.encode(pass);
    if (cloud) this.cloudPass.encode(pass, this.cloudBuffer(cloud), cloud.length / 2);
    const hist = this.motion.history;
    const common = { rect, px: [2 / w, 2 / h] as [number, number], images, periodic: torus };
    if (L.trails) {
      this.motion.encode(pass, 'trails', { ...common, colour: TRAIL_COLOUR, halfWidth: 0.55 * dpr, headPx: 0, gain: 0, count: Math.min(sim.n, MAX_TRAIL_PARTICLES), segments: hist.trailSegments(L.trailLength) });
    }
    this.particles.encode(pass, positions, sim.n);
    const mag = arrowMagnification(this.rms, this.view.scale);
    if (L.arrows && mag !== undefined && hist.stepsBetween > 0) {
      this.motion.encode(pass, 'arrows', { ...common, colour: ARROW_COLOUR, halfWidth: 0.6 * dpr, headPx: 5 * dpr, gain: mag / hist.stepsBetween, count: Math.min(sim.n, MAX_ARROWS), segments: 1 });
    }
    pass.end();
    const sample = this.queueSample(enc, sim, positions);
    this.device.queue.submit([enc.finish()]);
    sample?.();
    this.inFlight = true;
    void this.device.queue.onSubmittedWorkDone().finally(() => {
      this.inFlight = false;
    });
    return true;
  }

  /** Every SAMPLE_EVERY_MS while histograms or arrows are on: copy the sample; returns what to run after the submit. */
  private queueSample(enc: GPUCommandEncoder, sim: ParticleSource, positions: GPUBuffer): (() => void) | undefined {
    const L = this.layers;
    const now = performance.now();
    if (!(L.histograms || L.arrows) || this.sampleBusy || now - this.lastSampleAt < SAMPLE_EVERY_MS) return undefined;
    const s = this.samplerFor(sim.n);
    const hist = this.motion.history;
    const steps = L.arrows ? hist.stepsBetween : 0;
    enc.copyBufferToBuffer(positions, 0, s.read.buffer, 0, s.count * 8);
    const ring = this.motion.ringBuffer;
    if (steps > 0 && ring && this.motion.stride === s.stride) {
      enc.copyBufferToBuffer(ring, this.motion.slotOffset(0), s.read.buffer, s.count * 8, s.stride * 8);
      enc.copyBufferToBuffer(ring, this.motion.slotOffset(1), s.read.buffer, (s.count + s.stride) * 8, s.stride * 8);
    }
    this.sampleBusy = true;
    this.lastSampleAt = now;
    const step = sim.stepCount;
    const n = sim.n;
    const periodic = sim.config.domain === 'torus';
    return () => {
      void s.read
        .read()
        .then((buf) => {
          if (!buf || this.destroyed) return;
          const points = new Float32Array(buf, 0, 2 * s.count);
          if (steps > 0) {
            const r = rmsStep(new Float32Array(buf, s.count * 8, 2 * s.stride), new Float32Array(buf, (s.count + s.stride) * 8, 2 * s.stride), s.stride, steps, periodic);
            if (r !== undefined) this.rms = r;
          }
          this.listener?.({ points, count: s.count, n, step, periodic, rmsStep: this.rms });
        })
        .catch((e: unknown) => console.warn('sample read failed', e))
        .finally(() => {
          this.sampleBusy = false;
        });
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.density.destroy();
    this.particles.destroy();
    this.cloudPass.destroy();
    this.motion.destroy();
    this.sampler?.read.destroy();
    this.cloud?.buffer.destroy();
    this.context.unconfigure();
  }
}

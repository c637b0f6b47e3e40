/**
 * Canvas 2D renderer for CPU runs (or when WebGPU is missing): the density evaluated on a coarse
 * grid with the float64 TargetInstance (recomputed only when the target or view changes), then the
 * particles from the CPU engine's own array (no copy through the GPU): any ParticleSource with
 * `positions64` (CPU runs); others are skipped. Arrows and trails are drawn from a ring of copies
 * of the first particles (motion.ts: the same geometry as shaders/render/motion.wgsl), histograms
 * get a positions sample every SAMPLE_EVERY_MS.
 */
import type { TargetInstance } from '../targets/types';
import { densityLogMax } from './densityMax';
import { CLOUD_STYLE, displayCloud } from './displayCloud';
import { DEFAULT_LAYERS, MAX_SAMPLE, SAMPLE_EVERY_MS, type Layers, type ParticleSample } from './layers';
import { ARROW_COLOUR, arrowMagnification, MAX_ARROWS, MAX_TRAIL, MAX_TRAIL_PARTICLES, motionSegment, MotionHistory, rmsStep, TRAIL_COLOUR, type MotionParams } from './motion';
import { PARTICLE_STYLE } from './particleStyle';
import type { ParticleSource, Renderer } from './types';
import { fitView, viewRect, type View } from './view';

const STOPS: [number, [number, number, number]][] = [
  [0, [9, 11, 18]],
  [0.33, [18, 41, 92]],
  [0.66, [28, 120, 143]],
  [1, [143, 219, 204]],
];

function colour(t: number): [number, number, number] {
  for (let k = 1; k < STOPS.length; k++) {
    const a = STOPS[k - 1];
    const b = STOPS[k];
    if (!a || !b) break;
    if (t <= b[0]) {
      const u = (t - a[0]) / (b[0] - a[0]);
      return [a[1][0] + u * (b[1][0] - a[1][0]), a[1][1] + u * (b[1][1] - a[1][1]), a[1][2] + u * (b[1][2] - a[1][2])];
    }
  }
  return STOPS[STOPS.length - 1]?.[1] ?? [255, 255, 255];
}

export class CanvasRenderer implements Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly densityCanvas = document.createElement('canvas');
  private view: View = fitView([-4, 4, -4, 4], 1, 1);
  private lastTarget: TargetInstance | undefined;
  private lastKey = '';
  private layers: Layers = DEFAULT_LAYERS;
  private listener: ((s: ParticleSample) => void) | undefined;
  private readonly history = new MotionHistory(MAX_TRAIL);
  private ring = new Float64Array(0);
  private stride = 0;
  private lastPushed = -1;
  private lastSource: ParticleSource | undefined;
  private lastSampleAt = -Infinity;
  private rms: number | undefined;
  private last: { sim: ParticleSource; target: TargetInstance } | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this canvas has no 2D context');
    this.ctx = ctx;
  }

  setView(view: View): void {
    this.view = view;
  }

  setLayers(layers: Layers): void {
    if (!layers.arrows && !layers.trails) this.history.reset();
    this.layers = layers;
  }

  setSampleListener(listener: ((s: ParticleSample) => void) | undefined): void {
    this.listener = listener;
  }

  redraw(): boolean {
    if (!this.last) return false;
    this.draw(this.last.sim, this.last.target);
    return true;
  }

  /** Copy the first particles into the next ring slot when they changed (the worker's positions lag its step count). */
  private record(sim: ParticleSource, x: Float64Array): void {
    const stride = Math.max(1, Math.min(sim.n, MAX_ARROWS));
    if (stride !== this.stride) {
      this.stride = stride;
      this.ring = new Float64Array(MAX_TRAIL * stride * 2);
      this.history.reset();
    }
    const h = this.history;
    const same = sim === this.lastSource && h.head >= 0;
    if (same) {
      const o = 2 * h.head * stride;
      let equal = true;
      for (let i = 0; i < 2 * stride && equal; i++) equal = this.ring[o + i] === x[i];
      if (equal) return;
    }
    // changed positions under an unchanged step count (the worker's count runs ahead) still make a slot
    const step = same ? Math.max(sim.stepCount, this.lastPushed + 1) : sim.stepCount;
    const slot = h.push(sim, step, sim.n);
    if (slot === undefined) return;
    this.lastSource = sim;
    this.lastPushed = step;
    this.ring.set(x.subarray(0, 2 * stride), 2 * slot * stride);
  }

  private sample(sim: ParticleSource, x: Float64Array): void {
    const L = this.layers;
    const now = performance.now();
    if (!(L.histograms || L.arrows) || now - this.lastSampleAt < SAMPLE_EVERY_MS) return;
    this.lastSampleAt = now;
    const periodic = sim.config.domain === 'torus';
    const h = this.history;
    if (L.arrows && h.stepsBetween > 0) {
      const s = this.stride;
      const prev = (h.head + h.slots - 1) % h.slots;
      const r = rmsStep(this.ring.subarray(2 * h.head * s, 2 * (h.head + 1) * s), this.ring.subarray(2 * prev * s, 2 * (prev + 1) * s), s, h.stepsBetween, periodic);
      if (r !== undefined) this.rms = r;
    }
    const count = Math.min(sim.n, MAX_SAMPLE);
    this.listener?.({ points: x.slice(0, 2 * count), count, n: sim.n, step: sim.stepCount, periodic, rmsStep: this.rms });
  }

  /** Arrows or trails through the float64 twin of motion.wgsl's segment geometry. */
  private drawMotion(mode: 'arrows' | 'trails', sim: ParticleSource, toPx: (x: number, y: number) => [number, number], dpr: number): void {
    const h = this.history;
    const torus = sim.config.domain === 'torus';
    const ctx = this.ctx;
    const segments = mode === 'arrows' ? 1 : h.trailSegments(this.layers.trailLength);
    const mag = arrowMagnification(this.rms, this.view.scale);
    if (segments < 1 || h.head < 0 || (mode === 'arrows' && (mag === undefined || h.stepsBetween <= 0))) return;
    const m: Pick<MotionParams, 'stride' | 'slots' | 'head' | 'segments' | 'gain' | 'periodic' | 'mode'> = {
      stride: this.stride, slots: h.slots, head: h.head, segments, gain: mode === 'arrows' ? (mag ?? 0) / h.stepsBetween : 0, periodic: torus, mode,
    };
    const count = Math.min(sim.n, mode === 'arrows' ? MAX_ARROWS : MAX_TRAIL_PARTICLES, this.stride);
    const [r, g, b, a] = mode === 'arrows' ? ARROW_COLOUR : TRAIL_COLOUR;
    const css = (alpha: number): string => `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${alpha})`;
    ctx.lineWidth = (mode === 'arrows' ? 1.2 : 1.1) * dpr;
    const head = 5 * dpr;
    const shifts = torus ? [-1, 0, 1] : [0];
    for (let seg = 0; seg < segments; seg++) {
      const fade = 1 - seg / Math.max(segments, 1);
      ctx.strokeStyle = css(a * fade);
      ctx.fillStyle = css(a * fade);
      ctx.beginPath();
      const heads: [number, number, number, number][] = [];
      for (const ox of shifts) for (const oy of shifts) {
        for (let p = 0; p < count; p++) {
          const s = motionSegment(this.ring, m, p, seg);
          const [ax, ay] = toPx(s.a[0] + ox, s.a[1] + oy);
          const [bx, by] = toPx(s.b[0] + ox, s.b[1] + oy);
          const len = Math.hypot(bx - ax, by - ay);
          if (!(len > 1e-4 && len < 1e7)) continue;
          const hd = mode === 'arrows' ? Math.min(head, 0.5 * len) : 0;
          const ux = (bx - ax) / len;
          const uy = (by - ay) / len;
          ctx.moveTo(ax, ay);
          ctx.lineTo(bx - ux * hd, by - uy * hd);
          if (hd > 0) heads.push([bx, by, ux, uy]);
        }
      }
      ctx.stroke();
      if (heads.length > 0) {
        ctx.beginPath();
        for (const [bx, by, ux, uy] of heads) {
          const hd = head;
          ctx.moveTo(bx, by);
          ctx.lineTo(bx - ux * hd - uy * hd * 0.5, by - uy * hd + ux * hd * 0.5);
          ctx.lineTo(bx - ux * hd + uy * hd * 0.5, by - uy * hd - ux * hd * 0.5);
          ctx.closePath();
        }
        ctx.fill();
      }
    }
  }

  private renderDensity(target: TargetInstance, cssW: number, cssH: number): void {
    const rect = viewRect(this.view, cssW, cssH);
    const key = `${rect.join(',')}`;
    if (target === this.lastTarget && key === this.lastKey) return;
    this.lastTarget = target;
    this.lastKey = key;
    const gw = 200;
    const gh = Math.max(1, Math.round((gw * cssH) / Math.max(cssW, 1)));
    this.densityCanvas.width = gw;
    this.densityCanvas.height = gh;
    const dctx = this.densityCanvas.getContext('2d');
    if (!dctx) return;
    const img = dctx.createImageData(gw, gh);
    const lmax = densityLogMax(target, rect);
    const [x0, x1, y0, y1] = rect;
    for (let j = 0; j < gh; j++) {
      const y = y1 - ((j + 0.5) / gh) * (y1 - y0);
      for (let i = 0; i < gw; i++) {
        const x = x0 + ((i + 0.5) / gw) * (x1 - x0);
        const lp = target.logDensity(x, y) - lmax;
        const d = Number.isFinite(lp) ? Math.exp(Math.min(0, Math.max(-60, lp))) : 0;
        const [r, g, b] = colour(Math.sqrt(d));
        const o = 4 * (j * gw + i);
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    }
    dctx.putImageData(img, 0, 0);
  }

  draw(sim: ParticleSource, target: TargetInstance): void {
    if (!sim.positions64) return;
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
    const ctx = this.ctx;
    ctx.globalCompositeOperation = 'source-over';
    const [x0, x1, y0, y1] = viewRect(this.view, cssW, cssH);
    const sx = w / (x1 - x0);
    const sy = h / (y1 - y0);
    if (target.sampleOnly || !L.density) {
      // no density: the target cloud, sky blue, under the particles
      ctx.fillStyle = 'rgb(9, 11, 18)';
      ctx.fillRect(0, 0, w, h);
      const cloud = target.sampleOnly && L.targetSamples ? displayCloud(target, sim.config) : undefined;
      if (cloud) {
        const [cr, cg, cb] = CLOUD_STYLE.colour;
        ctx.fillStyle = `rgba(${Math.round(cr * 255)}, ${Math.round(cg * 255)}, ${Math.round(cb * 255)}, 0.55)`;
        const s = Math.max(1, CLOUD_STYLE.radiusPx * dpr);
        for (let i = 0; i < cloud.length / 2; i++) {
          const px = ((cloud[2 * i] ?? NaN) - x0) * sx;
          const py = (y1 - (cloud[2 * i + 1] ?? NaN)) * sy;
          if (px > -s && px < w + s && py > -s && py < h + s) ctx.fillRect(px - s / 2, py - s / 2, s, s);
        }
      }
    } else {
      this.renderDensity(target, cssW, cssH);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.densityCanvas, 0, 0, w, h);
    }
    const x = sim.positions64();
    if (L.arrows || L.trails) this.record(sim, x);
    const toPx = (wx: number, wy: number): [number, number] => [(wx - x0) * sx, (y1 - wy) * sy];
    if (L.trails) this.drawMotion('trails', sim, toPx, dpr);
    const [r, g, b] = PARTICLE_STYLE.colour;
    const alpha = Math.min(0.9, Math.max(0.12, 0.9 * Math.sqrt(2048 / Math.max(sim.n, 1))));
    ctx.globalCompositeOperation = 'lighter';
    ctx.fillStyle = `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${alpha})`;
    const size = Math.max(1, PARTICLE_STYLE.radiusPx * dpr * 1.4);
    // on the torus, each particle also at its periodic images in the 8 neighbouring cells
    const shifts = sim.config.domain === 'torus' ? [-1, 0, 1] : [0];
    for (const ox of shifts) for (const oy of shifts) {
      for (let i = 0; i < sim.n; i++) {
        const px = ((x[2 * i] ?? NaN) + ox - x0) * sx;
        const py = (y1 - (x[2 * i + 1] ?? NaN) - oy) * sy;
        if (px > -size && px < w + size && py > -size && py < h + size) ctx.fillRect(px - size / 2, py - size / 2, size, size);
      }
    }
    ctx.globalCompositeOperation = 'source-over';
    if (L.arrows) this.drawMotion('arrows', sim, toPx, dpr);
    this.sample(sim, x);
  }

  destroy(): void {
    this.lastTarget = undefined;
  }
}

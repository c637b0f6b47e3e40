/**
 * Canvas 2D renderer for CPU runs (or when WebGPU is missing): the density evaluated on a coarse
 * grid with the float64 TargetInstance (recomputed only when the target or view changes), then the
 * particles from the CPU engine's own array (no copy through the GPU): any ParticleSource with
 * `positions64` (CPU runs); others are skipped.
 */
import type { TargetInstance } from '../targets/types';
import { densityLogMax } from './densityMax';
import { CLOUD_STYLE, displayCloud } from './displayCloud';
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

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this canvas has no 2D context');
    this.ctx = ctx;
  }

  setView(view: View): void {
    this.view = view;
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
    if (target.sampleOnly) {
      // no density: the target cloud, sky blue, under the particles
      ctx.fillStyle = 'rgb(9, 11, 18)';
      ctx.fillRect(0, 0, w, h);
      const cloud = displayCloud(target, sim.config);
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
  }

  destroy(): void {
    this.lastTarget = undefined;
  }
}

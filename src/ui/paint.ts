/**
 * A density painted with a brush: an intensity grid (GRID columns, rows to match the view's
 * aspect) over the world rectangle the first stroke started in. Pure data + a preview image.
 */
import type { Rect } from '../render/view';

export const GRID = 128;

export class PaintGrid {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
  /** Strokes so far (the preview redraws when it changes). */
  version = 0;

  constructor(readonly rect: Rect) {
    const [x0, x1, y0, y1] = rect;
    this.width = GRID;
    this.height = Math.max(8, Math.min(4 * GRID, Math.round((GRID * (y1 - y0)) / Math.max(x1 - x0, 1e-12))));
    this.data = new Float32Array(this.width * this.height);
  }

  /** Add a soft round dab (Gaussian profile, radius in world units) at (x, y); intensity caps at 1. */
  dab(x: number, y: number, radius: number, strength = 0.35): void {
    const [x0, x1, y0, y1] = this.rect;
    const cw = (x1 - x0) / this.width;
    const ch = (y1 - y0) / this.height;
    const ci = (x - x0) / cw;
    const cj = (y1 - y) / ch;
    const ri = radius / cw;
    const rj = radius / ch;
    for (let j = Math.max(0, Math.floor(cj - rj)); j <= Math.min(this.height - 1, Math.ceil(cj + rj)); j++) {
      for (let i = Math.max(0, Math.floor(ci - ri)); i <= Math.min(this.width - 1, Math.ceil(ci + ri)); i++) {
        const d2 = ((i + 0.5 - ci) / ri) ** 2 + ((j + 0.5 - cj) / rj) ** 2;
        if (d2 > 1) continue;
        const p = j * this.width + i;
        this.data[p] = Math.min(1, (this.data[p] ?? 0) + strength * Math.exp(-3 * d2));
      }
    }
    this.version++;
  }

  /** Dabs along the segment (a, b), spaced at half the radius. */
  stroke(ax: number, ay: number, bx: number, by: number, radius: number): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / (0.5 * radius)));
    for (let k = 1; k <= steps; k++) this.dab(ax + ((bx - ax) * k) / steps, ay + ((by - ay) * k) / steps, radius);
  }

  mass(): number {
    let s = 0;
    for (const v of this.data) s += v;
    return s;
  }

  /** The grid as RGBA (warm, alpha = intensity) for the on-canvas preview. */
  preview(): ImageData {
    const img = new ImageData(this.width, this.height);
    for (let p = 0; p < this.data.length; p++) {
      const v = this.data[p] ?? 0;
      img.data[4 * p] = 255;
      img.data[4 * p + 1] = 120 + Math.round(100 * v);
      img.data[4 * p + 2] = 200;
      img.data[4 * p + 3] = Math.round(200 * Math.sqrt(v));
    }
    return img;
  }
}

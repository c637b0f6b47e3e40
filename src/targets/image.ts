/**
 * A target cloud from an image or a painted canvas: pixel intensity read as a probability density
 * (METHODS.md "Built-in targets": "an uploaded image (pixel intensity as density), a painted density").
 *
 *   P(pixel p) = w_p / sum_q w_q,   w_p = g_p (bright = mass, the default) or 1 - g_p (invert: dark = mass)
 *   x = (col + u, row + v) mapped to the view, u, v ~ U[0, 1): uniform inside the chosen pixel
 *
 * so the cloud is an exact sample of the piecewise-constant density the image defines. The image keeps
 * its aspect ratio: its longer side spans the view (default [-4, 4]^2), centred; y points up (row 0 is the top).
 * g is the grey level in [0, 1]: Uint8Array / Uint8ClampedArray hold 0..255 (divided by 255), a
 * Float32Array holds [0, 1] (any value >= 0 is accepted without `invert`). Sampling is by inverse CDF
 * (binary search on the cumulative weights) with the seeded Philox Rng. Pure: no DOM; the browser
 * decodes uploads with createImageBitmap and a canvas' getImageData, then calls grayFromRGBA.
 */
import type { Rng } from '../reference/philox';

export type View = [number, number, number, number];

export const IMAGE_VIEW: View = [-4, 4, -4, 4];

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`image size must be positive integers, got ${width} x ${height}`);
  }
}

/**
 * Grey levels in [0, 1] from RGBA bytes (length 4 w h, as ImageData.data): Rec. 709 luma
 * 0.2126 R + 0.7152 G + 0.0722 B, composited over `background` (0 black, 1 white) by alpha, so a
 * transparent pixel reads as the background.
 */
export function grayFromRGBA(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, background = 0): Float32Array {
  checkSize(width, height);
  if (rgba.length !== 4 * width * height) {
    throw new Error(`RGBA data has ${rgba.length} bytes, expected 4 x ${width} x ${height} = ${4 * width * height}`);
  }
  if (!(background >= 0 && background <= 1)) throw new Error(`background must be in [0, 1], got ${background}`);
  const out = new Float32Array(width * height);
  for (let p = 0; p < out.length; p++) {
    const r = rgba[4 * p] ?? 0, g = rgba[4 * p + 1] ?? 0, b = rgba[4 * p + 2] ?? 0, a = (rgba[4 * p + 3] ?? 0) / 255;
    const luma = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    out[p] = a * luma + (1 - a) * background;
  }
  return out;
}

export interface IntensityOptions {
  /** Dark = mass: weight 1 - g instead of g. */
  invert?: boolean;
}

/**
 * m points sampled from the image's intensity, interleaved [x0, y0, x1, y1, ...] in `view`.
 * Throws on a size mismatch, a negative / non-finite intensity, or an image with no mass.
 */
export function cloudFromIntensity(
  gray: Float32Array | Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  m: number,
  rng: Rng,
  view: View = IMAGE_VIEW,
  options: IntensityOptions = {},
): Float64Array {
  checkSize(width, height);
  if (gray.length !== width * height) {
    throw new Error(`image data has ${gray.length} values, expected ${width} x ${height} = ${width * height}`);
  }
  if (!Number.isInteger(m) || m < 1) throw new Error(`the number of points must be a positive integer, got ${m}`);
  const [x0, x1, y0, y1] = view;
  if (!(x1 > x0 && y1 > y0) || !view.every(Number.isFinite)) throw new Error(`view must be [xmin, xmax, ymin, ymax] with xmin < xmax, ymin < ymax`);
  const scale = gray instanceof Float32Array ? 1 : 1 / 255;
  const cum = new Float64Array(gray.length);
  let total = 0;
  for (let p = 0; p < gray.length; p++) {
    const g = (gray[p] ?? NaN) * scale;
    if (!Number.isFinite(g) || g < 0) throw new Error(`pixel ${p % width},${Math.floor(p / width)} has intensity ${g}: expected a finite value >= 0`);
    const w = options.invert ? Math.max(0, 1 - g) : g;
    total += w;
    cum[p] = total;
  }
  if (!(total > 0)) throw new Error(options.invert ? 'the image has no mass (every pixel is white and invert is on)' : 'the image has no mass (every pixel is black)');
  // Pixel size s: the longer image side spans the view's shorter side; the image is centred.
  const s = Math.min((x1 - x0) / width, (y1 - y0) / height);
  const left = 0.5 * (x0 + x1) - 0.5 * s * width;
  const top = 0.5 * (y0 + y1) + 0.5 * s * height;
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const lo = firstAbove(cum, rng.uniform() * total);
    const col = lo % width;
    const row = Math.floor(lo / width);
    out[2 * i] = left + (col + rng.uniform()) * s;
    out[2 * i + 1] = top - (row + rng.uniform()) * s;
  }
  return out;
}

/**
 * The first index p with cum[p] > u, for a non-decreasing cumulative sum `cum` and 0 <= u < its last
 * entry: inverse-CDF sampling of cells (cells of zero weight are never chosen).
 */
export function firstAbove(cum: ArrayLike<number>, u: number): number {
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] ?? 0) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

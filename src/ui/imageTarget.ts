/**
 * An uploaded image as a target cloud: createImageBitmap -> canvas -> RGBA -> grayFromRGBA ->
 * cloudFromIntensity with the seed's Philox sampler stream. Mostly-light images (drawings on
 * white) take dark pixels as mass, mostly-dark ones bright pixels; transparent pixels are empty.
 */
import { Rng, Stream } from '../reference/philox';
import { cloudFromIntensity, grayFromRGBA } from '../targets/image';

/** Longest side the image is resampled to before sampling (plenty for a few thousand points). */
const MAX_SIDE = 256;

export interface ImageCloud {
  cloud: Float64Array;
  width: number;
  height: number;
  /** True when dark pixels were taken as mass. */
  darkIsMass: boolean;
}

function rgbaOf(bitmap: ImageBitmap): { rgba: Uint8ClampedArray; width: number; height: number } {
  const k = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * k));
  const height = Math.max(1, Math.round(bitmap.height * k));
  const canvas: OffscreenCanvas | HTMLCanvasElement =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!ctx) throw new Error('no 2D canvas to decode the image');
  ctx.drawImage(bitmap, 0, 0, width, height);
  return { rgba: ctx.getImageData(0, 0, width, height).data, width, height };
}

/** Decode `file` and sample m points from its intensity; throws an Error whose message names the file. */
export async function imageCloud(file: File, m: number, seed: number): Promise<ImageCloud> {
  const name = `'${file.name}'`;
  if (file.type !== '' && !file.type.startsWith('image/')) throw new Error(`${name} is not an image (its type is ${file.type})`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    throw new Error(`${name} is not an image (it could not be decoded${e instanceof Error && e.message ? `: ${e.message}` : ''})`, { cause: e });
  }
  try {
    const { rgba, width, height } = rgbaOf(bitmap);
    // which end is mass: the minority end (a drawing on white -> dark ink; stars on black -> light)
    let sum = 0;
    let opaque = 0;
    for (let p = 0; p < width * height; p++) {
      const a = (rgba[4 * p + 3] ?? 0) / 255;
      sum += (a * (0.2126 * (rgba[4 * p] ?? 0) + 0.7152 * (rgba[4 * p + 1] ?? 0) + 0.0722 * (rgba[4 * p + 2] ?? 0))) / 255;
      opaque += a;
    }
    const darkIsMass = opaque > 0 && sum / opaque > 0.5;
    const gray = grayFromRGBA(rgba, width, height, darkIsMass ? 1 : 0);
    let cloud: Float64Array;
    try {
      cloud = cloudFromIntensity(gray, width, height, m, new Rng(seed, Stream.sampler), undefined, { invert: darkIsMass });
    } catch (e) {
      throw new Error(`${name} cannot be a target: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return { cloud, width, height, darkIsMass };
  } finally {
    bitmap.close();
  }
}

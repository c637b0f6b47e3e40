/**
 * Screenshot and video of the canvas (no React). The first pane registers how to reach its canvas;
 * the Export panel asks for a PNG or a WebM.
 *
 * - PNG: the renderer draws its last frame again synchronously (a WebGPU canvas keeps its drawing
 *   buffer only until the frame is presented), and in the same task the canvas is copied onto a 2D
 *   canvas with the overlays (histograms) on top; toBlob encodes that copy. A blank copy (uniform
 *   pixels) is refused rather than saved.
 * - WebM: MediaRecorder on canvas.captureStream() of the simulation canvas, offline (no server).
 */

export interface CanvasSource {
  /** The simulation canvas (WebGPU or 2D). */
  canvas(): HTMLCanvasElement | null;
  /** Draw the last frame again now; false when nothing was drawn yet. */
  redraw(): boolean;
  /** 2D overlay canvases drawn over the simulation canvas at the same size (histograms). */
  overlays(): HTMLCanvasElement[];
}

let source: CanvasSource | undefined;

/** The first pane's canvas; the disposer unregisters it. */
export function registerCanvas(s: CanvasSource): () => void {
  source = s;
  return () => {
    if (source === s) source = undefined;
  };
}

export function currentCanvas(): HTMLCanvasElement | null {
  return source?.canvas() ?? null;
}

/** The canvas and its overlays composed onto a 2D canvas of the same device-pixel size. */
export function composeCanvas(): HTMLCanvasElement {
  const s = source;
  const c = s?.canvas();
  if (!s || !c) throw new Error('no canvas to capture');
  s.redraw();
  const out = document.createElement('canvas');
  out.width = c.width;
  out.height = c.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D context for the screenshot');
  ctx.drawImage(c, 0, 0);
  for (const o of s.overlays()) if (o.width > 0 && o.height > 0) ctx.drawImage(o, 0, 0, out.width, out.height);
  return out;
}

/** True when every sampled pixel has the same colour (a blank capture). */
export function isUniform(canvas: HTMLCanvasElement): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width < 1 || canvas.height < 1) return true;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const step = Math.max(1, Math.floor(data.length / 4 / 20000)) * 4;
  for (let i = step; i < data.length; i += step) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return false;
  }
  return true;
}

/** A PNG of the canvas with its overlays; rejects when the capture is blank. */
export async function screenshotPng(): Promise<{ blob: Blob; width: number; height: number }> {
  const c = composeCanvas();
  if (isUniform(c)) throw new Error('the canvas capture came back blank');
  const blob = await new Promise<Blob | null>((resolve) => c.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  return { blob, width: c.width, height: c.height };
}

const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

export function webmType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return WEBM_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
}

/** Longest recording (s): it stops by itself after this. */
export const MAX_VIDEO_S = 120;

/** A WebM recording of the simulation canvas; stop() resolves with the file. */
export class VideoRecording {
  private readonly recorder: MediaRecorder;
  private readonly stream: MediaStream;
  private readonly chunks: Blob[] = [];
  private readonly done: Promise<Blob>;
  readonly startedAt = performance.now();
  readonly type: string;

  constructor(canvas: HTMLCanvasElement, fps = 30) {
    const type = webmType();
    if (!type) throw new Error('this browser cannot record WebM (MediaRecorder)');
    this.type = type;
    this.stream = canvas.captureStream(fps);
    this.recorder = new MediaRecorder(this.stream, { mimeType: type, videoBitsPerSecond: 6_000_000 });
    this.done = new Promise((resolve, reject) => {
      this.recorder.ondataavailable = (e) => {
        if (e.data.size > 0) this.chunks.push(e.data);
      };
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: 'video/webm' }));
      this.recorder.onerror = () => reject(new Error('video recording failed'));
    });
    this.recorder.start(500);
  }

  get seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  get recording(): boolean {
    return this.recorder.state === 'recording';
  }

  stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    for (const t of this.stream.getTracks()) t.stop();
    return this.done;
  }
}

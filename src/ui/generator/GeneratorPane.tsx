/**
 * The generator's pane beside the flow (split view): its samples (x, or the S-JKO chain's k-th output)
 * drawn on a 2-D canvas with the main canvas's view (the same centre and world units per pixel, so
 * panning and zooming there moves this pane too) and the particles' colour; optionally the map: the z
 * grid's lines pushed through G and short segments z -> G(z). `data-samples` counts the points drawn
 * inside the pane (the e2e reads it), `data-k` the chain step.
 */
import { useEffect, useRef, useState } from 'react';
import { PARTICLE_STYLE } from '../../render/particleStyle';
import { toScreen, type View } from '../../render/view';
import { PLOT_THEME, type Theme } from '../theme';
import { MAP_SEGMENTS, type GeneratorBatch } from './useGenerator';

interface Props {
  name: string;
  batch: GeneratorBatch | undefined;
  /** Chain step drawn (0 = z .. K = x). */
  step: number;
  showMap: boolean;
  view: View | undefined;
  theme: Theme;
  /** A status line over the pane while loading (e.g. "loading onnxruntime-web…"). */
  note?: string | undefined;
}

/** The main canvas's background (src/render/canvasRenderer.ts): the panes read as one picture. */
const BACKGROUND: [number, number, number] = [9, 11, 18];

export function GeneratorPane({ name, batch, step, showMap, view, theme, note }: Props): React.JSX.Element {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<[number, number]>([0, 0]);
  const [drawn, setDrawn] = useState(0);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const report = (): void => setSize([el.clientWidth, el.clientHeight]);
    const ro = new ResizeObserver(report);
    ro.observe(el);
    report();
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || size[0] < 1 || size[1] < 1) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const W = Math.round(size[0] * dpr), H = Math.round(size[1] * dpr);
    if (canvas.width !== W) canvas.width = W;
    if (canvas.height !== H) canvas.height = H;
    const img = ctx.createImageData(W, H);
    const px = img.data;
    for (let i = 0; i < px.length; i += 4) {
      px[i] = BACKGROUND[0];
      px[i + 1] = BACKGROUND[1];
      px[i + 2] = BACKGROUND[2];
      px[i + 3] = 255;
    }
    const points = batch?.chain[Math.min(step, batch.chain.length - 1)];
    let count = 0;
    if (points && view) {
      const [r, g, b] = PARTICLE_STYLE.colour.map((c) => Math.round(c * 255)) as [number, number, number];
      const dot = Math.max(1, Math.round(1.6 * dpr));
      const n = points.length / 2;
      for (let i = 0; i < n; i++) {
        const [sx, sy] = toScreen(view, size[0], size[1], points[2 * i] ?? NaN, points[2 * i + 1] ?? NaN);
        const x0 = Math.floor(sx * dpr - dot / 2), y0 = Math.floor(sy * dpr - dot / 2);
        if (!(x0 >= 0 && y0 >= 0 && x0 + dot <= W && y0 + dot <= H)) continue;
        count++;
        for (let y = y0; y < y0 + dot; y++) {
          for (let x = x0; x < x0 + dot; x++) {
            const k = 4 * (y * W + x);
            // additive-ish: dense regions saturate to the particle colour
            px[k] = Math.min(255, (px[k] ?? 0) * 0.35 + r * 0.8);
            px[k + 1] = Math.min(255, (px[k + 1] ?? 0) * 0.35 + g * 0.8);
            px[k + 2] = Math.min(255, (px[k + 2] ?? 0) * 0.35 + b * 0.8);
          }
        }
      }
    }
    ctx.putImageData(img, 0, 0);
    if (batch && view && showMap) {
      const colours = PLOT_THEME[theme].traces;
      ctx.save();
      ctx.scale(dpr, dpr);
      ctx.lineWidth = 1;
      ctx.strokeStyle = colours[1] ?? '#5ad1c0';
      ctx.globalAlpha = 0.8;
      ctx.beginPath();
      for (const line of batch.grid) {
        for (let i = 0; i < line.length / 2; i++) {
          const [sx, sy] = toScreen(view, size[0], size[1], line[2 * i] ?? NaN, line[2 * i + 1] ?? NaN);
          if (i === 0) ctx.moveTo(sx, sy);
          else ctx.lineTo(sx, sy);
        }
      }
      ctx.stroke();
      const z = batch.chain[0], x = batch.chain[batch.chain.length - 1];
      if (z && x) {
        ctx.strokeStyle = colours[2] ?? '#b98cff';
        ctx.fillStyle = colours[2] ?? '#b98cff';
        ctx.beginPath();
        const m = Math.min(MAP_SEGMENTS, z.length / 2);
        for (let i = 0; i < m; i++) {
          const [ax, ay] = toScreen(view, size[0], size[1], z[2 * i] ?? NaN, z[2 * i + 1] ?? NaN);
          const [bx, by] = toScreen(view, size[0], size[1], x[2 * i] ?? NaN, x[2 * i + 1] ?? NaN);
          ctx.moveTo(ax, ay);
          ctx.lineTo(bx, by);
          ctx.fillRect(ax - 1.5, ay - 1.5, 3, 3);
        }
        ctx.stroke();
      }
      ctx.restore();
    }
    setDrawn(count);
  }, [batch, step, showMap, view, size, theme]);

  const K = batch ? batch.chain.length - 1 : 0;
  const k = Math.min(step, K);
  const label = K > 1 ? `${name} · k = ${k} of ${K}` : name;
  return (
    <div className="canvas-wrap generator-pane" ref={wrapRef} data-samples={drawn} data-k={k}>
      <canvas ref={canvasRef} className="generator-canvas" role="img" aria-label={`Generator samples: ${name}`} />
      <div className="pane-label generator">{label}</div>
      {note ? <p className="generator-note">{note}</p> : null}
    </div>
  );
}

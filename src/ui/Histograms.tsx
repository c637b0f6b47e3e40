/**
 * Marginal histograms along the canvas edges (x at the bottom, y on the left), drawn on a 2D
 * overlay canvas from the renderer's positions sample (read every 300 ms, never per frame), with
 * the target's true marginal as a line (src/render/marginals.ts: computed once per target, after
 * the frame, in a timeout) or, for sample targets, the target cloud's histogram.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunConfig } from '../engine/types';
import { displayCloud } from '../render/displayCloud';
import type { ParticleSample } from '../render/layers';
import { histogram, trueMarginals, type Axis, type Marginals } from '../render/marginals';
import { viewRect, type View } from '../render/view';
import type { TargetInstance } from '../targets/types';

/** Strip thickness (CSS px). */
export const HIST_PX = 64;

interface Props {
  sample: ParticleSample | undefined;
  target: TargetInstance | undefined;
  config: Pick<RunConfig, 'seed' | 'n' | 'targetSamples'>;
  view: View;
  size: [number, number];
  bins: number;
}

export function Histograms({ sample, target, config, view, size, bins }: Props): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const [marg, setMarg] = useState<{ target: TargetInstance; m: Marginals | undefined } | undefined>(undefined);

  // the true marginals, off the frame path (quadrature may take tens of ms; cached per target)
  useEffect(() => {
    if (!target || target.sampleOnly) return;
    const id = window.setTimeout(() => setMarg({ target, m: trueMarginals(target) }), 0);
    return () => clearTimeout(id);
  }, [target]);

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const [cssW, cssH] = size;
    const w = Math.max(1, Math.round(cssW * dpr));
    const h = Math.max(1, Math.round(cssH * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    if (!sample || !target) return;
    const [x0, x1, y0, y1] = viewRect(view, cssW, cssH);
    const bx = Math.max(1, bins);
    const by = Math.max(4, Math.round((bx * (y1 - y0)) / Math.max(x1 - x0, 1e-12)));
    const hx = histogram(sample.points, sample.count, 0, x0, x1, bx, sample.periodic);
    const hy = histogram(sample.points, sample.count, 1, y0, y1, by, sample.periodic);
    const m = marg?.target === target ? marg.m : undefined;
    const cloud = target.sampleOnly ? displayCloud(target, config) : undefined;
    const cx = cloud ? histogram(cloud, cloud.length / 2, 0, x0, x1, bx, sample.periodic) : undefined;
    const cy = cloud ? histogram(cloud, cloud.length / 2, 1, y0, y1, by, sample.periodic) : undefined;
    const strip = HIST_PX * dpr;
    const draw = (axis: Axis, hist: Float64Array, lo: number, hi: number, ref2: Float64Array | undefined): void => {
      const nb = hist.length;
      const curve: number[] = [];
      const fine = 4 * nb;
      if (m) for (let k = 0; k <= fine; k++) curve.push(m.density(axis, lo + ((hi - lo) * k) / fine));
      const top = Math.max(...hist, ...(ref2 ?? []), ...curve, 1e-300);
      const len = axis === 0 ? w : h;
      // background strip
      ctx.fillStyle = 'rgba(9, 11, 18, 0.55)';
      if (axis === 0) ctx.fillRect(0, h - strip, w, strip);
      else ctx.fillRect(0, 0, strip, h);
      const scale = (strip - 4 * dpr) / top;
      // along the axis: x left -> right; y bottom -> top
      const pos = (t: number): number => (axis === 0 ? t * len : len - t * len);
      ctx.fillStyle = 'rgba(255, 158, 64, 0.7)';
      for (let b = 0; b < nb; b++) {
        const v = (hist[b] ?? 0) * scale;
        if (v <= 0) continue;
        const a = pos(b / nb);
        const e = pos((b + 1) / nb);
        if (axis === 0) ctx.fillRect(a + 0.5 * dpr, h - v, e - a - dpr, v);
        else ctx.fillRect(0, e + 0.5 * dpr, v, a - e - dpr);
      }
      const line = (values: number[], steps: boolean, colour: string, dash: number[]): void => {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash(dash.map((d) => d * dpr));
        ctx.beginPath();
        const count = values.length;
        for (let k = 0; k < count; k++) {
          const v = (values[k] ?? 0) * scale;
          const pts: number[] = steps ? [pos(k / count), pos((k + 1) / count)] : [pos(k / (count - 1))];
          for (const p of pts) {
            const [px, py] = axis === 0 ? [p, h - v] : [v, p];
            if (k === 0 && p === pts[0]) ctx.moveTo(px, py);
            else ctx.lineTo(px, py);
          }
        }
        ctx.stroke();
        ctx.setLineDash([]);
      };
      if (curve.length > 1) line(curve, false, 'rgba(255, 255, 255, 0.95)', []);
      if (ref2) line(Array.from(ref2), true, 'rgba(120, 200, 255, 0.95)', [4, 3]);
    };
    draw(0, hx, x0, x1, cx);
    draw(1, hy, y0, y1, cy);
  }, [sample, target, marg, config, view, size, bins]);

  return <canvas ref={ref} className="hist-canvas" aria-hidden="true" />;
}

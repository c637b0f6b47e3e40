/**
 * The canvas (WebGPU for GPU runs, Canvas 2D for CPU runs) with an SVG overlay: mixture
 * component handles (focusable, draggable, arrow keys move them), pan by dragging empty canvas,
 * zoom with the wheel. The renderer is rebuilt whenever the engine's backend generation changes
 * (new device), on a fresh <canvas> element since a canvas keeps its first context type.
 */
import { useEffect, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { CanvasRenderer } from '../render/canvasRenderer';
import { GpuRenderer } from '../render/gpuRenderer';
import type { Renderer } from '../render/types';
import { fitView, panBy, toScreen, toWorld, zoomAt, type View } from '../render/view';
import type { Component } from '../targets/types';
import { mixtureConfig, moved } from './mixture';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
  onViewChange: (v: View, size: [number, number]) => void;
}

type Drag = { kind: 'pan'; x: number; y: number } | { kind: 'handle'; index: number; comps: Component[] };

/** 1-sigma ellipse of a 2x2 covariance: radii and angle (degrees). */
function ellipse(cov: [number, number, number]): { rx: number; ry: number; angle: number } {
  const [a, b, c] = cov;
  const tr = (a + c) / 2;
  const det = Math.sqrt(Math.max(((a - c) / 2) ** 2 + b * b, 0));
  const l1 = tr + det;
  const l2 = Math.max(tr - det, 0);
  const angle = (Math.atan2(l1 - a, b === 0 ? 1e-12 : b) * 180) / Math.PI;
  return { rx: Math.sqrt(l1), ry: Math.sqrt(l2), angle: b === 0 && a >= c ? 0 : b === 0 ? 90 : angle };
}

export function CanvasView({ engine, snap, onViewChange }: Props): React.JSX.Element {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const rendererRef = useRef<Renderer | undefined>(undefined);
  const [size, setSize] = useState<[number, number]>([800, 600]);
  const [view, setView] = useState<View>(() => fitView([-4, 4, -4, 4], 800, 600));
  const dragRef = useRef<Drag | undefined>(undefined);
  const fittedFor = useRef('');

  const target = snap.target;
  const components = target?.id === 'mixture' ? (target.components ?? []) : [];

  // size tracking
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize([el.clientWidth, el.clientHeight]));
    ro.observe(el);
    setSize([el.clientWidth, el.clientHeight]);
    return () => ro.disconnect();
  }, []);

  // fit the view when the target (not its live edits) or the canvas size first becomes known
  useEffect(() => {
    if (!target) return;
    const key = `${target.id}:${snap.config.target.id === 'mixture' ? '' : JSON.stringify(snap.config.target.params)}`;
    if (fittedFor.current === key || size[0] < 2) return;
    fittedFor.current = key;
    setView(fitView(target.view, size[0], size[1]));
  }, [target, size, snap.config.target]);

  // renderer per backend generation
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let renderer: Renderer;
    try {
      const device = engine.device;
      renderer = snap.backendKind === 'gpu' && device ? new GpuRenderer(device, canvas) : new CanvasRenderer(canvas);
    } catch (e) {
      engine.say('error', `Cannot draw: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    rendererRef.current = renderer;
    const detach = engine.attachRenderer(renderer);
    return () => {
      detach();
      renderer.destroy();
      rendererRef.current = undefined;
    };
  }, [engine, snap.generation, snap.backendKind]);

  useEffect(() => {
    rendererRef.current?.setView(view);
    onViewChange(view, size);
  }, [view, size, snap.generation, onViewChange]);

  // wheel zoom (non-passive so the page does not scroll)
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * 0.0015);
      setView((v) => zoomAt(v, r.width, r.height, e.clientX - r.left, e.clientY - r.top, factor));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const local = (e: React.PointerEvent): [number, number] => {
    const r = svgRef.current?.getBoundingClientRect();
    return r ? [e.clientX - r.left, e.clientY - r.top] : [0, 0];
  };

  const moveComponent = (comps: Component[], index: number, x: number, y: number): Component[] => {
    const next = comps.map((c, i) => (i === index ? moved(c, x, y) : c));
    engine.setTarget(mixtureConfig(next));
    return next;
  };

  const onPointerDown = (e: React.PointerEvent<SVGSVGElement>): void => {
    if (e.button !== 0) return;
    const handle = (e.target as Element).closest('[data-handle]');
    const index = handle ? Number(handle.getAttribute('data-handle')) : -1;
    svgRef.current?.setPointerCapture(e.pointerId);
    if (index >= 0 && components[index]) {
      dragRef.current = { kind: 'handle', index, comps: [...components] };
      (handle as SVGElement | null)?.focus();
    } else {
      dragRef.current = { kind: 'pan', x: e.clientX, y: e.clientY };
    }
    e.preventDefault();
  };

  const onPointerMove = (e: React.PointerEvent<SVGSVGElement>): void => {
    const d = dragRef.current;
    if (!d) return;
    if (d.kind === 'pan') {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      dragRef.current = { kind: 'pan', x: e.clientX, y: e.clientY };
      setView((v) => panBy(v, dx, dy));
    } else {
      const [px, py] = local(e);
      const [wx, wy] = toWorld(view, size[0], size[1], px, py);
      dragRef.current = { ...d, comps: moveComponent(d.comps, d.index, wx, wy) };
    }
  };

  const onPointerUp = (e: React.PointerEvent<SVGSVGElement>): void => {
    dragRef.current = undefined;
    if (svgRef.current?.hasPointerCapture(e.pointerId)) svgRef.current.releasePointerCapture(e.pointerId);
  };

  const onHandleKey = (e: React.KeyboardEvent, index: number): void => {
    const stepW = 20 * view.scale;
    const dirs: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const d = dirs[e.key];
    const c = components[index];
    if (!d || !c) return;
    e.preventDefault();
    moveComponent([...components], index, c.mean[0] + d[0] * stepW, c.mean[1] + d[1] * stepW);
  };

  return (
    <div className="canvas-wrap" ref={wrapRef}>
      <canvas key={`${snap.generation}:${snap.backendKind}`} ref={canvasRef} className="sim-canvas" aria-label="Particles and target density" />
      <svg
        ref={svgRef}
        className="overlay"
        width={size[0]}
        height={size[1]}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        role="application"
        aria-label="Canvas: drag to pan, wheel to zoom"
      >
        {components.map((c, k) => {
          const [sx, sy] = toScreen(view, size[0], size[1], c.mean[0], c.mean[1]);
          const el = ellipse(c.cov);
          return (
            <g key={k}>
              <ellipse
                className="comp-ellipse"
                cx={sx}
                cy={sy}
                rx={el.rx / view.scale}
                ry={el.ry / view.scale}
                transform={`rotate(${-el.angle} ${sx} ${sy})`}
              />
              <circle
                className="handle"
                data-handle={k}
                cx={sx}
                cy={sy}
                r={9}
                tabIndex={0}
                role="button"
                aria-label={`Component ${k + 1}`}
                onKeyDown={(e) => onHandleKey(e, k)}
              />
              <text className="handle-label" x={sx + 12} y={sy - 10}>
                {k + 1}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

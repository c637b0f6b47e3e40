/**
 * The stage: one canvas per run (two side by side in split view) sharing one view, each with an
 * SVG overlay. The first pane carries the editing handles the target declares (TargetDef.editor,
 * src/targets/types.ts; no target id is tested here): components (focusable, draggable, arrow
 * keys), wells (e.g. the double well's minimisers, dragged live like components), one handle per
 * cluster (a clusters editor); "Move cloud" at the centroid of any run's target samples (Shift+drag
 * anywhere does the same); and the paint brush in Paint mode.
 * Pan by dragging empty canvas, zoom with the wheel. On the torus the unit square is outlined.
 * Each renderer is rebuilt whenever the engine's backend generation changes (new device), on a
 * fresh <canvas> element since a canvas keeps its first context type.
 * Above the panes: the Layers group and the Speed select (Layers.tsx); each pane carries the
 * legend (Legend.tsx) and, when on, the marginal histograms (Histograms.tsx) fed by the renderer's
 * positions sample. The first pane registers its canvas for the screenshot and video (media.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { CanvasRenderer } from '../render/canvasRenderer';
import { GpuRenderer } from '../render/gpuRenderer';
import { DEFAULT_LAYERS, type Layers, type ParticleSample } from '../render/layers';
import type { Renderer } from '../render/types';
import { fitView, panBy, toScreen, toWorld, viewRect, zoomAt, type View } from '../render/view';
import type { Component, TargetInstance } from '../targets/types';
import { findTarget } from '../targets/registry';
import { centroid, cloudConfig, clusterCentres, isCloudConfig, labelPoints, runCloud, translated, type ClusterState } from './cloudEdit';
import { findMethod } from './compat';
import { Histograms } from './Histograms';
import { ViewControls } from './Layers';
import { Legend } from './Legend';
import { registerCanvas } from './media';
import { componentsConfig, componentsEditorOf, moved, movedWell, wellsOf } from './mixture';
import { PaintGrid } from './paint';

export interface PaintState {
  active: boolean;
  grid: PaintGrid | undefined;
  /** A stroke changed (or created) the grid. */
  onChange: (grid: PaintGrid) => void;
}

interface StageProps {
  engine: Engine;
  snap: EngineSnapshot;
  paint: PaintState;
  onViewChange: (v: View, size: [number, number]) => void;
  /** One more pane after the runs' panes, sharing the row (the generator beside the flow, issue 9). */
  extraPane?: React.ReactNode;
}

type SetView = (f: (v: View) => View) => void;

const TORUS_RECT: [number, number, number, number] = [-0.08, 1.08, -0.08, 1.08];

export function Stage({ engine, snap, paint, onViewChange, extraPane }: StageProps): React.JSX.Element {
  const [size, setSize] = useState<[number, number]>([800, 600]);
  const [view, setViewState] = useState<View>(() => fitView([-4, 4, -4, 4], 800, 600));
  const fittedFor = useRef('');
  const setView: SetView = useCallback((f) => setViewState(f), []);
  const target = snap.target;
  const torus = snap.config.domain === 'torus';
  const split = snap.runs.length > 1;
  const [layers, setLayersState] = useState<Layers>(DEFAULT_LAYERS);
  const setLayers = useCallback((f: (l: Layers) => Layers) => setLayersState(f), []);

  // fit the view when the target (not its live edits), the domain or the pane size first becomes known
  useEffect(() => {
    if (!target || size[0] < 2) return;
    // live edits: a components or wells editor's params, clouds built from points (dragged), and landscape parameters (a landscape's view never depends on them)
    const def = findTarget(snap.config.target.id);
    const live = def?.editor?.kind === 'components' || def?.editor?.kind === 'wells' || def?.data === 'points' || target.landscape !== undefined;
    const key = `${target.id}:${live ? '' : JSON.stringify(snap.config.target.params)}:${torus}:${split}`;
    if (fittedFor.current === key) return;
    fittedFor.current = key;
    setViewState(fitView(torus ? TORUS_RECT : target.view, size[0], size[1]));
  }, [target, size, snap.config.target, torus, split]);

  useEffect(() => onViewChange(view, size), [view, size, onViewChange]);

  return (
    <>
      <ViewControls engine={engine} snap={snap} layers={layers} setLayers={setLayers} />
      <div className={`stage-panes${split || extraPane ? ' split' : ''}`}>
        <Pane engine={engine} snap={snap} slot={0} view={view} setView={setView} onSize={setSize} paint={paint} layers={layers} />
        {snap.runs.slice(1).map((r) => (
          <Pane key={r.index} engine={engine} snap={snap} slot={r.index} view={view} setView={setView} paint={undefined} layers={layers} />
        ))}
        {extraPane}
      </div>
    </>
  );
}

interface PaneProps {
  engine: Engine;
  snap: EngineSnapshot;
  /** The run drawn: its index in snap.runs (0: the primary run, 1..3: the compared runs). */
  slot: number;
  view: View;
  setView: SetView;
  onSize?: (s: [number, number]) => void;
  /** First pane only: editing (handles, paint). */
  paint: PaintState | undefined;
  layers: Layers;
}

type Drag =
  | { kind: 'pan'; x: number; y: number }
  | { kind: 'handle'; index: number; comps: Component[] }
  | { kind: 'well'; index: number; wells: [number, number][] }
  | { kind: 'samples'; start: [number, number]; base: Float64Array; labels?: Int32Array; cluster?: number; centres?: [number, number][] }
  | { kind: 'paint'; last: [number, number] };

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

/** The cloud the run flows toward, when the target is dragged as samples (sample-only target or sample-based method). */
function useRunCloud(snap: EngineSnapshot, target: TargetInstance | undefined): Float64Array | undefined {
  const { seed, n, targetSamples, method } = snap.config;
  return useMemo(() => {
    if (!target) return undefined;
    const needs = findMethod(method)?.needs ?? 'score';
    if (!target.sampleOnly && needs !== 'samples') return undefined;
    if (target.periodic) return undefined;
    try {
      return runCloud({ ...snap.config, seed, n, ...(targetSamples !== undefined ? { targetSamples } : {}) }, target);
    } catch {
      return undefined;
    }
    // snap.config changes on every edit; the cloud depends on these fields only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target, seed, n, targetSamples, method]);
}

function Pane({ engine, snap, slot, view, setView, onSize, paint, layers }: PaneProps): React.JSX.Element {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const paintRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<Renderer | undefined>(undefined);
  const [size, setSize] = useState<[number, number]>([800, 600]);
  const dragRef = useRef<Drag | undefined>(undefined);
  const [clusterState, setClusterState] = useState<ClusterState | undefined>(undefined);
  const editable = slot === 0;
  const [sample, setSample] = useState<ParticleSample | undefined>(undefined);
  const histRef = useRef<HTMLDivElement>(null);

  const target = snap.target;
  // the editors the target declares (TargetDef.editor)
  const compsEditor = editable ? componentsEditorOf(target) : undefined;
  const components = compsEditor ? (target?.components ?? []) : [];
  const cloud = useRunCloud(snap, editable ? target : undefined);
  // a wells editor's points (e.g. the double well's minimisers), dragged like components
  const wellsInfo = editable ? wellsOf(target) : undefined;
  const wells = wellsInfo?.points;
  const cloudCentre = useMemo(() => (cloud ? centroid(cloud) : undefined), [cloud]);
  // cluster handles: the toy mixture's centres, or the centres we moved while dragging it apart
  const cs = clusterState;
  const clusters: [number, number][] | undefined =
    cloud && target
      ? cs && isCloudConfig(snap.config.target) && snap.config.target.cloud === cs.cloud
        ? cs.centres
        : clusterCentres(target)
      : undefined;

  // size tracking
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const report = (): void => {
      const s: [number, number] = [el.clientWidth, el.clientHeight];
      setSize(s);
      onSize?.(s);
    };
    const ro = new ResizeObserver(report);
    ro.observe(el);
    report();
    return () => ro.disconnect();
  }, [onSize]);

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
    renderer.setSampleListener?.(setSample);
    const detach = engine.attachRenderer(renderer, slot);
    const unregister =
      slot === 0
        ? registerCanvas({
            canvas: () => canvasRef.current,
            redraw: () => renderer.redraw?.() ?? false,
            overlays: () => Array.from(histRef.current?.querySelectorAll('canvas') ?? []),
          })
        : undefined;
    return () => {
      unregister?.();
      renderer.setSampleListener?.(undefined);
      detach();
      renderer.destroy();
      rendererRef.current = undefined;
    };
  }, [engine, snap.generation, snap.backendKind, slot]);

  useEffect(() => {
    rendererRef.current?.setView(view);
  }, [view, size, snap.generation]);

  useEffect(() => {
    rendererRef.current?.setLayers?.(layers);
  }, [layers, snap.generation, snap.backendKind]);

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
  }, [setView]);

  // painted density preview
  const grid = paint?.grid;
  const gridVersion = grid?.version ?? -1;
  useEffect(() => {
    const c = paintRef.current;
    if (!c || !grid) return;
    c.width = grid.width;
    c.height = grid.height;
    c.getContext('2d')?.putImageData(grid.preview(), 0, 0);
  }, [grid, gridVersion]);

  const local = (e: React.PointerEvent): [number, number] => {
    const r = svgRef.current?.getBoundingClientRect();
    return r ? [e.clientX - r.left, e.clientY - r.top] : [0, 0];
  };
  const world = (e: React.PointerEvent): [number, number] => {
    const [px, py] = local(e);
    return toWorld(view, size[0], size[1], px, py);
  };

  const moveComponent = (comps: Component[], index: number, x: number, y: number): Component[] => {
    // on the torus a handle dragged across an edge comes back on the other side
    const wrap = (v: number): number => (compsEditor?.wrap ? v - Math.floor(v) : v);
    const next = comps.map((c, i) => (i === index ? moved(c, wrap(x), wrap(y)) : c));
    if (compsEditor && target) engine.setTarget(componentsConfig(target.id, compsEditor, next));
    return next;
  };

  const moveWell = (ws: [number, number][], index: number, x: number, y: number): [number, number][] => {
    const next = ws.map((w, k): [number, number] => (k === index ? [x, y] : w));
    if (wellsInfo) engine.setTarget(movedWell(snap.config.target, wellsInfo.editor, ws, index, x, y));
    return next;
  };

  const brush = (): number => 14 * view.scale;

  const onPointerDown = (e: React.PointerEvent<SVGSVGElement>): void => {
    if (e.button !== 0) return;
    const el = e.target as Element;
    const handle = el.closest('[data-handle]');
    const index = handle ? Number(handle.getAttribute('data-handle')) : -1;
    const cloudEl = el.closest('[data-cloud]');
    const wellEl = el.closest('[data-well]');
    svgRef.current?.setPointerCapture(e.pointerId);
    e.preventDefault();
    if (editable && paint?.active) {
      const w = world(e);
      const g = paint.grid ?? new PaintGrid(viewRect(view, size[0], size[1]));
      g.dab(w[0], w[1], brush());
      paint.onChange(g);
      dragRef.current = { kind: 'paint', last: w };
      return;
    }
    if (index >= 0 && components[index]) {
      dragRef.current = { kind: 'handle', index, comps: [...components] };
      (handle as SVGElement | null)?.focus();
      return;
    }
    if (wellEl && wells) {
      dragRef.current = { kind: 'well', index: Number(wellEl.getAttribute('data-well')), wells: wells.map((w): [number, number] => [w[0], w[1]]) };
      (wellEl as SVGElement | null)?.focus();
      return;
    }
    if (cloud && (cloudEl || e.shiftKey)) {
      const which = cloudEl?.getAttribute('data-cloud') ?? 'all';
      const start = world(e);
      if (which !== 'all' && clusters) {
        const k = Number(which);
        const st = clusterState;
        const labels = st && st.cloud === snap.config.target.cloud ? st.labels : labelPoints(cloud, clusters);
        dragRef.current = { kind: 'samples', start, base: cloud, labels, cluster: k, centres: clusters.map((c) => [c[0], c[1]]) };
      } else {
        dragRef.current = { kind: 'samples', start, base: cloud, ...(clusters ? { centres: clusters.map((c): [number, number] => [c[0], c[1]]) } : {}) };
      }
      (cloudEl as SVGElement | null)?.focus();
      return;
    }
    dragRef.current = { kind: 'pan', x: e.clientX, y: e.clientY };
  };

  const moveCloud = (d: Extract<Drag, { kind: 'samples' }>, dx: number, dy: number): void => {
    const next = translated(d.base, dx, dy, d.labels, d.cluster);
    if (d.centres) {
      const centres = d.centres.map((c, k): [number, number] => (d.cluster === undefined || d.cluster === k ? [c[0] + dx, c[1] + dy] : c));
      const labels = d.labels ?? (clusters ? labelPoints(d.base, d.centres) : undefined);
      setClusterState(labels ? { cloud: next, labels, centres } : undefined);
    }
    engine.setTarget(cloudConfig(next));
  };

  const onPointerMove = (e: React.PointerEvent<SVGSVGElement>): void => {
    const d = dragRef.current;
    if (!d) return;
    if (d.kind === 'pan') {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      dragRef.current = { kind: 'pan', x: e.clientX, y: e.clientY };
      setView((v) => panBy(v, dx, dy));
    } else if (d.kind === 'handle') {
      const [wx, wy] = world(e);
      dragRef.current = { ...d, comps: moveComponent(d.comps, d.index, wx, wy) };
    } else if (d.kind === 'well') {
      const [wx, wy] = world(e);
      dragRef.current = { ...d, wells: moveWell(d.wells, d.index, wx, wy) };
    } else if (d.kind === 'samples') {
      const [wx, wy] = world(e);
      moveCloud(d, wx - d.start[0], wy - d.start[1]);
    } else if (paint?.grid) {
      const w = world(e);
      paint.grid.stroke(d.last[0], d.last[1], w[0], w[1], brush());
      paint.onChange(paint.grid);
      dragRef.current = { kind: 'paint', last: w };
    }
  };

  const onPointerUp = (e: React.PointerEvent<SVGSVGElement>): void => {
    dragRef.current = undefined;
    if (svgRef.current?.hasPointerCapture(e.pointerId)) svgRef.current.releasePointerCapture(e.pointerId);
  };

  const arrow = (e: React.KeyboardEvent): [number, number] | undefined => {
    const dirs: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const d = dirs[e.key];
    if (!d) return undefined;
    e.preventDefault();
    return [d[0] * 20 * view.scale, d[1] * 20 * view.scale];
  };

  const onHandleKey = (e: React.KeyboardEvent, index: number): void => {
    const d = arrow(e);
    const c = components[index];
    if (!d || !c) return;
    moveComponent([...components], index, c.mean[0] + d[0], c.mean[1] + d[1]);
  };

  const onWellKey = (e: React.KeyboardEvent, index: number): void => {
    const d = arrow(e);
    const w = wells?.[index];
    if (!d || !w || !wells) return;
    moveWell([...wells], index, w[0] + d[0], w[1] + d[1]);
  };

  const onCloudKey = (e: React.KeyboardEvent, cluster: number | undefined): void => {
    const d = arrow(e);
    if (!d || !cloud) return;
    const st = clusterState;
    const labels = cluster !== undefined && clusters ? (st && st.cloud === snap.config.target.cloud ? st.labels : labelPoints(cloud, clusters)) : undefined;
    moveCloud({ kind: 'samples', start: [0, 0], base: cloud, ...(labels ? { labels } : {}), ...(cluster !== undefined ? { cluster } : {}), ...(clusters ? { centres: clusters } : {}) }, d[0], d[1]);
  };

  const scr = (x: number, y: number): [number, number] => toScreen(view, size[0], size[1], x, y);
  const torus = snap.config.domain === 'torus';
  const [u0x, u0y] = scr(0, 1);
  const [u1x, u1y] = scr(1, 0);
  const paintBox = grid ? [scr(grid.rect[0], grid.rect[3]), scr(grid.rect[1], grid.rect[2])] : undefined;
  const paneLabel = snap.runs[slot]?.label ?? '';
  const painting = editable && paint?.active === true;

  return (
    <div className={`canvas-wrap${painting ? ' painting' : ''}`} ref={wrapRef} data-slot={slot}>
      <canvas
        key={`${snap.generation}:${snap.backendKind}`}
        ref={canvasRef}
        className="sim-canvas"
        aria-label={slot === 0 ? 'Particles and target density' : `Compared run: ${paneLabel}`}
      />
      {paintBox && editable ? (
        <canvas
          ref={paintRef}
          className="paint-preview"
          style={{ left: paintBox[0]?.[0], top: paintBox[0]?.[1], width: (paintBox[1]?.[0] ?? 0) - (paintBox[0]?.[0] ?? 0), height: (paintBox[1]?.[1] ?? 0) - (paintBox[0]?.[1] ?? 0) }}
        />
      ) : null}
      {layers.histograms ? (
        <div ref={histRef} className="hist-layer">
          <Histograms sample={sample} target={target} config={snap.config} view={view} size={size} bins={layers.bins} />
        </div>
      ) : null}
      {snap.runs.length > 1 ? <div className={`pane-label slot${slot}`}>{paneLabel}</div> : null}
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
        aria-label={slot === 0 ? (painting ? 'Canvas: drag to paint density' : 'Canvas: drag to pan, wheel to zoom') : 'Compared run canvas: drag to pan, wheel to zoom'}
      >
        {torus ? <rect className="torus-square" x={u0x} y={u0y} width={u1x - u0x} height={u1y - u0y} /> : null}
        {components.map((c, k) => {
          const [sx, sy] = scr(c.mean[0], c.mean[1]);
          const el = ellipse(c.cov);
          return (
            <g key={k}>
              <ellipse className="comp-ellipse" cx={sx} cy={sy} rx={el.rx / view.scale} ry={el.ry / view.scale} transform={`rotate(${-el.angle} ${sx} ${sy})`} />
              <circle className="handle" data-handle={k} cx={sx} cy={sy} r={9} tabIndex={0} role="button" aria-label={`Component ${k + 1}`} onKeyDown={(e) => onHandleKey(e, k)} />
              <text className="handle-label" x={sx + 12} y={sy - 10}>
                {k + 1}
              </text>
            </g>
          );
        })}
        {!painting && wells
          ? wells.map((w, k) => {
              const [sx, sy] = scr(w[0], w[1]);
              return (
                <g key={`well${k}`}>
                  <circle className="handle well-handle" data-well={k} cx={sx} cy={sy} r={9} tabIndex={0} role="button" aria-label={`${wellsInfo?.editor.name ?? ''} ${k + 1}`} onKeyDown={(e) => onWellKey(e, k)} />
                  <text className="handle-label" x={sx + 12} y={sy - 10}>
                    {`${(wellsInfo?.editor.name ?? '').toLowerCase()} ${k + 1}`}
                  </text>
                </g>
              );
            })
          : null}
        {!painting && clusters
          ? clusters.map((c, k) => {
              const [sx, sy] = scr(c[0], c[1]);
              return (
                <circle
                  key={`cl${k}`}
                  className="cluster-handle"
                  data-cloud={k}
                  cx={sx}
                  cy={sy}
                  r={6}
                  tabIndex={0}
                  role="button"
                  aria-label={`Cluster ${k + 1}`}
                  onKeyDown={(e) => onCloudKey(e, k)}
                />
              );
            })
          : null}
        {!painting && cloud && cloudCentre
          ? (() => {
              const [sx, sy] = scr(cloudCentre[0], cloudCentre[1]);
              return (
                <g className="cloud-handle" data-cloud="all" tabIndex={0} role="button" aria-label="Move cloud" onKeyDown={(e) => onCloudKey(e, undefined)}>
                  <circle cx={sx} cy={sy} r={11} />
                  <path d={`M${sx - 7} ${sy}H${sx + 7}M${sx} ${sy - 7}V${sy + 7}`} />
                </g>
              );
            })()
          : null}
      </svg>
      <Legend
        layers={layers}
        n={snap.config.n}
        sampleOnly={target?.sampleOnly === true}
        landscape={target?.landscape !== undefined}
        handles={components.length > 0 ? { kind: 'components' } : wellsInfo && !painting ? { kind: 'wells', text: wellsInfo.editor.legend } : cloud && !painting ? { kind: 'samples' } : undefined}
        rmsStep={sample?.rmsStep}
        scale={view.scale}
      />
    </div>
  );
}

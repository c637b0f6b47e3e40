/**
 * Live convergence plots. plotly.js is imported lazily, after the first paint, so the particles
 * start flowing before ~4 MB of plotting code is parsed. Redrawn at most every 500 ms, only the
 * panes whose data changed, one pane per task.
 */
import { useEffect, useRef, useState } from 'react';
import type { MetricsHistory } from '../engine/Engine';
import type { MetricKey } from '../engine/runSlot';

interface PlotlyModule {
  react: typeof import('plotly.js-dist-min').react;
  purge: typeof import('plotly.js-dist-min').purge;
}

type Trace = import('plotly.js-dist-min').Trace;

export interface PlotRun {
  label: string;
  history: MetricsHistory;
}

interface Props {
  /** The primary run, then the compared run (split view). */
  runs: PlotRun[];
  /** Panes to keep even before their first point (the target's own metrics). */
  expect: Partial<Record<MetricKey, boolean>>;
  /** Torus: L2 is drawn on log-log axes. */
  torus: boolean;
}

interface Pane {
  key: MetricKey | 'ms';
  title: string;
  logX: boolean;
  logY: boolean;
}

const PANES: Pane[] = [
  { key: 'ksd', title: 'KSD (IMQ) vs step', logX: false, logY: true },
  { key: 'energy', title: 'Energy distance to target samples', logX: false, logY: true },
  { key: 'sinkhorn', title: 'Sinkhorn divergence to the target cloud', logX: false, logY: true },
  { key: 'mmd', title: 'MMD² to the target cloud', logX: false, logY: true },
  { key: 'l2', title: 'L2 distance to the target density (log-log)', logX: true, logY: true },
  { key: 'ms', title: 'ms per step', logX: false, logY: false },
];

const COLOURS = ['#ff9e40', '#5ad1c0'];

const AXIS = { gridcolor: '#223047', zerolinecolor: '#223047', color: '#9fb0c8', tickfont: { size: 10 } };

function layout(title: string, logX: boolean, logY: boolean, legend: boolean): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 12, color: '#c9d5e6' }, x: 0.02, xanchor: 'left' },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#0c1220',
    margin: { l: 46, r: 10, t: 26, b: 28 },
    xaxis: { ...AXIS, type: logX ? 'log' : 'linear', title: { text: 'step', font: { size: 10 } } },
    yaxis: { ...AXIS, type: logY ? 'log' : 'linear', exponentformat: 'power' },
    showlegend: legend,
    legend: { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(12,18,32,0.7)', font: { size: 10, color: '#c9d5e6' } },
    autosize: true,
  };
}

const CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };

function hasData(runs: PlotRun[], key: MetricKey): boolean {
  return runs.some((r) => r.history[key].some((v) => v !== null && v > 0));
}

export function Plots({ runs, expect, torus }: Props): React.JSX.Element {
  const refs = useRef(new Map<string, HTMLDivElement>());
  const [plotly, setPlotly] = useState<PlotlyModule | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const lastDraw = useRef(0);
  const pending = useRef<number | undefined>(undefined);
  /** Per pane: what it was last drawn from (unchanged data is not redrawn). */
  const drawn = useRef(new Map<string, string>());
  /** New data arrived while a redraw was under way: redraw once more after it. */
  const stale = useRef(false);
  const latest = useRef({ runs, torus });
  latest.current = { runs, torus };

  useEffect(() => {
    let cancelled = false;
    // after the first paint: two frames, then the dynamic import
    const id = requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        import('plotly.js-dist-min')
          .then((mod) => {
            const m: PlotlyModule = (mod as { default?: PlotlyModule }).default ?? mod;
            if (!cancelled) setPlotly(m);
          })
          .catch((e: unknown) => {
            if (!cancelled) setLoadError(e instanceof Error ? e.message : String(e));
          });
      }),
    );
    return () => {
      cancelled = true;
      cancelAnimationFrame(id);
    };
  }, []);

  const visible = PANES.filter((p) => p.key === 'ms' || expect[p.key] === true || hasData(runs, p.key));
  const visibleKey = visible.map((p) => p.key).join(',');

  useEffect(() => {
    if (!plotly) return;
    /** Draw `pane` if its data changed since it was last drawn; true when it drew. */
    const drawPane = (pane: Pane): boolean => {
      const el = refs.current.get(pane.key);
      if (!el || el.hidden) return false;
      const { runs: rs } = latest.current;
      const labels = rs.map((r) => r.label);
      const legend = rs.length > 1;
      const series = (r: PlotRun): readonly (number | null)[] => (pane.key === 'ms' ? r.history.msPerStep : r.history[pane.key]);
      const shown = PANES.map((p) => (refs.current.get(p.key)?.hidden ? 0 : 1)).join('');
      const signature = JSON.stringify([shown, labels, rs.map((r) => [r.history.step.length, r.history.step[r.history.step.length - 1], series(r)[series(r).length - 1]])]);
      if (drawn.current.get(pane.key) === signature) return false;
      drawn.current.set(pane.key, signature);
      const traces = rs.map((r, i): Trace => {
        const raw = series(r);
        const positive = (v: number | null): number | null => (v !== null && v > 0 ? v : null);
        const name = legend && labels[0] === labels[1] ? `${r.label} (${i === 0 ? 'left' : 'right'})` : r.label;
        const x = pane.logX ? r.history.step.map((s) => (s > 0 ? s : null)) : [...r.history.step];
        return {
          x,
          y: pane.logY ? raw.map(positive) : raw.map((v) => (v !== null && v > 0 ? v : null)),
          type: 'scatter',
          mode: 'lines',
          name,
          line: { color: COLOURS[i % COLOURS.length] ?? '#ff9e40', width: 2 },
          connectgaps: false,
        };
      });
      void plotly.react(el, traces, layout(pane.title, pane.logX, pane.logY, legend), CONFIG);
      return true;
    };
    // One changed pane per task (a setTimeout each), never inside React's commit: a click (Pause)
    // waits for one pane's redraw at most, not for all of them (the page never blocks, issue 7).
    const drawFrom = (i: number): void => {
      pending.current = undefined;
      for (let k = i; k < PANES.length; k++) {
        const pane = PANES[k];
        if (pane && drawPane(pane)) {
          pending.current = window.setTimeout(() => drawFrom(k + 1), 0);
          return;
        }
      }
      if (stale.current) {
        stale.current = false;
        pending.current = window.setTimeout(draw, 500);
      }
    };
    const draw = (): void => {
      lastDraw.current = performance.now();
      drawFrom(0);
    };
    const wait = 500 - (performance.now() - lastDraw.current);
    if (pending.current === undefined) pending.current = window.setTimeout(draw, Math.max(0, wait));
    else stale.current = true;
  }, [plotly, runs, visibleKey]);

  useEffect(
    () => () => {
      if (pending.current !== undefined) clearTimeout(pending.current);
      if (plotly) for (const el of refs.current.values()) plotly.purge(el);
    },
    [plotly],
  );

  return (
    <section id="plots" className="plots" aria-label="Convergence plots">
      {loadError ? <p className="hint">Plots unavailable: {loadError}</p> : null}
      {!plotly && !loadError ? <p className="hint loading">Loading plots…</p> : null}
      {PANES.map((p) => (
        <div
          key={p.key}
          className="plot"
          data-plot={p.key}
          hidden={!visible.includes(p) || (p.key === 'l2' && !torus && !hasData(runs, 'l2'))}
          ref={(el) => {
            if (el) refs.current.set(p.key, el);
            else refs.current.delete(p.key);
          }}
        />
      ))}
    </section>
  );
}

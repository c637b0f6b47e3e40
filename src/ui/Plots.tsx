/**
 * Live convergence plots. plotly.js is imported lazily, after the first paint, so the particles
 * start flowing before ~4 MB of plotting code is parsed. Redrawn at most every 500 ms, only the
 * panes whose data changed, one pane per task.
 *
 * Panes: the registered metrics that have data (src/metrics/registry.ts: title, axes and tooltip
 * from each MetricDef.plot, no code here per metric; before the first metrics arrive, the ones the
 * run expects keep their place), then every plotted method readout (MethodDef.readouts with
 * `plot: true`: no code here per method), then ms per step (the first, warm-up point left out and
 * the y range clipped to the 95% quantile). Each has a y-axis title; log axes spanning a decade or
 * more tick at powers of ten, at most 5 labels (fewer when a wrapped legend leaves less height;
 * every 2nd, 3rd, .. decade when the span is wide) with minor ticks between (logTicks). The section's height is reserved for the panes it expects, so the
 * page does not jump while they appear. Colours follow the theme.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MetricsHistory } from '../engine/Engine';
import { metrics, type RegisteredMetric } from '../metrics/registry';
import type { ReadoutSpec } from '../methods/types';
import type { ReadoutSeries } from './readoutHistory';
import { PLOT_THEME, type Theme } from './theme';

interface PlotlyModule {
  react: typeof import('plotly.js-dist-min').react;
  purge: typeof import('plotly.js-dist-min').purge;
}

type Trace = import('plotly.js-dist-min').Trace;

export interface PlotRun {
  label: string;
  history: MetricsHistory;
  /** The run's plotted readouts (src/ui/readoutHistory.ts). */
  readouts?: ReadoutSeries;
  /** Drawn dashed (a one-step generator's flat line at its metric). */
  dashed?: boolean;
}

interface Props {
  /** The primary run, then the compared run (split view). */
  runs: PlotRun[];
  /** Panes the run will have, by metric id (metricPlan / expectedMetrics): their place is kept before the first point. */
  expect: Partial<Record<string, boolean>>;
  /** Plotted readouts of the runs' methods (`plot: true`), one pane each. */
  readouts?: readonly ReadoutSpec[];
  theme?: Theme;
}

interface Series {
  x: readonly number[];
  y: readonly (number | null)[];
}

interface Pane {
  key: string;
  title: string;
  yTitle: string;
  /** Tooltip: what the curve is. */
  what: string;
  logX: boolean;
  logY: boolean;
  series(r: PlotRun): Series;
  /** ms per step: y range clipped to a robust quantile. */
  robust?: boolean;
}

/** A registered metric's pane (src/metrics/registry.ts): its data-plot is the metric's id. */
const metricPane = (def: RegisteredMetric): Pane => ({
  key: def.id,
  title: def.plot.title,
  yTitle: def.plot.yTitle,
  what: def.plot.what,
  logX: def.plot.logX === true,
  logY: def.plot.yScale === 'log',
  series: (r) => ({ x: r.history.step, y: r.history[def.id] }),
});

const METRIC_PANES: Pane[] = metrics.map(metricPane);

const MS_PANE: Pane = {
  key: 'ms',
  title: 'ms per step',
  yTitle: 'ms / step',
  what: 'Wall time per step (smoothed); the first, warm-up point is left out',
  logX: false,
  logY: false,
  robust: true,
  series: (r) => ({ x: r.history.step.slice(1), y: r.history.msPerStep.slice(1) }),
};

function readoutPane(spec: ReadoutSpec): Pane {
  const unit = spec.unit ? ` (${spec.unit})` : '';
  return {
    key: `readout:${spec.key}`,
    title: `${spec.label} vs step`,
    yTitle: `${spec.label}${unit}`,
    what: spec.description,
    logX: false,
    logY: spec.scale === 'log',
    series: (r) => {
      const s = r.readouts?.[spec.key];
      return s ? { x: s.step, y: s.value } : { x: [], y: [] };
    },
  };
}

const CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

function hasPoints(pane: Pane, runs: PlotRun[]): boolean {
  return runs.some((r) => pane.series(r).y.some((v) => finite(v) && (!pane.logY || v > 0)));
}

/** The q-quantile of the values (q in [0, 1]); undefined when there are none. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

/** Tick steps in decades, smallest first: a log axis labels every `step`-th power of ten. */
const DECADE_STEPS = [1, 2, 3, 4, 5, 10, 20, 25, 50, 100];

/**
 * Log-axis ticks: when the data span a decade or more, labelled powers of ten every `step` decades
 * (the smallest step giving at most `maxTicks` labels, e.g. F from 0.25 to 1e-16: 10^0, 10^-4, ..,
 * 10^-16), with unlabelled minor ticks at the other decades (or at 2 and 5 when every decade is
 * labelled and there are at most 3); under a decade, plotly's own ticks (at most 4).
 */
export function logTicks(values: readonly number[], maxTicks = 5): Record<string, unknown> {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return {};
  const lo = Math.log10(Math.min(...pos)), hi = Math.log10(Math.max(...pos));
  if (hi - lo < 1) return { exponentformat: 'power', nticks: 4 };
  // labelled powers 10^(k step) with k step in [lo, hi] (plotly pads the range a little; close enough)
  const labels = (step: number): number => Math.floor(hi / step) - Math.ceil(lo / step) + 1;
  const step = DECADE_STEPS.find((d) => labels(d) <= maxTicks) ?? Math.ceil((hi - lo) / maxTicks);
  // minor ticks: every decade under a label step of up to 5 decades, else 5 between labels
  const minor = step > 1 ? { dtick: step <= 5 ? 1 : step / 5, ticklen: 3, showgrid: false } : hi - lo <= 3 ? { dtick: 'D2', ticklen: 3, showgrid: false } : undefined;
  return { dtick: step, tick0: 0, exponentformat: 'power', showexponent: 'all', ...(minor ? { minor } : {}) };
}

/**
 * Rows a horizontal legend of these names takes in `width` px (font 10: ~5.6 px a character, ~40 px
 * of line sample and gap per entry): one row when all fit, else plotly's grid of equal columns as
 * wide as the widest entry.
 */
export function legendRows(names: readonly string[], width: number): number {
  const widths = names.map((n) => 40 + 5.6 * n.length);
  if (widths.reduce((a, b) => a + b, 0) <= width) return 1;
  const columns = Math.max(1, Math.floor(width / Math.max(...widths)));
  return Math.ceil(names.length / columns);
}

/** Labelled log ticks that stay readable in a plot area `h` px high: one per 24 px, 2 to 5. */
export function ticksFitting(h: number): number {
  return Math.max(2, Math.min(5, Math.floor(h / 24)));
}

/** The plot area's height (px) of a pane `height` px high with a legend of `rows` rows (margins as in layout()). */
function plotAreaHeight(height: number, legend: boolean, rows: number): number {
  return height - (legend ? 46 + 19 * (rows - 1) : 26) - 30;
}

function layout(pane: Pane, traces: Series[], legend: boolean, theme: Theme, maxTicks = 5, legendRowCount = 1): Record<string, unknown> {
  const c = PLOT_THEME[theme];
  const axis = { gridcolor: c.grid, zerolinecolor: c.grid, color: c.axis, tickfont: { size: 10 }, automargin: true };
  const ys = traces.flatMap((t) => t.y.filter(finite));
  const xs = traces.flatMap((t) => [...t.x]);
  let yRange: Record<string, unknown> = {};
  if (pane.robust) {
    const hi = quantile(ys, 0.95);
    if (hi !== undefined && hi > 0) yRange = { range: [0, 1.15 * hi], autorange: false };
  }
  return {
    title: { text: pane.title, font: { size: 12, color: c.title }, x: 0.02, xanchor: 'left', y: 1, yref: 'container', yanchor: 'top', pad: { t: 5 } },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: c.plotBg,
    // a wrapped legend gets its rows above the plot area (it would otherwise grow over the title)
    margin: { l: 50, r: 10, t: legend ? 46 + 19 * (legendRowCount - 1) : 26, b: 30 },
    xaxis: { ...axis, type: pane.logX ? 'log' : 'linear', title: { text: 'step', font: { size: 10 }, standoff: 2 }, ...(pane.logX ? logTicks(xs, 6) : {}) },
    yaxis: { ...axis, type: pane.logY ? 'log' : 'linear', exponentformat: 'power', title: { text: pane.yTitle, font: { size: 10 }, standoff: 4 }, ...(pane.logY ? logTicks(ys, maxTicks) : {}), ...yRange },
    showlegend: legend,
    // above the plot area, under the title: never over the curves
    legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.01, yanchor: 'bottom', bgcolor: c.legendBg, font: { size: 10, color: c.title } },
    autosize: true,
  };
}

export function Plots({ runs, expect, readouts = [], theme = 'dark' }: Props): React.JSX.Element {
  const refs = useRef(new Map<string, HTMLDivElement>());
  const [plotly, setPlotly] = useState<PlotlyModule | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const lastDraw = useRef(0);
  const pending = useRef<number | undefined>(undefined);
  /** Per pane: what it was last drawn from (unchanged data is not redrawn). */
  const drawn = useRef(new Map<string, string>());
  /** New data arrived while a redraw was under way: redraw once more after it. */
  const stale = useRef(false);

  const panes = [...METRIC_PANES, ...readouts.map(readoutPane), MS_PANE];
  const withData = new Set(panes.filter((p) => hasPoints(p, runs)).map((p) => p.key));
  const anyMetric = [...METRIC_PANES, ...readouts.map(readoutPane)].some((p) => withData.has(p.key));
  const expected = (p: Pane): boolean => p.key !== 'ms' && expect[p.key] === true;
  const isShown = (p: Pane): boolean => p.key === 'ms' || withData.has(p.key) || (!anyMetric && expected(p));
  const shown = panes.filter(isShown);
  const reserved = Math.max(shown.length, panes.filter((p) => p.key === 'ms' || expected(p) || withData.has(p.key)).length);
  const shownKey = shown.map((p) => p.key).join(',');

  const latest = useRef({ runs, panes: shown, theme });
  // before the draw effect below reads it (layout effects run first)
  useLayoutEffect(() => {
    latest.current = { runs, panes: shown, theme };
  });

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

  useEffect(() => {
    if (!plotly) return;
    /** Draw `pane` if its data changed since it was last drawn; true when it drew. */
    const drawPane = (pane: Pane): boolean => {
      const el = refs.current.get(pane.key);
      if (!el) return false;
      const { runs: rs, panes: ps, theme: th } = latest.current;
      const labels = rs.map((r) => r.label);
      const legend = rs.length > 1;
      const data = rs.map((r) => pane.series(r));
      const signature = JSON.stringify([th, ps.map((p) => p.key), labels, data.map((d) => [d.x.length, d.x[d.x.length - 1], d.y[d.y.length - 1]])]);
      if (drawn.current.get(pane.key) === signature) return false;
      drawn.current.set(pane.key, signature);
      const colours = PLOT_THEME[th].traces;
      const traces = rs.map((r, i): Trace => {
        const d = data[i] ?? { x: [], y: [] };
        const name = legend && labels.filter((l) => l === r.label).length > 1 ? `${r.label} (${['left', 'right', 'third'][i] ?? i + 1})` : r.label;
        const y = d.y.map((v) => (finite(v) && (!pane.logY || v > 0) ? v : null));
        return {
          x: pane.logX ? d.x.map((s) => (s > 0 ? s : null)) : [...d.x],
          y,
          type: 'scatter',
          mode: 'lines',
          name,
          // a run with nothing to show here (a generator in the ms-per-step pane) stays out of the legend
          showlegend: y.some((v) => v !== null),
          line: { color: colours[i % colours.length] ?? colours[0], width: 2, ...(r.dashed === true ? { dash: 'dash' as const } : {}) },
          connectgaps: false,
        };
      });
      // a legend that wraps (three runs in a narrow pane) leaves less height: fewer log labels
      const rows = legend ? legendRows(traces.map((t) => String(t.name ?? '')), el.clientWidth - 60) : 1;
      const maxTicks = ticksFitting(plotAreaHeight(el.clientHeight || 178, legend, rows));
      void plotly.react(el, traces, layout(pane, data, legend, th, maxTicks, rows), CONFIG);
      return true;
    };
    // One changed pane per task (a setTimeout each), never inside React's commit: a click (Pause)
    // waits for one pane's redraw at most, not for all of them (the page never blocks, issue 7).
    const drawFrom = (i: number): void => {
      pending.current = undefined;
      const ps = latest.current.panes;
      for (let k = i; k < ps.length; k++) {
        const pane = ps[k];
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
  }, [plotly, runs, shownKey, theme]);

  // panes that went away (another method, another target): release their plot (resize listeners) and signature
  useEffect(() => {
    for (const [key, el] of refs.current) {
      if (el.isConnected) continue;
      if (plotly) plotly.purge(el);
      refs.current.delete(key);
      drawn.current.delete(key);
    }
  }, [plotly, shownKey]);

  useEffect(
    () => () => {
      if (pending.current !== undefined) clearTimeout(pending.current);
      if (plotly) for (const el of refs.current.values()) plotly.purge(el);
    },
    [plotly],
  );

  return (
    <section id="plots" className="plots" aria-label="Convergence plots" style={{ '--panes': reserved } as React.CSSProperties} data-panes={shown.length}>
      {loadError ? <p className="hint">Plots unavailable: {loadError}</p> : null}
      {!plotly && !loadError ? <p className="hint loading">Loading plots…</p> : null}
      {shown.map((p) => (
        <div
          key={p.key}
          className="plot"
          data-plot={p.key.replace('readout:', 'readout-')}
          title={p.what}
          ref={(el) => {
            // set only: a pane that goes away is purged by the effect below (a ref callback also gets null on every re-render)
            if (el) refs.current.set(p.key, el);
          }}
        />
      ))}
    </section>
  );
}

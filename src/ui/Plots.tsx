/**
 * Live convergence plots. plotly.js is imported lazily, after the first paint, so the particles
 * start flowing before ~4 MB of plotting code is parsed. Redrawn at most every 500 ms.
 */
import { useEffect, useRef, useState } from 'react';
import type { MetricsHistory } from '../engine/Engine';

interface PlotlyModule {
  react: typeof import('plotly.js-dist-min').react;
  purge: typeof import('plotly.js-dist-min').purge;
}

interface Props {
  history: MetricsHistory;
  hasEnergy: boolean;
}

const AXIS = { gridcolor: '#223047', zerolinecolor: '#223047', color: '#9fb0c8', tickfont: { size: 10 } };

function layout(title: string, logY: boolean): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 12, color: '#c9d5e6' }, x: 0.02, xanchor: 'left' },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#0c1220',
    margin: { l: 46, r: 10, t: 26, b: 28 },
    xaxis: { ...AXIS, title: { text: 'step', font: { size: 10 } } },
    yaxis: { ...AXIS, type: logY ? 'log' : 'linear', exponentformat: 'power' },
    showlegend: false,
    autosize: true,
  };
}

const CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };

export function Plots({ history, hasEnergy }: Props): React.JSX.Element {
  const ksdRef = useRef<HTMLDivElement>(null);
  const energyRef = useRef<HTMLDivElement>(null);
  const msRef = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyModule | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const lastDraw = useRef(0);
  const pending = useRef<number | undefined>(undefined);

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
    const draw = (): void => {
      pending.current = undefined;
      lastDraw.current = performance.now();
      const x = history.step;
      const panes: [HTMLDivElement | null, (number | null)[], string, boolean, string][] = [
        [ksdRef.current, history.ksd.map((v) => (v !== null && v > 0 ? v : null)), 'KSD (IMQ) vs step', true, '#ff9e40'],
        [energyRef.current, [...history.energy], 'Energy distance to exact samples', true, '#5ad1c0'],
        [msRef.current, history.msPerStep.map((v) => (v > 0 ? v : null)), 'ms per step', false, '#8fa8ff'],
      ];
      for (const [el, y, title, logY, color] of panes) {
        if (!el) continue;
        void plotly.react(el, [{ x, y, type: 'scatter', mode: 'lines', line: { color, width: 2 }, connectgaps: false }], layout(title, logY), CONFIG);
      }
    };
    const wait = 500 - (performance.now() - lastDraw.current);
    if (wait <= 0) draw();
    else if (pending.current === undefined) pending.current = window.setTimeout(draw, wait);
  }, [plotly, history, hasEnergy]);

  useEffect(
    () => () => {
      if (pending.current !== undefined) clearTimeout(pending.current);
      if (plotly) for (const el of [ksdRef.current, energyRef.current, msRef.current]) if (el) plotly.purge(el);
    },
    [plotly],
  );

  return (
    <section id="plots" className="plots" aria-label="Convergence plots">
      {loadError ? <p className="hint">Plots unavailable: {loadError}</p> : null}
      {!plotly && !loadError ? <p className="hint loading">Loading plots…</p> : null}
      <div className="plot" ref={ksdRef} data-plot="ksd" />
      <div className="plot" ref={energyRef} data-plot="energy" hidden={!hasEnergy} />
      <div className="plot" ref={msRef} data-plot="ms" />
    </section>
  );
}

/**
 * One line: backend + adapter, step, timing, size, latest statistics, and the method's readouts;
 * in split view the compared run's too.
 * Readouts are rendered generically from `MethodDef.readouts` (label, format, unit; title = the
 * description): a method adds one without any code here.
 */
import type { EngineSnapshot } from '../engine/Engine';
import { runsOn } from '../engine/compat';
import { metrics, readMetric } from '../metrics/registry';
import { methods } from '../methods/registry';
import type { ReadoutSpec } from '../methods/types';
import type { Params } from '../core/params';

function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
}

/** A readout value as shown: 'percent' 100 v with one decimal and '%', 'integer', or a number (fmt). */
export function formatReadout(spec: ReadoutSpec, v: number): string {
  const text = spec.format === 'percent' ? (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–') : spec.format === 'integer' ? (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–') : fmt(v);
  return spec.unit ? `${text} ${spec.unit}` : text;
}

interface RunView {
  method: string;
  stats: EngineSnapshot['stats'];
  metrics: EngineSnapshot['metrics'];
}

/** The declared readouts of a run's method that have a value now, with their values. */
export function readoutsOf(run: RunView): { spec: ReadoutSpec; value: number }[] {
  const specs = methods.find((m) => m.id === run.method)?.readouts ?? [];
  const out: { spec: ReadoutSpec; value: number }[] = [];
  for (const spec of specs) {
    const value = spec.when === 'stats' ? run.stats?.readouts?.[spec.key] : run.metrics?.readouts?.[spec.key];
    if (value !== undefined) out.push({ spec, value });
  }
  return out;
}

/**
 * On the GPU backend: what of the run's method runs on the host (its float64 twin) and why, from the
 * one rule (src/engine/compat.ts runsOn), e.g. 'inner solve on the host (float64 twin)'; else undefined.
 */
export function hostNoteFor(snap: EngineSnapshot, method: string, params: Params): string | undefined {
  const def = methods.find((m) => m.id === method);
  return def ? runsOn(def, params, snap.backendKind).hostNote : undefined;
}

function hostSpan(note: string | undefined, method: string): React.JSX.Element | null {
  if (!note) return null;
  return (
    <span className="status-host" data-testid="host-note" title="This method has no WGSL stepper for these settings: the GPU backend runs its float64 twin on the CPU and writes the positions back each step">
      {method}: {note}
    </span>
  );
}

/** The primary run's readouts that have a value now. */
export function readoutsShown(snap: EngineSnapshot): { spec: ReadoutSpec; value: number }[] {
  return readoutsOf({ method: snap.config.method, stats: snap.stats, metrics: snap.metrics });
}

/**
 * The metrics of a run worth one glance, as each registered metric words it (MetricDef.status, e.g.
 * KSD, L2, the S_eps solve; no code here per metric); `detail`: solver details too (the primary run).
 */
function metricSpans(m: EngineSnapshot['metrics'], detail = false): React.JSX.Element[] {
  if (!m) return [];
  const out: React.JSX.Element[] = [];
  for (const def of metrics) {
    const s = def.status?.((key) => readMetric(m, key), (v) => fmt(v));
    if (s && (detail || s.detail !== true)) out.push(<span key={def.id} title={s.title}>{s.text}</span>);
  }
  return out;
}

export function backendLine(snap: EngineSnapshot): string {
  if (snap.status === 'starting') return 'Starting…';
  const b = snap.backend;
  if (!b) return 'No backend';
  return b.kind === 'gpu' ? `WebGPU: ${b.description}` : 'CPU engine (float64)';
}

/** How the status bar names compared run k (its canvas: run 1 the right one while it is the only one). */
const RUN_WORD: Record<number, string> = { 1: 'right', 2: 'third', 3: 'fourth' };

/**
 * The primary run, then, in split view, each compared run (snap.runs[1..3]: right / third / fourth canvas) with its own
 * step, timing, mean, metrics and readouts, each compared run on its own wrapped line (no sideways
 * scrolling at 1440 px); the host note where the GPU backend runs a method's float64 twin.
 */
export function StatusBar({ snap }: { snap: EngineSnapshot }): React.JSX.Element {
  const s = snap.stats;
  const c = snap.runs[1];
  return (
    <div className={`status${c ? ' split' : ''}`} role="status" aria-label="Status" title={c ? `Left: ${snap.label}; right: ${c.label}` : undefined}>
      <span className={`badge ${snap.backendKind}`}>{backendLine(snap)}</span>
      {hostSpan(hostNoteFor(snap, snap.config.method, snap.config.params), snap.config.method)}
      <span>{snap.playing ? '▶ running' : '❚❚ paused'}</span>
      <span>
        step <b data-testid="step">{snap.step.toLocaleString('en-US')}</b>
      </span>
      <span>N = {snap.config.n.toLocaleString('en-US')}</span>
      <span>{fmt(snap.msPerStep, 2)} ms/step</span>
      <span>{snap.stepsPerFrame} steps/frame</span>
      {s ? (
        <span>
          mean ({fmt(s.mean[0], 2)}, {fmt(s.mean[1], 2)})
        </span>
      ) : null}
      {metricSpans(snap.metrics, true)}
      {readoutsShown(snap).map(({ spec, value }) => (
        <span key={spec.key} title={spec.description} data-readout={spec.key} data-value={value}>
          {spec.label} {formatReadout(spec, value)}
        </span>
      ))}
      {snap.runs.slice(1).map((r) => (
        <span key={r.index} className="status-compare" data-testid={r.index === 1 ? 'status-compare' : `status-compare${r.index}`}>
          <span className="status-run">
            {RUN_WORD[r.index] ?? `run ${r.index + 1}`}: {r.label}
          </span>
          {hostSpan(hostNoteFor(snap, r.method, r.params), r.method)}
          <span>
            step <b>{r.step.toLocaleString('en-US')}</b>
          </span>
          <span>{fmt(r.msPerStep, 2)} ms/step</span>
          {r.stats ? (
            <span>
              mean ({fmt(r.stats.mean[0], 2)}, {fmt(r.stats.mean[1], 2)})
            </span>
          ) : null}
          {metricSpans(r.metrics)}
          {readoutsOf({ method: r.method, stats: r.stats, metrics: r.metrics }).map(({ spec, value }) => (
            <span key={spec.key} title={spec.description} data-readout={spec.key} data-value={value}>
              {spec.label} {formatReadout(spec, value)}
            </span>
          ))}
        </span>
      ))}
    </div>
  );
}

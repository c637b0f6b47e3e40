/**
 * One line: backend + adapter, step, timing, size, latest statistics, and the method's readouts.
 * Readouts are rendered generically from `MethodDef.readouts` (label, format, unit; title = the
 * description): a method adds one without any code here.
 */
import type { EngineSnapshot } from '../engine/Engine';
import { methods } from '../methods/registry';
import type { ReadoutSpec } from '../methods/types';

function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
}

/** A readout value as shown: 'percent' 100 v with one decimal and '%', 'integer', or a number (fmt). */
export function formatReadout(spec: ReadoutSpec, v: number): string {
  const text = spec.format === 'percent' ? (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–') : spec.format === 'integer' ? (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–') : fmt(v);
  return spec.unit ? `${text} ${spec.unit}` : text;
}

/** The declared readouts of the run's method that have a value now, with their values. */
export function readoutsShown(snap: EngineSnapshot): { spec: ReadoutSpec; value: number }[] {
  const specs = methods.find((m) => m.id === snap.config.method)?.readouts ?? [];
  const out: { spec: ReadoutSpec; value: number }[] = [];
  for (const spec of specs) {
    const value = spec.when === 'stats' ? snap.stats?.readouts?.[spec.key] : snap.metrics?.readouts?.[spec.key];
    if (value !== undefined) out.push({ spec, value });
  }
  return out;
}

export function backendLine(snap: EngineSnapshot): string {
  if (snap.status === 'starting') return 'Starting…';
  const b = snap.backend;
  if (!b) return 'No backend';
  return b.kind === 'gpu' ? `WebGPU: ${b.description}` : 'CPU engine (float64)';
}

export function StatusBar({ snap }: { snap: EngineSnapshot }): React.JSX.Element {
  const s = snap.stats;
  return (
    <div className="status" role="status" aria-label="Status">
      <span className={`badge ${snap.backendKind}`}>{backendLine(snap)}</span>
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
      {snap.metrics?.ksd !== undefined ? <span>KSD {fmt(snap.metrics.ksd)}</span> : null}
      {snap.metrics?.sinkhornMarginalError !== undefined ? (
        <span title="The plotted Sinkhorn divergence's solve: iterations (eps-annealing included) and the L1 error of its plan's marginals, checked every 10 iterations (tolerance 1e-3, at most 300)">
          S<sub>ε</sub> {snap.metrics.sinkhornIterations ?? '–'} it., marginal err {fmt(snap.metrics.sinkhornMarginalError)}
        </span>
      ) : null}
      {readoutsShown(snap).map(({ spec, value }) => (
        <span key={spec.key} title={spec.description} data-readout={spec.key}>
          {spec.label} {formatReadout(spec, value)}
        </span>
      ))}
    </div>
  );
}

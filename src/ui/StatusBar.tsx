/** One line: backend + adapter, step, timing, size, latest statistics. */
import type { EngineSnapshot } from '../engine/Engine';

function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
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
      {snap.metrics?.flowMarginalError !== undefined ? (
        <span title="The Sinkhorn flow's own plan after the last step's iterations: L1 error of its marginals (raise Sinkhorn iterations to lower it)">
          flow plan marginal err {fmt(snap.metrics.flowMarginalError)}
        </span>
      ) : null}
      {s?.acceptance !== undefined ? <span>accept {(100 * s.acceptance).toFixed(1)}%</span> : null}
      {s?.bandwidth !== undefined ? <span>σ {fmt(s.bandwidth)}</span> : null}
    </div>
  );
}

/**
 * The "Spectrum" button (issue 10): the Hessian spectrum of the main run's current particle state on
 * an energy landscape, drawn as eigenvalue vs index (small N: all 2N eigenvalues from the dense twin;
 * larger N: the Lanczos Ritz values; src/landscapes/spectrum.ts). Computed on click from positions
 * read back once; shown only for landscape targets.
 */
import { useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { hessianSpectrum, type Spectrum as SpectrumResult } from '../landscapes/spectrum';

const W = 320, H = 140, PAD = 28;

export function Spectrum({ engine, snap }: { engine: Engine; snap: EngineSnapshot }): React.JSX.Element | null {
  const [result, setResult] = useState<{ s: SpectrumResult; step: number } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const L = snap.target?.landscape;
  if (!L) return null;
  const compute = async (): Promise<void> => {
    const step = snap.step;
    const x = await engine.readPositions();
    if (!x || x.length !== 2 * snap.config.n) return;
    try {
      setResult({ s: hessianSpectrum(L, x, snap.config.n), step });
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const v = result?.s.values;
  const lo = v ? Math.min(0, v[0] ?? 0) : 0, hi = v ? Math.max(0, v[v.length - 1] ?? 0) : 1;
  const sy = (y: number): number => H - PAD / 2 - ((y - lo) / (hi - lo || 1)) * (H - PAD);
  const sx = (i: number): number => PAD + (v && v.length > 1 ? (i / (v.length - 1)) * (W - 1.5 * PAD) : 0);
  return (
    <section className="spectrum" aria-label="Hessian spectrum">
      <button type="button" onClick={() => void compute()} title="Eigenvalues of the particle Wasserstein Hessian at the current state (dense for N <= 128, else Lanczos Ritz values)">
        Spectrum
      </button>
      {error ? <span className="hint"> {error}</span> : null}
      {result && v ? (
        <figure>
          <svg width={W} height={H} role="img" aria-label={`Hessian spectrum at step ${result.step}`} data-testid="spectrum" data-min={v[0]}>
            <line x1={PAD} x2={W - PAD / 2} y1={sy(0)} y2={sy(0)} stroke="currentColor" strokeOpacity={0.4} />
            {Array.from(v, (y, i) => (
              <circle key={i} cx={sx(i)} cy={sy(y)} r={2} fill={y < 0 ? '#e5533d' : '#5ad1c0'} />
            ))}
            <text x={2} y={sy(hi) + 4} fontSize={10} fill="currentColor">{hi.toPrecision(3)}</text>
            <text x={2} y={sy(lo)} fontSize={10} fill="currentColor">{lo.toPrecision(3)}</text>
          </svg>
          <figcaption>
            {result.s.kind === 'dense' ? `all ${v.length} eigenvalues (dense)` : `${v.length} Ritz values (Lanczos)`} of H at step {result.step}: min {(v[0] ?? NaN).toPrecision(4)}, {Array.from(v).filter((y) => y < 0).length} negative
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}

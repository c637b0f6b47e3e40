/**
 * The "Spectrum" button (issue 10): the Hessian spectrum of the main run's current particle state on
 * an energy landscape, drawn as eigenvalue vs index with both axes (small N: all 2N eigenvalues from
 * the dense twin; larger N: the Lanczos Ritz values; src/landscapes/spectrum.ts). Computed in a Web
 * Worker (spectrumClient.ts, issue 18 item 8: Lanczos at N = 4,096 takes seconds and the page never
 * blocks) from positions read back once; a newer request cancels the one still computing. Once
 * shown, the plot follows the target: moving a well (or any target change, a new run) recomputes it
 * at the current positions. Shown only for landscape targets.
 * State for tests: the section's data-state (idle | computing | ready | error); the plot's data-min,
 * data-step and data-target-version (the target version it was computed for).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { CancelledError } from '../platform/worker/protocol';
import type { Spectrum as SpectrumResult } from '../landscapes/spectrum';
import { SpectrumClient } from './spectrumClient';

const W = 360, H = 170;
/** Plot margins: left (y tick labels and title), right, top, bottom (x ticks and title). */
const ML = 52, MR = 10, MT = 8, MB = 32;
/** After a target change (a dragged well moves it at every pointer move), wait this long before recomputing. */
const REFRESH_DEBOUNCE_MS = 200;

interface Shown {
  s: SpectrumResult;
  step: number;
  targetVersion: number;
}

export function Spectrum({ engine, snap }: { engine: Engine; snap: EngineSnapshot }): React.JSX.Element | null {
  const [result, setResult] = useState<Shown | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [computing, setComputing] = useState(false);
  const [open, setOpen] = useState(false);
  const clientRef = useRef<SpectrumClient | undefined>(undefined);
  const seqRef = useRef(0);
  /** The target version of the latest request (shown, computing or refused): not asked for twice. */
  const askedRef = useRef<number | undefined>(undefined);

  useEffect(() => {
    const client = new SpectrumClient();
    clientRef.current = client;
    return () => {
      client.destroy();
      clientRef.current = undefined;
    };
  }, []);

  const compute = useCallback(async (): Promise<void> => {
    const client = clientRef.current;
    if (!client) return;
    const seq = ++seqRef.current;
    const s0 = engine.getSnapshot();
    const L = s0.target?.landscape;
    const n = s0.config.n;
    if (!L) return;
    askedRef.current = s0.targetVersion;
    setComputing(true);
    try {
      const step = s0.step;
      const x = await engine.readPositions();
      if (seq !== seqRef.current) return;
      if (!x || x.length !== 2 * n) throw new Error(`the positions of the run could not be read (${x?.length ?? 0} numbers, expected ${2 * n})`);
      const s = await client.compute(L, x, n);
      if (seq !== seqRef.current) return;
      setResult({ s, step, targetVersion: s0.targetVersion });
      setError(undefined);
    } catch (e) {
      if (e instanceof CancelledError || seq !== seqRef.current) return; // superseded by a newer request, or closed
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (seq === seqRef.current) setComputing(false);
    }
  }, [engine]);

  // once shown, follow the target (a moved well, a new run): recompute at the current positions
  const targetVersion = snap.targetVersion;
  const isLandscape = snap.target?.landscape !== undefined;
  useEffect(() => {
    if (!open || !isLandscape || askedRef.current === targetVersion) return;
    const id = window.setTimeout(() => void compute(), REFRESH_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [open, isLandscape, targetVersion, compute]);

  if (!isLandscape) return null;
  const onClick = (): void => {
    setOpen(true);
    void compute();
  };

  const v = result?.s.values;
  const lo = v ? Math.min(0, v[0] ?? 0) : 0, hi = v ? Math.max(0, v[v.length - 1] ?? 0) : 1;
  const sy = (y: number): number => MT + (1 - (y - lo) / (hi - lo || 1)) * (H - MT - MB);
  const sx = (i: number): number => ML + (v && v.length > 1 ? (i / (v.length - 1)) * (W - ML - MR) : 0);
  const state = computing ? 'computing' : error ? 'error' : result ? 'ready' : 'idle';
  const yTicks = [...new Set([lo, 0, hi])];
  const x0 = H - MB;
  return (
    <section className="spectrum" aria-label="Hessian spectrum" data-state={state} aria-busy={computing}>
      <button type="button" onClick={onClick} title="Eigenvalues of the particle Wasserstein Hessian at the current state (dense for N <= 128, else Lanczos Ritz values), computed off the page's thread; the plot follows the wells once shown">
        Spectrum
      </button>
      {computing ? <span className="hint"> computing…</span> : null}
      {error ? <span className="hint"> {error}</span> : null}
      {result && v ? (
        <figure>
          <svg
            width={W}
            height={H}
            role="img"
            aria-label={`Hessian spectrum at step ${result.step}`}
            data-testid="spectrum"
            data-min={v[0]}
            data-step={result.step}
            data-target-version={result.targetVersion}
          >
            {/* axes: y (eigenvalue) on the left, x (index, ascending) at the bottom */}
            <line x1={ML} x2={ML} y1={MT} y2={x0} stroke="currentColor" strokeOpacity={0.7} />
            <line x1={ML} x2={W - MR} y1={x0} y2={x0} stroke="currentColor" strokeOpacity={0.7} />
            {yTicks.map((t) => (
              <g key={`y${t}`}>
                <line x1={ML - 4} x2={ML} y1={sy(t)} y2={sy(t)} stroke="currentColor" />
                <text x={ML - 6} y={sy(t) + 3} fontSize={10} fill="currentColor" textAnchor="end">
                  {t === 0 ? '0' : t.toPrecision(3)}
                </text>
              </g>
            ))}
            <line x1={ML} x2={W - MR} y1={sy(0)} y2={sy(0)} stroke="currentColor" strokeOpacity={0.35} strokeDasharray="3 3" />
            {[0, v.length - 1].map((i) => (
              <g key={`x${i}`}>
                <line x1={sx(i)} x2={sx(i)} y1={x0} y2={x0 + 4} stroke="currentColor" />
                <text x={sx(i)} y={x0 + 14} fontSize={10} fill="currentColor" textAnchor="middle">
                  {i + 1}
                </text>
              </g>
            ))}
            <text x={(ML + W - MR) / 2} y={H - 4} fontSize={10} fill="currentColor" textAnchor="middle">
              index (ascending)
            </text>
            <text x={10} y={(MT + x0) / 2} fontSize={10} fill="currentColor" textAnchor="middle" transform={`rotate(-90 10 ${(MT + x0) / 2})`}>
              eigenvalue of H
            </text>
            {Array.from(v, (y, i) => (
              <circle key={i} cx={sx(i)} cy={sy(y)} r={2} fill={y < 0 ? '#e5533d' : '#5ad1c0'} />
            ))}
          </svg>
          <figcaption>
            {result.s.kind === 'dense' ? `all ${v.length} eigenvalues (dense)` : `${v.length} Ritz values (Lanczos)`} of H at step {result.step}: min {(v[0] ?? NaN).toPrecision(4)}, {Array.from(v).filter((y) => y < 0).length} negative
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}

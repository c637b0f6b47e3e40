/** Method, target, run size and transport controls: every one reads the snapshot, writes the engine. */
import { useId } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { methods, getMethod } from '../methods/registry';
import { targets, getTarget } from '../targets/registry';
import type { ParamValue } from '../params';
import { CommitInput } from './CommitInput';
import { ParamControl } from './ParamControl';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export function ControlPanel({ engine, snap }: Props): React.JSX.Element {
  const ids = { method: useId(), target: useId(), n: useId(), h: useId(), seed: useId(), backend: useId() };
  const { config } = snap;
  const method = attempt(() => getMethod(config.method));
  const targetDef = attempt(() => getTarget(config.target.id));
  const maxN = snap.backend?.maxParticles ?? 65536;
  const num = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw));

  return (
    <section className="panel-section" aria-label="Run controls">
      <div className="transport">
        <button type="button" onClick={() => engine.play()} aria-pressed={snap.playing} className={snap.playing ? 'on' : ''}>
          Play
        </button>
        <button type="button" onClick={() => engine.pause()} aria-pressed={!snap.playing} className={!snap.playing ? 'on' : ''}>
          Pause
        </button>
        <button type="button" onClick={() => engine.stepOnce()}>
          Step
        </button>
        <button type="button" onClick={() => engine.reset()}>
          Reset
        </button>
      </div>

      <div className="row">
        <label htmlFor={ids.target}>Target</label>
        <select id={ids.target} value={config.target.id} onChange={(e) => engine.configure({ target: { id: e.target.value, params: {} } })}>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      {targetDef && config.target.id !== 'mixture'
        ? targetDef.params.map((spec) => (
            <ParamControl
              key={`${targetDef.id}.${spec.name}`}
              spec={spec}
              value={config.target.params[spec.name] ?? spec.default}
              onChange={(v: ParamValue) => engine.configure({ target: { id: config.target.id, params: { ...config.target.params, [spec.name]: v } } })}
              onError={(m) => engine.say('error', m)}
            />
          ))
        : null}

      <div className="row">
        <label htmlFor={ids.method}>Method</label>
        <select id={ids.method} value={config.method} onChange={(e) => engine.configure({ method: e.target.value, params: {} })}>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {method?.params.map((spec) => (
        <ParamControl
          key={`${method.id}.${spec.name}`}
          spec={spec}
          value={config.params[spec.name] ?? spec.default}
          onChange={(v: ParamValue) => engine.configure({ params: { ...config.params, [spec.name]: v } })}
          onError={(m) => engine.say('error', m)}
        />
      ))}

      <div className="row">
        <label htmlFor={ids.n}>Particles</label>
        <CommitInput id={ids.n} type="number" min={1} max={maxN} step={1} value={String(config.n)} onCommit={(raw) => engine.configure({ n: num(raw) })} />
      </div>
      <div className="row">
        <label htmlFor={ids.h}>Step size</label>
        <CommitInput id={ids.h} type="number" min={0} step="any" value={String(config.stepSize)} onCommit={(raw) => engine.configure({ stepSize: num(raw) })} />
      </div>
      <div className="row">
        <label htmlFor={ids.seed}>Seed</label>
        <CommitInput id={ids.seed} type="number" min={0} step={1} value={String(config.seed)} onCommit={(raw) => engine.configure({ seed: num(raw) })} />
      </div>
      <div className="row">
        <label htmlFor={ids.backend}>Backend</label>
        <select id={ids.backend} value={snap.backendKind} onChange={(e) => void engine.setBackend(e.target.value === 'cpu' ? 'cpu' : 'gpu')}>
          <option value="gpu">GPU (WebGPU)</option>
          <option value="cpu">CPU (float64)</option>
        </select>
      </div>
      <p className="hint">
        Up to {maxN.toLocaleString('en-US')} particles on this backend. Space: play/pause · drag: pan · wheel: zoom.
      </p>
    </section>
  );
}

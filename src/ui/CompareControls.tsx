/**
 * The split view's second run: its method and its own parameters (engine.setCompare(method,
 * params)), why the engine changed its method if it did (a sample target), and its status line
 * (step, ms/step, mean, metrics). Shown while "Compare with" is on. The same method as the main
 * run is allowed with other parameters: a refused choice stays here as a draft (with the engine's
 * message) until one parameter differs. The "against itself" hint lives here, shown only while a
 * second run with another method is on (with Compare none it does not apply).
 */
import { useId, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { metricsWithValues } from '../metrics/registry';
import { getMethod, methods } from '../methods/registry';
import { paramShown, type ParamValue, type Params } from '../core/params';
import { targetParams } from '../engine/defaults';
import { eventText } from './messages';
import { ParamControl } from './ParamControl';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
}

function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
}

function findMethod(id: string): ReturnType<typeof getMethod> | undefined {
  try {
    return getMethod(id);
  } catch {
    return undefined;
  }
}

export function CompareControls({ engine, snap }: Props): React.JSX.Element | null {
  const methodId = useId();
  const [draft, setDraft] = useState<{ method: string; params: Params } | undefined>(undefined);
  const c = snap.compare;
  if (!c && !draft) return null;
  const method = draft?.method ?? c?.method ?? '';
  const params = draft?.params ?? c?.params ?? {};
  const def = findMethod(method);
  const apply = (m: string, p: Params): void => {
    setDraft(engine.setCompare(m, p) ? undefined : { method: m, params: p });
  };
  const main = findMethod(snap.config.method);
  const s = c?.stats;
  const m = c?.metrics;
  return (
    <section className="panel-section" aria-label="Second run">
      <h2>Second run{c ? `: ${c.label}` : ''}</h2>
      {c?.note ? (
        <p className="hint" role="note">
          {eventText(c.note)}
        </p>
      ) : null}
      <div className="row">
        <label htmlFor={methodId}>Second run method</label>
        <select id={methodId} value={method} onChange={(e) => apply(e.target.value, {})}>
          {methods.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
              {d.id === snap.config.method ? ' (as the main run: change a parameter)' : ''}
            </option>
          ))}
        </select>
      </div>
      {def?.params
        .filter((spec) => paramShown(spec, def.params, params))
        .map((spec) => (
          <ParamControl
            key={`cmp.${def.id}.${spec.name}`}
            spec={{ ...spec, label: `Second run ${spec.label}` }}
            value={params[spec.name] ?? targetParams(method, snap.config.target.id)[spec.name] ?? spec.default}
            onChange={(v: ParamValue) => apply(method, { ...params, [spec.name]: v })}
            onError={(msg) => engine.say('error', msg)}
          />
        ))}
      {c && !draft && main && c.method !== main.id ? (
        <p className="hint" data-testid="compare-self-hint">
          To compare {main.label} against itself: choose it as the second run method above, then change one of its parameters.
        </p>
      ) : null}
      {draft ? (
        <p className="hint">Not running yet: {draft.method === snap.config.method ? 'change one of its parameters so it differs from the main run' : 'see the message above'}.</p>
      ) : null}
      {c ? (
        <p className="hint" aria-label="Second run status" data-testid="compare-status">
          step <b data-testid="compare-step">{c.step.toLocaleString('en-US')}</b> · {fmt(c.msPerStep, 2)} ms/step
          {s ? ` · mean (${fmt(s.mean[0], 2)}, ${fmt(s.mean[1], 2)})` : ''}
          {metricsWithValues(m).map(({ def, value }) => ` · ${def.label} ${fmt(value)}`).join('')}
          {s?.acceptance !== undefined ? ` · accept ${(100 * s.acceptance).toFixed(1)}%` : ''}
        </p>
      ) : null}
    </section>
  );
}

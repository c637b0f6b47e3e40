/**
 * The split view's compared runs (runs 1..3 of the engine's list: "Second run", "Third run",
 * "Fourth run"), one section each: its method, its own parameters and its own step size
 * (engine.setRun(index, method, params, stepSize)), why the engine changed its method if it did (a
 * sample target), its status line (step, ms/step, mean, metrics), and a Remove button (the later runs
 * move up). Below them, "Add a run" starts one more (at most three compared runs). Shown while
 * "Compare with" (src/ui/ControlPanel.tsx, run 1) is on. The same method as the main run is allowed
 * with other parameters or another step size: a refused choice stays here as a draft (with the
 * engine's message) until one differs. The "against itself" hint lives in the second run's section,
 * shown only while it runs another method (with Compare none it does not apply).
 */
import { useId, useState } from 'react';
import type { Engine, EngineSnapshot, RunView } from '../engine/Engine';
import { MAX_RUNS } from '../engine/Engine';
import { metricsWithValues } from '../metrics/registry';
import { getMethod, methods } from '../methods/registry';
import { paramShown, type ParamValue, type Params } from '../core/params';
import { targetParams } from '../engine/defaults';
import { CommitInput } from './CommitInput';
import { eventText, runName } from './messages';
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

/** "Second", "Third", "Fourth": the words of a compared run's controls (run 1 keeps the names it had before runs[]). */
const title = (index: number): string => {
  const n = runName(index);
  return n.charAt(0).toUpperCase() + n.slice(1);
};

/** The test ids of a run's status line: run 1 keeps 'compare-status' / 'compare-step'; run k: 'compare{k}-status'. */
const testId = (index: number, what: 'status' | 'step'): string => (index === 1 ? `compare-${what}` : `compare${index}-${what}`);

export function CompareControls({ engine, snap }: Props): React.JSX.Element | null {
  const addId = useId();
  const compared = snap.runs.slice(1);
  if (compared.length === 0) return null;
  return (
    <>
      {compared.map((run) => (
        <RunSection key={run.index} engine={engine} snap={snap} run={run} />
      ))}
      {snap.runs.length < MAX_RUNS ? (
        <section className="panel-section" aria-label="More runs">
          <div className="row">
            <label htmlFor={addId}>Add a run</label>
            <select
              id={addId}
              value=""
              onChange={(e) => {
                if (e.target.value) engine.addRun(e.target.value);
              }}
              title={`Up to ${MAX_RUNS - 1} runs beside the main one, each with its own method, parameters and step size`}
            >
              <option value="">choose a method…</option>
              {methods.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
          </div>
        </section>
      ) : null}
    </>
  );
}

function RunSection({ engine, snap, run }: Props & { run: RunView }): React.JSX.Element {
  const methodId = useId();
  const stepId = useId();
  const index = run.index;
  const name = title(index);
  const [draft, setDraft] = useState<{ method: string; params: Params } | undefined>(undefined);
  const method = draft?.method ?? run.method;
  const params = draft?.params ?? run.params;
  const def = findMethod(method);
  const apply = (m: string, p: Params): void => {
    setDraft(engine.setRun(index, m, p) ? undefined : { method: m, params: p });
  };
  const main = findMethod(snap.config.method);
  const s = run.stats;
  const m = run.metrics;
  return (
    <section className="panel-section" aria-label={`${name} run`}>
      <h2>
        {name} run: {run.label}
      </h2>
      {run.note ? (
        <p className="hint" role="note">
          {eventText(run.note)}
        </p>
      ) : null}
      <div className="row">
        <label htmlFor={methodId}>{name} run method</label>
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
            key={`cmp${index}.${def.id}.${spec.name}`}
            spec={{ ...spec, label: `${name} run ${spec.label}` }}
            value={params[spec.name] ?? targetParams(method, snap.config.target.id)[spec.name] ?? spec.default}
            onChange={(v: ParamValue) => apply(method, { ...params, [spec.name]: v })}
            onError={(msg) => engine.say('error', msg)}
          />
        ))}
      <div className="row">
        <label htmlFor={stepId}>{name} run step size</label>
        {/* empty: follow the main run (its method's default while the main run is at its own default) */}
        <CommitInput
          id={stepId}
          type="number"
          min={0}
          step="any"
          value={run.ownStepSize !== undefined ? String(run.ownStepSize) : ''}
          placeholder={`${run.stepSize} (follows the main run)`}
          title="Its own step size; clear the field to follow the main run again"
          onCommit={(raw) => {
            const v = raw.trim() === '' ? undefined : Number(raw);
            if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
              engine.say('error', `${name} run step size: expected a positive number, got '${raw}'`);
              return;
            }
            engine.setRunStepSize(index, v);
          }}
        />
      </div>
      {index === 1 && !draft && main && run.method !== main.id ? (
        <p className="hint" data-testid="compare-self-hint">
          To compare {main.label} against itself: choose it as the second run method above, then change one of its parameters.
        </p>
      ) : null}
      {draft ? (
        <p className="hint">Not running yet: {draft.method === snap.config.method ? 'change one of its parameters so it differs from the main run' : 'see the message above'}.</p>
      ) : null}
      <p className="hint" aria-label={`${name} run status`} data-testid={testId(index, 'status')}>
        step <b data-testid={testId(index, 'step')}>{run.step.toLocaleString('en-US')}</b> · {fmt(run.msPerStep, 2)} ms/step
        {s ? ` · mean (${fmt(s.mean[0], 2)}, ${fmt(s.mean[1], 2)})` : ''}
        {metricsWithValues(m).map(({ def: md, value }) => ` · ${md.label} ${fmt(value)}`).join('')}
        {s?.acceptance !== undefined ? ` · accept ${(100 * s.acceptance).toFixed(1)}%` : ''}
      </p>
      <button type="button" onClick={() => engine.removeRun(index)} aria-label={`Remove the ${runName(index)} run`}>
        Remove this run
      </button>
    </section>
  );
}

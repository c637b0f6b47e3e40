/** Method, target, run size and transport controls: every one reads the snapshot, writes the engine. */
import { useId } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { methods, getMethod } from '../methods/registry';
import { targets, getTarget } from '../targets/registry';
import { paramShown, type ParamValue } from '../core/params';
import type { Domain } from '../engine/types';
import { describeFollowed, followDefaults, runStepSize, targetParams } from '../engine/defaults';
import { sameRun } from '../engine/compare';
import { AboutButton } from './About';
import { factsOf, incompatibility, methodDomains, redomain, retarget, targetFacts, torusRefusal } from './compat';
import { CommitInput } from './CommitInput';
import { ParamControl } from './ParamControl';
import { TextTargetEditor } from './TextTargetEditor';

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

/**
 * The default step size of the run on screen (src/engine/defaults.ts runStepSize): a cleared Step size field,
 * and the "Use the default step size" button of a divergence message. After a blow-up the engine
 * starts a new run and says so; otherwise the message says which value was taken.
 */
export function defaultStepSize(engine: Engine): void {
  const { config, diverged } = engine.getSnapshot();
  const h = runStepSize(config);
  if (engine.configure({ stepSize: h }) && !diverged) engine.say('info', `Step size: the default of this run, ${h}`);
}

export function ControlPanel({ engine, snap }: Props): React.JSX.Element {
  const ids = { method: useId(), target: useId(), n: useId(), h: useId(), seed: useId(), backend: useId(), domain: useId(), compare: useId() };
  const { config } = snap;
  const method = attempt(() => getMethod(config.method));
  const targetDef = attempt(() => getTarget(config.target.id));
  const domain: Domain = config.domain ?? 'plane';
  const facts = snap.target ? factsOf(snap.target) : targetFacts(config.target.id);
  const torusCapable = methods.some((m) => methodDomains(m).includes('torus'));
  // Shown for every method: one that cannot run on the torus says so on the disabled option.
  const torusWhy = domain === 'torus' ? undefined : torusRefusal(method);

  const chooseTarget = (id: string): void => {
    const f = targetFacts(id);
    if (!f) return;
    const { change, note } = retarget(config, { id, params: {} }, f);
    if (engine.configure(change) && note) engine.say('info', `Target ${getTarget(id).label}: ${note}`);
  };

  const chooseMethod = (id: string): void => {
    const { change, followed } = followDefaults(config, { method: id, params: {} });
    const words = describeFollowed(followed);
    if (engine.configure(change) && words.length > 0) engine.say('info', `Method ${attempt(() => getMethod(id).label) ?? id}: ${words.join(', ')}`);
  };

  // The same defaults as picking a target of the other domain in the Target list (src/engine/defaults.ts followDefaults).
  const chooseDomain = (d: Domain): void => {
    if (d === domain) return;
    const r = redomain(config, d, facts);
    if ('error' in r) {
      engine.say('error', `Domain: ${r.error}`);
      return;
    }
    if (engine.configure(r.change)) {
      const changes = [d === 'torus' && r.target !== undefined ? `target ${getTarget(r.target).label}` : '', ...describeFollowed(r.followed)].filter((x) => x);
      if (changes.length > 0) engine.say('info', `Domain ${d}: ${changes.join(', ')}`);
    }
  };
  const maxN = snap.backend?.maxParticles ?? 65536;
  // what "Compare with" would start the second run with: the engine keeps its params when the method is unchanged
  const compareParamsFor = (id: string): Record<string, ParamValue> => (snap.compare?.method === id ? snap.compare.params : {});
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
        <select id={ids.target} value={config.target.id} onChange={(e) => chooseTarget(e.target.value)}>
          {targets.map((t) => {
            const f = targetFacts(t.id);
            const tag = f?.periodic ? ' (torus)' : f?.sampleOnly ? ' (samples)' : '';
            return (
              <option key={t.id} value={t.id}>
                {t.label}
                {tag}
              </option>
            );
          })}
          {/* a target built from points (TargetDef.data 'points', e.g. an image's cloud) is listed only while the run has it */}
          {targetDef?.data === 'points' ? <option value={targetDef.id}>{targetDef.menuLabel?.(config.target.cloud) ?? targetDef.label}</option> : null}
        </select>
      </div>
      {targetDef ? (
        <div className="about-row">
          <AboutButton subject={{ kind: 'Target', label: targetDef.label, about: targetDef.about, params: targetDef.params }} />
        </div>
      ) : null}
      {/* a target typed as text (a formula): its box(es), its parameters' sliders and its presets */}
      {targetDef?.textEditor ? <TextTargetEditor engine={engine} snap={snap} def={targetDef} editor={targetDef.textEditor} /> : null}
      {/* a components editor (MixtureEditor) edits the components instead of their JSON */}
      {targetDef && targetDef.editor?.kind !== 'components' && !targetDef.textEditor
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
        <select id={ids.method} value={config.method} onChange={(e) => chooseMethod(e.target.value)}>
          {methods.map((m) => {
            const why = incompatibility(m, facts, domain);
            return (
              <option key={m.id} value={m.id} disabled={why !== undefined && m.id !== config.method} title={why}>
                {m.label}
                {why ? ` — ${why}` : m.needs === 'samples' ? ' (samples)' : ''}
              </option>
            );
          })}
        </select>
      </div>
      {method ? (
        <div className="about-row">
          <AboutButton subject={{ kind: 'Method', label: method.label, about: method.about, params: method.params, readouts: method.readouts }} />
        </div>
      ) : null}
      {facts?.sampleOnly ? <p className="hint">This target is known only by samples: score-based methods are off; the flows move toward its cloud (blue).</p> : null}
      {torusCapable ? (
        <div className="row" title={torusWhy}>
          <label htmlFor={ids.domain}>Domain</label>
          <select id={ids.domain} value={domain} onChange={(e) => chooseDomain(e.target.value === 'torus' ? 'torus' : 'plane')}>
            <option value="plane">plane ℝ²</option>
            <option value="torus" disabled={torusWhy !== undefined} title={torusWhy}>
              {torusWhy ? `torus [0,1)² — ${torusWhy}` : 'torus [0,1)²'}
            </option>
          </select>
        </div>
      ) : null}
      {method?.params.filter((spec) => paramShown(spec, method.params, config.params)).map((spec) => (
        <ParamControl
          key={`${method.id}.${spec.name}`}
          spec={spec}
          value={config.params[spec.name] ?? targetParams(config.method, config.target.id)[spec.name] ?? spec.default}
          onChange={(v: ParamValue) => engine.configure({ params: { ...config.params, [spec.name]: v } })}
          onError={(m) => engine.say('error', m)}
        />
      ))}

      <div className="row">
        <label htmlFor={ids.compare}>Compare with</label>
        <select id={ids.compare} value={snap.compare?.method ?? 'none'} onChange={(e) => engine.setCompare(e.target.value)}>
          <option value="none">none</option>
          {methods.map((m) => {
            // bug 6: never offer a run identical to the main one (the engine would refuse it)
            const why = incompatibility(m, facts, domain) ?? (sameRun(config, m.id, compareParamsFor(m.id)) ? 'same as the main run' : undefined);
            return (
              <option key={m.id} value={m.id} disabled={why !== undefined && m.id !== snap.compare?.method} title={why}>
                {m.label}
                {why ? ` — ${why}` : ''}
              </option>
            );
          })}
        </select>
      </div>
      <div className="row">
        <label htmlFor={ids.n}>Particles</label>
        <CommitInput id={ids.n} type="number" min={1} max={maxN} step={1} value={String(config.n)} onCommit={(raw) => engine.configure({ n: num(raw) })} />
      </div>
      <div className="row">
        <label htmlFor={ids.h}>Step size</label>
        {/* a cleared field means the default step size of this run (src/engine/defaults.ts runStepSize) */}
        <CommitInput id={ids.h} type="number" min={0} step="any" value={String(config.stepSize)} onCommit={(raw) => (raw.trim() === '' ? defaultStepSize(engine) : engine.configure({ stepSize: num(raw) }))} />
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

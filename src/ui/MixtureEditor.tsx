/** Side-panel editor of a target's components (TargetDef.editor kind 'components'): weight, spread, add, remove. */
import type { Engine } from '../engine/Engine';
import type { Component } from '../targets/types';
import { CommitInput } from './CommitInput';
import { componentsConfig, formatWeight, spreadOf, weightInput, withSpread, type ComponentsEditor } from './mixture';

interface Props {
  engine: Engine;
  components: readonly Component[];
  centre: [number, number];
  /** The target whose components these are. */
  targetId: string;
  /** Its declared editor (a wrapping editor wraps a new component's mean onto [0,1)^2; maxSpread caps the spread). */
  editor: ComponentsEditor;
}

const MAX = 16;

export function MixtureEditor({ engine, components, centre, targetId, editor }: Props): React.JSX.Element {
  const update = (next: Component[]): void => {
    engine.setTarget(componentsConfig(targetId, editor, next));
  };
  const wrap = (v: number): number => (editor.wrap ? v - Math.floor(v) : v);
  const fresh: Component = {
    mean: [Math.round(wrap(centre[0]) * 100) / 100, Math.round(wrap(centre[1]) * 100) / 100],
    cov: [...editor.freshCov],
    weight: 1,
  };
  const num = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw));
  return (
    <section className="panel-section" aria-label="Mixture components">
      <h2>Mixture components</h2>
      <p className="hint">Drag a handle on the canvas to move a component.</p>
      <ol className="components">
        {components.map((c, k) => (
          <li key={k}>
            <span className="comp-name">Component {k + 1}</span>
            <span className="comp-mean">
              ({c.mean[0].toFixed(2)}, {c.mean[1].toFixed(2)})
            </span>
            <label>
              Weight
              <CommitInput
                aria-label={`Weight ${k + 1}`}
                type="number"
                min={0}
                step="any"
                value={formatWeight(c.weight)}
                onCommit={(raw) => {
                  const r = weightInput(raw, k);
                  if ('error' in r) {
                    engine.say('error', r.error);
                    return;
                  }
                  // the target normalises (safely: by the largest weight, floored at 1e-300)
                  update(components.map((d, i) => (i === k ? { ...d, weight: r.weight } : d)));
                }}
              />
            </label>
            <label>
              Spread
              <CommitInput
                aria-label={`Spread ${k + 1}`}
                type="number"
                min={0}
                step="any"
                value={String(Math.round(spreadOf(c) * 1000) / 1000)}
                onCommit={(raw) => {
                  const s = num(raw);
                  if (!(s > 0) || !Number.isFinite(s)) {
                    engine.say('error', `Component ${k + 1} spread: must be a finite positive number, got '${raw}'`);
                    return;
                  }
                  const cap = editor.maxSpread;
                  if (cap && s > cap.value) {
                    engine.say('error', `Component ${k + 1} spread: ${cap.why} the spread is at most ${cap.value}, got '${raw}'`);
                    return;
                  }
                  update(components.map((d, i) => (i === k ? withSpread(d, s) : d)));
                }}
              />
            </label>
            <button
              type="button"
              aria-label={`Remove component ${k + 1}`}
              disabled={components.length <= 1}
              onClick={() => update(components.filter((_, i) => i !== k))}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        disabled={components.length >= MAX}
        onClick={() => update([...components, fresh])}
      >
        Add component
      </button>
    </section>
  );
}

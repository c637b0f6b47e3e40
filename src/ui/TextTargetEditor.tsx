/**
 * The side panel's editor of a target typed as text (TargetDef.textEditor, issue 20: Target: Formula
 * and Formula landscape): a box per text parameter (committed on Enter or blur, never per
 * keystroke), the refusal shown under it by name and column (the grammar's message, or the
 * engine's when the target cannot be built: log of a negative number, tails, ...) while the
 * previous run keeps going, a slider and a number box per parameter of the formula
 * (TargetDef.paramsFor: they follow the text), the grammar, and the preset gallery, each a link.
 * Knows no target id: everything comes from the TargetDef.
 */
import { useId, useState } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { ParamError, checkParam, type ParamSpec, type Params } from '../core/params';
import { encodeHash } from '../state/urlState';
import { targetParamSpecs } from '../targets/registry';
import type { TargetDef, TargetTextEditor as TextEditorDecl } from '../targets/types';
import { CommitInput } from './CommitInput';
import { specLookup } from './specs';

interface Props {
  engine: Engine;
  snap: EngineSnapshot;
  def: TargetDef;
  editor: TextEditorDecl;
}

/** The params of `def` with `texts` set: the values of parameters the new list still has are kept. */
function withTexts(def: TargetDef, params: Params, texts: Params): { params: Params; specs: ParamSpec[] } {
  const next: Params = { ...params, ...texts };
  const specs = targetParamSpecs(def, next); // throws the grammar's FormulaError
  const kept: Params = {};
  for (const s of specs) if (next[s.name] !== undefined) kept[s.name] = next[s.name] as Params[string];
  return { params: kept, specs };
}

/** The slider's range for a parameter first seen at value v: [v - s, v + s], s = max(1, |v|). */
function sliderRange(v: number): [number, number] {
  const s = Math.max(1, Math.abs(v));
  return [v - s, v + s];
}

function FormulaBox({ spec, value, error, onCommit }: { spec: ParamSpec; value: string; error: string | undefined; onCommit: (text: string) => void }): React.JSX.Element {
  const id = useId();
  const errId = useId();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const shown = draft ?? value;
  const commit = (): void => {
    if (draft === undefined) return;
    if (draft !== value) onCommit(draft);
    else setDraft(undefined);
  };
  // a refused text stays in the box (the user fixes it); an accepted one shows the run's value
  if (draft !== undefined && error === undefined && draft === value) setDraft(undefined);
  return (
    <div className="row formula-box" title={spec.description}>
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={shown}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? errId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          else if (e.key === 'Escape') setDraft(undefined);
        }}
      />
      {error !== undefined ? (
        <p id={errId} className="formula-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ParamSlider({ spec, value, onChange, onError }: { spec: ParamSpec; value: number; onChange: (v: number) => void; onError: (m: string) => void }): React.JSX.Element {
  const id = useId();
  // the range is fixed where the slider first appears (a drag does not move its own scale)
  const [range] = useState(() => sliderRange(value));
  const lo = Math.max(spec.min ?? -Infinity, Math.min(range[0], value));
  const hi = Math.min(spec.max ?? Infinity, Math.max(range[1], value));
  return (
    <div className="row formula-param" title={spec.description}>
      <label htmlFor={id}>{spec.label}</label>
      <input id={id} type="range" min={lo} max={hi} step={(hi - lo) / 200} value={value} onChange={(e) => onChange(Number(e.target.value))} />
      <CommitInput
        type="number"
        step="any"
        aria-label={`${spec.label} value`}
        value={String(value)}
        onCommit={(raw) => {
          const v = raw.trim() === '' ? NaN : Number(raw);
          try {
            onChange(checkParam(spec, v) as number);
          } catch (e) {
            onError(e instanceof Error ? e.message : String(e));
          }
        }}
      />
    </div>
  );
}

export function TextTargetEditor({ engine, snap, def, editor }: Props): React.JSX.Element {
  const { config } = snap;
  const params = config.target.params;
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  let specs: ParamSpec[] = def.params;
  try {
    specs = targetParamSpecs(def, params);
  } catch {
    // the run's params always parse (they were built); keep the static list otherwise
  }
  const commitText = (field: string, text: string): void => {
    let next: Params;
    try {
      next = withTexts(def, params, { [field]: text }).params;
    } catch (e) {
      setErrors({ ...errors, [field]: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (engine.configure({ target: { id: def.id, params: next } })) setErrors({ ...errors, [field]: undefined });
    else {
      // the target could not be built (the numerics checks): the engine keeps the previous run and says why
      const m = engine.getSnapshot().message;
      setErrors({ ...errors, [field]: m?.text ?? `${field}: refused` });
    }
  };
  const setValue = (name: string, v: number): void => {
    engine.configure({ target: { id: def.id, params: { ...params, [name]: v } } });
  };
  const say = (m: string): void => engine.say('error', m);
  const numbers = specs.filter((s) => s.kind === 'number');
  const presetHref = (p: Params): string => {
    try {
      return `#${encodeHash({ ...config, target: { id: def.id, params: p } }, specLookup)}`;
    } catch (e) {
      if (e instanceof ParamError) return '#';
      throw e;
    }
  };
  return (
    <div className="text-target-editor" role="group" aria-label={`${def.label} editor`}>
      {editor.fields.map((field) => {
        const spec = specs.find((s) => s.name === field);
        if (!spec) return null;
        const v = params[field] ?? spec.default;
        return <FormulaBox key={`${def.id}.${field}`} spec={spec} value={typeof v === 'string' ? v : String(v)} error={errors[field]} onCommit={(t) => commitText(field, t)} />;
      })}
      {numbers.map((spec) => {
        const v = params[spec.name] ?? spec.default;
        return (
          <ParamSlider
            key={`${def.id}.${spec.name}.${editor.fields.map((f) => String(params[f] ?? '')).join('|')}`}
            spec={spec}
            value={typeof v === 'number' ? v : Number(v)}
            onChange={(x) => setValue(spec.name, x)}
            onError={say}
          />
        );
      })}
      <details className="formula-help">
        <summary>Grammar</summary>
        <pre>{editor.help}</pre>
      </details>
      {editor.presets.length > 0 ? (
        <nav className="formula-presets" aria-label={`${def.label} presets`}>
          {editor.presets.map((p) => (
            <a key={p.id} href={presetHref(p.params)} title={p.text}>
              {p.label}
            </a>
          ))}
        </nav>
      ) : null}
    </div>
  );
}

/** One control built from a ParamSpec: checkbox, select, or a committed text/number input. */
import { useId } from 'react';
import { parseParam, type ParamSpec, type ParamValue } from '../core/params';
import { CommitInput } from './CommitInput';
import { paramErrorText } from './messages';

interface Props {
  spec: ParamSpec;
  value: ParamValue;
  onChange: (v: ParamValue) => void;
  onError: (message: string) => void;
}

function show(v: ParamValue): string {
  return Array.isArray(v) ? v.join(', ') : String(v);
}

function capitalise(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

export function ParamControl({ spec, value, onChange, onError }: Props): React.JSX.Element {
  const id = useId();
  const label = capitalise(spec.label);
  if (spec.kind === 'boolean') {
    return (
      <div className="row check" title={spec.description}>
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{label}</label>
      </div>
    );
  }
  if (spec.kind === 'enum') {
    return (
      <div className="row" title={spec.description}>
        <label htmlFor={id}>{label}</label>
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const numeric = spec.kind === 'number' && !spec.alsoAccept?.length;
  return (
    <div className="row" title={spec.description}>
      <label htmlFor={id}>{label}</label>
      <CommitInput
        id={id}
        type={numeric ? 'number' : 'text'}
        step={numeric ? 'any' : undefined}
        placeholder={spec.alsoAccept?.length ? `number or ${spec.alsoAccept.join('|')}` : undefined}
        value={show(value)}
        onCommit={(raw) => {
          try {
            onChange(parseParam(spec, raw));
          } catch (e) {
            onError(paramErrorText(label, e));
          }
        }}
      />
    </div>
  );
}

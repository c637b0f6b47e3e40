/**
 * A text/number input that commits on Enter or blur (not per keystroke): a run is rebuilt per
 * commit, and half-typed values never reach the engine. Shows the engine's value when not editing.
 */
import { useState, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'defaultValue'> & {
  value: string;
  onCommit: (raw: string) => void;
};

export function CommitInput({ value, onCommit, ...rest }: Props): React.JSX.Element {
  const [draft, setDraft] = useState(value);
  const [editing, setEditing] = useState(false);
  const commit = (): void => {
    setEditing(false);
    if (draft !== value) onCommit(draft);
  };
  return (
    <input
      {...rest}
      value={editing ? draft : value}
      onFocus={() => {
        setDraft(value);
        setEditing(true);
      }}
      onChange={(e) => {
        setEditing(true);
        setDraft(e.target.value);
      }}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
          (e.target as HTMLInputElement).blur();
        } else if (e.key === 'Escape') {
          setEditing(false);
          setDraft(value);
        }
      }}
    />
  );
}

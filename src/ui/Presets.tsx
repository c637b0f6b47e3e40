/**
 * The Presets menu and the Share button (issue 8). A preset is a URL hash (src/state/presets.ts):
 * choosing one sets `location.hash`, and the page's hash reader (App) applies it like a link. Share
 * copies the link of the run on screen (navigator.clipboard; where that is refused, a selected text
 * field to copy from) and says "Link copied".
 */
import { useEffect, useId, useRef, useState } from 'react';
import { PRESETS, presetOfHash } from '../state/presets';

interface Props {
  /** The hash of the run on screen now (without '#'). */
  currentHash: () => string;
}

export function Presets({ currentHash }: Props): React.JSX.Element {
  const id = useId();
  const [chosen, setChosen] = useState(() => presetOfHash(location.hash)?.id ?? '');
  const [note, setNote] = useState<string | undefined>(undefined);
  const [fallback, setFallback] = useState<string | undefined>(undefined);
  const field = useRef<HTMLInputElement>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (fallback !== undefined) field.current?.select();
  }, [fallback]);
  // a hand edit or another link: the menu shows the preset only while the page is on it
  useEffect(() => {
    const on = (): void => setChosen(presetOfHash(location.hash)?.id ?? '');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  const say = (text: string): void => {
    setNote(text);
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setNote(undefined), 4000);
  };

  const choose = (pid: string): void => {
    setChosen(pid);
    const p = PRESETS.find((q) => q.id === pid);
    if (!p) return;
    location.hash = p.hash; // -> hashchange -> App applies the run
    say(p.description);
  };

  const share = async (): Promise<void> => {
    const url = `${location.origin}${location.pathname}${location.search}#${currentHash()}`;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setFallback(undefined);
      say('Link copied');
    } catch {
      setFallback(url);
      say('Copy the link below (Ctrl+C)');
    }
  };

  return (
    <div className="presets">
      <label htmlFor={id} className="sr-only">
        Presets
      </label>
      <select id={id} value={chosen} onChange={(e) => choose(e.target.value)} title="Named starting points for a demo">
        <option value="">Presets…</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id} title={p.description}>
            {p.label}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void share()} title="Copy a link that reproduces this run">
        Share
      </button>
      <span className="share-note" aria-live="polite">
        {note ?? ''}
      </span>
      {fallback !== undefined ? (
        <input ref={field} className="share-link" aria-label="Link to this run" readOnly value={fallback} onFocus={(e) => e.currentTarget.select()} />
      ) : null}
    </div>
  );
}

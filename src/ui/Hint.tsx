/**
 * The first-visit hint (issue 8): what to drag and what to press. Shown until dismissed; the
 * dismissal is remembered in localStorage. It sits above the stage, never over the canvas.
 */
import { useState } from 'react';

export const HINT_KEY = 'wgf.hint.dismissed';

function dismissedBefore(): boolean {
  try {
    return window.localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

/** `landscape`: the target is an energy landscape (the shading is V, not a density). */
export function Hint({ landscape = false }: { landscape?: boolean } = {}): React.JSX.Element | null {
  const [shown, setShown] = useState(() => !dismissedBefore());
  if (!shown) return null;
  const dismiss = (): void => {
    setShown(false);
    try {
      window.localStorage.setItem(HINT_KEY, '1');
    } catch {
      // storage blocked: dismissed for this page only
    }
  };
  return (
    <aside className="first-hint" aria-label="First-visit hint">
      <p>
        <b>Welcome.</b>{' '}
        {landscape
          ? 'The orange dots are particles flowing downhill on the energy landscape (the shading is the energy V: bright is low). '
          : 'The orange dots are particles flowing toward the target density (the shading). '}
        <b>Drag</b> a white-ringed handle to move a {landscape ? 'well of the double well' : 'mixture component (or a sample cloud)'} and watch them follow; drag the empty canvas to pan, use the wheel to zoom. <b>Space</b> plays or
        pauses. Pick a <b>Method</b> and a <b>Target</b> in the panel (the <b>About</b> buttons explain them), or start from a <b>Preset</b>.
      </p>
      <button type="button" onClick={dismiss}>
        Got it
      </button>
    </aside>
  );
}

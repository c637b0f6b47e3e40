/** The page: canvas + overlay, side panel of controls, status line, live plots. */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Engine } from '../engine/Engine';
import type { View } from '../render/view';
import { decodeHash, encodeHash } from '../state/urlState';
import { CanvasView } from './CanvasView';
import { ControlPanel } from './ControlPanel';
import { ExportPanel } from './ExportPanel';
import { MixtureEditor } from './MixtureEditor';
import { Plots } from './Plots';
import { specLookup } from './specs';
import { StatusBar } from './StatusBar';

function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function App({ engine }: { engine: Engine }): React.JSX.Element {
  const snap = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const [centre, setCentre] = useState<[number, number]>([0, 0]);
  const onViewChange = useCallback((v: View) => setCentre([v.cx, v.cy]), []);

  // Space toggles play/pause unless typing; buttons keep their own Space activation.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.code !== 'Space' && e.key !== ' ') return;
      if (e.repeat || isTyping(e.target) || e.target instanceof HTMLButtonElement) return;
      e.preventDefault();
      engine.toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine]);

  // config -> URL hash (debounced: live drags change the target many times a second)
  const lastHash = useRef('');
  useEffect(() => {
    const id = window.setTimeout(() => {
      const h = encodeHash(snap.config, specLookup);
      if (h !== lastHash.current) {
        lastHash.current = h;
        history.replaceState(null, '', `#${h}`);
      }
    }, 250);
    return () => clearTimeout(id);
  }, [snap.config]);

  // URL hash edited by hand -> config
  useEffect(() => {
    const onHash = (): void => {
      const h = location.hash.replace(/^#/, '');
      if (h === lastHash.current) return;
      lastHash.current = h;
      const { config, errors } = decodeHash(h, specLookup, engine.getSnapshot().config);
      if (errors.length > 0) engine.say('error', `URL: ${errors.join('; ')}`);
      engine.configure({ method: config.method, params: config.params, target: config.target, n: config.n, stepSize: config.stepSize, seed: config.seed });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [engine]);

  const comps = snap.target?.id === 'mixture' ? snap.target.components : undefined;

  return (
    <div className="app">
      <header className="top">
        <h1>WGF Playground</h1>
        <StatusBar snap={snap} />
      </header>
      {snap.notice ? (
        <p className="notice" role="note">
          {snap.notice}
        </p>
      ) : null}
      {snap.message ? (
        <div className={`message ${snap.message.kind}`} role="alert">
          <span>{snap.message.text}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => engine.dismissMessage()}>
            ✕
          </button>
        </div>
      ) : null}
      <main className="main">
        <div className="stage">
          <CanvasView engine={engine} snap={snap} onViewChange={onViewChange} />
          <Plots history={snap.history} hasEnergy={snap.target?.sample !== undefined} />
        </div>
        <aside className="panel">
          <ControlPanel engine={engine} snap={snap} />
          {comps ? <MixtureEditor engine={engine} components={comps} centre={centre} /> : null}
          <ExportPanel engine={engine} snap={snap} />
        </aside>
      </main>
    </div>
  );
}

/** The page: canvas + overlay, side panel of controls, status line, live plots. */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Engine } from '../engine/Engine';
import type { View } from '../render/view';
import { decodeHash, encodeHash } from '../state/urlState';
import { Stage } from './CanvasView';
import { CompareControls } from './CompareControls';
import { ControlPanel } from './ControlPanel';
import type { PaintGrid } from './paint';
import { ExportPanel } from './ExportPanel';
import { MixtureEditor } from './MixtureEditor';
import { messageText, noticeText } from './messages';
import { isMixtureId } from './mixture';
import { Plots } from './Plots';
import { specLookup } from './specs';
import { StatusBar } from './StatusBar';
import { TargetSources } from './TargetSources';

function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function App({ engine }: { engine: Engine }): React.JSX.Element {
  const snap = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const [centre, setCentre] = useState<[number, number]>([0, 0]);
  const onViewChange = useCallback((v: View) => setCentre([v.cx, v.cy]), []);
  const [painting, setPainting] = useState(false);
  const [grid, setGrid] = useState<PaintGrid | undefined>(undefined);
  const [, setGridVersion] = useState(0);
  const paint = useMemo(
    () => ({
      active: painting,
      grid,
      onChange: (g: PaintGrid) => {
        setGrid(g);
        setGridVersion(g.version);
      },
    }),
    [painting, grid],
  );

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
      const h = encodeHash(snap.config, specLookup, { compare: snap.compare?.method });
      if (h !== lastHash.current) {
        lastHash.current = h;
        history.replaceState(null, '', `#${h}`);
      }
    }, 250);
    return () => clearTimeout(id);
  }, [snap.config, snap.compare?.method]);

  // URL hash edited by hand -> config
  useEffect(() => {
    const onHash = (): void => {
      const h = location.hash.replace(/^#/, '');
      if (h === lastHash.current) return;
      lastHash.current = h;
      const { config, errors, compare } = decodeHash(h, specLookup, engine.getSnapshot().config);
      if (errors.length > 0) engine.say('error', `URL: ${errors.join('; ')}`);
      engine.configure({ method: config.method, params: config.params, target: config.target, n: config.n, stepSize: config.stepSize, seed: config.seed, domain: config.domain ?? 'plane' });
      engine.setCompare(compare);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [engine]);

  const mixtureId = isMixtureId(snap.target?.id) ? snap.target?.id : undefined;
  const comps = mixtureId ? snap.target?.components : undefined;

  return (
    <div className="app">
      <header className="top">
        <h1>WGF Playground</h1>
        <StatusBar snap={snap} />
      </header>
      {noticeText(snap) ? (
        <p className="notice" role="note">
          {noticeText(snap)}
        </p>
      ) : null}
      {snap.message ? (
        <div className={`message ${snap.message.kind}`} role="alert">
          <span>{messageText(snap.message)}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => engine.dismissMessage()}>
            ✕
          </button>
        </div>
      ) : null}
      <main className="main">
        <div className="stage">
          <Stage engine={engine} snap={snap} paint={paint} onViewChange={onViewChange} />
          <Plots
            runs={snap.compare ? [{ label: snap.label, history: snap.history }, { label: snap.compare.label, history: snap.compare.history }] : [{ label: snap.label, history: snap.history }]}
            expect={{ ksd: snap.target !== undefined && !snap.target.sampleOnly && snap.config.domain !== 'torus', energy: snap.target?.sample !== undefined || snap.target?.cloud !== undefined }}
            torus={snap.config.domain === 'torus'}
          />
        </div>
        <aside className="panel">
          <ControlPanel engine={engine} snap={snap} />
          <CompareControls engine={engine} snap={snap} />
          {comps ? <MixtureEditor engine={engine} components={comps} centre={centre} {...(mixtureId === 'torus-mixture' ? { targetId: mixtureId } : {})} /> : null}
          <TargetSources engine={engine} snap={snap} painting={painting} setPainting={setPainting} grid={grid} clearGrid={() => setGrid(undefined)} />
          <ExportPanel engine={engine} snap={snap} />
        </aside>
      </main>
    </div>
  );
}

/**
 * The page: header (presets, Share, theme), one-line status, first-visit hint, canvas + overlay,
 * side panel of controls, live plots. Narrow screens (styles.css, <= 760 px): the canvas first at
 * full width, then the controls, then the plots one per row.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Engine } from '../engine/Engine';
import type { View } from '../render/view';
import { encodeHash } from '../state/urlState';
import { applyLink, readLink } from '../state/link';
import { runStepSize } from '../engine/defaults';
import { expectedMetrics } from '../metrics/plan';
import { methods } from '../methods/registry';
import type { ReadoutSpec } from '../methods/types';
import { Hint } from './Hint';
import { Presets } from './Presets';
import { useReadoutSeries } from './readoutHistory';
import { useTheme, type ThemeChoice } from './theme';
import { Stage } from './CanvasView';
import { CompareControls } from './CompareControls';
import { ControlPanel, defaultStepSize } from './ControlPanel';
import type { PaintGrid } from './paint';
import { ExportPanel } from './ExportPanel';
import { MixtureEditor } from './MixtureEditor';
import { divergedMessage, messageText, noticeText, sayLink } from './messages';
import { componentsEditorOf } from './mixture';
import { Plots } from './Plots';
import { specLookup } from './specs';
import { StatusBar } from './StatusBar';
import { Spectrum } from './Spectrum';
import { TargetSources } from './TargetSources';
import { GeneratorControls } from './generator/GeneratorControls';
import { GeneratorPane } from './generator/GeneratorPane';
import { generatorHistory } from './generator/plotRun';
import { useGenerator } from './generator/useGenerator';
import { useStallWatch } from './stallWatch';

function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** The readouts a method declares for plotting (`plot: true`). */
function plottedReadouts(method: string | undefined): ReadoutSpec[] {
  return methods.find((m) => m.id === method)?.readouts?.filter((r) => r.plot === true) ?? [];
}

export function App({ engine }: { engine: Engine }): React.JSX.Element {
  const snap = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const { choice: themeChoice, theme, setChoice: setTheme } = useTheme();
  const [centre, setCentre] = useState<[number, number]>([0, 0]);
  // the main canvas's view, followed by the generator's pane
  const [view, setView] = useState<View | undefined>(undefined);
  const onViewChange = useCallback((v: View) => {
    setCentre([v.cx, v.cy]);
    setView(v);
  }, []);
  // the one-step generator beside the flow (issue 9); its refusals go to the page's message area
  const say = useCallback((text: string) => engine.say('error', text), [engine]);
  // the choice is kept in the engine's snapshot, so the URL carries it (gen=)
  const pickGenerator = useCallback((choice: string) => engine.setGenerator(choice), [engine]);
  const gen = useGenerator(snap, say, pickGenerator);
  // "playing but not stepping" for longer than the run's steps take: say so and recover (issue 21 item 8)
  useStallWatch(engine);
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
  // the hash the page last read or wrote; starts at the link the page was opened with (src/ui/main.tsx)
  const lastHash = useRef(location.hash.replace(/^#/, ''));
  const hashNow = useCallback((): string => {
    const s = engine.getSnapshot();
    // every compared run with its own parameters and step size; a shipped generator by id (a file's is not stored)
    const runs = s.runs.slice(1).map((r) => ({ method: r.method, params: r.params, ...(r.ownStepSize !== undefined ? { stepSize: r.ownStepSize } : {}) }));
    const generator = s.generator?.startsWith('shipped:') === true ? s.generator.slice('shipped:'.length) : undefined;
    return encodeHash(s.config, specLookup, { runs, generator, backend: s.backendKind, every: s.recordEvery });
  }, [engine]);
  // what the hash says of the compared runs (a stable key: the snapshot's runs are new objects ~10/s)
  const runsKey = JSON.stringify(snap.runs.slice(1).map((r) => [r.method, r.params, r.ownStepSize]));
  useEffect(() => {
    const id = window.setTimeout(() => {
      // a hash set since (a preset, a hand edit) whose hashchange is not handled yet: read it first, never overwrite it
      if (location.hash.replace(/^#/, '') !== lastHash.current) return;
      const h = hashNow();
      if (h !== lastHash.current) {
        lastHash.current = h;
        history.replaceState(null, '', `#${h}`);
      }
    }, 250);
    return () => clearTimeout(id);
  }, [snap.config, runsKey, snap.generator, snap.backendKind, snap.recordEvery, hashNow]);

  // URL hash edited by hand (or a preset) -> the run: the same reader and rules as at load (src/state/link.ts)
  useEffect(() => {
    const onHash = (): void => {
      const h = location.hash.replace(/^#/, '');
      if (h === lastHash.current) return;
      lastHash.current = h;
      sayLink(engine, applyLink(engine, readLink(h, specLookup, engine.getSnapshot().config), 'edit'));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [engine]);

  // the side panel's components editor, when the target declares one (TargetDef.editor)
  const compsEditor = componentsEditorOf(snap.target);
  const comps = compsEditor ? snap.target?.components : undefined;

  // method readouts declared for plotting, gathered per run (no method named here): one hook per run
  // index (hooks cannot loop over a list that changes length; the engine holds at most MAX_RUNS = 4)
  const [, r1, r2, r3] = snap.runs;
  const mainReadouts = useMemo(() => plottedReadouts(snap.config.method), [snap.config.method]);
  const r1Readouts = useMemo(() => plottedReadouts(r1?.method), [r1?.method]);
  const r2Readouts = useMemo(() => plottedReadouts(r2?.method), [r2?.method]);
  const r3Readouts = useMemo(() => plottedReadouts(r3?.method), [r3?.method]);
  const mainSeries = useReadoutSeries(mainReadouts, snap.config.method, snap.stats, snap.metrics);
  const r1Series = useReadoutSeries(r1Readouts, r1?.method ?? '', r1?.stats, r1?.metrics);
  const r2Series = useReadoutSeries(r2Readouts, r2?.method ?? '', r2?.stats, r2?.metrics);
  const r3Series = useReadoutSeries(r3Readouts, r3?.method ?? '', r3?.stats, r3?.metrics);
  const plotReadouts = useMemo(() => {
    const byKey = new Map<string, ReadoutSpec>();
    for (const r of [...mainReadouts, ...(r1 ? r1Readouts : []), ...(r2 ? r2Readouts : []), ...(r3 ? r3Readouts : [])]) if (!byKey.has(r.key)) byKey.set(r.key, r);
    return [...byKey.values()];
  }, [mainReadouts, r1Readouts, r2Readouts, r3Readouts, r1, r2, r3]);
  const flowRuns = useMemo(
    () => [
      { label: snap.label, history: snap.history, readouts: mainSeries },
      ...([
        [r1, r1Series],
        [r2, r2Series],
        [r3, r3Series],
      ] as const).flatMap(([r, readouts]) => (r ? [{ label: r.label, history: r.history, readouts }] : [])),
    ],
    [snap.label, snap.history, r1, r2, r3, mainSeries, r1Series, r2Series, r3Series],
  );
  // the generator: a flat line at its metrics across the flow's steps
  const genMetrics = gen.metrics;
  const genName = gen.name;
  const plotRuns = useMemo(
    () => (genMetrics && genName ? [...flowRuns, { label: genName, history: generatorHistory(genMetrics, snap.history, snap.step), dashed: true }] : flowRuns),
    [flowRuns, genMetrics, genName, snap.history, snap.step],
  );
  // the panes the run's metrics will fill (the one plan of src/metrics/plan.ts), kept in place before the first read
  const expectedPanes = useMemo(
    () => expectedMetrics(snap.target, snap.config.domain ?? 'plane', methods.find((m) => m.id === snap.config.method)?.needs === 'samples'),
    [snap.target, snap.config.domain, snap.config.method],
  );
  const genPane =
    gen.choice !== 'none' ? (
      <GeneratorPane name={gen.name ?? 'Generator'} batch={gen.batch} step={gen.step} showMap={gen.showMap} view={view} theme={theme} note={gen.status ? `Getting the generator ready: ${gen.status}` : gen.problem} />
    ) : undefined;

  return (
    <div className="app">
      <header className="top">
        <h1>WGF Playground</h1>
        <StatusBar snap={snap} />
        <div className="top-tools">
          <Presets currentHash={hashNow} />
          <label className="theme-pick">
            Theme
            <select value={themeChoice} onChange={(e) => setTheme(e.target.value as ThemeChoice)} title="system follows the browser's light/dark setting">
              <option value="system">system</option>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
        </div>
      </header>
      <Hint landscape={snap.target?.landscape !== undefined} />
      {noticeText(snap) ? (
        <p className="notice" role="note">
          {noticeText(snap)}
        </p>
      ) : null}
      {snap.message ? (
        <div className={`message ${snap.message.kind}`} role="alert">
          <span>{messageText(snap.message)}</span>
          {divergedMessage(snap.message) ? (
            <button type="button" className="message-action" style={{ border: '1px solid currentColor', borderRadius: 4, padding: '2px 8px', whiteSpace: 'nowrap' }} onClick={() => defaultStepSize(engine)} title="Start a new run at this run's default step size (src/engine/defaults.ts)">
              Use the default step size ({runStepSize(snap.config)})
            </button>
          ) : null}
          <button type="button" aria-label="Dismiss message" onClick={() => engine.dismissMessage()}>
            ✕
          </button>
        </div>
      ) : null}
      <main className="main">
        <div className="stage">
          <Stage engine={engine} snap={snap} paint={paint} onViewChange={onViewChange} {...(genPane ? { extraPane: genPane } : {})} />
          <Plots
            runs={plotRuns}
            expect={expectedPanes}
            readouts={plotReadouts}
            theme={theme}
          />
          <Spectrum engine={engine} snap={snap} />
        </div>
        <aside className="panel">
          <ControlPanel engine={engine} snap={snap} />
          <CompareControls engine={engine} snap={snap} />
          <GeneratorControls engine={engine} snap={snap} gen={gen} />
          {comps && compsEditor && snap.target ? <MixtureEditor engine={engine} components={comps} centre={centre} targetId={snap.target.id} editor={compsEditor} /> : null}
          <TargetSources engine={engine} snap={snap} painting={painting} setPainting={setPainting} grid={grid} clearGrid={() => setGrid(undefined)} />
          <ExportPanel engine={engine} snap={snap} />
        </aside>
      </main>
    </div>
  );
}

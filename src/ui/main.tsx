/** Browser entry: the engine from the URL hash (src/state/link.ts), exposed as window.__wgf, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Engine } from '../engine/Engine';
import { applyLink, readLink } from '../state/link';
import { App } from './App';
import { sayLink } from './messages';
import { specLookup } from './specs';
import './styles.css';

declare global {
  interface Window {
    /** The engine, for e2e tests and the console. */
    __wgf?: Engine;
  }
}

// the same reader and rules as a hash edited on the running page (src/state/link.ts)
const link = readLink(location.hash, specLookup);
const nFromAdapter = !new URLSearchParams(location.hash.replace(/^#/, '')).has('n');
const engine = new Engine({ config: link.config, backend: link.backend ?? 'gpu', gpu: 'gpu' in navigator ? navigator.gpu : undefined, nFromAdapter });
window.__wgf = engine;
sayLink(engine, applyLink(engine, link, 'load'));
void engine.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);

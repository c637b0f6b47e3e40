/** Browser entry: the engine from the URL hash, exposed as window.__wgf, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Engine } from './engine/Engine';
import { decodeHash } from './state/urlState';
import { App } from './ui/App';
import { specLookup } from './ui/specs';
import './ui/styles.css';

declare global {
  interface Window {
    /** The engine, for e2e tests and the console. */
    __wgf?: Engine;
  }
}

const { config, errors, compare, compare2, backend, every } = decodeHash(location.hash, specLookup);
const engine = new Engine({ config, backend: backend ?? 'gpu', gpu: 'gpu' in navigator ? navigator.gpu : undefined });
window.__wgf = engine;
if (compare) engine.setCompare(compare);
if (compare2) engine.setCompare2(compare2);
if (every !== undefined) engine.setRecordEvery(every);
if (errors.length > 0) engine.say('error', `URL: ${errors.join('; ')} (defaults used)`);
void engine.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);

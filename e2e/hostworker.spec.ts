/**
 * Issue 22 item 4, end to end (real Chromium, WebGPU on SwiftShader): jko on the GPU backend steps
 * its float64 twin on the host; the twin runs in a Web Worker ('wgf-host-twin'), so the page's main
 * thread is never blocked for a whole step (N = 512: seconds a step on SwiftShader). Measured in the page: every long task (PerformanceObserver
 * 'longtask') and the input delay of a click (handler time - event timeStamp) while the run steps.
 * The same run with Worker removed from the page (the in-thread fallback: the stepping before this
 * change) shows what the measurement catches: a long task as long as a step.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, snapshot, waitForPaused, waitForStep } from './helpers';

interface Probe {
  longtasks: number[];
  clickDelay: number | undefined;
  workers: string[];
}

declare global {
  interface Window {
    __probe?: Probe;
  }
}

/** Install the probes before the app loads; `noWorker`: the page has no Worker (the twin steps in the main thread). */
async function probe(page: Page, noWorker: boolean): Promise<void> {
  await page.addInitScript((drop) => {
    const p: Probe = { longtasks: [], clickDelay: undefined, workers: [] };
    window.__probe = p;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) p.longtasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener('pointerdown', (e) => {
      p.clickDelay = performance.now() - e.timeStamp;
    }, true);
    if (drop) {
      Object.defineProperty(window, 'Worker', { value: undefined, configurable: true, writable: true });
      return;
    }
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        p.workers.push(opts?.name ?? '');
      }
    };
  }, noWorker);
}

const N = 512;

/** Open jko at N = 512, let it step, then measure 3 steps: ms per step, the longest long task, a click's input delay. */
async function measure(page: Page): Promise<{ msPerStep: number; longest: number; clickDelay: number; clickMs: number; probe: Probe }> {
  await openApp(page, `method=jko&target=double-well&n=${N}&seed=1`, 1);
  await expect(page.getByTestId('host-note')).toHaveText('jko: inner solve on the host (float64 twin)');
  const s0 = (await snapshot(page)).step;
  await waitForStep(page, s0 + 1, 120_000);
  // from here on: the run's steady state (the start-up's pipeline builds and first render not counted)
  await page.evaluate(() => {
    if (window.__probe) window.__probe.longtasks = [];
  });
  const s1 = (await snapshot(page)).step;
  const t1 = Date.now();
  await waitForStep(page, s1 + 3, 180_000);
  const s2 = (await snapshot(page)).step;
  const msPerStep = (Date.now() - t1) / (s2 - s1);
  // a click while the run steps: Pause answers
  const c0 = Date.now();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const clickMs = Date.now() - c0;
  await waitForPaused(page, 120_000);
  const p = await page.evaluate(() => window.__probe);
  if (!p) throw new Error('no probe');
  const longest = Math.max(0, ...p.longtasks);
  const clickDelay = p.clickDelay ?? NaN;
  console.log(`jko N=${N} (${p.workers.includes('wgf-host-twin') ? 'worker' : 'main thread'}): ${msPerStep.toFixed(0)} ms/step, ${p.longtasks.length} long tasks over ${s2 - s1} steps, longest ${longest.toFixed(0)} ms, click input delay ${clickDelay.toFixed(0)} ms, Playwright click ${clickMs} ms`);
  return { msPerStep, longest, clickDelay, clickMs, probe: p };
}

test('jko on the GPU backend: the float64 twin steps in a worker; no main-thread task as long as a step, a click is answered during the run', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = collectErrors(page);
  await probe(page, false);
  const m = await measure(page);
  expect(m.probe.workers).toContain('wgf-host-twin');
  // steps are long here (seconds on SwiftShader), and no main-thread task comes close to one
  expect(m.longest).toBeLessThan(m.msPerStep / 2);
  expect(m.clickDelay).toBeLessThan(m.msPerStep / 2);
  expect(errors).toEqual([]);
});

test('the same run without Worker (the in-thread fallback, the stepping before issue 22): a long task as long as a step', async ({ page }) => {
  test.setTimeout(420_000);
  await probe(page, true);
  const m = await measure(page);
  expect(m.probe.workers).toEqual([]);
  expect(m.longest).toBeGreaterThan(m.msPerStep / 2);
});

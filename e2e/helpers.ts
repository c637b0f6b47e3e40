import { expect, type Page } from '@playwright/test';
import type { EngineSnapshot } from '../src/engine/Engine';

/** Console errors and uncaught exceptions of a page (checked by the tests that care). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Open the app with a URL hash and wait until the first steps ran. */
export async function openApp(page: Page, hash: string, minStep = 1): Promise<void> {
  await page.goto(`/#${hash}`);
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(/WebGPU|CPU engine/, { timeout: 60_000 });
  await waitForStep(page, minStep);
}

export async function snapshot(page: Page): Promise<EngineSnapshot> {
  const s = await page.evaluate(() => {
    const e = window.__wgf;
    if (!e) throw new Error('window.__wgf is missing');
    const snap = e.getSnapshot();
    // targets hold functions: send only plain data
    return JSON.stringify({ ...snap, target: snap.target ? { id: snap.target.id, components: snap.target.components } : undefined });
  });
  return JSON.parse(s) as EngineSnapshot;
}

export async function waitForStep(page: Page, atLeast: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => (window.__wgf?.getSnapshot().step ?? 0) >= n, atLeast, { timeout });
}

export async function positions(page: Page): Promise<number[]> {
  return page.evaluate(async () => Array.from((await window.__wgf?.readPositions()) ?? []));
}

/** Set a committed input: fill, then Enter. */
export async function commit(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Enter');
}

/** Wait until the page has run `count` more animation frames (the engine steps and draws once per frame). */
export async function nextFrames(page: Page, count = 2): Promise<void> {
  await page.evaluate(
    (k) =>
      new Promise<void>((resolve) => {
        let left = k;
        const tick = (): void => {
          left -= 1;
          if (left <= 0) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    count,
  );
}

/**
 * A screenshot of `clip` once the picture has settled (a paused run after a layer change): after two
 * animation frames, screenshots until two in a row are byte-identical. Throws if it never settles.
 */
export async function settledShot(page: Page, clip: { x: number; y: number; width: number; height: number }, tries = 20): Promise<Buffer> {
  await nextFrames(page, 2);
  let prev = await page.screenshot({ clip });
  for (let i = 0; i < tries; i++) {
    const next = await page.screenshot({ clip });
    if (next.equals(prev)) return next;
    prev = next;
  }
  throw new Error(`the picture in ${JSON.stringify(clip)} did not settle after ${tries + 1} screenshots`);
}

/** Wait until the engine is paused (the Pause click handled). */
export async function waitForPaused(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(() => window.__wgf?.getSnapshot().playing === false, undefined, { timeout });
}

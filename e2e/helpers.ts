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

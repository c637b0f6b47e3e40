/**
 * Export and import (issue 22 item 9):
 *   - an NPY export comes with `<name>.steps.json` (the steps of its frames and the run's meta); a
 *     recording turned on late still starts with the step-0 frame, the run's initial positions;
 *   - Import config runs what Export config saved: export, change the run, import, the same config
 *     (and the URL follows).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { decodeNpy } from '../src/io/npy';
import { decodeNpySidecar } from '../src/io/npySidecar';
import { collectErrors, commit, openApp, snapshot, waitForStep } from './helpers';

/** Click `name` and collect `count` downloads (an NPY export gives two). */
async function downloads(page: Page, name: string, count: number): Promise<Download[]> {
  const got: Download[] = [];
  const done = new Promise<void>((resolve) => {
    const on = (d: Download): void => {
      got.push(d);
      if (got.length === count) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await page.getByRole('button', { name, exact: true }).click();
  await done;
  return got;
}

/** The exported config without the step it was saved at; no domain is the plane (RunConfig.domain). */
function comparable(text: string): unknown {
  const { step: _step, ...rest } = JSON.parse(text) as { step: number; domain?: string };
  return { ...rest, domain: rest.domain ?? 'plane' };
}

test('NPY export: the steps sidecar says the step of each frame; a late recording starts with the step-0 frame', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&target=banana&n=256&h=0.02&seed=4', 5);
  // recording turned on late: at step >= 5, every 2 steps
  await commit(page, 'Record every', '2');
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().recordedFrames ?? 0) >= 4, undefined, { timeout: 60_000 });
  await expect(page.getByText(/NPY comes with a \.steps\.json/)).toBeVisible();
  await page.getByLabel('Format').selectOption('npy');
  const got = await downloads(page, 'Export', 2);
  const npyDl = got.find((d) => d.suggestedFilename().endsWith('.npy'));
  const sideDl = got.find((d) => d.suggestedFilename().endsWith('.steps.json'));
  if (!npyDl || !sideDl) throw new Error(`downloads: ${got.map((d) => d.suggestedFilename()).join(', ')}`);
  expect(sideDl.suggestedFilename()).toBe(npyDl.suggestedFilename().replace(/\.npy$/, '.steps.json'));
  const npy = decodeNpy(readFileSync(await npyDl.path()));
  const side = decodeNpySidecar(readFileSync(await sideDl.path(), 'utf8'));
  console.log(`NPY ${npyDl.suggestedFilename()}: shape [${npy.shape.join(', ')}], sidecar steps ${side.steps.join(', ')}`);
  expect(side.npy).toBe(npyDl.suggestedFilename());
  expect(npy.shape).toEqual(side.shape);
  expect(side.shape[1]).toBe(256);
  // the step-0 frame first, then the recorded steps (after the late start), every 2
  expect(side.steps[0]).toBe(0);
  expect(side.steps[1]).toBeGreaterThanOrEqual(5);
  for (let f = 1; f < side.steps.length; f++) {
    expect((side.steps[f] ?? 1) % 2).toBe(0);
    expect(side.steps[f]).toBeGreaterThan(side.steps[f - 1] ?? Infinity);
  }
  expect(side.meta).toMatchObject({ n: 256, recordEvery: 2, config: { method: 'langevin', target: { id: 'banana' }, seed: 4 } });
  // the step-0 frame is the run's initial state: what `wgf run --steps 0` writes for the same run
  const dir = mkdtempSync(join(tmpdir(), 'wgf-e2e-export-'));
  try {
    const out = join(dir, 'start.npy');
    execFileSync('node', ['bin/wgf.mjs', 'run', '--backend', 'cpu', '--method', 'langevin', '--target', 'banana', '--n', '256', '--seed', '4', '--steps', '0', '--out', out], { encoding: 'utf8' });
    const start = decodeNpy(readFileSync(out));
    expect(start.shape).toEqual([1, 256, 2]);
    expect(Array.from(npy.data.subarray(0, 512))).toEqual(Array.from(start.data));
    expect(Array.from(npy.data.subarray(512, 1024))).not.toEqual(Array.from(start.data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(errors).toEqual([]);
});

test('Import config: export, change the run, import: the same config, and the URL follows', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&target=banana&n=256&h=0.02&seed=5&m.bandwidth=0.4&t.b=0.3&cmp=mmd-flow', 2);
  await commit(page, 'Record every', '3');
  await expect.poll(async () => (await snapshot(page)).recordEvery).toBe(3);
  const [saved] = await downloads(page, 'Export config', 1);
  if (!saved) throw new Error('no config download');
  const file = readFileSync(await saved.path(), 'utf8');
  expect(JSON.parse(file)).toMatchObject({ method: 'svgd', params: { bandwidth: 0.4 }, target: { id: 'banana', params: { b: 0.3 } }, n: 256, stepSize: 0.02, seed: 5, compare: 'mmd-flow', recordEvery: 3 });

  // change the run: another link (method, target, n, seed, no split view), recording off
  await page.evaluate(() => {
    location.hash = 'method=langevin&target=gaussian&n=128&seed=9&h=0.1';
  });
  await expect.poll(async () => (await snapshot(page)).config.method).toBe('langevin');
  await commit(page, 'Record every', '0');
  await expect.poll(async () => (await snapshot(page)).recordEvery).toBe(0);
  const [changed] = await downloads(page, 'Export config', 1);
  if (!changed) throw new Error('no config download');
  expect(comparable(readFileSync(await changed.path(), 'utf8'))).not.toEqual(comparable(file));

  // Import config: the file chooser of the button, the saved file
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  await (await chooser).setFiles({ name: saved.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.getByRole('alert')).toContainText(`Imported config ${saved.suggestedFilename()}`);
  await expect.poll(async () => (await snapshot(page)).config.method).toBe('svgd');
  const step0 = (await snapshot(page)).step;
  await waitForStep(page, step0 + 2);
  const [again] = await downloads(page, 'Export config', 1);
  if (!again) throw new Error('no config download');
  expect(comparable(readFileSync(await again.path(), 'utf8'))).toEqual(comparable(file));
  // the URL carries the imported run (the same link the page writes for it)
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/method=svgd.*m\.bandwidth=0\.4.*target=banana.*t\.b=0\.3.*n=256.*seed=5.*cmp=mmd-flow.*every=3/);

  // a file that is not a config: said by name, nothing changed
  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  await (await chooser2).setFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByRole('alert')).toContainText('Import config notes.json: method: expected a method id, got nothing; nothing was changed');
  expect((await snapshot(page)).config.method).toBe('svgd');
  expect(errors).toEqual([]);
});

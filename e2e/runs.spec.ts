/**
 * Runs as a list (issue 18 item 3): a link with three compared runs (each its own method,
 * parameters and step size) opens four canvases, four status lines and four sections of controls;
 * "Remove" closes the list up and the URL follows; "Add a run" starts another; the URL carries every
 * run's parameters and step size, so reopening it reproduces the page.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, openApp, snapshot } from './helpers';

const LINK = 'method=svgd&target=banana&n=64&seed=1&cmp=langevin&cmp2=gwg&cmp3=langevin&cmp3.m.mala=true&cmp3.h=0.01';

test('a link with three compared runs shows four runs; Remove and Add a run change the list and the URL', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, LINK, 1);
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(4);
  const s = await snapshot(page);
  expect(s.runs.map((r) => [r.index, r.method, r.params, r.ownStepSize ?? null])).toEqual([
    [0, 'svgd', {}, null],
    [1, 'langevin', {}, null],
    [2, 'gwg', {}, null],
    [3, 'langevin', { mala: true }, 0.01],
  ]);
  await expect(page.getByTestId('status-compare3')).toContainText('fourth: Langevin');
  await expect(page.getByRole('region', { name: 'Fourth run' })).toBeVisible();
  await expect(page.getByLabel('Fourth run step size')).toHaveValue('0.01');
  // all four runs step together
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().runs[3]?.step ?? 0) > 0, undefined, { timeout: 60_000 });
  // the page's own hash carries every run
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('cmp3=langevin&cmp3.m.mala=true&cmp3.h=0.01');
  // no more than three compared runs: no "Add a run" while four are on
  await expect(page.getByLabel('Add a run')).toHaveCount(0);

  await page.getByRole('button', { name: 'Remove the second run' }).click();
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(3);
  await expect.poll(async () => (await snapshot(page)).runs.map((r) => r.method)).toEqual(['svgd', 'gwg', 'langevin']);
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('cmp=gwg&cmp2=langevin&cmp2.m.mala=true&cmp2.h=0.01');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('cmp3');

  await page.getByLabel('Add a run').selectOption('langevin');
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(4);
  await expect.poll(async () => (await snapshot(page)).runs.map((r) => r.method)).toEqual(['svgd', 'gwg', 'langevin', 'langevin']);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/cmp3=langevin(&|$)/);

  // the page's link, opened again, reproduces the runs list
  const hash = await page.evaluate(() => location.hash);
  await page.goto('about:blank');
  await openApp(page, hash.replace(/^#/, ''), 1);
  expect((await snapshot(page)).runs.map((r) => [r.method, r.params, r.ownStepSize ?? null])).toEqual([
    ['svgd', {}, null],
    ['gwg', {}, null],
    ['langevin', { mala: true }, 0.01],
    ['langevin', {}, null],
  ]);
  expect(errors).toEqual([]);
});

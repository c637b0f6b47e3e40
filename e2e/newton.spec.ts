/**
 * Issue 10 end to end: the "Saddle escape" preset (double well from its saddle, N = 64, seed 1)
 * shows three runs side by side, w-newton (left), wgd (middle) and wsfn (right), with their
 * readouts; wsfn's energy falls below 1e-6 while w-newton's stays at 1/4 (read from the status bar's
 * readout values and the engine snapshot), the F / |g| / min-eig plots appear, and the Spectrum
 * button shows the main run's Hessian eigenvalues (smallest -1 on the saddle).
 */
import { expect, test } from '@playwright/test';
import { collectErrors, snapshot } from './helpers';

test('Saddle escape: three runs; wsfn reaches F < 1e-6 while w-newton stays at 0.25', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(/WebGPU|CPU engine/, { timeout: 60_000 });
  await page.getByLabel('Presets', { exact: true }).selectOption({ label: 'Saddle escape' });
  await expect.poll(async () => (await snapshot(page)).compare2?.method, { timeout: 60_000 }).toBe('wsfn');
  const s0 = await snapshot(page);
  expect(s0.config).toMatchObject({ method: 'w-newton', target: { id: 'double-well' }, n: 64, seed: 1 });
  expect(s0.compare?.method).toBe('wgd');
  await expect(page.locator('.stage-panes .canvas-wrap')).toHaveCount(3);

  // wsfn (third run) converges; poll its energy readout from the snapshot
  await expect
    .poll(async () => (await snapshot(page)).compare2?.metrics?.readouts?.energy ?? 1, { timeout: 240_000, intervals: [1000] })
    .toBeLessThan(1e-6);
  const s = await snapshot(page);
  const fNewton = s.metrics?.readouts?.energy ?? NaN;
  expect(Math.abs(fNewton - 0.25)).toBeLessThan(1e-4);
  expect(s.metrics?.readouts?.minEig ?? NaN).toBeLessThan(-0.9);
  expect(s.compare?.metrics?.readouts?.energy).toBeDefined();

  // the status bar shows the same numbers (data-value of the readout spans)
  const third = page.getByTestId('status-compare2');
  await expect(third).toContainText('wsfn', { ignoreCase: true });
  const v3 = Number(await third.locator('[data-readout="energy"]').getAttribute('data-value'));
  expect(v3).toBeLessThan(1e-6);
  const v1 = Number(await page.locator('.status > [data-readout="energy"]').getAttribute('data-value'));
  expect(Math.abs(v1 - 0.25)).toBeLessThan(1e-4);

  // the plots: the landscape readouts' panes, none of the density metrics
  await expect(page.locator('#plots')).toContainText('F vs step', { timeout: 30_000 });
  await expect(page.locator('#plots')).not.toContainText('KSD');
  // the Hessian spectrum of the main run (w-newton, on the saddle): all 128 eigenvalues, the smallest -1
  await page.getByRole('button', { name: 'Spectrum' }).click();
  const spectrum = page.getByTestId('spectrum');
  await expect(spectrum).toBeVisible();
  expect(Math.abs(Number(await spectrum.getAttribute('data-min')) + 1)).toBeLessThan(1e-3);
  await expect(page.getByRole('region', { name: 'Hessian spectrum' })).toContainText('all 128 eigenvalues (dense)');
  await page.screenshot({ path: 'test-results/newton-saddle-escape.png', fullPage: true });
  expect(errors).toEqual([]);
});

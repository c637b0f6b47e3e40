/**
 * Explain what is on screen (issue 8): About panels with KaTeX for a method and a target; the phone
 * layout (bug 7: 390 x 844, canvas >= 300 px wide, plots one per row); presets set the URL and the
 * run; Share copies the link (or shows it); backend and Record every travel in the URL; the theme
 * toggle changes the page colours and is remembered; the first-visit hint shows once. Small N keeps
 * each test quick on SwiftShader.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = 'test-results';

async function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

test('About panels: the method and the target each open a dialog with rendered KaTeX, parameters and the paper', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1', 1);
  await page.getByRole('button', { name: 'About SVGD', exact: true }).click();
  const method = page.getByRole('dialog', { name: 'About SVGD' });
  await expect(method).toBeVisible();
  await expect(method.locator('.katex').first()).toBeVisible();
  expect(await method.locator('.katex .mfrac').count()).toBeGreaterThan(0); // the 1/N of the update, typeset
  await expect(method).toContainText('Parameters');
  await expect(method).toContainText('Bandwidth');
  await expect(method).toContainText('Stein variational gradient descent');
  await expect(method).toContainText('2016');
  await page.screenshot({ path: `${SHOTS}/40-about-method.png` });
  await method.getByRole('button', { name: 'Close' }).click();
  await expect(method).toBeHidden();

  await page.getByRole('button', { name: 'About Banana', exact: true }).click();
  const target = page.getByRole('dialog', { name: 'About Banana' });
  await expect(target.locator('.katex').first()).toBeVisible();
  await expect(target).toContainText('Stretch a');
  await page.keyboard.press('Escape');
  await expect(target).toBeHidden();
  // the run went on under the dialog
  const s = (await snapshot(page)).step;
  await waitForStep(page, s + 1);
  expect(errors).toEqual([]);
});

test('narrow screen (390 x 844): canvas first at full width, plots one per row below, status on one line', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1', 1);
  const canvas = page.locator('canvas.sim-canvas').first();
  const cbox = await canvas.boundingBox();
  if (!cbox) throw new Error('no canvas box');
  expect(cbox.width).toBeGreaterThanOrEqual(300);
  expect(cbox.height).toBeGreaterThanOrEqual(300);
  const plots = page.getByRole('region', { name: 'Convergence plots' });
  await expect(plots.locator('[data-plot=ksd] .main-svg').first()).toBeAttached({ timeout: 60_000 });
  await expect(plots.locator('[data-plot=energy] .main-svg').first()).toBeAttached({ timeout: 60_000 });
  const boxes = [];
  for (const key of ['ksd', 'energy', 'ms']) {
    const b = await plots.locator(`[data-plot=${key}]`).boundingBox();
    if (!b) throw new Error(`no box for plot ${key}`);
    expect(b.width, key).toBeGreaterThan(300);
    boxes.push(b);
  }
  const tops = boxes.map((b) => Math.round(b.y));
  expect(new Set(tops).size).toBe(tops.length);
  // the canvas comes before the controls and the plots
  const panel = await page.getByRole('region', { name: 'Run controls' }).boundingBox();
  expect(panel?.y ?? 0).toBeGreaterThan(cbox.y + cbox.height - 1);
  expect(Math.min(...tops)).toBeGreaterThan(cbox.y + cbox.height - 1);
  // the status line does not wrap: one line high
  const status = await page.getByRole('status', { name: 'Status' }).boundingBox();
  expect(status?.height ?? 99).toBeLessThan(30);
  await page.screenshot({ path: `${SHOTS}/41-phone-top.png` });
  await page.screenshot({ path: `${SHOTS}/42-phone-full.png`, fullPage: true });
});

test('desktop: plots have y-axis titles and the ms/step plot leaves out the warm-up point', async ({ page }) => {
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1', 1);
  const plots = page.getByRole('region', { name: 'Convergence plots' });
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().history.step.length ?? 0) >= 3, undefined, { timeout: 60_000 });
  await expect(plots.locator('[data-plot=ksd] .g-ytitle')).toContainText('KSD', { timeout: 30_000 });
  await expect(plots.locator('[data-plot=ms] .g-ytitle')).toContainText('ms');
  // The plots redraw at most every 500 ms, one pane per task: wait until the ms pane has drawn points.
  const msPoints = (): Promise<number> =>
    plots.locator('[data-plot=ms]').evaluate((el) => {
      const data = (el as unknown as { data?: { x: unknown[] }[] }).data;
      return data?.[0]?.x.length ?? -1;
    });
  await expect.poll(msPoints, { timeout: 30_000 }).toBeGreaterThan(0);
  const counts = await msPoints();
  const n = (await snapshot(page)).history.step.length;
  expect(counts).toBeGreaterThan(0);
  expect(counts).toBeLessThan(n); // at least the first point is dropped
  await page.screenshot({ path: `${SHOTS}/43-desktop.png` });
});

test('presets set the URL and the run; the compare preset shows both runs in the status bar', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&target=gaussian&n=256&seed=1', 1);
  await page.getByLabel('Presets').selectOption({ label: 'Riesz SVGD on the torus' });
  await expect.poll(async () => (await snapshot(page)).config.domain).toBe('torus');
  let s = await snapshot(page);
  expect([s.config.method, s.config.target.id, s.config.params.kernel, s.config.n]).toEqual(['svgd', 'torus-mixture', 'riesz', 1024]);
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('domain=torus');
  expect(await page.evaluate(() => location.hash)).toContain('m.kernel=riesz');

  await page.getByLabel('Presets').selectOption({ label: 'SVGD vs Langevin on the banana' });
  await expect.poll(async () => (await snapshot(page)).compare?.method).toBe('langevin');
  s = await snapshot(page);
  expect([s.config.method, s.config.target.id, s.config.domain ?? 'plane']).toEqual(['svgd', 'banana', 'plane']);
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(2);
  await expect(page.getByTestId('status-compare')).toContainText('right: Langevin');
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().compare?.stats?.step ?? 0) > 0, undefined, { timeout: 60_000 });
  await expect(page.getByTestId('status-compare')).toContainText('mean (');
  expect(await page.evaluate(() => location.hash)).toContain('cmp=langevin');
  expect(errors).toEqual([]);
});

test.describe('Share', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('copies the link of the run (backend and Record every included); without a clipboard it shows the link', async ({ page }) => {
    await openApp(page, 'method=svgd&target=banana&n=256&seed=3', 1);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page.locator('.share-note')).toHaveText('Link copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('#method=svgd');
    expect(copied).toContain('seed=3');
    expect(copied).toContain('backend=gpu');

    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) }, configurable: true });
    });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const field = page.getByLabel('Link to this run');
    await expect(field).toBeVisible();
    expect(await field.inputValue()).toContain('#method=svgd');
  });
});

test('backend and Record every come from the URL; older links keep the GPU', async ({ page }) => {
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1&backend=cpu&every=5', 1);
  let s = await snapshot(page);
  expect([s.backendKind, s.recordEvery]).toEqual(['cpu', 5]);
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('CPU engine (float64)');
  await page.goto('about:blank'); // a fresh load (a hash change alone keeps the page's backend)
  await page.goto('/#method=svgd&target=banana&n=256&seed=1');
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(/WebGPU|CPU engine/, { timeout: 60_000 });
  s = await snapshot(page);
  expect([s.backendKind, s.recordEvery]).toEqual(['gpu', 0]);
});

test('theme: light and dark change the page colours, the choice is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1', 1);
  const dark = await background(page);
  await page.getByLabel('Theme').selectOption('light');
  await expect.poll(() => background(page)).not.toBe(dark);
  const light = await background(page);
  expect(light).toBe('rgb(244, 246, 250)');
  await page.screenshot({ path: `${SHOTS}/44-light.png` });
  await page.reload();
  await expect(page.getByLabel('Theme')).toHaveValue('light');
  expect(await background(page)).toBe(light);
  // system follows prefers-color-scheme
  await page.getByLabel('Theme').selectOption('system');
  await expect.poll(() => background(page)).toBe(dark);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe(light);
});

test('the first-visit hint shows once and stays dismissed after a reload', async ({ page }) => {
  await openApp(page, 'method=svgd&target=banana&n=256&seed=1', 1);
  const hint = page.getByRole('complementary', { name: 'First-visit hint' });
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('Drag');
  await hint.getByRole('button', { name: 'Got it' }).click();
  await expect(hint).toBeHidden();
  await page.reload();
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(/WebGPU|CPU engine/, { timeout: 60_000 });
  await expect(page.getByRole('complementary', { name: 'First-visit hint' })).toHaveCount(0);
});

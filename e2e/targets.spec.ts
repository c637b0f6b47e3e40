/**
 * Sample-cloud targets, image and painted targets, and the split view (N = 512 to stay quick on
 * SwiftShader). Screenshots go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, nextFrames, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = 'test-results';

/**
 * The divergences to the target cloud the run reports (Sinkhorn, MMD, energy distance), each
 * with its series; `fell` names the first one whose latest value is under half its first.
 */
async function divergences(page: Page): Promise<{ fell: string | undefined; series: Record<string, number[]> }> {
  const h = (await snapshot(page)).history;
  const series: Record<string, number[]> = {};
  let fell: string | undefined;
  for (const name of ['sinkhorn', 'mmd', 'energy'] as const) {
    const values = h[name].filter((v): v is number => v !== null && v > 0);
    series[name] = values;
    const first = values[0] ?? NaN;
    const last = values[values.length - 1] ?? NaN;
    if (fell === undefined && values.length >= 4 && last < 0.5 * first) fell = name;
  }
  return { fell, series };
}

/** A small PNG made by the page's canvas: a bright ring on black. */
async function ringPng(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 64;
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 64, 64);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 8;
    ctx.beginPath();
    ctx.arc(32, 32, 20, 0, 2 * Math.PI);
    ctx.stroke();
    return c.toDataURL('image/png').split(',')[1] ?? '';
  });
  return Buffer.from(b64, 'base64');
}

test('a sample target with the Sinkhorn flow: the picker switches the method, the divergence falls, the cloud can be dragged', async ({ page }) => {
  test.setTimeout(180_000); // the Sinkhorn flow and its metrics take ~1 s per step on SwiftShader
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&n=256&h=0.2', 1);
  const methodSelect = page.getByLabel('Method', { exact: true });
  await page.getByLabel('Target', { exact: true }).selectOption('moons');
  const flow = (await page.locator('select').filter({ has: page.locator('option[value="sinkhorn-flow"]') }).count()) > 0 ? 'sinkhorn-flow' : 'mmd-flow';
  await expect(methodSelect).toHaveValue(flow);
  // score-based methods are disabled for a sample-only target
  await expect(methodSelect.locator('option[value="svgd"]')).toBeDisabled();
  await expect.poll(async () => (await divergences(page)).fell, { timeout: 120_000, intervals: [1000] }).toBeDefined();
  const d = await divergences(page);
  await page.screenshot({ path: `${SHOTS}/10-sample-target.png` });
  // the Sinkhorn solves' convergence is on screen: the metric's iterations and marginal error, and
  // (for the Sinkhorn flow) the flow plan's marginal error
  const status = page.getByRole('status', { name: 'Status' });
  await expect(status).toContainText(/Sε \d+ it\., marginal err \d/);
  if (flow === 'sinkhorn-flow') await expect(status).toContainText(/flow plan marginal err \d/);
  const plotKey = d.fell ?? 'mmd';
  await expect(page.locator(`[data-plot=${plotKey}] .scatterlayer .trace`)).toHaveCount(1, { timeout: 30_000 });

  // drag the whole cloud by its handle: the target becomes a translated cloud, the run goes on
  const handle = page.getByRole('button', { name: 'Move cloud' });
  const box = await handle.boundingBox();
  if (!box) throw new Error('no Move cloud handle');
  const step0 = (await snapshot(page)).step;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(cx + (120 * k) / 8, cy);
  await page.mouse.up();
  const after = await snapshot(page);
  expect(after.config.target.id).toBe('cloud');
  expect(after.step).toBeGreaterThanOrEqual(step0);
  const box1 = await handle.boundingBox();
  expect((box1?.x ?? 0) - box.x).toBeGreaterThan(100);
  await waitForStep(page, after.step + 3);
  await page.screenshot({ path: `${SHOTS}/11-cloud-dragged.png` });
  expect(errors).toEqual([]);
});

test('8 gaussians: one cluster is dragged on its own', async ({ page }) => {
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=512&h=0.5', 1);
  const cluster = page.getByRole('button', { name: 'Cluster 1', exact: true });
  const box = await cluster.boundingBox();
  if (!box) throw new Error('no cluster handle');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let k = 1; k <= 6; k++) await page.mouse.move(cx + (90 * k) / 6, cy + (40 * k) / 6);
  await page.mouse.up();
  expect((await snapshot(page)).config.target.id).toBe('cloud');
  const moved = await cluster.boundingBox();
  expect((moved?.x ?? 0) - box.x).toBeGreaterThan(70);
  // the other clusters stay put
  const other = await page.getByRole('button', { name: 'Cluster 2', exact: true }).boundingBox();
  expect(other).not.toBeNull();
  // the screenshot shows the flow after the drag: one more step drawn
  await waitForStep(page, (await snapshot(page)).step + 1);
  await page.screenshot({ path: `${SHOTS}/12-cluster-dragged.png` });
});

test('an uploaded image becomes the target; a file that is not an image is refused and the run goes on', async ({ page }) => {
  await openApp(page, 'method=svgd&n=512&h=0.2', 1);
  const png = await ringPng(page);
  const upload = page.getByLabel('Upload image');
  await upload.setInputFiles({ name: 'ring.png', mimeType: 'image/png', buffer: png });
  await expect.poll(async () => (await snapshot(page)).config.target.id, { timeout: 30_000 }).toBe('cloud');
  const snap = await snapshot(page);
  expect(snap.config.method).not.toBe('svgd'); // switched to a sample-based flow
  await expect(page.getByRole('alert')).toContainText("image 'ring.png'");
  await waitForStep(page, snap.step + 9);
  await page.screenshot({ path: `${SHOTS}/13-image-target.png` });

  const before = (await snapshot(page)).step;
  await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(page.getByRole('alert')).toContainText("'notes.txt' is not an image");
  await expect(page.getByRole('alert')).toContainText('the current run keeps going');
  expect((await snapshot(page)).config.target.id).toBe('cloud');
  await waitForStep(page, before + 5);
  // a broken file that claims to be an image
  await upload.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('garbage bytes') });
  await expect(page.getByRole('alert')).toContainText("'broken.png' is not an image");
  // the config export says the cloud is not in the URL
  expect(await page.evaluate(() => location.hash)).not.toContain('cloud=');
});

test('split view: Compare with shows two canvases and two traces per plot', async ({ page }) => {
  await openApp(page, 'method=svgd&n=512&h=0.1', 1);
  await page.getByLabel('Compare with').selectOption('langevin');
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(2);
  await expect(page.getByLabel('Compared run: Langevin', { exact: false })).toBeVisible();
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().compare?.history.step.length ?? 0) >= 3, undefined, { timeout: 60_000 });
  await expect.poll(async () => page.locator('[data-plot=ksd] .scatterlayer .trace').count(), { timeout: 30_000 }).toBe(2);
  await expect(page.locator('[data-plot=ksd] .legend')).toContainText('Langevin');
  const s = await snapshot(page);
  expect(s.compare?.method).toBe('langevin');
  expect(Math.abs((s.compare?.step ?? 0) - s.step)).toBeLessThanOrEqual(512);
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('cmp=langevin');
  // the screenshot after a frame of both runs was drawn
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/14-split-view.png` });
  await page.getByLabel('Compare with').selectOption('none');
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(1);
});

test('painting a density and using it makes a cloud target', async ({ page }) => {
  await openApp(page, 'method=svgd&n=512&h=0.2', 1);
  await page.getByRole('button', { name: 'Paint density' }).click();
  await expect(page.getByRole('button', { name: 'Paint density' })).toHaveAttribute('aria-pressed', 'true');
  const canvas = page.getByRole('application').first();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  const x0 = box.x + box.width * 0.3;
  const y0 = box.y + box.height * 0.35;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let k = 1; k <= 20; k++) await page.mouse.move(x0 + box.width * 0.4 * (k / 20), y0 + box.height * 0.3 * Math.sin((Math.PI * k) / 20));
  await page.mouse.up();
  await page.screenshot({ path: `${SHOTS}/15-painted.png` });
  await page.getByRole('button', { name: 'Use painting' }).click();
  await expect.poll(async () => (await snapshot(page)).config.target.id, { timeout: 30_000 }).toBe('cloud');
  await expect(page.getByRole('alert')).toContainText('painted density');
  const s = await snapshot(page);
  await waitForStep(page, s.step + 11);
  await page.screenshot({ path: `${SHOTS}/16-painted-target.png` });
});

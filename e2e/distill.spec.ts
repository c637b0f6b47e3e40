/**
 * "Distill now" (issue 9, src/ui/generator/DistillControls.tsx): a W-Flow generator trained in a Web
 * Worker from the current target while the flow keeps running. The progress bar moves, Cancel
 * distill stops it, a second (short: "Distill steps" 40) run ends with a "Download distilled .onnx"
 * whose bytes are a valid generator (readGeneratorModel) named wflow-<target>.onnx; a landscape
 * target (no samples) gets a clear message. No page errors. Screenshots in test-results/ (and
 * /tmp/distill-*.png when WGF_SHOTS=1).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { readGeneratorModel } from '../src/generators/onnx';
import { collectErrors, nextFrames, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = process.env.WGF_SHOTS === '1' ? '/tmp' : 'test-results';

const bar = (page: Page) => page.getByRole('progressbar', { name: 'Distill progress' });
const distillStatus = (page: Page) => page.getByLabel('Distill status');

async function barValue(page: Page): Promise<number> {
  const v = await bar(page).getAttribute('value');
  return Number(v ?? NaN);
}

test('Distill now: progress moves while the flow runs, cancel stops it, a second run downloads a valid .onnx', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&target=8gaussians&n=1024&h=0.01', 2);
  const steps = page.getByLabel('Distill steps', { exact: true });
  await steps.fill('2000');
  const button = page.getByRole('button', { name: 'Distill now', exact: true });
  await button.click();
  await expect(bar(page)).toBeVisible();
  // a second click while running does nothing: the button is disabled
  await expect(button).toBeDisabled();
  await page.waitForFunction(() => Number(document.querySelector('progress[aria-label="Distill progress"]')?.getAttribute('value') ?? 0) >= 2, undefined, { timeout: 60_000 });
  const v0 = await barValue(page);
  const flow0 = (await snapshot(page)).step;
  await page.waitForFunction((v) => Number(document.querySelector('progress[aria-label="Distill progress"]')?.getAttribute('value') ?? 0) > v, v0, { timeout: 60_000 });
  const v1 = await barValue(page);
  expect(v1).toBeGreaterThan(v0);
  await expect(distillStatus(page)).toContainText(/step \d+ of 2000/);
  // the flow kept stepping meanwhile (training runs in the worker)
  await page.waitForFunction((s) => (window.__wgf?.getSnapshot().step ?? 0) > s + 2, flow0, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/distill-running.png` });

  await page.getByRole('button', { name: 'Cancel distill', exact: true }).click();
  await expect(distillStatus(page)).toContainText(/cancelled at step \d+ of 2000/, { timeout: 10_000 });
  await expect(bar(page)).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Download distilled .onnx' })).toHaveCount(0);

  await steps.fill('40');
  const t0 = Date.now();
  await button.click();
  const link = page.getByRole('link', { name: 'Download distilled .onnx' });
  await expect(link).toBeVisible({ timeout: 120_000 });
  console.log(`distill: 40 steps (batch 128) in the browser's worker: ${Date.now() - t0} ms from click to download link`);
  await expect(distillStatus(page)).toContainText(/Distilled W-Flow on 8gaussians: 40 steps/);
  const download = page.waitForEvent('download');
  await link.click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('wflow-8gaussians.onnx');
  const path = await d.path();
  const info = readGeneratorModel(new Uint8Array(readFileSync(path)));
  expect(info).toMatchObject({ inputName: 'z', outputName: 'x' });
  expect(info.metadata).toMatchObject({ method: 'wflow', target: '8gaussians', steps: '40' });
  // the distilled model replaces the generator: the screenshot shows its samples in their pane
  await expect(page.locator('.generator-pane')).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 120_000 });
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/distill-done.png` });
  expect(errors).toEqual([]);
});

test('Distill now on an energy landscape says why there is nothing to distill', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=wgd&target=double-well&n=64', 1);
  await page.getByRole('button', { name: 'Distill now', exact: true }).click();
  await expect(page.getByRole('alert', { name: 'Distill status' })).toContainText(/energy landscape/);
  await expect(bar(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the Outlier mass of a sample target is a control, round-trips through the URL and the view shows the far cluster', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=moons&t.outliers=0.01&n=1024', 2);
  const control = page.getByLabel('Outlier mass', { exact: true });
  await expect(control).toHaveValue('0.01');
  expect(await page.evaluate(() => window.location.hash)).toContain('t.outliers=0.01');
  const snap = await snapshot(page);
  expect(snap.config.target).toEqual({ id: 'moons', params: { outliers: 0.01 } });
  // the target's view grows to show the far cluster at (5, 5) (the screenshot shows its samples)
  const far = await page.evaluate(() => ({ view: Array.from(window.__wgf?.getSnapshot().target?.view ?? [0, 0, 0, 0]) }));
  expect(far.view[1]).toBeGreaterThanOrEqual(6);
  expect(far.view[3]).toBeGreaterThanOrEqual(6);
  // a few steps drawn with that view before the screenshot
  await waitForStep(page, snap.step + 2);
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/distill-outliers.png` });
  expect(errors).toEqual([]);
});

test('a generator loaded from a file, then Distill now at once: the distilled model replaces it with no page error (issue 21 item 7)', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=1024&h=0.5', 1);
  // a short distill: its model comes back while the loaded one still opens or runs its first calls
  // (10-30 s on the software GPU). Before every call into onnxruntime was queued, the session was
  // released under a pending run and the next one created on the same asyncify wasm: "onnxruntime
  // refused the model: <number>" on the provider line, then "RuntimeError: memory access out of bounds".
  await page.getByLabel('Distill steps', { exact: true }).fill('20');
  await page.getByLabel('Load generator .onnx').setInputFiles({ name: 'wflow-8gaussians.onnx', mimeType: 'application/octet-stream', buffer: readFileSync('public/models/wflow-8gaussians.onnx') });
  // (the page can be slow to answer while onnxruntime compiles its 27 MB wasm on a loaded machine)
  await page.getByRole('button', { name: 'Distill now', exact: true }).click({ timeout: 90_000 });
  await expect(page.getByRole('link', { name: 'Download distilled .onnx' })).toBeVisible({ timeout: 120_000 });
  const select = page.getByRole('combobox', { name: 'Generator', exact: true });
  await expect(select.locator('option:checked')).toHaveText('Distilled (wflow, 8gaussians)');
  await expect(page.locator('.generator-pane')).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 120_000 });
  const provider = (await page.locator('.generator-provider').textContent()) ?? '';
  console.log(`provider after the distilled model: ${provider}`);
  expect(provider).toBe('onnxruntime-web · WebGPU');
  // the first model again, then the distilled one: sessions released and created back to back
  await select.selectOption({ label: 'wflow-8gaussians.onnx' });
  await expect(page.locator('.generator-pane')).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 120_000 });
  await select.selectOption({ label: 'Distilled (wflow, 8gaussians)' });
  await expect(page.locator('.generator-pane')).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 120_000 });
  const s0 = (await snapshot(page)).step;
  await waitForStep(page, s0 + 5);
  // the distilled model's batch measured against the flow's reference (its last asynchronous work
  // after the switches): a late onnxruntime or metrics-worker error would be in errors by then
  await expect(page.locator('.generator-metrics')).toContainText(/energy/, { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('Distill now on a dragged mixture keeps its modes apart (issue 22 item 8)', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&n=1024&h=0.05&seed=3', 2);
  // drag two components outwards: modes ~6 apart, the mixture a newcomer would make
  for (const [name, dx, dy] of [['Component 1', -90, -60], ['Component 2', 90, 60]] as const) {
    const handle = page.getByRole('button', { name, exact: true });
    const b = await handle.boundingBox();
    if (!b) throw new Error(`no ${name} handle`);
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(cx + (dx * k) / 8, cy + (dy * k) / 8);
    await page.mouse.up();
  }
  const comps = (await snapshot(page)).target?.components ?? [];
  console.log(`dragged mixture: ${comps.map((c) => `(${c.mean[0].toFixed(2)}, ${c.mean[1].toFixed(2)})`).join(' ')}`);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Distill now', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Download distilled .onnx' })).toBeVisible({ timeout: 200_000 });
  const done = (await distillStatus(page).textContent()) ?? '';
  console.log(`${done} (${Date.now() - t0} ms from click)`);
  const m = /held-out target samples ([\d.e-]+) \(untrained\) → ([\d.e-]+)/.exec(done);
  if (!m) throw new Error(`no energy in '${done}'`);
  const [before, after] = [Number(m[1]), Number(m[2])];
  // the defaults of src/generators/distill.ts: 0.0068 (0.947 untrained); the earlier defaults
  // (TRAIN_DEFAULTS.wflow, a blob across the modes) gave 0.065 on this drag
  expect(after).toBeLessThan(0.03);
  expect(after).toBeLessThan(0.03 * before);
  await expect(page.locator('.generator-pane')).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 120_000 });
  await expect(page.locator('.generator-metrics')).toContainText(/energy/, { timeout: 60_000 });
  console.log(`${await page.locator('.generator-metrics').textContent()}`);
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/distill-dragged-mixture.png` });
  expect(errors).toEqual([]);
});

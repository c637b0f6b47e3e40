/**
 * Canvas layers and media (issue 8): arrows, trails and histograms drawn on change the canvas
 * pixels (regions compared, decoded in the page); the Speed select; the legend; the PNG
 * screenshot decodes at the canvas size with non-uniform pixels; the WebM video starts with the
 * EBML magic 1A 45 DF A3 and is over 1 KB. Screenshots in test-results/ for a look by eye.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, nextFrames, openApp, settledShot, snapshot, waitForPaused, waitForStep } from './helpers';

const SHOTS = 'test-results';

/** Fraction of pixels whose colour differs by more than 24 in some channel (both PNGs decoded in the page). */
async function pixelDiff(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([x, y]) => {
      const decode = async (b64: string): Promise<Uint8ClampedArray> => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext('2d');
        if (!ctx) throw new Error('no 2d');
        ctx.drawImage(bmp, 0, 0);
        return ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      };
      const [p, q] = [await decode(x), await decode(y)];
      if (p.length !== q.length) return 1;
      let n = 0;
      for (let i = 0; i < p.length; i += 4) {
        if (Math.abs((p[i] ?? 0) - (q[i] ?? 0)) > 24 || Math.abs((p[i + 1] ?? 0) - (q[i + 1] ?? 0)) > 24 || Math.abs((p[i + 2] ?? 0) - (q[i + 2] ?? 0)) > 24) n++;
      }
      return n / (p.length / 4);
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

async function canvasBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator('.canvas-wrap[data-slot="0"] canvas.sim-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return box;
}

test('Layers: arrows, trails and histograms change the canvas pixels; density off darkens it; the legend follows', async ({ page }) => {
  const errors = collectErrors(page);
  test.setTimeout(150_000);
  await openApp(page, 'method=langevin&n=1024&h=0.05&seed=2', 10);
  const layers = page.getByRole('group', { name: 'Layers' });
  for (const name of ['Density', 'Target samples', 'Arrows', 'Trails', 'Histograms']) await expect(layers.getByRole('checkbox', { name, exact: true })).toBeVisible();
  await expect(layers.getByRole('checkbox', { name: 'Density', exact: true })).toBeChecked();
  await expect(layers.getByRole('checkbox', { name: 'Arrows', exact: true })).not.toBeChecked();
  const legend = page.getByRole('group', { name: 'Canvas legend' });
  await expect(legend).toContainText('particles (1,024)');
  await expect(legend).toContainText('target density');

  // arrows and trails need frames that stepped: turn them on while running, then pause and compare
  await layers.getByRole('checkbox', { name: 'Arrows', exact: true }).check();
  await expect(legend).toContainText(/displacement per step x \d/, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForPaused(page);
  const box = await canvasBox(page);
  // the middle of the canvas: away from the legend (top right) and the histogram strips (edges)
  const middle = { x: box.x + 80, y: box.y + 90, width: Math.round(box.width * 0.55), height: Math.round(box.height - 180) };
  const withArrows = await settledShot(page, middle);
  await page.screenshot({ path: `${SHOTS}/canvas-arrows.png` });
  await layers.getByRole('checkbox', { name: 'Arrows', exact: true }).uncheck();
  await expect(legend).not.toContainText('displacement per step');
  const plain = await settledShot(page, middle);
  const plain2 = await page.screenshot({ clip: middle });
  expect(await pixelDiff(page, plain, plain2), 'paused: the picture is stable').toBe(0);
  const dArrows = await pixelDiff(page, plain, withArrows);
  console.log(`arrows changed ${(100 * dArrows).toFixed(2)}% of the middle region`);
  expect(dArrows).toBeGreaterThan(0.003);

  // trails: turned on while running (positions accumulate), then paused
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await layers.getByRole('checkbox', { name: 'Trails', exact: true }).check();
  await expect(page.getByLabel('Trail length')).toHaveValue('12');
  const s0 = (await snapshot(page)).step;
  await waitForStep(page, s0 + 14);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForPaused(page);
  const withTrails = await settledShot(page, middle);
  await page.screenshot({ path: `${SHOTS}/canvas-trails.png` });
  await layers.getByRole('checkbox', { name: 'Trails', exact: true }).uncheck();
  await expect(page.getByLabel('Trail length')).toHaveCount(0);
  const noTrails = await settledShot(page, middle);
  const dTrails = await pixelDiff(page, noTrails, withTrails);
  console.log(`trails changed ${(100 * dTrails).toFixed(2)}% of the middle region`);
  expect(dTrails).toBeGreaterThan(0.003);

  // histograms along the bottom and left edges (read at the plot rate: wait for a sample while paused)
  const bottom = { x: box.x + 70, y: box.y + box.height - 60, width: Math.round(box.width - 140), height: 56 };
  const left = { x: box.x + 2, y: box.y + 70, width: 56, height: Math.round(box.height - 140) };
  const b0 = await page.screenshot({ clip: bottom });
  const l0 = await page.screenshot({ clip: left });
  await layers.getByRole('checkbox', { name: 'Histograms', exact: true }).check();
  await expect(page.getByLabel('Bins')).toHaveValue('48');
  // the strips draw once the renderer's next positions sample (every 300 ms) arrives: wait until both strips changed
  await expect
    .poll(async () => Math.min(await pixelDiff(page, b0, await page.screenshot({ clip: bottom })), await pixelDiff(page, l0, await page.screenshot({ clip: left }))), { timeout: 20_000 })
    .toBeGreaterThan(0.05);
  const b1 = await page.screenshot({ clip: bottom });
  const l1 = await page.screenshot({ clip: left });
  await page.screenshot({ path: `${SHOTS}/canvas-histograms.png` });
  const dB = await pixelDiff(page, b0, b1);
  const dL = await pixelDiff(page, l0, l1);
  console.log(`histograms changed ${(100 * dB).toFixed(1)}% of the bottom strip, ${(100 * dL).toFixed(1)}% of the left strip`);
  expect(dB).toBeGreaterThan(0.05);
  expect(dL).toBeGreaterThan(0.05);
  await expect(legend).toContainText('marginals');

  // density off: the middle gets darker (the background colour only)
  await layers.getByRole('checkbox', { name: 'Density', exact: true }).uncheck();
  await expect(legend).not.toContainText('target density');
  const dark = await settledShot(page, middle);
  expect(await pixelDiff(page, noTrails, dark)).toBeGreaterThan(0.2);
  // the legend collapses
  await legend.getByRole('button', { name: /Legend/ }).click();
  await expect(legend).not.toContainText('particles');
  expect(errors).toEqual([]);
});

test('CPU backend (Canvas 2D): arrows and histograms drawn from the positions it already has', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&n=1024&h=0.05&seed=4', 2);
  await page.getByLabel('Backend').selectOption('cpu');
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('CPU engine (float64)', { timeout: 60_000 });
  const layers = page.getByRole('group', { name: 'Layers' });
  await layers.getByRole('checkbox', { name: 'Arrows', exact: true }).check();
  await layers.getByRole('checkbox', { name: 'Histograms', exact: true }).check();
  const legend = page.getByRole('group', { name: 'Canvas legend' });
  await expect(legend).toContainText(/displacement per step x \d/, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForPaused(page);
  const box = await canvasBox(page);
  const middle = { x: box.x + 80, y: box.y + 90, width: Math.round(box.width * 0.55), height: Math.round(box.height - 180) };
  const bottom = { x: box.x + 70, y: box.y + box.height - 60, width: Math.round(box.width - 140), height: 56 };
  // the histogram strips are drawn (from the CPU run's positions sample)
  await expect.poll(() => page.locator('.canvas-wrap[data-slot="0"] .hist-layer canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    if (d) for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) drawn++;
    return drawn;
  }), { timeout: 20_000 }).toBeGreaterThan(0);
  const m1 = await settledShot(page, middle);
  const b1 = await page.screenshot({ clip: bottom });
  await page.screenshot({ path: `${SHOTS}/canvas-cpu.png` });
  await layers.getByRole('checkbox', { name: 'Arrows', exact: true }).uncheck();
  await layers.getByRole('checkbox', { name: 'Histograms', exact: true }).uncheck();
  await expect(legend).not.toContainText('displacement per step');
  await expect(page.locator('.canvas-wrap[data-slot="0"] .hist-layer')).toHaveCount(0);
  const dM = await pixelDiff(page, await settledShot(page, middle), m1);
  const dB = await pixelDiff(page, await page.screenshot({ clip: bottom }), b1);
  console.log(`CPU: arrows changed ${(100 * dM).toFixed(2)}% of the middle, histograms ${(100 * dB).toFixed(1)}% of the bottom strip`);
  expect(dM).toBeGreaterThan(0.003);
  expect(dB).toBeGreaterThan(0.05);
  expect(errors).toEqual([]);
});

test('Speed: fixed steps per frame and slow motion', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&n=1024&h=0.05', 2);
  const speed = page.getByLabel('Speed', { exact: true });
  await expect(speed).toHaveValue('auto');
  await speed.selectOption('slow');
  await expect.poll(async () => (await snapshot(page)).speed).toBe('slow');
  const a = await snapshot(page);
  const t0 = Date.now();
  // six slow steps (one per 250 ms: about 1.5 s), then the rate over the time they took
  await waitForStep(page, a.step + 6, 30_000);
  const b = await snapshot(page);
  const slowSteps = b.step - a.step;
  const dt = (Date.now() - t0) / 1000;
  console.log(`slow: ${slowSteps} steps in ${dt.toFixed(1)} s`);
  expect(b.speed).toBe('slow');
  // one step per 250 ms: at most 4 per second (+1 for the boundaries)
  expect(slowSteps).toBeGreaterThanOrEqual(1);
  expect(slowSteps).toBeLessThanOrEqual(Math.ceil(dt * 4) + 1);
  await speed.selectOption('50');
  const c = await snapshot(page);
  await waitForStep(page, c.step + 200);
  expect((await snapshot(page)).speed).toBe(50);
  expect(errors).toEqual([]);
});

test('Screenshot downloads a PNG of the canvas size with non-uniform pixels; Record video a WebM', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&n=1024', 5);
  await page.getByRole('group', { name: 'Layers' }).getByRole('checkbox', { name: 'Histograms', exact: true }).check();
  // the histogram strips are drawn (the screenshot composes them over the canvas)
  await expect.poll(() => page.locator('.canvas-wrap[data-slot="0"] .hist-layer canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    if (d) for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) drawn++;
    return drawn;
  }), { timeout: 20_000 }).toBeGreaterThan(0);
  await nextFrames(page, 2);
  const size = await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.canvas-wrap[data-slot="0"] canvas.sim-canvas');
    return c ? [c.width, c.height] : [0, 0];
  });
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Screenshot', exact: true }).click()]);
  expect(pngDl.suggestedFilename()).toMatch(/\.png$/);
  const png = readFileSync(await pngDl.path());
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  // IHDR: width and height, big-endian, at bytes 16..24
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(size);
  const stats = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('no 2d');
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const colours = new Set<number>();
    let orange = 0;
    for (let i = 0; i < d.length; i += 4) {
      colours.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
      // particles: warm orange (red high, blue low)
      if ((d[i] ?? 0) > 150 && (d[i + 2] ?? 0) < 120) orange++;
    }
    return { w: bmp.width, h: bmp.height, colours: colours.size, orange };
  }, png.toString('base64'));
  console.log(`PNG ${stats.w}x${stats.h}, ${png.length} bytes, ${stats.colours} colours, ${stats.orange} orange pixels`);
  expect(stats.colours).toBeGreaterThan(100);
  expect(stats.orange).toBeGreaterThan(200);

  await page.getByRole('button', { name: 'Record video', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Video recording' })).toContainText(/Recording video: [1-9]/, { timeout: 20_000 });
  // about 1.5 s more of video (the recorder's own clock, on screen)
  await expect(page.getByRole('status', { name: 'Video recording' })).toContainText(/Recording video: (2\.[5-9]|[3-9]\.\d|\d\d+\.\d) s/, { timeout: 20_000 });
  const [webmDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Stop recording', exact: true }).click()]);
  expect(webmDl.suggestedFilename()).toMatch(/\.webm$/);
  const webm = readFileSync(await webmDl.path());
  console.log(`WebM ${webm.length} bytes`);
  expect(webm.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  expect(webm.length).toBeGreaterThan(1024);
  await expect(page.getByRole('button', { name: 'Record video', exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

/**
 * Issue 10's and issue 8's UI leftovers, end to end (real Chromium, WebGPU on SwiftShader):
 *  - the double well's wells are handles on the canvas: dragging one with the mouse moves that
 *    minimiser of V (params well1 / well2, kept in the URL), the shade under the particles moves
 *    (pixels), the flow keeps running and nothing is thrown;
 *  - on a landscape the legend names the shade (energy V), not a target density;
 *  - jko (and solver=dense) say in the status bar that their solve runs on the host;
 *  - the "against itself" hint appears only when a second run is on; the three runs' status
 *    fits 1440 px without sideways scrolling; the F plot's log axis has at most 5 labels.
 * Screenshots in test-results/ for a look by eye (1440 x 900 and 390 x 844).
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, snapshot, waitForStep } from './helpers';

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

async function canvasShot(page: Page): Promise<Buffer> {
  const box = await page.locator('.canvas-wrap[data-slot="0"] canvas.sim-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return page.screenshot({ clip: box });
}

const vec = (v: unknown): [number, number] => (Array.isArray(v) && v.length === 2 ? [Number(v[0]), Number(v[1])] : [NaN, NaN]);

test('double well: drag a well on the canvas; V moves with it (pixels), the run goes on, the URL keeps it; the legend says energy V', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=wgd&target=double-well&n=64&seed=1', 3);
  const legend = page.getByRole('group', { name: 'Canvas legend' });
  await expect(legend).toContainText('energy V');
  await expect(legend).not.toContainText('target density');
  await expect(legend).toContainText('well handles');
  const w1 = page.getByRole('button', { name: 'Well 1', exact: true });
  const w2 = page.getByRole('button', { name: 'Well 2', exact: true });
  await expect(w1).toBeVisible();
  await expect(w2).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/wells-0-default.png` });

  // the particles alone (64 dots moving between two pictures) change few pixels: the baseline
  const a0 = await canvasShot(page);
  await waitForStep(page, (await snapshot(page)).step + 5);
  const a1 = await canvasShot(page);
  const baseline = await pixelDiff(page, a0, a1);

  const box = await w2.boundingBox();
  const box1 = await w1.boundingBox();
  if (!box || !box1) throw new Error('no well handle');
  const step0 = (await snapshot(page)).step;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(cx + (60 * k) / 10, cy - (150 * k) / 10);
  await page.mouse.up();
  const after = await snapshot(page);
  const well2 = vec(after.config.target.params.well2), well1 = vec(after.config.target.params.well1);
  // moved up and a little right (world y up), the other well where it was
  expect(well2[1]).toBeGreaterThan(0.5);
  expect(well2[0]).toBeGreaterThan(1);
  expect(well1).toEqual([-1, 0]);
  expect(after.config.target.id).toBe('double-well');
  // no restart: the step count went on
  expect(after.step).toBeGreaterThanOrEqual(step0);
  const moved = await w2.boundingBox();
  expect((cy - ((moved?.y ?? 0) + (moved?.height ?? 0) / 2))).toBeGreaterThan(120);
  const unmoved = await w1.boundingBox();
  expect(Math.abs((unmoved?.x ?? 0) - box1.x)).toBeLessThan(1);
  await waitForStep(page, after.step + 5);
  const b = await canvasShot(page);
  const dWell = await pixelDiff(page, a1, b);
  console.log(`pixels changed: particles alone ${(100 * baseline).toFixed(2)}%, after the well drag ${(100 * dWell).toFixed(2)}%; well2 = (${well2.join(', ')})`);
  expect(dWell).toBeGreaterThan(0.05);
  expect(dWell).toBeGreaterThan(5 * baseline);
  await page.screenshot({ path: `${SHOTS}/wells-1-dragged.png` });

  // the keyboard moves a focused well too
  await w1.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => vec((await snapshot(page)).config.target.params.well1)[0]).toBeLessThan(-1);

  // the URL keeps the wells: a reload restores them
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('well2');
  await page.reload();
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(/WebGPU|CPU engine/, { timeout: 60_000 });
  const reloaded = await snapshot(page);
  expect(vec(reloaded.config.target.params.well2)).toEqual(well2);
  expect(errors).toEqual([]);
});

test('jko and solver=dense say that they solve on the host; wgd does not', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=jko&target=double-well&n=32&seed=1', 1);
  const status = page.getByRole('status', { name: 'Status' });
  await expect(status).toContainText('WebGPU');
  await expect(page.getByTestId('host-note')).toHaveText('jko: inner solve on the host (float64 twin)');
  // on screen, not scrolled away: inside the status line's visible width
  await expect(page.getByTestId('host-note')).toBeVisible();
  const inView = await page.getByTestId('host-note').evaluate((el) => {
    const bar = el.closest('.status')?.getBoundingClientRect(), r = el.getBoundingClientRect();
    return bar !== undefined && r.right <= bar.right + 1 && r.left >= bar.left - 1;
  });
  expect(inView).toBe(true);
  await page.screenshot({ path: `${SHOTS}/wells-2-jko-host.png` });
  await page.goto('about:blank');
  await openApp(page, 'method=w-newton&target=double-well&n=32&seed=1&m.solver=dense', 1);
  await expect(page.getByTestId('host-note')).toContainText('solver=dense');
  await page.goto('about:blank');
  await openApp(page, 'method=wgd&target=double-well&n=32&seed=1', 1);
  await expect(page.getByTestId('host-note')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('compare: the "against itself" hint only with a second run on; three runs fit the status bar at 1440 px; F ticks readable', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=wgd&target=double-well&n=64&seed=1', 1);
  await expect(page.getByText('against itself')).toHaveCount(0);
  await page.getByLabel('Compare with').selectOption('wsfn');
  await expect.poll(async () => (await snapshot(page)).compare?.method, { timeout: 60_000 }).toBe('wsfn');
  await expect(page.getByTestId('compare-self-hint')).toContainText('against itself');
  await page.getByLabel('Compare with').selectOption('none');
  await expect(page.getByText('against itself')).toHaveCount(0);

  await page.getByLabel('Presets', { exact: true }).selectOption({ label: 'Saddle escape' });
  await expect.poll(async () => (await snapshot(page)).compare2?.method, { timeout: 60_000 }).toBe('wsfn');
  await expect(page.getByTestId('status-compare2')).toContainText('F');
  const status = page.getByRole('status', { name: 'Status' });
  const fits = await status.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(fits.scroll).toBeLessThanOrEqual(fits.client + 1);
  // wsfn's F falls many decades: the log axis labels at most 5 powers of ten
  await expect
    .poll(async () => (await snapshot(page)).compare2?.metrics?.readouts?.energy ?? 1, { timeout: 240_000, intervals: [1000] })
    .toBeLessThan(1e-6);
  // the F plot has redrawn down there: its log axis reaches below 1e-6 (plotly's range is in log10 units)
  await expect
    .poll(() => page.locator('[data-plot="readout-energy"]').evaluate((el) => (el as HTMLElement & { _fullLayout?: { yaxis?: { range?: number[] } } })._fullLayout?.yaxis?.range?.[0] ?? 0), { timeout: 30_000 })
    .toBeLessThan(-6);
  // labelled ticks (plotly also draws the minor ticks as unlabelled .ytick groups)
  const labels = (await page.locator('[data-plot="readout-energy"] .yaxislayer-above .ytick').allTextContents()).filter((t) => t.trim() !== '');
  const nTicks = labels.length;
  console.log(`F plot: ${nTicks} y tick labels: ${labels.join(' | ')}`);
  expect(nTicks).toBeGreaterThanOrEqual(2);
  expect(nTicks).toBeLessThanOrEqual(6);
  await page.screenshot({ path: `${SHOTS}/wells-3-saddle-1440.png` });
  await page.locator('#plots').screenshot({ path: `${SHOTS}/wells-4-plots-1440.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  // the plots have been laid out again for the phone width
  await expect
    .poll(() => page.locator('[data-plot="readout-energy"] .main-svg').first().evaluate((el) => el.getBoundingClientRect().width), { timeout: 20_000 })
    .toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SHOTS}/wells-5-phone.png`, fullPage: true });
  await page.locator('[data-plot="readout-energy"]').screenshot({ path: `${SHOTS}/wells-6-phone-F.png` });
  expect(errors).toEqual([]);
});

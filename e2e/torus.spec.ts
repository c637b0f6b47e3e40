/**
 * The periodic domain as a person uses it: switch Domain to the torus (the target becomes the torus
 * mixture, the kernel Riesz, the step size torus-scale), watch the L2 distance to the target density
 * fall on its log-log plot, change the Riesz order s, and drag a component across the cell's edge
 * (it wraps). N = 256 keeps SwiftShader quick. Screenshots go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, commit, openApp, positions, snapshot, waitForStep } from './helpers';

const SHOTS = 'test-results';

async function l2Series(page: Page): Promise<number[]> {
  return (await snapshot(page)).history.l2.filter((v): v is number => v !== null && v > 0);
}

test('torus: Domain switches to the torus mixture with the Riesz kernel; the L2 distance falls; s is a control; components wrap when dragged', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&n=256&seed=4', 1);
  // the RBF kernel on the plane: no Riesz controls
  await expect(page.getByLabel('Bandwidth', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Riesz order s', { exact: true })).toHaveCount(0);
  await page.getByLabel('Domain', { exact: true }).selectOption('torus');
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('torus-mixture');
  await expect(page.getByLabel('Kernel', { exact: true })).toHaveValue('riesz');
  await expect(page.getByLabel('Step size')).toHaveValue('0.0005');
  // the Riesz kernel's controls replace the RBF bandwidth; the PM grid shows with pm smoothing only
  await expect(page.getByLabel('Riesz order s', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Bandwidth', { exact: true })).toHaveCount(0);
  await expect(page.getByLabel('PM grid G', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText(/Domain torus: target Torus mixture.*Riesz kernel, step size 0.0005/);
  await expect.poll(async () => (await snapshot(page)).config.domain).toBe('torus');

  // the L2 plot (log-log) shows and the distance falls to under half its first value
  const plots = page.getByRole('region', { name: 'Convergence plots' });
  await expect(plots.locator('[data-plot=l2]')).toBeVisible();
  await expect(plots.locator('[data-plot=ksd]')).toBeHidden(); // the plane KSD does not apply on the torus
  await expect
    .poll(async () => {
      const s = await l2Series(page);
      return s.length >= 4 && (s[s.length - 1] ?? NaN) < 0.5 * (s[0] ?? NaN);
    }, { timeout: 120_000, intervals: [1000] })
    .toBe(true);
  await expect.poll(async () => plots.locator('[data-plot=l2] .scatterlayer .trace').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const axisType = await plots.locator('[data-plot=l2]').evaluate((el) => {
    const layout = (el as unknown as { layout?: { xaxis?: { type?: string }; yaxis?: { type?: string } } }).layout;
    return [layout?.xaxis?.type, layout?.yaxis?.type];
  });
  expect(axisType).toEqual(['log', 'log']);
  // every particle stays in the unit cell
  const p = await positions(page);
  expect(p.length).toBe(512);
  expect(p.every((v) => v >= 0 && v < 1)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/20-torus.png` });

  // the Riesz order s is a control; the run goes on
  const stepBefore = (await snapshot(page)).step;
  await commit(page, 'Riesz order s', '2');
  await expect.poll(async () => (await snapshot(page)).config.params.s).toBe(2);
  await expect.poll(async () => (await snapshot(page)).step, { timeout: 30_000 }).toBeGreaterThan(stepBefore);

  // drag component 1 (at (0.3, 0.3)) left by 0.45 cells: it wraps to x ~ 0.85 (one cell to the right)
  const handle = page.getByRole('button', { name: 'Component 1', exact: true });
  const box = await handle.boundingBox();
  if (!box) throw new Error('no handle box');
  const cell = await page.locator('svg .torus-square').first().boundingBox();
  if (!cell) throw new Error('no torus square');
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  const dx = -0.45 * cell.width;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(cx + (dx * k) / 10, cy);
  await page.mouse.up();
  const mean = (await snapshot(page)).target?.components?.[0]?.mean;
  if (!mean) throw new Error('no component 0 after the drag');
  expect(mean[0]).toBeGreaterThan(0.8);
  expect(mean[0]).toBeLessThan(0.9);
  expect(Math.abs(mean[1] - 0.3)).toBeLessThan(0.03);
  await expect(page.getByRole('region', { name: 'Mixture components' })).toContainText(`(${mean[0].toFixed(2)}, `);
  // the screenshot shows the flow after the drag: one more step drawn
  await waitForStep(page, (await snapshot(page)).step + 1, 30_000);
  await page.screenshot({ path: `${SHOTS}/21-torus-dragged.png` });

  // back to the plane: the kernel and the step size return to plane values, the run goes on
  await page.getByLabel('Domain', { exact: true }).selectOption('plane');
  await expect(page.getByLabel('Kernel', { exact: true })).toHaveValue('rbf');
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('mixture');
  expect(errors).toEqual([]);
});

/**
 * Defaults as data (src/engine/defaults.ts), as a person meets them (issue 8 bugs 1 and 3):
 *   - bug 1: at the default step size (no h in the URL, or the Target/Method lists at the default
 *     step), 25gaussians with Langevin, SVGD and GWG and the donut with Langevin run 100+ steps
 *     without a divergence (they diverged within 4-11 steps at the old 0.1);
 *   - bug 3: picking "Torus mixture" in the Target list gives the Riesz kernel, the torus step size
 *     and the torus domain, the same run as the Domain control, and the L2 distance falls;
 *   - the Domain control shows with Langevin and says why it cannot take the torus.
 * N = 256 keeps SwiftShader quick. Screenshots go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = 'test-results';

/** A fresh page load (openApp on the same page would only change the hash: the app keeps its run as the base). */
async function reopen(page: Page, hash: string): Promise<void> {
  await page.goto('about:blank');
  await openApp(page, hash, 1);
}

async function expectNoDivergence(page: Page, steps: number): Promise<void> {
  const start = (await snapshot(page)).step;
  await waitForStep(page, start + steps, 120_000);
  const s = await snapshot(page);
  expect(s.stats?.nonFinite ?? 0).toBe(0);
  expect(s.playing).toBe(true);
  const alert = page.getByRole('alert');
  if ((await alert.count()) > 0) await expect(alert).not.toContainText(/diverg|non-finite|blow/i);
}

test('bug 1: 25gaussians (Langevin, SVGD, GWG) and the donut (Langevin) run 100+ steps at the default step size', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page);
  // From the URL without h: the run's default step size, not the old 0.1.
  await openApp(page, 'method=langevin&target=25gaussians&n=256', 1);
  const h25 = (await snapshot(page)).config.stepSize;
  expect(h25).toBeLessThan(1e-3);
  await expect(page.getByLabel('Step size')).toHaveValue(String(h25));
  await expectNoDivergence(page, 100);

  // The Method list: the step size stays the target's default (a default one follows the method).
  for (const method of ['svgd', 'gwg']) {
    await page.getByLabel('Method', { exact: true }).selectOption(method);
    await expect.poll(async () => (await snapshot(page)).config.method).toBe(method);
    const h = (await snapshot(page)).config.stepSize;
    // 25gaussians' own defaults (src/methods: SVGD 0.005, GWG 0.002 with bandwidth 0.1), not the plane's 0.2 / 0.1
    expect(h).toBeLessThanOrEqual(0.005);
    await expectNoDivergence(page, 100);
  }
  await page.screenshot({ path: `${SHOTS}/30-defaults-25gaussians.png` });

  // The Target list from the app's default run (mixture at its default step): the donut with Langevin.
  await reopen(page, 'method=langevin&n=256');
  const hMixture = (await snapshot(page)).config.stepSize;
  await page.getByLabel('Target', { exact: true }).selectOption('donut');
  await expect.poll(async () => (await snapshot(page)).config.target.id).toBe('donut');
  const hDonut = (await snapshot(page)).config.stepSize;
  expect(hDonut).toBeLessThan(hMixture);
  await expect(page.getByLabel('Step size')).toHaveValue(String(hDonut));
  await expectNoDivergence(page, 150);
  await page.screenshot({ path: `${SHOTS}/31-defaults-donut.png` });

  // A step size the user typed is kept when the target changes.
  await page.getByLabel('Step size').fill('0.0123');
  await page.getByLabel('Step size').press('Enter');
  await expect.poll(async () => (await snapshot(page)).config.stepSize).toBe(0.0123);
  await page.getByLabel('Target', { exact: true }).selectOption('banana');
  await expect.poll(async () => (await snapshot(page)).config.target.id).toBe('banana');
  expect((await snapshot(page)).config.stepSize).toBe(0.0123);
  expect(errors).toEqual([]);
});

test('bug 3: Target list -> Torus mixture gives the Domain control\'s run (Riesz kernel, torus step, domain); Langevin shows the Domain control and why', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  // The Domain control's run
  await openApp(page, 'method=svgd&n=256&seed=4', 1);
  await page.getByLabel('Domain', { exact: true }).selectOption('torus');
  await expect.poll(async () => (await snapshot(page)).config.domain).toBe('torus');
  const byDomain = (await snapshot(page)).config;

  // The Target list's run, from the same start
  await reopen(page, 'method=svgd&n=256&seed=4');
  await page.getByLabel('Target', { exact: true }).selectOption('torus-mixture');
  await expect.poll(async () => (await snapshot(page)).config.domain).toBe('torus');
  const byTarget = (await snapshot(page)).config;
  expect(byTarget.target.id).toBe(byDomain.target.id);
  expect(byTarget.params).toEqual(byDomain.params);
  expect(byTarget.stepSize).toBe(byDomain.stepSize);
  await expect(page.getByLabel('Kernel', { exact: true })).toHaveValue('riesz');
  await expect(page.getByLabel('Step size')).toHaveValue('0.0005');
  await expect(page.getByLabel('Domain', { exact: true })).toHaveValue('torus');
  await expect(page.getByRole('alert')).toContainText(/Riesz kernel, step size 0.0005/);
  // the particles gather: the L2 distance to the target density falls (it rose 1.7 -> 2.6 before)
  await expect
    .poll(async () => {
      const s = (await snapshot(page)).history.l2.filter((v): v is number => v !== null && v > 0);
      return s.length >= 3 && (s[s.length - 1] ?? NaN) < 0.8 * (s[0] ?? NaN);
    }, { timeout: 150_000, intervals: [1000] })
    .toBe(true);
  await page.screenshot({ path: `${SHOTS}/32-defaults-torus-by-target.png` });

  // Langevin: the Domain control is there; its torus option is disabled and says why
  await reopen(page, 'method=langevin&n=256');
  const domain = page.getByLabel('Domain', { exact: true });
  await expect(domain).toBeVisible();
  const torus = domain.locator('option[value="torus"]');
  await expect(torus).toBeDisabled();
  await expect(torus).toContainText(/plane only/);
  await page.screenshot({ path: `${SHOTS}/33-defaults-langevin-domain.png` });
  expect(errors).toEqual([]);
});


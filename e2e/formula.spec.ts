/**
 * Target: Formula (issue 20) in the page: type a formula, the run starts on it and the particles
 * move; its parameters get sliders; a broken formula is named under the box and the previous run
 * keeps going; a link carries the formula (and its parameter values) into a fresh page; a hostile
 * link is refused by name and the page stays on its default target. No page error.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, commit, openApp, positions, snapshot, waitForStep } from './helpers';

const BOX = 'log π(x, y)';
const RING = '-((x^2 + y^2 - r^2)^2) / w';

test('type a formula: it runs, the particles move, its parameters get sliders; a broken one is named and the run keeps going', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=langevin&target=formula&n=256', 1);
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('formula');
  await commit(page, BOX, RING);
  await expect.poll(async () => (await snapshot(page)).config.target.params.logp, { timeout: 30_000 }).toBe(RING);
  // the formula's parameters, each a slider (and a number box), at the default 1
  await expect(page.getByLabel('r', { exact: true })).toHaveAttribute('type', 'range');
  await expect(page.getByLabel('w', { exact: true })).toHaveAttribute('type', 'range');
  await commit(page, 'r value', '2');
  await expect.poll(async () => (await snapshot(page)).config.target.params.r, { timeout: 30_000 }).toBe(2);
  const s0 = (await snapshot(page)).step;
  const p0 = await positions(page);
  await waitForStep(page, s0 + 5);
  const p1 = await positions(page);
  expect(p1.length).toBe(512);
  expect(p1.every(Number.isFinite)).toBe(true);
  expect(p1.some((v, i) => v !== p0[i])).toBe(true);
  // the particles go to the ring of radius 2: mean |x|^2 near 4 (E|x|^2 = 4.06 by quadrature)
  await expect.poll(async () => {
    const p = await positions(page);
    let s = 0;
    for (let i = 0; i < p.length; i += 2) s += (p[i] ?? 0) ** 2 + (p[i + 1] ?? 0) ** 2;
    return Math.abs(s / (p.length / 2) - 4.06);
  }, { timeout: 120_000, intervals: [1000] }).toBeLessThan(0.8);
  // a broken formula: named under the box (with its column), the ring keeps running
  await commit(page, BOX, 'x + foo(y)');
  await expect(page.getByRole('alert').filter({ hasText: 'foo' })).toBeVisible();
  await expect(page.getByLabel(BOX, { exact: true })).toHaveAttribute('aria-invalid', 'true');
  const s1 = (await snapshot(page)).step;
  await waitForStep(page, s1 + 5);
  expect((await snapshot(page)).config.target.params.logp).toBe(RING);
  await commit(page, BOX, 'x^2 +');
  await expect(page.getByRole('alert').filter({ hasText: /column \d+/ })).toBeVisible();
  await page.screenshot({ path: `${process.env.E2E_OUT ?? 'test-results'}/20-formula.png` });
  expect(errors).toEqual([]);
});

test('a link carries the formula and its parameter values into a fresh page', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const logp = '-(x / a)^2 / 2 - (y + b (x^2 - a^2))^2 / 2';
  await openApp(page, `method=langevin&target=formula&t.logp=${encodeURIComponent(logp)}&t.a=2&t.b=0.5&n=256&seed=4`, 3);
  const snap = await snapshot(page);
  expect(snap.config.target).toEqual({ id: 'formula', params: { logp, a: 2, b: 0.5 } });
  await expect(page.getByLabel(BOX, { exact: true })).toHaveValue(logp);
  await expect(page.getByLabel('a value', { exact: true })).toHaveValue('2');
  // the page's own link (its hash) carries the formula back
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash)), { timeout: 10_000 }).toContain('t.logp=');
  // a preset of the gallery is a link: it sets the formula and its parameters' values
  await page.getByRole('navigation', { name: 'Formula presets' }).getByRole('link', { name: 'Rosenbrock valley' }).click();
  await expect.poll(async () => (await snapshot(page)).config.target.params, { timeout: 30_000 }).toEqual({ logp: '-(1 - x)^2 / 2 - k (y - x^2)^2 / 2', k: 10 });
  await expect(page.getByLabel('k value', { exact: true })).toHaveValue('10');
  expect(errors).toEqual([]);
});

test('a hostile formula in a link is refused by name; the page stays on its default target and runs', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openApp(page, `method=langevin&target=formula&t.logp=${encodeURIComponent('constructor(x) + __proto__')}&n=256`, 1);
  const snap = await snapshot(page);
  expect(snap.config.target.id).not.toBe('formula');
  await expect(page.getByText(/t\.logp: logp: .*constructor/).first()).toBeVisible();
  await waitForStep(page, snap.step + 3);
  expect(errors).toEqual([]);
});

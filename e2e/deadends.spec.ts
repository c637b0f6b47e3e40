/**
 * No dead ends (issue 8): after a blow-up or a refused start the app always runs again after a
 * change; mixture weights stay editable after any input; switching methods and resetting raise
 * no page errors; the split view refuses identical runs and lets the second run have its own
 * parameters. Small N (256) keeps each test quick on SwiftShader.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, commit, nextFrames, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = 'test-results';

async function waitForDivergence(page: Page): Promise<void> {
  await expect(page.getByRole('alert')).toContainText('diverged', { timeout: 60_000 });
  await expect.poll(async () => (await snapshot(page)).diverged).toBe(true);
}

/** A fresh run is going: step restarted, no blow-up, particles finite. */
async function expectRunningAgain(page: Page): Promise<void> {
  await expect(page.getByRole('alert')).toContainText('a new run started');
  const s = await snapshot(page);
  expect(s.playing).toBe(true);
  await waitForStep(page, 3);
  await expect.poll(async () => (await snapshot(page)).stats?.nonFinite ?? -1).toBe(0);
}

test('bug 2: after a blow-up a change of method, target or step size runs again; Play alone says what to press', async ({ page }) => {
  const errors = collectErrors(page);
  // h = 0.1 given explicitly: Langevin on the donut diverges there (ULA on the CPU twin: |x| ~ 1e139 after 200 steps), SVGD does not
  await openApp(page, 'method=langevin&target=donut&n=256&h=0.1', 1);
  await waitForDivergence(page);
  const stuck = (await snapshot(page)).step;
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('alert')).toContainText('Press Reset or lower the step size');
  // the engine runs a batch on every animation frame while playing: 5 frames later nothing has run
  await nextFrames(page, 5);
  expect((await snapshot(page)).playing).toBe(false);
  expect((await snapshot(page)).step).toBe(stuck);
  await page.screenshot({ path: `${SHOTS}/20-blocked-after-divergence.png` });

  // another method: a fresh run (SVGD is stable on the donut at h = 0.1)
  await page.getByLabel('Method', { exact: true }).selectOption('svgd');
  await expectRunningAgain(page);
  expect((await snapshot(page)).config.method).toBe('svgd');
  // the screenshot after a frame of the new run was drawn
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/21-restarted-after-divergence.png` });

  // blow up again, then another target
  await page.getByLabel('Method', { exact: true }).selectOption('langevin');
  await waitForDivergence(page);
  await page.getByLabel('Target', { exact: true }).selectOption('gaussian');
  await expectRunningAgain(page);
  expect((await snapshot(page)).config.target.id).toBe('gaussian');

  // blow up again, then a lower step size: a fresh run, not the blown-up positions
  await commit(page, 'Step size', '1e6');
  await waitForDivergence(page);
  await commit(page, 'Step size', '0.05');
  await expectRunningAgain(page);
  expect((await snapshot(page)).config.stepSize).toBe(0.05);
  expect(errors).toEqual([]);
});

test('bug 2: a refused start (#n=999999999) is revived by a valid particle count without Reset', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/#method=svgd&n=999999999');
  await expect(page.getByRole('alert')).toContainText('Particles', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('enter a valid value');
  expect((await snapshot(page)).status).toBe('failed');
  await commit(page, 'Particles', '512');
  await waitForStep(page, 3);
  const s = await snapshot(page);
  expect(s.status).toBe('ready');
  expect(s.config.n).toBe(512);
  expect(s.playing).toBe(true);
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/22-revived-after-bad-n.png` });
  expect(errors).toEqual([]);
});

test('bug 5: weights 1e300 then 1e308 leave every weight valid and editable; messages count from 1, labels once', async ({ page }) => {
  await openApp(page, 'method=svgd&target=mixture&n=256', 1);
  await commit(page, 'Weight 1', '1e300');
  await commit(page, 'Weight 1', '1e308');
  await expect.poll(async () => (await snapshot(page)).target?.components?.[0]?.weight).toBe(1);
  const comps = (await snapshot(page)).target?.components ?? [];
  expect(comps.length).toBe(3);
  for (const c of comps) expect(c.weight).toBeGreaterThan(0);
  await expect(page.getByLabel('Weight 2', { exact: true })).toHaveValue('1.00e-300');
  await expect(page.getByRole('alert')).toHaveCount(0);
  // the next edits are accepted
  await commit(page, 'Weight 2', '1');
  await expect.poll(async () => (await snapshot(page)).target?.components?.[1]?.weight).toBe(0.5);
  await commit(page, 'Spread 3', '0.4');
  await expect(page.getByRole('alert')).toHaveCount(0);
  // refused input is numbered like the panel
  await commit(page, 'Weight 2', '0');
  await expect(page.getByRole('alert')).toContainText('Component 2 weight: must be a finite positive number');
  await commit(page, 'Weight 3', '1e309');
  await expect(page.getByRole('alert')).toContainText('Component 3 weight');
  await expect(page.getByRole('alert')).not.toContainText('components[');
  // a parameter error names its control once
  const bandwidth = page.getByLabel('Bandwidth', { exact: true });
  await bandwidth.fill('abc');
  await bandwidth.press('Enter');
  await expect(page.getByRole('alert')).toContainText(/^Bandwidth: expected a number/);
  await expect(page.getByRole('alert')).not.toContainText(/Bandwidth: bandwidth/i);
  await page.screenshot({ path: `${SHOTS}/23-weights.png` });
});

test('bug 4: switching mmd-flow <-> Sinkhorn flow on moons and pressing Reset raise no page or console error', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=moons&n=256', 1);
  const method = page.getByLabel('Method', { exact: true });
  // each switch lands (the new method's run is installed and drawn) before the next one
  const switched = async (m: string): Promise<void> => {
    await page.waitForFunction((id) => window.__wgf?.getSnapshot().config.method === id, m, { timeout: 30_000 });
    await nextFrames(page, 1);
  };
  for (let i = 0; i < 3; i++) {
    await method.selectOption('sinkhorn-flow');
    await switched('sinkhorn-flow');
    await method.selectOption('mmd-flow');
    await switched('mmd-flow');
  }
  // quick Resets: a few frames apart, while read-backs of the previous runs are pending
  for (let i = 0; i < 4; i++) {
    await page.getByRole('button', { name: 'Reset' }).click();
    await nextFrames(page, 1);
  }
  const s = (await snapshot(page)).step;
  await waitForStep(page, s + 2);
  // a stats read-back of the last run at that step came back: the read-backs queued before it (of the runs replaced) have settled
  await page.waitForFunction((k) => (window.__wgf?.getSnapshot().stats?.step ?? 0) >= k, s + 2, { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('bug 6: the split view refuses an identical run, lets the second run take its own parameters, and says when a sample target changes its method', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=svgd&target=banana&n=256&h=0.05', 1);
  // the Compare with list does not offer the identical run (the engine refuses it too: Engine.test.ts)
  const same = page.getByLabel('Compare with').locator('option[value=svgd]');
  await expect(same).toBeDisabled();
  await expect(same).toContainText('same as the main run');
  expect((await snapshot(page)).compare).toBeUndefined();
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(1);

  await page.getByLabel('Compare with').selectOption('langevin');
  await expect(page.locator('canvas.sim-canvas')).toHaveCount(2);
  const panel = page.getByRole('region', { name: 'Second run' });
  await expect(panel).toBeVisible();
  // the same method as the main run, with another bandwidth: allowed
  await page.getByLabel('Second run method').selectOption('svgd');
  await expect(page.getByRole('alert')).toContainText('the same method with the same parameters');
  await commit(page, 'Second run Bandwidth', '0.3');
  await expect.poll(async () => (await snapshot(page)).compare?.params).toEqual({ bandwidth: 0.3 });
  expect((await snapshot(page)).compare?.method).toBe('svgd');
  // both runs' stats are in the snapshot, and the second run's status is on screen
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().compare?.stats?.step ?? 0) > 0, undefined, { timeout: 60_000 });
  const s = await snapshot(page);
  expect(s.stats?.step ?? 0).toBeGreaterThan(0);
  await expect(page.getByTestId('compare-status')).toContainText('mean (');
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/24-compare-own-params.png` });

  // a sample target: the main run switches to a flow; the second run does not silently become the same flow
  await page.getByLabel('Target', { exact: true }).selectOption('moons');
  await expect.poll(async () => (await snapshot(page)).config.method).toBe('sinkhorn-flow');
  const after = await snapshot(page);
  expect(after.compare?.method).toBeDefined();
  expect(after.compare?.method).not.toBe(after.config.method);
  expect(after.compare?.note?.type).toBe('compare-switched');
  await expect(panel.getByRole('note')).toContainText('so it now runs');
  await page.waitForFunction(() => (window.__wgf?.getSnapshot().compare?.stats?.step ?? 0) > 0, undefined, { timeout: 60_000 });
  await nextFrames(page, 2);
  await page.screenshot({ path: `${SHOTS}/25-compare-sample-target.png` });
  expect(errors).toEqual([]);
});

import { expect, test } from '@playwright/test';

for (const h of ['method=langevin&n=2048', 'method=svgd&n=2048']) {
  test(`perf ${h}`, async ({ page }) => {
    await page.goto(`/#${h}`);
    await page.waitForFunction(() => (window.__wgf?.getSnapshot().step ?? 0) > 1, undefined, { timeout: 60000 });
    const t0 = Date.now();
    const s0 = await page.evaluate(() => window.__wgf?.getSnapshot().step ?? 0);
    await page.waitForTimeout(5000);
    const s1 = await page.evaluate(() => window.__wgf?.getSnapshot().step ?? 0);
    const r = await page.evaluate(async () => {
      const e = window.__wgf;
      if (!e) return 'none';
      e.pause();
      await new Promise((r) => setTimeout(r, 1000));
      const sim = e.simulation;
      if (!sim) return 'nosim';
      await sim.finish();
      let t = performance.now();
      sim.step(10);
      await sim.finish();
      const step = (performance.now() - t) / 10;
      t = performance.now();
      await sim.metrics();
      const met = performance.now() - t;
      t = performance.now();
      await sim.stats();
      const st = performance.now() - t;
      return { step, met, st };
    });
    console.log(h, 'steps/s', ((s1 - s0) * 1000) / (Date.now() - t0), JSON.stringify(r));
    expect(1).toBe(1);
  });
}

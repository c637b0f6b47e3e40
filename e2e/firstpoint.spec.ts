/**
 * Time to the first metric point (issue 22 item 5), on this machine's adapter: from the moment the
 * page plays to the first point of the cheap metrics (KSD or energy) in the metrics history, to the
 * first point of the Sinkhorn divergence (sample-based runs), and to the first trace drawn in a plot.
 * A live run compiles its metric pipelines ahead (src/metrics/gpu.ts warmUp) and its first metrics
 * read leaves out the slow S_eps loop (MetricDef.slow), so the cheap point comes first and S_eps
 * joins at the next read; each series keeps its own steps (S_eps is null at the first point).
 */
import { expect, test } from '@playwright/test';
import { collectErrors } from './helpers';

interface Times { play?: number; step1?: number; cheap?: number; cheapStep?: number; cheapIndex?: number; sink?: number; sinkStep?: number; sinkIndex?: number; plotted?: number; msPerStep?: number; n?: number; method?: string }

/**
 * The bound on play -> first cheap point, for SwiftShader (software WebGPU) on the shared 2-core box
 * with other test runs on it. Measured there on one afternoon (same box, same load), before -> after
 * this change: default SVGD 32.6 -> 28.9 s, SVGD banana 28.8 -> 21.8 s, MMD flow 8gaussians
 * 56.7 -> 33.0 s, Sinkhorn flow > 100 s (timed out) -> 47.4 s. On SwiftShader the first point waits
 * mostly for the first step itself (its pipelines' compile: ms/step of the first batch 20-27 s for
 * SVGD), which a metrics change cannot shorten. 75 s is about 1.5x the worst after-value and still
 * fails the old Sinkhorn-flow behaviour; the 1-2 s target is for a hardware GPU.
 */
const CHEAP_BOUND_S = 75;

const cases: { hash: string; sampleBased: boolean }[] = [
  { hash: '', sampleBased: false },
  { hash: 'method=svgd&target=banana', sampleBased: false },
  { hash: 'method=mmd-flow&target=8gaussians', sampleBased: true },
  { hash: 'method=sinkhorn-flow', sampleBased: true },
];

for (const { hash, sampleBased } of cases) {
  test(`first metric point: #${hash || '(default)'}: KSD/energy first, within ${CHEAP_BOUND_S} s of Play${sampleBased ? ', S_eps at a later point' : ''}`, async ({ page }) => {
    test.setTimeout(330_000);
    const errors = collectErrors(page);
    await page.addInitScript(() => {
      const t: Record<string, number | string> = {};
      (window as unknown as { __times: typeof t }).__times = t;
      type H = { step: readonly number[]; ksd: readonly (number | null)[]; energy: readonly (number | null)[]; sinkhorn: readonly (number | null)[] };
      const first = (h: H, ok: (i: number) => boolean): number => h.step.findIndex((_, i) => ok(i));
      const tick = (): void => {
        const e = (window as unknown as { __wgf?: { getSnapshot(): { playing: boolean; step: number; history: H; msPerStep: number; config: { n: number; method: string } } } }).__wgf;
        const s = e?.getSnapshot();
        const now = performance.now();
        if (s) {
          const h = s.history;
          if (t.play === undefined && s.playing) t.play = now;
          if (t.step1 === undefined && s.step >= 1) t.step1 = now;
          const c = first(h, (i) => h.ksd[i] != null || h.energy[i] != null);
          if (t.cheap === undefined && c >= 0) Object.assign(t, { cheap: now, cheapStep: h.step[c] ?? -1, cheapIndex: c });
          const k = first(h, (i) => h.sinkhorn[i] != null);
          if (t.sink === undefined && k >= 0) Object.assign(t, { sink: now, sinkStep: h.step[k] ?? -1, sinkIndex: k });
          t.msPerStep = s.msPerStep;
          t.n = s.config.n;
          t.method = s.config.method;
        }
        if (t.plotted === undefined && document.querySelector('[data-plot] .scatterlayer .trace path.js-line, [data-plot] .scatterlayer .trace .point')) t.plotted = now;
        if (t.plotted === undefined || t.cheap === undefined || t.sink === undefined) setTimeout(tick, 10);
      };
      tick();
    });
    await page.goto(`/#${hash}`);
    const get = (): Promise<Times> => page.evaluate(() => (window as unknown as { __times: Times }).__times) as Promise<Times>;
    await page.waitForFunction(() => { const t = (window as unknown as { __times: { plotted?: number; cheap?: number } }).__times; return t.plotted !== undefined && t.cheap !== undefined; }, undefined, { timeout: 120_000 });
    if (sampleBased) await page.waitForFunction(() => (window as unknown as { __times: { sink?: number } }).__times.sink !== undefined, undefined, { timeout: 200_000 });
    const t = await get();
    const rel = (x?: number): string => (x === undefined || t.play === undefined ? '-' : `+${((x - t.play) / 1000).toFixed(2)} s`);
    console.log(`#${hash || '(default)'} ${t.method} n=${t.n}: playing at ${((t.play ?? 0) / 1000).toFixed(2)} s after navigation; step 1 ${rel(t.step1)}; first KSD/energy point (step ${t.cheapStep}) ${rel(t.cheap)}; first S_eps point (step ${t.sinkStep ?? '-'}) ${rel(t.sink)}; first plotted ${rel(t.plotted)}; ms/step ${t.msPerStep?.toFixed(0)}`);
    expect(t.play).toBeDefined();
    expect(t.cheap).toBeDefined();
    // the first history point carries the cheap metrics
    expect(t.cheapIndex).toBe(0);
    expect(((t.cheap ?? Infinity) - (t.play ?? 0)) / 1000).toBeLessThan(CHEAP_BOUND_S);
    if (sampleBased) {
      // S_eps comes at a later read, at its own (later) step; the cheap point did not wait for it
      expect(t.sinkIndex).toBeGreaterThan(0);
      expect(t.sinkStep).toBeGreaterThan(t.cheapStep ?? Infinity);
      expect(t.sink).toBeGreaterThan(t.cheap ?? Infinity);
    }
    expect(errors).toEqual([]);
  });
}

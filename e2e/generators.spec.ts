/**
 * One-step generators beside the flow (issue 9): a shipped model for 8gaussians draws its samples in
 * its own pane with both timings; S-JKO's "JKO step k" slider redraws the chain's k-th output; bad
 * .onnx files (random bytes, and a valid ONNX with the wrong shapes, written here with
 * src/generators/onnx.ts) are refused with a message while the flow keeps running. Screenshots go to
 * test-results/ (and /tmp/generators-*.png when WGF_SHOTS=1).
 */
import { expect, test, type Page } from '@playwright/test';
import { createMlp } from '../src/generators/mlp';
import { decodeOnnxObject, encodeOnnxObject, writeGeneratorOnnx } from '../src/generators/onnx';
import { Rng } from '../src/reference/philox';
import { collectErrors, openApp, snapshot, waitForStep } from './helpers';

const SHOTS = process.env.WGF_SHOTS === '1' ? '/tmp' : 'test-results';

const select = (page: Page) => page.getByRole('combobox', { name: 'Generator', exact: true });
const pane = (page: Page) => page.locator('.generator-pane');

/** The generator pane's canvas: how many pixels differ from the background. */
async function litPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.generator-canvas');
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return -1;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 0) > 60) lit++;
    return lit;
  });
}

/** A checksum of the generator pane's pixels (what it draws, read from its 2-D canvas). */
async function canvasHash(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.generator-canvas');
    const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!d) return -1;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ (d[i] ?? 0), 16777619) >>> 0;
    return h;
  });
}

/** A valid ONNX generator whose output `x` is declared float32 [B, 3] (written with src/generators/onnx.ts). */
function wrongShapes(): Buffer {
  const model = decodeOnnxObject(writeGeneratorOnnx([createMlp({ sizes: [2, 4, 4, 2], activation: 'silu', residual: true }, new Rng(1, 11, 1), false)]));
  const graph = model.graph as { output: { type: { tensor_type: { shape: { dim: { dim_value?: number }[] } } } }[] };
  const dim = graph.output[0]?.type.tensor_type.shape.dim[1];
  if (!dim) throw new Error('no output dim');
  dim.dim_value = 3;
  return Buffer.from(encodeOnnxObject(model));
}

/** A [2, 4, 2] residual generator with every first-layer weight w1 and bias b1, last-layer weight w2 and bias b2. */
function filledMlp(w1: number, b1: number, w2: number, b2: number): Buffer {
  const net = createMlp({ sizes: [2, 4, 2], activation: 'silu', residual: true }, new Rng(1, 11, 1), false);
  const [l1, l2] = net.layers;
  if (!l1 || !l2) throw new Error('two layers expected');
  l1.w.fill(w1);
  l1.b.fill(b1);
  l2.w.fill(w2);
  l2.b.fill(b2);
  return Buffer.from(writeGeneratorOnnx([net]));
}

/** The option values of the Generator select whose label contains `text`. */
async function optionValue(page: Page, text: string): Promise<string> {
  const v = await select(page).locator('option', { hasText: text }).first().getAttribute('value');
  if (!v) throw new Error(`no Generator option with '${text}'`);
  return v;
}

test('a shipped generator for 8gaussians draws its samples beside the flow, with both timings', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=1024&h=0.5', 1);
  // onnxruntime is not loaded before a generator is chosen
  const ortBefore = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /ort|\.wasm/.test(r.name)).map((r) => r.name));
  expect(ortBefore).toEqual([]);
  await select(page).selectOption(await optionValue(page, 'wflow-8gaussians'));
  await expect(pane(page)).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 60_000 });
  const drawn = Number(await pane(page).getAttribute('data-samples'));
  expect(drawn).toBeGreaterThan(900); // of 1,024: the 8 modes lie well inside the view
  expect(await litPixels(page)).toBeGreaterThan(500);
  const timing = page.getByRole('status', { name: 'Generator timing' });
  await expect(timing).toContainText(/Flow: 1,024 samples after [\d,]+ steps in .*samples\/s/);
  await expect(timing).toContainText(/Generator: 1,024 samples in one call of [\d.]+ m?s = [\d.]+[kMG]? samples\/s · CPU copy [\d.]+ m?s · first call [\d.]+ m?s/);
  await expect(page.getByText(/onnxruntime-web · (WebGPU|wasm)/)).toBeVisible();
  const provider = await page.getByText(/onnxruntime-web · (WebGPU|wasm)/).textContent();
  console.log(`provider: ${provider}`);
  console.log(`timing: ${await timing.textContent()}`);
  // the ort files came from the app itself
  const ortFiles = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /\.wasm/.test(r.name)).map((r) => r.name));
  expect(ortFiles.length).toBeGreaterThan(0);
  const origin = new URL(page.url()).origin;
  for (const f of ortFiles) expect(f.startsWith(`${origin}/`)).toBe(true);
  // the plots get the generator's flat line (a trace named after it)
  await expect(page.locator('[data-plot="energy"] .legendtext', { hasText: 'wflow-8gaussians' })).toHaveCount(1, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/generators-wflow.png` });
  // the map
  const before = await litPixels(page);
  await page.getByLabel('Show map').check();
  await expect.poll(() => litPixels(page)).toBeGreaterThan(before);
  await page.screenshot({ path: `${SHOTS}/generators-wflow-map.png` });
  // the same model on the wasm execution provider, timed again
  await page.getByRole('combobox', { name: 'Generator runtime', exact: true }).selectOption('wasm');
  await expect(page.getByText(/^onnxruntime-web · wasm$/)).toBeVisible({ timeout: 60_000 });
  await expect(timing).toContainText(/Generator: 1,024 samples in one call of [\d.]+ m?s/);
  console.log(`wasm timing: ${await timing.textContent()}`);
  // another target keeps the choice only where the same kind of model exists for it
  await page.getByLabel('Target', { exact: true }).selectOption('25gaussians');
  await expect(select(page)).toHaveValue('shipped:wflow-25gaussians');
  await page.getByLabel('Target', { exact: true }).selectOption('banana');
  await expect(select(page)).toHaveValue('none');
  await expect(pane(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('on a narrow screen the generator pane stacks under the flow', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 1000 });
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=512&h=0.5', 1);
  await select(page).selectOption(await optionValue(page, 'wflow-8gaussians'));
  await expect(pane(page)).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 60_000 });
  const main = await page.locator('.canvas-wrap[data-slot="0"]').boundingBox();
  const gen = await pane(page).boundingBox();
  expect(main && gen).toBeTruthy();
  if (main && gen) {
    expect(gen.y).toBeGreaterThanOrEqual(main.y + main.height - 1);
    expect(Math.abs(gen.width - main.width)).toBeLessThan(2);
  }
  await page.screenshot({ path: `${SHOTS}/generators-narrow.png`, fullPage: false });
  expect(errors).toEqual([]);
});

test('S-JKO: the JKO step slider draws the chain from the noise (k = 0) to x (k = K)', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=1024&h=0.5', 1);
  await select(page).selectOption(await optionValue(page, 'sjko-8gaussians'));
  const slider = page.getByRole('slider', { name: 'JKO step k' });
  await expect(slider).toBeVisible({ timeout: 60_000 });
  const K = Number(await slider.getAttribute('max'));
  expect(K).toBeGreaterThan(1);
  await expect(pane(page)).toHaveAttribute('data-k', String(K));
  const atK = await canvasHash(page);
  await slider.fill('0');
  await expect(pane(page)).toHaveAttribute('data-k', '0');
  const at0 = await canvasHash(page);
  expect(at0).not.toBe(atK);
  await page.screenshot({ path: `${SHOTS}/generators-sjko-k0.png` });
  expect(errors).toEqual([]);
});

test('a bad .onnx file is refused with a message and the flow keeps running', async ({ page }) => {
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=512&h=0.5', 1);
  const file = page.getByLabel('Load generator .onnx');
  const junk = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) & 255));
  const s0 = (await snapshot(page)).step;
  await file.setInputFiles({ name: 'random.onnx', mimeType: 'application/octet-stream', buffer: junk });
  await expect(page.getByRole('alert')).toContainText(/random\.onnx: .*not an ONNX model/);
  await waitForStep(page, s0 + 5);
  // a valid ONNX model with other shapes: its output declared float32 [B, 3]
  const s1 = (await snapshot(page)).step;
  await file.setInputFiles({ name: 'three.onnx', mimeType: 'application/octet-stream', buffer: wrongShapes() });
  await expect(page.getByRole('alert')).toContainText(/three\.onnx: .*float32 \[B, 2\]/);
  await waitForStep(page, s1 + 5);
  await expect(select(page)).toHaveValue('none');
  expect((await snapshot(page)).playing).toBe(true);
  await page.screenshot({ path: `${SHOTS}/generators-bad-file.png` });
  expect(errors).toEqual([]);
});

test('without WebGPU the generator runs on onnxruntime-web wasm and says so', async ({ page }) => {
  await page.addInitScript(() => {
    // a browser without WebGPU: the engine falls back to its CPU engine, ort to wasm
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=512&h=0.5', 1);
  await select(page).selectOption(await optionValue(page, 'wflow-8gaussians'));
  await expect(page.getByText('onnxruntime-web · wasm (WebGPU unavailable: navigator.gpu is missing)')).toBeVisible({ timeout: 60_000 });
  await expect(pane(page)).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 60_000 });
  const timing = page.getByRole('status', { name: 'Generator timing' });
  await expect(timing).toContainText(/Generator: 512 samples in one call of [\d.]+ m?s/);
  console.log(`wasm timing: ${await timing.textContent()}`);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /\.wasm/.test(r.name)).map((r) => r.name));
  expect(wasm.some((f) => f.endsWith('/ort/ort-wasm-simd-threaded.jsep.wasm'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a generator whose samples are not finite is never drawn silently: the page says so (issue 21 item 1)', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=512&h=0.5', 1);
  const file = page.getByLabel('Load generator .onnx');
  // finite float32 weights whose output overflows: u = z + 1e35 -> silu(u) ~ 1e35 -> 4 * 1e35 * 1e30 = Inf
  await file.setInputFiles({ name: 'overflow.onnx', mimeType: 'application/octet-stream', buffer: filledMlp(1, 1e35, 1e30, 0) });
  await expect(page.getByRole('alert')).toContainText(/Generator overflow\.onnx: all 512 samples are not finite \(NaN or ±Inf\)/, { timeout: 90_000 });
  await expect(page.locator('.generator-problem')).toContainText(/all 512 samples are not finite/);
  await expect(pane(page).locator('.generator-note')).toContainText(/not finite/);
  await expect(pane(page)).toHaveAttribute('data-samples', '0');
  // no metrics line from non-finite samples, and the flow keeps running
  await expect(page.locator('.generator-metrics')).toHaveCount(0);
  const s0 = (await snapshot(page)).step;
  await waitForStep(page, s0 + 3);
  await page.screenshot({ path: `${SHOTS}/generators-nonfinite.png` });
  // a NaN weight is refused before onnxruntime sees it, naming the tensor (src/generators/onnx.ts)
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  const nan = filledMlp(0.1, 0, 0.1, 0);
  const bytes = decodeOnnxObject(new Uint8Array(nan));
  const init = (bytes.graph as { initializer: { name: string; raw_data?: Uint8Array; float_data?: number[] }[] }).initializer[0];
  if (!init) throw new Error('no initializer');
  if (init.raw_data && init.raw_data.length >= 4) new DataView(init.raw_data.buffer, init.raw_data.byteOffset, init.raw_data.byteLength).setFloat32(4, NaN, true);
  else if (init.float_data) init.float_data[1] = NaN;
  await file.setInputFiles({ name: 'nan.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeOnnxObject(bytes)) });
  await expect(page.getByRole('alert')).toContainText(new RegExp(`nan\\.onnx: .*'${init.name}'.*(non-finite|NaN)`));
  expect(errors).toEqual([]);
});

test('the generator runtime switches WebGPU -> wasm -> WebGPU, says what it is doing while it gets ready, and its line carries no raw onnxruntime text (issue 22 item 8)', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  await openApp(page, 'method=mmd-flow&target=8gaussians&n=1024&h=0.5', 1);
  const runtime = page.getByRole('combobox', { name: 'Generator runtime', exact: true });
  const provider = page.locator('.generator-provider');
  const status = page.getByRole('status', { name: 'Generator status' });
  await select(page).selectOption(await optionValue(page, 'wflow-8gaussians'));
  // while it gets ready the page names the phase and the seconds so far
  await expect(status).toContainText(/Getting the generator ready: (downloading the model|loading onnxruntime-web|creating the WebGPU session|first call).* · \d+ s/);
  await expect(pane(page).locator('.generator-note')).toContainText(/Getting the generator ready/);
  const phases = new Set<string>();
  const seen = setInterval(() => {
    void status.textContent({ timeout: 200 }).then((t) => { if (t) phases.add(t.replace(/ · \d+ s$/, '')); }, () => undefined);
  }, 250);
  await expect(provider).toHaveText('onnxruntime-web · WebGPU', { timeout: 90_000 });
  await expect(pane(page)).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 60_000 });
  clearInterval(seen);
  console.log(`phases seen: ${[...phases].join(' | ')}`);
  expect([...phases].some((p) => /WebGPU/.test(p))).toBe(true);
  await expect(status).toHaveCount(0);
  for (const [want, text] of [['wasm', /^onnxruntime-web · wasm$/], ['webgpu', /^onnxruntime-web · WebGPU$/], ['wasm', /^onnxruntime-web · wasm$/], ['webgpu', /^onnxruntime-web · WebGPU$/]] as const) {
    const t0 = Date.now();
    await runtime.selectOption(want);
    await expect(provider).toHaveText(text, { timeout: 90_000 });
    await expect(pane(page)).toHaveAttribute('data-samples', /^[1-9]\d*$/, { timeout: 60_000 });
    console.log(`runtime ${want}: ready in ${Date.now() - t0} ms`);
  }
  // a provider line never carries a path or a bare number from onnxruntime
  expect(await provider.textContent()).not.toMatch(/\/[\w.-]+\/|\b\d{5,}\b/);
  expect(errors).toEqual([]);
});

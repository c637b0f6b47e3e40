/* global window */
// docs/screenshot.png: the "SVGD vs Langevin on the banana" preset after a few seconds, 1440 x 900, in
// Debian's Chromium with WebGPU on (SwiftShader here). Usage: npx vite build && npx vite preview --port 4210 &
//   node scripts/screenshot.mjs [http://localhost:4210] [docs/screenshot.png]
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://localhost:4210';
const out = process.argv[3] ?? 'docs/screenshot.png';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=vulkan', '--disable-quic', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(`${base}/#method=svgd&target=banana&n=1024&seed=1&cmp=langevin`);
await page.waitForFunction(() => (window.__wgf?.getSnapshot().step ?? 0) >= 150, undefined, { timeout: 600_000 });
await page.screenshot({ path: out });
await browser.close();
console.log(`wrote ${out}`);

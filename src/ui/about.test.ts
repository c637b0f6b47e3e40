/**
 * The About panels (issue 8) are registry data: every registered method and target declares
 * `about` (src/targets/types.ts About), its TeX renders with KaTeX (the same call the panel makes,
 * with throwOnError), and `params` explains exactly its ParamSpecs. A method or target added later
 * fails here until it has one.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { methods } from '../methods/registry';
import { targets } from '../targets/registry';
import type { About } from '../targets/types';
import type { ParamSpec } from '../core/params';
import { renderTex } from './tex';

const entries: { kind: string; id: string; about: About | undefined; params: readonly ParamSpec[]; needsPaper: boolean }[] = [
  ...methods.map((m) => ({ kind: 'method', id: m.id, about: m.about, params: m.params, needsPaper: true })),
  ...targets.map((t) => ({ kind: 'target', id: t.id, about: t.about, params: t.params, needsPaper: false })),
];

describe('About entries', () => {
  it.each(entries)('$kind $id: TeX renders, every parameter explained, paper cited', ({ about, params, needsPaper }) => {
    expect(about, 'add `about: { tex, text, params, papers }` to the registry entry').toBeDefined();
    if (!about) return;
    const html = katex.renderToString(about.tex, { displayMode: true, throwOnError: true, strict: 'error' });
    expect(html).toContain('class="katex-display"');
    expect(about.text.trim().length).toBeGreaterThan(20);
    expect(Object.keys(about.params).sort()).toEqual(params.map((p) => p.name).sort());
    for (const line of Object.values(about.params)) expect(line.trim().length).toBeGreaterThan(10);
    if (needsPaper) expect(about.papers?.length ?? 0).toBeGreaterThan(0);
    for (const p of about.papers ?? []) {
      expect(p.authors.trim()).not.toBe('');
      expect(p.title.trim()).not.toBe('');
      expect(p.venue.trim()).not.toBe('');
      expect(Number.isInteger(p.year) && p.year > 1900 && p.year < 2100).toBe(true);
    }
  });

  it('renderTex gives KaTeX markup, and a TeX error as a message instead of throwing', () => {
    const ok = renderTex(String.raw`\frac{a}{b}`);
    expect(ok.ok).toBe(true);
    expect(ok.html).toContain('class="katex"');
    expect(ok.html).toContain('mfrac');
    const bad = renderTex(String.raw`\frac{a}{`);
    expect(bad.ok).toBe(false);
    expect(bad.html).toContain('ParseError');
  });
});

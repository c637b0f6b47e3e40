/**
 * TeX -> HTML for the About panels (KaTeX, bundled: no CDN). Loaded lazily by About.tsx with its
 * stylesheet, so the first paint does not wait for KaTeX.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';

/** Display-mode KaTeX markup; a TeX error gives its message (escaped) instead of throwing. */
export function renderTex(tex: string): { ok: boolean; html: string } {
  try {
    return { ok: true, html: katex.renderToString(tex, { displayMode: true, throwOnError: true, output: 'htmlAndMathml' }) };
  } catch (e) {
    const text = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return { ok: false, html: `<span class="tex-error">${text}</span>` };
  }
}

/**
 * Formula targets in links (issue 20): the formula text travels in the hash (t.logp, t.V, t.W,
 * URL-encoded) with its own parameters (t.<name>), and a link is untrusted input. decodeHash with
 * the app's look-ups (TargetDef.paramsFor through targetParamsFor) never throws; a refused text
 * (the grammar: length, nesting, unknown functions, JavaScript names, statements...) is named by
 * its key and leaves the page's target as it was; an accepted one resolves to a run or is refused
 * with a ConfigError naming the field; hostile strings never hang the reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CPU_MAX_PARTICLES } from '../engine/backend';
import { resolveRun } from '../engine/config';
import { ConfigError, type RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import { resolveParams, type ParamSpec } from '../core/params';
import { FORMULA_PRESETS } from '../formula/presets';
import { MAX_FORMULA_LENGTH, MAX_NESTING } from '../formula/grammar';
import { readLink, linkMessage } from '../state/link';
import { decodeHash, DEFAULT_CONFIG, encodeHash, type SpecLookup } from '../state/urlState';
import { getTarget, targetParamSpecs } from '../targets/registry';

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The app's look-ups (src/ui/specs.ts), without importing ui/. */
const specs: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
  targetParamsFor: (id, params) => targetParamSpecs(getTarget(id), params),
};

const RING = FORMULA_PRESETS.find((p) => p.id === 'ring');
if (!RING?.logp) throw new Error('no ring preset');
/** The page before the link: a formula run (the ring, r = 2, w = 0.5). */
const FORMULA_BASE: RunConfig = { ...DEFAULT_CONFIG, method: 'langevin', target: { id: 'formula', params: { logp: RING.logp, ...RING.values } }, n: 64 };
const BASES: RunConfig[] = [{ ...DEFAULT_CONFIG, n: 64 }, FORMULA_BASE];

const hashWith = (logp: string, extra = ''): string => `method=langevin&target=formula&t.logp=${encodeURIComponent(logp)}&n=64${extra}`;

/** The hostile strings: JavaScript names, code, statements, markup, huge and deep texts, odd characters. */
const HOSTILE: string[] = [
  'constructor', '__proto__', 'x + y + constructor', 'toString(x) + y', 'valueOf + x * y', 'hasOwnProperty * x + y', 'prototype * x * y',
  'x.constructor + y', 'x["constructor"] + y', 'eval("1") + x + y', 'Function("return 1")() + x', 'import("fs") + x + y', 'process.exit(1)',
  'x = 1; y', 'f(x) = x^2', 'x ? y : 1', 'x == y', 'x < y', '[1, 2] + x', '{a: 1} + x', 'x:y', '"a" + x + y', "'a' + y", '`${x}` + y',
  '</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '\u0000x + y', 'x\u202e + y', 'x\n+ y', 'x;\ny',
  'x + y # comment', '%', 'x %% y', '&&', 'x & y', 'x | y', 'x!', 'x\' + y', 'sqrt', 'exp(', ')', '(((((', 'e^^2', '1e99999 * x * y',
  'a1b2c3 + x + y + logp', 'x + y + V', 'Infinity * x * y', 'NaN + x + y', 'undefined + x', 'null + y', 'true + x + y',
  'x'.repeat(MAX_FORMULA_LENGTH + 1), `${'('.repeat(MAX_NESTING + 1)}x${')'.repeat(MAX_NESTING + 1)} + y`, '-'.repeat(400) + 'x*y',
  'a+b+c+d+f+g+h+k+m+x+y', 'log(x) + y', '1 / 0 + x + y', 'exp(exp(exp(x))) + y', 'x^2 + y^2', 'x + y',
];

/** Every reported problem names its key; an accepted text reaches the run or is refused by field; a refused one keeps the page's target. */
function checkDecode(logp: string, base: RunConfig): void {
  const t0 = performance.now();
  const d = decodeHash(hashWith(logp), specs, base);
  const ms = performance.now() - t0;
  expect(ms, `decode time of ${JSON.stringify(logp.slice(0, 40))}`).toBeLessThan(500);
  const textRefused = d.errors.some((e) => e.startsWith('t.logp:'));
  for (const e of d.errors) expect(e).toMatch(/^t\.logp: logp: /);
  if (textRefused) {
    // the page's target stays, as it was
    expect(d.config.target).toEqual(base.target);
    return;
  }
  expect(d.config.target.params.logp).toBe(logp.trim());
  try {
    resolveRun(d.config, CPU_MAX_PARTICLES);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).field).toMatch(/^target\.logp$|^target$/);
  }
}

describe('formula targets in links', () => {
  it('a preset (text and its parameter values) round-trips through encodeHash / decodeHash', () => {
    for (const p of FORMULA_PRESETS) {
      const params = { ...(p.logp !== undefined ? { logp: p.logp } : { V: p.V ?? '', W: p.W ?? '' }), ...p.values };
      const id = p.logp !== undefined ? 'formula' : 'formula-landscape';
      const method = p.logp !== undefined ? 'langevin' : 'wgd';
      const config: RunConfig = { ...DEFAULT_CONFIG, method, params: {}, target: { id, params } };
      const hash = encodeHash(config, specs);
      // a text equal to the default is left out (the double well's V and W are the landscape's defaults)
      if (p.logp !== undefined) expect(hash).toContain('t.logp=');
      const d = decodeHash(hash, specs);
      expect(d.errors, p.id).toEqual([]);
      // values equal to the defaults are left out of the hash (absent means default): compare resolved
      const def = getTarget(id);
      expect(d.config.target.id).toBe(id);
      expect(resolveParams(targetParamSpecs(def, d.config.target.params), d.config.target.params), p.id).toEqual(params);
    }
  });

  it('a new text drops the parameters the old one had and the new one lacks; a parameter the text lacks is named', () => {
    const d = decodeHash(`t.logp=${encodeURIComponent('-(x^2 + y^2) / (2 s^2)')}&t.s=0.7`, specs, FORMULA_BASE);
    expect(d.errors).toEqual([]);
    expect(d.config.target.params).toEqual({ logp: '-(x^2 + y^2) / (2 s^2)', s: 0.7 });
    const e = decodeHash(hashWith('-(x^2 + y^2)', '&t.sigma=2'), specs, FORMULA_BASE);
    expect(e.errors).toEqual(['t.sigma: unknown parameter']);
  });

  it(`${HOSTILE.length} hostile texts: never throws, names the key, keeps the page's target when refused`, () => {
    for (const base of BASES) for (const s of HOSTILE) checkDecode(s, base);
    // the named refusals the grammar states
    const at = (s: string): string => decodeHash(hashWith(s), specs, FORMULA_BASE).errors.join('; ');
    expect(at('x'.repeat(MAX_FORMULA_LENGTH + 1))).toMatch(new RegExp(`limit is ${MAX_FORMULA_LENGTH}`));
    expect(at(`${'('.repeat(MAX_NESTING + 1)}x${')'.repeat(MAX_NESTING + 1)} + y`)).toMatch(/levels deep/);
    expect(at('constructor + x + y')).toMatch(/constructor/);
    expect(at('__proto__ + x + y')).toMatch(/__proto__/);
    expect(at('x + y + foo(x)')).toMatch(/foo/);
    expect(at('x + ')).toMatch(/column \d+/);
  });

  it('1,000 random strings over the formula alphabet and 300 random unicode strings: the same rules, no hang', () => {
    const alphabet = fc.constantFrom(...'xy+-*/^()., 0123456789eEpiabc_[]{}=;?:<>!"\'\\$`%&|#'.split(''), 'exp', 'log', 'sqrt', 'logsumexp', 'constructor', '__proto__', 'pow');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), fc.constantFrom(...BASES), (s, base) => checkDecode(s, base)), { seed: 20_261_207, numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => checkDecode(s, FORMULA_BASE)), { seed: 20_261_208, numRuns: 300 });
  });

  it('readLink: a refused formula leaves the page on its target, with the message naming logp', () => {
    const link = readLink(`#${hashWith('exp(x) + foo(y)')}`, specs, FORMULA_BASE);
    expect(link.config.target).toEqual(FORMULA_BASE.target);
    const m = linkMessage(link, 'edit');
    expect(m?.kind).toBe('error');
    expect(m?.text).toMatch(/t\.logp: logp: .*foo/);
    // at load (over the default page): the default target stays
    const first = readLink(`#${hashWith('exp(x) + foo(y)')}`, specs);
    expect(first.config.target.id).toBe(DEFAULT_CONFIG.target.id);
  });
});

/**
 * Bad input, fuzzed (issue 7): random URL hashes through decodeHash (src/state/urlState.ts), the
 * page's first reader. decodeHash never throws; every problem it reports starts with the key (or
 * parameter) it is about; what it returns is a configuration that either resolves to a valid run or
 * is refused with a ConfigError naming its field; and decoding is stable: encoding the result and
 * decoding it again gives the same configuration with no errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CPU_MAX_PARTICLES } from '../engine/backend';
import { resolveRun } from '../engine/config';
import type { RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import type { ParamSpec, Params } from '../core/params';
import { decodeHash, DEFAULT_CONFIG, encodeHash, type SpecLookup } from '../state/urlState';
import { getTarget } from '../targets/registry';
import { urlHash } from './arbitraries';
import { refusalProblem } from './refusal';

const SEED = 20_260_711;
const RUNS = 10_000;

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The registry look-ups the app uses (src/ui/specs.ts), without importing ui/. */
const specs: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
};

/**
 * Configurations the hash is decoded over: the default (at N = 64: resolveRun allocates N particles
 * and hashes without n keep the base's), a file cloud (not in the URL), the torus.
 */
const BASES: RunConfig[] = [
  { ...DEFAULT_CONFIG, n: 64 },
  { ...DEFAULT_CONFIG, method: 'mmd-flow', target: { id: 'cloud', params: {}, cloud: Float64Array.from([0, 0, 1, 1, -1, 2]) }, n: 32 },
  { ...DEFAULT_CONFIG, params: { kernel: 'riesz' }, target: { id: 'torus-mixture', params: {} }, stepSize: 5e-4, domain: 'torus', n: 64 },
];

/** The words a reported problem may start with: the hash's keys, their parameter names, and the fields. */
function allowedHeads(hash: string): Set<string> {
  const heads = new Set(['method', 'target', 'n', 'h', 'seed', 'domain', 'cmp']);
  for (const key of new URLSearchParams(hash.replace(/^#/, '')).keys()) {
    heads.add(key);
    if (key.startsWith('m.') || key.startsWith('t.')) heads.add(key.slice(2));
  }
  return heads;
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

/** Params without those equal to their spec's default (the hash leaves them out: the same run). */
function withoutDefaults(p: Params, list: readonly ParamSpec[] | undefined): Params {
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => text(list?.find((s) => s.name === k)?.default) !== text(v)));
}

/** JSON text of a config as a run: plane domain spelled out, default-valued params dropped. */
function canonical(c: RunConfig): string {
  const target = { ...c.target, params: withoutDefaults(c.target.params, specs.targetParams(c.target.id)) };
  return JSON.stringify({ ...c, params: withoutDefaults(c.params, specs.methodParams(c.method)), target, domain: c.domain ?? 'plane' });
}

describe('fuzz: URL hashes', () => {
  it('10,000 random hashes: never throws, names every problem, resolves or refuses by field, and is stable', () => {
    let clean = 0, withErrors = 0, valid = 0, refused = 0;
    fc.assert(
      fc.property(urlHash(), fc.constantFrom(...BASES.keys()), (hash, b) => {
        const base = BASES[b] ?? DEFAULT_CONFIG;
        const d = decodeHash(hash, specs, base);
        const heads = allowedHeads(hash);
        for (const e of d.errors) {
          const head = /^([^:]*):/.exec(e)?.[1];
          if (head === undefined || !heads.has(head)) throw new Error(`problem not naming its key: ${JSON.stringify(e)}\n  hash: ${JSON.stringify(hash)}`);
        }
        if (d.errors.length > 0) withErrors++;
        else clean++;
        if (d.compare !== undefined) expect(specs.methodParams(d.compare)).toBeDefined();
        try {
          resolveRun(d.config, CPU_MAX_PARTICLES);
          valid++;
        } catch (e) {
          const problem = refusalProblem(e);
          if (problem) throw new Error(`${problem}\n  hash: ${JSON.stringify(hash)}`, { cause: e });
          refused++;
        }
        // Stable: what was decoded encodes to a hash that decodes to the same run, without errors.
        // (JSON text compares -0 and 0 as equal: '-0' is written as '0'.)
        const again = decodeHash(encodeHash(d.config, specs, { compare: d.compare }), specs, base);
        expect(again.errors, hash).toEqual(d.config.target.id === 'cloud' && base.target.id !== 'cloud' ? again.errors : []);
        expect(canonical(again.config), hash).toBe(canonical(d.config));
        expect(again.compare, hash).toBe(d.compare);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz: ${RUNS} url hashes, ${clean} clean, ${withErrors} with reported problems; decoded configs: ${valid} valid, ${refused} refused`);
    expect(clean).toBeGreaterThan(500);
    expect(withErrors).toBeGreaterThan(1000);
    expect(valid).toBeGreaterThan(1000);
  });
});

/**
 * The run configuration <-> URL hash. Every method parameter, target parameter, the particle
 * count, step size and seed round-trip, e.g.
 *   #method=svgd&m.bandwidth=median&target=mixture&t.components=[...]&n=4096&h=0.1&seed=1
 * Parameters are parsed with their ParamSpec (src/params.ts), so a bad value names its field.
 */
import { parseParam, type ParamSpec, type ParamValue, type Params } from '../params';
import type { RunConfig } from '../engine/types';

export interface SpecLookup {
  methodParams(id: string): readonly ParamSpec[] | undefined;
  targetParams(id: string): readonly ParamSpec[] | undefined;
}

export const DEFAULT_CONFIG: RunConfig = {
  method: 'svgd',
  params: {},
  target: { id: 'mixture', params: {} },
  n: 4096,
  stepSize: 0.1,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

function formatValue(v: ParamValue): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The hash (without '#') for a configuration; parameters equal to their defaults are left out. */
export function encodeHash(config: RunConfig, specs: SpecLookup): string {
  const q = new URLSearchParams();
  q.set('method', config.method);
  const mSpecs = specs.methodParams(config.method) ?? [];
  for (const [k, v] of Object.entries(config.params)) {
    const spec = mSpecs.find((s) => s.name === k);
    if (spec && formatValue(spec.default) === formatValue(v)) continue;
    q.set(`m.${k}`, formatValue(v));
  }
  q.set('target', config.target.id);
  const tSpecs = specs.targetParams(config.target.id) ?? [];
  for (const [k, v] of Object.entries(config.target.params)) {
    const spec = tSpecs.find((s) => s.name === k);
    if (spec && formatValue(spec.default) === formatValue(v)) continue;
    q.set(`t.${k}`, formatValue(v));
  }
  q.set('n', String(config.n));
  q.set('h', String(config.stepSize));
  q.set('seed', String(config.seed));
  return q.toString();
}

export interface DecodedHash {
  config: RunConfig;
  /** Problems found (each names its field); the offending entries take their defaults. */
  errors: string[];
}

/** Parse a hash over `base`; unknown or invalid entries are reported and skipped. */
export function decodeHash(hash: string, specs: SpecLookup, base: RunConfig = DEFAULT_CONFIG): DecodedHash {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const errors: string[] = [];
  const method = q.get('method') ?? base.method;
  const targetId = q.get('target') ?? base.target.id;
  const mSpecs = specs.methodParams(method);
  const tSpecs = specs.targetParams(targetId);
  const config: RunConfig = {
    ...base,
    method: mSpecs ? method : base.method,
    params: method === base.method ? { ...base.params } : {},
    target: { id: tSpecs ? targetId : base.target.id, params: targetId === base.target.id ? { ...base.target.params } : {} },
  };
  if (!mSpecs) errors.push(`method: unknown method '${method}'`);
  if (!tSpecs) errors.push(`target: unknown target '${targetId}'`);
  const readParams = (prefix: string, list: readonly ParamSpec[] | undefined, out: Params): void => {
    for (const [key, raw] of q.entries()) {
      if (!key.startsWith(prefix)) continue;
      const name = key.slice(prefix.length);
      const spec = list?.find((s) => s.name === name);
      if (!spec) {
        errors.push(`${key}: unknown parameter`);
        continue;
      }
      try {
        out[name] = parseParam(spec, raw);
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
  };
  readParams('m.', mSpecs, config.params);
  readParams('t.', tSpecs, config.target.params);
  const num = (key: string, check: (v: number) => boolean, what: string): number | undefined => {
    const raw = q.get(key);
    if (raw === null) return undefined;
    const v = Number(raw);
    if (raw.trim() === '' || !check(v)) {
      errors.push(`${key}: expected ${what}, got '${raw}'`);
      return undefined;
    }
    return v;
  };
  const n = num('n', (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  if (n !== undefined) config.n = n;
  const h = num('h', (v) => Number.isFinite(v) && v > 0, 'a positive number');
  if (h !== undefined) config.stepSize = h;
  const seed = num('seed', (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'an integer in [0, 2^32)');
  if (seed !== undefined) config.seed = seed;
  return { config, errors };
}

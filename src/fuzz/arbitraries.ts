/**
 * fast-check generators for the bad-input fuzz tests (src/fuzz/*.fuzz.test.ts): run configurations,
 * URL hashes and NPY / CSV bytes. Each generator mixes realistic values (every method and target id
 * of the registries, each ParamSpec's legal values) with hostile ones (unknown ids, 0, negatives,
 * NaN, +-Infinity, 1e308, huge integers, strings, JSON garbage, wrong shapes, truncations), so a
 * fair share of the cases resolve to a valid run and the rest must be refused by field.
 * Values are generated as `unknown` on purpose: the library is also called from plain JavaScript.
 */
import fc from 'fast-check';
import { ParamError, resolveParams, type ParamSpec, type Params } from '../core/params';
import { methods } from '../methods/registry';
import type { MethodDef } from '../methods/types';
import { createTarget, targets } from '../targets/registry';
import { MAX_COMPONENTS } from '../targets/types';
import { npyHeader } from '../io/npy';

export const methodIds = methods.map((m) => m.id);
export const targetIds = targets.map((t) => t.id);
export const UNKNOWN_IDS = ['', 'nope', 'SVGD', ' svgd', 'svgd ', '__proto__', 'constructor', 'toString', 'cloud2', '💥'];

/** Numbers that break naive checks. */
export const HOSTILE_NUMBERS = [0, -0, -1, -1e-300, NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 2 ** 31, 2 ** 32, 0.5, 1e-12];
/** Values of the wrong type (strings, arrays, objects, null). */
export const HOSTILE_VALUES: unknown[] = ['', ' ', 'abc', '1', 'NaN', 'Infinity', '1e999', 'median', 'none', 'true', true, false, null, [], [NaN, 1], [1, 2, 3, 4, 5], {}, { x: 1 }];

export const hostileNumber = fc.constantFrom(...HOSTILE_NUMBERS);
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileNumber, fc.constantFrom(...HOSTILE_VALUES), fc.double(), fc.string({ maxLength: 8 }));

/** A legal value of one ParamSpec (range ends included), which the spec alone accepts. */
export function legalParam(spec: ParamSpec, torus = false): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'number': {
      const min = spec.min ?? -1e3, max = spec.max ?? 1e3;
      const range = fc.oneof(
        { arbitrary: fc.double({ min, max, noNaN: true }), weight: 4 },
        { arbitrary: fc.constantFrom(min, max), weight: 1 },
        // Log-uniform for wide positive ranges (bandwidths, blur): small and large ends equally likely.
        { arbitrary: min > 0 ? fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((l) => Math.min(max, Math.max(min, Math.exp(l)))) : fc.constant(spec.default), weight: 2 },
        // Integer-valued params (modes, grid, iterations): integers, and powers of two for grids.
        ...(Math.ceil(min) <= Math.floor(max) ? [{ arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), weight: 2 }] : []),
        // Grids: powers of two (the pm FFT's only legal sizes).
        ...(spec.name === 'grid' ? [{ arbitrary: fc.constantFrom(8, 16, 32, 64), weight: 4 }] : []),
      );
      return spec.alsoAccept?.length ? fc.oneof(range, fc.constantFrom(...spec.alsoAccept)) : range;
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(spec.options ?? ['']));
    case 'vector':
      if (spec.name === 'cov') return fc.oneof(spdCov3, spdCov3.map(([a, b, c]) => [a, b, b, c]));
      return fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: spec.length ?? 1, maxLength: spec.length ?? 4 });
    case 'json':
      return componentsText(torus);
  }
}

/** [s11, s12, s22] positive definite with a well-conditioned correlation. */
export const spdCov3 = fc
  .tuple(fc.double({ min: 0.01, max: 5, noNaN: true }), fc.double({ min: -0.95, max: 0.95, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }))
  .map(([a, r, c]): [number, number, number] => [a, r * Math.sqrt(a * c), c]);

/** One mixture component as JSON data, mostly legal, sometimes hostile in one field. */
function component(torus: boolean): fc.Arbitrary<unknown> {
  const scale = torus ? 0.0625 : 5;
  const mean = fc.oneof(
    { arbitrary: fc.tuple(fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true })), weight: 8 },
    { arbitrary: fc.constantFrom<unknown>([1], [1, 2, 3], 'x', null, [1e308, -1e308], ['1', '2'], [true, false]), weight: 1 },
  );
  const spread = fc.oneof(
    { arbitrary: fc.double({ min: 1e-3, max: Math.sqrt(scale), noNaN: true }).map((std) => ({ std })), weight: 4 },
    { arbitrary: spdCov3.map(([a, b, c]) => ({ cov: [a * scale / 5, b * scale / 5, c * scale / 5] })), weight: 4 },
    { arbitrary: fc.constantFrom<unknown>({}, { std: 0 }, { std: -1 }, { std: '1' }, { cov: [1, 2, 1] }, { cov: [1, 0, 0, 1] }, { cov: [1, 0.5, 0.4, 1] }, { std: 1, cov: [1, 0, 1] }, { cov: [1e-170, 0, 1e-170] }, { cov: [1e200, 0, 1e200] }, { std: 1e-200 }, { std: 1e200 }), weight: 1 },
  );
  const weight = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.double({ min: 1e-3, max: 10, noNaN: true }), weight: 6 },
    { arbitrary: fc.constantFrom<unknown>(0, -1, 1e308, 5e-324, 'heavy', null, Infinity), weight: 1 },
  );
  return fc.record({ mean, spread, weight }).map(({ mean: m, spread: s, weight: w }) => ({ mean: m, ...(s as object), ...(w === undefined ? {} : { weight: w }) }));
}

/** `components` JSON text: a legal array, a hostile one, or JSON / non-JSON garbage. */
export function componentsText(torus: boolean): fc.Arbitrary<string> {
  const comps = fc.array(component(torus), { minLength: 1, maxLength: 5 });
  return fc.oneof(
    { arbitrary: comps.map((c) => JSON.stringify(c)), weight: 10 },
    { arbitrary: fc.array(component(torus), { minLength: MAX_COMPONENTS, maxLength: MAX_COMPONENTS + 2 }).map((c) => JSON.stringify(c)), weight: 1 },
    { arbitrary: fc.constantFrom('', '[]', '{}', 'null', '[1,2]', '[{}]', '[null]', '[[0,0]]', '{"mean":[0,0],"std":1}', '[{"mean":[0,0],"std":1}', 'NaN', '[{"mean":[0,0],"std":1e999}]'), weight: 1 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 },
    { arbitrary: comps.chain((c) => { const s = JSON.stringify(c); return fc.nat({ max: s.length }).map((k) => s.slice(0, k)); }), weight: 1 },
  );
}

/** A value for `spec`: legal most of the time, hostile otherwise. */
export function paramValue(spec: ParamSpec, torus = false): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: legalParam(spec, torus), weight: 40 }, { arbitrary: hostileValue, weight: 1 });
}

/** A params object over `specs`: a subset of the names with values, sometimes an unknown name. */
export function paramsFor(specs: readonly ParamSpec[], torus = false): fc.Arbitrary<Record<string, unknown>> {
  const entries = specs.map((s) => fc.option(paramValue(s, torus).map((v): [string, unknown] => [s.name, v]), { freq: 2, nil: undefined }));
  // fc.option's freq is the odds against nil, so a weighted oneof keeps unknown names rare (1 in 40).
  const extra = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 39 },
    { arbitrary: fc.tuple(fc.constantFrom('zzz', '__proto__', 'constructor', 'toString', 'Bandwidth', ''), hostileValue), weight: 1 },
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([es, x]) => {
    const out: Record<string, unknown> = {};
    for (const e of es) if (e) Object.defineProperty(out, e[0], { value: e[1], enumerable: true, writable: true, configurable: true });
    if (x) Object.defineProperty(out, x[0], { value: x[1], enumerable: true, writable: true, configurable: true });
    return out;
  });
}

const realisticN = fc.integer({ min: 1, max: 64 });
export const nValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: realisticN, weight: 800 },
  { arbitrary: fc.constantFrom<unknown>(0, -1, -64, 1.5, 16.000001, NaN, Infinity, 2 ** 20 + 1, 2 ** 24 + 1, 2 ** 53, 1e308, '16', null, [16]), weight: 40 },
  // Larger valid counts, rarely (each allocates its particles; the 2^20 limit itself has a unit test).
  { arbitrary: fc.integer({ min: 65, max: 4096 }), weight: 4 },
);

export const stepSizeValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.double({ min: Math.log(1e-4), max: Math.log(0.5), noNaN: true }).map(Math.exp), weight: 30 },
  { arbitrary: fc.constantFrom<unknown>(0, -0, -0.1, NaN, Infinity, -Infinity, 1e308, 5e-324, 10, '0.1', null), weight: 2 },
);

export const seedValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 30 },
  { arbitrary: fc.constantFrom<unknown>(-1, 2 ** 32, 1.5, NaN, Infinity, 2 ** 53, '1', null), weight: 2 },
);

export const domainValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(undefined, 'plane'), weight: 10 },
  { arbitrary: fc.constant('torus'), weight: 5 },
  { arbitrary: fc.constantFrom<unknown>('sphere', '', 'Torus', null, 1), weight: 1 },
);

/** Initial state: the Gaussian spec (legal or hostile), explicit positions (right or wrong length, NaN), junk. */
export function initValue(n: unknown): fc.Arbitrary<unknown> {
  const len = typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 4096 ? n : 8;
  const gaussian = fc.record({
    kind: fc.constant('gaussian'),
    mean: fc.oneof(
      { arbitrary: fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), weight: 40 },
      { arbitrary: fc.constantFrom<unknown>([1], [0, 0, 0], [NaN, 0], [0, Infinity], [1e308, 1e308], ['0', '0'], 'origin', null), weight: 1 },
    ),
    std: fc.oneof(
      { arbitrary: fc.double({ min: 0.05, max: 3, noNaN: true }), weight: 40 },
      { arbitrary: fc.constantFrom<unknown>(0, -1, NaN, Infinity, 1e308, 1e200, '1', null), weight: 1 },
    ),
  });
  const coord = fc.oneof({ arbitrary: fc.double({ min: -4, max: 4, noNaN: true }), weight: 400 }, { arbitrary: fc.constantFrom(NaN, Infinity, 1e308), weight: 1 });
  const positions = fc
    .tuple(fc.oneof({ arbitrary: fc.constant(2 * len), weight: 16 }, { arbitrary: fc.constantFrom(0, 1, 2 * len - 1, 2 * len + 2), weight: 1 }), fc.boolean())
    .chain(([k, f32]) => fc.array(coord, { minLength: k, maxLength: k }).map((a) => ({ kind: 'positions', data: f32 ? Float32Array.from(a) : Float64Array.from(a) })));
  return fc.oneof(
    { arbitrary: gaussian, weight: 36 },
    { arbitrary: positions, weight: 9 },
    { arbitrary: fc.constantFrom<unknown>(null, undefined, {}, { kind: 'uniform' }, { kind: 'positions' }, { kind: 'positions', data: [0, 0] }, 'gaussian'), weight: 1 },
  );
}

/** A small interleaved cloud for target id 'cloud' (sometimes odd-length, empty or with NaN). */
export const cloudValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 40 }).map((a) => Float64Array.from(a.length % 2 ? [...a, 0] : a)), weight: 8 },
  { arbitrary: fc.constantFrom<unknown>(undefined, new Float64Array(0), Float64Array.from([1, 2, 3]), Float64Array.from([0, NaN]), Float64Array.from([Infinity, 0]), [0, 0], 'cloud'), weight: 1 },
);

/**
 * A whole run configuration. Most of the time the target and domain are picked to suit the method
 * (so combinations are exercised, not only refusals); otherwise any registry or unknown id.
 */
/** What each registry target offers with its default params: a score (not sample-only), exact samples. */
const targetTraits = new Map(targets.map((t) => {
  const inst = createTarget(t.id);
  return [t.id, { score: !inst.sampleOnly && !inst.landscape, samples: inst.sample !== undefined || inst.cloud !== undefined, torus: Boolean(inst.periodic), landscape: Boolean(inst.landscape) }];
}));

/**
 * Coherent cases: drop the parameters a method's cross-parameter check refuses for this domain (e.g.
 * SVGD's kernel riesz on the plane), so that combinations run instead of being refused; values that
 * are wrong on their own are kept (resolveParams refuses those).
 */
function repairParams(def: MethodDef | undefined, params: Record<string, unknown>, domain: 'plane' | 'torus'): Record<string, unknown> {
  if (!def?.check) return params;
  const out = { ...params };
  for (let k = 0; k < 4; k++) {
    try {
      def.check(resolveParams(def.params, out as Params), domain);
      return out;
    } catch (e) {
      if (!(e instanceof ParamError) || !(e.param in out)) return out;
      delete out[e.param];
    }
  }
  return out;
}

/**
 * A whole run configuration. Most of the time (8 in 10) the target and domain are picked to suit the
 * method and its parameters are made consistent (so combinations are exercised, not only refusals);
 * otherwise any registry or unknown id, any domain.
 */
export const runConfig: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    method: fc.oneof({ arbitrary: fc.constantFrom(...methodIds), weight: 30 }, { arbitrary: fc.constantFrom(...UNKNOWN_IDS), weight: 1 }),
    domain: domainValue,
    targetPick: fc.nat(),
    coherent: fc.nat({ max: 9 }),
  })
  .chain(({ method, domain: rawDomain, targetPick, coherent }) => {
    const def = methods.find((m) => m.id === method);
    const ok = coherent < 8;
    const torusOk = (def?.domains ?? ['plane']).includes('torus');
    // Coherent: the torus only for methods that run there (and then a third of the time).
    const domain = ok ? (torusOk && targetPick % 3 === 0 ? 'torus' : rawDomain === 'torus' ? undefined : rawDomain) : rawDomain;
    const torus = domain === 'torus';
    const needs = def?.needs ?? 'score';
    const fitting = targets.filter((t) => {
      const tr = targetTraits.get(t.id);
      return tr !== undefined && tr.torus === torus && (needs === 'landscape' ? tr.landscape : needs === 'score' ? tr.score : tr.samples);
    });
    const pool = ok && fitting.length > 0 ? fitting : targets;
    const pick = Math.floor(targetPick / 3) % (pool.length + (ok ? 0 : 2));
    const tdef = pool[pick];
    const targetId = tdef?.id ?? (pick === pool.length ? 'cloud' : 'nope');
    const mSpecs = def?.params ?? methods[targetPick % methods.length]?.params ?? [];
    const mParams = paramsFor(mSpecs).map((p) => (ok ? repairParams(def, torus && method === 'svgd' && !('kernel' in p) ? { ...p, kernel: 'riesz' } : p, torus ? 'torus' : 'plane') : p));
    return fc.record({
      method: fc.constant(method),
      params: fc.oneof({ arbitrary: mParams, weight: 40 }, { arbitrary: fc.constantFrom<unknown>(null, undefined, 'bandwidth=1', [1]), weight: 1 }),
      target: fc.oneof(
        {
          arbitrary: fc.record({
            id: fc.constant(targetId),
            params: paramsFor(tdef?.params ?? [], targetId === 'torus-mixture'),
            cloud: targetId === 'cloud' ? cloudValue : fc.constant(undefined),
          }).map(({ cloud, ...t }) => (cloud === undefined ? t : { ...t, cloud })),
          weight: 40,
        },
        { arbitrary: fc.constantFrom<unknown>(null, undefined, 'gaussian', { id: 'gaussian' }, { id: 'gaussian', params: null }, { params: {} }), weight: 1 },
      ),
      n: nValue,
      stepSize: stepSizeValue,
      seed: seedValue,
      domain: fc.constant(domain),
      targetSamples: fc.oneof({ arbitrary: fc.constant(undefined), weight: 20 }, { arbitrary: fc.integer({ min: 1, max: 128 }), weight: 4 }, { arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, NaN, 2 ** 24 + 1, '8'), weight: 1 }),
    }).chain((c) => initValue(c.n).map((init) => {
      const out: Record<string, unknown> = { ...c, init };
      if (c.domain === undefined) delete out.domain;
      if (c.targetSamples === undefined) delete out.targetSamples;
      return out;
    }));
  });

/** URL-hash generators: keys the app reads, prefixed parameter keys, random keys and values, %-escapes. */
export function urlHash(): fc.Arbitrary<string> {
  const allMethodParams = [...new Set(methods.flatMap((m) => m.params.map((p) => p.name)))];
  const allTargetParams = [...new Set(targets.flatMap((t) => t.params.map((p) => p.name)))];
  const anyText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '.', ',', '-', '+', 'e', '%', '&', '=', '#', ' ', '[', ']', '{', '}', '"', ':', 'é', '\u0000', '\ud800'), maxLength: 12 });
  const legalFor = (spec: ParamSpec): fc.Arbitrary<string> => legalParam(spec).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
  const specFor = (name: string, of: 'm' | 't'): ParamSpec | undefined =>
    (of === 'm' ? methods.flatMap((m) => m.params) : targets.flatMap((t) => t.params)).find((p) => p.name === name);
  const mEntry = fc.constantFrom(...allMethodParams).chain((name) => {
    const spec = specFor(name, 'm');
    return fc.oneof(spec ? legalFor(spec) : anyText, anyText, hostileValue.map(String)).map((v) => [`m.${name}`, v] as [string, string]);
  });
  const tEntry = fc.constantFrom(...allTargetParams).chain((name) => {
    const spec = specFor(name, 't');
    return fc.oneof(spec ? legalFor(spec) : anyText, anyText, hostileValue.map(String)).map((v) => [`t.${name}`, v] as [string, string]);
  });
  const entry: fc.Arbitrary<[string, string]> = fc.oneof(
    fc.tuple(fc.constant('method'), fc.oneof(fc.constantFrom(...methodIds), fc.constantFrom(...UNKNOWN_IDS))),
    fc.tuple(fc.constant('target'), fc.oneof(fc.constantFrom(...targetIds), fc.constantFrom('cloud', ...UNKNOWN_IDS))),
    fc.tuple(fc.constant('n'), fc.oneof(realisticN.map(String), fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '16777217', '1e308', 'Infinity', 'NaN', '', ' 16 ', '16abc'))),
    fc.tuple(fc.constant('h'), fc.oneof(fc.double({ min: 1e-4, max: 0.5, noNaN: true }).map(String), fc.constantFrom('0', '-0.1', 'NaN', 'Infinity', '1e308', '1e-400', '', '.1', '1,5'))),
    fc.tuple(fc.constant('seed'), fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '4294967296', '4294967295', '1.5', '1e9', '', 'seed'))),
    fc.tuple(fc.constant('domain'), fc.constantFrom('plane', 'torus', 'sphere', '', 'TORUS')),
    fc.tuple(fc.constant('cmp'), fc.oneof(fc.constantFrom(...methodIds), fc.constantFrom('none', ...UNKNOWN_IDS))),
    mEntry,
    tEntry,
    fc.tuple(fc.oneof(anyText, fc.constantFrom('m.', 't.', 'm.__proto__', 't.constructor', 'm.toString', '__proto__')), anyText),
  );
  const encode = fc.constantFrom<(s: string) => string>(
    (s) => encodeURIComponent(s),
    (s) => s,
    (s) => s.replace(/./g, (ch) => `%${(ch.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')}`),
  );
  const pair = fc.tuple(entry, encode, encode).map(([[k, v], ek, ev]) => `${safe(ek, k)}=${safe(ev, v)}`);
  return fc
    .tuple(fc.array(pair, { maxLength: 12 }), fc.boolean(), fc.option(fc.nat(), { nil: undefined }), fc.array(fc.constantFrom('&', '&&', '=', '%', '%zz', '%E0%A4%A', '?', '#'), { maxLength: 2 }))
    .map(([pairs, hash, cut, junk]) => {
      const s = (hash ? '#' : '') + pairs.join('&') + junk.join('');
      return cut === undefined ? s : s.slice(0, cut % (s.length + 1));
    });
}

/** encodeURIComponent throws URIError on lone surrogates: fall back to the raw text (URLSearchParams copes). */
function safe(enc: (s: string) => string, s: string): string {
  try {
    return enc(s);
  } catch {
    return s;
  }
}

/** NPY header dict texts: numpy's own, and wrong dtypes, fortran order, bad / huge shapes, malformed dicts. */
const npyDict = fc.oneof(
  fc.record({
    descr: fc.oneof({ arbitrary: fc.constantFrom('<f4', '<f8'), weight: 6 }, { arbitrary: fc.constantFrom('>f4', '|u1', '<i4', '<f2', '<c8', 'O', '', "'"), weight: 1 }),
    fortran: fc.oneof({ arbitrary: fc.constant('False'), weight: 8 }, { arbitrary: fc.constantFrom('True', 'false', '0'), weight: 1 }),
    shape: fc.oneof(
      { arbitrary: fc.tuple(fc.nat({ max: 40 }), fc.constant(2)).map(([n, d]) => `(${n}, ${d})`), weight: 6 },
      { arbitrary: fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 20 }), fc.constant(2)).map(([f, n, d]) => `(${f}, ${n}, ${d})`), weight: 3 },
      { arbitrary: fc.array(fc.nat({ max: 6 }), { maxLength: 4 }).map((s) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`)), weight: 2 },
      { arbitrary: fc.constantFrom('()', '(,)', '(-1, 2)', '(1.5, 2)', '(3L, 2L)', '(0x10, 2)', '(1e3, 2)', '(99999999999999999999, 2)', '(4294967296, 4294967296, 2)', '(536870912, 2)', '(268435456, 2)', '(9007199254740993, 2)', '(2, 2', 'None', '(a, b)'), weight: 2 },
    ),
  }).map(({ descr, fortran, shape }) => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`),
  fc.constantFrom("{'descr': '<f4', 'shape': (2, 2)}", "{'fortran_order': False}", '{}', '', "{'descr':'<f4','fortran_order':False,'shape':(1,2)}"),
  fc.string({ maxLength: 60 }),
);

/**
 * NPY files: a header (versions 1, 2, 3 and unknown ones) for one of the dicts above, followed by
 * float data of the declared size, or fewer / more bytes; sometimes truncated anywhere or replaced by
 * random bytes.
 */
export const npyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    arbitrary: fc
      .tuple(npyDict, fc.constantFrom(1, 1, 1, 2, 3, 0, 4), fc.integer({ min: -16, max: 16 }), fc.constantFrom(0, 0, 0, 1, 7), fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity)), { maxLength: 4 }))
      .map(([dict, major, extra, pad, special]) => {
        const body = new TextEncoder().encode(dict);
        const lenBytes = major === 1 ? 2 : 4;
        const headerLen = body.length + pad + 1;
        const head = new Uint8Array(8 + lenBytes + headerLen);
        head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
        const dv = new DataView(head.buffer);
        if (lenBytes === 2) dv.setUint16(8, headerLen & 0xffff, true);
        else dv.setUint32(8, headerLen, true);
        head.set(body, 8 + lenBytes);
        head.fill(0x20, 8 + lenBytes + body.length, head.length - 1);
        head[head.length - 1] = 0x0a;
        const dims = /\(([^)]*)\)/.exec(dict)?.[1]?.split(',').map((s) => Number(s.trim())).filter((d) => Number.isFinite(d)) ?? [];
        const itemSize = dict.includes('<f8') ? 8 : 4;
        const count = dims.reduce((a, b) => a * b, 1);
        const nBytes = Math.max(0, Math.min(1 << 16, count * itemSize + extra * itemSize));
        const data = new Uint8Array(nBytes);
        const fv = new DataView(data.buffer);
        for (let i = 0; i + itemSize <= nBytes; i += itemSize) {
          const v = special[(i / itemSize) % 97] ?? Math.sin(i);
          if (itemSize === 4) fv.setFloat32(i, v, true);
          else fv.setFloat64(i, v, true);
        }
        const out = new Uint8Array(head.length + data.length);
        out.set(head);
        out.set(data, head.length);
        return out;
      }),
    weight: 10,
  },
  // Valid files written by the encoder, then truncated or with one byte flipped.
  {
    arbitrary: fc.tuple(fc.nat({ max: 20 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, cut, at, byte]) => {
      const head = npyHeader([n, 2]);
      const out = new Uint8Array(head.length + 8 * n);
      out.set(head);
      const fv = new Float32Array(out.buffer, head.length, 2 * n);
      for (let i = 0; i < 2 * n; i++) fv[i] = Math.cos(i);
      if (cut % 3 === 0) return out.slice(0, cut % (out.length + 1));
      out[at % out.length] = byte;
      return out;
    }),
    weight: 3,
  },
  { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...b])), weight: 2 },
);

/** CSV text: point tables (2 or more columns, headers, comments, trajectories), then damaged. */
export const csvText: fc.Arbitrary<string> = (() => {
  const cell = fc.oneof(
    { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }).map(String), weight: 20 },
    { arbitrary: fc.integer({ min: 0, max: 5 }).map(String), weight: 4 },
    { arbitrary: fc.constantFrom('', ' ', 'NaN', 'nan', 'Infinity', '-inf', '1e999', '1e-400', '0x1A', '1,5', '1;2', 'x', 'y', 'step', '"1"', '−1', '1e', '.', '-'), weight: 2 },
  );
  const sep = fc.constantFrom(',', ', ', ' ', '\t', ' ,');
  const row = fc.tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), sep).map(([cs, s]) => cs.join(s));
  const header = fc.constantFrom('x,y', 'y,x', 'step,particle,x,y', 'X,Y', 'a,b', 'x,y,z', 'step,x,y', '# comment', 'x', 'x,,y', '');
  const eol = fc.constantFrom('\n', '\r\n', '\r');
  return fc.oneof(
    {
      arbitrary: fc.tuple(fc.option(header, { nil: undefined }), fc.array(row, { maxLength: 20 }), eol, fc.nat(), fc.boolean()).map(([h, rows, e, cut, truncate]) => {
        const s = [...(h === undefined ? [] : [h]), ...rows].join(e);
        return truncate ? s.slice(0, cut % (s.length + 1)) : s;
      }),
      weight: 10,
    },
    // Clean 2-column clouds and trajectory CSVs (the formats the app writes), mostly valid.
    {
      arbitrary: fc.tuple(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 1, maxLength: 20 }), fc.boolean()).map(([pts, traj]) =>
        traj ? ['step,particle,x,y', ...pts.map(([x, y], i) => `${10 * (i % 3)},${i},${x},${y}`)].join('\n') : pts.map(([x, y]) => `${x},${y}`).join('\n'),
      ),
      weight: 5,
    },
    { arbitrary: fc.string({ maxLength: 80 }), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 80 }).map((b) => new TextDecoder().decode(b)), weight: 1 },
  );
})();

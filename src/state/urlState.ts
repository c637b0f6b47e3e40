/**
 * The run configuration <-> URL hash. Every method parameter, target parameter, the particle
 * count, step size and seed round-trip, e.g.
 *   #method=svgd&m.bandwidth=median&target=mixture&t.components=[...]&n=4096&h=0.1&seed=1
 * Parameters are parsed with their ParamSpec (src/core/params.ts), so a bad value names its field.
 * Also the domain (`domain=torus`, plane is the default) and the split view's second method
 * (`cmp=mmd-flow`). A target cloud from a file, an image, a painting or a dragged sample cloud is
 * NOT stored (too big): the hash says `target=cloud` and loading it falls back with a message.
 * Without `h` the step size is the run's default (SpecLookup.stepSize); with it, the user's (a
 * partial hash without `h` keeps the page's step size when the user had set it).
 * Also the page's backend (`backend=gpu|cpu`) and the export's "Record every" (`every=k`, k > 0):
 * a link without them (older links) leaves the page's backend and recording as they are.
 *
 * The compared runs (runs 1..3 of the split view, src/engine/runList.ts), each with its own method,
 * parameters and step size (keys added after `cmp` / `cmp2`, never renamed):
 *   run 1: cmp=<method>  cmp.m.<param>=<value>  cmp.h=<step size>
 *   run 2: cmp2=...      cmp2.m.<param>=...      cmp2.h=...
 *   run 3: cmp3=...      cmp3.m.<param>=...      cmp3.h=...
 * Parameters equal to their defaults are left out; `cmpK.h` only when the run has a step size of its
 * own (without it the run follows the primary: src/engine/defaults.ts compareStepSize).
 * The one-step generator beside the flow (src/ui/generator): `gen=<shipped model id>` (`gen=none` or
 * absent in a complete hash: none; a model loaded from a file is not stored).
 */
import { ParamError, parseParam, type ParamSpec, type ParamValue, type Params } from '../core/params';
import { appDefaultRun } from '../engine/defaults';
import type { RunConfig } from '../engine/types';
import type { RunSpec } from '../engine/compare';
import { isPointsTarget } from '../targets/registry';

export interface SpecLookup {
  methodParams(id: string): readonly ParamSpec[] | undefined;
  targetParams(id: string): readonly ParamSpec[] | undefined;
  /**
   * The full parameter list of target `id` for these params (src/targets/registry.ts targetParamSpecs:
   * a formula's own parameters follow its text, issue 20); throws ParamError naming the parameter when
   * the values that decide the list are bad. Absent: targetParams(id) is the list.
   */
  targetParamsFor?(id: string, params: Params): readonly ParamSpec[];
  /**
   * The default step size of a run (src/engine/defaults.ts runStepSize). A hash without `h` takes it; a
   * hash with `h` is the user's step size (kept when the target or method changes, as long as it
   * differs from the default: see src/engine/defaults.ts followDefaults). Absent: the base's step size.
   */
  stepSize?(run: Pick<RunConfig, 'method' | 'target' | 'domain'>): number;
}

/** The app's default run (src/engine/defaults.ts: method, target, n, seed and its default step size). */
export const DEFAULT_CONFIG: RunConfig = appDefaultRun();

function formatValue(v: ParamValue): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

export type HashBackend = 'gpu' | 'cpu';

/** The URL key of compared run `index` (1..3): cmp, cmp2, cmp3; its parameters are `<key>.m.<name>`, its step size `<key>.h`. */
export function runKey(index: number): string {
  return index === 1 ? 'cmp' : `cmp${index}`;
}

/** The most compared runs a link carries (runs 1..3). */
export const LINK_COMPARED_RUNS = 3;

/** A shipped generator model id as it may appear in `gen=` (letters, digits, '.', '_', '-'). */
const GENERATOR_ID = /^[A-Za-z0-9._-]{1,120}$/;

export interface HashExtras {
  /** Split view: the compared method (run 1; `runs` supersedes it). */
  compare?: string | undefined;
  /** Split view: a third run's method (written as `cmp2=`). */
  compare2?: string | undefined;
  /** The backend the run is on (written as `backend=`). */
  backend?: HashBackend | undefined;
  /** Export: record every k-th step (0 / absent: off, not written). */
  every?: number | undefined;
  /** The compared runs 1..3, each with its own parameters and step size (supersedes compare / compare2). */
  runs?: readonly RunSpec[] | undefined;
  /** The generator: a shipped model id (written as `gen=`; undefined: none, not written). */
  generator?: string | undefined;
}

/** The hash (without '#') for a configuration; parameters equal to their defaults are left out. */
export function encodeHash(config: RunConfig, specs: SpecLookup, extras: HashExtras = {}): string {
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
  if (config.domain === 'torus') q.set('domain', 'torus');
  const runs: RunSpec[] = extras.runs ? [...extras.runs] : [extras.compare, extras.compare2].flatMap((m) => (m ? [{ method: m, params: {} }] : []));
  runs.slice(0, LINK_COMPARED_RUNS).forEach((r, i) => {
    const key = runKey(i + 1);
    q.set(key, r.method);
    const rSpecs = specs.methodParams(r.method) ?? [];
    for (const [k, v] of Object.entries(r.params)) {
      const spec = rSpecs.find((s) => s.name === k);
      if (spec && formatValue(spec.default) === formatValue(v)) continue;
      q.set(`${key}.m.${k}`, formatValue(v));
    }
    if (r.stepSize !== undefined) q.set(`${key}.h`, String(r.stepSize));
  });
  if (extras.generator !== undefined && GENERATOR_ID.test(extras.generator)) q.set('gen', extras.generator);
  if (extras.backend) q.set('backend', extras.backend);
  if (extras.every !== undefined && extras.every > 0) q.set('every', String(extras.every));
  return q.toString();
}

export interface DecodedHash {
  config: RunConfig;
  /** Problems found (each names its field); the offending entries take their defaults. */
  errors: string[];
  /** Split view: the compared method (undefined: off). */
  compare: string | undefined;
  /** `cmp2=`: a third run's method (undefined: off). */
  compare2: string | undefined;
  /**
   * The compared runs by key: [0] run 1 (`cmp`), [1] run 2 (`cmp2`), [2] run 3 (`cmp3`), each with its
   * own parameters (`cmpK.m.*`) and step size (`cmpK.h`); undefined where the hash names none (or 'none').
   */
  runs: (RunSpec | undefined)[];
  /** `gen=`: a shipped generator model id, 'none', or undefined (not in the hash). */
  generator: string | undefined;
  /** `backend=`: the backend to run on (undefined: not in the hash, keep the page's). */
  backend: HashBackend | undefined;
  /** `every=`: record every k-th step, k >= 1 (undefined: not in the hash, keep the page's). */
  every: number | undefined;
}

/**
 * Parse a hash over `base`; unknown or invalid entries are reported and skipped. A hash naming both
 * method and target is complete (encodeHash always writes both): parameters and the domain it leaves
 * out take their defaults, so a link reproduces its run whatever the page showed before. A partial
 * hash (e.g. typed by hand, '#n=100') changes only what it names.
 */
export function decodeHash(hash: string, specs: SpecLookup, base: RunConfig = DEFAULT_CONFIG): DecodedHash {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const errors: string[] = [];
  const method = q.get('method') ?? base.method;
  const rawTarget = q.get('target') ?? base.target.id;
  // a target built from points (TargetDef.data 'points': a file, an image, a painting, dragged samples) is not in a link
  const cloudInUrl = isPointsTarget(rawTarget) && base.target.id !== rawTarget;
  const targetId = cloudInUrl ? base.target.id : rawTarget;
  const mSpecs = specs.methodParams(method);
  const tSpecs = specs.targetParams(targetId);
  const complete = q.has('method') && q.has('target');
  const keepTarget = !tSpecs || cloudInUrl || (targetId === base.target.id && (!complete || isPointsTarget(base.target.id)));
  const config: RunConfig = {
    ...base,
    method: mSpecs ? method : base.method,
    // An unknown method or target is skipped: the base's (with its params, and a cloud's points) stays.
    // A complete hash (as encodeHash writes it) leaves out default values: there, absent means default.
    params: !mSpecs || (method === base.method && !complete) ? { ...base.params } : {},
    target: keepTarget ? { ...base.target, params: { ...base.target.params } } : { id: targetId, params: {} },
  };
  if (cloudInUrl) errors.push('target: a cloud (image, painting or dragged samples) is not stored in the URL; the default target is used');
  if (!mSpecs) errors.push(`method: unknown method '${method}'`);
  if (!tSpecs && !isPointsTarget(targetId)) errors.push(`target: unknown target '${targetId}'`);
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
  // keys of the compared runs are read below (they start with cmp, never with m. or t.)
  readParams('m.', mSpecs, config.params);
  // a target whose parameter list follows its values (a formula: its text decides its parameters):
  // the list for the link's values of the static parameters (the text); a refused text is named and
  // the page's target stays (a link is untrusted input)
  let tList = tSpecs;
  if (tSpecs && specs.targetParamsFor) {
    const first: Params = { ...config.target.params };
    for (const spec of tSpecs) {
      const raw = q.get(`t.${spec.name}`);
      if (raw === null) continue;
      try {
        first[spec.name] = parseParam(spec, raw);
      } catch {
        // named by readParams below
      }
    }
    try {
      tList = specs.targetParamsFor(targetId, first);
    } catch (e) {
      errors.push(`${e instanceof ParamError ? `t.${e.param}` : 'target'}: ${e instanceof Error ? e.message : String(e)}`);
      tList = undefined;
      config.target = { ...base.target, params: { ...base.target.params } };
    }
  }
  if (tList) {
    readParams('t.', tList, config.target.params);
    // values of parameters the new list no longer has (a formula's old parameter names) are dropped
    for (const name of Object.keys(config.target.params)) if (!tList.some((s) => s.name === name)) delete config.target.params[name];
  }
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
  const domain = q.get('domain');
  // In a complete hash no domain key means the plane (encodeHash leaves the default out).
  if (domain === null) {
    if (complete) delete config.domain;
  } else {
    if (domain === 'plane' || domain === 'torus') config.domain = domain;
    else errors.push(`domain: expected plane or torus, got '${domain}'`);
  }
  // No (valid) h: a complete hash (a link) takes the default step size of the run it describes. A
  // partial one (typed by hand, e.g. '#n=-5') keeps the page's step size, unless that was the page
  // run's default: then the default of the run it leads to (as src/engine/defaults.ts followDefaults).
  if (h === undefined && specs.stepSize && (complete || base.stepSize === specs.stepSize(base))) config.stepSize = specs.stepSize(config);
  const runs: (RunSpec | undefined)[] = [];
  for (let i = 1; i <= LINK_COMPARED_RUNS; i++) {
    const key = runKey(i);
    const m = q.get(key);
    const rSpecs = m !== null && m !== 'none' ? specs.methodParams(m) : undefined;
    if (m !== null && m !== 'none' && !rSpecs) errors.push(`${key}: unknown method '${m}'`);
    const params: Params = {};
    const named = [...q.keys()].some((k) => k.startsWith(`${key}.`));
    if (rSpecs) readParams(`${key}.m.`, rSpecs, params);
    else if (named && (m === null || m === 'none')) errors.push(`${key}: its parameters or step size (${key}.m.*, ${key}.h) need ${key}=<method>`);
    const h = rSpecs ? num(`${key}.h`, (v) => Number.isFinite(v) && v > 0, 'a positive number') : undefined;
    runs.push(rSpecs && m !== null ? { method: m, params, ...(h !== undefined ? { stepSize: h } : {}) } : undefined);
  }
  const compare = runs[0]?.method;
  const compare2 = runs[1]?.method;
  let generator: string | undefined;
  const gen = q.get('gen');
  if (gen !== null) {
    if (gen === 'none' || GENERATOR_ID.test(gen)) generator = gen;
    else errors.push(`gen: expected a shipped generator model id (letters, digits, '.', '_', '-'), got '${gen}'`);
  }
  let backend: HashBackend | undefined;
  const b = q.get('backend');
  if (b !== null) {
    if (b === 'gpu' || b === 'cpu') backend = b;
    else errors.push(`backend: expected gpu or cpu, got '${b}'`);
  }
  const every = num('every', (v) => Number.isInteger(v) && v >= 1 && v <= 1e9, 'a whole number of steps >= 1');
  return { config, errors, compare, compare2, runs, generator, backend, every };
}

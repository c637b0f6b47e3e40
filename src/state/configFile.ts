/**
 * "Import config" (issue 22 item 9): the JSON that "Export config" writes (Engine.configJson plus
 * `recordEvery`), read back into the run it describes.
 *
 * The file's run is written as a link (the URL's keys: method, m.*, target, t.*, n, h, seed, domain,
 * cmp, cmp2, backend) and read by the one URL reader (./link.ts readLink): the same parameter parsing,
 * the same rules (a method that cannot run on the target switches, and says so), the same problems
 * named by key. It names both method and target, so it is a whole run: what it leaves out takes its
 * default (no `compare`: no second run). What a link does not carry comes back beside it: the second
 * and third runs' own parameters, the target sample count, "Record every". What a config file cannot
 * hold (a target cloud's points, initial positions from a file) is said in `notes`, not made up.
 *
 * Bad input (not JSON, not an object, no method or target, a value of the wrong kind) throws a
 * ConfigFileError whose message names the key.
 */
import { parseParam, type ParamValue, type Params } from '../core/params';
import type { RunConfig } from '../engine/types';
import { isPointsTarget } from '../targets/registry';
import { applyLink, readLink, type Link, type LinkSink } from './link';
import type { SpecLookup } from './urlState';

export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

export interface ConfigFile {
  /** The run, read as a link over the page's config (readLink: errors by key, the rules applied). */
  link: Link;
  /** The second run's own parameters (parsed by its method's specs); with `link.compare`. */
  compareParams: Params | undefined;
  /** The third run's own parameters; with `link.compare2`. */
  compare2Params: Params | undefined;
  /** The target sample count m (undefined: the default, n). */
  targetSamples: number | undefined;
  /** Record every k-th step (0: off); undefined when the file does not say (an older export). */
  recordEvery: number | undefined;
  /** Problems with the parameters of the compared runs, by key (those parameters take their defaults). */
  errors: string[];
  /** What the file holds that a config cannot restore (a cloud's points, initial positions). */
  notes: string[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A parameter value as the URL writes it (urlState encodeHash): lists joined by commas. */
function paramText(key: string, v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.join(',');
  throw new ConfigFileError(`${key}: expected a number, true/false, a string or a list of numbers, got ${JSON.stringify(v)}`);
}

function paramsOf(v: unknown, key: string): Obj {
  if (v === undefined) return {};
  if (!isObj(v)) throw new ConfigFileError(`${key}: expected an object of parameters, got ${JSON.stringify(v)}`);
  return v;
}

/** A number key: written as text for the link reader, which checks its range and names it. */
function numberText(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ConfigFileError(`${key}: expected a number, got ${JSON.stringify(v)}`);
  return String(v);
}

function wholeNumber(o: Obj, key: string, min: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ConfigFileError(`${key}: expected a whole number >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function methodId(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === 'none') return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigFileError(`${key}: expected a method id, got ${JSON.stringify(v)}`);
  return v;
}

/** A compared run's parameters, each parsed by its method's spec (problems by key, those left at their defaults). */
function comparedParams(o: Obj, key: string, method: string | undefined, specs: SpecLookup, errors: string[]): Params | undefined {
  if (method === undefined) return undefined;
  const raw = paramsOf(o[key], key);
  const list = specs.methodParams(method) ?? [];
  const out: Params = {};
  for (const [name, v] of Object.entries(raw)) {
    const spec = list.find((s) => s.name === name);
    if (!spec) {
      errors.push(`${key}.${name}: unknown parameter of ${method}`);
      continue;
    }
    try {
      out[name] = parseParam(spec, paramText(`${key}.${name}`, v)) as ParamValue;
    } catch (e) {
      errors.push(`${key}.${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/** Read an exported config (its text) over the page's `base` config. Throws ConfigFileError on bad input. */
export function readConfigFile(text: string, specs: SpecLookup, base: RunConfig): ConfigFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObj(v)) throw new ConfigFileError('expected a JSON object with "method" and "target" (as Export config writes it)');
  const method = v.method;
  if (typeof method !== 'string' || method.trim() === '') throw new ConfigFileError(`method: expected a method id, got ${JSON.stringify(method) ?? 'nothing'}`);
  const target = v.target;
  if (!isObj(target) || typeof target.id !== 'string' || target.id.trim() === '') {
    throw new ConfigFileError(`target: expected { "id": ..., "params": {...} }, got ${JSON.stringify(target) ?? 'nothing'}`);
  }
  const notes: string[] = [];
  const errors: string[] = [];
  const q = new URLSearchParams();
  q.set('method', method);
  for (const [k, x] of Object.entries(paramsOf(v.params, 'params'))) q.set(`m.${k}`, paramText(`params.${k}`, x));
  q.set('target', target.id);
  for (const [k, x] of Object.entries(paramsOf(target.params, 'target.params'))) q.set(`t.${k}`, paramText(`target.params.${k}`, x));
  // (a target built from points, TargetDef.data 'points', is said by the link reader: its points are never in a link)
  if (target.cloud !== undefined && !isPointsTarget(target.id)) {
    notes.push("the file's target is a cloud of points (a file, an image, a painting or dragged samples), which a config does not hold: load the points again");
  }
  for (const [key, url] of [['n', 'n'], ['stepSize', 'h'], ['seed', 'seed']] as const) {
    const t = numberText(v, key);
    if (t !== undefined) q.set(url, t);
  }
  const domain = v.domain;
  if (domain !== undefined) {
    if (domain !== 'plane' && domain !== 'torus') throw new ConfigFileError(`domain: expected "plane" or "torus", got ${JSON.stringify(domain)}`);
    if (domain === 'torus') q.set('domain', 'torus');
  }
  const compare = methodId(v, 'compare');
  const compare2 = methodId(v, 'compare2');
  if (compare !== undefined) q.set('cmp', compare);
  if (compare2 !== undefined) q.set('cmp2', compare2);
  // the export writes the backend's info ({ kind, description, ... }); a bare 'gpu' / 'cpu' is read too
  const b = isObj(v.backend) ? v.backend.kind : v.backend;
  if (b !== undefined) {
    if (b !== 'gpu' && b !== 'cpu') throw new ConfigFileError(`backend: expected "gpu" or "cpu", got ${JSON.stringify(b)}`);
    q.set('backend', b);
  }
  const init = v.init;
  if (isObj(init) && init.kind === 'positions') {
    notes.push('the run started from positions loaded from a file, which a config does not hold: it starts from the default initial state');
  } else if (isObj(init) && init.kind === 'gaussian' && JSON.stringify(init) !== JSON.stringify(base.init)) {
    notes.push(`init ${JSON.stringify(init)} is not applied (the page starts every run from ${JSON.stringify(base.init)})`);
  }
  const link = readLink(q.toString(), specs, base);
  return {
    link,
    compareParams: comparedParams(v, 'compareParams', link.compare, specs, errors),
    compare2Params: comparedParams(v, 'compare2Params', link.compare2, specs, errors),
    targetSamples: wholeNumber(v, 'targetSamples', 1),
    recordEvery: wholeNumber(v, 'recordEvery', 0),
    errors,
    notes,
  };
}

/** What the page says after an import: the problems by key first, then the rules the link applied, then what was not restored. */
export function importMessage(name: string, r: Pick<ConfigFile, 'link' | 'errors' | 'notes'>): { kind: 'error' | 'info'; text: string } {
  // the link reader names the URL's keys: said with the file's
  const fileKey = (e: string): string =>
    e.replace(/^m\./, 'params.').replace(/^t\./, 'target.params.').replace(/^h:/, 'stepSize:').replace(/^cmp2:/, 'compare2:').replace(/^cmp:/, 'compare:');
  const problems = [...r.link.errors.map(fileKey), ...r.errors];
  const parts = [
    ...(problems.length > 0 ? [`${problems.join('; ')} (left as they were)`] : []),
    ...r.link.notes,
    ...r.notes,
  ];
  return { kind: problems.length > 0 ? 'error' : 'info', text: `Imported config ${name}${parts.length > 0 ? `: ${parts.join('. ')}` : ''}` };
}

/** What applyConfigFile needs of the engine (src/engine/Engine.ts). */
export interface ConfigSink extends LinkSink {
  setCompare(method: string | undefined, params?: Params): boolean;
  setCompare2(method: string | undefined, params?: Params): boolean;
}

/**
 * Run an imported config: the run as a link (applyLink: the same order and rules as a URL), then what
 * a link does not carry (the compared runs' own parameters, the target sample count, Record every).
 */
export function applyConfigFile(engine: ConfigSink, r: ConfigFile): void {
  applyLink(engine, r.link, 'edit');
  if (r.link.compare !== undefined) engine.setCompare(r.link.compare, r.compareParams ?? {});
  if (r.link.compare2 !== undefined) engine.setCompare2(r.link.compare2, r.compare2Params ?? {});
  if (r.targetSamples !== undefined && r.targetSamples !== engine.getSnapshot().config.targetSamples) engine.configure({ targetSamples: r.targetSamples });
  if (r.recordEvery !== undefined) engine.setRecordEvery(r.recordEvery);
}

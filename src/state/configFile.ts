/**
 * "Import config" (issue 22 item 9): the JSON that "Export config" writes (Engine.configJson plus
 * `recordEvery`), read back into the run it describes.
 *
 * The file's run is written as a link (the URL's keys: method, m.*, target, t.*, n, h, seed, domain,
 * cmp / cmp2 / cmp3 with cmpK.m.* and cmpK.h, backend) and read by the one URL reader (./link.ts
 * readLink): the same parameter parsing, the same rules (a method that cannot run on the target
 * switches, and says so), the same problems named by key (said with the file's keys by importMessage).
 * It names both method and target, so it is a whole run: what it leaves out takes its default (no
 * compared run: none). The compared runs are read from `runs` ([{ method, params, stepSize? }], up to
 * 3, each with its own step size; Engine.configJson writes it), or, in a file written before that list,
 * from `compare`/`compareParams` and `compare2`/`compare2Params` (their step size follows the primary's).
 * What a link does not carry comes back beside it: the target sample count, "Record every". What a
 * config file cannot hold (a target cloud's points, initial positions from a file) is said in `notes`,
 * not made up.
 *
 * Bad input (not JSON, not an object, no method or target, a value of the wrong kind) throws a
 * ConfigFileError whose message names the key.
 */
import { parseParam, type Params } from '../core/params';
import type { RunConfig } from '../engine/types';
import { isPointsTarget } from '../targets/registry';
import { applyLink, readLink, type Link, type LinkSink } from './link';
import { LINK_COMPARED_RUNS, runKey, type SpecLookup } from './urlState';

export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

export interface ConfigFile {
  /** The run, read as a link over the page's config (readLink: errors by key, the rules applied). */
  link: Link;
  /** Compared run 1's own parameters (as `link.runs[0]`); with `link.compare`. */
  compareParams: Params | undefined;
  /** Compared run 2's own parameters (as `link.runs[1]`); with `link.compare2`. */
  compare2Params: Params | undefined;
  /** The link's keys of the compared runs and the file's keys they came from (e.g. ['cmp3', 'runs[2]'], ['cmp.m.', 'runs[0].params.']): for importMessage. */
  keyNames: readonly (readonly [string, string])[];
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

/** The file's keys of one compared run: `runs[i].method` ... (the list) or `compare` / `compareParams` (older files). */
interface RunKeys {
  method: string;
  params: string;
  stepSize: string;
}

/**
 * Write compared run `index` (1..3) into the link: cmpK=<method>, cmpK.m.<name>, cmpK.h. Each parameter
 * is checked here by its method's spec, so a problem is named by the file's key (the link reader names
 * only the parameter); those are left out (their defaults). An unknown method is named by the link
 * reader (cmpK: unknown method), said with the file's key by importMessage.
 */
function putRun(q: URLSearchParams, index: number, method: string, params: Obj, stepSize: unknown, keys: RunKeys, specs: SpecLookup, errors: string[]): void {
  const key = runKey(index);
  q.set(key, method);
  const list = specs.methodParams(method);
  for (const [name, v] of Object.entries(params)) {
    const fileKey = `${keys.params}.${name}`;
    if (!list) continue; // the method is unknown: named once, by its key
    const spec = list.find((s) => s.name === name);
    if (!spec) {
      errors.push(`${fileKey}: unknown parameter of ${method}`);
      continue;
    }
    try {
      const text = paramText(fileKey, v);
      parseParam(spec, text);
      q.set(`${key}.m.${name}`, text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      errors.push(msg.startsWith(`${fileKey}: `) ? msg : `${fileKey}: ${msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg}`);
    }
  }
  if (stepSize !== undefined && stepSize !== null) {
    // written as text for the link reader, which checks it (a positive number) and names it
    q.set(`${key}.h`, typeof stepSize === 'number' ? String(stepSize) : JSON.stringify(stepSize));
  }
}

/** The compared runs of the file into the link; returns the link keys -> file keys of what it wrote. */
function putRuns(v: Obj, q: URLSearchParams, specs: SpecLookup, errors: string[]): [string, string][] {
  const names: [string, string][] = [];
  const note = (index: number, keys: RunKeys): void => {
    const key = runKey(index);
    names.push([`${key}.m.`, `${keys.params}.`], [`${key}.h`, keys.stepSize], [key, keys.method]);
  };
  if (v.runs !== undefined && v.runs !== null) {
    const runs = v.runs;
    if (!Array.isArray(runs)) throw new ConfigFileError(`runs: expected a list of { "method": ..., "params": {...}, "stepSize"?: ... }, got ${JSON.stringify(runs)}`);
    if (runs.length > LINK_COMPARED_RUNS) errors.push(`runs: at most ${LINK_COMPARED_RUNS} compared runs, got ${runs.length} (the first ${LINK_COMPARED_RUNS} are read)`);
    runs.slice(0, LINK_COMPARED_RUNS).forEach((r: unknown, i) => {
      const at = `runs[${i}]`;
      if (!isObj(r)) throw new ConfigFileError(`${at}: expected { "method": ..., "params": {...}, "stepSize"?: ... }, got ${JSON.stringify(r)}`);
      const method = r.method;
      if (typeof method !== 'string' || method.trim() === '') throw new ConfigFileError(`${at}.method: expected a method id, got ${JSON.stringify(method) ?? 'nothing'}`);
      const keys = { method: `${at}.method`, params: `${at}.params`, stepSize: `${at}.stepSize` };
      putRun(q, i + 1, method, paramsOf(r.params, keys.params), r.stepSize, keys, specs, errors);
      note(i + 1, keys);
    });
    return names;
  }
  // a file written before `runs`: compare / compare2 and their parameters (their step size follows the primary's)
  const older: [string, string][] = [
    ['compare', 'compareParams'],
    ['compare2', 'compare2Params'],
  ];
  let index = 0;
  for (const [mKey, pKey] of older) {
    const method = methodId(v, mKey);
    if (method === undefined) continue;
    index++;
    const keys = { method: mKey, params: pKey, stepSize: `${mKey} step size` };
    putRun(q, index, method, paramsOf(v[pKey], pKey), undefined, keys, specs, errors);
    note(index, keys);
  }
  return names;
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
  const keyNames = putRuns(v, q, specs, errors);
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
    compareParams: link.runs[0]?.params,
    compare2Params: link.runs[1]?.params,
    keyNames,
    targetSamples: wholeNumber(v, 'targetSamples', 1),
    recordEvery: wholeNumber(v, 'recordEvery', 0),
    errors,
    notes,
  };
}

/** What the page says after an import: the problems by key first, then the rules the link applied, then what was not restored. */
export function importMessage(name: string, r: Pick<ConfigFile, 'link' | 'errors' | 'notes'> & Partial<Pick<ConfigFile, 'keyNames'>>): { kind: 'error' | 'info'; text: string } {
  // the link reader names the URL's keys: said with the file's (the compared runs' by the keys they came from)
  const fileKey = (e: string): string => {
    for (const [linkKey, file] of r.keyNames ?? []) {
      if (e.startsWith(linkKey) && (linkKey.endsWith('.') || e[linkKey.length] === ':')) return file + e.slice(linkKey.length);
    }
    return e.replace(/^m\./, 'params.').replace(/^t\./, 'target.params.').replace(/^h:/, 'stepSize:').replace(/^cmp2:/, 'compare2:').replace(/^cmp:/, 'compare:');
  };
  const problems = [...r.link.errors.map(fileKey), ...r.errors];
  const parts = [
    ...(problems.length > 0 ? [`${problems.join('; ')} (left as they were)`] : []),
    ...r.link.notes,
    ...r.notes,
  ];
  return { kind: problems.length > 0 ? 'error' : 'info', text: `Imported config ${name}${parts.length > 0 ? `: ${parts.join('. ')}` : ''}` };
}

/** What applyConfigFile needs of the engine (src/engine/Engine.ts). */
export type ConfigSink = LinkSink;

/**
 * Run an imported config: the run as a link (applyLink: the same order and rules as a URL, the compared
 * runs with their parameters and step sizes included), then what a link does not carry (the target
 * sample count, Record every).
 */
export function applyConfigFile(engine: ConfigSink, r: ConfigFile): void {
  applyLink(engine, r.link, 'edit');
  if (r.targetSamples !== undefined && r.targetSamples !== engine.getSnapshot().config.targetSamples) engine.configure({ targetSamples: r.targetSamples });
  if (r.recordEvery !== undefined) engine.setRecordEvery(r.recordEvery);
}

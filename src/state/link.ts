/**
 * A link, read and applied the same way at load (src/ui/main.tsx) and when the hash of a running page
 * changes (a hand edit, a preset: src/ui/App.tsx): the one URL decoder.
 *
 * readLink = decodeHash (./urlState.ts: keys, values, named problems) + the panel's rules (./choices.ts
 * over src/engine/compat.ts), so a link always lands on a run that starts:
 *   - a target named (`#target=moons`): the domain follows it and a method that cannot run on it
 *     switches to one that can, as the Target list does (`#target=torus-mixture` runs on the torus);
 *   - a domain named without a target of it (`#domain=torus`): the domain's target, as the Domain control;
 *   - a method named without a target it runs on (`#method=wsfn`): the first target it runs on.
 * Each such change is said (`notes`). A partial hash changes only what it names (each compared run,
 * the generator, the backend and the recording included); a complete one (method and target, as
 * encodeHash writes) is a whole view: every compared run and the generator it leaves out are off.
 *
 * applyLink: messages belong to the state that made them, so the page's old message goes first; the
 * compared runs the link turns off or changes go before the run changes (so they are not rebuilt, and
 * reported, for the run being left); the link's own message (problems by key, the rules it applied)
 * is said last, after the engine's own.
 */
import type { EngineMessage } from '../engine/events';
import { findMethod, incompatibility, targetDomain, targetFacts } from '../engine/compat';
import type { BackendKind, RunConfig } from '../engine/types';
import type { RunSpec } from '../engine/compare';
import { describeFollowed } from '../engine/defaults';
import { placeMethod, redomain, retarget, targetLabel } from './choices';
import { decodeHash, DEFAULT_CONFIG, LINK_COMPARED_RUNS, runKey, type DecodedHash, type SpecLookup } from './urlState';

export interface Link extends DecodedHash {
  /** The rules the link needed to land on a run that starts, in words (e.g. 'Target Two moons: switched to MMD flow: SVGD needs a score'). */
  notes: string[];
  /** The hash names the split view (cmp, or a complete hash: none when absent); false: keep the page's. */
  setsCompare: boolean;
  /** Likewise for the third run (cmp2). */
  setsCompare2: boolean;
  /** For each compared run 1..3 ([0] = cmp, [1] = cmp2, [2] = cmp3): the hash names it (its key, a key of its parameters, or a complete hash). */
  setsRuns: boolean[];
  /** The hash names the generator (gen=, or a complete hash: none when absent). */
  setsGenerator: boolean;
}

/** Decode `hash` over `base` and apply the panel's rules (see the header). Never throws. */
export function readLink(hash: string, specs: SpecLookup, base: RunConfig = DEFAULT_CONFIG): Link {
  const d = decodeHash(hash, specs, base);
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const complete = q.has('method') && q.has('target');
  let config = d.config;
  const notes: string[] = [];
  const apply = (change: Partial<RunConfig>): void => {
    config = { ...config, ...change };
  };
  const facts = targetFacts(config.target.id);
  const targetNamed = q.has('target') && config.target.id !== base.target.id;
  const domainNamed = q.has('domain') && (config.domain ?? 'plane') !== (base.domain ?? 'plane');
  if (facts && (targetNamed || (complete && q.has('target')))) {
    // the Target list's rule (the domain follows the target, a method that cannot run on it switches)
    const from = config.domain ?? 'plane';
    const r = retarget(config, config.target, facts);
    apply(r.change);
    const words = [...((config.domain ?? 'plane') !== from ? [`domain ${config.domain ?? 'plane'}`] : []), ...(r.note ? [r.note] : [])];
    if (words.length > 0) notes.push(`Target ${targetLabel(config.target.id)}: ${words.join(', ')}`);
  } else if (facts && domainNamed && targetDomain(facts) !== (config.domain ?? 'plane')) {
    // the Domain control's rule: a target of that domain
    const d0 = config.domain ?? 'plane';
    const r = redomain({ ...config, domain: targetDomain(facts) }, d0, facts);
    if ('error' in r) notes.push(`Domain ${d0}: ${r.error}`);
    else {
      apply(r.change);
      const words = [r.target !== undefined ? `target ${targetLabel(r.target)}` : '', ...describeFollowed(r.followed)].filter((w) => w);
      if (words.length > 0) notes.push(`Domain ${d0}: ${words.join(', ')}`);
    }
  }
  const method = findMethod(config.method);
  const where = config.domain ?? 'plane';
  const now = targetFacts(config.target.id);
  const why = method ? incompatibility(method, now, where) : undefined;
  if (method && why !== undefined) {
    const methodNamed = q.has('method') && !targetNamed && !domainNamed;
    const placed = methodNamed ? placeMethod(config, method) : undefined;
    if (placed) {
      apply(placed.change);
      notes.push(`Method ${method.label}: ${placed.note}`);
    } else if (now) {
      const r = retarget(config, config.target, now);
      apply(r.change);
      if (r.note) notes.push(`Target ${targetLabel(config.target.id)}: ${r.note}`);
    }
  }
  const setsRuns = Array.from({ length: LINK_COMPARED_RUNS }, (_, i) => complete || [...q.keys()].some((k) => k === runKey(i + 1) || k.startsWith(`${runKey(i + 1)}.`)));
  return { ...d, config, notes, setsCompare: setsRuns[0] === true, setsCompare2: setsRuns[1] === true, setsRuns, setsGenerator: complete || q.has('gen') };
}

/** What the compared runs of a view are, for comparing a link with the page. */
function specKey(list: readonly (RunSpec | undefined)[]): string {
  return JSON.stringify(list.map((r) => (r ? [r.method, r.params, r.stepSize ?? null] : null)));
}

/**
 * The compared runs a link leads to: the page's runs (`before`, in order) with each run the link
 * names replaced (or turned off); the list closes up (an off run leaves no gap).
 */
export function linkedRuns(link: Pick<Link, 'runs' | 'setsRuns'>, before: readonly RunSpec[]): RunSpec[] {
  const out: RunSpec[] = [];
  for (let i = 0; i < Math.max(LINK_COMPARED_RUNS, before.length); i++) {
    const r = link.setsRuns[i] === true ? link.runs[i] : before[i];
    if (r) out.push(r);
  }
  return out;
}

/** What applyLink needs of the engine (src/engine/Engine.ts). */
export interface LinkSink {
  getSnapshot(): {
    config: RunConfig;
    /** Every run, the primary first (src/engine/engineSnapshot.ts RunView). */
    runs: readonly { method: string; params: RunSpec['params']; ownStepSize: number | undefined }[];
    generator: string | undefined;
    backendKind: BackendKind;
    message: EngineMessage | undefined;
  };
  configure(partial: Partial<Omit<RunConfig, 'init'>>): boolean;
  setRuns(specs: readonly RunSpec[]): boolean;
  setGenerator(choice: string | undefined): void;
  setRecordEvery(k: number): void;
  setBackend(kind: BackendKind): Promise<void>;
  dismissMessage(): void;
}

/**
 * The link's own message: its problems by key (error) and the rules it applied (info), or undefined.
 * `when`: 'load' (ignored entries took their defaults) or 'edit' (they kept the page's values).
 */
export function linkMessage(link: Pick<Link, 'errors' | 'notes'>, when: 'load' | 'edit'): { kind: 'error' | 'info'; text: string } | undefined {
  const parts: string[] = [];
  if (link.errors.length > 0) parts.push(`URL: ${link.errors.join('; ')} (${when === 'load' ? 'defaults used' : 'left as it was'})`);
  if (link.notes.length > 0) parts.push(`Link: ${link.notes.join('; ')}`);
  if (parts.length === 0) return undefined;
  return { kind: link.errors.length > 0 ? 'error' : 'info', text: parts.join('. ') };
}

/**
 * Apply a read link to the engine (see the header). Returns the link's own message for the caller
 * to say after the engine's (the UI words the engine's events: src/ui/messages.ts).
 */
export function applyLink(engine: LinkSink, link: Link, when: 'load' | 'edit'): { kind: 'error' | 'info'; text: string } | undefined {
  const before = engine.getSnapshot();
  const c = link.config;
  const runsBefore: RunSpec[] = before.runs.slice(1).map((r) => ({ method: r.method, params: r.params, ...(r.ownStepSize !== undefined ? { stepSize: r.ownStepSize } : {}) }));
  const runsAfter = linkedRuns(link, runsBefore);
  const runsChange = specKey(runsAfter) !== specKey(runsBefore);
  // a shipped model (gen=<id>) is the page's choice 'shipped:<id>' (src/ui/generator/useGenerator.ts)
  const generator = link.generator === undefined || link.generator === 'none' ? undefined : `shipped:${link.generator}`;
  const generatorChange = link.setsGenerator && generator !== before.generator;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const runChanges =
    !same({ ...c, target: { ...c.target, cloud: undefined }, domain: c.domain ?? 'plane' }, { ...before.config, target: { ...before.config.target, cloud: undefined }, domain: before.config.domain ?? 'plane' }) ||
    c.target.cloud !== before.config.target.cloud ||
    runsChange ||
    (link.backend !== undefined && link.backend !== before.backendKind);
  // the earlier state's message goes with it (a link that changes nothing leaves e.g. a blow-up's message)
  if (runChanges) engine.dismissMessage();
  if (runsChange) engine.setRuns([]);
  engine.configure({ method: c.method, params: c.params, target: c.target, n: c.n, stepSize: c.stepSize, seed: c.seed, domain: c.domain ?? 'plane' });
  if (runsChange) engine.setRuns(runsAfter);
  if (generatorChange) engine.setGenerator(generator);
  // absent (older links, partial hashes): the page's backend and recording stay as they are
  if (link.every !== undefined) engine.setRecordEvery(link.every);
  if (link.backend !== undefined && link.backend !== engine.getSnapshot().backendKind) void engine.setBackend(link.backend);
  return linkMessage(link, when);
}

/**
 * The words on screen for what the engine reports (src/engine/events.ts). The engine says what
 * happened as data (kind, field, reason); here it becomes a sentence that names the control the
 * user touched, counts components from 1 as the panel does, never repeats a label ("Bandwidth:
 * bandwidth: ..."), and says what happens next (the run kept, split view off, press Reset).
 */
import type { ConfigProblem, EngineEvent, EngineMessage } from '../engine/events';
import type { Engine, EngineSnapshot } from '../engine/Engine';
import { getMethod } from '../methods/registry';
import { ParamError } from '../core/params';

function methodLabel(id: string): string {
  try {
    return getMethod(id).label;
  } catch {
    return id;
  }
}

function capitalise(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** UI names of RunConfig fields, so messages name the control the user touched. */
export function fieldLabel(field: string, method: string): string {
  if (field === 'n') return 'Particles';
  if (field === 'stepSize') return 'Step size';
  if (field === 'seed') return 'Seed';
  if (field === 'method') return 'Method';
  if (field === 'domain') return 'Domain';
  if (field === 'targetSamples') return 'Target samples';
  if (field === 'init') return 'Initial positions';
  if (field.startsWith('params.')) {
    const name = field.slice('params.'.length);
    try {
      return capitalise(getMethod(method).params.find((p) => p.name === name)?.label ?? name);
    } catch {
      return capitalise(name);
    }
  }
  if (field.startsWith('target')) return field === 'target' ? 'Target' : `Target ${field.slice('target.'.length)}`;
  return capitalise(field);
}

const COMPONENT_PART: Record<string, string> = { weight: 'weight', cov: 'covariance', std: 'spread', mean: 'mean' };

/** 'components[1].weight' -> 'Component 2 weight' (the panel counts from 1). */
export function componentNumbering(text: string): string {
  return text.replace(/components\[(\d+)\](?:\.(\w+))?/g, (_, k: string, part: string | undefined) => {
    const name = `Component ${Number(k) + 1}`;
    return part ? `${name} ${COMPONENT_PART[part] ?? part}` : name;
  });
}

/**
 * The validator's reason without the prefixes the label already says: the method id ('svgd: '),
 * the target ('target mixture: '), the parameter's own name ('bandwidth: ', 'components: ').
 */
export function plainReason(reason: string, names: readonly string[]): string {
  let r = reason.trim();
  for (;;) {
    const m = /^(target [\w-]+|[\w-]+): /.exec(r);
    if (!m?.[1]) break;
    const head = m[1];
    if (!(head.startsWith('target ') || names.includes(head))) break;
    r = r.slice(m[0].length);
  }
  return r;
}

/** "Field: reason", with the field as the UI names it and no repeated label. */
export function problemText(p: ConfigProblem): string {
  const name = p.field.includes('.') ? p.field.slice(p.field.lastIndexOf('.') + 1) : p.field;
  const reason = plainReason(p.reason, [p.method, name, 'components']);
  if (/^components\[\d+\]/.test(reason)) return componentNumbering(reason);
  if (p.field === '') return componentNumbering(reason);
  return `${fieldLabel(p.field, p.method)}: ${componentNumbering(reason)}`;
}

/** A thrown error from a control (a ParamError of a parameter labelled `label`): "Label: reason", once. */
export function paramErrorText(label: string, e: unknown): string {
  if (e instanceof ParamError) return `${label}: ${componentNumbering(plainReason(e.message, [e.param, label.toLowerCase()]))}`;
  return `${label}: ${e instanceof Error ? e.message : String(e)}`;
}

/** The old Engine export: a thrown config error as "Field: reason". */
export function describeConfigError(e: unknown, method: string): string {
  if (e instanceof Error && 'field' in e && typeof e.field === 'string') return problemText({ field: e.field, reason: e.message, method });
  return e instanceof Error ? e.message : String(e);
}

const CHANGED: Record<string, string> = { stepSize: 'step size', n: 'particles', target: 'target', method: 'method', params: 'parameters', seed: 'seed', domain: 'domain', targetSamples: 'target samples' };

/** The name of run `index` (0 the main run; 1 "second", 2 "third", 3 "fourth"). */
export function runName(index: number): string {
  return ['main', 'second', 'third', 'fourth'][index] ?? `run ${index + 1}`;
}

/** How a compared run's message starts: "Compare with X" for run 1 (as before runs[]), "Third run X" for the others. */
function comparedHead(index: number | undefined, method: string): string {
  return index !== undefined && index >= 2 ? `${runName(index).replace(/^./, (c) => c.toUpperCase())} run ${methodLabel(method)}` : `Compare with ${methodLabel(method)}`;
}

export function eventText(e: EngineEvent): string {
  switch (e.type) {
    case 'config-rejected': {
      const what = problemText(e.problem);
      switch (e.during) {
        case 'start':
          return `${what} — check the URL parameters, then enter a valid value`;
        case 'configure':
          return `${what} — the previous run keeps going`;
        case 'revive':
          return `${what} — no run yet: enter a valid value`;
        case 'reset':
          return what;
        case 'backend':
          return `${what} — staying on the ${e.backend === 'gpu' ? 'GPU' : 'CPU'} engine`;
        case 'recovery':
          return `GPU device lost; a new run failed: ${what}`;
      }
      return what;
    }
    case 'gpu-unavailable':
      return `WebGPU unavailable (${e.reason}): running on the CPU engine (float64)`;
    case 'diverged': {
      const cause = e.reason ?? (e.cause === 'nan' ? 'NaN' : `|x| > ${e.limit.toExponential(0)}`);
      const which = e.run !== 'compare' ? 'the particles' : e.index !== undefined && e.index >= 2 ? `the ${runName(e.index)} run’s particles` : 'the compared run’s particles';
      return `Paused: ${which} diverged (${cause} at step ${e.step}) — lower the step size (a new run starts) or press Reset`;
    }
    case 'blocked-after-divergence':
      return `The particles diverged at step ${e.step}: Play would only continue from the blown-up positions. Press Reset or lower the step size (either starts a new run)`;
    case 'restarted':
      return `${e.after === 'divergence' ? 'The particles had diverged' : 'There was no run'}: a new run started with the new ${e.changed.map((k) => CHANGED[k] ?? k).join(', ')}`;
    case 'step-failed':
      return `Paused: step failed (${e.reason})`;
    case 'device-lost': {
      const where = e.recoveredOn === 'gpu' ? 'a new device' : 'the CPU engine';
      const main =
        e.fromStep !== undefined
          ? `GPU device lost (${e.reason}) — recovered on ${where} from the snapshot at step ${e.fromStep}`
          : `GPU device lost (${e.reason}) — recovered on ${where}; no snapshot yet, so the run was reset`;
      // every compared run says what happened to it too (restored, or started over)
      const runs = (e.runs ?? []).map((r, i) =>
        `${runName(i + 1)} run (${methodLabel(r.method)}) ${r.fromStep !== undefined ? `restored from step ${r.fromStep}` : 'had no snapshot: restarted from step 0'}`,
      );
      return runs.length > 0 ? `${main}; ${runs.join('; ')}` : main;
    }
    case 'recording-stopped':
      return `Recording stopped at ${e.frames} frames (the ${Math.round(e.limitBytes / 2 ** 20)} MB limit); export them now`;
    case 'compare-rejected':
      return `${comparedHead(e.index, e.method)}: ${problemText(e.problem)} — ${e.index !== undefined ? 'that run is off' : 'split view off'}`;
    case 'compare-identical':
      return `${comparedHead(e.index, e.method)}: the same method with the same parameters would draw the main run twice — pick another method, or pick it under Second run while the split view is on and change one of its parameters`;
    case 'compare-switched':
      return `${e.index !== undefined ? `${runName(e.index).replace(/^./, (c) => c.toUpperCase())} run` : 'Compared run'}: ${methodLabel(e.from)} ${e.problem.field === 'compare' ? 'would now be identical to the main run' : e.problem.field === 'target' ? 'cannot run on this target' : `cannot run here (${problemText(e.problem)})`}, so it now runs ${methodLabel(e.to)}`;
    case 'compare-off':
      return `${comparedHead(e.index, e.method)}: ${e.problem.field === 'compare' ? 'now identical to the main run' : problemText(e.problem)} — ${e.index !== undefined ? 'that run is off' : 'split view off'}`;
    case 'runs-full':
      return `At most ${e.max} runs side by side: remove a compared run first`;
  }
}

/** What the message bar shows: the engine's event worded here, or the UI's own text. */
export function messageText(m: EngineMessage): string {
  return m.event ? eventText(m.event) : m.text;
}

/** A blow-up (or Play refused after one): the message offers "Use the default step size" (App.tsx). */
export function divergedMessage(m: EngineMessage | undefined): boolean {
  return m?.event?.type === 'diverged' || m?.event?.type === 'blocked-after-divergence';
}

/**
 * Say a link's own message (src/state/link.ts applyLink) after the engine's: when the engine said
 * something while the link was applied (a refusal, a restart), both are shown, the link's first.
 */
export function sayLink(engine: Pick<Engine, 'getSnapshot' | 'say'>, msg: { kind: 'error' | 'info'; text: string } | undefined): void {
  if (!msg) return;
  const m = engine.getSnapshot().message;
  if (!m) engine.say(msg.kind, msg.text);
  else engine.say(msg.kind === 'error' || m.kind === 'error' ? 'error' : msg.kind === 'info' && m.kind === 'warning' ? 'warning' : msg.kind, `${msg.text}. ${messageText(m)}`);
}

/** The persistent notice line (e.g. no WebGPU). */
export function noticeText(snap: Pick<EngineSnapshot, 'notice' | 'noticeEvent'>): string | undefined {
  if (snap.noticeEvent?.type === 'gpu-unavailable') return 'WebGPU unavailable: running on the CPU engine (float64)';
  return snap.notice;
}

// ---------------------------------------------------------------- "Distill now" (src/ui/generator/DistillControls.tsx)
function short(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toExponential(2)) : '—';
}

/** The progress line: step, steps, the batch's S_eps (the W-Flow loss) and the time so far. */
export function distillProgressText(p: { step: number; steps: number; loss: number; elapsedMs: number }): string {
  return `Distilling: step ${p.step} of ${p.steps} · loss S_ε ${short(p.loss)} · ${(p.elapsedMs / 1000).toFixed(1)} s (the flow keeps running)`;
}

/** The end of a distill: what was trained, how long it took, and how far it moved towards the target. */
export function distillDoneText(c: { target: string; steps: number; wallMs: number; energy: number; energyInit: number; heldOutPoints: number }): string {
  return `Distilled W-Flow on ${c.target}: ${c.steps} steps in ${(c.wallMs / 1000).toFixed(1)} s; energy distance to ${c.heldOutPoints} held-out target samples ${short(c.energyInit)} (untrained) → ${short(c.energy)}`;
}

export function distillCancelledText(step: number, steps: number): string {
  return `Distill cancelled at step ${step} of ${steps}; no model was made. The flow kept running.`;
}

/** A distill that could not start or failed: the target's reason (e.g. no samples) as it is. */
export function distillErrorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return `Distill failed: ${m}`;
}

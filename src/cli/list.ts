/** `wgf list [--json]`: every method and target with its parameters (and its default step size rule), and the live metrics. */
import { methods } from '../methods/registry';
import { metrics } from '../metrics/registry';
import type { MetricDef, MetricFacts } from '../metrics/types';
import type { ParamSpec } from '../core/params';
import { targets } from '../targets/registry';
import { CliError, parseFlags } from './args';
import { LIMITS_TEXT } from './limits';
import { CONSTANTS, FORMULA_GRAMMAR, FUNCTIONS, MAX_FORMULA_LENGTH, MAX_NESTING, MAX_PARAMS } from '../formula/grammar';

/** The operators of the formula grammar (src/formula/grammar.ts), for `wgf list --json`. */
const FORMULA_OPERATORS = ['+', '-', '*', '/', '^', 'unary -', '( )', 'implicit product'];

/** The targets typed as formulas (TargetDef.paramsFor), by registry data: their ids and text parameters. */
function formulaTargets(): { id: string; texts: string[] }[] {
  return targets.filter((t) => t.paramsFor !== undefined).map((t) => ({ id: t.id, texts: t.params.filter((p) => p.kind === 'json').map((p) => p.name) }));
}

/** Each fact of MetricFacts, its two values in words. */
const FACT_WORDS: { key: keyof MetricFacts; values: readonly [MetricFacts[keyof MetricFacts], string][] }[] = [
  { key: 'domain', values: [['plane', 'plane'], ['torus', 'torus']] },
  { key: 'landscape', values: [[false, 'not a landscape'], [true, 'an energy landscape']] },
  { key: 'sampleOnly', values: [[false, 'the target has a density'], [true, 'the target is known by samples only']] },
  { key: 'hasSamples', values: [[true, 'target samples available'], [false, 'no target samples']] },
  { key: 'sampleBased', values: [[false, 'a score-based method'], [true, 'a sample-based method']] },
];

/**
 * When a metric applies, in words, read off its appliesTo (the one rule metricPlan uses) over every
 * combination of the facts: the fewest conjunctions of facts that cover exactly the combinations where
 * it holds (prime implicants, greedy cover), e.g. 'plane, a target (not a landscape), the target has a density'.
 */
export function appliesInWords(def: Pick<MetricDef, 'appliesTo'>): string {
  type Cube = (number | undefined)[];
  const dims = FACT_WORDS.length;
  const facts = (pick: readonly number[]): MetricFacts =>
    Object.fromEntries(FACT_WORDS.map((f, i) => [f.key, f.values[pick[i] ?? 0]?.[0]])) as unknown as MetricFacts;
  const all: number[][] = [];
  for (let k = 0; k < 2 ** dims; k++) all.push(Array.from({ length: dims }, (_, i) => (k >> i) & 1));
  const on = all.filter((p) => def.appliesTo(facts(p)));
  if (on.length === all.length) return 'every run';
  if (on.length === 0) return 'no run';
  const covers = (c: Cube, p: readonly number[]): boolean => c.every((v, i) => v === undefined || v === p[i]);
  const cubes: Cube[] = [];
  for (let k = 0; k < 3 ** dims; k++) cubes.push(Array.from({ length: dims }, (_, i) => [0, 1, undefined][Math.floor(k / 3 ** i) % 3]));
  const implicants = cubes.filter((c) => all.every((p) => !covers(c, p) || on.includes(p)));
  const free = (c: Cube): number => c.filter((v) => v === undefined).length;
  const prime = implicants.filter((c) => !implicants.some((d) => d !== c && free(d) > free(c) && c.every((v, i) => d[i] === undefined || d[i] === v)));
  const chosen: Cube[] = [];
  let left = on;
  while (left.length > 0) {
    const best = prime.reduce((a, b) => (left.filter((p) => covers(b, p)).length > left.filter((p) => covers(a, p)).length ? b : a));
    chosen.push(best);
    left = left.filter((p) => !covers(best, p));
  }
  const words = chosen.map((c) => c.flatMap((v, i) => (v === undefined ? [] : [FACT_WORDS[i]?.values[v]?.[1] ?? ''])).join(', '));
  return words.length === 1 ? (words[0] ?? '') : words.map((w) => `(${w})`).join(' or ');
}

/** The registry's metrics for `wgf list`: id, label, what it measures and when it applies. */
function metricRows(): { id: string; label: string; description: string; appliesTo: string }[] {
  return metrics.map((d) => ({ id: d.id, label: d.label, description: d.plot.what, appliesTo: appliesInWords(d) }));
}

function fmtDefault(spec: ParamSpec): string {
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}

function fmtRange(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number': {
      // counts (step 1: iterations, inner, k, m, grid, ...) take integers only
      const range = `${spec.step === 1 && Number.isInteger(spec.min ?? 0) ? 'integer ' : ''}[${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]`;
      return spec.alsoAccept?.length ? `${range} or ${spec.alsoAccept.join('|')}` : range;
    }
    case 'enum':
      return (spec.options ?? []).join('|');
    case 'vector':
      return spec.length !== undefined ? `${spec.length} numbers` : 'numbers';
    case 'boolean':
      return 'true|false';
    case 'json':
      return 'JSON';
  }
}

/** `wgf list`: every method and target with its parameters. */
export function listText(): string {
  const lines: string[] = [];
  const section = (title: string, defs: readonly { id: string; label: string; description: string; params: ParamSpec[] }[]): void => {
    lines.push(`${title}:`);
    for (const d of defs) {
      lines.push(`  ${d.id.padEnd(10)} ${d.label}: ${d.description}`);
      if (d.params.length === 0) lines.push('      (no parameters)');
      for (const p of d.params) {
        // Long defaults (JSON) go on a line of their own so the columns stay aligned.
        const def = fmtDefault(p);
        const shown = def.length <= 10 ? def : '(below)';
        lines.push(`      ${p.name.padEnd(12)} ${p.kind.padEnd(8)} default ${shown.padEnd(10)} ${fmtRange(p).padEnd(22)} ${p.description}`);
        if (shown !== def) lines.push(`${' '.repeat(19)}default: ${def}`);
      }
    }
  };
  section('methods', methods);
  lines.push('');
  section('targets', targets);
  lines.push('', 'metrics (in wgf run\'s "metrics", on the final positions):');
  for (const m of metricRows()) {
    lines.push(`  ${m.id.padEnd(10)} ${m.label}: ${m.description}`);
    lines.push(`      applies to: ${m.appliesTo}`);
  }
  lines.push('', 'Set parameters with --param NAME=VALUE (vectors: comma-separated, e.g. --param mean=1,2).');
  const typed = formulaTargets();
  if (typed.length > 0) {
    lines.push('', 'formula grammar (targets typed as formulas):');
    for (const t of typed) lines.push(`  --target ${t.id} ${t.texts.map((n) => `--param '${n}=EXPR'`).join(' ')}`);
    lines.push(...FORMULA_GRAMMAR.split('\n').map((l) => `  ${l}`));
    lines.push("  The formula's parameters (other names) are set like any other: --param NAME=VALUE (a number).");
  }
  lines.push('', LIMITS_TEXT.trimEnd());
  return `${lines.join('\n')}\n`;
}

export function listJson(): string {
  const strip = (defs: readonly { id: string; label: string; description: string; params: ParamSpec[] }[]): object[] =>
    defs.map(({ id, label, description, params }) => ({ id, label, description, params }));
  const formula = {
    targets: formulaTargets(),
    functions: Object.entries(FUNCTIONS).map(([name, [min, max]]) => ({ name, minArgs: min, maxArgs: max === Infinity ? null : max })),
    operators: FORMULA_OPERATORS,
    constants: Object.keys(CONSTANTS),
    variables: ['x', 'y'],
    limits: { length: MAX_FORMULA_LENGTH, nesting: MAX_NESTING, params: MAX_PARAMS },
    grammar: FORMULA_GRAMMAR,
  };
  return `${JSON.stringify({ methods: strip(methods), targets: strip(targets), formula, metrics: metricRows() })}\n`;
}

/** `wgf list [--json]`; returns the exit code. */
export function listCommand(argv: readonly string[], io: { out: (text: string) => void }): number {
  let flags;
  try {
    flags = parseFlags(argv, { json: { type: 'boolean' } }, { seeHelp: 'wgf --help' });
  } catch (e) {
    const extra = argv.find((a) => a !== '--json') ?? '';
    throw e instanceof CliError ? new CliError(`list: unexpected argument '${extra}'`) : e;
  }
  if (flags.help) throw new CliError("list: unexpected argument '--help'");
  io.out(flags.flags.has('json') ? listJson() : listText());
  return 0;
}

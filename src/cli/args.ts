/**
 * The one command-line parser of `wgf` (run, list, sinkhorn) and its one error class. Tokens come
 * from Node's util.parseArgs (non-strict, so every message is ours and names the argument); the
 * checks follow the README's CLI contract: `--name value` and `--name=value` both work, a value
 * may start with one dash (`--seed -1` is refused by its range, not as a missing value), a value
 * flag given twice is an error unless it repeats (`--param`), `--help`/`-h` asks for the usage.
 */
import { parseArgs } from 'node:util';

/** A bad command line: one line `<prefix>: <message>` on stderr, exit code 2. */
export class CliError extends Error {
  /** prefix: 'wgf', or 'wgf sinkhorn' for the sinkhorn command. */
  constructor(message: string, readonly prefix: string = 'wgf') {
    super(message);
    this.name = 'CliError';
  }
}

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** string flags: may be given several times (values kept in order). */
  multiple?: boolean;
}

export interface ParseOptions {
  /** Accept positional arguments (else each is refused). */
  positionals?: boolean;
  /** How to say where the usage is, e.g. 'wgf --help'. */
  seeHelp: string;
  /** Return at the first --help/-h without looking at the rest (else the whole line is checked first). */
  helpStops?: boolean;
  /** CliError prefix. */
  prefix?: string;
}

export interface ParsedFlags {
  /** Last (only) value of each single string flag given. */
  values: Map<string, string>;
  /** Values of the repeatable string flags, in order. */
  lists: Map<string, string[]>;
  /** Boolean flags given. */
  flags: Set<string>;
  positionals: string[];
  help: boolean;
}

/** Split argv by `spec`; throws CliError naming the argument. */
export function parseFlags(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>, opts: ParseOptions): ParsedFlags {
  const prefix = opts.prefix ?? 'wgf';
  const fail = (message: string): never => {
    throw new CliError(message, prefix);
  };
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(spec)) options[name] = { type: s.type, multiple: true };
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedFlags = { values: new Map(), lists: new Map(), flags: new Set(), positionals: [], help: false };
  for (const token of tokens) {
    const raw = argv[token.index] ?? '';
    if (token.kind === 'option-terminator') fail(`unknown option '--' (see ${opts.seeHelp})`);
    if (token.kind === 'positional') {
      if (!opts.positionals) fail(`unexpected argument '${raw}' (options start with --)`);
      out.positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    if (!token.rawName.startsWith('--')) {
      if (token.rawName === '-h' && raw === '-h') {
        out.help = true;
        if (opts.helpStops) return out;
        continue;
      }
      fail(`unexpected argument '${raw}' (options start with --)`);
    }
    const { name } = token;
    if (name === 'help' && !Object.hasOwn(spec, 'help')) {
      if (token.inlineValue) fail('--help takes no value');
      out.help = true;
      if (opts.helpStops) return out;
      continue;
    }
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (s === undefined || name === '') fail(`unknown option '--${name}' (see ${opts.seeHelp})`);
    else if (s.type === 'boolean') {
      if (token.inlineValue) fail(`--${name} takes no value`);
      out.flags.add(name);
    } else {
      const value = token.value;
      if (value === undefined || (!token.inlineValue && value.startsWith('--'))) fail(`--${name} needs a value`);
      else if (s.multiple) out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
      else if (out.values.has(name)) fail(`--${name} given twice`);
      else out.values.set(name, value);
    }
  }
  return out;
}

/** An integer flag >= min (undefined when absent). */
export function integerFlag(name: string, raw: string | undefined, min: number, prefix = 'wgf'): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new CliError(`--${name} must be an integer >= ${min}, got '${raw}'`, prefix);
  return v;
}

/** A finite number flag passing `check` (undefined when absent); `what` says what was expected. */
export function numberFlag(name: string, raw: string | undefined, check: (v: number) => boolean, what: string, prefix = 'wgf'): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new CliError(`--${name} must be ${what}, got '${raw}'`, prefix);
  return v;
}

/** One of `choices` (undefined when absent). */
export function choiceFlag<T extends string>(name: string, raw: string | undefined, choices: readonly T[], prefix = 'wgf'): T | undefined {
  if (raw === undefined) return undefined;
  const hit = choices.find((c) => c === raw);
  if (hit === undefined) throw new CliError(`--${name} must be ${choices.slice(0, -1).join(', ')}${choices.length > 1 ? ' or ' : ''}${choices[choices.length - 1] ?? ''}, got '${raw}'`, prefix);
  return hit;
}

/** The message of any error, on one line. */
export function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Issue 18 item 1: no method, target or metric id is written in ui/, engine/, render/, state/ or
 * cli/ code. Those folders ask the registries (src/methods/registry.ts, src/targets/registry.ts,
 * src/metrics/registry.ts) and what a def declares (MethodDef.needs, TargetDef.data / editor,
 * MetricDef), so a method, target or metric is its own files plus one registry line.
 *
 * The check reads every non-test .ts / .tsx file under those folders, drops comments, and fails on
 * any string literal ('...', "...", `...` without ${}) whose whole text is a registered id, naming
 * file:line. The exceptions are listed below, each with the reason it is not an id use; an exception
 * that no longer matches anything fails too (the list stays honest).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../methods/registry';
import { metrics } from '../metrics/registry';
import { allTargets } from '../targets/registry';

const ROOT = join(__dirname, '..', '..');
const SCANNED = ['src/ui', 'src/engine', 'src/render', 'src/state', 'src/cli'];

interface Literal {
  value: string;
  line: number;
}

/**
 * The string literals of TypeScript / TSX source, comments skipped: quoted strings, and template
 * literals without interpolation (the text of one with ${...} is never a bare id). A quote right after
 * a letter, or one that does not close on its line, is an apostrophe in JSX text, not a string.
 * Regular expression literals are skipped where a '/' cannot be a division.
 */
export function stringLiterals(src: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  let line = 1;
  let prev = ''; // the last significant character of code (for telling a regex from a division)
  let word = ''; // the last identifier-like word of code
  // template nesting: each entry is the brace depth of the ${ } expression we are inside
  const templates: number[] = [];
  let depth = 0;
  const n = src.length;
  const regexCanStart = (): boolean => prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || ['return', 'typeof', 'case', 'in', 'of', 'void', 'yield', 'await'].includes(word);
  const readTemplate = (resumed: boolean): void => {
    // at the char after an opening backtick, or (resumed) after the } closing an interpolation
    const startLine = line;
    let text = '';
    const plain = !resumed;
    while (i < n) {
      const c = src[i] ?? '';
      if (c === '\\') {
        text += src.slice(i, i + 2);
        if (src[i + 1] === '\n') line++;
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        if (plain) out.push({ value: text, line: startLine });
        prev = 'x';
        word = '';
        return;
      }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        templates.push(depth);
        depth++;
        prev = '{';
        word = '';
        return;
      }
      if (c === '\n') line++;
      text += c;
      i++;
    }
  };
  while (i < n) {
    const c = src[i] ?? '';
    const d = src[i + 1] ?? '';
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '/' && d === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
      continue;
    }
    // a quote right after a letter is an apostrophe in text (JSX "It's", "the runs' panes"), not a string
    if ((c === "'" || c === '"') && !/[A-Za-z0-9]/.test(src[i - 1] ?? '')) {
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n && src[j] !== '\n') {
        const e = src[j] ?? '';
        if (e === '\\') {
          value += src[j + 1] ?? '';
          j += 2;
          continue;
        }
        if (e === c) {
          closed = true;
          break;
        }
        value += e;
        j++;
      }
      if (closed) {
        out.push({ value, line });
        i = j + 1;
        prev = 'x';
        word = '';
      } else {
        i++; // an apostrophe in text, not a string
      }
      continue;
    }
    if (c === '`') {
      i++;
      readTemplate(false);
      continue;
    }
    if (c === '/' && regexCanStart()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== '\n') {
        const e = src[j] ?? '';
        if (e === '\\') {
          j += 2;
          continue;
        }
        if (e === '[') inClass = true;
        else if (e === ']') inClass = false;
        else if (e === '/' && !inClass) break;
        j++;
      }
      if (src[j] === '/') {
        i = j + 1;
        prev = 'x';
        word = '';
        continue;
      }
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        i++;
        readTemplate(true);
        continue;
      }
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_$]/.test(src[j] ?? '')) j++;
      word = src.slice(i, j);
      prev = 'x';
      i = j;
      continue;
    }
    prev = c;
    word = '';
    i++;
  }
  return out;
}

interface Allowed {
  /** Path from the repository root, or a pattern of paths. */
  file: string | RegExp;
  id: string;
  /** The offending line must match this (the use it allows, e.g. `kind: 'gaussian'`). */
  line: RegExp;
  reason: string;
}

/**
 * Every exception, with why the literal is not a method, target or metric id use. (Presets' data,
 * src/state/presets.ts, needs none: each preset is a link hash, 'method=svgd&target=banana&...', read
 * by the link reader like any link; no literal there is a bare id.)
 */
const ALLOWED: Allowed[] = [
  {
    file: /./,
    id: 'gaussian',
    line: /\bkind(: | === | !== )'gaussian'/,
    reason: "the initial state's kind (InitSpec {kind: 'gaussian', mean, std}: an i.i.d. normal start), not the target",
  },
  {
    file: 'src/cli/run.ts',
    id: 'gaussian',
    line: /values\.get\('init'\) \?\? 'gaussian'|init === 'gaussian'/,
    reason: "the CLI's --init gaussian (the N(0, I) start), not the target",
  },
  {
    file: 'src/cli/main.ts',
    id: 'sinkhorn',
    line: /case 'sinkhorn':/,
    reason: 'the CLI command `wgf sinkhorn A B` (issue 11), not the metric',
  },
  {
    file: 'src/engine/divergence.ts',
    id: 'energy',
    line: /DivergenceCause = |cause: 'energy'/,
    reason: "a divergence cause (the landscape energy F rose), not the 'energy' distance metric",
  },
];

function matches(a: Allowed, file: string, id: string, text: string): boolean {
  const fileOk = typeof a.file === 'string' ? a.file === file : a.file.test(file);
  return fileOk && (a.id === '*' || a.id === id) && a.line.test(text);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const methodIds = methods.map((m) => m.id);
const targetIds = allTargets.map((t) => t.id);
const metricIds = metrics.map((m) => m.id);
const kindOf = new Map<string, string>([...metricIds.map((id): [string, string] => [id, 'metric']), ...targetIds.map((id): [string, string] => [id, 'target']), ...methodIds.map((id): [string, string] => [id, 'method'])]);

describe('no method, target or metric id in ui/, engine/, render/, state/, cli/ (issue 18)', () => {
  it('the scanner finds quoted literals and skips comments, regexes and apostrophes in text', () => {
    const src = [
      "const a = 'x'; // 'no1'",
      '/* \'no2\' */ const b = "y";',
      'const t = `z`, u = `${a}w`, r = /\'no3\'/;',
      "<p>It's here</p> { k: 'v' }",
      'const nested = `a${`q`}b`;',
    ].join('\n');
    const lits = stringLiterals(src);
    expect(lits.map((l) => l.value)).toEqual(['x', 'y', 'z', 'v', 'q']);
    expect(lits.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the registries give the ids it looks for (the file cloud included)', () => {
    expect(methodIds.length).toBeGreaterThanOrEqual(10);
    expect(targetIds).toContain('cloud');
    expect(targetIds.length).toBeGreaterThanOrEqual(20);
    expect(metricIds.length).toBeGreaterThanOrEqual(5);
  });

  it('every exception says why', () => {
    for (const a of ALLOWED) expect(a.reason.length, String(a.file)).toBeGreaterThan(20);
  });

  const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).map((p) => relative(ROOT, p).split('\\').join('/'));

  it(`reads the files (${files.length} under ${SCANNED.join(', ')})`, () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('src/ui/CanvasView.tsx');
  });

  it('no id appears as a string literal outside the listed exceptions', () => {
    const offences: string[] = [];
    const used = new Set<Allowed>();
    for (const file of files) {
      const src = readFileSync(join(ROOT, file), 'utf8');
      const lines = src.split('\n');
      for (const lit of stringLiterals(src)) {
        const kind = kindOf.get(lit.value);
        if (!kind) continue;
        const text = lines[lit.line - 1] ?? '';
        const allowed = ALLOWED.find((a) => matches(a, file, lit.value, text));
        if (allowed) {
          used.add(allowed);
          continue;
        }
        offences.push(`${file}:${lit.line}: ${kind} id '${lit.value}': ${text.trim().slice(0, 140)}`);
      }
    }
    // stale: exceptions that no longer match anything (remove them)
    const stale = ALLOWED.filter((a) => !used.has(a)).map((a) => `${String(a.file)} '${a.id}'`);
    expect({ offences, stale }, `ask the registry instead of writing the id:\n${offences.join('\n')}`).toEqual({ offences: [], stale: [] });
  });
});

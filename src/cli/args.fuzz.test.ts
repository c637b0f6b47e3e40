/**
 * Property-based test of the one CLI parser (fast-check, seeded): random argument vectors for
 * `wgf run` and `wgf sinkhorn` (known and unknown flags, `--f v` and `--f=v`, valid values, values
 * of the wrong kind, garbage strings, stray positionals, `-h`, `--`). Each vector either parses to a
 * valid run configuration (checked field by field, method and target parameters resolved against
 * their ParamSpecs) or is refused with a CliError whose one-line message names the argument; no
 * other exception escapes. No file is read: parsing is pure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { methods, getMethod } from '../methods/registry';
import { resolveParams } from '../core/params';
import { getTarget, targets } from '../targets/registry';
import { CliError } from './args';
import { parseRunArgs, type RunArgs } from './run';
import { parseSinkhornArgs } from './sinkhorn';

const RUNS = 3000;
const SEED = 20261124;

const garbage = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '-', '--', '-1', '1e400', 'NaN', 'Infinity', '0x10', '1.5', '2^3', '=', '==', 'a=b=c', '\u00e9', '\n'));
const number = fc.oneof(fc.integer({ min: -5, max: 5000 }).map(String), fc.double({ noNaN: false }).map(String), fc.constantFrom('0', '1', '100', '1e-3', '0.05', '-0.1', '4294967296'));
const ids = fc.constantFrom(...methods.map((m) => m.id), ...targets.map((t) => t.id), 'cloud', 'nope');
const paramPairs = fc.oneof(
  fc.constantFrom('mala=true', 'mala=maybe', 'bandwidth=median', 'bandwidth=0.3', 'bandwidth=wide', 'kernel=riesz', 'kernel=imq', 'kernel=energy', 'method.kernel=rbf',
    'target.mean=1,2', 'mean=1', 'cov=2,0.5,0.5,1', 'components=[]', 'components=not json', 'std=0.1', 'p=3', 'blur=0.05', 'nope=1', '=1', 'mala'),
  fc.tuple(garbage, garbage).map(([a, b]) => `${a}=${b}`),
);

const runFlag = fc.constantFrom('target', 'target-file', 'method', 'n', 'steps', 'every', 'step-size', 'seed', 'backend', 'param', 'init', 'out', 'domain', 'target-samples', 'bogus', 'help', 'json');
const valueFor = (flag: string): fc.Arbitrary<string> => {
  switch (flag) {
    case 'target':
    case 'method':
      return fc.oneof(ids, garbage);
    case 'n': case 'steps': case 'every': case 'seed': case 'target-samples': case 'step-size':
      return fc.oneof(number, garbage);
    case 'backend':
      return fc.oneof(fc.constantFrom('gpu', 'cpu', 'tpu'), garbage);
    case 'domain':
      return fc.oneof(fc.constantFrom('plane', 'torus', 'sphere'), garbage);
    case 'param':
      return paramPairs;
    case 'out':
      return fc.oneof(fc.constantFrom('a.npy', 'b.csv', 'c.json', 'd.txt', 'dir/e.NPY'), garbage);
    case 'init': case 'target-file':
      return fc.oneof(fc.constantFrom('gaussian', 'x.npy', 'y.csv'), garbage);
    default:
      return garbage;
  }
};
/** One argument group: `--flag value`, `--flag=value`, a bare flag, a positional, -h, --. */
const group = fc.oneof(
  { weight: 6, arbitrary: runFlag.chain((f) => valueFor(f).map((v) => [`--${f}`, v])) },
  { weight: 3, arbitrary: runFlag.chain((f) => valueFor(f).map((v) => [`--${f}=${v}`])) },
  { weight: 1, arbitrary: runFlag.map((f) => [`--${f}`]) },
  { weight: 1, arbitrary: garbage.map((g) => [g]) },
  { weight: 1, arbitrary: fc.constantFrom(['-h'], ['--'], ['-x'], ['-abc'], ['---n', '3']) },
);
const argv = fc.array(group, { maxLength: 7 }).map((gs) => gs.flat());

/** The fields of a parsed run that must hold for every accepted command line. */
function checkRun(a: RunArgs): void {
  expect(a.n === undefined || (Number.isInteger(a.n) && a.n >= 1)).toBe(true);
  expect(Number.isInteger(a.steps) && a.steps >= 0).toBe(true);
  expect(Number.isInteger(a.every) && a.every >= 1 && a.every <= Math.max(a.steps, 1)).toBe(true);
  expect(Number.isFinite(a.stepSize) && a.stepSize > 0).toBe(true);
  expect(Number.isInteger(a.seed) && a.seed >= 0 && a.seed <= 0xffffffff).toBe(true);
  expect(['gpu', 'cpu']).toContain(a.backend);
  expect(['plane', 'torus']).toContain(a.domain);
  expect(a.targetSamples === undefined || (Number.isInteger(a.targetSamples) && a.targetSamples >= 1)).toBe(true);
  expect(a.init.trim()).not.toBe('');
  expect((a.out === undefined) === (a.format === undefined)).toBe(true);
  const m = getMethod(a.method);
  expect(() => resolveParams(m.params, a.methodParams)).not.toThrow();
  if (a.targetFile !== undefined) {
    expect(a.target).toBe('cloud');
    expect(a.targetParams).toEqual({});
  } else {
    expect(() => resolveParams(getTarget(a.target).params, a.targetParams)).not.toThrow();
  }
}

/** A refusal: a CliError on one line that names the argument (a flag, or the quoted token). */
function checkRefusal(e: unknown, prefix: string): void {
  if (!(e instanceof CliError)) throw e;
  expect(e.prefix).toBe(prefix);
  expect(e.message).toMatch(/--[a-z][a-z-]*|--'|argument '|command|two point files/);
}

describe('CLI argument parser, fuzzed (fast-check, seeded)', () => {
  it(`wgf run: ${RUNS} random argument vectors parse to a valid run or a CliError naming the argument`, () => {
    const counts = { valid: 0, help: 0, refused: 0 };
    fc.assert(
      fc.property(argv, (args) => {
        let parsed: RunArgs | 'help';
        try {
          parsed = parseRunArgs(args);
        } catch (e) {
          checkRefusal(e, 'wgf');
          counts.refused++;
          return;
        }
        if (parsed === 'help') counts.help++;
        else {
          checkRun(parsed);
          counts.valid++;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz: wgf run: ${RUNS} argv vectors: ${counts.valid} valid runs, ${counts.help} help, ${counts.refused} refused with a CliError`);
    expect(counts.valid + counts.help + counts.refused).toBe(RUNS);
    // the generator reaches both sides
    expect(counts.valid).toBeGreaterThan(RUNS / 50);
    expect(counts.refused).toBeGreaterThan(RUNS / 2);
  });

  it(`wgf sinkhorn: ${RUNS} random argument vectors`, () => {
    const flag = fc.constantFrom('blur', 'scaling', 'reach', 'tol', 'check-every', 'max-iter', 'backend', 'no-debias', 'bogus');
    const value = fc.oneof(number, garbage, fc.constantFrom('none', 'gpu', 'cpu'));
    const g = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(flag, value).map(([f, v]) => [`--${f}`, v]) },
      { weight: 2, arbitrary: fc.tuple(flag, value).map(([f, v]) => [`--${f}=${v}`]) },
      { weight: 4, arbitrary: fc.constantFrom(['a.npy'], ['b.csv'], ['a.npy', 'b.csv'], ['--no-debias']) },
      { weight: 1, arbitrary: fc.constantFrom(['-h'], ['--']) },
      { weight: 1, arbitrary: garbage.map((s) => [s]) },
    );
    const counts = { valid: 0, help: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(g, { maxLength: 6 }).map((gs) => gs.flat()), (args) => {
        try {
          const r = parseSinkhornArgs(args);
          if (r === 'help') {
            counts.help++;
            return;
          }
          expect(r.files).toHaveLength(2);
          expect(r.options.blur > 0 && Number.isFinite(r.options.blur)).toBe(true);
          const scaling = r.options.scaling ?? NaN;
          expect(scaling > 0 && scaling < 1).toBe(true);
          expect(r.options.reach === null || (r.options.reach ?? 0) > 0).toBe(true);
          expect(Number.isInteger(r.options.maxIter)).toBe(true);
          counts.valid++;
        } catch (e) {
          checkRefusal(e, 'wgf sinkhorn');
          counts.refused++;
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    console.log(`fuzz: wgf sinkhorn: ${RUNS} argv vectors: ${counts.valid} valid, ${counts.help} help, ${counts.refused} refused with a CliError`);
    expect(counts.valid + counts.help + counts.refused).toBe(RUNS);
    expect(counts.valid).toBeGreaterThan(RUNS / 50);
  });
});

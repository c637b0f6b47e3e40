/**
 * `npm run fuzz:long`: the long budget of the CLI fuzz suite (src/fuzz/cliFuzz.ts; the short one runs
 * in CI as src/fuzz/cli.fuzz.test.ts). Environment:
 *   FUZZ_SEED    seed (default 20261207)
 *   FUZZ_ARGV    argument vectors (default 10000)
 *   FUZZ_FILES   NPY / CSV file cases (default 10000)
 *   FUZZ_ONNX    ONNX mutants (default 2000)
 *   FUZZ_TRAIN   1: include real `wgf train` runs (default 1; ~1-2 s each, 1 in 100 file cases, a few argv)
 *   FUZZ_BUDGET_S  stop each suite after this many seconds (default: none)
 * Prints a report per suite (tried / refused / accepted / failed, the first failures) and exits 1
 * when anything failed.
 */
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, fuzzCli } from '../src/fuzz/cliFuzz';

const env = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? '');
  return Number.isFinite(v) && (process.env[name] ?? '') !== '' ? v : fallback;
};

export async function main(): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const seed = env('FUZZ_SEED', 20_261_207);
  const budget = env('FUZZ_BUDGET_S', 0);
  const o = {
    seed, argv: env('FUZZ_ARGV', 10_000), files: env('FUZZ_FILES', 10_000), onnx: env('FUZZ_ONNX', 2000), train: env('FUZZ_TRAIN', 1) === 1,
    ...(budget > 0 ? { budgetMs: budget * 1000 } : {}),
    log: (r: { suite: string; tried: number; refused: number; accepted: number; failed: number; ms: number }) =>
      void process.stderr.write(`fuzz: ${r.suite}: tried ${r.tried}, refused ${r.refused}, accepted ${r.accepted}, failed ${r.failed} (${(r.ms / 1000).toFixed(1)} s)\n`),
  };
  process.stderr.write(`fuzz:long seed ${seed}: ${o.argv} argv vectors, ${o.files} files, ${o.onnx} ONNX mutants${o.train ? ', with training runs' : ''}\n`);
  const reports = await fuzzCli(root, join(tmpdir(), `wgf-fuzz-long-${process.pid}`), o);
  process.stdout.write(`${formatReport(reports)}\n`);
  return reports.some((r) => r.failed > 0) ? 1 : 0;
}

/**
 * The short CI budget of the CLI fuzz suite (src/fuzz/cliFuzz.ts; the long one: `npm run fuzz:long`):
 * seeded `wgf` argument vectors over every command, NPY / CSV bytes used as each input file, and ONNX
 * mutants of the shipped models through `wgf sample`, all in process. Every case is refused (exit 2,
 * one line naming the command) or accepted (exit 0 with finite numbers that agree with the file the
 * result line names, or exit 3 saying what is non-finite); nothing else (an exception, exit 1, a stack
 * trace, a non-finite number with exit 0, a line that disagrees with its file) passes.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReport, fuzzCli } from './cliFuzz';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('fuzz: the wgf CLI, its input files and ONNX models (short budget)', () => {
  it('1,500 argument vectors, 1,000 point files, 200 ONNX mutants: 0 failures', async () => {
    const reports = await fuzzCli(root, join(tmpdir(), `wgf-fuzz-ci-${process.pid}`), { seed: 20_261_207, argv: 1500, files: 1000, onnx: 200, train: false });
    const text = formatReport(reports);
    console.log(text);
    for (const r of reports) {
      expect(r.failed, text).toBe(0);
      expect(r.refused, r.suite).toBeGreaterThan(0);
      expect(r.accepted, r.suite).toBeGreaterThan(0);
    }
    expect(reports.map((r) => r.tried)).toEqual([1500, 1000, 200]);
  }, 120_000);
});

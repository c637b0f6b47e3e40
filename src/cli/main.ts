/**
 * The `wgf` command (bin/wgf.mjs): dispatch only. `run` (./run.ts), `list` (./list.ts), `sinkhorn`
 * (./sinkhorn.ts), `train` / `sample` (./train.ts, ./sample.ts); flags are split by the one parser
 * of ./args.ts, whose CliError is the one "bad arguments" error.
 *
 * Exit codes: 0 ok, 1 runtime failure (no GPU adapter, I/O error, device lost), 2 bad arguments or a
 * bad input file (named), 3 the run produced non-finite numbers (nothing non-finite leaves with 0),
 * 130 stopped by Ctrl-C. Errors are one line `wgf: <message>` on stderr.
 * Ctrl-C (SIGINT) aborts io.signal: a run stops after its current chunk and keeps what it has; a
 * second Ctrl-C quits at once (exit 130).
 * `main` never calls process.exit: bin/run-ts.mjs exits with the returned code.
 */
import { CliError, oneLine } from './args';
import { listCommand } from './list';
import { parseRunArgs, runCommand, USAGE, type CliIo } from './run';
import { sinkhornCommand } from './sinkhorn';

export { CliError } from './args';
export { parseRunArgs, USAGE, type CliIo, type RunArgs, type RunSummary } from './run';
export { listJson, listText } from './list';

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: process.stderr.isTTY,
  progress: true,
};

/** For the real process: an AbortSignal that Ctrl-C aborts (a second Ctrl-C exits 130 at once). */
function withSigint(io: CliIo): { io: CliIo; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.err('\nwgf: Ctrl-C: stopping after the current step (Ctrl-C again quits at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { io: { ...io, signal: controller.signal }, dispose: () => void process.off('SIGINT', onSigint) };
}

/** Entry point: `wgf <command> [options]`. Returns the exit code. */
export async function main(argv: string[], ioGiven?: CliIo): Promise<number> {
  const sigint = ioGiven === undefined ? withSigint(processIo) : undefined;
  try {
    return await dispatch(argv, sigint?.io ?? ioGiven ?? processIo);
  } finally {
    sigint?.dispose();
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new CliError('missing command: run or list (see wgf --help)');
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case 'list':
        return listCommand(rest, io);
      case 'sinkhorn':
        return await sinkhornCommand(rest, io);
      case 'train':
        return await (await import('./train')).runTrain(rest, io);
      case 'sample':
        return await (await import('./sample')).runSample(rest, io);
      case 'run': {
        const args = parseRunArgs(rest);
        if (args === 'help') {
          io.out(USAGE);
          return 0;
        }
        return await runCommand(args, io);
      }
      default:
        throw new CliError(`unknown command '${command}' (expected run, list or sinkhorn; see wgf --help)`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.prefix}: ${oneLine(e)}\n`);
      return 2;
    }
    io.err(`wgf: ${oneLine(e)}\n`);
    return 1;
  }
}

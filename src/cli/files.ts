/**
 * File access of the `wgf` commands (issue 21): inputs are stat'ed before they are read (a regular
 * file of at most MAX_INPUT_BYTES: `--init /dev/zero` or a FIFO is refused by name, never read into
 * memory), an output path is checked for writability before any computation, and outputs are
 * written to a temporary file beside the target and renamed into place, so an interrupted or failed
 * write never leaves a half file where the result line says the file is (and a reader never sees one).
 */
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './args';
import { fmtInt, MAX_INPUT_BYTES } from './limits';

function reason(e: unknown): string {
  if (e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string') {
    const code = e.code;
    const words: Record<string, string> = {
      ENOENT: 'no such file or directory', EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'is a directory',
      ENOTDIR: 'a part of the path is not a directory', EROFS: 'read-only file system', ENOSPC: 'no space left on device', ENAMETOOLONG: 'file name too long',
      ELOOP: 'too many symbolic links',
    };
    return `${words[code] ?? (e instanceof Error ? e.message : code)} (${code})`;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * The bytes of an input file. `label` names it in messages ('--init', 'A', '--model'); the messages
 * read "<label>: cannot read '<file>': ..." (as before) and "<label> <file>: ...".
 */
export async function readInputFile(file: string, label: string, prefix = 'wgf', maxBytes = MAX_INPUT_BYTES): Promise<Uint8Array> {
  if (file.includes('\0')) throw new CliError(`${label}: cannot read '${file.replace(/\0/g, '\\0')}': the name holds a NUL byte`, prefix);
  let size: number;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new CliError(`${label}: cannot read '${file}': is a directory`, prefix);
    if (!st.isFile()) throw new CliError(`${label}: cannot read '${file}': not a regular file (a device, pipe or socket); give a file`, prefix);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${label}: cannot read '${file}': ${reason(e)}`, prefix);
  }
  if (size > maxBytes) throw new CliError(`${label} ${file}: ${fmtInt(size)} bytes, over the ${fmtInt(maxBytes)}-byte limit for input files`, prefix);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CliError(`${label}: cannot read '${file}': ${reason(e)}`, prefix);
  }
  if (bytes.length > maxBytes) throw new CliError(`${label} ${file}: over the ${fmtInt(maxBytes)}-byte limit for input files`, prefix);
  return bytes;
}

/** ENOENT? */
function missing(e: unknown): boolean {
  return e !== null && typeof e === 'object' && 'code' in e && e.code === 'ENOENT';
}

/**
 * Create the missing directories of `dir` one level at a time (Node's mkdir { recursive: true }
 * never returns for a path under /proc: measured, it loops); returns the directories it created,
 * deepest last.
 */
async function makeDirs(dir: string): Promise<string[]> {
  const todo: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      const st = await stat(d);
      if (!st.isDirectory()) throw Object.assign(new Error(`'${d}' is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if (!missing(e) || dirname(d) === d) throw e;
      todo.unshift(d);
      d = dirname(d);
    }
  }
  const made: string[] = [];
  for (const t of todo) {
    await mkdir(t);
    made.push(t);
  }
  return made;
}

let tmpCounter = 0;
function tmpName(file: string, what: string): string {
  return join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.${++tmpCounter}.${what}`);
}

/**
 * Refuse an output path that cannot be written, before any work: an existing directory, a path
 * through a file, a directory where no file can be created (read-only, /proc, no permission). The
 * missing parent directories are created (as the write would) and a probe file is created and removed.
 */
export async function checkWritable(file: string, label: string, prefix = 'wgf'): Promise<void> {
  const fail = (why: string): never => {
    throw new CliError(`${label}: cannot write '${file}': ${why}`, prefix);
  };
  if (file.trim() === '') fail('empty file name');
  if (file.includes('\0')) fail('the name holds a NUL byte');
  if (/[\\/]$/.test(file)) fail('names a directory (ends in a slash)');
  const abs = resolve(file);
  try {
    const st = await stat(abs);
    if (st.isDirectory()) fail('is a directory');
    if (!st.isFile()) return; // /dev/null, a FIFO: written in place
    await access(abs, constants.W_OK);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (!missing(e)) fail(reason(e));
  }
  let made: string[] = [];
  try {
    made = await makeDirs(dirname(abs));
    const probe = tmpName(file, 'probe');
    const h = await open(probe, 'wx');
    await h.close();
    await rm(probe, { force: true });
  } catch (e) {
    for (const d of made.reverse()) await rmdir(d).catch(() => undefined);
    fail(reason(e));
  }
}


/**
 * Write `parts` to `file`: into a temporary file in the same directory, then renamed over `file`
 * (atomic on one file system), so `file` is either the old one or the whole new one. A target that
 * exists and is not a regular file (/dev/null, a FIFO) is written in place instead.
 */
export async function writeFileAtomic(file: string, parts: Iterable<string | Uint8Array> | string | Uint8Array): Promise<void> {
  const list: Iterable<string | Uint8Array> = typeof parts === 'string' || parts instanceof Uint8Array ? [parts] : parts;
  await makeDirs(dirname(resolve(file)));
  const special = await stat(file).then((st) => !st.isFile(), () => false);
  const target = special ? file : tmpName(file, 'tmp');
  const handle = await open(target, special ? 'w' : 'wx');
  try {
    try {
      for (const p of list) await handle.write(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
    } finally {
      await handle.close();
    }
    if (!special) await rename(target, file);
  } catch (e) {
    if (!special) await rm(target, { force: true });
    throw e;
  }
}

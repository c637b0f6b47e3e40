/**
 * File access of the `wgf` commands (issue 21): inputs are stat'ed before they are read (a regular
 * file of at most MAX_INPUT_BYTES: `--init /dev/zero` or a FIFO is refused by name, never read into
 * memory), an output path is checked for writability before any computation, and outputs are
 * written to a temporary file beside the target and renamed into place, so an interrupted or failed
 * write never leaves a half file where the result line says the file is (and a reader never sees one).
 */
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ChunkPart } from '../io/chunks';
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

/**
 * Refuse an output path that cannot be written, before any work: an existing directory, a path
 * through a file, a read-only or missing-permission directory. Nothing is created here.
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
    await access(abs, constants.W_OK);
    return;
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (!(e !== null && typeof e === 'object' && 'code' in e && e.code === 'ENOENT')) fail(reason(e));
  }
  // the file does not exist: the nearest existing ancestor must be a writable directory
  let dir = dirname(abs);
  for (;;) {
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) fail(`'${dir}' is not a directory`);
      await access(dir, constants.W_OK | constants.X_OK);
      return;
    } catch (e) {
      if (e instanceof CliError) throw e;
      const enoent = e !== null && typeof e === 'object' && 'code' in e && e.code === 'ENOENT';
      if (!enoent || dirname(dir) === dir) fail(`${dir}: ${reason(e)}`);
      dir = dirname(dir);
    }
  }
}

let tmpCounter = 0;

/**
 * Write `parts` to `file`: into a temporary file in the same directory, then renamed over `file`
 * (atomic on one file system), so `file` is either the old one or the whole new one. A target that
 * exists and is not a regular file (/dev/null, a FIFO) is written in place instead.
 */
export async function writeFileAtomic(file: string, parts: Iterable<ChunkPart> | ChunkPart): Promise<void> {
  const list: ChunkPart[] = typeof parts === 'string' || parts instanceof Uint8Array ? [parts] : [...parts];
  await mkdir(dirname(resolve(file)), { recursive: true });
  const special = await stat(file).then((st) => !st.isFile(), () => false);
  const target = special ? file : join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
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

/**
 * NumPy .npy files (format spec: numpy.lib.format, NEP 1). Pure functions on typed arrays, no
 * Node or DOM imports: the CLI writes trajectories with these and the browser exports the same bytes.
 *
 * encodeNpy writes version 1.0, dtype '<f4', C order, with the header dict byte-for-byte as
 * numpy >= 1.24 writes it (keys sorted, trailing ', ', the spare "growth" spaces numpy leaves after
 * the dict, then space padding and '\n' so the data starts at a multiple of 64 bytes).
 * decodeNpy reads versions 1, 2 and 3 with dtype '<f4' or '<f8' in C order.
 */

import type { ExportChunk } from './chunks';
import { IoError } from './errors';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const MAGIC_LEN = MAGIC.length + 2; // magic + major + minor
/** numpy aligns the start of the data to this many bytes (ARRAY_ALIGN). */
export const NPY_ALIGN = 64;
/** numpy leaves room for the growing axis to reach this many digits (GROWTH_AXIS_MAX_DIGITS). */
const GROWTH_AXIS_MAX_DIGITS = 21;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Python's repr of a shape tuple: (), (5,), (3, 4, 2). */
function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** The header dict text exactly as numpy.save writes it for a C-order array, before padding. */
export function npyHeaderDict(descr: string, shape: readonly number[]): string {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  const first = shape[0];
  const growth = first === undefined ? 0 : Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(first).length);
  return dict + ' '.repeat(growth);
}

/** The full header (magic, version, length, dict, padding, '\n') for a float32 array of `shape`. */
export function npyHeader(shape: readonly number[], descr = '<f4'): Uint8Array<ArrayBuffer> {
  const dict = npyHeaderDict(descr, shape);
  // Version 1.0 stores the header length in 2 bytes; numpy switches to 2.0 (4 bytes) above 65535.
  const lenBytes = dict.length + 1 + MAGIC_LEN + 2 > 0xffff ? 4 : 2;
  const unpadded = MAGIC_LEN + lenBytes + dict.length + 1;
  const total = Math.ceil(unpadded / NPY_ALIGN) * NPY_ALIGN;
  const headerLen = total - MAGIC_LEN - lenBytes;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = lenBytes === 2 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  const start = MAGIC_LEN + lenBytes;
  for (let i = 0; i < dict.length; i++) out[start + i] = dict.charCodeAt(i);
  out.fill(0x20, start + dict.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

function checkShape(data: ArrayLike<number>, shape: readonly number[]): void {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new IoError('npy', `npy: shape must be non-negative integers, got [${shape.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new IoError('npy', `npy: shape [${shape.join(', ')}] holds ${count} values but the data has ${data.length}`);
  }
}

/** Little-endian float32 bytes of `data` (a copy). */
export function float32Bytes(data: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    new Float32Array(out.buffer).set(data);
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
  }
  return out;
}

/** Encode a C-order float32 array as an .npy file (version 1.0, dtype '<f4'). */
export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array<ArrayBuffer> {
  checkShape(data, shape);
  const header = npyHeader(shape);
  const out = new Uint8Array(header.length + data.length * 4);
  out.set(header, 0);
  out.set(float32Bytes(data), header.length);
  return out;
}

/**
 * The same bytes as encodeNpy, in pieces: the header, then at most `valuesPerChunk` values per
 * chunk (see chunks.ts: drainChunks keeps the page responsive while these are produced).
 */
export function* npyChunks(data: Float32Array, shape: number[], valuesPerChunk = 1 << 18): Generator<ExportChunk> {
  checkShape(data, shape);
  const total = data.length;
  yield { part: npyHeader(shape), done: 0, total };
  for (let i = 0; i < total; i += valuesPerChunk) {
    const end = Math.min(total, i + valuesPerChunk);
    yield { part: float32Bytes(data.subarray(i, end)), done: end, total };
  }
}

export interface NpyArray {
  data: Float32Array | Float64Array;
  shape: number[];
}

/** Decode an .npy file holding a C-order '<f4' or '<f8' array. Throws an Error saying what is wrong. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new IoError('npy', 'not an NPY file (missing the \\x93NUMPY magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new IoError('npy', 'npy: truncated header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new IoError('npy', `npy: unsupported format version ${major ?? '?'}.${bytes[7] ?? '?'}`);
  }
  if (start + headerLen > bytes.length) throw new IoError('npy', 'npy: truncated header');
  const headerBytes = bytes.subarray(start, start + headerLen);
  // v1/v2 headers are latin-1, v3 UTF-8; the keys and values we accept are plain ASCII either way.
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new IoError('npy', `npy: malformed header ${JSON.stringify(header.trim())}`);
  }
  if (fortran === 'True') throw new IoError('npy', 'npy: fortran order not supported (save a C-order array)');
  const itemSize = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (itemSize === 0) throw new IoError('npy', `npy: unsupported dtype '${descr}' (expected '<f4' or '<f8')`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const d = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(d) || d < 0) throw new IoError('npy', `npy: bad shape (${shapeText})`);
      return d;
    });
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const need = count * itemSize;
  if (bytes.length - dataStart < need) {
    throw new IoError('npy', `npy: truncated data (shape (${shape.join(', ')}) needs ${need} bytes, file has ${bytes.length - dataStart})`);
  }
  // Copy into a fresh buffer: the data offset need not be aligned for a view on the caller's buffer,
  // and a Node Buffer's slice() is a view (of a shared pool), not a copy.
  const raw = new Uint8Array(need);
  raw.set(bytes.subarray(dataStart, dataStart + need));
  if (LITTLE_ENDIAN_HOST) {
    return { data: itemSize === 4 ? new Float32Array(raw.buffer) : new Float64Array(raw.buffer), shape };
  }
  const dv = new DataView(raw.buffer);
  const data = itemSize === 4 ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = itemSize === 4 ? dv.getFloat32(i * 4, true) : dv.getFloat64(i * 8, true);
  return { data, shape };
}

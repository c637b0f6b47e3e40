/**
 * Trajectory formats: NPY bytes checked against the spec and against numpy itself (python3 with
 * numpy is required: scripts/test.sh installs Debian's python3-numpy; without it that test fails, it
 * does not skip), error messages on bad input, CSV/JSON round trips, chunked export == one-shot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainChunks, formatFloat32, joinBytes } from './chunks';
import { decodePointsCsv, encodeTrajectoryCsv } from './csv';
import { decodeNpy, encodeNpy, npyHeader } from './npy';
import { IoError } from './errors';
import { pointsFromCsv, pointsFromFile, pointsFromNpy } from './points';
import { formatFromFileName, trajectoryChunks } from './trajectory';
import { encodeTrajectoryJson } from './trajectoryJson';

/** A small trajectory with exactly representable and awkward float32 values. */
function sampleTrajectory(frames: number, n: number): { data: Float32Array; steps: number[] } {
  const data = new Float32Array(frames * n * 2);
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(Math.sin(i * 1.7) * 10 ** ((i % 7) - 3));
  return { data, steps: Array.from({ length: frames }, (_, f) => f * 10) };
}

/**
 * The header numpy >= 1.24 writes for a C-order '<f4' array, built by hand from the format spec:
 * magic, version 1.0, uint16 LE header length, the dict, 21 - len(str(shape[0])) growth spaces,
 * space padding to a 64-byte boundary, '\n'.
 */
function expectedNumpyHeader(shape: number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  dict += ' '.repeat(21 - String(shape[0]).length);
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const len = total - 10;
  return `\x93NUMPY\x01\x00${String.fromCharCode(len & 0xff, len >> 8)}${dict.padEnd(len - 1, ' ')}\n`;
}

function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

describe('npy', () => {
  it('round-trips shape and values, header aligned to 64 bytes', () => {
    const { data } = sampleTrajectory(3, 5);
    const bytes = encodeNpy(data, [3, 5, 2]);
    expect(latin1(bytes.subarray(0, 8))).toBe('\x93NUMPY\x01\x00');
    const headerLen = (bytes[8] ?? 0) + 256 * (bytes[9] ?? 0);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    expect(bytes.length).toBe(10 + headerLen + data.length * 4);
    const back = decodeNpy(bytes);
    expect(back.shape).toEqual([3, 5, 2]);
    expect(back.data).toBeInstanceOf(Float32Array);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('decodes from a Node Buffer that is a view into a shared pool', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const pooled = Buffer.from(encodeNpy(data, [3, 2])); // small Buffers share one pool: byteOffset != 0
    const back = decodeNpy(pooled);
    expect(back.data.length).toBe(6);
    expect(Array.from(back.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes the header byte for byte as numpy does', () => {
    for (const shape of [[51, 4096, 2], [1, 1, 2], [7], [100000, 2], [12345678901, 0, 2]]) {
      expect(latin1(npyHeader(shape))).toBe(expectedNumpyHeader(shape));
    }
    const header = latin1(encodeNpy(new Float32Array(6), [1, 3, 2]).subarray(0, 128));
    expect(header).toContain("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 2), }");
  });

  it('decodes <f8 and version 2/3 headers, at any byte offset', () => {
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    for (const major of [2, 3]) {
      const headerLen = 128 - 12;
      const bytes = new Uint8Array(1 + 12 + headerLen + 32);
      const file = bytes.subarray(1); // odd offset: the float64 data is not aligned in the buffer
      file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
      new DataView(file.buffer, file.byteOffset).setUint32(8, headerLen, true);
      file.set(new TextEncoder().encode(dict.padEnd(headerLen - 1, ' ') + '\n'), 12);
      const dv = new DataView(file.buffer, file.byteOffset + 12 + headerLen);
      [1.5, -2.25, 1e-300, 3].forEach((v, i) => dv.setFloat64(i * 8, v, true));
      const back = decodeNpy(file);
      expect(back.shape).toEqual([2, 2]);
      expect(back.data).toBeInstanceOf(Float64Array);
      expect(Array.from(back.data)).toEqual([1.5, -2.25, 1e-300, 3]);
    }
  });

  it('rejects garbage, other dtypes, fortran order and truncated data with clear errors', () => {
    expect(() => decodeNpy(new TextEncoder().encode('hello, world, not numpy'))).toThrow(/not an NPY file/);
    expect(() => decodeNpy(new Uint8Array(3))).toThrow(/not an NPY file/);
    const good = encodeNpy(new Float32Array(8), [4, 2]);
    const patch = (from: string, to: string): Uint8Array => {
      const text = latin1(good).replace(from, to);
      return Uint8Array.from(text, (c) => c.charCodeAt(0));
    };
    expect(() => decodeNpy(patch("'<f4'", "'<i4'"))).toThrow(/unsupported dtype '<i4'/);
    expect(() => decodeNpy(patch("'<f4'", "'>f4'"))).toThrow(/unsupported dtype '>f4'/);
    expect(() => decodeNpy(patch('False', 'True '))).toThrow(/fortran order not supported/);
    expect(() => decodeNpy(good.subarray(0, good.length - 1))).toThrow(/truncated data/);
    expect(() => decodeNpy(good.subarray(0, 40))).toThrow(/truncated header/);
    const badVersion = good.slice();
    badVersion[6] = 9;
    expect(() => decodeNpy(badVersion)).toThrow(/unsupported format version 9/);
    expect(() => encodeNpy(new Float32Array(5), [3, 2])).toThrow(/holds 6 values/);
  });

  it('numpy.load reads what encodeNpy writes (and writes the same header)', () => {
    const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    expect(
      probe.status,
      `python3 with numpy is required for this test (Debian: apt-get install python3-numpy; scripts/test.sh installs it): ${probe.error?.message ?? probe.stderr.trim()}`,
    ).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'wgf-npy-'));
    try {
      const { data } = sampleTrajectory(4, 3);
      const file = join(dir, 'traj.npy');
      writeFileSync(file, encodeNpy(data, [4, 3, 2]));
      const script = [
        'import numpy as np, sys, json',
        'a = np.load(sys.argv[1])',
        "np.save(sys.argv[2], a)",
        "print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'c': bool(a.flags.c_contiguous), 'values': [float(v) for v in a.ravel()]}))",
      ].join('\n');
      const again = join(dir, 'again.npy');
      const out = JSON.parse(execFileSync('python3', ['-c', script, file, again], { encoding: 'utf8' })) as {
        shape: number[];
        dtype: string;
        c: boolean;
        values: number[];
      };
      expect(out.shape).toEqual([4, 3, 2]);
      expect(out.dtype).toBe('float32');
      expect(out.c).toBe(true);
      expect(out.values).toEqual(Array.from(data));
      // numpy's own file of the same array: identical bytes.
      expect(Buffer.from(readFileSync(again)).equals(Buffer.from(readFileSync(file)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('csv', () => {
  it('writes step,particle,x,y and reads back the same float32 values', () => {
    const { data, steps } = sampleTrajectory(3, 4);
    const text = encodeTrajectoryCsv(data, steps, 4);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('step,particle,x,y');
    expect(lines).toHaveLength(1 + 3 * 4);
    expect(lines[5]?.startsWith('10,0,')).toBe(true);
    const back = decodePointsCsv(text);
    expect(back.header).toEqual(['step', 'particle', 'x', 'y']);
    expect(back.shape).toEqual([12, 4]);
    for (let r = 0; r < 12; r++) {
      expect(back.data[r * 4]).toBe(steps[Math.floor(r / 4)]);
      expect(back.data[r * 4 + 1]).toBe(r % 4);
      expect(Math.fround(back.data[r * 4 + 2] ?? NaN)).toBe(data[2 * r]);
      expect(Math.fround(back.data[r * 4 + 3] ?? NaN)).toBe(data[2 * r + 1]);
    }
  });

  it('prints float32 values shortest-first', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(1)).toBe('1');
    expect(formatFloat32(-2.5)).toBe('-2.5');
    expect(formatFloat32(Math.fround(1e-7))).toBe('1e-7');
    expect(formatFloat32(NaN)).toBe('NaN');
    for (const v of [Math.PI, 1 / 3, 123456.789, 3.4e38, 1.17549435e-38]) {
      const f = Math.fround(v);
      expect(Math.fround(Number(formatFloat32(f)))).toBe(f);
    }
  });

  it('reads point clouds: header optional, comma or whitespace, comments', () => {
    expect(decodePointsCsv('1,2\n3,4\n')).toEqual({ data: Float64Array.from([1, 2, 3, 4]), shape: [2, 2] });
    const ws = decodePointsCsv('# from numpy.savetxt\n 1.5e0   -2\n\n3\t4\r\n');
    expect(ws.shape).toEqual([2, 2]);
    expect(Array.from(ws.data)).toEqual([1.5, -2, 3, 4]);
    expect(decodePointsCsv('x, y\n1, 2\n').header).toEqual(['x', 'y']);
  });

  it('rejects ragged rows, non-numbers and empty files, naming the line', () => {
    expect(() => decodePointsCsv('1,2\n3,4,5\n')).toThrow(/line 2: expected 2 columns, got 3/);
    expect(() => decodePointsCsv('1,2\n3,abc\n')).toThrow(/line 2: 'abc' is not a finite number/);
    expect(() => decodePointsCsv('1,2\n3,\n')).toThrow(/line 2/);
    expect(() => decodePointsCsv('x,y\n')).toThrow(/no data rows/);
    expect(() => decodePointsCsv('1,2\nx,y\n')).toThrow(/line 2/);
  });
});

describe('json', () => {
  it('parses to meta, steps and [frame][particle][x, y]', () => {
    const { data, steps } = sampleTrajectory(2, 3);
    data[3] = NaN;
    const parsed = JSON.parse(encodeTrajectoryJson({ method: 'svgd', n: 3 }, data, steps, 3)) as {
      meta: { method: string; n: number };
      steps: number[];
      frames: (number | null)[][][];
    };
    expect(parsed.meta).toEqual({ method: 'svgd', n: 3 });
    expect(parsed.steps).toEqual([0, 10]);
    expect(parsed.frames).toHaveLength(2);
    expect(parsed.frames[1]).toHaveLength(3);
    // Shortest float32 text: parses to a double that rounds back to the same float32.
    const f32 = (p: (number | null)[] | undefined): (number | null)[] => (p ?? []).map((v) => (v === null ? v : Math.fround(v)));
    expect(f32(parsed.frames[1]?.[2])).toEqual([data[10], data[11]]);
    expect(f32(parsed.frames[0]?.[1])).toEqual([data[2], null]);
  });
});

describe('chunked export', () => {
  it('gives the same bytes as the one-shot encoders, with monotone progress ending at 1', async () => {
    const n = 3000;
    const { data, steps } = sampleTrajectory(5, n);
    const meta = { target: 'banana' };
    const oneShot = {
      npy: encodeNpy(data, [5, n, 2]),
      csv: new TextEncoder().encode(encodeTrajectoryCsv(data, steps, n)),
      json: new TextEncoder().encode(encodeTrajectoryJson(meta, data, steps, n)),
    };
    for (const format of ['npy', 'csv', 'json'] as const) {
      const progress: number[] = [];
      let yields = 0;
      const parts = await drainChunks(trajectoryChunks(format, data, steps, n, meta), {
        onProgress: (f) => progress.push(f),
        budgetMs: 0,
        yieldToEventLoop: async () => {
          yields++;
        },
      });
      expect(Buffer.from(joinBytes(parts)).equals(Buffer.from(oneShot[format]))).toBe(true);
      expect(yields).toBeGreaterThan(0);
      expect(progress.at(-1)).toBe(1);
      expect(progress.every((p, i) => i === 0 || p >= (progress[i - 1] ?? 0))).toBe(true);
    }
  });

  it('stops on abort', async () => {
    const { data, steps } = sampleTrajectory(4, 50_000);
    const controller = new AbortController();
    const run = drainChunks(trajectoryChunks('csv', data, steps, 50_000), {
      budgetMs: 0,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow();
  });

  it('picks the format from the file name', () => {
    expect(formatFromFileName('out/traj.NPY')).toBe('npy');
    expect(formatFromFileName('a.csv')).toBe('csv');
    expect(formatFromFileName('a.json')).toBe('json');
    expect(formatFromFileName('a.txt')).toBeUndefined();
    expect(formatFromFileName('npy')).toBeUndefined();
  });
});

describe('initial points', () => {
  it('takes [n,2], or the last frame of [frames,n,2], from npy and csv', () => {
    const { data, steps } = sampleTrajectory(3, 4);
    const last = Array.from(data.subarray(16, 24));
    expect(Array.from(pointsFromNpy(encodeNpy(data, [3, 4, 2])).data)).toEqual(last);
    expect(pointsFromNpy(encodeNpy(data.subarray(0, 8), [4, 2])).n).toBe(4);
    const fromCsv = pointsFromCsv(encodeTrajectoryCsv(data, steps, 4));
    expect(fromCsv.n).toBe(4);
    expect(Array.from(fromCsv.data, (v) => Math.fround(v))).toEqual(last);
    expect(() => pointsFromNpy(encodeNpy(new Float32Array(6), [2, 3]))).toThrow(/expected shape \(n, 2\)/);
    expect(() => pointsFromCsv('1,2,3\n')).toThrow(/expected 2 columns/);
  });
});

describe('bad input found by the fuzz tests (src/fuzz/io.fuzz.test.ts)', () => {
  it("a header 'y,x' picks the columns by name (was read as x = first column)", () => {
    expect(Array.from(pointsFromCsv('y,x\n0,1\n2,3\n').data)).toEqual([1, 0, 3, 2]);
    expect(Array.from(pointsFromCsv('x,y\n0,1\n').data)).toEqual([0, 1]);
    expect(Array.from(pointsFromCsv('0,1\n').data)).toEqual([0, 1]);
  });

  it('a row of 200,000 numbers is read (push(...row) threw RangeError: Maximum call stack size exceeded)', () => {
    const row = Array.from({ length: 200_000 }, (_, i) => i).join(',');
    const t = decodePointsCsv(row);
    expect(t.shape).toEqual([1, 200_000]);
    expect(t.data[199_999]).toBe(199_999);
    expect(() => pointsFromCsv(row)).toThrow(IoError);
  });

  it('refusals are IoErrors naming their reader', () => {
    const cases: [() => unknown, IoError['format']][] = [
      [() => decodeNpy(new Uint8Array(3)), 'npy'],
      [() => decodePointsCsv('1,2\n3\n'), 'csv'],
      [() => pointsFromNpy(encodeNpy(new Float32Array(6), [2, 3])), 'points'],
      [() => pointsFromFile('a.png', new Uint8Array(0)), 'points'],
    ];
    for (const [fn, format] of cases) {
      let caught: unknown;
      try {
        fn();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(IoError);
      expect(caught instanceof IoError && caught.format).toBe(format);
    }
  });
});

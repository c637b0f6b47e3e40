/**
 * Bad input, fuzzed (issue 7): random NPY bytes and CSV text through the io decoders the CLI and the
 * browser's upload use (decodeNpy, decodePointsCsv, pointsFromNpy / pointsFromCsv / pointsFromFile).
 * Each input is either decoded into a consistent result (data length = product of the shape, points
 * finite, n >= 1) or refused with an IoError that says which reader refused and why; nothing else
 * escapes (no RangeError from a huge declared shape, no TypeError on a truncated header).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePointsCsv } from '../io/csv';
import { IoError } from '../io/errors';
import { decodeNpy, encodeNpy } from '../io/npy';
import { pointsFromCsv, pointsFromFile, pointsFromNpy, type Points } from '../io/points';
import { csvText, npyBytes } from './arbitraries';

const SEED = 20_260_709;
const RUNS = 10_000;

/** What a refusal's message starts with, per reader: its format, so the user knows which file failed. */
const MESSAGE_START = /^(npy|not an NPY file|csv|unknown point file type)\b/;

/** Run `fn`; an IoError from one of `formats` whose message names the format is a refusal, anything else fails. */
function decodeOrRefuse<T>(fn: () => T, input: string, formats: readonly IoError['format'][]): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof IoError && formats.includes(e.format) && MESSAGE_START.test(e.message)) return undefined;
    throw new Error(`not an IoError of ${formats.join('|')} naming its format: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n  input: ${input}`, { cause: e });
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b.subarray(0, 160), (x) => x.toString(16).padStart(2, '0')).join('') + (b.length > 160 ? `... (${b.length} bytes)` : '');
}

function expectPoints(p: Points, input: string): void {
  expect(Number.isInteger(p.n) && p.n >= 1, input).toBe(true);
  expect(p.data.length, input).toBe(2 * p.n);
  for (let i = 0; i < p.data.length; i++) if (!Number.isFinite(p.data[i] ?? NaN)) throw new Error(`point ${Math.floor(i / 2)} not finite\n  input: ${input}`);
}

describe('fuzz: NPY and CSV decoders', () => {
  it('10,000 NPY byte strings: decoded consistently or refused with an IoError', () => {
    let decoded = 0, refused = 0, points = 0;
    fc.assert(
      fc.property(npyBytes, (bytes) => {
        const input = hex(bytes);
        const a = decodeOrRefuse(() => decodeNpy(bytes), input, ['npy']);
        if (a) {
          decoded++;
          expect(a.shape.every((d) => Number.isInteger(d) && d >= 0), input).toBe(true);
          expect(a.data.length, input).toBe(a.shape.reduce((x, y) => x * y, 1));
        } else refused++;
        const p = decodeOrRefuse(() => pointsFromNpy(bytes), input, ['npy', 'points']);
        if (p) {
          points++;
          expectPoints(p, input);
          // A point cloud is only read from an array that decodes, with the same last frame.
          expect(a).toBeDefined();
          if (a) expect(Array.from(p.data)).toEqual(Array.from(a.data.subarray(a.data.length - 2 * p.n)));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz: ${RUNS} npy byte strings, ${decoded} decoded (${points} as point clouds), ${refused} refused`);
    expect(decoded).toBeGreaterThan(1000);
    expect(points).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(1000);
  });

  it('10,000 CSV texts: a finite table / point cloud or an IoError saying why', () => {
    let tables = 0, clouds = 0, refused = 0;
    fc.assert(
      fc.property(csvText, (text) => {
        const input = JSON.stringify(text);
        const t = decodeOrRefuse(() => decodePointsCsv(text), input, ['csv']);
        if (t) {
          tables++;
          const [rows, width] = t.shape;
          expect(rows >= 1 && width >= 1, input).toBe(true);
          expect(t.data.length, input).toBe(rows * width);
          expect(t.data.every(Number.isFinite), input).toBe(true);
        } else refused++;
        const p = decodeOrRefuse(() => pointsFromCsv(text), input, ['csv', 'points']);
        if (p) {
          clouds++;
          expectPoints(p, input);
          expect(t).toBeDefined();
          // A header naming x and y decides which columns are the coordinates, in any order.
          const header = t?.header?.map((h) => h.toLowerCase());
          const xi = header?.indexOf('x') ?? -1, yi = header?.indexOf('y') ?? -1;
          if (t && xi >= 0 && yi >= 0 && !header?.includes('step')) {
            const w = t.shape[1];
            expect([p.data[0], p.data[1]], input).toEqual([t.data[xi], t.data[yi]]);
            expect([p.data[2 * p.n - 2], p.data[2 * p.n - 1]], input).toEqual([t.data[(t.shape[0] - 1) * w + xi], t.data[(t.shape[0] - 1) * w + yi]]);
          }
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    console.log(`fuzz: ${RUNS} csv texts, ${tables} tables (${clouds} point clouds), ${refused} refused`);
    expect(tables).toBeGreaterThan(1000);
    expect(clouds).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('pointsFromFile on random names and bytes: points or an IoError', () => {
    let ok = 0, refused = 0;
    const name = fc.constantFrom('a.npy', 'A.NPY', 'b.csv', 'c.txt', 'd.json', 'noext', '.npy', 'x.npy.csv', '');
    const bytes = fc.oneof(npyBytes, csvText.map((s) => new TextEncoder().encode(s)));
    fc.assert(
      fc.property(name, bytes, (n, b) => {
        const p = decodeOrRefuse(() => pointsFromFile(n, b), `${n}: ${hex(b)}`, ['npy', 'csv', 'points']);
        if (p) {
          ok++;
          expectPoints(p, `${n}: ${hex(b)}`);
        } else refused++;
      }),
      { seed: SEED + 2, numRuns: 2000 },
    );
    console.log(`fuzz: 2000 named files, ${ok} read as points, ${refused} refused`);
    expect(ok).toBeGreaterThan(100);
  });

  it('NPY round trip: any float32 array and shape that fit encode and decode to the same values', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 6 }), { maxLength: 4 }), fc.float(), (shape, v) => {
        const count = shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: count }, (_, i) => (i % 3 === 0 ? v : i - 0.5));
        const back = decodeNpy(encodeNpy(data, shape));
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      }),
      { seed: SEED + 3, numRuns: 1000 },
    );
  });
});

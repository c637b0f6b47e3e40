/**
 * Chunked export, so long trajectories never freeze the page.
 *
 * Every format has a synchronous generator (npyChunks, trajectoryCsvChunks, trajectoryJsonChunks)
 * that yields the file in pieces of bounded size, each tagged with how much of the work is done.
 * The one-shot encoders are these generators joined, so both paths give identical bytes.
 * `drainChunks` runs a generator, handing control back to the event loop between chunks (every
 * `budgetMs` of work), reporting progress in [0, 1] and honouring an AbortSignal. In the browser:
 *
 *     const parts = await drainChunks(trajectoryChunks('csv', frames, steps, n, meta), {
 *       onProgress: (f) => setProgress(f), signal: controller.signal });
 *     const url = URL.createObjectURL(new Blob(parts, { type: mimeType('csv') }));
 *
 * Pure module: no Node or DOM imports (setTimeout exists in both).
 */

export type ChunkPart = string | Uint8Array<ArrayBuffer>;

export interface ExportChunk {
  part: ChunkPart;
  /** Units of work done after this chunk (rows, values, ...), out of `total`. */
  done: number;
  total: number;
}

export interface DrainOptions {
  /** Called with the fraction done in [0, 1], after each chunk that crossed a yield point and at the end. */
  onProgress?: (fraction: number) => void;
  /** Abort the export: drainChunks rejects with the signal's reason (or an Error 'export aborted'). */
  signal?: AbortSignal;
  /** Work this many milliseconds before yielding to the event loop (default 12: under one 60 Hz frame). */
  budgetMs?: number;
  /** How to yield; default a macrotask via setTimeout(0), so rendering and input get a turn. */
  yieldToEventLoop?: () => Promise<void>;
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new Error('export aborted');
}

/** Run a chunk generator to completion without blocking for more than ~budgetMs at a time. */
export async function drainChunks(chunks: Iterable<ExportChunk>, options: DrainOptions = {}): Promise<ChunkPart[]> {
  const { onProgress, signal, budgetMs = 12, yieldToEventLoop = defaultYield } = options;
  const parts: ChunkPart[] = [];
  let sliceStart = performance.now();
  let last: ExportChunk | undefined;
  for (const chunk of chunks) {
    if (signal?.aborted) throw abortError(signal);
    parts.push(chunk.part);
    last = chunk;
    if (performance.now() - sliceStart >= budgetMs) {
      onProgress?.(chunk.total > 0 ? chunk.done / chunk.total : 1);
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  if (signal?.aborted) throw abortError(signal);
  onProgress?.(last === undefined || last.total === 0 ? 1 : last.done / last.total);
  return parts;
}

/** Join the parts of a text format synchronously (what the one-shot encoders return). */
export function joinText(chunks: Iterable<ExportChunk>): string {
  const parts: string[] = [];
  for (const c of chunks) {
    if (typeof c.part !== 'string') throw new Error('joinText: binary chunk in a text export');
    parts.push(c.part);
  }
  return parts.join('');
}

/** Concatenate binary/text parts into one byte array (text as UTF-8). */
export function joinBytes(parts: Iterable<ChunkPart>): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const bytes = [...parts].map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((a, b) => a + b.length, 0));
  let offset = 0;
  for (const b of bytes) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}

/**
 * The shortest decimal text that reads back as the same float32 (e.g. 0.1, not 0.10000000149011612).
 * Non-finite values give 'NaN', 'Infinity', '-Infinity'.
 */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const f = Math.fround(v);
  for (let p = 6; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}

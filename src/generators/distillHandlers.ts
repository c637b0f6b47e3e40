/**
 * The distill worker's handlers (src/generators/distillWorker.ts serves them; the tests serve them
 * in-process over a MessageChannel). One handler, `distill`(request, tag):
 *   - runs distill() (src/generators/distill.ts) with shouldStop = the call's abort signal (the
 *     client's cancel) and checkpoint = one macrotask per step, so the cancel message gets in;
 *   - posts progress on the same port as { kind: 'distill-progress', tag, progress } (not a
 *     protocol response: WorkerClient ignores it, DistillClient listens for it);
 *   - answers with the ONNX bytes (transferred) and the card; a cancelled run answers too, with
 *     card.stopped = true and the model so far.
 */
import { transfer, type JobContext, type Port, type Transfer } from '../platform/worker/protocol';
import { distill, type DistillCard, type DistillProgress, type DistillRequest } from './distill';

export interface DistillProgressMessage {
  kind: 'distill-progress';
  tag: number;
  progress: DistillProgress;
}

export function isDistillProgress(d: unknown): d is DistillProgressMessage {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as { kind?: unknown; tag?: unknown };
  return m.kind === 'distill-progress' && typeof m.tag === 'number';
}

export interface DistillAnswer {
  bytes: Uint8Array;
  card: DistillCard;
}

export interface DistillHandlers {
  [name: string]: (ctx: JobContext, ...args: never[]) => unknown;
  distill: (ctx: JobContext, request: DistillRequest, tag: number) => Promise<Transfer<DistillAnswer>>;
}

export function distillHandlers(port: Port): DistillHandlers {
  return {
    distill: async (ctx, request, tag) => {
      const r = await distill(request, {
        onProgress: (progress) => port.postMessage({ kind: 'distill-progress', tag, progress } satisfies DistillProgressMessage, []),
        shouldStop: () => ctx.signal.aborted,
        checkpoint: () => ctx.checkpoint(),
      });
      const bytes = r.bytes.byteOffset === 0 && r.bytes.byteLength === r.bytes.buffer.byteLength ? r.bytes : r.bytes.slice();
      return transfer({ bytes, card: r.card }, [bytes.buffer]);
    },
  };
}

/**
 * The worker side of the protocol (protocol.ts): serve named handlers on a port, one call at a
 * time in arrival order. A cancel for a queued call drops it (the caller gets CancelledError); a
 * cancel for the running call aborts its `ctx.signal`, which a long handler sees at its next
 * `ctx.checkpoint()`. The same code runs inside a Web Worker (src/engine/cpuWorker.ts) and
 * in-process over a MessageChannel (the tests).
 */
import { CancelledError, encodeError, isRequest, Transfer, type CallMessage, type HandlerMap, type JobContext, type Port, type Response } from './protocol';

/** One macrotask: lets queued messages (cancel) in. setImmediate in Node; a MessageChannel hop elsewhere (setTimeout is clamped to 4 ms). */
export function macrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(undefined);
  });
}

export interface Served {
  /** Stop listening; the running call's signal is aborted and queued calls are dropped unanswered. */
  close(): void;
}

export function serve(port: Port, handlers: HandlerMap): Served {
  const queue: CallMessage[] = [];
  let running: { id: number; ac: AbortController } | undefined;
  let pumping = false;
  let closed = false;

  const reply = (r: Response, buffers: Transferable[] = []): void => {
    if (closed) return;
    try {
      port.postMessage(r, buffers);
    } catch (e) {
      // e.g. a value that cannot be cloned: the caller still gets an answer
      port.postMessage({ kind: 'error', id: r.id, error: encodeError(e) } satisfies Response, []);
    }
  };

  const run = async (call: CallMessage): Promise<void> => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, call.method) ? handlers[call.method] : undefined;
    if (!handler) {
      reply({ kind: 'error', id: call.id, error: { name: 'Error', message: `worker: no handler named '${call.method}'` } });
      return;
    }
    const ac = new AbortController();
    running = { id: call.id, ac };
    const ctx: JobContext = { signal: ac.signal, checkpoint: macrotask };
    try {
      const out = await handler(ctx, ...(call.args as never[]));
      if (out instanceof Transfer) reply({ kind: 'result', id: call.id, value: out.value }, out.buffers);
      else reply({ kind: 'result', id: call.id, value: out });
    } catch (e) {
      reply({ kind: 'error', id: call.id, error: encodeError(ac.signal.aborted && !(e instanceof Error) ? new CancelledError() : e) });
    } finally {
      running = undefined;
    }
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      for (let call = queue.shift(); call && !closed; call = queue.shift()) await run(call);
    } finally {
      pumping = false;
    }
  };

  const onMessage = (e: MessageEvent): void => {
    const d: unknown = e.data;
    if (closed || !isRequest(d)) return;
    if (d.kind === 'cancel') {
      if (running?.id === d.id) {
        running.ac.abort();
        return;
      }
      const i = queue.findIndex((c) => c.id === d.id);
      if (i >= 0) {
        queue.splice(i, 1);
        reply({ kind: 'error', id: d.id, error: encodeError(new CancelledError()) });
      }
      return;
    }
    queue.push(d);
    void pump();
  };

  port.addEventListener('message', onMessage);
  port.start?.();
  return {
    close() {
      closed = true;
      queue.length = 0;
      running?.ac.abort();
      port.removeEventListener('message', onMessage);
    },
  };
}

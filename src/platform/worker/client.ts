/**
 * The caller's side of the protocol (protocol.ts): typed calls to the handlers a worker serves.
 * `request` posts at once and returns the call's id (for `cancel`) with its result; `close`
 * settles every pending call with WorkerClosedError, so nothing waits forever on a dead worker.
 */
import { decodeError, isResponse, WorkerClosedError, type ArgsOf, type HandlerMap, type Port, type ResultOf } from './protocol';

export interface Pending<T> {
  id: number;
  result: Promise<T>;
}

export class WorkerClient<A extends HandlerMap> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedWith: Error | undefined;
  private readonly onMessage = (e: MessageEvent): void => {
    const d: unknown = e.data;
    if (!isResponse(d)) return;
    const p = this.pending.get(d.id);
    if (!p) return;
    this.pending.delete(d.id);
    if (d.kind === 'result') p.resolve(d.value);
    else p.reject(decodeError(d.error));
  };

  constructor(private readonly port: Port) {
    port.addEventListener('message', this.onMessage);
    port.start?.();
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Calls posted and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  request<M extends keyof A & string>(method: M, args: ArgsOf<A[M]>, transferList: Transferable[] = []): Pending<ResultOf<A[M]>> {
    const id = this.nextId++;
    if (this.closedWith) return { id, result: Promise.reject(this.closedWith) };
    const result = new Promise<ResultOf<A[M]>>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as ResultOf<A[M]>), reject });
    });
    try {
      this.port.postMessage({ kind: 'call', id, method, args }, transferList);
    } catch (e) {
      this.pending.delete(id);
      return { id, result: Promise.reject(e instanceof Error ? e : new Error(String(e))) };
    }
    return { id, result };
  }

  call<M extends keyof A & string>(method: M, args: ArgsOf<A[M]>, transferList: Transferable[] = []): Promise<ResultOf<A[M]>> {
    return this.request(method, args, transferList).result;
  }

  /** Cancel a call: dropped if still queued (rejects with CancelledError), else its handler's signal aborts. */
  cancel(id: number): void {
    if (this.closedWith || !this.pending.has(id)) return;
    this.port.postMessage({ kind: 'cancel', id }, []);
  }

  /** Stop listening and reject every pending call with `error` (default WorkerClosedError). */
  close(error: Error = new WorkerClosedError()): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.port.removeEventListener('message', this.onMessage);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

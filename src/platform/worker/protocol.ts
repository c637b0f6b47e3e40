/**
 * The worker host's message protocol: generic named handlers, not simulation-specific.
 *
 *   main -> worker   { kind: 'call', id, method, args }      run handler `method`(ctx, ...args)
 *                    { kind: 'cancel', id }                   abort call `id` (queued: dropped; running: ctx.signal)
 *   worker -> main   { kind: 'result', id, value }
 *                    { kind: 'error', id, error: WireError }  ConfigError / ParamError keep field / param
 *
 * Calls run one at a time in the order they were posted (FIFO, like a GPU queue), so a call
 * observes every call posted before it. Typed arrays travel as structured clones unless listed
 * as transferables: a handler returns `transfer(value, buffers)`, a caller passes `transfer` to
 * `WorkerClient.call`. Both ends talk through `Port`, which a DOM Worker, a worker's global scope
 * and node:worker_threads' MessagePort all satisfy (the tests run the handler side in-process).
 */
import { ParamError } from '../../core/params';
import { ConfigError } from '../../core/errors';

export type CallMessage = { kind: 'call'; id: number; method: string; args: unknown[] };
export type CancelMessage = { kind: 'cancel'; id: number };
export type Request = CallMessage | CancelMessage;

export interface WireError {
  name: string;
  message: string;
  field?: string;
  param?: string;
}

export type Response = { kind: 'result'; id: number; value: unknown } | { kind: 'error'; id: number; error: WireError };

/** The part of MessagePort / Worker / DedicatedWorkerGlobalScope the host and client use. */
export interface Port {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  /** MessagePort: start delivery (a Worker has none). */
  start?(): void;
}

/** What a running handler is given: its cancellation signal and a way to let messages in. */
export interface JobContext {
  /** Aborted when the caller cancels this call (or the host is closed). */
  readonly signal: AbortSignal;
  /**
   * Yield to the event loop (a macrotask, not clamped like setTimeout) so that cancel messages
   * arriving meanwhile are seen. Long handlers call it between units of work.
   */
  checkpoint(): Promise<void>;
}

/** A handler's return value with buffers to transfer (not copy) to the caller. */
export class Transfer<T> {
  constructor(readonly value: T, readonly buffers: Transferable[]) {}
}

export function transfer<T>(value: T, buffers: Transferable[]): Transfer<T> {
  return new Transfer(value, buffers);
}

/** Handlers by name: each takes the JobContext first, then its arguments. */
export type HandlerMap = Record<string, (ctx: JobContext, ...args: never[]) => unknown>;

export type ArgsOf<H> = H extends (ctx: JobContext, ...args: infer P) => unknown ? P : never;
type Unwrap<R> = R extends Transfer<infer T> ? T : R;
export type ResultOf<H> = H extends (ctx: JobContext, ...args: never[]) => infer R ? Unwrap<Awaited<R>> : never;

/** A call cancelled before or while it ran. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The other end went away (destroy(), terminate(), a worker that failed to load). */
export class WorkerClosedError extends Error {
  constructor(message = 'the worker was closed') {
    super(message);
    this.name = 'WorkerClosedError';
  }
}

export function encodeError(e: unknown): WireError {
  if (e instanceof ConfigError) return { name: e.name, message: e.message, field: e.field };
  if (e instanceof ParamError) return { name: e.name, message: e.message, param: e.param };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** The caller's side of a WireError: ConfigError, ParamError and CancelledError come back as themselves. */
export function decodeError(w: WireError): Error {
  if (w.name === 'ConfigError' && w.field !== undefined) return new ConfigError(w.field, w.message);
  if (w.name === 'ParamError' && w.param !== undefined) return new ParamError(w.param, w.message);
  if (w.name === 'CancelledError') return new CancelledError(w.message);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

export function isRequest(d: unknown): d is Request {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as { kind?: unknown; id?: unknown };
  return (m.kind === 'call' || m.kind === 'cancel') && typeof m.id === 'number';
}

export function isResponse(d: unknown): d is Response {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as { kind?: unknown; id?: unknown };
  return (m.kind === 'result' || m.kind === 'error') && typeof m.id === 'number';
}

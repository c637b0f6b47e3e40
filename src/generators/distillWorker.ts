/**
 * Web Worker entry of "Distill now": serves distillHandlers (src/generators/distillHandlers.ts:
 * W-Flow training on a target cloud, progress, cancel, ONNX bytes) over the generic worker
 * protocol (src/engine/worker/). Started by DistillClient (src/generators/distillClient.ts) in the
 * browser; Node (the tests) serves the same handlers in-process.
 */
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';
import { distillHandlers } from './distillHandlers';

// A dedicated worker's global scope is a Port (postMessage with transferables, message events).
const port = self as unknown as Port;
serve(port, distillHandlers(port));

/**
 * Web Worker entry of the GPU backend's host twin (jko; w-newton / wsfn with solver 'dense'): serves
 * hostTwinHandlers over the generic worker protocol (src/platform/worker/), so the float64 steps never
 * block the page. Started by WorkerHostTwin (hostTwin.ts).
 */
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';
import { hostTwinHandlers } from './hostTwinHandlers';

// A dedicated worker's global scope is a Port (postMessage with transferables, message events).
serve(self as unknown as Port, hostTwinHandlers());

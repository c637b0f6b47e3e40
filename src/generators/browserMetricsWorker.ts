/** The Web Worker that measures generator samples (browserMetricsHandlers.ts) off the page's main thread. */
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';
import { generatorMetricsHandlers } from './browserMetricsHandlers';

// A dedicated worker's global scope is a Port (postMessage with transferables, message events).
serve(self as unknown as Port, generatorMetricsHandlers());

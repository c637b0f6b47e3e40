/**
 * Web Worker entry of the "Spectrum" panel: serves spectrumHandlers (src/landscapes/spectrumHandlers.ts:
 * the float64 Hessian spectrum, dense or Lanczos) over the generic worker protocol
 * (src/engine/worker/). Started by SpectrumClient (spectrumClient.ts).
 */
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';
import { spectrumHandlers } from '../landscapes/spectrumHandlers';

// A dedicated worker's global scope is a Port (postMessage with transferables, message events).
serve(self as unknown as Port, spectrumHandlers);

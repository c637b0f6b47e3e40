/**
 * Web Worker entry of the CPU engine: serves cpuSimulationHandlers (one CpuSimulation, the float64
 * twins) over the generic worker protocol (src/engine/worker/). Started by createBackend('cpu') in
 * the browser; Node (CLI, tests, benchmarks) runs CpuSimulation in-process instead.
 */
import { cpuSimulationHandlers } from './worker/cpuHandlers';
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';

// A dedicated worker's global scope is a Port (postMessage with transferables, message events).
serve(self as unknown as Port, cpuSimulationHandlers());

/**
 * For tests: an Engine on the CPU backend whose animation frames are run by hand (no
 * requestAnimationFrame). `frame()` runs the loop's pending frame callback, then lets the engine's
 * promises settle (a few macrotask turns).
 */
import { createCpuBackend } from './backend';
import { Engine } from './Engine';
import type { RunConfig } from './types';

export async function manualEngine(config: RunConfig, options: { nFromAdapter?: boolean } = {}): Promise<{ engine: Engine; frame: () => Promise<void> }> {
  let pending: ((t: number) => void) | undefined;
  const engine = new Engine({
    config,
    backend: 'cpu',
    createBackend: () => Promise.resolve(createCpuBackend()),
    requestFrame: (cb) => {
      pending = cb;
      return 1;
    },
    cancelFrame: () => undefined,
    ...options,
  });
  await engine.start();
  const frame = async (): Promise<void> => {
    pending?.(performance.now());
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  };
  return { engine, frame };
}

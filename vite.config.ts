/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One config for the app (vite build / preview) and the unit tests (vitest).
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 6000 },
  // The CPU engine's worker (src/engine/cpuWorker.ts) is an ES module worker, so it may share chunks.
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 5173 },
  test: {
    include: ['src/**/*.test.ts'],
    // Dawn (the `webgpu` package) is a native addon: run test files in forked processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});

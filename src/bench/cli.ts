/**
 * The benchmark as a process entry, for the bundled build (`npm run bench:bundle` ->
 * dist-bench/bench.mjs, scripts/bundle-bench.mjs): runs main(argv) with Dawn from src/gpu/node.ts
 * (a static import here, so the bundle carries it; `webgpu` itself stays external) and exits with its
 * code (Dawn would otherwise keep Node alive). `npm run bench` runs main through bin/run-ts.mjs.
 */
import { nodeGpu } from '../gpu/node';
import { main } from './bench';

process.exit(await main(process.argv.slice(2), undefined, { gpu: nodeGpu }));

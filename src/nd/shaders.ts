/**
 * The d-D kernels' WGSL (shaders/nd/*.wgsl, one file per kernel, loaded with ?raw), prefixed by the
 * shaders/common pieces each declares (src/gpu/shaders.ts commonPrelude), compiled once per device.
 * Kept apart from the 2-D registry (src/gpu/shaders.ts) until the engine integration (issue 19).
 */
import { commonPrelude, type CommonName } from '../gpu/shaders';
import ndScore from '../../shaders/nd/ndScore.wgsl?raw';
import langevinNd from '../../shaders/nd/langevinNd.wgsl?raw';
import svgdNd from '../../shaders/nd/svgdNd.wgsl?raw';

const ndKernels = {
  ndScore: { source: ndScore, uses: [] },
  langevinNd: { source: langevinNd, uses: ['philox'] },
  svgdNd: { source: svgdNd, uses: [] },
} satisfies Record<string, { source: string; uses: CommonName[] }>;

export type NdKernelName = keyof typeof ndKernels;
export const ndKernelNames = Object.keys(ndKernels) as NdKernelName[];

export function ndShaderCode(name: NdKernelName): string {
  const k = ndKernels[name];
  return `${commonPrelude(k.uses)}\n${k.source}`;
}

const cache = new WeakMap<GPUDevice, Map<NdKernelName, GPUShaderModule>>();

export function ndShaderModule(device: GPUDevice, name: NdKernelName): GPUShaderModule {
  let m = cache.get(device);
  if (!m) cache.set(device, (m = new Map()));
  let mod = m.get(name);
  if (!mod) {
    mod = device.createShaderModule({ label: `nd/${name}.wgsl`, code: ndShaderCode(name) });
    m.set(name, mod);
  }
  return mod;
}

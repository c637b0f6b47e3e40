/**
 * WebGPU in Node through Dawn (the npm package `webgpu`). Without a GPU this runs on SwiftShader:
 * Debian's chromium package ships its Vulkan ICD, which Dawn accepts (shared/ENVIRONMENT.md).
 * Only imported from Node code paths (CLI, tests, benchmarks), never bundled for the browser.
 */
import { existsSync, readdirSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];

/** Point the Vulkan loader at SwiftShader when the machine has no other Vulkan driver. */
export function configureVulkanEnv(env: NodeJS.ProcessEnv = process.env): string {
  env.XDG_RUNTIME_DIR ??= '/tmp';
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return 'environment';
  const hasSystemIcd = SYSTEM_ICD_DIRS.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json') && !f.includes('lvp') && !f.includes('swiftshader'));
    } catch {
      return false;
    }
  });
  if (!hasSystemIcd && existsSync(SWIFTSHADER_ICD)) {
    env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    return 'swiftshader';
  }
  return 'system';
}

let cached: Promise<GPU> | undefined;

/** The process-wide Dawn GPU object (kept alive until exit: destroying it mid-run is unsafe). */
export function nodeGpu(): Promise<GPU> {
  cached ??= (async () => {
    configureVulkanEnv();
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return create([]) as GPU;
  })();
  return cached;
}

/**
 * WebGPU in Node through Dawn (the npm package `webgpu`). Without a GPU this runs on SwiftShader:
 * Debian's chromium package ships its Vulkan ICD, which Dawn accepts (shared/ENVIRONMENT.md).
 * Only imported from Node code paths (CLI, tests, benchmarks), never bundled for the browser.
 */
import { existsSync, readdirSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** True when the machine has a GPU device node (a DRM render node or an NVIDIA device). */
function hasGpuDevice(): boolean {
  if (existsSync('/dev/nvidia0') || existsSync('/dev/dxg')) return true;
  try {
    return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * Point the Vulkan loader at SwiftShader when the machine has no GPU (Mesa's hardware ICDs may be
 * installed without hardware, and its lavapipe is rejected by Dawn). An explicit VK_ICD_FILENAMES
 * or VK_DRIVER_FILES is always respected.
 */
export function configureVulkanEnv(env: NodeJS.ProcessEnv = process.env): 'environment' | 'swiftshader' | 'system' {
  env.XDG_RUNTIME_DIR ??= '/tmp';
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return 'environment';
  if (!hasGpuDevice() && existsSync(SWIFTSHADER_ICD)) {
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

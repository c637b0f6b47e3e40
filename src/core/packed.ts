/** The packed target format shared by the WGSL targets, the float64 twins and the registries (bottom layer: imports nothing). */

/** Maximum number of vec4 slots in the packed target (shaders/common/targets.wgsl TargetParams.data). */
export const TARGET_DATA_VEC4 = 32;
/** Maximum mixture components (2 vec4 slots each). */
export const MAX_COMPONENTS = 16;
/**
 * Byte size of the GPU uniform TargetParams. GPU code reads the size and offsets from the WGSL
 * (src/gpu/structs.ts targetParamsLayout); this constant stays for importers that must not parse
 * WGSL (it needs the WebGPU globals), and src/gpu/structs.test.ts checks it equals the WGSL's size.
 */
export const TARGET_UNIFORM_BYTES = 528;

/**
 * A target packed for evaluation: the same numbers drive the WGSL functions (as f32) and the
 * float64 twin in src/reference/targetEval.ts. `kind` selects the density (see TargetKind).
 */
export interface PackedTarget {
  kind: number;
  count: number;
  /** TARGET_DATA_VEC4 * 4 numbers. */
  data: Float64Array;
  /**
   * A target whose WGSL is made per target (the formula target, kind 11): the code that defines its
   * function, spliced into every module that reads the target. Absent for the built-in kinds.
   */
  shader?: TargetShader;
}

/**
 * WGSL made per target: `code` defines `fn target_formula(x: vec2f) -> vec3f` (score, logp) for
 * shaders/common/targets.wgsl's kind 11 and reads its numbers from the target uniform (tgt.data),
 * so changing them rewrites the uniform only. With `landscape`, it defines the land_formula_*
 * functions of shaders/common/landscapes.wgsl's vKind / wKind 4 instead (numbers in the Landscape
 * uniform's v, w). Modules and pipelines are cached per `key` (the formula's structure key): equal
 * keys have equal code.
 */
export interface TargetShader {
  key: string;
  code: string;
  /** The code is a formula landscape's (PackedLandscape.shader), spliced after shaders/common/landscapes.wgsl. */
  landscape?: boolean;
}

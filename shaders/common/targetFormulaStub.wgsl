// The formula target's function (kind 11 of shaders/common/targets.wgsl) in a module built without
// a formula: (score, logp) = 0, like an unknown kind. A module built for a formula target replaces
// this piece with the formula's chunk (src/formula/compile.ts targetFormulaChunk), keyed by the
// formula's structure (src/gpu/shaders.ts TargetShader).
fn target_formula(x: vec2f) -> vec3f {
  return vec3f(0.0);
}

// The formula landscape's functions (vKind 4 / wKind 4 of shaders/common/landscapes.wgsl) in a
// module built without a formula: 0, like an unknown kind. A module built for a formula landscape
// replaces this piece with the formulas' chunk (src/formula/compile.ts landscapeFormulaChunk), keyed
// by their structure (src/gpu/shaders.ts, TargetShader with landscape: true).
fn land_formula_V(L: Landscape, x: vec2f) -> f32 {
  return 0.0;
}
fn land_formula_V_grad(L: Landscape, x: vec2f) -> vec2f {
  return vec2f(0.0);
}
fn land_formula_V_hess(L: Landscape, x: vec2f) -> vec3f {
  return vec3f(0.0);
}
fn land_formula_W(L: Landscape, z: vec2f) -> f32 {
  return 0.0;
}
fn land_formula_W_grad(L: Landscape, z: vec2f) -> vec2f {
  return vec2f(0.0);
}
fn land_formula_W_hess(L: Landscape, z: vec2f) -> vec3f {
  return vec3f(0.0);
}

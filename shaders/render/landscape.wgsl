// The energy landscape under the particles (issue 10): the same full-screen triangle as
// render/density.wgsl, shading the potential V of shaders/common/landscapes.wgsl (concatenated
// before this file: struct Landscape, land_V). Bright valleys, dark ridges:
//   u = clamp((V(x) - vMin) / (vMax - vMin), 0, 1),  colour = field_colour(1 - sqrt(u)) (common/ramp.wgsl),
// with level lines of V every (vMax - vMin) / 12. vMin and vMax are V's extremes over a coarse grid
// of the view, from the float64 twin (src/render/landscapeShade.ts). The interaction W is not drawn
// (it depends on the particles); V is the first variation of F at a point mass, up to W's constant.

struct LandscapeView {
  // [xmin, xmax, ymin, ymax] of the world rectangle shown by the canvas.
  rect: vec4f,
  vMin: f32,
  // 1 / (vMax - vMin)
  vScale: f32,
  _pad1: f32,
  _pad2: f32,
}
@group(0) @binding(0) var<uniform> view: LandscapeView;
@group(1) @binding(0) var<uniform> land: Landscape;

struct LandscapeOut {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,
}

@vertex
fn landscape_vs(@builtin(vertex_index) i: u32) -> LandscapeOut {
  let p = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  var out: LandscapeOut;
  out.position = vec4f(p * 2.0 - 1.0, 0.0, 1.0);
  out.uv = p;
  return out;
}


@fragment
fn landscape_fs(in: LandscapeOut) -> @location(0) vec4f {
  let x = vec2f(mix(view.rect.x, view.rect.y, in.uv.x), mix(view.rect.z, view.rect.w, in.uv.y));
  let u = clamp((land_V(land, x) - view.vMin) * view.vScale, 0.0, 1.0);
  let band = abs(fract(u * 12.0) - 0.5);
  let line = smoothstep(0.46, 0.5, band) * 0.2;
  return vec4f(field_colour(1.0 - sqrt(u)) + vec3f(line), 1.0);
}

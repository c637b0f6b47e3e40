// Copies the cached density texture onto the canvas (full-screen triangle, bilinear filtering):
// the density is re-rendered only when the target or the view changes, at reduced resolution.

@group(0) @binding(0) var blit_src: texture_2d<f32>;
@group(0) @binding(1) var blit_sampler: sampler;

struct BlitOut {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,
}

@vertex
fn blit_vs(@builtin(vertex_index) i: u32) -> BlitOut {
  let p = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  var out: BlitOut;
  out.position = vec4f(p * 2.0 - 1.0, 0.0, 1.0);
  // texture v runs downwards
  out.uv = vec2f(p.x, 1.0 - p.y);
  return out;
}

@fragment
fn blit_fs(in: BlitOut) -> @location(0) vec4f {
  return textureSample(blit_src, blit_sampler, in.uv);
}

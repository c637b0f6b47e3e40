// Density under the particles: a full-screen triangle whose fragments colour
// exp(logp(x) - logMax) of the bound target (shaders/common/targets.wgsl is concatenated
// before this file; it declares @group(1) tgt and target_logp). logMax is the maximum of
// logp over a coarse grid of the view, computed on the CPU (src/render/densityMax.ts), so
// the brightest pixel is ~1 whatever the normalisation of the target.

struct DensityView {
  // [xmin, xmax, ymin, ymax] of the world rectangle shown by the canvas.
  rect: vec4f,
  logMax: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}
@group(0) @binding(0) var<uniform> view: DensityView;

struct DensityOut {
  @builtin(position) position: vec4f,
  // (0,0) bottom-left .. (1,1) top-right of the canvas.
  @location(0) uv: vec2f,
}

@vertex
fn density_vs(@builtin(vertex_index) i: u32) -> DensityOut {
  let p = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  var out: DensityOut;
  out.position = vec4f(p * 2.0 - 1.0, 0.0, 1.0);
  out.uv = p;
  return out;
}


@fragment
fn density_fs(in: DensityOut) -> @location(0) vec4f {
  let x = vec2f(mix(view.rect.x, view.rect.y, in.uv.x), mix(view.rect.z, view.rect.w, in.uv.y));
  let lp = target_logp(x) - view.logMax;
  // Non-finite logp (outside the support) shows as background.
  let d = select(0.0, exp(clamp(lp, -60.0, 0.0)), lp == lp);
  // sqrt lifts the tails so low-density regions stay visible.
  let t = sqrt(d);
  // Faint level lines of logp every 1 nat inside the bright region.
  let band = abs(fract(lp) - 0.5);
  let line = smoothstep(0.47, 0.5, band) * 0.25 * step(-6.0, lp);
  return vec4f(field_colour(t) + vec3f(line * 0.25), 1.0);
}

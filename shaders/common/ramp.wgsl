// The playground's colour ramp for scalar fields drawn under the particles (the density of
// render/density.wgsl, the potential of render/landscape.wgsl): dark navy -> blue -> teal -> pale,
// readable under bright additive particles. t in [0, 1].
fn field_colour(t: f32) -> vec3f {
  let c0 = vec3f(0.035, 0.043, 0.070);
  let c1 = vec3f(0.070, 0.160, 0.360);
  let c2 = vec3f(0.110, 0.470, 0.560);
  let c3 = vec3f(0.560, 0.860, 0.800);
  if (t < 0.33) { return mix(c0, c1, t / 0.33); }
  if (t < 0.66) { return mix(c1, c2, (t - 0.33) / 0.33); }
  return mix(c2, c3, (t - 0.66) / 0.34);
}

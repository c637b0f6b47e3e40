// Particles as instanced quads (6 vertices per instance), read straight from the simulation's
// position buffer (array<vec2f>, one entry per particle): no CPU copy per frame. Each quad is a
// soft disc; the pipeline blends additively (one + one), so dense regions glow.
// On the torus each particle is drawn at its periodic images too: instance i draws particle
// i % count shifted by the cell offset of image i / count (images x images cells around [0,1)^2;
// images = 1 on the plane: no shift).

struct ParticleView {
  // [xmin, xmax, ymin, ymax] of the world rectangle shown by the canvas.
  rect: vec4f,
  // Half size of a point in clip units (x, y).
  radius: vec2f,
  // Per-particle intensity (premultiplied); scaled down for large N.
  intensity: f32,
  // Particles per image (the instance index wraps at count).
  count: u32,
  colour: vec4f,
  // Images per axis: 1 (plane) or 3 (torus: the cells around [0,1)^2).
  images: u32,
}
@group(0) @binding(0) var<uniform> view: ParticleView;
@group(0) @binding(1) var<storage, read> positions: array<vec2f>;

struct ParticleOut {
  @builtin(position) position: vec4f,
  @location(0) local: vec2f,
}

@vertex
fn particles_vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> ParticleOut {
  var corners = array<vec2f, 6>(
    vec2f(-1.0, -1.0), vec2f(1.0, -1.0), vec2f(-1.0, 1.0),
    vec2f(-1.0, 1.0), vec2f(1.0, -1.0), vec2f(1.0, 1.0),
  );
  let c = corners[v];
  let img = i / view.count;
  let shift = vec2f(f32(img % view.images), f32(img / view.images)) - f32(view.images / 2u);
  let x = positions[i % view.count] + shift;
  let uv = (x - view.rect.xz) / (view.rect.yw - view.rect.xz);
  var ndc = uv * 2.0 - 1.0;
  // NaN or huge: park the quad outside the clip volume.
  if (!(abs(ndc.x) < 1.0e6 && abs(ndc.y) < 1.0e6)) { ndc = vec2f(-10.0, -10.0); }
  var out: ParticleOut;
  out.position = vec4f(ndc + c * view.radius, 0.0, 1.0);
  out.local = c;
  return out;
}

@fragment
fn particles_fs(in: ParticleOut) -> @location(0) vec4f {
  let r2 = dot(in.local, in.local);
  if (r2 > 1.0) { discard; }
  let a = view.intensity * (1.0 - r2);
  return vec4f(view.colour.rgb * a, a);
}

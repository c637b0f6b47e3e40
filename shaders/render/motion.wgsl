// Velocity arrows and trails, drawn from a render-owned ring of position copies (no CPU read-back).
// The renderer copies the first `stride` particles of the simulation's position buffer into ring
// slot `head` (copyBufferToBuffer) on every frame whose step count changed; slot head - 1 holds the
// frame before. Float64 twin of the geometry: src/render/motion.ts (motionSegment, motionVertex).
//
// mode 0, arrows: one segment per particle, from x (slot head) to x + gain * (x - x_prev), where
//   gain = magnification / (steps between the two slots): the mean displacement per step, magnified.
// mode 1, trails: `segments` segments per particle joining slots head - j - 1 -> head - j.
// On the torus (periodic = 1) differences are minimum-image (d - floor(d + 0.5)) and each segment is
// also drawn at the images x images periodic images, like the particles.
//
// Each instance is 9 vertices: a quad for the shaft (0..5), then the arrowhead triangle (6..8;
// collapsed to a point in trails mode). Widths are in device pixels (`px`: clip units per pixel).

struct MotionView {
  // [xmin, xmax, ymin, ymax] of the world rectangle shown by the canvas.
  rect: vec4f,
  // Premultiplied by alpha in the fragment shader.
  colour: vec4f,
  // Clip units per device pixel (x, y).
  px: vec2f,
  // Half width of a shaft (device pixels).
  halfWidth: f32,
  // Arrowhead length (device pixels); its half width is half of it.
  headPx: f32,
  // Arrows: world length per world unit of displacement between the two newest slots.
  gain: f32,
  // Particles drawn per segment set (instance index wraps at count), <= stride.
  count: u32,
  // Points per ring slot.
  stride: u32,
  // Ring slots.
  slots: u32,
  // Newest slot.
  head: u32,
  // Segments per particle (arrows 1, trails k - 1).
  segments: u32,
  // Images per axis: 1 (plane) or 3 (torus).
  images: u32,
  // 1 on the torus: minimum-image differences.
  periodic: u32,
  // 0 arrows, 1 trails.
  mode: u32,
}
@group(0) @binding(0) var<uniform> view: MotionView;
@group(0) @binding(1) var<storage, read> ring: array<vec2f>;

struct MotionSegment {
  a: vec2f,
  b: vec2f,
  // 1 for the newest segment, fading towards the oldest (trails).
  fade: f32,
}

fn motion_delta(d: vec2f) -> vec2f {
  if (view.periodic == 1u) { return d - floor(d + vec2f(0.5)); }
  return d;
}

fn motion_point(slot: u32, p: u32) -> vec2f {
  return ring[slot * view.stride + p];
}

// World endpoints of segment `seg` of particle `p`.
fn motion_segment(p: u32, seg: u32) -> MotionSegment {
  var out: MotionSegment;
  if (view.mode == 0u) {
    let x = motion_point(view.head, p);
    let prev = motion_point((view.head + view.slots - 1u) % view.slots, p);
    out.a = x;
    out.b = x + motion_delta(x - prev) * view.gain;
    out.fade = 1.0;
  } else {
    let newer = (view.head + view.slots - seg) % view.slots;
    let older = (view.head + 2u * view.slots - seg - 1u) % view.slots;
    let b = motion_point(newer, p);
    out.a = b - motion_delta(b - motion_point(older, p));
    out.b = b;
    out.fade = 1.0 - f32(seg) / f32(max(view.segments, 1u));
  }
  return out;
}

struct MotionOut {
  @builtin(position) position: vec4f,
  @location(0) fade: f32,
}

@vertex
fn motion_vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> MotionOut {
  let per = view.count * view.segments;
  let img = i / per;
  let rest = i % per;
  let p = rest % view.count;
  let seg = rest / view.count;
  let shift = vec2f(f32(img % view.images), f32(img / view.images)) - f32(view.images / 2u);
  let s = motion_segment(p, seg);
  let span = view.rect.yw - view.rect.xz;
  // endpoints in device pixels (clip / px)
  let ap = (((s.a + shift - view.rect.xz) / span) * 2.0 - 1.0) / view.px;
  let bp = (((s.b + shift - view.rect.xz) / span) * 2.0 - 1.0) / view.px;
  let d = bp - ap;
  let len = length(d);
  var out: MotionOut;
  out.fade = s.fade;
  // NaN, huge or zero-length: park the vertex outside the clip volume.
  if (!(len > 1.0e-4 && len < 1.0e7 && abs(ap.x) < 1.0e7 && abs(ap.y) < 1.0e7)) {
    out.position = vec4f(-10.0, -10.0, 0.0, 1.0);
    return out;
  }
  let dir = d / len;
  let nrm = vec2f(-dir.y, dir.x);
  var head = 0.0;
  if (view.mode == 0u) { head = min(view.headPx, 0.5 * len); }
  let shaftEnd = bp - dir * head;
  var q: vec2f;
  if (v < 6u) {
    // two triangles: (a-, e-, a+), (a+, e-, e+)
    var ts = array<f32, 6>(0.0, 1.0, 0.0, 0.0, 1.0, 1.0);
    var ss = array<f32, 6>(-1.0, -1.0, 1.0, 1.0, -1.0, 1.0);
    q = mix(ap, shaftEnd, ts[v]) + nrm * (ss[v] * view.halfWidth);
  } else if (v == 6u) {
    q = bp;
  } else if (v == 7u) {
    q = shaftEnd + nrm * (0.5 * head);
  } else {
    q = shaftEnd - nrm * (0.5 * head);
  }
  out.position = vec4f(q * view.px, 0.0, 1.0);
  return out;
}

@fragment
fn motion_fs(in: MotionOut) -> @location(0) vec4f {
  let a = view.colour.a * in.fade;
  return vec4f(view.colour.rgb * a, a);
}

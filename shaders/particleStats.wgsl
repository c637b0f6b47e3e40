// particleStats: reductions over all particles on the GPU, so blow-ups are detected without reading
// the particles back. Per particle (finite ones only): count, x, y, x^2, xy, y^2, max(|x|,|y|); and the
// number of non-finite particles (NaN/inf tested on the bit pattern, which no fast-math may drop).
//   entry `statsPartial`: one workgroup -> partials[2w], partials[2w+1]
//   entry `statsFinal`:  one workgroup folds all partials -> result[0], result[1]
//   vec4 A = (count, sum x, sum y, sum x^2), vec4 B = (sum xy, sum y^2, max abs, non-finite count)
// Twin: src/reference/particleStats.ts.

struct StatsParams {
  n: u32,
  numPartials: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: StatsParams;
@group(0) @binding(1) var<storage, read> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> partials: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> result: array<vec4f, 2>;

// Workgroup size, a power of two (the tree fold halves it); set from src/gpu/workgroups.ts.
override WG: u32 = 256u;
var<workgroup> ra: array<vec4f, WG>;
var<workgroup> rb: array<vec4f, WG>;

fn is_finite_f32(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

fn fold(t: u32) {
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (t < s) {
      let a = ra[t + s];
      let b = rb[t + s];
      ra[t] = ra[t] + a;
      rb[t] = vec4f(rb[t].x + b.x, rb[t].y + b.y, max(rb[t].z, b.z), rb[t].w + b.w);
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn statsPartial(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) t: u32,
           @builtin(workgroup_id) wid: vec3u) {
  let i = gid.x;
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  if (i < params.n) {
    let p = pos[i];
    if (is_finite_f32(p.x) && is_finite_f32(p.y)) {
      a = vec4f(1.0, p.x, p.y, p.x * p.x);
      b = vec4f(p.x * p.y, p.y * p.y, max(abs(p.x), abs(p.y)), 0.0);
    } else {
      b = vec4f(0.0, 0.0, 0.0, 1.0);
    }
  }
  ra[t] = a;
  rb[t] = b;
  workgroupBarrier();
  fold(t);
  if (t == 0u) {
    partials[2u * wid.x] = ra[0];
    partials[2u * wid.x + 1u] = rb[0];
  }
}

@compute @workgroup_size(WG)
fn statsFinal(@builtin(local_invocation_index) t: u32) {
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  for (var k = t; k < params.numPartials; k = k + WG) {
    let pa = partials[2u * k];
    let pb = partials[2u * k + 1u];
    a = a + pa;
    b = vec4f(b.x + pb.x, b.y + pb.y, max(b.z, pb.z), b.w + pb.w);
  }
  ra[t] = a;
  rb[t] = b;
  workgroupBarrier();
  fold(t);
  if (t == 0u) {
    result[0] = ra[0];
    result[1] = rb[0];
  }
}

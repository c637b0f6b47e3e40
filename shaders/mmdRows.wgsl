// mmdRows: kernel row sums for the squared MMD (Gretton et al. 2012, V-statistic),
//   rows[i] = sum_{j < nb} k(a_i, b_j),  i < na;
//   MMD^2 = sum(rows_xx)/N^2 + sum(rows_yy)/M^2 - 2 sum(rows_xy)/(N M)   (on the CPU, from the rows)
// Kernels as in shaders/mmdFlowStep.wgsl: 0 gaussian exp(-r^2/(2 bw2)), 1 imq (bw2 + r^2)^(-1/2),
// 2 energy -r (then MMD^2 is the energy distance). Tiled through workgroup memory.
// Twin: src/reference/mmdRows.ts.

struct MmdRowsParams {
  na: u32,
  nb: u32,
  kernel: u32,
  _pad0: u32,
  bw2: f32,
  _pad1: f32,
  _pad2: f32,
  _pad3: f32,
}

@group(0) @binding(0) var<uniform> params: MmdRowsParams;
@group(0) @binding(1) var<storage, read> a: array<vec2f>;
@group(0) @binding(2) var<storage, read> b: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> rows: array<f32>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec2f, WG>;

fn mmd_kernel(d: vec2f) -> f32 {
  let r2 = dot(d, d);
  switch (params.kernel) {
    case 0u: {
      return exp(-0.5 * r2 / params.bw2);
    }
    case 1u: {
      return inverseSqrt(params.bw2 + r2);
    }
    default: {
      return -sqrt(r2);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let nb = params.nb;
  let i = gid.x;
  let inRange = i < params.na;
  var ai = vec2f(0.0);
  if (inRange) {
    ai = a[i];
  }
  var acc = 0.0;
  for (var base = 0u; base < nb; base = base + WG) {
    let j = base + lid;
    if (j < nb) {
      tile[lid] = b[j];
    }
    workgroupBarrier();
    let count = min(WG, nb - base);
    for (var t = 0u; t < count; t = t + 1u) {
      acc = acc + mmd_kernel(ai - tile[t]);
    }
    workgroupBarrier();
  }
  if (inRange) {
    rows[i] = acc;
  }
}

// distRows: row sums of Euclidean distances, for the energy distance
//   ED(mu, nu) = 2 E|X - Y| - E|X - X'| - E|Y - Y'|   (Szekely & Rizzo 2013)
//   rows[i] = sum_{j < nb} |a_i - b_j|,  i < na.  Tiled through workgroup memory.
// Twin: src/reference/distRows.ts.

struct DistParams {
  na: u32,
  nb: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: DistParams;
@group(0) @binding(1) var<storage, read> a: array<vec2f>;
@group(0) @binding(2) var<storage, read> b: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> rows: array<f32>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec2f, WG>;

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
      acc = acc + length(ai - tile[t]);
    }
    workgroupBarrier();
  }
  if (inRange) {
    rows[i] = acc;
  }
}

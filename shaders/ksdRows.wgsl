// ksdRows: row sums of the Stein kernel for the kernel Stein discrepancy (Liu, Lee & Jordan 2016;
// Gorham & Mackey 2017) with the IMQ kernel k(x, y) = (c^2 + |x - y|^2)^beta, c = 1, beta = -1/2:
//   u(x, y) = k s(x).s(y) + s(x).grad_y k + s(y).grad_x k + tr(grad_x grad_y k)
//   with r = x - y, q = c^2 + |r|^2:  grad_x k = 2 beta q^(beta-1) r = -grad_y k,
//   tr(grad_x grad_y k) = -2 beta d q^(beta-1) - 4 beta (beta-1) q^(beta-2) |r|^2   (d = 2)
//   rows[i] = sum_{j < m} u(x_i, x_j),  KSD^2 = (1/m^2) sum_i rows[i]  (V-statistic; summed in f64 on the CPU)
// Tiled through workgroup memory like svgdStep. Twin: src/reference/ksdRows.ts.

struct KsdParams {
  m: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: KsdParams;
@group(0) @binding(1) var<storage, read> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read> scores: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> rows: array<f32>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec4f, WG>;

const BETA: f32 = -0.5;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let m = params.m;
  let i = gid.x;
  let inRange = i < m;
  var xi = vec2f(0.0);
  var si = vec2f(0.0);
  if (inRange) {
    xi = pos[i];
    si = scores[i].xy;
  }
  var acc = 0.0;
  for (var base = 0u; base < m; base = base + WG) {
    let j = base + lid;
    if (j < m) {
      tile[lid] = vec4f(pos[j], scores[j].xy);
    }
    workgroupBarrier();
    let count = min(WG, m - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let r = xi - e.xy;
      let r2 = dot(r, r);
      let q = 1.0 + r2;
      let k = inverseSqrt(q);          // q^beta, beta = -1/2
      let k1 = k / q;                  // q^(beta-1)
      let k2 = k1 / q;                 // q^(beta-2)
      let sj = e.zw;
      acc = acc + k * dot(si, sj) - 2.0 * BETA * k1 * dot(si, r) + 2.0 * BETA * k1 * dot(sj, r)
        - 4.0 * BETA * k1 - 4.0 * BETA * (BETA - 1.0) * k2 * r2;
    }
    workgroupBarrier();
  }
  if (inRange) {
    rows[i] = acc;
  }
}

// svgdStep: one Stein variational gradient descent step (Liu & Wang 2016) with the RBF kernel
// k(x, y) = exp(-|x - y|^2 / (2 sigma^2)):
//   phi(x_i) = (1/N) sum_j [ k(x_j, x_i) s(x_j) + grad_{x_j} k(x_j, x_i) ]
//            = (1/N) sum_j k(x_j, x_i) [ s(x_j) + (x_i - x_j) / sigma^2 ]
//   x_i <- x_i + h phi(x_i)
// The O(N^2) sum is tiled through workgroup memory: each workgroup loads WG (x_j, s_j) pairs at a
// time and every thread accumulates its own i over the tile. Writes to posOut (ping-pong), since
// every i reads every x_j. Twin: src/reference/svgdStep.ts.

struct SvgdParams {
  n: u32,
  // 1: use params.sigma2; 0: use bw[0] (written on the GPU by medianBandwidth)
  fixedBandwidth: u32,
  _pad0: u32,
  _pad1: u32,
  h: f32,
  sigma2: f32,
  _pad2: f32,
  _pad3: f32,
}

@group(0) @binding(0) var<uniform> params: SvgdParams;
@group(0) @binding(1) var<storage, read> posIn: array<vec2f>;
@group(0) @binding(2) var<storage, read> scores: array<vec4f>;
@group(0) @binding(3) var<storage, read> bw: array<f32>;
@group(0) @binding(4) var<storage, read_write> posOut: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec4f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i = gid.x;
  let inRange = i < n;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = posIn[i];
  }
  var s2 = bw[0];
  if (params.fixedBandwidth == 1u) {
    s2 = params.sigma2;
  }
  let inv = 1.0 / s2;
  let c = -0.5 * inv;
  var acc = vec2f(0.0);
  for (var base = 0u; base < n; base = base + WG) {
    let j = base + lid;
    if (j < n) {
      tile[lid] = vec4f(posIn[j], scores[j].xy);
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      let d = xi - e.xy;
      let k = exp(c * dot(d, d));
      acc = acc + k * (e.zw + d * inv);
    }
    workgroupBarrier();
  }
  if (inRange) {
    posOut[i] = xi + params.h * acc / f32(n);
  }
}

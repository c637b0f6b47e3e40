// svgdStep: one Stein variational gradient descent step (Liu & Wang 2016), METHODS.md section 2:
//   phi(x_i) = (1/N) sum_j [ k(x_j, x_i) s(x_j) + grad_{x_j} k(x_j, x_i) ],   x_i <- x_i + h phi(x_i)
// with d = x_i - x_j and r^2 = |d|^2:
//   kernel 0, RBF k = exp(-r^2 / (2 sigma^2)):       grad_{x_j} k = k d / sigma^2
//   kernel 1, IMQ k = (c^2 + r^2)^beta, beta in (-1, 0): grad_{x_j} k = -2 beta k d / (c^2 + r^2)
// sigma^2 (RBF) or c^2 (IMQ) is params.sigma2, or bw[0] from medianBandwidth.
// periodic = 1 (domain torus): d is the minimum image d - round(d) and x_i is wrapped into [0,1)^2.
// The O(N^2) sum is tiled through workgroup memory: each workgroup loads WG (x_j, s_j) pairs at a
// time and every thread accumulates its own i over the tile. Writes to posOut (ping-pong), since
// every i reads every x_j. Twin: src/reference/svgdStep.ts.

struct SvgdParams {
  n: u32,
  // 1: use params.sigma2; 0: use bw[0] (written on the GPU by medianBandwidth)
  fixedBandwidth: u32,
  // 0 RBF, 1 IMQ
  kernel: u32,
  // 1: torus (minimum-image differences, positions wrapped mod 1)
  periodic: u32,
  h: f32,
  sigma2: f32,
  beta: f32,
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
  let beta = params.beta;
  let imq = params.kernel == 1u;
  let periodic = params.periodic == 1u;
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
      var d = xi - e.xy;
      if (periodic) {
        d = d - round(d);
      }
      let r2 = dot(d, d);
      if (imq) {
        let q = s2 + r2;
        let k = exp(beta * log(q));
        acc = acc + k * e.zw - (2.0 * beta * k / q) * d;
      } else {
        let k = exp(c * r2);
        acc = acc + k * (e.zw + d * inv);
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    var p = xi + params.h * acc / f32(n);
    if (periodic) {
      p = p - floor(p);
      p = select(p, vec2f(0.0), p >= vec2f(1.0));
    }
    posOut[i] = p;
  }
}

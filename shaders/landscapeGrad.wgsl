// landscapeGrad: the particle Wasserstein gradient and per-particle energy of a landscape
// (issue 10, METHODS.md section 6), mu = (1/N) sum_i delta_{x_i}:
//   g_i = grad V(x_i) + (1/N) sum_j grad_1 W(x_i, x_j)
//   e_i = V(x_i) + (1/(2N)) sum_j W(x_i, x_j)
// entry `main`: the O(N^2) sums tiled through workgroup memory (like svgdStep).
// entry `reduce`: one workgroup, sums[0] = F = (1/N) sum e_i, sums[1] = |g|_mu^2 = (1/N) sum |g_i|^2.
// Twin: src/reference/landscapeGrad.ts.

struct GradParams {
  n: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: GradParams;
@group(0) @binding(1) var<uniform> land: Landscape;
@group(0) @binding(2) var<storage, read> pos: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> grad: array<vec2f>;
@group(0) @binding(4) var<storage, read_write> energy: array<f32>;
@group(0) @binding(5) var<storage, read_write> sums: array<f32>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec2f, WG>;
var<workgroup> red: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i = gid.x;
  let inRange = i < n;
  let L = land;
  var xi = vec2f(0.0);
  if (inRange) {
    xi = pos[i];
  }
  var acc = vec2f(0.0);
  var w = 0.0;
  for (var base = 0u; base < n; base = base + WG) {
    let j = base + lid;
    if (j < n) {
      tile[lid] = pos[j];
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let xj = tile[t];
      let gw = land_pair_grad(L, xi, xj);
      acc = acc + gw.xy;
      w = w + gw.z;
    }
    workgroupBarrier();
  }
  if (inRange) {
    let fn_ = f32(n);
    grad[i] = land_grad_V(L, xi) + acc / fn_;
    energy[i] = land_V(L, xi) + w / (2.0 * fn_);
  }
}

@compute @workgroup_size(WG)
fn reduce(@builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  var s = vec2f(0.0);
  for (var i = lid; i < n; i = i + WG) {
    let g = grad[i];
    s = s + vec2f(energy[i], dot(g, g));
  }
  red[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      red[lid] = red[lid] + red[lid + h];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    sums[0] = red[0].x / f32(n);
    sums[1] = red[0].y / f32(n);
  }
}

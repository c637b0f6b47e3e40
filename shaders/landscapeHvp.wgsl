// landscapeHvp: the particle Wasserstein Hessian applied to a tangent field v (issue 10,
// METHODS.md section 6, with a general W(x, y)):
//   (H v)_i = hess V(x_i) v_i + (1/N) sum_j [ hess_11 W(x_i, x_j) v_i + hess_12 W(x_i, x_j) v_j ]
// (the derivative of landscapeGrad's g_i along x + t v; H = N hess_X F). The O(N^2) sum is tiled
// through workgroup memory: each workgroup loads WG (x_j, v_j) pairs at a time.
// v is vector number slot[0] of vin (vin[slot[0] * n + i]): the Lanczos basis Q lives in one buffer
// and slot is the Lanczos state, whose word 0 is the current step j (shaders/lanczosVec.wgsl).
// Twin: src/reference/landscapeHvp.ts.

struct HvpParams {
  n: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: HvpParams;
@group(0) @binding(1) var<uniform> land: Landscape;
@group(0) @binding(2) var<storage, read> pos: array<vec2f>;
@group(0) @binding(3) var<storage, read> vin: array<vec2f>;
@group(0) @binding(4) var<storage, read> slot: array<u32>;
@group(0) @binding(5) var<storage, read_write> hv: array<vec2f>;

override WG: u32 = 256u;
var<workgroup> tile: array<vec4f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i = gid.x;
  let inRange = i < n;
  let L = land;
  let off = slot[0] * n;
  var xi = vec2f(0.0);
  var vi = vec2f(0.0);
  if (inRange) {
    xi = pos[i];
    vi = vin[off + i];
  }
  var acc = vec2f(0.0);
  for (var base = 0u; base < n; base = base + WG) {
    let j = base + lid;
    if (j < n) {
      tile[lid] = vec4f(pos[j], vin[off + j]);
    }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var t = 0u; t < count; t = t + 1u) {
      let e = tile[t];
      acc = acc + land_pair_hvp(L, xi, e.xy, vi, e.zw);
    }
    workgroupBarrier();
  }
  if (inRange) {
    hv[i] = land_sym_mul(land_hess_V(L, xi), vi) + acc / f32(n);
  }
}

// pmDeposit: particle-mesh deposit on the torus T^2 = [0,1)^2 (METHODS.md section 2, particle-mesh
// convolution for Riesz-kernel SVGD). Grid node (a, b) sits at (a, b) / G; each particle spreads
// its weight bilinearly (cloud-in-cell) over the 4 nodes around it, periodically:
//   rho_g(a, b) = (1/N) sum_j W(a - G x_j) W(b - G y_j),  W(t) = max(0, 1 - |t|)
//   S_g(a, b)   = (1/N) sum_j s(x_j) W(a - G x_j) W(b - G y_j)
// (transform of the deposit at mode xi: rhohat_N(xi) sinc^2(pi xi_x / G) sinc^2(pi xi_y / G) + aliases).
// WGSL has no float atomics: the sums go into atomic<u32> cells through a compare-exchange loop
// on the f32 bit pattern (the order of additions is unspecified: f32 rounding differs run to run).
// Entry points, in order: clear (acc = 0), deposit (one thread per particle), pack (one thread per
// cell): grid field 0 = (rho_g, 0), field 1 = (Sx_g, Sy_g) as complex arrays for the FFT.
// Twin: src/reference/pmDeposit.ts.

struct PmDepositParams {
  n: u32,
  g: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: PmDepositParams;
@group(0) @binding(1) var<storage, read> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read> scores: array<vec4f>;
// 3 channels of G^2 cells: rho, Sx, Sy (f32 bits)
@group(0) @binding(3) var<storage, read_write> acc: array<atomic<u32>>;
// 2 complex fields of G^2: (rho, 0), (Sx, Sy)
@group(0) @binding(4) var<storage, read_write> grid: array<vec2f>;

override WG: u32 = 256u;

fn atomic_add_f32(i: u32, v: f32) {
  var old = atomicLoad(&acc[i]);
  loop {
    let r = atomicCompareExchangeWeak(&acc[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}

@compute @workgroup_size(WG)
fn clear(@builtin(global_invocation_id) gid: vec3u) {
  let g2 = params.g * params.g;
  if (gid.x < 3u * g2) {
    atomicStore(&acc[gid.x], 0u);
  }
}

@compute @workgroup_size(WG)
fn deposit(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let g = params.g;
  let gf = f32(g);
  let u = pos[i] * gf;
  let c0 = min(vec2u(floor(u)), vec2u(g - 1u));
  let f = u - vec2f(c0);
  let c1 = (c0 + 1u) % g;
  let inv = 1.0 / f32(params.n);
  let s = scores[i].xy * inv;
  let g2 = g * g;
  let ws = array<f32, 4>((1.0 - f.x) * (1.0 - f.y), f.x * (1.0 - f.y), (1.0 - f.x) * f.y, f.x * f.y);
  let cells = array<u32, 4>(c0.y * g + c0.x, c0.y * g + c1.x, c1.y * g + c0.x, c1.y * g + c1.x);
  for (var q = 0u; q < 4u; q++) {
    let w = ws[q];
    let c = cells[q];
    atomic_add_f32(c, w * inv);
    atomic_add_f32(g2 + c, w * s.x);
    atomic_add_f32(2u * g2 + c, w * s.y);
  }
}

@compute @workgroup_size(WG)
fn pack(@builtin(global_invocation_id) gid: vec3u) {
  let g2 = params.g * params.g;
  let c = gid.x;
  if (c >= g2) {
    return;
  }
  grid[c] = vec2f(bitcast<f32>(atomicLoad(&acc[c])), 0.0);
  grid[g2 + c] = vec2f(bitcast<f32>(atomicLoad(&acc[g2 + c])), bitcast<f32>(atomicLoad(&acc[2u * g2 + c])));
}

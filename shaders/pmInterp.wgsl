// pmInterp: the last step of particle-mesh Riesz SVGD on T^2 (METHODS.md section 2): interpolate
// the velocity field phi (grid field phi_x + i phi_y, from the inverse FFT) back to each particle
// with the same cloud-in-cell weights as pmDeposit, then x_i <- (x_i + h phi(x_i)) mod 1.
// Twin: src/reference/pmInterp.ts.

struct PmInterpParams {
  n: u32,
  g: u32,
  _pad0: u32,
  _pad1: u32,
  h: f32,
  _pad2: f32,
  _pad3: f32,
  _pad4: f32,
}

@group(0) @binding(0) var<uniform> params: PmInterpParams;
@group(0) @binding(1) var<storage, read> posIn: array<vec2f>;
@group(0) @binding(2) var<storage, read> field: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> posOut: array<vec2f>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) {
    return;
  }
  let g = params.g;
  let x = posIn[i];
  let u = x * f32(g);
  let c0 = min(vec2u(floor(u)), vec2u(g - 1u));
  let f = u - vec2f(c0);
  let c1 = (c0 + 1u) % g;
  let phi = (1.0 - f.x) * (1.0 - f.y) * field[c0.y * g + c0.x] + f.x * (1.0 - f.y) * field[c0.y * g + c1.x]
    + (1.0 - f.x) * f.y * field[c1.y * g + c0.x] + f.x * f.y * field[c1.y * g + c1.x];
  posOut[i] = wrap_unit(x + params.h * phi);
}

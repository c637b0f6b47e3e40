// Landscapes: energies F(rho) = int V drho + 1/2 int int W(x, y) drho drho on P2(R^2), in f32
// (issue 10, METHODS.md section 6). Twin: src/reference/landscapes.ts (same functions, same order,
// float64); packing: src/landscapes/presets.ts (landscapeUniform). W(x, y) is a general symmetric
// interaction, not only a function of x - y: hess_12 W = d^2 W / dx dy is a general 2x2 matrix.
//   vKind 0: V = 0
//   vKind 1: V = (k/2) |x - m|^2,               v = (m1, m2, k, 0)
//   vKind 2: V = (x1^2 - 1)^2 / 4 + x2^2 / 2    (double well)
//   wKind 0: W = 0
//   wKind 1: W = (c/2) |x - y|^2,               w = (c, 0, 0, 0)
//   wKind 2: W = |z|^a / a - |z|^b / b, z = x - y, w = (a, b, 0, 0), a > b >= 2
// Symmetric 2x2 matrices are vec3f (h11, h12, h22).

struct Landscape {
  vKind: u32,
  wKind: u32,
  _pad0: u32,
  _pad1: u32,
  v: vec4f,
  w: vec4f,
}

fn land_V(L: Landscape, x: vec2f) -> f32 {
  if (L.vKind == 1u) {
    let d = x - L.v.xy;
    return 0.5 * L.v.z * dot(d, d);
  }
  if (L.vKind == 2u) {
    let q = x.x * x.x - 1.0;
    return 0.25 * q * q + 0.5 * x.y * x.y;
  }
  return 0.0;
}

fn land_grad_V(L: Landscape, x: vec2f) -> vec2f {
  if (L.vKind == 1u) {
    return L.v.z * (x - L.v.xy);
  }
  if (L.vKind == 2u) {
    return vec2f(x.x * (x.x * x.x - 1.0), x.y);
  }
  return vec2f(0.0);
}

fn land_hess_V(L: Landscape, x: vec2f) -> vec3f {
  if (L.vKind == 1u) {
    return vec3f(L.v.z, 0.0, L.v.z);
  }
  if (L.vKind == 2u) {
    return vec3f(3.0 * x.x * x.x - 1.0, 0.0, 1.0);
  }
  return vec3f(0.0);
}

// |z|^e (e >= 0) from r2 = |z|^2, with 0^0 = 1.
fn land_pow_r2(r2: f32, e: f32) -> f32 {
  if (e == 0.0) {
    return 1.0;
  }
  if (r2 == 0.0) {
    return 0.0;
  }
  return pow(r2, 0.5 * e);
}

fn land_W(L: Landscape, x: vec2f, y: vec2f) -> f32 {
  let z = x - y;
  let r2 = dot(z, z);
  if (L.wKind == 1u) {
    return 0.5 * L.w.x * r2;
  }
  if (L.wKind == 2u) {
    return land_pow_r2(r2, L.w.x) / L.w.x - land_pow_r2(r2, L.w.y) / L.w.y;
  }
  return 0.0;
}

// grad_x W(x, y)
fn land_grad_W1(L: Landscape, x: vec2f, y: vec2f) -> vec2f {
  let z = x - y;
  if (L.wKind == 1u) {
    return L.w.x * z;
  }
  if (L.wKind == 2u) {
    let r2 = dot(z, z);
    return (land_pow_r2(r2, L.w.x - 2.0) - land_pow_r2(r2, L.w.y - 2.0)) * z;
  }
  return vec2f(0.0);
}

// hess |z|^p / p = s I + t z z^T: (s, t), t = (p - 2) |z|^(p-4) (0 at z = 0 or p = 2).
fn land_power_hess(r2: f32, p: f32) -> vec2f {
  let s = land_pow_r2(r2, p - 2.0);
  var t = 0.0;
  if (r2 != 0.0 && p != 2.0) {
    t = (p - 2.0) * land_pow_r2(r2, p - 4.0);
  }
  return vec2f(s, t);
}

// hess_xx W(x, y), symmetric (h11, h12, h22)
fn land_hess_W11(L: Landscape, x: vec2f, y: vec2f) -> vec3f {
  let z = x - y;
  if (L.wKind == 1u) {
    return vec3f(L.w.x, 0.0, L.w.x);
  }
  if (L.wKind == 2u) {
    let r2 = dot(z, z);
    let st = land_power_hess(r2, L.w.x) - land_power_hess(r2, L.w.y);
    return vec3f(st.x + st.y * z.x * z.x, st.y * z.x * z.y, st.x + st.y * z.y * z.y);
  }
  return vec3f(0.0);
}

// hess_xy W(x, y) = d/dy grad_x W, general 2x2: columns of the mat2x2f (WGSL is column-major),
// so m * v is the matrix-vector product. For W(x - y) it is -hess W(z).
fn land_hess_W12(L: Landscape, x: vec2f, y: vec2f) -> mat2x2f {
  if (L.wKind == 1u || L.wKind == 2u) {
    let h = land_hess_W11(L, x, y);
    return mat2x2f(-h.x, -h.y, -h.y, -h.z);
  }
  return mat2x2f(0.0, 0.0, 0.0, 0.0);
}

fn land_sym_mul(h: vec3f, v: vec2f) -> vec2f {
  return vec2f(h.x * v.x + h.y * v.y, h.y * v.x + h.z * v.y);
}

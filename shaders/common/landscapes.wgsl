// Landscapes: energies F(rho) = int V drho + 1/2 int int W(x, y) drho drho on P2(R^2), in f32
// (issue 10, METHODS.md section 6). Twin: src/reference/landscapes.ts (same functions, same order,
// float64); packing: src/landscapes/presets.ts (landscapeUniform). W(x, y) is a general symmetric
// interaction, not only a function of x - y: hess_12 W = d^2 W / dx dy is a general 2x2 matrix.
//   vKind 0: V = 0
//   vKind 1: V = (k/2) |x - m|^2,               v = (m1, m2, k, 0)
//   vKind 2: double well, wells m -+ d,         v = (m1, m2, d1, d2), d != 0: r = x - m,
//            s = d.r / |d|^2, t = (d1 r2 - d2 r1) / |d|, V = (s^2 - 1)^2 / 4 + t^2 / 2
//            (v = (0, 0, 1, 0): V = (x1^2 - 1)^2 / 4 + x2^2 / 2, s = x1, t = x2)
//   wKind 0: W = 0
//   wKind 1: W = (c/2) |x - y|^2,               w = (c, 0, 0, 0)
//   wKind 2: W = |z|^a / a - |z|^b / b, z = x - y, w = (a, b, 0, 0), a > b >= 2
//   vKind 3 + wKind 3: mean-field two-layer network (two-layer-net): a particle is a neuron
//            theta = (w, b), phi = (u, 1), z = theta . phi, sigma = tanh (argument clamped to
//            [-15, 15]), data u_m = R (-1 + 2 m / (M - 1)), teacher y(u) = (sigma(w*1 u + b*1) +
//            sigma(w*2 u + b*2)) / 2, F = 1/2 E_u (y - f_rho)^2:
//            V = E_u [y^2 / 2 - y sigma(z)], W = E_u sigma(z) sigma(z'),
//            v = (w*1, b*1, w*2, b*2), w = (M, R, 0, 0) (V reads M, R from w as well)
//   vKind 4 + wKind 4: formulas V(x) and W(z), z = x - y, typed by the user (issue 20): the functions
//            land_formula_V / _V_grad / _V_hess and land_formula_W / _W_grad / _W_hess come from a
//            chunk appended per formula (src/formula/compile.ts landscapeFormulaChunk;
//            shaders/common/landscapeFormulaStub.wgsl, returning 0, when the module has none);
//            parameters 0-3 in v, 4-7 in w. Twin: the formulas' float64 programs (PackedLandscape.host).
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
    let st = land_well_coords(L, x);
    let q = st.x * st.x - 1.0;
    return 0.25 * q * q + 0.5 * st.y * st.y;
  }
  if (L.vKind == 3u) {
    let M = land_net_m(L);
    var s = 0.0;
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      let y = land_net_y(L, u);
      s = s + 0.5 * y * y - y * land_act(x.x * u + x.y).x;
    }
    return s / f32(M);
  }
  if (L.vKind == 4u) {
    return land_formula_V(L, x);
  }
  return 0.0;
}

// The double well's coordinates (s, t) of x (vKind 2): s along the wells in units of |d|^2, t across.
fn land_well_coords(L: Landscape, x: vec2f) -> vec2f {
  let r = x - L.v.xy;
  let d = L.v.zw;
  let l2 = dot(d, d);
  return vec2f(dot(d, r) / l2, (d.x * r.y - d.y * r.x) / sqrt(l2));
}

fn land_grad_V(L: Landscape, x: vec2f) -> vec2f {
  if (L.vKind == 1u) {
    return L.v.z * (x - L.v.xy);
  }
  if (L.vKind == 2u) {
    // s (s^2 - 1) d / |d|^2 + t d^perp / |d|
    let st = land_well_coords(L, x);
    let d = L.v.zw;
    let l2 = dot(d, d);
    let gs = st.x * (st.x * st.x - 1.0);
    return gs * d / l2 + st.y * vec2f(-d.y, d.x) / sqrt(l2);
  }
  if (L.vKind == 3u) {
    let M = land_net_m(L);
    var g = vec2f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      g = g - land_net_y(L, u) * land_act(x.x * u + x.y).y * vec2f(u, 1.0);
    }
    return g / f32(M);
  }
  if (L.vKind == 4u) {
    return land_formula_V_grad(L, x);
  }
  return vec2f(0.0);
}

fn land_hess_V(L: Landscape, x: vec2f) -> vec3f {
  if (L.vKind == 1u) {
    return vec3f(L.v.z, 0.0, L.v.z);
  }
  if (L.vKind == 2u) {
    // (3 s^2 - 1) d d^T / |d|^4 + d^perp d^perp^T / |d|^2
    let s = land_well_coords(L, x).x;
    let d = L.v.zw;
    let l2 = dot(d, d);
    let a = (3.0 * s * s - 1.0) / (l2 * l2);
    return vec3f(a * d.x * d.x + d.y * d.y / l2, a * d.x * d.y - d.x * d.y / l2, a * d.y * d.y + d.x * d.x / l2);
  }
  if (L.vKind == 3u) {
    let M = land_net_m(L);
    var h = vec3f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      h = h - land_net_y(L, u) * land_act(x.x * u + x.y).z * vec3f(u * u, u, 1.0);
    }
    return h / f32(M);
  }
  if (L.vKind == 4u) {
    return land_formula_V_hess(L, x);
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
  if (L.wKind == 3u) {
    let M = land_net_m(L);
    var s = 0.0;
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      s = s + land_act(x.x * u + x.y).x * land_act(y.x * u + y.y).x;
    }
    return s / f32(M);
  }
  if (L.wKind == 4u) {
    return land_formula_W(L, z);
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
  if (L.wKind == 3u) {
    let M = land_net_m(L);
    var g = vec2f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      g = g + land_act(x.x * u + x.y).y * land_act(y.x * u + y.y).x * vec2f(u, 1.0);
    }
    return g / f32(M);
  }
  if (L.wKind == 4u) {
    return land_formula_W_grad(L, z);
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
  if (L.wKind == 3u) {
    let M = land_net_m(L);
    var h = vec3f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      h = h + land_act(x.x * u + x.y).z * land_act(y.x * u + y.y).x * vec3f(u * u, u, 1.0);
    }
    return h / f32(M);
  }
  if (L.wKind == 4u) {
    return land_formula_W_hess(L, z);
  }
  return vec3f(0.0);
}

// hess_xy W(x, y) = d/dy grad_x W, general 2x2: columns of the mat2x2f (WGSL is column-major),
// so m * v is the matrix-vector product. For W(x - y) it is -hess W(z).
fn land_hess_W12(L: Landscape, x: vec2f, y: vec2f) -> mat2x2f {
  if (L.wKind == 1u || L.wKind == 2u || L.wKind == 4u) {
    let h = land_hess_W11(L, x, y);
    return mat2x2f(-h.x, -h.y, -h.y, -h.z);
  }
  if (L.wKind == 3u) {
    // E_u sigma'(z) sigma'(z') phi phi^T: symmetric, so the column order does not matter
    let M = land_net_m(L);
    var h = vec3f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      h = h + land_act(x.x * u + x.y).y * land_act(y.x * u + y.y).y * vec3f(u * u, u, 1.0);
    }
    h = h / f32(M);
    return mat2x2f(h.x, h.y, h.y, h.z);
  }
  return mat2x2f(0.0, 0.0, 0.0, 0.0);
}

fn land_sym_mul(h: vec3f, v: vec2f) -> vec2f {
  return vec2f(h.x * v.x + h.y * v.y, h.y * v.x + h.z * v.y);
}

// Two-layer net (vKind 3 / wKind 3): sigma = tanh, argument clamped to [-15, 15]: (sigma, sigma', sigma'').
fn land_act(z: f32) -> vec3f {
  let t = tanh(clamp(z, -15.0, 15.0));
  let d = 1.0 - t * t;
  return vec3f(t, d, -2.0 * t * d);
}

// The number of data points M, clamped to [2, 256].
fn land_net_m(L: Landscape) -> u32 {
  return u32(clamp(round(L.w.x), 2.0, 256.0));
}

// Data point u_m = R (-1 + 2 m / (M - 1)).
fn land_net_u(L: Landscape, m: u32, M: u32) -> f32 {
  return L.w.y * (-1.0 + 2.0 * f32(m) / f32(M - 1u));
}

// The teacher's label y(u) = (sigma(w*1 u + b*1) + sigma(w*2 u + b*2)) / 2.
fn land_net_y(L: Landscape, u: f32) -> f32 {
  return 0.5 * (land_act(L.v.x * u + L.v.y).x + land_act(L.v.z * u + L.v.w).x);
}

// (grad_1 W(x, y), W(x, y)) in one pass: the two-layer net's data loop once (2 tanh per point, not 4).
fn land_pair_grad(L: Landscape, x: vec2f, y: vec2f) -> vec3f {
  if (L.wKind == 3u) {
    let M = land_net_m(L);
    var a = vec3f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      let sx = land_act(x.x * u + x.y);
      let sy = land_act(y.x * u + y.y).x;
      a = a + vec3f(sx.y * sy * vec2f(u, 1.0), sx.x * sy);
    }
    return a / f32(M);
  }
  return vec3f(land_grad_W1(L, x, y), land_W(L, x, y));
}

// hess_11 W(x, y) vx + hess_12 W(x, y) vy in one pass (two-layer net: E_u [sigma''(z) sigma(z') phi.vx +
// sigma'(z) sigma'(z') phi.vy] phi, phi = (u, 1)).
fn land_pair_hvp(L: Landscape, x: vec2f, y: vec2f, vx: vec2f, vy: vec2f) -> vec2f {
  if (L.wKind == 3u) {
    let M = land_net_m(L);
    var a = vec2f(0.0);
    for (var m = 0u; m < M; m = m + 1u) {
      let u = land_net_u(L, m, M);
      let phi = vec2f(u, 1.0);
      let sx = land_act(x.x * u + x.y);
      let sy = land_act(y.x * u + y.y);
      a = a + (sx.z * sy.x * dot(phi, vx) + sx.y * sy.y * dot(phi, vy)) * phi;
    }
    return a / f32(M);
  }
  return land_sym_mul(land_hess_W11(L, x, y), vx) + land_hess_W12(L, x, y) * vy;
}

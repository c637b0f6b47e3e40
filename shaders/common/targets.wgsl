// Analytic targets: log-density and score (grad log p) of the bound target, in f32.
// Twin: src/reference/targetEval.ts (same functions, same order, float64); packing of `tgt`:
// src/targets/pack.ts. Definitions: METHODS.md "Built-in targets"; u1..u4 from Rezende &
// Mohamed (2015), "Variational inference with normalizing flows", Table 1.
//   kind 0 gaussian mixture: log p = logsumexp_k (logc_k - (x-m_k)^T P_k (x-m_k) / 2)
//          slots 2k, 2k+1 = [mx, my, logc, 0], [P11, P12, P22, 0]    (P = S^-1)
//   kind 1 banana:   y = (x1/a, a x2 + a b (x1^2 + a^2)) ~ N(m, S), det dy/dx = 1
//          slots [a, b, m1, m2], [P11, P12, P22, logc]
//   kind 2 donut:    log p = logc - (|x| - r0)^2 / c;            slot [r0, 1/c, logc, 0]
//   kind 3 funnel:   v = x2 - shift ~ N(0, sv^2), x1 | v ~ N(0, e^v); slot [shift, 1/sv^2, logc, 0]
//   kind 4 squiggle: (x1, x2 + sin(w x1)) ~ N(0, S);  slots [w, 0, logc, 0], [P11, P12, P22, 0]
//   kind 9 isotropic mixture (up to 32 components, e.g. 25gaussians), slot k = [mx, my, logc, prec]:
//          log p = logsumexp_k (logc_k - prec_k |x - m_k|^2 / 2),  logc = log w - log 2pi + log prec
//   kind 10 wrapped-Gaussian mixture on the torus [0,1)^2 (`torus-mixture`), slots as kind 0:
//          log p = logsumexp_{k, a in {-1,0,1}^2} (logc_k - (d+a)^T P_k (d+a) / 2),
//          d = (x - m_k) - round(x - m_k)   (9 images; std <= 1/4 keeps the rest below e^-18)
//   kind 11 formula (issue 20): log p typed by the user, compiled by src/formula/ to
//          `fn target_formula(x) -> vec3f` (score, logp), reading its parameters from tgt.data[0..1];
//          the function is a chunk appended to this file per formula (src/formula/compile.ts
//          targetFormulaChunk; shaders/common/targetFormulaStub.wgsl, returning 0, when the module
//          has no formula). Twin: the formula's float64 program (PackedTarget.evalPoint).
//   kind 5..8 u1..u4, p ∝ exp(-U):  w1 = sin(pi z1/2), w2 = 3 exp(-((z1-1)/0.6)^2/2),
//          w3 = 3 sigmoid((z1-1)/0.3)
//          U1 = ((|z|-2)/0.4)^2/2 - log(exp(-((z1-2)/0.6)^2/2) + exp(-((z1+2)/0.6)^2/2))
//          U2 = ((z2-w1)/0.4)^2/2
//          U3 = -log(exp(-((z2-w1)/0.35)^2/2) + exp(-((z2-w1+w2)/0.35)^2/2))
//          U4 = -log(exp(-((z2-w1)/0.4)^2/2) + exp(-((z2-w1+w3)/0.35)^2/2))
// f32 safety: mixtures use an online log-sum-exp, two-branch targets a stable softmax
// (sigmoid of the difference), the funnel's e^(-v/2) has its exponent clamped to +-40;
// sin/cos arguments are reduced to [-pi, pi] first (WGSL bounds their error only there).

struct TargetParams { kind: u32, count: u32, _pad0: u32, _pad1: u32, data: array<vec4f, 32> }
@group(1) @binding(0) var<uniform> tgt: TargetParams;

// Stands in for -inf.
const TARGET_NEG_BIG: f32 = -3.0e38;
const TARGET_PI: f32 = 3.14159265358979;
const TARGET_TWO_PI: f32 = 6.28318530717959;
const TARGET_MAX_COMPONENTS: u32 = 16u;

// (cos h, sin h) to ~1e-7 (common/trig.wgsl): WGSL's own cos/sin (absolute 2^-11 on SwiftShader)
// would be amplified by the u-targets' 1/0.35^2 factors to 1e-2 in the log-density.
fn target_cossin(h: f32) -> vec2f {
  return cossin_quarter(h * 0.6366197723675814);
}

// 1 / (1 + exp(-t)) without overflow.
fn target_sigmoid(t: f32) -> f32 {
  let e = exp(-abs(t));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), t >= 0.0);
}

// log(exp(a) + exp(b)).
fn target_log_add_exp(a: f32, b: f32) -> f32 {
  return max(a, b) + log(1.0 + exp(-abs(a - b)));
}

// Online log-sum-exp of terms l_k together with the score sum_k softmax_k (-u_k), one pass: the
// mixtures' (score, logp). Start from TARGET_LSE0; target_lse_result gives (score, logp).
struct TargetLse {
  m: f32,
  s: f32,
  g: vec2f,
}
const TARGET_LSE0 = TargetLse(TARGET_NEG_BIG, 0.0, vec2f(0.0));

fn target_lse_add(acc: TargetLse, l: f32, u: vec2f) -> TargetLse {
  if (l > acc.m) {
    let c = exp(acc.m - l);
    return TargetLse(l, acc.s * c + 1.0, acc.g * c - u);
  }
  let e = exp(l - acc.m);
  return TargetLse(acc.m, acc.s + e, acc.g - e * u);
}

fn target_lse_result(acc: TargetLse) -> vec3f {
  return vec3f(acc.g / acc.s, acc.m + log(acc.s));
}

// Gaussian component k (slots [mx, my, logc, -], [p11, p12, p22, -]) at offset d = x - m:
// (u = P d, l = logc - d.P d / 2).
fn target_gauss_term(c0: vec4f, c1: vec4f, d: vec2f) -> vec3f {
  let u = vec2f(c1.x * d.x + c1.y * d.y, c1.y * d.x + c1.z * d.y);
  return vec3f(u, c0.z - 0.5 * (d.x * u.x + d.y * u.y));
}

// (score, logp) of the gaussian mixture (kind 0).
fn target_mixture(x: vec2f) -> vec3f {
  var acc = TARGET_LSE0;
  let n = min(tgt.count, TARGET_MAX_COMPONENTS);
  for (var k = 0u; k < n; k++) {
    let c0 = tgt.data[2u * k];
    let t = target_gauss_term(c0, tgt.data[2u * k + 1u], x - c0.xy);
    acc = target_lse_add(acc, t.z, t.xy);
  }
  return target_lse_result(acc);
}

// (score, logp) of the isotropic mixture (kind 9): slot k = [mx, my, logc, prec].
fn target_iso_mixture(x: vec2f) -> vec3f {
  var acc = TARGET_LSE0;
  let n = min(tgt.count, 32u);
  for (var k = 0u; k < n; k++) {
    let c0 = tgt.data[k];
    let d = x - c0.xy;
    let u = c0.w * d;
    acc = target_lse_add(acc, c0.z - 0.5 * (d.x * u.x + d.y * u.y), u);
  }
  return target_lse_result(acc);
}

// (score, logp) of the wrapped-Gaussian mixture on the torus (kind 10): the 9 nearest images of
// every component in one log-sum-exp.
fn target_torus_mixture(x: vec2f) -> vec3f {
  var acc = TARGET_LSE0;
  let n = min(tgt.count, TARGET_MAX_COMPONENTS);
  for (var k = 0u; k < n; k++) {
    let c0 = tgt.data[2u * k];
    let c1 = tgt.data[2u * k + 1u];
    let d0 = x - c0.xy;
    let d = d0 - round(d0);
    for (var a = -1; a <= 1; a++) {
      for (var b = -1; b <= 1; b++) {
        let t = target_gauss_term(c0, c1, d + vec2f(f32(a), f32(b)));
        acc = target_lse_add(acc, t.z, t.xy);
      }
    }
  }
  return target_lse_result(acc);
}

// y = (x/a, a y + a b (x^2 + a^2)) - m;  score = -J^T P y, J = [[1/a, 0], [2 a b x, a]].
fn target_banana(x: vec2f) -> vec3f {
  let c0 = tgt.data[0];
  let c1 = tgt.data[1];
  let a = c0.x;
  let b = c0.y;
  let y1 = x.x / a - c0.z;
  let y2 = a * x.y + a * b * (x.x * x.x + a * a) - c0.w;
  let g1 = c1.x * y1 + c1.y * y2;
  let g2 = c1.y * y1 + c1.z * y2;
  return vec3f(-(g1 / a + 2.0 * a * b * x.x * g2), -a * g2, c1.w - 0.5 * (y1 * g1 + y2 * g2));
}

// log p = logc - (r - r0)^2 / c;  score = -2 (r - r0) / (c r) x.
fn target_donut(x: vec2f) -> vec3f {
  let c0 = tgt.data[0];
  let r = sqrt(x.x * x.x + x.y * x.y);
  let t = r - c0.x;
  let c = (-2.0 * t * c0.y) / max(r, 1e-20);
  return vec3f(c * x.x, c * x.y, c0.z - t * t * c0.y);
}

// v = y - shift; s = e^(-v/2) (exponent clamped to +-40), t = x s:
// log p = logc - v^2/(2 sv^2) - v/2 - t^2/2;  score = (-t s, -v/sv^2 - 1/2 + t^2/2).
fn target_funnel(x: vec2f) -> vec3f {
  let c0 = tgt.data[0];
  let v = x.y - c0.x;
  let s = exp(clamp(-0.5 * v, -40.0, 40.0));
  let t = x.x * s;
  return vec3f(-t * s, -v * c0.y - 0.5 + 0.5 * t * t, c0.z - 0.5 * v * v * c0.y - 0.5 * v - 0.5 * t * t);
}

// z = (x, y + sin(w x)) ~ N(0, S);  score = -(g1 + w cos(w x) g2, g2), g = P z.
fn target_squiggle(x: vec2f) -> vec3f {
  let c0 = tgt.data[0];
  let c1 = tgt.data[1];
  let w = c0.x;
  let h = w * x.x - TARGET_TWO_PI * round((w * x.x) / TARGET_TWO_PI);
  let sc = target_cossin(h);
  let z2 = x.y + sc.y;
  let g1 = c1.x * x.x + c1.y * z2;
  let g2 = c1.y * x.x + c1.z * z2;
  return vec3f(-(g1 + w * sc.x * g2), -g2, c0.z - 0.5 * (x.x * g1 + z2 * g2));
}

fn target_u1(x: vec2f) -> vec3f {
  let r = sqrt(x.x * x.x + x.y * x.y);
  let ra = (r - 2.0) / 0.4;
  let a = -0.5 * ((x.x - 2.0) / 0.6) * ((x.x - 2.0) / 0.6);
  let b = -0.5 * ((x.x + 2.0) / 0.6) * ((x.x + 2.0) / 0.6);
  let pa = target_sigmoid(a - b);
  let pb = target_sigmoid(b - a);
  let c = -ra / (0.4 * max(r, 1e-20));
  return vec3f(c * x.x + pa * (-(x.x - 2.0) / 0.36) + pb * (-(x.x + 2.0) / 0.36), c * x.y, -0.5 * ra * ra + target_log_add_exp(a, b));
}

fn target_u2(x: vec2f) -> vec3f {
  let h = 0.5 * TARGET_PI * (x.x - 4.0 * round(0.25 * x.x));
  let sc = target_cossin(h);
  let w1 = sc.y;
  let dw1 = 0.5 * TARGET_PI * sc.x;
  let u = (x.y - w1) / 0.4;
  return vec3f((u / 0.4) * dw1, -u / 0.4, -0.5 * u * u);
}

fn target_u3(x: vec2f) -> vec3f {
  let h = 0.5 * TARGET_PI * (x.x - 4.0 * round(0.25 * x.x));
  let sc = target_cossin(h);
  let w1 = sc.y;
  let dw1 = 0.5 * TARGET_PI * sc.x;
  let w2 = 3.0 * exp(-0.5 * ((x.x - 1.0) / 0.6) * ((x.x - 1.0) / 0.6));
  let dw2 = (-w2 * (x.x - 1.0)) / 0.36;
  let ua = (x.y - w1) / 0.35;
  let ub = (x.y - w1 + w2) / 0.35;
  let a = -0.5 * ua * ua;
  let b = -0.5 * ub * ub;
  let pa = target_sigmoid(a - b);
  let pb = target_sigmoid(b - a);
  let sx = pa * (ua / 0.35) * dw1 - pb * (ub / 0.35) * (dw2 - dw1);
  let sy = -pa * (ua / 0.35) - pb * (ub / 0.35);
  return vec3f(sx, sy, target_log_add_exp(a, b));
}

fn target_u4(x: vec2f) -> vec3f {
  let h = 0.5 * TARGET_PI * (x.x - 4.0 * round(0.25 * x.x));
  let sc = target_cossin(h);
  let w1 = sc.y;
  let dw1 = 0.5 * TARGET_PI * sc.x;
  let sg = target_sigmoid((x.x - 1.0) / 0.3);
  let w3 = 3.0 * sg;
  let dw3 = (3.0 * sg * target_sigmoid(-(x.x - 1.0) / 0.3)) / 0.3;
  let ua = (x.y - w1) / 0.4;
  let uc = (x.y - w1 + w3) / 0.35;
  let a = -0.5 * ua * ua;
  let c = -0.5 * uc * uc;
  let pa = target_sigmoid(a - c);
  let pc = target_sigmoid(c - a);
  let sx = pa * (ua / 0.4) * dw1 - pc * (uc / 0.35) * (dw3 - dw1);
  let sy = -pa * (ua / 0.4) - pc * (uc / 0.35);
  return vec3f(sx, sy, target_log_add_exp(a, c));
}

// (score, logp) of the bound target. Unknown kinds give 0.
fn target_eval(x: vec2f) -> vec3f {
  switch (tgt.kind) {
    case 0u: { return target_mixture(x); }
    case 1u: { return target_banana(x); }
    case 2u: { return target_donut(x); }
    case 3u: { return target_funnel(x); }
    case 4u: { return target_squiggle(x); }
    case 5u: { return target_u1(x); }
    case 6u: { return target_u2(x); }
    case 7u: { return target_u3(x); }
    case 8u: { return target_u4(x); }
    case 9u: { return target_iso_mixture(x); }
    case 10u: { return target_torus_mixture(x); }
    case 11u: { return target_formula(x); }
    default: { return vec3f(0.0); }
  }
}

fn target_logp(x: vec2f) -> f32 {
  return target_eval(x).z;
}

fn target_score(x: vec2f) -> vec2f {
  return target_eval(x).xy;
}

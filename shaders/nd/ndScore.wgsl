// ndScore: log-density and score of a d-D target at N particles (issue 19), x and scores N x D
// row-major. Targets (params.kind):
//   0 gaussian-nd (diagonal): log pi = c - sum_k prec_k (x_k - m_k)^2 / 2,   s_k = -prec_k (x_k - m_k)
//     tdata = [m_1..m_D, prec_1..prec_D]
//   1 blr (src/nd/targetsBlr.ts): theta = [w_1..w_F, b] (F = D - 1), z_r = x_r . w + b,
//     log pi = c + sum_r [y_r z_r - log(1 + e^z_r)] - |theta|^2 pp / 2,
//     s = sum_r (y_r - sigmoid(z_r)) [x_r, 1] - pp theta;   tdata = [X (rows x F), y (rows)]
//   2 eight-schools (src/nd/targetsEightSchools.ts), D = 10, [mu, log_tau, tt_1..8], tau = e^log_tau,
//     u = tau^2/25, r_j = (y_j - mu - tau tt_j) / sigma_j^2:
//     log pi = c - mu^2/50 - log(1 + u) + log_tau - sum_j [tt_j^2/2 + r_j^2 sigma_j^2 / 2]
//     s_mu = -mu/25 + sum_j r_j, s_log_tau = 1 - 2u/(1+u) + tau sum_j r_j tt_j, s_tt_j = -tt_j + tau r_j
//     tdata = [y_1..8, sigma_1..8]
//   3 funnel-nd (src/nd/targetsAnalytic.ts), [v, x_1..x_{D-1}], q = sum_k x_k^2, m = D - 1:
//     log pi = c - v^2 pv / 2 - m v / 2 - q e^-v / 2,  s_v = -v pv - m/2 + q e^-v / 2,  s_k = -x_k e^-v
//     tdata = [pv = 1 / scale^2]
// Layout: TI particles per workgroup, TK lanes per particle (WG = TI * TK). Lane tk owns the
// coordinates k = tk, tk + TK, ... (at most MAXK, so D <= MAXK * TK) and, for blr, the rows
// r = tk (mod TK), processed in chunks of TK rows: each lane writes its row's residual into shared
// memory, then every lane adds the chunk's residual-weighted rows into its own coordinates.
// Per-lane partial sums (logp; for eight-schools and the funnel also the sums their first coordinates
// need) are reduced over the TK lanes of a particle as a vec4 (TK a power of two).
// Twin: src/nd/reference/ndScore.ts.

struct NdScoreParams {
  n: u32,
  kind: u32,
  rows: u32,
  _pad0: u32,
  // prior precision 1 / prior^2 (blr)
  pp: f32,
  // the log-density's constant c
  logNorm: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: NdScoreParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> tdata: array<f32>;
@group(0) @binding(3) var<storage, read_write> scores: array<f32>;
@group(0) @binding(4) var<storage, read_write> logp: array<f32>;

override WG: u32 = 64u;
override TK: u32 = 8u;
override TI: u32 = WG / TK;
override D: u32 = 2u;
const MAXK: u32 = 32u;

var<workgroup> xs: array<f32, TI * D>;
var<workgroup> resid: array<f32, WG>;
var<workgroup> red: array<vec4f, WG>;

fn softplus(z: f32) -> f32 {
  return max(z, 0.0) + log(1.0 + exp(-abs(z)));
}

fn sigmoid(z: f32) -> f32 {
  let e = exp(-abs(z));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i0 = wid.x * TI;
  let ti = lid / TK;
  let tk = lid % TK;
  let i = i0 + ti;
  let live = i < n;
  for (var e = lid; e < TI * D; e += WG) {
    let p = i0 + e / D;
    xs[e] = select(0.0, x[min(p, n - 1u) * D + e % D], p < n);
  }
  workgroupBarrier();
  var g: array<f32, MAXK>;
  var lp = 0.0;
  // further per-lane partial sums (eight-schools: sum r_j, sum r_j tt_j; funnel: sum x_k^2)
  var s1 = 0.0;
  var s2 = 0.0;
  if (params.kind == 0u) {
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      let r = xs[ti * D + k] - tdata[k];
      let pk = tdata[D + k];
      g[m] = -pk * r;
      lp -= 0.5 * pk * r * r;
    }
  } else if (params.kind == 2u) {
    let mu = xs[ti * D];
    let lt = xs[ti * D + 1u];
    let tau = exp(lt);
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      if (k >= 2u) {
        let j = k - 2u;
        let tt = xs[ti * D + k];
        let sg = tdata[8u + j];
        let res = tdata[j] - mu - tau * tt;
        let r = res / (sg * sg);
        g[m] = -tt + tau * r;
        lp -= 0.5 * tt * tt + 0.5 * res * r;
        s1 += r;
        s2 += r * tt;
      }
    }
    if (tk == 0u) {
      lp += -mu * mu / 50.0 - log(1.0 + tau * tau / 25.0) + lt;
    }
  } else if (params.kind == 3u) {
    let v = xs[ti * D];
    let ev = exp(-v);
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      if (k >= 1u) {
        let xk = xs[ti * D + k];
        g[m] = -xk * ev;
        s1 += xk * xk;
      }
    }
    lp = -0.5 * s1 * ev;
    if (tk == 0u) {
      lp += -0.5 * v * v * tdata[0] - 0.5 * f32(D - 1u) * v;
    }
  } else {
    let f = D - 1u;
    let rows = params.rows;
    let yOff = rows * f;
    for (var r0 = 0u; r0 < rows; r0 += TK) {
      let r = r0 + tk;
      var e = 0.0;
      if (r < rows) {
        var z = xs[ti * D + f];
        for (var k = 0u; k < f; k++) {
          z += tdata[r * f + k] * xs[ti * D + k];
        }
        let y = tdata[yOff + r];
        lp += y * z - softplus(z);
        e = y - sigmoid(z);
      }
      resid[lid] = e;
      workgroupBarrier();
      let last = min(TK, rows - r0);
      for (var m = 0u; m * TK + tk < D; m++) {
        let k = m * TK + tk;
        var a = 0.0;
        for (var q = 0u; q < last; q++) {
          let rq = resid[ti * TK + q];
          a += rq * select(tdata[(r0 + q) * f + min(k, f - 1u)], 1.0, k == f);
        }
        g[m] += a;
      }
      workgroupBarrier();
    }
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      let t = xs[ti * D + k];
      g[m] -= params.pp * t;
      lp -= 0.5 * params.pp * t * t;
    }
  }
  red[lid] = vec4f(lp, s1, s2, 0.0);
  workgroupBarrier();
  for (var s = TK / 2u; s > 0u; s /= 2u) {
    if (tk < s) {
      red[lid] += red[lid + s];
    }
    workgroupBarrier();
  }
  let tot = red[ti * TK];
  if (live) {
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      var gk = g[m];
      if (params.kind == 2u && k < 2u) {
        let tau = exp(xs[ti * D + 1u]);
        let u = tau * tau / 25.0;
        gk = select(1.0 - 2.0 * u / (1.0 + u) + tau * tot.z, -xs[ti * D] / 25.0 + tot.y, k == 0u);
      }
      if (params.kind == 3u && k == 0u) {
        let v = xs[ti * D];
        gk = -v * tdata[0] - 0.5 * f32(D - 1u) + 0.5 * tot.y * exp(-v);
      }
      scores[i * D + k] = gk;
    }
    if (tk == 0u) {
      logp[i] = tot.x + params.logNorm;
    }
  }
}

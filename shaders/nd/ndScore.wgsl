// ndScore: log-density and score of a d-D target at N particles (issue 19), x and scores N x D
// row-major. Targets (params.kind):
//   0 gaussian-nd (diagonal): log pi = c - sum_k prec_k (x_k - m_k)^2 / 2,   s_k = -prec_k (x_k - m_k)
//     tdata = [m_1..m_D, prec_1..prec_D]
//   1 blr (src/nd/targetsBlr.ts): theta = [w_1..w_F, b] (F = D - 1), z_r = x_r . w + b,
//     log pi = c + sum_r [y_r z_r - log(1 + e^z_r)] - |theta|^2 pp / 2,
//     s = sum_r (y_r - sigmoid(z_r)) [x_r, 1] - pp theta;   tdata = [X (rows x F), y (rows)]
// Layout: TI particles per workgroup, TK lanes per particle (WG = TI * TK). Lane tk owns the
// coordinates k = tk, tk + TK, ... (at most MAXK, so D <= MAXK * TK) and, for blr, the rows
// r = tk (mod TK), processed in chunks of TK rows: each lane writes its row's residual into shared
// memory, then every lane adds the chunk's residual-weighted rows into its own coordinates.
// logp partial sums are reduced over the TK lanes of a particle (TK a power of two).
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
var<workgroup> red: array<f32, WG>;

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
  if (params.kind == 0u) {
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      let r = xs[ti * D + k] - tdata[k];
      let pk = tdata[D + k];
      g[m] = -pk * r;
      lp -= 0.5 * pk * r * r;
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
  red[lid] = lp;
  workgroupBarrier();
  for (var s = TK / 2u; s > 0u; s /= 2u) {
    if (tk < s) {
      red[lid] += red[lid + s];
    }
    workgroupBarrier();
  }
  if (live) {
    for (var m = 0u; m * TK + tk < D; m++) {
      scores[i * D + m * TK + tk] = g[m];
    }
    if (tk == 0u) {
      logp[i] = red[lid] + params.logNorm;
    }
  }
}

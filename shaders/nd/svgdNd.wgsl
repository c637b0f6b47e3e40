// svgdNd: one SVGD step in d dimensions (Liu & Wang 2016; METHODS.md section 2), particles and
// scores N x D row-major, delta = x_i - x_j, r^2 = |delta|^2:
//   out_i = x_i + (h/N) sum_j [ k_ij s_j + g_ij delta ]
//   rbf: k = exp(-r^2 / (2 bw)), g = k / bw;   imq: k = (bw + r^2)^beta, g = -2 beta k / (bw + r^2)
// Tiled over particles and dimensions: a workgroup owns TI particles i, with TK lanes each (WG =
// TI * TK; lane tk accumulates coordinates tk, tk + TK, ..., at most MAXK, so D <= MAXK * TK).
// For each tile of TJ particles j: load x_j and s_j into shared memory, compute the TI x TJ kernel
// values (one invocation per pair, loop over D), then every lane adds its coordinates' terms.
// The bandwidth comes from the host (median heuristic). Twin: src/nd/reference/svgdNd.ts.

struct SvgdNdParams {
  n: u32,
  imq: u32,
  _pad0: u32,
  _pad1: u32,
  h: f32,
  bw: f32,
  beta: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> params: SvgdNdParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> scores: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

override WG: u32 = 64u;
override TK: u32 = 8u;
override TI: u32 = WG / TK;
override TJ: u32 = 8u;
override D: u32 = 2u;
const MAXK: u32 = 32u;

var<workgroup> xi: array<f32, TI * D>;
var<workgroup> xj: array<f32, TJ * D>;
var<workgroup> sj: array<f32, TJ * D>;
var<workgroup> kv: array<f32, TI * TJ>;
var<workgroup> gv: array<f32, TI * TJ>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let i0 = wid.x * TI;
  let ti = lid / TK;
  let tk = lid % TK;
  for (var e = lid; e < TI * D; e += WG) {
    let p = i0 + e / D;
    xi[e] = select(0.0, x[min(p, n - 1u) * D + e % D], p < n);
  }
  var acc: array<f32, MAXK>;
  for (var j0 = 0u; j0 < n; j0 += TJ) {
    workgroupBarrier();
    for (var e = lid; e < TJ * D; e += WG) {
      let p = j0 + e / D;
      let src = min(p, n - 1u) * D + e % D;
      xj[e] = select(0.0, x[src], p < n);
      sj[e] = select(0.0, scores[src], p < n);
    }
    workgroupBarrier();
    for (var p = lid; p < TI * TJ; p += WG) {
      let a = p / TJ;
      let b = p % TJ;
      var r2 = 0.0;
      for (var k = 0u; k < D; k++) {
        let t = xi[a * D + k] - xj[b * D + k];
        r2 += t * t;
      }
      var kk: f32;
      var gg: f32;
      if (params.imq == 1u) {
        let q = params.bw + r2;
        kk = pow(q, params.beta);
        gg = -2.0 * params.beta * kk / q;
      } else {
        kk = exp(-0.5 * r2 / params.bw);
        gg = kk / params.bw;
      }
      let valid = j0 + b < n;
      kv[p] = select(0.0, kk, valid);
      gv[p] = select(0.0, gg, valid);
    }
    workgroupBarrier();
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      let xik = xi[ti * D + k];
      var a = 0.0;
      for (var b = 0u; b < TJ; b++) {
        a += kv[ti * TJ + b] * sj[b * D + k] + gv[ti * TJ + b] * (xik - xj[b * D + k]);
      }
      acc[m] += a;
    }
  }
  let i = i0 + ti;
  if (i < n) {
    for (var m = 0u; m * TK + tk < D; m++) {
      let k = m * TK + tk;
      out[i * D + k] = xi[ti * D + k] + params.h * acc[m] / f32(n);
    }
  }
}

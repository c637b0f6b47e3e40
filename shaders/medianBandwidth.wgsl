// medianBandwidth: the median heuristic for the RBF bandwidth, computed on the GPU (no read-back).
//   subset z_t = x_{t * floor(n/m)}, t < m = min(n, 256); d2 = |z_a - z_b|^2 over pairs a < b;
//   med2 = the lower median of d2 (0-based rank floor((K-1)/2) of K = m(m-1)/2 values), found by
//   40 rounds of bisection on the count #{d2 <= t} (one workgroup, counts through a workgroup atomic);
//   sigma^2 = med2 / (2 log(n + 1))   (Liu & Wang 2016: h = med^2 / log n with k = exp(-|x-y|^2/h)).
//   bw = [sigma^2, med2, 0, 0];  sigma^2 floored at 1e-12; m < 2 gives sigma^2 = 1.
// Twin: src/reference/medianBandwidth.ts (exact sort of the same d2).

struct MedianParams {
  n: u32,
  m: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: MedianParams;
@group(0) @binding(1) var<storage, read> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> bw: array<f32>;

// The subset's capacity (MEDIAN_SUBSET in src/reference/medianBandwidth.ts); params.m <= M.
const M: u32 = 256u;
// Workgroup size, a power of two (the max fold halves it); set from src/gpu/workgroups.ts. Thread t
// handles subset rows a = t, t + WG, ...: maxima and counts are exact, so bw is the same for any WG.
override WG: u32 = 256u;
var<workgroup> sub: array<vec2f, M>;
var<workgroup> red: array<f32, WG>;
var<workgroup> count: atomic<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32) {
  let m = params.m;
  let stride = params.n / max(m, 1u);
  for (var a = t; a < m; a = a + WG) {
    sub[a] = pos[a * stride];
  }
  workgroupBarrier();
  var mx = 0.0;
  for (var a = t; a < m; a = a + WG) {
    for (var b = a + 1u; b < m; b = b + 1u) {
      let d = sub[a] - sub[b];
      mx = max(mx, dot(d, d));
    }
  }
  red[t] = mx;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (t < s) {
      red[t] = max(red[t], red[t + s]);
    }
    workgroupBarrier();
  }
  var lo = 0.0;
  var hi = red[0];
  let pairs = m * (m - 1u) / 2u;
  let rank = (max(pairs, 1u) - 1u) / 2u;
  for (var it = 0u; it < 40u; it = it + 1u) {
    let mid = 0.5 * (lo + hi);
    if (t == 0u) {
      atomicStore(&count, 0u);
    }
    workgroupBarrier();
    var c = 0u;
    for (var a = t; a < m; a = a + WG) {
      for (var b = a + 1u; b < m; b = b + 1u) {
        let d = sub[a] - sub[b];
        if (dot(d, d) <= mid) {
          c = c + 1u;
        }
      }
    }
    atomicAdd(&count, c);
    workgroupBarrier();
    if (atomicLoad(&count) >= rank + 1u) {
      hi = mid;
    } else {
      lo = mid;
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    if (m < 2u) {
      bw[0] = 1.0;
      bw[1] = 0.0;
    } else {
      bw[0] = max(hi / (2.0 * log(f32(params.n) + 1.0)), 1e-12);
      bw[1] = hi;
    }
  }
}

// targetEval: the target's log-density and score at every point.
//   out[i] = (grad log pi(x_i), log pi(x_i), 0)
// Used as the score pass of SVGD and the KSD metric. Twin: src/reference/targetEval.ts.
// Needs shaders/common/targets.wgsl (group 1).

struct EvalParams {
  n: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: EvalParams;
@group(0) @binding(1) var<storage, read> points: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let x = points[i];
  out[i] = vec4f(target_score(x), target_logp(x), 0.0);
}

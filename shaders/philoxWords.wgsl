// philoxWords: raw Philox4x32-10 output for counters (i, c1, c2, 0), i < n, key (seed, 0xCAFEF00D);
// and the uniform/normal transforms of those words. Exists to check the GPU generator bit for bit
// against its twin (src/reference/philoxWords.ts). Needs shaders/common/philox.wgsl.

struct PhiloxParams {
  n: u32,
  c1: u32,
  c2: u32,
  seed: u32,
}

@group(0) @binding(0) var<uniform> params: PhiloxParams;
@group(0) @binding(1) var<storage, read_write> words: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> normals: array<vec2f>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let r = philox4x32(vec4u(i, params.c1, params.c2, 0u), philox_key(params.seed));
  words[i] = r;
  normals[i] = philox_normal2(r);
}

// Philox 4x32-10 counter-based random numbers (Salmon et al., SC'11, "Parallel random numbers:
// as easy as 1, 2, 3"). Twin: src/reference/philox.ts (bit-identical u32 output).
// Counter convention: (particle index, step, stream, 0); key: (seed, 0xCAFEF00D).

fn philox_mulhilo(a: u32, b: u32) -> vec2u {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2u(hi, a * b);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r = r + 1u) {
    if (r > 0u) {
      k = k + vec2u(0x9E3779B9u, 0xBB67AE85u);
    }
    let m0 = philox_mulhilo(0xD2511F53u, c.x);
    let m1 = philox_mulhilo(0xCD9E8D57u, c.z);
    c = vec4u(m1.x ^ c.y ^ k.x, m1.y, m0.x ^ c.w ^ k.y, m0.y);
  }
  return c;
}

// Uniform in (0, 1) from the top 24 bits: exactly representable in f32, so equal to the twin's value.
fn philox_uniform(r: u32) -> f32 {
  return (f32(r >> 8u) + 0.5) * (1.0 / 16777216.0);
}

// -log(u) for u in (0, 1), accurate to a few f32 ulps relative everywhere. WGSL only promises log
// to an ABSOLUTE 2^-21 on [0.5, 2], which is useless when u is near 1 (Box-Muller's small radii), so
// there we use log(u) = 2 atanh(z), z = (u - 1)/(u + 1) in (-0.143, 0], with 1 - u exact in f32.
fn philox_neglog(u: f32) -> f32 {
  if (u < 0.75) {
    return -log(u);
  }
  let z = (u - 1.0) / (u + 1.0);
  let z2 = z * z;
  return -2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0 + z2 * (1.0 / 9.0)))));
}

// (cos 2 pi u, sin 2 pi u) for u a multiple of 2^-24 (common/trig.wgsl: exact quadrant reduction,
// error < 2e-9): WGSL only promises cos/sin to an absolute 2^-11.
fn philox_cossin_2pi(u: f32) -> vec2f {
  return cossin_quarter(4.0 * u);
}

// Two independent standard normals (Box-Muller) from one Philox call's first two words.
fn philox_normal2(r: vec4u) -> vec2f {
  let u1 = philox_uniform(r.x);
  let u2 = philox_uniform(r.y);
  let rad = sqrt(2.0 * philox_neglog(u1));
  return rad * philox_cossin_2pi(u2);
}

fn philox_key(seed: u32) -> vec2u {
  return vec2u(seed, 0xCAFEF00Du);
}

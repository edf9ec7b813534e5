// Philox4x32-10 counter-based generator, the WGSL twin of philox.ts (must give identical words).
// Included by other kernels as a snippet; it declares no bindings. The ten rounds are written
// out rather than looped: software adapters (llvmpipe) cap the loop iterations of an invocation
// at 65 535, and a loop here would spend that budget ten times per call.

fn mulhi32(a: u32, b: u32) -> u32 {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let t = a_hi * b_lo + ((a_lo * b_lo) >> 16u);
  let u = a_lo * b_hi + (t & 0xffffu);
  return a_hi * b_hi + (t >> 16u) + (u >> 16u);
}

fn philox_round(c: vec4<u32>, k: vec2<u32>) -> vec4<u32> {
  let hi0 = mulhi32(0xd2511f53u, c.x);
  let lo0 = 0xd2511f53u * c.x;
  let hi1 = mulhi32(0xcd9e8d57u, c.z);
  let lo1 = 0xcd9e8d57u * c.z;
  return vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
}

fn philox4x32(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  let w = vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  var c = philox_round(counter, key);
  c = philox_round(c, key + w);
  c = philox_round(c, key + 2u * w);
  c = philox_round(c, key + 3u * w);
  c = philox_round(c, key + 4u * w);
  c = philox_round(c, key + 5u * w);
  c = philox_round(c, key + 6u * w);
  c = philox_round(c, key + 7u * w);
  c = philox_round(c, key + 8u * w);
  return philox_round(c, key + 9u * w);
}

// Uniform index in [0, n) by multiply-high (bias <= n / 2^32).
fn uniform_index(word: u32, n: u32) -> u32 {
  return mulhi32(word, n);
}

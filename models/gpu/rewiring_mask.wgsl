// Rewiring model, pattern masks (spec rewiring.md §1.3–§1.4). One invocation draws the Philox
// words of neurons j = 4g … 4g + 3 of one population for pattern m, counter (g, m, 0, 0), key
// (seed, stream) as in models/rewiring.ts, and writes 1 for a high-rate neuron (word ≥
// high_word), else 0. The Philox snippet (engine/rng/philox.wgsl) is prepended by the host.
//
// binding 0  params  uniform MaskParams
// binding 1  mask    array<u32>, length n: the high-rate flags (written)

struct MaskParams {
  seed: u32,
  stream: u32,
  pattern: u32,
  n: u32,
  high_word: u32,
  groups_per_row: u32, // invocations per row of the 2-D dispatch grid
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: MaskParams;
@group(0) @binding(1) var<storage, read_write> mask: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let g = id.x + id.y * params.groups_per_row;
  let first = 4u * g;
  if (first >= params.n) {
    return;
  }
  let words = philox4x32(vec4<u32>(g, params.pattern, 0u, 0u), vec2<u32>(params.seed, params.stream));
  for (var q = 0u; q < 4u; q = q + 1u) {
    if (first + q < params.n) {
      mask[first + q] = select(0u, 1u, words[q] >= params.high_word);
    }
  }
}

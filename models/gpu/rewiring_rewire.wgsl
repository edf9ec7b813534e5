// Rewiring model, rewiring and initial connectivity (spec rewiring.md §1.5, §2.3), eagerly (the
// CPU path draws the same fresh sources lazily). One invocation handles population-2 neuron i
// (= first + l of one chunk; the neurons are split into chunks whose connection slots fit one
// storage binding, one dispatch per chunk) at epoch e. Fixed in-degree: every non-stabilized
// slot s gets the source of (i, s, e).
// Poisson in-degree: the k_i stabilized connections move to the front, a new in-degree
// d ~ Poisson(C) with k_i ≤ d < C_reserve is drawn (counter (i, e, ⌊a/4⌋, 0), word a mod 4 of
// attempt a, key (seed, in_degree_stream); a binary search in the host's u32 threshold table),
// and slots k_i … d − 1 get fresh sources. Fresh source of slot s: word s mod 4 of counter
// (⌊s/4⌋, i, e, 0), key (seed, source_stream), mapped to [0, N1) by multiply-high. The initial
// connectivity is epoch 0 with nothing stabilized (degree 0 for Poisson, C for fixed). Each
// invocation counts itself in progress[0]; every loop runs fewer than C_reserve iterations.
//
// binding 0  params      uniform RewireParams
// binding 1  degree      array<u32>, length N2: in-degree d_i (read/write)
// binding 2  sources     array<u32>, length count·C_reserve: source of slot s of neuron first + l at l·C_reserve + s (read/write)
// binding 3  stabilized  array<u32>, length count·C_reserve: 1 for a stabilized connection, same layout (read/write)
// binding 4  thresholds  array<u32>, length table_length: Poisson(C) cumulative thresholds (read)
// binding 5  progress    array<atomic<u32>>, length 1: finished invocations (read/write)

struct RewireParams {
  seed: u32,
  source_stream: u32,
  in_degree_stream: u32,
  epoch: u32,
  n1: u32,
  count: u32, // neurons of this chunk
  reserve: u32,
  neurons_per_row: u32,
  fixed_rule: u32, // 1: fixed in-degree, 0: Poisson in-degree
  table_first: u32, // the Poisson value of "no threshold ≤ word"
  table_length: u32,
  first: u32, // the chunk's first population-2 neuron
}

@group(0) @binding(0) var<uniform> params: RewireParams;
@group(0) @binding(1) var<storage, read_write> degree: array<u32>;
@group(0) @binding(2) var<storage, read_write> sources: array<u32>;
@group(0) @binding(3) var<storage, read_write> stabilized: array<u32>;
@group(0) @binding(4) var<storage, read> thresholds: array<u32>;
@group(0) @binding(5) var<storage, read_write> progress: array<atomic<u32>>;

// The number of thresholds ≤ word (thresholds are non-decreasing).
fn count_at_most(word: u32) -> u32 {
  var low = 0u;
  var high = params.table_length;
  while (low < high) {
    let mid = (low + high) / 2u;
    if (thresholds[mid] <= word) {
      low = mid + 1u;
    } else {
      high = mid;
    }
  }
  return low;
}

// Fresh sources for the non-stabilized slots of [first, last).
fn fill(i: u32, base: u32, first: u32, last: u32) {
  let key = vec2<u32>(params.seed, params.source_stream);
  var slot = first & ~3u;
  while (slot < last) {
    let words = philox4x32(vec4<u32>(slot / 4u, i, params.epoch, 0u), key);
    for (var q = 0u; q < 4u; q = q + 1u) {
      let s = slot + q;
      if (s >= first && s < last && stabilized[base + s] == 0u) {
        sources[base + s] = uniform_index(words[q], params.n1);
      }
    }
    slot = slot + 4u;
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let local = id.x + id.y * params.neurons_per_row;
  if (local >= params.count) {
    return;
  }
  let i = params.first + local;
  let base = local * params.reserve;
  let old = degree[i];
  if (params.fixed_rule == 1u) {
    fill(i, base, 0u, old);
  } else {
    var kept = 0u;
    for (var s = 0u; s < old; s = s + 1u) {
      if (stabilized[base + s] == 1u) {
        sources[base + kept] = sources[base + s];
        stabilized[base + kept] = 1u;
        kept = kept + 1u;
      }
    }
    let key = vec2<u32>(params.seed, params.in_degree_stream);
    var d = 0xffffffffu;
    var words = vec4<u32>(0u);
    for (var attempt = 0u; attempt < 4096u; attempt = attempt + 1u) {
      if ((attempt & 3u) == 0u) {
        words = philox4x32(vec4<u32>(i, params.epoch, attempt / 4u, 0u), key);
      }
      let candidate = params.table_first + count_at_most(words[attempt & 3u]);
      if (candidate >= kept && candidate < params.reserve) {
        d = candidate;
        break;
      }
    }
    if (d == 0xffffffffu) {
      return; // not counted: the host reports the failure
    }
    degree[i] = d;
    for (var s = kept; s < max(d, old); s = s + 1u) {
      stabilized[base + s] = 0u;
    }
    fill(i, base, kept, d);
  }
  atomicAdd(&progress[0], 1u);
}

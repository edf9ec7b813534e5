// Connection generation for one projection, in two modes chosen by the host when it assembles
// the module (see kernels.ts), which also fixes the rule (RULE) and the depth of the delay
// table search, so no invocation branches on them: MODE_COUNT counts synapses per source row and bound
// units per target; MODE_FILL writes every synapse into its source row. One invocation handles
// work items item = gid, gid + stride, ... (synapses for per-synapse rules, rows otherwise).
// The draws are the exact twin of engine/cpu/generate.ts.
//
// Bindings (group 0):
//   0 params     uniform ProjectionParams         the projection (rule, sizes, key, tables)
//   1 rows       storage array<atomic<u32>>, N    COUNT: synapses per source; FILL: next free slot
//   2 in_units   storage array<atomic<u32>>, 2·N  COUNT: bound units per target, 64-bit as
//                                                 (lo, hi) word pairs (FILL: unused)
//   3 weights    storage array<i32>               FILL: fixed-point weight quantile tables
//   4 delays     storage array<u32>               FILL: delay tables: DELAY_SLOTS thresholds
//                                                 (padded with 0xffffffff), then the values
//   5 progress   storage array<atomic<u32>>, 2    [0] work items completed (the host checks that
//                                                 every item ran to its end: software adapters
//                                                 may cut long loops short)
//   6.. chunk_c  storage array<vec2<u32>>         FILL: synapse chunks (target|delay<<bits|flag,
//                                                 weight); flag: bit 31 for facilitating synapses

struct ProjectionParams {
  code: u32, pre_first: u32, pre_size: u32, post_first: u32,
  post_size: u32, exclude_autapses: u32, count: u32, always: u32,
  items: u32, key0: u32, key1: u32, units: u32,
  weight_base: u32, delay_base: u32, delay_len: u32, target_bits: u32,
  chunk_shift: u32, stride: u32, flag: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> params: ProjectionParams;
@group(0) @binding(1) var<storage, read_write> rows: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> in_units: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> weight_tables: array<i32>;
@group(0) @binding(4) var<storage, read> delay_tables: array<u32>;
@group(0) @binding(5) var<storage, read_write> progress: array<atomic<u32>>;
//#CHUNK_BINDINGS

const MAX_ATTEMPTS: u32 = 64u;

// Number of the projection's thresholds ≤ word, by a binary search of fixed depth (no loop).
fn sample_delay(word: u32) -> u32 {
  let t = params.delay_base;
  var i = 0u;
  //#DELAY_SEARCH
  return delay_tables[t + DELAY_SLOTS + min(i, params.delay_len)];
}

fn sample_weight(word: u32) -> i32 {
  let index = params.weight_base + (word >> 20u);
  let frac = (word >> 4u) & 0xffffu;
  let lo = weight_tables[index];
  let diff = bitcast<u32>(weight_tables[index + 1u] - lo);
  let r = (diff >> 16u) * frac + (((diff & 0xffffu) * frac) >> 16u);
  return lo + bitcast<i32>(r);
}

fn store_synapse(pos: u32, value: vec2<u32>) {
  let chunk = pos >> params.chunk_shift;
  let offset = pos & ((1u << params.chunk_shift) - 1u);
  //#CHUNK_STORE
}

fn emit(s: u32, t: u32, delay_word: u32, weight_word: u32) {
  let src = params.pre_first + s;
  let tgt = params.post_first + t;
  if (MODE_COUNT) {
    atomicAdd(&rows[src], 1u);
    // A carry out of the low word is seen by exactly the add that caused it.
    let old = atomicAdd(&in_units[2u * tgt], params.units);
    if (old + params.units < old) { atomicAdd(&in_units[2u * tgt + 1u], 1u); }
  } else {
    let pos = atomicAdd(&rows[src], 1u);
    let delay = sample_delay(delay_word);
    let weight = sample_weight(weight_word);
    let word = tgt | (delay << params.target_bits) | params.flag;
    store_synapse(pos, vec2<u32>(word, bitcast<u32>(weight)));
  }
}

fn key() -> vec2<u32> { return vec2<u32>(params.key0, params.key1); }

fn fixed_total_number(k: u32) -> bool {
  for (var attempt = 0u; attempt < MAX_ATTEMPTS; attempt = attempt + 1u) {
    let r = philox4x32(vec4<u32>(k, attempt, 0u, 0u), key());
    let s = uniform_index(r.x, params.pre_size);
    let t = uniform_index(r.y, params.post_size);
    if (params.exclude_autapses != 0u && s == t && attempt + 1u < MAX_ATTEMPTS) { continue; }
    emit(s, t, r.z, r.w);
    return true;
  }
  return false;
}

fn fixed_degree(item: u32, per_target: bool) -> bool {
  let row = item / params.count;
  let j = item % params.count;
  var pool = params.pre_size;
  var tag = 1u;
  if (!per_target) { pool = params.post_size; tag = 3u; }
  for (var attempt = 0u; attempt < MAX_ATTEMPTS; attempt = attempt + 1u) {
    let r = philox4x32(vec4<u32>(row, j, attempt, tag), key());
    let other = uniform_index(r.x, pool);
    if (params.exclude_autapses != 0u && other == row && attempt + 1u < MAX_ATTEMPTS) { continue; }
    if (per_target) { emit(other, row, r.z, r.w); } else { emit(row, other, r.z, r.w); }
    return true;
  }
  return false;
}

// Selection sampling (Knuth's algorithm S): a uniformly random k-subset of the pool.
fn fixed_degree_unique(row: u32, per_target: bool) -> bool {
  var pool = params.pre_size;
  var tag = 2u;
  if (!per_target) { pool = params.post_size; tag = 4u; }
  var remaining = pool;
  if (params.exclude_autapses != 0u) { remaining = remaining - 1u; }
  var needed = params.count;
  for (var i = 0u; i < pool && needed > 0u; i = i + 1u) {
    if (params.exclude_autapses != 0u && i == row) { continue; }
    let r = philox4x32(vec4<u32>(row, i, 0u, tag), key());
    if (mulhi32(r.x, remaining) < needed) {
      needed = needed - 1u;
      if (per_target) { emit(i, row, r.z, r.w); } else { emit(row, i, r.z, r.w); }
    }
    remaining = remaining - 1u;
  }
  return needed == 0u;
}

fn row_rule(s: u32, bernoulli: bool) -> bool {
  var tag = 6u;
  if (bernoulli) { tag = 5u; }
  var t = 0u;
  for (; t < params.post_size; t = t + 1u) {
    if (params.exclude_autapses != 0u && s == t) { continue; }
    let r = philox4x32(vec4<u32>(s, t, 0u, tag), key());
    if (bernoulli && params.always == 0u && r.x >= params.count) { continue; }
    emit(s, t, r.z, r.w);
  }
  return t == params.post_size;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  var completed = 0u;
  for (var item = gid.x; item < params.items; item = item + params.stride) {
    var done = true;
    switch RULE {
      case 0u: { done = fixed_total_number(item); }
      case 1u: { done = fixed_degree(item, true); }
      case 2u: { done = fixed_degree_unique(item, true); }
      case 3u: { done = fixed_degree(item, false); }
      case 4u: { done = fixed_degree_unique(item, false); }
      case 5u: { done = row_rule(item, true); }
      case 6u: { done = row_rule(item, false); }
      default: {
        let r = philox4x32(vec4<u32>(item, 0u, 0u, 7u), key());
        emit(item, item, r.z, r.w);
      }
    }
    if (done) { completed = completed + 1u; }
  }
  if (completed > 0u) { atomicAdd(&progress[0], completed); }
}

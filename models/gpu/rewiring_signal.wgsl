// Rewiring model, test input signals (spec rewiring.md §1.1, §3.3). One invocation computes
// S_i = W_b·Σ r1[source] over the non-stabilized connections of population-2 neuron i plus
// W_s·Σ r1[source] over its stabilized ones (f32), then counts itself in progress[0] (the loop
// runs d_i < C_reserve iterations).
//
// binding 0  params      uniform SignalParams
// binding 1  rates1      array<f32>, length N1: the (noisy) rates of population 1 (read)
// binding 2  degree      array<u32>, length N2: in-degree d_i (read)
// binding 3  sources     array<u32>, length count·C_reserve: source of slot s of neuron first + l at l·C_reserve + s (read)
// binding 4  stabilized  array<u32>, length count·C_reserve: 1 for a stabilized connection, same layout (read)
// binding 5  signal      array<f32>, length N2: S_i (written)
// binding 6  progress    array<atomic<u32>>, length 1: finished invocations (read/write)

struct SignalParams {
  count: u32, // neurons of this chunk
  reserve: u32,
  neurons_per_row: u32,
  first: u32, // the chunk's first population-2 neuron
  weight_baseline: f32,
  weight_stabilized: f32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: SignalParams;
@group(0) @binding(1) var<storage, read> rates1: array<f32>;
@group(0) @binding(2) var<storage, read> degree: array<u32>;
@group(0) @binding(3) var<storage, read> sources: array<u32>;
@group(0) @binding(4) var<storage, read> stabilized: array<u32>;
@group(0) @binding(5) var<storage, read_write> signal: array<f32>;
@group(0) @binding(6) var<storage, read_write> progress: array<atomic<u32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let local = id.x + id.y * params.neurons_per_row;
  if (local >= params.count) {
    return;
  }
  let i = params.first + local;
  let base = local * params.reserve;
  let end = base + degree[i];
  var baseline = 0.0;
  var stable = 0.0;
  for (var c = base; c < end; c = c + 1u) {
    let r = rates1[sources[c]];
    if (stabilized[c] == 1u) {
      stable = stable + r;
    } else {
      baseline = baseline + r;
    }
  }
  signal[i] = params.weight_baseline * baseline + params.weight_stabilized * stable;
  atomicAdd(&progress[0], 1u);
}

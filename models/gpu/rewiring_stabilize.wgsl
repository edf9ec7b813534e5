// Rewiring model, stabilization (spec rewiring.md §2.2). One invocation handles population-2
// neuron i = first + l of one chunk (the neurons are split into chunks whose connection slots
// fit one storage binding; a dispatch covers one chunk): if i is high-rate, every one of its
// connections whose source is high-rate becomes stabilized. Each invocation then counts itself
// in progress[0]; the host checks the count (software adapters stop loops after 65 535
// iterations; the loop here runs d_i < C_reserve).
//
// binding 0  params      uniform NeuronParams
// binding 1  high1       array<u32>, length N1: high-rate flags of population 1 (read)
// binding 2  high2       array<u32>, length N2: high-rate flags of population 2 (read)
// binding 3  degree      array<u32>, length N2: in-degree d_i (read)
// binding 4  sources     array<u32>, length count·C_reserve: source of slot s of neuron first + l at l·C_reserve + s (read)
// binding 5  stabilized  array<u32>, length count·C_reserve: 1 for a stabilized connection, same layout (read/write)
// binding 6  progress    array<atomic<u32>>, length 1: finished invocations (read/write)

struct NeuronParams {
  count: u32, // neurons of this chunk
  reserve: u32,
  neurons_per_row: u32, // invocations per row of the 2-D dispatch grid
  first: u32, // the chunk's first population-2 neuron
}

@group(0) @binding(0) var<uniform> params: NeuronParams;
@group(0) @binding(1) var<storage, read> high1: array<u32>;
@group(0) @binding(2) var<storage, read> high2: array<u32>;
@group(0) @binding(3) var<storage, read> degree: array<u32>;
@group(0) @binding(4) var<storage, read> sources: array<u32>;
@group(0) @binding(5) var<storage, read_write> stabilized: array<u32>;
@group(0) @binding(6) var<storage, read_write> progress: array<atomic<u32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let local = id.x + id.y * params.neurons_per_row;
  if (local >= params.count) {
    return;
  }
  let i = params.first + local;
  if (high2[i] == 1u) {
    let base = local * params.reserve;
    let end = base + degree[i];
    for (var c = base; c < end; c = c + 1u) {
      if (high1[sources[c]] == 1u) {
        stabilized[c] = 1u;
      }
    }
  }
  atomicAdd(&progress[0], 1u);
}

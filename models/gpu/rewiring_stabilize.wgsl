// Rewiring model, stabilization (spec rewiring.md §2.2). One invocation handles population-2
// neuron i: if it is high-rate, every one of its connections whose source is high-rate becomes
// stabilized. Each invocation then counts itself in progress[0]; the host checks the count
// (software adapters stop loops after 65 535 iterations; the loop here runs d_i < C_reserve).
//
// binding 0  params      uniform NeuronParams
// binding 1  high1       array<u32>, length N1: high-rate flags of population 1 (read)
// binding 2  high2       array<u32>, length N2: high-rate flags of population 2 (read)
// binding 3  degree      array<u32>, length N2: in-degree d_i (read)
// binding 4  sources     array<u32>, length N2·C_reserve: source of slot s of i at i·C_reserve + s (read)
// binding 5  stabilized  array<u32>, length N2·C_reserve: 1 for a stabilized connection (read/write)
// binding 6  progress    array<atomic<u32>>, length 1: finished invocations (read/write)

struct NeuronParams {
  n2: u32,
  reserve: u32,
  neurons_per_row: u32, // invocations per row of the 2-D dispatch grid
  _pad0: u32,
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
  let i = id.x + id.y * params.neurons_per_row;
  if (i >= params.n2) {
    return;
  }
  if (high2[i] == 1u) {
    let base = i * params.reserve;
    let end = base + degree[i];
    for (var c = base; c < end; c = c + 1u) {
      if (high1[sources[c]] == 1u) {
        stabilized[c] = 1u;
      }
    }
  }
  atomicAdd(&progress[0], 1u);
}

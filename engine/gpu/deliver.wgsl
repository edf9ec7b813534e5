// Spike delivery for the spikes emitted in the current step: each workgroup takes spikes
// w, w + workgroups, ...; its invocations walk the spiking neuron's CSR row together and add
// each synapse's fixed-point weight to the ring slot `delay` steps ahead (i32 atomics, so the
// sum is exact and independent of order). Weight sign selects the receptor (0 ex, 1 in).
//
// Bindings (group 0):
//   0 clock      uniform Clock (dynamic offset)  the step whose spikes are delivered
//   1 sim        uniform SimParams               sizes, ring slots, target bits
//   2 counters   storage array<atomic<u32>>, 8   [parity] = spikes in this step's list; [6,7]
//                                                synapses delivered (lo, hi), which the host
//                                                compares with the events counted at the spikes
//                                                (software adapters may cut long loops short)
//   3 spikes     storage array<u32>, 2·N         spike list, one half per step parity
//   4 row_start  storage array<u32>, N+1         CSR row starts (global synapse index)
//   5 ring       storage array<atomic<i32>>      fixed-point input per (slot, receptor, neuron)
//   6.. chunk_c  storage array<vec2<u32>>        synapse chunks (target | delay << bits, weight)
// The variant for networks with facilitating synapses (kernels.ts deliverSource) adds
// deliver_facilitation.wgsl and binds the facilitation state after the chunks.

struct Clock { step: u32 }

struct SimParams {
  n: u32, slots: u32, target_bits: u32, chunk_shift: u32,
  workgroups: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> clock: Clock;
@group(0) @binding(1) var<uniform> sim: SimParams;
@group(0) @binding(2) var<storage, read_write> counters: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> spikes: array<u32>;
@group(0) @binding(4) var<storage, read> row_start: array<u32>;
@group(0) @binding(5) var<storage, read_write> ring: array<atomic<i32>>;
//#CHUNK_BINDINGS

fn deliver_synapse(syn: vec2<u32>, slot_base: u32, target_mask: u32) {
  let weight = bitcast<i32>(syn.y);
  if (weight == 0) { return; }
  // slot_base < slots and delay < slots: one conditional subtraction replaces a modulo.
  var slot = slot_base + (syn.x >> sim.target_bits);
  if (slot >= sim.slots) { slot = slot - sim.slots; }
  let receptor = select(0u, 1u, weight < 0);
  atomicAdd(&ring[(slot * 2u + receptor) * sim.n + (syn.x & target_mask)], weight);
}

// Delivers synapses [row_lo, row_hi) of one row. The row is cut at chunk boundaries and each
// piece is walked by a loop bound to one chunk, so the chunk is uniform inside every loop.
fn deliver_row(
  row_lo: u32, row_hi: u32, lid: u32, slot_base: u32, target_mask: u32 /*#ROW_PARAMS*/
) -> u32 {
  let chunk_size = 1u << sim.chunk_shift;
  var delivered = 0u;
  //#CHUNK_SEGMENTS
  return delivered;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let step = clock.step;
  let parity = step & 1u;
  let count = atomicLoad(&counters[parity]);
  let target_mask = (1u << sim.target_bits) - 1u;
  let slot_base = step % sim.slots;
  var delivered = 0u;
  for (var s = wid.x; s < count; s = s + sim.workgroups) {
    let src = spikes[parity * sim.n + s];
    delivered = delivered + deliver_row(
      row_start[src], row_start[src + 1u], lid, slot_base, target_mask /*#ROW_ARGS*/
    );
  }
  if (delivered > 0u) {
    let old = atomicAdd(&counters[6], delivered);
    if (old + delivered < old) { atomicAdd(&counters[7], 1u); }
  }
}

// One time step of every neuron (iaf_psc_exp, NEST's exact-integration order, spec §3.4):
// membrane update or refractory count-down, synaptic decay, this step's input (ring slot +
// Poisson drive), threshold. One invocation updates neurons gid, gid + stride, ...
// Spikes go to the step's spike list (for delivery) and, for recorded populations, to the
// record buffer as (stamp step, neuron) pairs.
//
// Bindings (group 0):
//   0 clock      uniform Clock (dynamic offset)  the step being computed
//   1 sim        uniform SimParams               sizes, ring slots, fixed-point scale
//   2 pops       uniform array<PopParams, 256>   per-population constants (MAX_POPULATIONS)
//   3 neurons    storage array<vec4<f32>>, N     y = V − E_L, I_ex, I_in, and the tag
//                                                population·65536 + refractory steps (exact
//                                                integers in f32: one 16-byte access per neuron)
//   4 ring       storage array<vec2<i32>>,       fixed-point input (ex, in) per (slot, neuron)
//                slots·N
//   5 poisson    storage array<u32>              Poisson CDF thresholds of all populations
//   6 spikes     storage array<u32>, 2·N         spike list, one half per step parity
//   7 counters   storage array<atomic<u32>>, 8   [0,1] spikes per parity, [2] recorded, [3] spikes
//                                                in batch, [4,5] events lo/hi in batch
//   8 record     storage array<u32>, 2·capacity  recorded (stamp step, neuron) pairs
//   9 row_start  storage array<u32>, N+1         CSR row starts (out-degree = events per spike)

struct Clock { step: u32 }

struct SimParams {
  n: u32, slots: u32, inv_scale: f32, key0: u32,
  record_capacity: u32, stride: u32, pad0: u32, pad1: u32,
}

struct PopParams {
  p11_ex: f32, p11_in: f32, p22: f32, p21_ex: f32,
  p21_in: f32, p20: f32, theta: f32, reset: f32,
  i_e: f32, refractory_steps: u32, poisson_base: u32, poisson_len: u32,
  poisson_weight: i32, poisson_delay: u32, recorded: u32, pad: u32,
}


@group(0) @binding(0) var<uniform> clock: Clock;
@group(0) @binding(1) var<uniform> sim: SimParams;
@group(0) @binding(2) var<uniform> pops: array<PopParams, 256>;
@group(0) @binding(3) var<storage, read_write> neurons: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> ring: array<vec2<i32>>;
@group(0) @binding(5) var<storage, read> poisson: array<u32>;
@group(0) @binding(6) var<storage, read_write> spikes: array<u32>;
@group(0) @binding(7) var<storage, read_write> counters: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> record: array<u32>;
@group(0) @binding(9) var<storage, read> row_start: array<u32>;

fn poisson_count(p: PopParams, neuron: u32, generated: u32) -> u32 {
  let word = philox4x32(vec4<u32>(neuron, generated, 0u, 0u), vec2<u32>(sim.key0, 0x30000u)).x;
  var k = 0u;
  loop {
    if (k >= p.poisson_len || word < poisson[p.poisson_base + k]) { break; }
    k = k + 1u;
  }
  return k;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let step = clock.step;
  let parity = step & 1u;
  if (gid.x == 0u) {
    // The other half was last filled two steps ago and has been delivered.
    atomicStore(&counters[1u - parity], 0u);
  }
  let n = sim.n;
  let slot_base = (step % sim.slots) * n;
  for (var i = gid.x; i < n; i = i + sim.stride) {
    var s = neurons[i];
    let tag = u32(s.w);
    let pop = tag >> 16u;
    var r = tag & 0xffffu;
    let p = pops[pop];
    if (r == 0u) {
      s.x = p.p22 * s.x + p.p21_ex * s.y + p.p21_in * s.z + p.p20 * p.i_e;
    } else {
      r = r - 1u;
    }
    var input = ring[slot_base + i];
    ring[slot_base + i] = vec2<i32>(0, 0);
    if (p.poisson_len > 0u && step >= p.poisson_delay) {
      let poisson_input = i32(poisson_count(p, i, step - p.poisson_delay)) * p.poisson_weight;
      if (poisson_input >= 0) { input.x = input.x + poisson_input; } else { input.y = input.y + poisson_input; }
    }
    s.y = s.y * p.p11_ex + f32(input.x) * sim.inv_scale;
    s.z = s.z * p.p11_in + f32(input.y) * sim.inv_scale;
    if (s.x >= p.theta) {
      r = p.refractory_steps;
      s.x = p.reset;
      let at = atomicAdd(&counters[parity], 1u);
      spikes[parity * n + at] = i;
      atomicAdd(&counters[3], 1u);
      let events = row_start[i + 1u] - row_start[i];
      let old = atomicAdd(&counters[4], events);
      if (old + events < old) { atomicAdd(&counters[5], 1u); }
      if (p.recorded != 0u) {
        let k = atomicAdd(&counters[2], 1u);
        if (k < sim.record_capacity) {
          record[2u * k] = step + 1u;
          record[2u * k + 1u] = i;
        }
      }
    }
    s.w = f32((pop << 16u) | r);
    neurons[i] = s;
  }
}

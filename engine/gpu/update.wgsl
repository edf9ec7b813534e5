// One time step of every neuron (iaf_psc_exp, NEST's exact-integration order, spec §3.4):
// membrane update or refractory count-down, synaptic decay, this step's input (ring slot +
// Poisson drive), threshold. One invocation updates one quad: four neighbouring neurons of
// one population (populations are padded to a multiple of four in the device layout, see
// layout.ts). The kernel has no loops on its hot path (a 2-D grid instead of a grid-stride
// loop, a binary search of fixed depth for Poisson counts): software adapters run loop bodies
// several times slower than straight-line code. Spikes go to the step's spike list (for delivery)
// and, for recorded populations, to the record buffer as (stamp step, neuron) pairs; neuron
// ids here are device ids (padded layout).
//
// Bindings (group 0):
//   0 clock      uniform Clock (dynamic offset)  the step being computed
//   1 sim        uniform SimParams               quads, ring slots, fixed-point scale
//   2 pops       uniform array<PopParams, 256>   per-population constants (MAX_POPULATIONS)
//   3 neurons    storage array<vec4<f32>>, 4·Q   four sections of Q quads: y = V − E_L, I_ex,
//                                                I_in, and the tag population·65536 + refractory
//                                                steps (exact integers in f32; 65535 marks a
//                                                padding lane that never updates)
//   4 ring       storage array<vec4<i32>>,       fixed-point input per (slot, receptor, quad)
//                slots·2·Q
//   5 poisson    storage array<u32>, POISSON_    Poisson CDF thresholds, padded with 0xffffffff
//                SLOTS per driven population     to POISSON_SLOTS entries per population
//   6 spikes     storage array<u32>, 2·4Q        spike list, one half per step parity
//   7 counters   storage array<atomic<u32>>, 8   [0,1] spikes per parity, [2] recorded, [3] spikes
//                                                in batch, [4,5] events lo/hi in batch
//   8 record     storage array<u32>, 2·capacity  recorded (stamp step, neuron) pairs
//   9 row_start  storage array<u32>, 4Q+1        CSR row starts (out-degree = events per spike)
// Kernel variants (kernels.ts updateSource) add, only for networks that need them:
//  10 stim       storage array<vec4<f32>>, Q     current-generator input (pA) per quad for this
//                                                step, added by current.wgsl and zeroed here;
//                                                applied with I_e through P20 (NEST's i_0)
//  11 stp        storage array<vec4<u32>>, 4Q    facilitation state per neuron (facilitation.wgsl)
//  12 stp_params uniform array<vec4<f32>, 256>   facilitation constants per population

struct Clock { step: u32 }

struct SimParams {
  quads: u32, slots: u32, inv_scale: f32, key0: u32,
  record_capacity: u32, pad0: u32, pad1: u32, pad2: u32,
}

struct PopParams {
  p11_ex: f32, p11_in: f32, p22: f32, p21_ex: f32,
  p21_in: f32, p20: f32, theta: f32, reset: f32,
  i_e: f32, refractory_steps: u32, poisson_base: u32, poisson_len: u32,
  poisson_weight: i32, poisson_delay: u32, recorded: u32, first_quad: u32,
}

@group(0) @binding(0) var<uniform> clock: Clock;
@group(0) @binding(1) var<uniform> sim: SimParams;
@group(0) @binding(2) var<uniform> pops: array<PopParams, 256>;
@group(0) @binding(3) var<storage, read_write> neurons: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> ring: array<vec4<i32>>;
@group(0) @binding(5) var<storage, read> poisson: array<u32>;
@group(0) @binding(6) var<storage, read_write> spikes: array<u32>;
@group(0) @binding(7) var<storage, read_write> counters: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> record: array<u32>;
@group(0) @binding(9) var<storage, read> row_start: array<u32>;
//#EXTRA_BINDINGS

const FROZEN: u32 = 0xffffu;

// Number of the population's thresholds ≤ word: binary search of the padded table
// (padding is 0xffffffff, so the count is clamped to the real length).
fn poisson_sample(p: PopParams, word: u32) -> i32 {
  let t = p.poisson_base;
  var i = 0u;
  //#POISSON_SEARCH
  return i32(min(i, p.poisson_len));
}

// Events per lane of quad `q` generated in step `generated`: one Philox call serves the four
// lanes (counter: quad index within the population, step; key: seed, stream + population).
fn poisson_counts(p: PopParams, pop: u32, q: u32, generated: u32) -> vec4<i32> {
  let words = philox4x32(vec4<u32>(q - p.first_quad, generated, 0u, 0u), vec2<u32>(sim.key0, 0x30000u + pop));
  return vec4<i32>(
    poisson_sample(p, words.x),
    poisson_sample(p, words.y),
    poisson_sample(p, words.z),
    poisson_sample(p, words.w),
  );
}

// Appends the quad's spiking lanes to the spike list (and the record): one atomic per counter
// for the whole quad, since a software adapter executes this block's statements for every
// quad, spiking or not.
fn emit_spikes(q: u32, fire: vec4<bool>, step: u32, parity: u32, recorded: bool) {
  let lanes = vec4<u32>(4u * q) + vec4<u32>(0u, 1u, 2u, 3u);
  let ones = select(vec4<u32>(0u), vec4<u32>(1u), fire);
  let count = ones.x + ones.y + ones.z + ones.w;
  // Position of each firing lane among the quad's firing lanes.
  let rank = vec4<u32>(0u, ones.x, ones.x + ones.y, ones.x + ones.y + ones.z);
  let at = atomicAdd(&counters[parity], count) + parity * 4u * sim.quads;
  atomicAdd(&counters[3], count);
  var events = 0u;
  for (var c = 0u; c < 4u; c = c + 1u) {
    if (fire[c]) {
      spikes[at + rank[c]] = lanes[c];
      events = events + row_start[lanes[c] + 1u] - row_start[lanes[c]];
    }
  }
  let old = atomicAdd(&counters[4], events);
  if (old + events < old) { atomicAdd(&counters[5], 1u); }
  if (recorded) {
    let k = atomicAdd(&counters[2], count);
    for (var c = 0u; c < 4u; c = c + 1u) {
      if (fire[c] && k + rank[c] < sim.record_capacity) {
        record[2u * (k + rank[c])] = step + 1u;
        record[2u * (k + rank[c]) + 1u] = lanes[c];
      }
    }
  }
}

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let step = clock.step;
  let parity = step & 1u;
  let q = (wid.y * groups.x + wid.x) * 64u + lid;
  if (q == 0u) {
    // The other half was last filled two steps ago and has been delivered.
    atomicStore(&counters[1u - parity], 0u);
  }
  let quads = sim.quads;
  let ring_ex = (step % sim.slots) * 2u * quads;
  let ring_in = ring_ex + quads;
  if (q < quads) {
    var y = neurons[q];
    var i_ex = neurons[quads + q];
    var i_in = neurons[2u * quads + q];
    let tag = vec4<u32>(neurons[3u * quads + q]);
    let pop = tag.x >> 16u;
    let p = pops[pop];
    var r = tag & vec4<u32>(0xffffu);
    let awake = r == vec4<u32>(0u);
    //#CURRENT_READ
    y = select(y, p.p22 * y + p.p21_ex * i_ex + p.p21_in * i_in + p.p20 * p.i_e, awake);
    r = select(r - vec4<u32>(1u), r, awake | (r == vec4<u32>(FROZEN)));
    var in_ex = ring[ring_ex + q];
    var in_in = ring[ring_in + q];
    ring[ring_ex + q] = vec4<i32>(0);
    ring[ring_in + q] = vec4<i32>(0);
    if (p.poisson_len > 0u && step >= p.poisson_delay) {
      let input = poisson_counts(p, pop, q, step - p.poisson_delay) * p.poisson_weight;
      if (p.poisson_weight >= 0) { in_ex = in_ex + input; } else { in_in = in_in + input; }
    }
    i_ex = i_ex * p.p11_ex + vec4<f32>(in_ex) * sim.inv_scale;
    i_in = i_in * p.p11_in + vec4<f32>(in_in) * sim.inv_scale;
    let fire = (y >= vec4<f32>(p.theta)) & (r != vec4<u32>(FROZEN));
    if (any(fire)) {
      emit_spikes(q, fire, step, parity, p.recorded != 0u);
      //#FACILITATION_SPIKE
      y = select(y, vec4<f32>(p.reset), fire);
      r = select(r, vec4<u32>(p.refractory_steps), fire);
    }
    neurons[q] = y;
    neurons[quads + q] = i_ex;
    neurons[2u * quads + q] = i_in;
    neurons[3u * quads + q] = vec4<f32>((vec4<u32>(pop) << vec4<u32>(16u)) | r);
  }
}

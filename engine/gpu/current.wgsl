// All current generators (NEST noise_generator / dc_generator, engine/plan.ts currentSample) for
// one step, in one dispatch before the update kernel: adds to every target neuron the samples
// emitted for the update step m = step − delay − 1 (per generator and target delay), so that the
// update kernel of this step applies them through P20 together with I_e (NEST's i_0 path).
//
// The host splits the run into epochs (engine/plan.ts currentEpochs): maximal step intervals in
// which the same generators can reach some target, from their windows and min/max per-target
// delays. Each epoch has its own bind group (bindings 1, 2) listing only those generators and
// their target populations; in steps of no epoch the dispatch is left out and stim stays zero
// from the update kernel. Leaving out a generator that cannot reach this step is exact: it would
// add +0.0 to every lane, and the sum starts at +0.0 and never becomes −0.0.
//
// One invocation per quad of a listed population: each population is a segment of whole
// workgroups (a workgroup lies in one segment, found by a short uniform loop), and the invocation
// owns its quad, so the adds need no atomics. It loops over the segment's generators in
// registration order and adds each one's vec4 to a running sum that starts from stim[q]: for
// every quad the same sequence of f32 additions as one dispatch per generator in registration
// order. The loops are written as do-while (`break if` in `continuing`): llvmpipe runs every loop
// body once more with all lanes masked off when the exit test is at the top.
//
// The sample is mean + sigma·ξ, ξ a Box–Muller normal from one Philox call with counter (local
// index, redraw block) and the generator's key: the same words as the CPU backend, with the
// logarithm and cosine in f32 (the CPU uses float64; the two differ by a few f32 ulps, see
// engine/gpu_features_test.ts).
//
// Bindings (group 0):
//   0 clock      uniform Clock (dynamic offset)  the step being computed
//   1 segs       storage array<Segment>          the epoch's target populations, ≥ 1: their
//                                                workgroups, quads and range of gens
//   2 gens       storage array<CurrentParams>    the epoch's generators, by target population,
//                                                then registration order
//   3 stim       storage array<vec4<f32>>, Q     input per quad (pA), zeroed by the update kernel
//   4 delays     storage array<u32>              per-target delays (steps) of every generator

struct Clock { step: u32 }

struct Segment {
  // Workgroups [first_group, end_group) cover quads [first_quad, first_quad + quads).
  first_group: u32, end_group: u32, first_quad: u32, quads: u32,
  // gens[gen_begin .. gen_end) target this population (gen_begin < gen_end).
  gen_begin: u32, gen_end: u32, pad0: u32, pad1: u32,
}

struct CurrentParams {
  size: u32, delay_base: u32, dt_steps: u32, start: u32,
  stop: u32, mean: f32, sigma: f32, key0: u32,
  key1: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> clock: Clock;
@group(0) @binding(1) var<storage, read> segs: array<Segment>;
@group(0) @binding(2) var<storage, read> gens: array<CurrentParams>;
@group(0) @binding(3) var<storage, read_write> stim: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> delays: array<u32>;

// The current generator `gen` emitted for the target `local` that reaches it in this step (0
// outside).
fn sample(gen: CurrentParams, local: u32) -> f32 {
  if (local >= gen.size) { return 0.0; }
  let delay = delays[gen.delay_base + local];
  let step = clock.step;
  if (step < delay + 1u) { return 0.0; }
  let m = step - delay - 1u;
  if (m < gen.start || m >= gen.stop) { return 0.0; }
  if (gen.sigma == 0.0) { return gen.mean; }
  let w = philox4x32(vec4<u32>(local, m / gen.dt_steps, 0u, 0u), vec2<u32>(gen.key0, gen.key1));
  // u1 = (w0 + 1)/2^32 ∈ (0, 1], u2 = w1/2^32 ∈ [0, 1) as on the CPU.
  let u1 = (f32(w.x) + 1.0) * 2.3283064e-10;
  let u2 = f32(w.y) * 2.3283064e-10;
  // cos(2π·u2) = −cos(2π·u2 − π): the argument stays in [−π, π), where WGSL bounds the error.
  return gen.mean + gen.sigma * (sqrt(-2.0 * log(u1)) * -cos(6.2831855 * u2 - 3.1415927));
}

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let w = wid.y * groups.x + wid.x;
  // The segment of this workgroup (the same for all its invocations); the grid may have spare
  // workgroups past the last segment.
  let last = arrayLength(&segs) - 1u;
  var s = 0u;
  loop {
    if (s == last || w < segs[s].end_group) { break; }
    continuing { s = s + 1u; }
  }
  let seg = segs[s];
  if (w < seg.first_group || w >= seg.end_group) { return; }
  let ql = (w - seg.first_group) * 64u + lid;
  if (ql >= seg.quads) { return; }
  let local = 4u * ql;
  let q = seg.first_quad + ql;
  var sum = stim[q];
  var g = seg.gen_begin;
  loop {
    let gen = gens[g];
    sum = sum + vec4<f32>(
      sample(gen, local),
      sample(gen, local + 1u),
      sample(gen, local + 2u),
      sample(gen, local + 3u),
    );
    g = g + 1u;
    if (g >= seg.gen_end) { break; }
  }
  stim[q] = sum;
}

// One current generator (NEST noise_generator / dc_generator, engine/plan.ts currentSample) for
// one step: adds to every target neuron the sample emitted for the update step
// m = step − delay − 1 (its per-target delay), so that the update kernel of this step applies it
// through P20 together with I_e (NEST's i_0 path). One dispatch per generator, before the update
// kernel; one invocation per quad of the target population on a 2-D grid (no loops). The
// sample is mean + sigma·ξ, ξ a Box–Muller normal from one Philox call with counter (local index,
// redraw block) and the generator's key: the same words as the CPU backend, with the logarithm
// and cosine in f32 (the CPU uses float64; the two differ by a few f32 ulps, see
// engine/gpu_features_test.ts).
//
// Bindings (group 0):
//   0 clock      uniform Clock (dynamic offset)  the step being computed
//   1 gen        uniform CurrentParams           the generator
//   2 stim       storage array<vec4<f32>>, Q     input per quad (pA), zeroed by the update kernel
//   3 delays     storage array<u32>              per-target delays (steps) of every generator

struct Clock { step: u32 }

struct CurrentParams {
  first_quad: u32, size: u32, delay_base: u32, dt_steps: u32,
  start: u32, stop: u32, mean: f32, sigma: f32,
  key0: u32, key1: u32, quads: u32, pad0: u32,
}

@group(0) @binding(0) var<uniform> clock: Clock;
@group(0) @binding(1) var<uniform> gen: CurrentParams;
@group(0) @binding(2) var<storage, read_write> stim: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> delays: array<u32>;

// The current emitted for the target `local` that reaches it in this step (0 outside).
fn sample(local: u32) -> f32 {
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
  let ql = (wid.y * groups.x + wid.x) * 64u + lid;
  if (ql >= gen.quads) { return; }
  let local = 4u * ql;
  let add = vec4<f32>(sample(local), sample(local + 1u), sample(local + 2u), sample(local + 3u));
  let q = gen.first_quad + ql;
  stim[q] = stim[q] + add;
}

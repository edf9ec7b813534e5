// Facilitating synapses, update-kernel part (included by kernels.ts updateSource only for
// networks with facilitating synapses): at a spike of a neuron with facilitating out-synapses,
// the event-driven Tsodyks–Markram update of engine/facilitation.ts facilitationSpike, in f32
// with the interval counted in whole steps (exact): recovery of x, decay of u toward U, the
// facilitation jump, the efficacy u·x of this spike (stored for the deliver kernel, which
// scales the facilitating synapses of the row by it), depletion, t_last.
//
// Bindings (group 0, besides update.wgsl's):
//  11 stp        storage array<vec4<u32>>, 4Q    per device neuron: u, x (f32 bits), the stamp
//                                                step of its last spike (t_last / h; 0 at start),
//                                                the efficacy of its last spike (f32 bits)
//  12 stp_params uniform array<vec4<f32>, 256>   per population: U, h/τ_F, h/τ_D, and 1 when
//                                                its neurons have facilitating out-synapses

@group(0) @binding(11) var<storage, read_write> stp: array<vec4<u32>>;
@group(0) @binding(12) var<uniform> stp_params: array<vec4<f32>, 256>;

fn facilitate(q: u32, fire: vec4<bool>, stamp: u32, pop: u32) {
  let f = stp_params[pop];
  if (f.w == 0.0) { return; }
  for (var c = 0u; c < 4u; c = c + 1u) {
    if (fire[c]) {
      let lane = 4u * q + c;
      let s = stp[lane];
      let dt = f32(stamp - s.z);
      let x = 1.0 + (bitcast<f32>(s.y) - 1.0) * exp(-dt * f.z);
      var u = f.x + (bitcast<f32>(s.x) - f.x) * exp(-dt * f.y);
      u = u + f.x * (1.0 - u);
      let efficacy = u * x;
      stp[lane] = vec4<u32>(
        bitcast<u32>(u),
        bitcast<u32>(x - efficacy),
        stamp,
        bitcast<u32>(efficacy),
      );
    }
  }
}

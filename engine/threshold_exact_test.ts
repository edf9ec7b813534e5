// Regression: a membrane potential landing exactly on the threshold fires (spec §3.4 step 4:
// `y ≥ θ`, not `y > θ`). Two ways to land exactly on θ, in float32 and float64 alike:
// - θ = 0 (V_th = E_L) and V0 = E_L with no input: the membrane update y ← P22·0 + 0 = 0;
// - tau_m = 10^20 ms, so P22 = exp(−10^-21) = 1 exactly, and V0 = V_th: y ← 1·θ + 0 = θ.
// Control neurons start 10^-4 mV below and must stay silent. After its spike a neuron is reset
// below threshold and, without input, only approaches θ = 0 from below: exactly one spike.
import { deepEqual } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

bothBackends("a membrane exactly on threshold fires; 10^-4 mV below does not", async (backend) => {
  const net = new Network({ resolutionMs: 0.1 });
  const atRest = iafPscExp({ V_th: -65, V_reset: -70 });
  const integrator = iafPscExp({ tau_m: 1e20 });
  const zero = net.population("theta_zero", { size: 1, v0: -65, params: atRest });
  const zeroBelow = net.population("theta_zero_below", { size: 1, v0: -65.0001, params: atRest });
  const flat = net.population("flat_membrane", { size: 1, v0: -50, params: integrator });
  const flatBelow = net.population("flat_membrane_below", {
    size: 1,
    v0: -50.0001,
    params: integrator,
  });
  for (const p of [zero, zeroBelow, flat, flatBelow]) net.record(p);
  const sim = await build(net, backend);
  await sim.run(50);
  const spikes = sim.takeSpikes();
  sim.close();
  // Both exact neurons fire in the first update (stamp 1), once; the controls never.
  deepEqual([...spikes.steps], [1, 1]);
  deepEqual([...spikes.neurons], [zero.first, flat.first]);
});

// Regression: a Poisson drive of rate 0 gives no input at all. Its count table is empty (every
// word maps to 0 events); a wrong table offset or length would hand the population another
// population's table, or a count of 1 for the largest words. The neurons are perfect
// integrators (tau_m = 10^9 ms: P22 = 1 − 10^-10, 1 in float32: any input leaves a trace in V),
// which lets one read-back after 1000 steps show whether any event arrived at any time.
import { equal, ok } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

const H = 0.1;
const INTEGRATOR = iafPscExp({ tau_m: 1e9, C_m: 1, V_th: 1e9 });

/** Zero-rate populations before and after a driven one, so table offsets differ. */
function network() {
  const net = new Network({ resolutionMs: H });
  const quietFirst = net.population("quiet_first", { size: 100, params: INTEGRATOR });
  const driven = net.population("driven", { size: 100, params: INTEGRATOR });
  const quietLast = net.population("quiet_last", { size: 100, params: INTEGRATOR });
  net.poisson(quietFirst, { rateHz: 0, weight: 1000, delayMs: H });
  net.poisson(driven, { rateHz: 8000, weight: 1000, delayMs: H });
  net.poisson(quietLast, { rateHz: 0, weight: -1000, delayMs: 1.5 });
  return net;
}

bothBackends("Poisson rate 0 gives no input over 1000 steps", async (backend) => {
  const sim = await build(network(), backend, { stepsPerBatch: 250 });
  const stats = await sim.run(1000 * H);
  const st = await sim.state();
  sim.close();
  equal(stats.spikes, 0);
  for (const i of [...Array(100).keys()].flatMap((k) => [k, 200 + k])) {
    equal(st.v[i], -65, `V of quiet neuron ${i}`);
    equal(st.iEx[i], 0, `I_ex of quiet neuron ${i}`);
    equal(st.iIn[i], 0, `I_in of quiet neuron ${i}`);
  }
  // The control: 0.8 expected events per step and neuron reached every driven neuron.
  for (let i = 100; i < 200; i++) ok(st.v[i] > -65, `driven neuron ${i} got no input`);
});

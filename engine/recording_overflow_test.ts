// Regression: recording never drops spikes, even when every recorded neuron fires in every
// step. The GPU sizes each batch's record buffer from the shortest refractory period of the
// recorded populations; with t_ref = 0 that is one spike per neuron and step, the worst case.
// Neurons with t_ref = 0 and I_e far above rheobase fire in every step (after a reset
// y = P20·I_e = 398 mV > θ), so the count is exactly N × steps, split over batches of 7 steps
// with a shorter last batch and two run() calls, and must come back sorted by (step, neuron).
import { deepEqual, equal } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

const H = 0.1;

bothBackends("every spike is recorded when all neurons fire in every step", async (backend) => {
  const net = new Network({ resolutionMs: H });
  const fast = net.population("fast", { size: 300, params: iafPscExp({ t_ref: 0, I_e: 1e6 }) });
  // A recorded population with a refractory period, and an unrecorded one that fires in every
  // step too: neither may shrink the room the fast population needs or take from it.
  const slow = net.population("slow", { size: 200, params: iafPscExp({ t_ref: 2, I_e: 1e6 }) });
  net.population("unrecorded", { size: 100, params: iafPscExp({ t_ref: 0, I_e: 1e6 }) });
  net.record(fast);
  net.record(slow);
  const sim = await build(net, backend, { stepsPerBatch: 7 });
  const first = await sim.run(30 * H);
  const second = await sim.run(23 * H);
  const spikes = sim.takeSpikes();
  sim.close();
  const steps = 53;
  // slow fires at stamps 1, 22, 43 (once per t_ref + 1 = 21 steps).
  const slowStamps = [1, 22, 43];
  equal(first.spikes + second.spikes, 400 * steps + 200 * slowStamps.length);
  const expected: [number, number][] = [];
  for (let step = 1; step <= steps; step++) {
    for (let i = 0; i < 300; i++) expected.push([step, i]);
    if (slowStamps.includes(step)) { for (let i = 300; i < 500; i++) expected.push([step, i]); }
  }
  equal(spikes.steps.length, expected.length, "recorded spike count");
  deepEqual([...spikes.steps], expected.map(([s]) => s), "stamps, in order");
  deepEqual([...spikes.neurons], expected.map(([, n]) => n), "neurons, sorted within a step");
});

// Single-neuron checks of spec microcircuit.md "How to validate" 3–5, on both backends.
import { deepEqual, equal, ok } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build, traceSteps } from "./test_util.ts";

const H = 0.1;

/** A fires in its first step (V0 above threshold), stamp 0.1 ms; it projects to B. */
function pair(weight: number, delayMs: number) {
  const net = new Network({ resolutionMs: H });
  const a = net.population("A", { size: 1, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
  const b = net.population("B", { size: 1 });
  net.connect(a, b, { rule: { kind: "one_to_one" }, weight, delay: delayMs });
  net.record(a);
  net.record(b);
  return net;
}

bothBackends(
  "one 87.8085 pA input at rest peaks at 0.1500 mV about 1.6 ms later (spec 3)",
  async (backend) => {
    const sim = await build(pair(87.8085, H), backend);
    const trace = await traceSteps(sim, 60, 1, H);
    sim.close();
    // The current jumps in step 2 (stamp 0.1 ms + 1 step delay): state after 2 steps.
    equal(trace.iEx[0], 0);
    ok(trace.iEx[1] > 87.8 && trace.iEx[1] < 87.82, `I_ex after the jump: ${trace.iEx[1]}`);
    const psp = trace.v.map((v) => v + 65);
    const peak = Math.max(...psp);
    const peakStep = psp.indexOf(peak) + 1;
    ok(Math.abs(peak - 0.15) <= 0.0005, `PSP peak ${peak} mV`);
    const latencyMs = (peakStep - 2) * H;
    ok(latencyMs >= 1.5 && latencyMs <= 1.7, `peak ${latencyMs} ms after the jump`);
  },
);

bothBackends(
  "input arrives exactly delay steps after the stamp; reset lasts 20 steps (spec 4)",
  async (backend) => {
    const sim = await build(pair(20000, 1.5), backend);
    const trace = await traceSteps(sim, 60, 1, H);
    const spikes = sim.takeSpikes();
    sim.close();
    // A's stamp is step 1; + 15 steps delay → I_ex of B jumps in the update ending at step 16.
    equal(spikes.steps[0], 1);
    equal(spikes.neurons[0], 0);
    equal(trace.iEx[14], 0, "no input after 15 steps");
    ok(trace.iEx[15] > 19999, "input after 16 steps");
    equal(trace.v[15], -65, "V unchanged in the arrival step");
    ok(trace.v[16] > -65, "V first changes one step later");
    const bSpike = spikes.steps[1];
    equal(spikes.neurons[1], 1);
    for (let s = bSpike; s <= bSpike + 20; s++) equal(trace.v[s - 1], -65, `V_reset at step ${s}`);
    ok(trace.v[bSpike + 20] !== -65, "V evolves again in the 21st step after the spike");
  },
);

bothBackends(
  "DC 400 pA from rest fires at exactly 27.8, 57.6 and 87.4 ms (spec 5)",
  async (backend) => {
    const net = new Network({ resolutionMs: H });
    const pop = net.population("dc", { size: 1, params: iafPscExp({ I_e: 400 }) });
    net.record(pop);
    const sim = await build(net, backend);
    await sim.run(100);
    const { steps } = sim.takeSpikes();
    sim.close();
    deepEqual([...steps], [278, 576, 874]);
  },
);

bothBackends(
  "input during the refractory period still decays into the current",
  async (backend) => {
    // B is pushed over threshold by A at step 2, then receives a second input 5 steps later
    // (while refractory) from C; the current must hold that input, decayed by P11 per step.
    const net = new Network({ resolutionMs: H });
    const a = net.population("A", { size: 1, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
    const b = net.population("B", { size: 1, v0: -50.0001 });
    const c = net.population("C", { size: 1, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
    net.connect(a, b, { rule: { kind: "one_to_one" }, weight: 5000, delay: H });
    net.connect(c, b, { rule: { kind: "one_to_one" }, weight: 100, delay: 0.6 });
    net.record(b);
    const sim = await build(net, backend);
    const trace = await traceSteps(sim, 30, 1, H);
    const spikes = sim.takeSpikes();
    sim.close();
    // B starts at V_th − 0.0001 and receives 5000 pA at step 2: it fires at step 3 (V rises via P21).
    equal(spikes.steps[0], 3);
    // C's input (stamp 1, delay 6) arrives in step 7, during B's refractory period.
    const p11 = Math.exp(-H / 0.5);
    const expected7 = 5000 * p11 ** 5 + 100;
    ok(
      Math.abs(trace.iEx[6] - expected7) < 1e-2,
      `I_ex at step 7: ${trace.iEx[6]} vs ${expected7}`,
    );
    ok(Math.abs(trace.iEx[9] - expected7 * p11 ** 3) < 1e-2, "the input decays while refractory");
    equal(trace.v[6], -65);
    equal(trace.refractory[6], 16);
  },
);

// GPU vs CPU backend on a reduced network with facilitating synapses and current generators
// (noise per target with per-target delays and windows, constant currents): identical
// connectivity and, for the first 100 ms, identical spikes.
//
// The arithmetic is not bit-identical: the WebGPU backend keeps the neuron state, the
// facilitation state (u, x, efficacy) and the Box–Muller normal in f32, the CPU backend in
// float64; both draw the same Philox words, use the same per-target delays, windows, update
// order and fixed-point synaptic input. round(W·u·x) can therefore differ by one fixed-point
// unit (1/scale pA) and currents by ~1e-5 pA, far below what moves a spike by a step in a
// 100 ms run of this network (the check below is exact equality; the facilitation state is
// compared with a relative tolerance of 1e-5).
import { deepEqual, equal, ok } from "node:assert/strict";
import { connectivityEqual } from "./connectivity.ts";
import { normal } from "./distributions.ts";
import { Network } from "./network.ts";
import { planNetwork } from "./plan.ts";
import { deliverSource, updateSource } from "./gpu/kernels.ts";
import { build } from "./test_util.ts";

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

const STP = { U: 0.19, tauF: 1500, tauD: 200 };

/** 250 neurons: E with facilitating E→E (and static E→I), I; noise and DC drive. */
function featureNetwork(seed: number): Network {
  const net = new Network({ resolutionMs: 0.1, seed });
  const e = net.population("E", { size: 201, v0: normal(-60, 4) });
  const i = net.population("I", { size: 49, v0: normal(-60, 4) });
  const exc = normal(300, 30, { min: 0, max: 400 });
  const delay = normal(1.0, 0.5, { min: 0.1, max: 2.0 });
  net.connect(e, e, {
    rule: { kind: "fixed_indegree", k: 20, allowAutapses: false },
    weight: exc,
    delay,
    facilitation: STP,
  });
  net.connect(e, i, { rule: { kind: "fixed_indegree", k: 20 }, weight: exc, delay });
  net.connect(i, e, { rule: { kind: "fixed_indegree", k: 10 }, weight: -600, delay: 0.5 });
  net.connect(i, i, { rule: { kind: "fixed_indegree", k: 5 }, weight: -600, delay: 0.5 });
  // A static projection from the facilitating population to itself: flagged and unflagged
  // synapses share rows.
  net.connect(e, e, { rule: { kind: "fixed_outdegree", k: 2 }, weight: 150, delay: 0.3 });
  net.current(e, {
    meanPa: 330,
    stdPa: 120,
    dtMs: 1,
    delay: normal(0.5, 0.3, { min: 0.1, max: 1.0 }),
  });
  net.current(e, { meanPa: 150, startMs: 20, stopMs: 45, delay: 0.2 });
  net.current(i, { meanPa: 360, stdPa: 80, dtMs: 0.1, startMs: 3, stopMs: 90 });
  net.record(e);
  net.record(i);
  return net;
}

gpuTest(
  "facilitation and current generators: GPU and CPU give identical spikes for 100 ms",
  async () => {
    const seed = 5;
    const plan = planNetwork(featureNetwork(seed).spec());
    ok(plan.hasFacilitation && plan.currents.length === 3);
    const cpu = await build(featureNetwork(seed), "cpu");
    const gpu = await build(featureNetwork(seed), "webgpu", { stepsPerBatch: 300 });
    const [cc, gc] = [await cpu.connectivity(), await gpu.connectivity()];
    ok(connectivityEqual(cc, gc), "connectivity (delays without the facilitation flag) differs");
    const cs = await cpu.run(100);
    const gs = await gpu.run(100);
    const [a, b] = [cpu.takeSpikes(), gpu.takeSpikes()];
    ok(a.steps.length > 300, `too few spikes to compare: ${a.steps.length}`);
    // E neurons must fire repeatedly for facilitation to matter.
    const eSpikes = Array.from(a.neurons).filter((n) => n < 201).length;
    ok(eSpikes > 200, `E spikes: ${eSpikes}`);
    deepEqual(b.steps, a.steps);
    deepEqual(b.neurons, a.neurons);
    equal(gs.spikes, cs.spikes);
    equal(gs.synapticEvents, cs.synapticEvents);
    const [fc, fg] = [await cpu.facilitationState!(), await gpu.facilitationState!()];
    for (let n = 0; n < 250; n++) {
      if (n >= 201) {
        ok(Number.isNaN(fg.u[n]) && Number.isNaN(fc.u[n]), `no state for I neuron ${n}`);
        continue;
      }
      equal(fg.tLastMs[n], fc.tLastMs[n], `t_last of ${n}`);
      ok(Math.abs(fg.u[n] - fc.u[n]) <= 1e-5 * fc.u[n], `u of ${n}: ${fg.u[n]} vs ${fc.u[n]}`);
      ok(Math.abs(fg.x[n] - fc.x[n]) <= 1e-5 * fc.x[n] + 1e-7, `x of ${n}`);
    }
    ok(fc.u.slice(0, 201).some((u) => u > 0.3), "some E neurons facilitated");
    const [sc, sg] = [await cpu.state(), await gpu.state()];
    for (let n = 0; n < 250; n++) {
      ok(Math.abs(sg.v[n] - sc.v[n]) < 1e-3, `V of ${n}: ${sg.v[n]} vs ${sc.v[n]}`);
    }
    cpu.close();
    gpu.close();
  },
);

gpuTest(
  "facilitation and current generators: the GPU run does not depend on the batch size",
  async () => {
    const run = async (stepsPerBatch: number) => {
      const sim = await build(featureNetwork(8), "webgpu", { stepsPerBatch });
      await sim.run(30);
      await sim.run(20);
      const s = sim.takeSpikes();
      const f = await sim.facilitationState!();
      sim.close();
      return { s, f };
    };
    const [x, y] = [await run(1000), await run(13)];
    ok(x.s.steps.length > 50);
    deepEqual(x.s, y.s);
    // (NaN marks neurons without facilitation; compare as strings so that NaN equals NaN.)
    for (const k of ["u", "x", "tLastMs"] as const) {
      deepEqual(Array.from(x.f[k], String), Array.from(y.f[k], String), k);
    }
  },
);

Deno.test("kernel variants: the plain kernels carry no current or facilitation code", () => {
  // Code only: the header comments describe the variants' bindings.
  const code = (src: string) => src.replace(/\/\/.*$/gm, "").replace(/\/\*.*?\*\//g, "");
  const plain = code(updateSource(4));
  for (const word of ["stim", "stp", "facilitate(", "i_0"]) {
    ok(!plain.includes(word), `plain update kernel mentions ${word}`);
  }
  ok(!code(deliverSource(2)).includes("stp"), "plain deliver kernel mentions stp");
  ok(updateSource(4, { currents: true }).includes("p.p20 * i_0"));
  ok(!updateSource(4, { currents: true }).includes("facilitate("));
  ok(updateSource(4, { facilitation: true }).includes("facilitate(q, fire, step + 1u, pop);"));
  ok(deliverSource(2, true).includes("@binding(8) var<storage, read> stp"));
});

// GPU vs CPU backend on small random networks using every rule and Poisson drive: identical
// connectivity and identical spike trains; determinism across runs, seeds and batch sizes.
import { deepEqual, equal, notDeepEqual, ok } from "node:assert/strict";
import { connectivityEqual } from "./connectivity.ts";
import { normal } from "./distributions.ts";
import { Network } from "./network.ts";
import { build } from "./test_util.ts";
import type { SimulatorOptions } from "./simulator.ts";

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

/** A 330-neuron E/I network with all six rules, exc/inh weights and Poisson drive. */
function randomNetwork(seed: number): Network {
  const net = new Network({ resolutionMs: 0.1, seed });
  const e = net.population("E", { size: 240, v0: normal(-58, 5) });
  const i = net.population("I", { size: 60, v0: normal(-58, 5) });
  const x = net.population("X", { size: 30, v0: normal(-58, 5) });
  net.poisson(e, { rateHz: 14000, weight: 87.8, delayMs: 1.5 });
  net.poisson(i, { rateHz: 14500, weight: 87.8, delayMs: 1.5 });
  net.poisson(x, { rateHz: 16000, weight: 87.8, delayMs: 0.1 });
  const exc = normal(87.8, 8.8, { min: 0, max: 87.8 + 3 * 8.8 });
  const inh = normal(-351, 35, { min: -351 - 3 * 35, max: 0 });
  const dExc = normal(1.5, 0.75, { min: 0.1, max: 3.75 });
  const dInh = normal(0.75, 0.375, { min: 0.1, max: 1.875 });
  net.connect(e, e, {
    rule: { kind: "fixed_total_number", n: 6000, allowAutapses: false },
    weight: exc,
    delay: dExc,
  });
  net.connect(e, i, { rule: { kind: "fixed_indegree", k: 25 }, weight: exc, delay: dExc });
  net.connect(i, i, {
    rule: { kind: "fixed_indegree", k: 10, allowMultapses: false, allowAutapses: false },
    weight: inh,
    delay: dInh,
  });
  net.connect(i, e, { rule: { kind: "pairwise_bernoulli", p: 0.1 }, weight: inh, delay: dInh });
  net.connect(e, x, { rule: { kind: "fixed_outdegree", k: 2 }, weight: exc, delay: 1.0 });
  net.connect(x, i, {
    rule: { kind: "fixed_outdegree", k: 6, allowMultapses: false },
    weight: 50,
    delay: 0.5,
  });
  net.connect(x, x, {
    rule: { kind: "all_to_all", allowAutapses: false },
    weight: -20,
    delay: 0.2,
  });
  net.connect(x, x, { rule: { kind: "one_to_one" }, weight: 30, delay: 0.1 });
  net.record(e);
  net.record(i);
  net.record(x);
  return net;
}

async function runBoth(seed: number, ms: number, gpuOptions: SimulatorOptions = {}) {
  const cpu = await build(randomNetwork(seed), "cpu");
  const gpu = await build(randomNetwork(seed), "webgpu", gpuOptions);
  const [cc, gc] = [await cpu.connectivity(), await gpu.connectivity()];
  const cs = await cpu.run(ms);
  const gs = await gpu.run(ms);
  const result = { cc, gc, cs, gs, cpuSpikes: cpu.takeSpikes(), gpuSpikes: gpu.takeSpikes() };
  cpu.close();
  gpu.close();
  return result;
}

gpuTest("GPU and CPU build identical connectivity and identical spikes for 200 ms", async () => {
  const r = await runBoth(11, 200);
  ok(r.cc.targets.length > 10000, `synapses: ${r.cc.targets.length}`);
  ok(connectivityEqual(r.cc, r.gc), "connectivity differs between backends");
  ok(r.cpuSpikes.steps.length > 500, `too few spikes to compare: ${r.cpuSpikes.steps.length}`);
  deepEqual(r.gpuSpikes.steps, r.cpuSpikes.steps);
  deepEqual(r.gpuSpikes.neurons, r.cpuSpikes.neurons);
  equal(r.gs.spikes, r.cs.spikes);
  equal(r.gs.synapticEvents, r.cs.synapticEvents);
});

gpuTest("synapses split across many storage chunks give the same network and spikes", async () => {
  const r = await runBoth(12, 100, { maxChunkSynapses: 1024 });
  ok(r.gc.targets.length > 10 * 1024, "the network must span more than ten chunks");
  ok(connectivityEqual(r.cc, r.gc), "chunked connectivity differs from the CPU's");
  deepEqual(r.gpuSpikes.neurons, r.cpuSpikes.neurons);
  deepEqual(r.gpuSpikes.steps, r.cpuSpikes.steps);
});

gpuTest(
  "same seed gives bit-identical spikes; another seed differs; batch size does not matter",
  async () => {
    const runGpu = async (seed: number, stepsPerBatch: number) => {
      const sim = await build(randomNetwork(seed), "webgpu", { stepsPerBatch });
      await sim.run(150);
      const s = sim.takeSpikes();
      sim.close();
      return s;
    };
    const a = await runGpu(21, 1000);
    const b = await runGpu(21, 1000);
    const c = await runGpu(21, 7);
    const d = await runGpu(22, 1000);
    deepEqual(a, b);
    deepEqual(a, c);
    notDeepEqual(a.neurons, d.neurons);
  },
);

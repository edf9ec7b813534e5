import assert from "node:assert/strict";
import { ParameterError } from "../engine/errors.ts";
import { createSimulator } from "../engine/simulator.ts";
import { buildWorkingMemory, uniformDelay } from "./working_memory.ts";
import { connectionTable, workingMemoryParams } from "./working_memory_params.ts";
import { delayTable } from "../engine/sampling.ts";
import { build } from "../engine/test_util.ts";

/** A 10 % network: 800 exc (5 × 80 selective + 400), 200 inh; indegrees scale with N. */
const SMALL = { nExc: 800, nInh: 200, tSimMs: 600, tPresimMs: 300, offsetOriginMs: 500 } as const;

Deno.test("working memory model: structure of the built network (spec §1, §3)", () => {
  const { network, groups, params } = buildWorkingMemory({
    ...SMALL,
    cues: [{ population: 0, onsetMs: 300 }],
  });
  const spec = network.spec();
  assert.deepEqual(Object.keys(groups), ["sel0", "sel1", "sel2", "sel3", "sel4", "nonsel", "inh"]);
  assert.deepEqual(spec.populations.map((p) => p.size), [80, 80, 80, 80, 80, 400, 200]);
  assert.equal(spec.projections.length, connectionTable(params).length);
  for (const proj of spec.projections) {
    const ee = proj.pre !== 6 && proj.post !== 6;
    assert.equal(proj.facilitation !== null, ee);
  }
  // background (6 exc groups + inh), cue (sel0), offset (6 exc groups; regime B)
  assert.equal(spec.currents?.length, 7 + 1 + 6);
  const recorded = spec.populations.filter((p) => p.recorded).map((p) => p.name);
  assert.deepEqual(recorded, ["sel0", "sel1", "sel2", "sel3", "sel4"]);
  assert.throws(
    () => buildWorkingMemory({ ...SMALL, cues: [], randomNoiseOnsetsMs: [400] }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "randomNoiseOnsetsMs",
  );
});

Deno.test("working memory model: uniform delays on the 0.05 ms grid have mean 0.55 ms (spec test 5)", () => {
  const t = delayTable(uniformDelay(0.1, 1.0), 0.05);
  assert.deepEqual([...t.values], Array.from({ length: 19 }, (_, i) => i + 2));
  const cdf = [...t.thresholds].map((x) => x / 2 ** 32);
  const probs = [...cdf, 1].map((c, i) => c - (i === 0 ? 0 : cdf[i - 1]));
  const mean = probs.reduce((a, q, i) => a + q * t.values[i] * 0.05, 0);
  assert.ok(Math.abs(mean - 0.55) < 1e-6, `mean delay ${mean}`);
  // Interior steps carry 0.05/0.9 each, the two edge steps half of that.
  assert.ok(Math.abs(probs[5] - 0.05 / 0.9) < 1e-6 && Math.abs(probs[0] - 0.025 / 0.9) < 1e-6);
  assert.equal(workingMemoryParams().delayMinMs, 0.1);
});

Deno.test("working memory model: a reduced network runs on the CPU backend and its inputs 1600/400 scale", async () => {
  const { network } = buildWorkingMemory({ ...SMALL, cues: [{ population: 0, onsetMs: 20 }] });
  const sim = await createSimulator(network, { backend: "cpu" });
  // in-degree per exc neuron at 10 %: 160 exc + 40 inh; per inh neuron the same.
  assert.equal(sim.synapseCount, (800 + 200) * 200);
  const stats = await sim.run(60);
  assert.equal(stats.steps, 1200);
  const st = await sim.facilitationState!();
  assert.ok(st.u.slice(0, 800).every((u) => u >= 0.19 - 1e-12 && u <= 1));
  assert.ok(Number.isNaN(st.u[800]), "no facilitation state for inhibitory neurons");
  sim.close();
});

Deno.test({
  name:
    "working memory model: the reduced network gives identical spikes on WebGPU and CPU for 100 ms",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const net = () => buildWorkingMemory({ ...SMALL, cues: [{ population: 0, onsetMs: 20 }] });
    const cpu = await createSimulator(net().network, { backend: "cpu" });
    const gpu = await build(net().network, "webgpu");
    // Every 20 ms: the same spikes so far, and the same u, x, t_last per neuron (the u·x
    // sequence each neuron transmits), f32 on WebGPU against float64 on the CPU.
    let spikes = 0, facilitated = 0;
    for (let t = 20; t <= 100; t += 20) {
      await cpu.run(20);
      await gpu.run(20);
      const [a, b] = [cpu.takeSpikes(), gpu.takeSpikes()];
      assert.deepEqual(b.steps, a.steps, `spike steps up to ${t} ms`);
      assert.deepEqual(b.neurons, a.neurons, `spiking neurons up to ${t} ms`);
      spikes += a.steps.length;
      const [fc, fg] = [await cpu.facilitationState!(), await gpu.facilitationState!()];
      for (let i = 0; i < 800; i++) {
        assert.equal(fg.tLastMs[i], fc.tLastMs[i], `t_last of ${i} at ${t} ms`);
        assert.ok(Math.abs(fg.u[i] - fc.u[i]) < 1e-5, `u of ${i} at ${t} ms`);
        assert.ok(Math.abs(fg.x[i] - fc.x[i]) < 1e-5, `x of ${i} at ${t} ms`);
        if (fc.tLastMs[i] > 0) facilitated++;
      }
    }
    assert.ok(spikes > 200, `too few spikes to compare: ${spikes}`);
    assert.ok(facilitated > 100, `too few facilitated neurons to compare: ${facilitated}`);
    cpu.close();
    gpu.close();
  },
});

// The microcircuit built and run by the engine: synapse counts and weight means per pathway
// counted on the GPU-built network, and 10 % scale rates against NEST's 10 % ensemble.
import { equal, ok } from "node:assert/strict";
import { createSimulator } from "../engine/mod.ts";
import { testGpu } from "../engine/test_util.ts";
import { loadReferenceSummary } from "../validation/reference.ts";
import { buildMicrocircuit, meanWeightMatrix, synapseCounts } from "./microcircuit.ts";
import { POPULATION_NAMES } from "./microcircuit_params.ts";

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

gpuTest(
  "10 % scale: synapse counts and mean weights per pathway, counted on the GPU-built network",
  async () => {
    const mc = buildMicrocircuit({ nScaling: 0.1 });
    const spec = mc.network.spec();
    const sim = await createSimulator(spec, { gpu: await testGpu() });
    const conn = await sim.connectivity();
    sim.close();
    const popOf = new Uint8Array(spec.neuronCount);
    for (const p of spec.populations) popOf.fill(p.index, p.first, p.first + p.size);
    const count = Array.from({ length: 8 }, () => new Float64Array(8));
    const sum = Array.from({ length: 8 }, () => new Float64Array(8));
    for (let src = 0; src < spec.neuronCount; src++) {
      const j = popOf[src];
      for (let k = conn.rowStart[src]; k < conn.rowStart[src + 1]; k++) {
        const i = popOf[conn.targets[k]];
        count[i][j]++;
        sum[i][j] += conn.weights[k] / conn.scale;
      }
    }
    const expected = synapseCounts({ nScaling: 0.1 });
    const w = meanWeightMatrix({ nScaling: 0.1 });
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        equal(count[i][j], expected[i][j], `${POPULATION_NAMES[i]}←${POPULATION_NAMES[j]} count`);
        if (count[i][j] < 1000) continue;
        // ±3σ truncation shifts the mean by < 0.01 σ; sampling error ≤ 0.1σ/sqrt(1000) ≈ 0.3 % of w.
        const mean = sum[i][j] / count[i][j];
        ok(
          Math.abs(mean / w[i][j] - 1) < 0.005,
          `${POPULATION_NAMES[i]}←${POPULATION_NAMES[j]} mean weight ${mean} vs ${w[i][j]}`,
        );
      }
    }
  },
);

gpuTest(
  "10 % scale, 2 s: population rates within ±30 % (or ±0.4 Hz) of NEST's 10 % seed means",
  async () => {
    const mc = buildMicrocircuit({ nScaling: 0.1, seed: 5 });
    const spec = mc.network.spec();
    const sim = await createSimulator(spec, { gpu: await testGpu() });
    await sim.run(500);
    sim.takeSpikes();
    await sim.run(2000);
    const spikes = sim.takeSpikes();
    sim.close();
    const summary = await loadReferenceSummary("small");
    spec.populations.forEach((pop, i) => {
      let n = 0;
      for (const id of spikes.neurons) if (id >= pop.first && id < pop.first + pop.size) n++;
      const rate = n / pop.size / 2;
      const nest = summary.means_over_seeds.firing_rate[summary.populations[i]].mean;
      const tolerance = Math.max(0.3 * nest, 0.4);
      ok(
        Math.abs(rate - nest) <= tolerance,
        `${pop.name}: ${rate.toFixed(3)} Hz vs NEST ${nest.toFixed(3)} Hz`,
      );
    });
  },
);

// CPU and WebGPU training of the rewiring model give identical connectivity and stabilized
// sets (both draw the same Philox counters; spec rewiring.md §2), with the connections split
// into several chunks; WebGPU test statistics equal the CPU's to f32 rounding.
import assert from "node:assert/strict";
import { ParameterError } from "../../engine/errors.ts";
import { testGpu } from "../../engine/test_util.ts";
import {
  createRewiringNetwork,
  materializeSources,
  testRewiringNetwork,
  trainRewiringNetwork,
} from "../rewiring.ts";
import type { RewiringModelParams } from "../rewiring_params.ts";
import {
  networkFromGpuState,
  planChunks,
  testRewiringGpu,
  trainRewiringGpu,
} from "./rewiring_gpu.ts";

const SMALL: Partial<RewiringModelParams> = {
  populationSize1: 500,
  populationSize2: 300,
  inDegree: 40,
  alpha1: 0.05,
  alpha2: 0.05,
  rewiringPeriod: 7,
  trainingPatterns: 40,
  seed: 11,
};

for (const inDegreeRule of ["poisson_indegree", "fixed_indegree"] as const) {
  Deno.test({
    name: `CPU and WebGPU give identical stabilized connections (${inDegreeRule})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const gpu = await testGpu();
      const options = { ...SMALL, inDegreeRule };
      const cpu = createRewiringNetwork(options);
      trainRewiringNetwork(cpu);
      materializeSources(cpu);
      // 4 chunks of 300 neurons: 4·C_reserve·80 bytes per chunk.
      const chunkBytes = 4 * cpu.derived.reserve * 80;
      const device = await trainRewiringGpu(gpu, options, { maxChunkBytes: chunkBytes });
      assert.equal(device.epoch, cpu.epoch);
      assert.deepEqual(device.inDegree, cpu.inDegree);
      let stabilized = 0;
      for (let i = 0; i < cpu.params.populationSize2; i++) {
        const base = i * cpu.derived.reserve;
        const end = base + cpu.inDegree[i];
        assert.deepEqual(
          device.sources.subarray(base, end),
          cpu.sources.subarray(base, end),
          `neuron ${i}`,
        );
        assert.deepEqual(
          device.stabilized.subarray(base, end),
          cpu.stabilized.subarray(base, end),
          `neuron ${i}`,
        );
        for (let c = base; c < end; c++) stabilized += cpu.stabilized[c];
      }
      assert.ok(stabilized > 100, `only ${stabilized} stabilized connections`);
    },
  });
}

Deno.test("planChunks: whole neurons per chunk within the binding limit", () => {
  const limits = { maxStorageBufferBindingSize: 1000, maxBufferSize: 4000 };
  // 1000 bytes / (4·10 bytes per neuron) = 25 neurons per chunk.
  assert.deepEqual(planChunks(60, 10, { limits }), [
    { first: 0, count: 25 },
    { first: 25, count: 25 },
    { first: 50, count: 10 },
  ]);
  assert.deepEqual(planChunks(60, 10, { limits, maxChunkBytes: 400 }).length, 6);
  assert.throws(
    () => planChunks(60, 300, { limits }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "inDegree",
  );
});

Deno.test({
  name: "WebGPU input signals give the CPU test statistics to f32 rounding",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const gpu = await testGpu();
    const net = createRewiringNetwork({
      populationSize1: 2000,
      populationSize2: 1000,
      inDegree: 100,
      alpha1: 0.02,
      alpha2: 0.02,
      rewiringPeriod: 10,
      trainingPatterns: 50,
      testPatterns: 20,
      noiseSigma: 1,
      seed: 12,
    });
    trainRewiringNetwork(net);
    const cpu = testRewiringNetwork(net);
    const device = await testRewiringGpu(gpu, net, {
      maxChunkBytes: 4 * net.derived.reserve * 300,
    });
    assert.equal(device.perPattern.length, 20);
    // S_i sums ~100 terms of f32 rates: relative rounding ≈ 1e-6; allow 1e-5.
    cpu.perPattern.forEach((c, k) => {
      const g = device.perPattern[k];
      assert.equal(g.pattern, c.pattern);
      for (const key of ["codingMean", "backgroundMean", "backgroundVariance"] as const) {
        assert.ok(
          Math.abs(g[key] - c[key]) <= 1e-5 * Math.abs(c[key]),
          `${key}: ${g[key]} vs ${c[key]}`,
        );
      }
    });
    assert.ok(Math.abs(device.sdnr - cpu.sdnr) <= 1e-5 * cpu.sdnr);
  },
});

Deno.test({
  name: "a network trained on WebGPU tests exactly as the CPU-trained one",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const gpu = await testGpu();
    const options = { ...SMALL, testPatterns: 15, noiseSigma: 1 };
    const cpu = createRewiringNetwork(options);
    trainRewiringNetwork(cpu);
    const fromDevice = networkFromGpuState(options, await trainRewiringGpu(gpu, options));
    assert.deepEqual(testRewiringNetwork(fromDevice), testRewiringNetwork(cpu));
    assert.throws(
      () =>
        networkFromGpuState({ ...options, populationSize2: 299 }, {
          inDegree: fromDevice.inDegree,
          sources: fromDevice.sources,
          stabilized: fromDevice.stabilized,
          epoch: 0,
          trained: 0,
        }),
      (e: unknown) => e instanceof ParameterError && e.parameter === "state",
    );
  },
});

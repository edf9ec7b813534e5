// Software adapters (llvmpipe) end any loop after 65 535 iterations per invocation, silently.
// The engine must never lose work to that: kernels count what they finished and the host
// throws a clear error when the count falls short (found with 2^24 synapses onto one neuron
// delivered by one workgroup: 80 % of the input vanished without a word).
import { equal, ok, rejects } from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { build } from "./test_util.ts";

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

function convergent(n: number): Network {
  const net = new Network({ resolutionMs: 0.1 });
  const src = net.population("S", { size: 8, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
  const tgt = net.population("T", { size: 1, params: iafPscExp({ V_th: 1e9 }) });
  net.connect(src, tgt, { rule: { kind: "fixed_total_number", n }, weight: 1, delay: 0.1 });
  return net;
}

gpuTest("delivery never loses synapse events to an adapter's loop limit", async () => {
  // 8 rows of 2^17 synapses walked by one workgroup: 16 384 iterations per invocation, then
  // twice that per row... 2^20 / 64 = 16 384 in all: within the limit; 2^23 / 64 is not.
  for (const n of [2 ** 20, 2 ** 23]) {
    const sim = await build(convergent(n), "webgpu", { deliverWorkgroups: 1 });
    try {
      const stats = await sim.run(0.2);
      const state = await sim.state();
      equal(stats.synapticEvents, n);
      equal(state.iEx[8], n, "every event that was not reported lost must have arrived");
    } catch (e) {
      ok(n === 2 ** 23, `n = ${n}: ${e}`);
      ok(/spike delivery stopped early/.test((e as Error).message), String(e));
    } finally {
      sim.close();
    }
  }
});

gpuTest("connection generation never loses rows to an adapter's loop limit", async () => {
  // pairwise_bernoulli walks a whole target row per invocation: 70 000 candidates.
  const net = new Network({ resolutionMs: 0.1 });
  const a = net.population("A", { size: 2 });
  const b = net.population("B", { size: 70000 });
  net.connect(a, b, { rule: { kind: "pairwise_bernoulli", p: 0.01 }, weight: 1, delay: 0.1 });
  let sim;
  try {
    sim = await build(net, "webgpu");
  } catch (e) {
    ok(/completed \d+ of 2 work items/.test((e as Error).message), String(e));
    return;
  }
  const conn = await sim.connectivity();
  sim.close();
  const cpu = await build(net, "cpu");
  equal(conn.targets.length, (await cpu.connectivity()).targets.length);
});

gpuTest("backend options out of range are rejected before any GPU work", async () => {
  for (
    const options of [{ deliverWorkgroups: 0 }, { stepsPerBatch: 0.5 }, { maxChunkSynapses: -1 }]
  ) {
    await rejects(() => build(convergent(2 ** 10), "webgpu", options), ParameterError);
  }
});

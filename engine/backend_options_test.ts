// Regression: out-of-range numeric backend options (stepsPerBatch, maxChunkSynapses,
// deliverWorkgroups) were rejected on WebGPU but silently accepted with backend "cpu", so a
// configuration valid on one backend failed on the other. createSimulator now checks them for
// both backends, before any GPU work.
import assert, { ok, rejects } from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { Network } from "./network.ts";
import { createSimulator } from "./simulator.ts";

Deno.test("backend options out of range are rejected on both backends", async () => {
  const net = new Network();
  net.population("p", { size: 1 });
  for (const backend of ["cpu", "webgpu"] as const) {
    for (
      const [key, value] of [
        ["stepsPerBatch", 0],
        ["stepsPerBatch", 0.5],
        ["maxChunkSynapses", -1],
        ["deliverWorkgroups", NaN],
      ] as const
    ) {
      // No device is acquired: the check comes first, on WebGPU too.
      await rejects(
        async () => await createSimulator(net, { backend, [key]: value }),
        (e: unknown) => e instanceof ParameterError && e.parameter === key,
      );
    }
  }
  const sim = await createSimulator(net, { backend: "cpu", stepsPerBatch: 7 });
  ok((await sim.run(1)).steps === 10);
  sim.close();
});

Deno.test("createSimulator rejects bad arguments (no synchronous throw) and snapshots the network", async () => {
  const net = new Network();
  const a = net.population("a", { size: 2 });
  // A caller using .catch() must see the error, not an exception from the call itself.
  const pending = createSimulator(net, { backend: "gpu" as "cpu" });
  await assert.rejects(pending, /backend/);
  const sim = await createSimulator(net, { backend: "cpu" });
  // Later changes to the Network do not reach an existing simulator.
  net.population("b", { size: 3 });
  net.record(a);
  await sim.run(1);
  assert.equal(sim.takeSpikes().steps.length, 0);
  assert.equal((await sim.state()).v.length, 2);
  sim.close();
});

// Regression: on the CPU backend a closed simulator went on running (run() after close() raised
// nothing), while WebGPU said "simulator is closed" for run() only. On both backends every
// method of a closed simulator now throws (or rejects with) a SimulatorClosedError naming the
// method; close() itself may be called again.
import { equal, ok, rejects, throws } from "node:assert/strict";
import { SimulatorClosedError } from "./errors.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

function closedError(method: string) {
  return (e: unknown) => {
    ok(e instanceof SimulatorClosedError, `expected a SimulatorClosedError, got ${e}`);
    equal(e.method, method);
    ok(/simulator is closed/.test(e.message) && e.message.includes(`${method}()`), e.message);
    return true;
  };
}

bothBackends("every method of a closed simulator throws", async (backend) => {
  const net = new Network();
  const a = net.population("a", { size: 2 });
  net.connect(a, a, { rule: { kind: "all_to_all" }, weight: 1, delay: 0.1 });
  net.record(a);
  const sim = await build(net, backend);
  await sim.run(0.1);
  sim.close();
  await rejects(() => sim.run(0.1), closedError("run"));
  // Argument errors do not hide that the simulator is closed.
  await rejects(() => sim.run(-1), closedError("run"));
  throws(() => sim.takeSpikes(), closedError("takeSpikes"));
  await rejects(() => sim.state(), closedError("state"));
  await rejects(() => sim.connectivity(), closedError("connectivity"));
  await rejects(() => sim.facilitationState!(), closedError("facilitationState"));
  sim.close(); // a second close is a no-op
  equal(sim.stepsDone, 1, "the step count stays readable");
});

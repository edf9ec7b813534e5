// Regression: close() (or state(), or a second run()) while a WebGPU run() was still in
// progress read or freed the device buffers that run was using. On both backends such a call
// now throws a SimulatorBusyError naming both methods, and the run finishes unharmed.
import { equal, ok, rejects, throws } from "node:assert/strict";
import { SimulatorBusyError } from "./errors.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

function busyError(method: string) {
  return (e: unknown) => {
    ok(e instanceof SimulatorBusyError, `expected a SimulatorBusyError, got ${e}`);
    equal(e.method, method);
    equal(e.busyWith, "run");
    ok(e.message.includes(`${method}() was called while run() is in progress`), e.message);
    return true;
  };
}

bothBackends("close, state and run are refused while a run is in progress", async (backend) => {
  const net = new Network();
  const a = net.population("a", { size: 8 });
  net.connect(a, a, { rule: { kind: "all_to_all" }, weight: 1, delay: 0.1 });
  net.record(a);
  const sim = await build(net, backend);
  // All calls before the first await: the CPU backend finishes its work within one task.
  const running = sim.run(20);
  throws(() => sim.close(), busyError("close"));
  const state = sim.state();
  const again = sim.run(0.1);
  await rejects(state, busyError("state"));
  await rejects(again, busyError("run"));
  const stats = await running;
  equal(sim.stepsDone, 200);
  ok(stats !== undefined);
  // Once the run is over everything works again.
  await sim.state();
  await sim.run(0.1);
  sim.close();
});

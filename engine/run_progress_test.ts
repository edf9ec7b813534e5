// Regression: `run(ms, { onProgress })` reported progress on WebGPU (once per batch) but the
// CPU backend ignored the callback. Both backends report (stepsDone, stepsTotal) of the run,
// ascending, ending with (total, total).
import { deepEqual, equal, ok } from "node:assert/strict";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

bothBackends("run reports its progress", async (backend) => {
  const net = new Network({ resolutionMs: 0.1 });
  net.population("p", { size: 1 });
  const sim = await build(net, backend, { stepsPerBatch: 1000 });
  try {
    const calls: [number, number][] = [];
    await sim.run(250, { onProgress: (done, total) => calls.push([done, total]) });
    ok(calls.length >= 2, `progress reported ${calls.length} times for 2500 steps`);
    deepEqual(calls.at(-1), [2500, 2500]);
    for (let k = 0; k < calls.length; k++) {
      equal(calls[k][1], 2500);
      ok(calls[k][0] > (k > 0 ? calls[k - 1][0] : 0), "ascending");
    }
    // The counts are per run, not since construction.
    calls.length = 0;
    await sim.run(0.5, { onProgress: (done, total) => calls.push([done, total]) });
    deepEqual(calls, [[5, 5]]);
  } finally {
    sim.close();
  }
});

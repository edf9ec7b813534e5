// Regression: `run(ms, { onProgress })` reported progress on WebGPU (once per batch) but the
// CPU backend ignored the callback. Both backends report (stepsDone, stepsTotal) of the run,
// ascending, ending with (total, total).
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
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

// Regression: on WebGPU a callback that threw left stepsDone at 0 although every step had run,
// so the next run stamped its spikes from step 0 again (the CPU backend counted 100 steps). Now
// the run completes on both backends, then the callback's error is raised.
bothBackends("a throwing progress callback does not cut the run short", async (backend) => {
  const net = new Network({ resolutionMs: 0.1 });
  const p = net.population("p", { size: 4, params: iafPscExp({ I_e: 1000 }) });
  net.record(p);
  const sim = await build(net, backend, { stepsPerBatch: 20 });
  try {
    let calls = 0;
    await rejects(
      () =>
        sim.run(10, {
          onProgress: () => {
            calls++;
            throw new Error("callback failed");
          },
        }),
      /callback failed/,
    );
    equal(calls, 1, "called once, then no more");
    equal(sim.stepsDone, 100);
    const first = sim.takeSpikes();
    await sim.run(10);
    const second = sim.takeSpikes();
    ok(second.steps.length > 0 && second.steps[0] > 100, `next stamps ${second.steps[0]}`);
    ok(first.steps.every((s) => s <= 100));
  } finally {
    sim.close();
  }
});

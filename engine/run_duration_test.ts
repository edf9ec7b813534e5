// Regression: `run(ms)` checked nothing. run(Infinity) looped forever on both backends,
// run(-5) and run(NaN) silently ran no step, and run(0.05) with h = 0.1 silently ran one step.
// Every duration must be a finite multiple of the resolution ≥ 0 (within a floating-point
// tolerance: run(0.3) with h = 0.1 is 3 steps); anything else rejects with a ParameterError
// that names the parameter and the nearest valid durations, before any work (stepsDone and
// the neuron state are unchanged). run(0) is a valid no-op.
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import type { ProgressCallback } from "./simulator_types.ts";
import { bothBackends, build } from "./test_util.ts";

const H = 0.1;

/** One neuron that fires at once and then every 21 steps (t_ref = 2 ms). */
function tiny(resolutionMs = H): Network {
  const net = new Network({ resolutionMs });
  const pop = net.population("p", { size: 1, params: iafPscExp({ I_e: 1e6 }) });
  net.record(pop);
  return net;
}

function rejectsDuration(run: () => Promise<unknown>, range: RegExp): Promise<void> {
  return rejects(run, (e: unknown) => {
    ok(e instanceof ParameterError, `expected a ParameterError, got ${e}`);
    equal(e.parameter, "run.durationMs");
    ok(range.test(e.message), `message "${e.message}" does not state ${range}`);
    return true;
  });
}

bothBackends("run rejects non-finite, negative and off-grid durations", async (backend) => {
  const sim = await build(tiny(), backend);
  try {
    const before = await sim.state();
    await rejectsDuration(() => sim.run(Infinity), /finite duration ≥ 0 ms/);
    await rejectsDuration(() => sim.run(-Infinity), /finite duration ≥ 0 ms/);
    await rejectsDuration(() => sim.run(NaN), /got NaN.*finite duration ≥ 0 ms/);
    await rejectsDuration(() => sim.run("1" as unknown as number), /finite duration/);
    await rejectsDuration(() => sim.run(-5), /got -5, expected a duration ≥ 0 ms/);
    await rejectsDuration(
      () => sim.run(0.05),
      /multiple of the resolution \(0\.1 ms\); the nearest are 0 and 0\.1 ms/,
    );
    await rejectsDuration(() => sim.run(0.25), /the nearest are 0\.2 and 0\.3 ms/);
    await rejectsDuration(() => sim.run(1000.04), /the nearest are 1000 and 1000\.1 ms/);
    // Beyond the i32 step stamps: rejected at once instead of running for days.
    await rejectsDuration(() => sim.run(1e12), /at most 214748364\.7 ms \(2147483647 steps\)/);
    equal(sim.stepsDone, 0, "a rejected run does no step");
    deepEqual(await sim.state(), before, "a rejected run leaves the state alone");
    equal(sim.takeSpikes().steps.length, 0);
  } finally {
    sim.close();
  }
});

bothBackends("run accepts durations on the grid up to floating-point error", async (backend) => {
  const sim = await build(tiny(), backend);
  try {
    equal((await sim.run(0.3)).steps, 3); // 0.3 / 0.1 = 2.9999999999999996
    equal((await sim.run(0.1 + 0.2)).steps, 3); // 0.30000000000000004
    equal((await sim.run(1.7)).steps, 17);
    equal(sim.stepsDone, 23);
    // 0.3 − 0.1 − 0.2 = −2.8e-17: zero up to rounding, not a negative duration.
    equal((await sim.run(0.3 - 0.1 - 0.2)).steps, 0);
    deepEqual([...sim.takeSpikes().steps], [1, 22]);
  } finally {
    sim.close();
  }
});

bothBackends("run(0) is a no-op", async (backend) => {
  const sim = await build(tiny(), backend);
  try {
    const before = await sim.state();
    deepEqual({ ...await sim.run(0), wallSeconds: 0 }, {
      steps: 0,
      spikes: 0,
      synapticEvents: 0,
      wallSeconds: 0,
    });
    equal(sim.stepsDone, 0);
    deepEqual(await sim.state(), before);
    equal(sim.takeSpikes().steps.length, 0);
    // The next run starts where it would have without the run(0).
    equal((await sim.run(0.1)).spikes, 1);
    deepEqual([...sim.takeSpikes().steps], [1]);
  } finally {
    sim.close();
  }
});

bothBackends("the grid is the network's resolution", async (backend) => {
  const sim = await build(tiny(0.25), backend);
  try {
    await rejectsDuration(
      () => sim.run(0.1),
      /resolution \(0\.25 ms\); the nearest are 0 and 0\.25/,
    );
    equal((await sim.run(0.75)).steps, 3);
  } finally {
    sim.close();
  }
});

bothBackends("run checks its options", async (backend) => {
  const sim = await build(tiny(), backend);
  try {
    for (const options of [null, 5, { onProgress: 1 }]) {
      await rejects(
        () => sim.run(0.1, options as { onProgress?: ProgressCallback }),
        (e: unknown) => e instanceof ParameterError && /^run\.options/.test(e.parameter),
      );
    }
    equal(sim.stepsDone, 0);
  } finally {
    sim.close();
  }
});

// Regression: a delay of exactly one step. A spike stamped t_s reaches the target's current in
// the update that ends at t_s + 1 step (spec §3.4 step 3), not in the same step and not later.
// One step is the shortest delay and the one where an off-by-one in the ring-buffer slot (the
// slot read in the current step vs the slot written one step ahead) would show first.
import { deepEqual, equal, ok } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build, traceSteps } from "./test_util.ts";

const H = 0.1;
const P11 = Math.exp(-H / 0.5);

/**
 * A fires in every step (t_ref = 0, I_e far above rheobase: after a reset y = P20·I_e > θ), so
 * its stamps are 1, 2, 3, ...; B gets w after one step; C gets w after five steps (so the ring
 * has more than two slots in the second network).
 */
function network(options: { withLongDelay: boolean }) {
  const net = new Network({ resolutionMs: H });
  const a = net.population("A", { size: 1, params: iafPscExp({ t_ref: 0, I_e: 1e6 }) });
  const b = net.population("B", { size: 1, params: iafPscExp({ V_th: 1e6 }) });
  net.connect(a, b, { rule: { kind: "one_to_one" }, weight: 100, delay: H });
  if (options.withLongDelay) {
    const c = net.population("C", { size: 1, params: iafPscExp({ V_th: 1e6 }) });
    net.connect(a, c, { rule: { kind: "one_to_one" }, weight: 100, delay: 5 * H });
  }
  net.record(a);
  return net;
}

for (const withLongDelay of [false, true]) {
  bothBackends(
    `a one-step delay lands in the step ending at stamp + 1 (ring of ${
      withLongDelay ? "6" : "2"
    } slots)`,
    async (backend) => {
      const sim = await build(network({ withLongDelay }), backend);
      const trace = await traceSteps(sim, 8, 1, H);
      const cTrace = withLongDelay ? await sim.state() : null;
      const { steps } = sim.takeSpikes();
      sim.close();
      deepEqual([...steps], [1, 2, 3, 4, 5, 6, 7, 8], "A fires in every step");
      // After step 1 (A's first stamp) B has no input; after step 2 exactly w; then the sum
      // of one input per step, decayed by P11: I(s) = w·Σ_{j<s−1} P11^j.
      equal(trace.iEx[0], 0, "nothing in the step that produced the spike");
      let expected = 0;
      for (let s = 2; s <= 8; s++) {
        expected = expected * P11 + 100;
        ok(
          Math.abs(trace.iEx[s - 1] - expected) < 1e-4,
          `I_ex of B after step ${s}: ${trace.iEx[s - 1]} vs ${expected}`,
        );
      }
      if (cTrace) {
        // C: stamps 1..3 arrive in steps 6..8 → after step 8: w(P11² + P11 + 1).
        const c = 100 * (P11 * P11 + P11 + 1);
        ok(Math.abs(cTrace.iEx[2] - c) < 1e-4, `I_ex of C: ${cTrace.iEx[2]} vs ${c}`);
      }
    },
  );
}

bothBackends("one-step delays hold across command-buffer batches", async (backend) => {
  // Batches of 3 steps: the spike of the last step of a batch is delivered into the first
  // step of the next. After 10 steps B has received stamps 1..9: w·Σ_{j<9} P11^j.
  const sim = await build(network({ withLongDelay: false }), backend, { stepsPerBatch: 3 });
  await sim.run(10 * H);
  const st = await sim.state();
  sim.close();
  const expected = 100 * (1 - P11 ** 9) / (1 - P11);
  ok(Math.abs(st.iEx[1] - expected) < 1e-4, `I_ex of B: ${st.iEx[1]} vs ${expected}`);
});

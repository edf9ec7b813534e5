import assert from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { facilitationInitial, facilitationSpike } from "./facilitation.ts";
import { iafPscExp, propagators } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { bothBackends, build } from "./test_util.ts";

const STP = { U: 0.19, tauF: 1500, tauD: 200 };

/** One regular source neuron → a facilitating and a static target (neither can fire). */
function network(): Network {
  const net = new Network({ resolutionMs: 0.1, seed: 3 });
  const src = net.population("src", { size: 1, params: iafPscExp({ I_e: 1500 }) });
  const silent = iafPscExp({ V_th: 1000 });
  const plastic = net.population("plastic", { size: 1, params: silent });
  const fixed = net.population("fixed", { size: 1, params: silent });
  const rule = { kind: "one_to_one" } as const;
  net.connect(src, plastic, { rule, weight: 100, delay: 0.3, facilitation: STP });
  net.connect(src, fixed, { rule, weight: 100, delay: 0.3 });
  net.record(src);
  return net;
}

bothBackends(
  "facilitating synapse delivers W·u·x of the spike's stamp, static ones W",
  async (backend) => {
    const sim = await build(network(), backend);
    // The WebGPU state is f32: currents of ~100 pA carry ~1e-5 pA of rounding, u and x ~1e-7.
    const tol = backend === "cpu" ? 1e-9 : 1e-3;
    const tolState = backend === "cpu" ? 1e-12 : 1e-6;
    const p = propagators(iafPscExp(), 0.1);
    const plasticJumps: number[] = [];
    const fixedJumps: number[] = [];
    let prev = await sim.state();
    for (let s = 0; s < 500; s++) {
      await sim.run(0.1);
      const st = await sim.state();
      const jp = st.iEx[1] - p.P11ex * prev.iEx[1];
      const jf = st.iEx[2] - p.P11ex * prev.iEx[2];
      if (jf > 1) {
        plasticJumps.push(jp);
        fixedJumps.push(jf);
      }
      prev = st;
    }
    const spikes = sim.takeSpikes();
    assert.ok(spikes.steps.length >= 5, `source fired ${spikes.steps.length} times`);
    const state = facilitationInitial(STP);
    const unit = 1 / sim.fixedPointScale;
    fixedJumps.forEach((j, k) => {
      assert.ok(Math.abs(j - 100) < 1e-6 + tol, `static jump ${k}: ${j}`);
      const eff = facilitationSpike(state, spikes.steps[k] * 0.1, STP).efficacy;
      assert.ok(Math.abs(plasticJumps[k] - 100 * eff) <= unit + tol, `jump ${k}`);
    });
    assert.ok(Math.abs(plasticJumps[0] - 34.39) < 1e-3 + tol, "first spike transmits 0.3439·W");
    const fs = await sim.facilitationState!();
    assert.ok(Math.abs(fs.u[0] - state.u) < tolState, `u ${fs.u[0]} vs ${state.u}`);
    assert.ok(Math.abs(fs.x[0] - state.x) < tolState, `x ${fs.x[0]} vs ${state.x}`);
    assert.ok(Math.abs(fs.tLastMs[0] - state.tLast) < 1e-9, "t_last is the last stamp");
    assert.ok(Number.isNaN(fs.u[1]));
    sim.close();
  },
);

Deno.test("facilitating projections of one population must share their parameters", () => {
  const net = network();
  const spec = net.spec();
  assert.deepEqual(spec.projections[0].facilitation, { ...STP, u0: 0.19, x0: 1 });
  assert.equal(spec.projections[1].facilitation, null);
  const rule = { kind: "one_to_one" } as const;
  // A second source with facilitating projections into two targets.
  const src = net.population("src2", { size: 1, params: iafPscExp() });
  const plastic = net.population("plastic2", { size: 1, params: iafPscExp() });
  const other = net.population("plastic3", { size: 1, params: iafPscExp() });
  net.connect(src, other, { rule, weight: 1, delay: 0.1, facilitation: STP });
  assert.throws(
    () =>
      net.connect(src, plastic, { rule, weight: 1, delay: 0.1, facilitation: { ...STP, U: 0.3 } }),
    (e: unknown) =>
      e instanceof ParameterError && e.parameter === "connect(src2→plastic2).facilitation",
  );
  assert.throws(
    () =>
      net.connect(src, plastic, { rule, weight: 1, delay: 0.1, facilitation: { ...STP, tauD: 0 } }),
    (e: unknown) =>
      e instanceof ParameterError && e.parameter === "connect(src2→plastic2).facilitation.tauD",
  );
});

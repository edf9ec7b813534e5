// Regression: thousands of spikes converging on one neuron in one step. Synaptic input is
// summed with i32 fixed-point atomics; the scale is chosen from the network so that the sum
// cannot overflow (design §3.2). Faults this file guards:
// - lost input: every one of the 4000 simultaneous inputs must arrive (exact sum);
// - rounding past the bound: weights rounded to nearest exceeded |w|·scale by up to half a
//   unit each, so 4000 weights chosen just under the bound summed past 2^31 − 1 and wrapped to
//   a large negative current on the GPU (the float64 CPU ring did not wrap: the backends
//   disagreed). Fixed by clamping fixed-point weights to their bound (`fixedPointWeights`);
// - the per-target bound itself overflowing: the GPU counted bound units per target in a u32,
//   which wraps at 2^24 synapses of 256 units, giving too large a scale; now 64-bit;
// - weights that overflow i32 at any scale: a clear error before simulation.
import { equal, ok, rejects } from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { fixedPointScale, fixedPointWeights, planNetwork } from "./plan.ts";
import { bothBackends, build } from "./test_util.ts";

const H = 0.1;
const I32_MAX = 2 ** 31 - 1;

/** `sources` neurons that all fire in step 1 (V0 above threshold), all_to_all onto one target. */
function convergent(sources: number, weight: number) {
  const net = new Network({ resolutionMs: H });
  const src = net.population("S", { size: sources, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
  const tgt = net.population("T", { size: 1, params: iafPscExp({ V_th: 1e9 }) });
  net.connect(src, tgt, { rule: { kind: "all_to_all" }, weight, delay: H });
  return net;
}

/**
 * The target's I_ex after the input arrives (step 2: stamp 1 + one step), and the expected
 * value: n·w_fixed/scale, exact in float64 on the CPU; on the GPU the i32 sum is converted to
 * f32 before the (exact, power-of-two) scaling.
 */
async function arrival(net: Network, backend: "webgpu" | "cpu", sources: number) {
  const sim = await build(net, backend);
  const stats = await sim.run(2 * H);
  const state = await sim.state();
  const conn = await sim.connectivity();
  sim.close();
  const sum = sources * conn.weights[0];
  const expected = (backend === "webgpu" ? Math.fround(sum) : sum) / conn.scale;
  return { stats, iEx: state.iEx[sources], iIn: state.iIn[sources], expected, sum, conn };
}

bothBackends("4000 spikes converging on one neuron in one step all arrive", async (backend) => {
  const net = new Network({ resolutionMs: H });
  const exc = net.population("E", { size: 4000, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
  const inh = net.population("I", { size: 4000, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
  const tgt = net.population("T", { size: 1, params: iafPscExp({ V_th: 1e9 }) });
  net.connect(exc, tgt, { rule: { kind: "all_to_all" }, weight: 100, delay: H });
  net.connect(inh, tgt, { rule: { kind: "all_to_all" }, weight: -100, delay: H });
  const sim = await build(net, backend);
  const stats = await sim.run(2 * H);
  const state = await sim.state();
  sim.close();
  equal(stats.spikes, 8000);
  equal(stats.synapticEvents, 8000);
  // Bound 8000·100 pA → scale 2^floor(log2(2^31/8e5)) = 2048; 4000·204800 = 2^18·3125 is exact
  // in f32, so both backends must give exactly ±400 000 pA.
  equal(sim.fixedPointScale, 2048);
  equal(state.iEx[8000], 400000);
  equal(state.iIn[8000], -400000);
});

bothBackends(
  "weights just under the i32 bound do not round past it (4000 converging inputs)",
  async (backend) => {
    // w·4096·4000 = 2^31 − 100 < 2^31 − 1, so scale 4096 is allowed; w·4096 = 536870.887 rounds
    // to 536871 and 4000 of them make 2147484000 > 2^31 − 1 (the old GPU result: −524287.9 pA).
    const w = (2 ** 31 - 100) / (4000 * 4096);
    const r = await arrival(convergent(4000, w), backend, 4000);
    equal(r.conn.scale, 4096);
    ok(r.sum <= I32_MAX, `fixed-point sum ${r.sum} exceeds 2^31 − 1`);
    equal(r.iEx, r.expected);
    ok(Math.abs(r.iEx - 4000 * w) <= 4000 / r.conn.scale, `I_ex ${r.iEx} vs ${4000 * w}`);
    equal(r.stats.synapticEvents, 4000);
  },
);

Deno.test("fixed-point synaptic weights near the bound never sum past i32", () => {
  // Sweep weights across many rounding offsets just under the bound of 4000 inputs at scale
  // 4096: the largest possible summed input (all 4000 synapses at the largest fixed-point
  // weight) must never exceed 2^31 − 1.
  const base = (2 ** 31) / (4000 * 4096);
  for (let i = 0; i < 500; i++) {
    const w = base * (1 - i * 3e-8);
    const plan = planNetwork(convergent(4000, w).spec());
    const scale = fixedPointScale(plan, 4000 * plan.projections[0].units);
    const table = fixedPointWeights(plan, plan.projections[0], scale);
    const largest = table.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    ok(4000 * largest <= I32_MAX, `w = ${w}: 4000 · ${largest} > 2^31 − 1`);
  }
});

Deno.test("the largest Poisson count at the rounded event weight never passes i32", () => {
  // λ = 1.5 events per step (15 kHz): the table's largest count is M = 16. With event weights
  // w·4096 = (2^31 − 1 − 0.1j)/16 = 2^27 − (1 + 0.1j)/16, scale 4096 still fits the bound
  // M·w·4096 ≤ (2^31 − 1)/(1 + 1e-9) for j ≥ 22, and w·4096 rounds up to 2^27 for j < 70:
  // then 16 · 2^27 = 2^31 would wrap, unless the scale leaves room for the rounding.
  const poissonPlan = (weight: number) => {
    const net = new Network({ resolutionMs: H });
    net.poisson(net.population("P", { size: 1 }), { rateHz: 15000, weight, delayMs: H });
    return planNetwork(net.spec());
  };
  const M = poissonPlan(1).populations[0].poisson!.maxCount;
  equal(M, 16);
  for (let j = 0; j <= 100; j++) {
    const plan = poissonPlan((I32_MAX - 0.1 * j) / (M * 4096));
    const poisson = plan.populations[0].poisson!;
    const event = Math.round(poisson.weight * fixedPointScale(plan, 0));
    ok(M * event <= I32_MAX, `j = ${j}: ${M} · ${event} > 2^31 − 1`);
  }
});

Deno.test({
  name: "more than 2^24 synapses onto one neuron: the bound counts all of them (GPU)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // 2^24 + 2^22 synapses of 1 pA (256 bound units each) from 64 sources that fire together.
    // The old u32 unit sum wrapped to 2^30 units (2^22 synapses' worth) and chose scale 256;
    // the true sum, 2^24 + 2^22 pA, needs scale 64: at 256 it wrapped to 4 194 304 pA.
    const n = 2 ** 24 + 2 ** 22;
    const net = new Network({ resolutionMs: H });
    const src = net.population("S", { size: 64, v0: -40, params: iafPscExp({ t_ref: 1000 }) });
    const tgt = net.population("T", { size: 1, params: iafPscExp({ V_th: 1e9 }) });
    net.connect(src, tgt, { rule: { kind: "fixed_total_number", n }, weight: 1, delay: H });
    const sim = await build(net, "webgpu");
    const stats = await sim.run(2 * H);
    const state = await sim.state();
    sim.close();
    equal(sim.fixedPointScale, 64);
    equal(stats.synapticEvents, n);
    equal(state.iEx[64], n);
  },
});

bothBackends("weights that overflow i32 even at 1 unit/pA are a clear error", async (backend) => {
  // 4000 × 10^6 pA = 4·10^9 pA > 2^31 − 1 units at the coarsest scale.
  await rejects(build(convergent(4000, 1e6), backend), (e: unknown) => {
    ok(e instanceof ParameterError, `expected a ParameterError, got ${e}`);
    equal(e.parameter, "network.weights");
    ok(/2\^31/.test(e.message), e.message);
    return true;
  });
});

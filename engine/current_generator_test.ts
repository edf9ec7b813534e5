import assert from "node:assert/strict";
import { normal } from "./distributions.ts";
import { ParameterError } from "./errors.ts";
import { iafPscExp, propagators } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { currentDelaySteps, currentSample, planNetwork } from "./plan.ts";
import { bothBackends, build } from "./test_util.ts";

const SILENT = iafPscExp({ E_L: 0, V_th: 1e9, V_reset: 0, tau_m: 15, I_e: 5 });

bothBackends(
  "current generator: the neuron receives sample(step − delay − 1), held per block, in its window",
  async (backend) => {
    const net = new Network({ resolutionMs: 0.1, seed: 9 });
    const pop = net.population("p", { size: 3, params: SILENT });
    const delay = normal(0.5, 0.3, { min: 0.1, max: 1.0 });
    net.current(pop, { meanPa: 100, stdPa: 50, dtMs: 1, startMs: 2, stopMs: 6, delay });
    const plan = planNetwork(net.spec());
    const gen = plan.currents[0];
    const delays = [0, 1, 2].map((local) => currentDelaySteps(gen, local));
    const sim = await build(net, backend);
    // WebGPU: V in f32 (~1e-6 mV) divided by P20 ≈ 4e-4 mV/pA, and the f32 Box–Muller.
    const tol = backend === "cpu" ? 1e-7 : 2e-2;
    const p = propagators(SILENT, 0.1);
    let prev = (await sim.state()).v;
    const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
    for (let step = 0; step < 90; step++) {
      await sim.run(0.1);
      const v = (await sim.state()).v;
      for (let local = 0; local < 3; local++) {
        const current = (v[local] - p.P22 * prev[local]) / p.P20 - 5;
        const m = step - delays[local] - 1;
        const want = m < 0 ? 0 : currentSample(gen, { local, step: m });
        assert.ok(
          Math.abs(current - want) < tol,
          `neuron ${local} step ${step}: ${current}/${want}`,
        );
        const active = m >= 20 && m < 60;
        assert.equal(want !== 0, active, `window at step ${step}`);
        if (active) seen[local].add(want);
      }
      prev = v;
    }
    for (const s of seen) assert.equal(s.size, 4, "one value per 1 ms block, 4 blocks in (2, 6]");
    assert.notDeepEqual([...seen[0]], [...seen[1]], "independent samples per target");
    sim.close();
  },
);

Deno.test("spec working memory test 4: generator samples have the nominal mean and std, uncorrelated", () => {
  const net = new Network({ resolutionMs: 0.05, seed: 143202461 });
  const pop = net.population("p", { size: 2, params: SILENT });
  net.current(pop, { meanPa: 395, stdPa: 91.287, dtMs: 1 });
  const gen = planNetwork(net.spec()).currents[0];
  const blocks = 10000; // 10 s of 1 ms blocks
  const a = new Float64Array(blocks), b = new Float64Array(blocks);
  for (let k = 0; k < blocks; k++) {
    a[k] = currentSample(gen, { local: 0, step: k * 20 });
    b[k] = currentSample(gen, { local: 1, step: k * 20 });
    assert.equal(currentSample(gen, { local: 0, step: k * 20 + 19 }), a[k], "held in the block");
  }
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a), mb = mean(b);
  const sd = (x: Float64Array, m: number) =>
    Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
  const sa = sd(a, ma), sb = sd(b, mb);
  assert.ok(Math.abs(ma / 395 - 1) < 0.02, `mean ${ma}`);
  assert.ok(Math.abs(sa / 91.287 - 1) < 0.02, `std ${sa}`);
  let cov = 0;
  for (let k = 0; k < blocks; k++) cov += (a[k] - ma) * (b[k] - mb);
  const r = cov / (blocks - 1) / (sa * sb);
  assert.ok(Math.abs(r) < 0.05, `correlation ${r}`);
});

bothBackends(
  "spec working memory test 4: free neuron under σ = 1 mV, μ = 10 mV has V 10 ± 0.1, std 0.95–1.05 mV",
  async (backend) => {
    const net = new Network({ resolutionMs: 0.05, seed: 4 });
    const params = iafPscExp({ E_L: 0, V_th: 1e9, V_reset: 0, tau_m: 15, C_m: 250 });
    const pop = net.population("free", { size: 400, params });
    // μ = 10 mV, σ = 1 mV by spec §3.1: mean C_m/τ_m·μ, std sqrt(2/(τ_m·dt))·C_m·σ.
    net.current(pop, {
      meanPa: 250 / 15 * 10,
      stdPa: Math.sqrt(2 / 15) * 250,
      dtMs: 1,
      delay: 0.05,
    });
    const sim = await build(net, backend);
    // Delay 1 step: the value of emission block k is applied in steps 20k + 2 … 20k + 21.
    await sim.run(0.1);
    await sim.run(100);
    const samples: number[] = [];
    for (let t = 0; t < 12; t++) {
      await sim.run(40);
      samples.push(...(await sim.state()).v);
    }
    const m = samples.reduce((s, v) => s + v, 0) / samples.length;
    const s = Math.sqrt(samples.reduce((a, v) => a + (v - m) ** 2, 0) / (samples.length - 1));
    assert.ok(Math.abs(m - 10) <= 0.1, `mean V ${m}`);
    assert.ok(s >= 0.95 && s <= 1.05, `std V ${s}`);
    sim.close();
  },
);

Deno.test("current generator options are validated", () => {
  const net = new Network({ resolutionMs: 0.1 });
  const pop = net.population("p", { size: 1 });
  const bad = (options: Parameters<Network["current"]>[1], parameter: string) =>
    assert.throws(
      () => net.current(pop, options),
      (e: unknown) => e instanceof ParameterError && e.parameter === parameter,
    );
  bad({ meanPa: NaN }, "current(p).meanPa");
  bad({ meanPa: 1, stdPa: -1 }, "current(p).stdPa");
  bad({ meanPa: 1, dtMs: 0.15 }, "current(p).dtMs");
  bad({ meanPa: 1, startMs: 5, stopMs: 4 }, "current(p).stopMs");
  bad({ meanPa: 1, delay: 0.04 }, "current(p).delay");
  net.current(pop, { meanPa: 1 });
  assert.equal(net.spec().currents?.length, 1);
});

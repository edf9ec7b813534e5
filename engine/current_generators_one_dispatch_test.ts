// Guards the WebGPU current-generator kernel that applies every generator in one dispatch per
// step (engine/gpu/current.wgsl), and the epochs that leave the dispatch out in steps no
// generator can reach (engine/plan.ts currentReach / currentEpochs):
// - overlapping generators on one population and on neighbouring populations (sizes not
//   multiples of 4, one spanning two workgroups), windows that start and stop mid-run,
//   per-target delays: the neuron receives exactly the f32 sum, in registration order, of the
//   generators that reach it (a neuron whose membrane forgets everything within a step and
//   whose P20 is 1 makes V that sum); noise generators within the f32 Box–Muller error;
// - the same generators in a spiking network with recurrent connections: GPU spikes identical
//   to the CPU backend;
// - generators that cannot reach any step of the run change nothing: bit-identical state and
//   spikes to the network without them;
// - the epochs are the steps some generator can reach, with exactly those generators.
import { deepEqual, equal, ok } from "node:assert/strict";
import { normal } from "./distributions.ts";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { type CurrentOptions, Network, type Population } from "./network.ts";
import {
  currentDelaySteps,
  currentEpochs,
  currentReach,
  currentSample,
  planNetwork,
} from "./plan.ts";
import { bothBackends, build } from "./test_util.ts";

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

// tau_m = C_m = 1e-4 ms at h = 0.1 ms: P22 = exp(−1000) = 0 and P20 = 1, so after each step
// V − E_L is exactly the input of that step (I_e = 0, no synapses).
const SUM = iafPscExp({ E_L: 0, V_th: 1e30, V_reset: 0, tau_m: 1e-4, C_m: 1e-4, I_e: 0 });

/** DC generators whose f32 sum depends on the order of additions (1e8 + 3.3 rounds to 1e8). */
function dcNetwork(): { net: Network; pops: Population[] } {
  const net = new Network({ resolutionMs: 0.1, seed: 21 });
  const a = net.population("a", { size: 301, params: SUM, v0: 0 }); // 76 quads: 2 workgroups
  const b = net.population("b", { size: 7, params: SUM, v0: 0 });
  const c = net.population("c", { size: 130, params: SUM, v0: 0 });
  const spread = normal(0.5, 0.3, { min: 0.1, max: 1.0 });
  net.current(a, { meanPa: 1e8, delay: spread });
  net.current(b, { meanPa: 0.3, startMs: 1, stopMs: 4 });
  net.current(a, { meanPa: 3.3, startMs: 0.5, stopMs: 3, delay: 0.2 });
  net.current(c, { meanPa: 7.77, startMs: 2 });
  net.current(a, {
    meanPa: -1e8,
    startMs: 1,
    stopMs: 5,
    delay: normal(0.4, 0.2, { min: 0.1, max: 0.8 }),
  });
  net.current(b, { meanPa: 1e7, stopMs: 6 });
  net.current(a, { meanPa: 0.7, startMs: 0.3, stopMs: 6.5 });
  net.current(b, { meanPa: -1e7, startMs: 3, stopMs: 6, delay: 0.3 });
  net.current(c, { meanPa: -2.5, startMs: 0.2, stopMs: 0.9, delay: spread });
  return { net, pops: [a, b, c] };
}

/** The input of step `step` to every neuron: sums in registration order (f32 or float64). */
function expectedInput(net: Network, step: number, f32: boolean): number[] {
  const plan = planNetwork(net.spec());
  const round = f32 ? Math.fround : (x: number) => x;
  const out = new Array(plan.neuronPopulation.length).fill(0);
  for (const gen of plan.currents) {
    for (let local = 0; local < gen.size; local++) {
      const m = step - currentDelaySteps(gen, local) - 1;
      if (m < 0) continue;
      const x = currentSample(gen, { local, step: m });
      if (x !== 0) out[gen.first + local] = round(out[gen.first + local] + round(x));
    }
  }
  return out;
}

bothBackends(
  "current generators in one dispatch: V is the f32 sum in registration order of the generators that reach the neuron",
  async (backend) => {
    const { net } = dcNetwork();
    const sim = await build(net, backend);
    let checked = 0;
    for (let step = 0; step < 75; step++) {
      await sim.run(0.1);
      const v = (await sim.state()).v;
      const want = expectedInput(net, step, backend === "webgpu");
      for (let i = 0; i < v.length; i++) {
        // WebGPU: exact (=== also takes −0 for 0); CPU: float64.
        const good = backend === "webgpu" ? v[i] === want[i] : Math.abs(v[i] - want[i]) < 1e-6;
        ok(good, `step ${step} neuron ${i}: V ${v[i]}, expected ${want[i]}`);
        if (want[i] !== 0) checked++;
      }
    }
    ok(checked > 10000, `too few nonzero inputs checked: ${checked}`);
    // The order of additions matters for these values (a's generators).
    const fsum = (xs: number[]) => xs.reduce((s, x) => Math.fround(s + Math.fround(x)), 0);
    ok(fsum([1e8, 3.3, -1e8, 0.7]) !== fsum([0.7, -1e8, 3.3, 1e8]), "order-sensitive values");
    sim.close();
  },
);

gpuTest(
  "current generators in one dispatch: overlapping noise and DC generators give the float64 sum within the f32 Box–Muller error",
  async () => {
    const net = new Network({ resolutionMs: 0.1, seed: 22 });
    const a = net.population("a", { size: 37, params: SUM, v0: 0 });
    const b = net.population("b", { size: 270, params: SUM, v0: 0 });
    const delay = normal(0.5, 0.3, { min: 0.1, max: 1.0 });
    net.current(a, { meanPa: 50, stdPa: 20, dtMs: 0.3, startMs: 0.5, stopMs: 4, delay });
    net.current(b, { meanPa: 80, stdPa: 30, dtMs: 1, delay });
    net.current(a, { meanPa: 2.5, startMs: 1, stopMs: 6 });
    net.current(a, { meanPa: 10, stdPa: 5, delay: 0.2 });
    net.current(b, { meanPa: -40, stdPa: 10, dtMs: 0.2, startMs: 2.5, stopMs: 5, delay });
    const sim = await build(net, "webgpu");
    for (let step = 0; step < 70; step++) {
      await sim.run(0.1);
      const v = (await sim.state()).v;
      const want = expectedInput(net, step, false);
      for (let i = 0; i < v.length; i++) {
        ok(Math.abs(v[i] - want[i]) < 2e-3, `step ${step} neuron ${i}: V ${v[i]}, ${want[i]}`);
      }
    }
    sim.close();
  },
);

const STP = { U: 0.19, tauF: 1500, tauD: 200 };

const bits = (x: Float64Array) => new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);

/**
 * 258 neurons in three populations; generators overlap on E, on its neighbours I and S, and
 * start and stop mid-run. `extra` generators are appended after the others (so the others
 * keep their indices and random streams).
 */
function spikingNetwork(extra: (pops: Population[]) => [Population, CurrentOptions][] = () => []) {
  const net = new Network({ resolutionMs: 0.1, seed: 31 });
  const e = net.population("E", { size: 203, v0: normal(-60, 4) });
  const i = net.population("I", { size: 49, v0: normal(-60, 4) });
  const s = net.population("S", { size: 6, v0: normal(-60, 4) });
  const exc = normal(300, 30, { min: 0, max: 400 });
  const delay = normal(1.0, 0.5, { min: 0.1, max: 2.0 });
  net.connect(e, e, {
    rule: { kind: "fixed_indegree", k: 20 },
    weight: exc,
    delay,
    facilitation: STP,
  });
  net.connect(e, i, { rule: { kind: "fixed_indegree", k: 20 }, weight: exc, delay });
  net.connect(i, e, { rule: { kind: "fixed_indegree", k: 10 }, weight: -600, delay: 0.5 });
  net.connect(s, i, { rule: { kind: "all_to_all" }, weight: 200, delay: 0.4 });
  const spread = normal(0.5, 0.3, { min: 0.1, max: 1.0 });
  net.current(e, { meanPa: 330, stdPa: 120, dtMs: 1, delay: spread });
  net.current(i, { meanPa: 360, stdPa: 80, dtMs: 0.1, startMs: 3, stopMs: 90 });
  net.current(e, { meanPa: 150, startMs: 20, stopMs: 45, delay: 0.2 });
  net.current(s, { meanPa: 400, stdPa: 100, dtMs: 0.5, startMs: 10, stopMs: 70, delay: spread });
  net.current(e, { meanPa: -120, stdPa: 40, dtMs: 0.2, startMs: 35, stopMs: 60, delay: spread });
  net.current(i, { meanPa: 90, startMs: 50 });
  net.current(e, { meanPa: 60, startMs: 70, stopMs: 80.05, delay: 0.3 });
  for (const [pop, options] of extra([e, i, s])) net.current(pop, options);
  net.record(e);
  net.record(i);
  net.record(s);
  return net;
}

gpuTest(
  "current generators in one dispatch: overlapping generators with mid-run windows give GPU spikes identical to the CPU backend for 100 ms",
  async () => {
    const gpu = await build(spikingNetwork(), "webgpu");
    const cpu = await build(spikingNetwork(), "cpu");
    await gpu.run(100);
    await cpu.run(100);
    const [a, b] = [cpu.takeSpikes(), gpu.takeSpikes()];
    ok(a.steps.length > 300, `too few spikes to compare: ${a.steps.length}`);
    deepEqual(b.steps, a.steps);
    deepEqual(b.neurons, a.neurons);
    const [sc, sg] = [await cpu.state(), await gpu.state()];
    deepEqual(sg.refractory, sc.refractory);
    for (let n = 0; n < sc.v.length; n++) ok(Math.abs(sg.v[n] - sc.v[n]) < 1e-3, `V of ${n}`);
    gpu.close();
    cpu.close();
  },
);

gpuTest(
  "current generators in one dispatch: generators that cannot reach any step of the run change nothing",
  async () => {
    const never = ([e, i, s]: Population[]): [Population, CurrentOptions][] => [
      [e, { meanPa: 500, stdPa: 100, startMs: 150, stopMs: 200 }], // after the run
      [i, {
        meanPa: 500,
        startMs: 30,
        stopMs: 30,
        delay: normal(0.5, 0.3, { min: 0.1, max: 1.0 }),
      }], // empty
      [s, { meanPa: 500, stdPa: 50, startMs: 0, stopMs: 0 }], // empty, at the start
      [e, { meanPa: 500, startMs: 99, delay: 1.0 }], // emits from step 990, arrives at 1001
    ];
    const plan = planNetwork(spikingNetwork(never).spec());
    equal(plan.currents.length, 11);
    const runs = [];
    for (const net of [spikingNetwork(), spikingNetwork(never)]) {
      const sim = await build(net, "webgpu");
      await sim.run(60);
      await sim.run(40);
      runs.push({
        spikes: sim.takeSpikes(),
        state: await sim.state(),
        stp: await sim.facilitationState!(),
      });
      sim.close();
    }
    const [plain, with4] = runs;
    ok(plain.spikes.steps.length > 300, `too few spikes: ${plain.spikes.steps.length}`);
    deepEqual(with4.spikes, plain.spikes);
    deepEqual(with4.state, plain.state);
    // Bit patterns: the facilitation state is NaN for neurons without it.
    for (const key of ["u", "x", "tLastMs"] as const) {
      deepEqual(bits(with4.stp[key]), bits(plain.stp[key]), key);
    }
  },
);

Deno.test("current generators: currentReach is the steps in which some target can receive input", () => {
  const net = spikingNetwork(([e, i]) => [
    [i, { meanPa: 1, startMs: 30, stopMs: 30, delay: normal(0.5, 0.3, { min: 0.1, max: 1.0 }) }],
    [e, { meanPa: 1, startMs: 99, delay: 1.0 }],
  ]);
  for (const gen of planNetwork(net.spec()).currents) {
    const delays = Array.from({ length: gen.size }, (_, local) => currentDelaySteps(gen, local));
    const reach = currentReach(gen, Math.min(...delays), Math.max(...delays));
    for (let step = 0; step < 1100; step++) {
      const reaches = delays.some((d) => {
        const m = step - d - 1;
        return m >= gen.startStep && m < gen.stopStep;
      });
      equal(
        step >= reach[0] && step < reach[1],
        reaches,
        `generator ${gen.spec.index} step ${step}`,
      );
    }
  }
});

Deno.test("current generators: currentEpochs lists, step by step, exactly the generators that can reach it", () => {
  const reaches: [number, number][] = [
    [5, 20],
    [0, 0],
    [12, Infinity],
    [30, 40],
    [20, 25],
    [7, 7],
    [30, 35],
    [60, 61],
  ];
  const epochs = currentEpochs(reaches);
  for (let k = 1; k < epochs.length; k++) {
    ok(epochs[k - 1].end <= epochs[k].first, "sorted, disjoint");
  }
  for (let step = 0; step < 200; step++) {
    const want = reaches.flatMap(([a, b], g) => (a <= step && step < b ? [g] : []));
    const epoch = epochs.find((e) => e.first <= step && step < e.end);
    deepEqual(epoch?.active ?? [], want, `step ${step}`);
  }
  equal(epochs[epochs.length - 1].end, Infinity);
  deepEqual(currentEpochs([[0, 0], [3, 3]]), []);
});

// Poisson drive statistics: the number of events per neuron and step is Poisson(λ), λ = rate·h.
//
// How it is measured: each neuron is a probe whose excitatory current forgets everything
// within one step (tau_syn_ex = 1 µs: P11 = e^-100, below float32's normal range) and whose
// threshold is never reached, driven with w = 1 pA per event (exact in fixed point). Then the
// current after a step is the count of that step, I_ex = n·1 pA (+ ≤ 1e-42 pA of decayed
// history), read back for every neuron. This goes through the whole input path of each backend
// (count table, fixed-point event weight, receptor, delay), not only the sampling function.
// The counts must equal `poissonCount` of engine/plan.ts (the shared definition), and over
// 100 000 (neuron, step) samples per rate they must have mean λ and variance λ within 5
// standard errors (SE of the mean √(λ/n), of the variance √((λ + 2λ²)/n) for Poisson), pass a
// chi-square test against Poisson(λ) (p > 0.01), and be uncorrelated between consecutive steps
// and between neighbouring neurons (|r| < 5/√n).
import { equal, ok } from "node:assert/strict";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { Network } from "./network.ts";
import { planNetwork, poissonCount } from "./plan.ts";
import { chiSquareGoodnessOfFit, poissonPmf, sampleMoments } from "./test_statistics.ts";
import { bothBackends, build } from "./test_util.ts";

const H = 0.1;
const LAMBDAS = [0.5, 5, 30];
const NEURONS = 20000;
const STEPS = 5;

function network() {
  const net = new Network({ resolutionMs: H, seed: 7 });
  const probe = iafPscExp({ tau_syn_ex: 0.001, V_th: 1e9 });
  for (const lambda of LAMBDAS) {
    const pop = net.population(`lambda_${lambda}`, { size: NEURONS, params: probe });
    net.poisson(pop, { rateHz: lambda / (H * 1e-3), weight: 1, delayMs: H });
  }
  return net;
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = sampleMoments(x), my = sampleMoments(y);
  let c = 0;
  for (let i = 0; i < x.length; i++) c += (x[i] - mx.mean) * (y[i] - my.mean);
  return c / x.length / (mx.std * my.std);
}

bothBackends("Poisson counts per neuron and step have mean λ and variance λ", async (backend) => {
  const net = network();
  const plan = planNetwork(net.spec());
  const sim = await build(net, backend);
  // counts[p][s][i]: events of neuron i of population p generated in step s (they arrive one
  // step later, so step 0 brings no input).
  const counts = LAMBDAS.map(() => [] as Int32Array[]);
  await sim.run(H);
  for (let s = 0; s < STEPS; s++) {
    await sim.run(H);
    const st = await sim.state();
    LAMBDAS.forEach((_, p) => {
      const first = p * NEURONS;
      counts[p].push(Int32Array.from({ length: NEURONS }, (_, i) => Math.round(st.iEx[first + i])));
    });
  }
  sim.close();
  const scratch = new Uint32Array(4);
  LAMBDAS.forEach((lambda, p) => {
    let mismatches = 0;
    for (let s = 0; s < STEPS; s++) {
      for (let i = 0; i < NEURONS; i++) {
        if (
          counts[p][s][i] !== poissonCount(plan, { neuron: p * NEURONS + i, step: s }, { scratch })
        ) {
          mismatches++;
        }
      }
    }
    equal(mismatches, 0, `λ = ${lambda}: counts that differ from poissonCount`);
    const all = new Int32Array(NEURONS * STEPS);
    counts[p].forEach((c, s) => all.set(c, s * NEURONS));
    const n = all.length;
    const m = sampleMoments(all);
    const variance = m.std ** 2;
    const seMean = Math.sqrt(lambda / n);
    const seVar = Math.sqrt((lambda + 2 * lambda * lambda) / n);
    ok(Math.abs(m.mean - lambda) < 5 * seMean, `λ = ${lambda}: mean ${m.mean}`);
    ok(Math.abs(variance - lambda) < 5 * seVar, `λ = ${lambda}: variance ${variance}`);
    const hi = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 12);
    const fit = chiSquareGoodnessOfFit(all, { pmf: (k) => poissonPmf(k, lambda), range: [0, hi] });
    ok(fit.p > 0.01, `λ = ${lambda}: chi-square ${fit.statistic} on ${fit.df} df, p = ${fit.p}`);
    const limit = 5 / Math.sqrt(NEURONS);
    const lagStep = correlation(counts[p][0], counts[p][1]);
    ok(Math.abs(lagStep) < limit, `λ = ${lambda}: step-to-step correlation ${lagStep}`);
    const lagNeuron = correlation(counts[p][0].subarray(1), counts[p][0].subarray(0, -1));
    ok(Math.abs(lagNeuron) < limit, `λ = ${lambda}: neighbour correlation ${lagNeuron}`);
  });
});

// Deterministic and small-network tests of the structural-plasticity model (spec rewiring.md,
// "How to validate" items 1, 3, 4, 5, 6). The CI-size statistical tests (items 11–13) are in
// rewiring_ci_test.ts.
import assert from "node:assert/strict";
import { ParameterError } from "../engine/errors.ts";
import { philox4x32, uniformIndex } from "../engine/rng/philox.ts";
import {
  addTestNoise,
  createRewiringNetwork,
  fastNormalQuantile,
  materializeSources,
  patternHighMask,
  patternRates,
  rewire,
  REWIRING_STREAM,
  type RewiringNetwork,
  runRewiring,
  stabilize,
  testPatternOrder,
  trainRewiringNetwork,
} from "./rewiring.ts";
import { resolveRewiringModelParams, rewiringDerived } from "./rewiring_params.ts";
import { normalQuantile } from "../engine/sampling.ts";
import { stabilizationStatistics, truncatedNoiseVariance } from "../validation/rewiring_theory.ts";

function close(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected} ± ${tolerance}`,
  );
}

/** Connections of neuron i as [source, stabilized] pairs (after materializing). */
function connections(net: RewiringNetwork, i: number): [number, number][] {
  materializeSources(net);
  const base = i * net.derived.reserve;
  return Array.from(
    { length: net.inDegree[i] },
    (_, s) => [net.sources[base + s], net.stabilized[base + s]],
  );
}

Deno.test("parameters: defaults of spec §1.2, validation names the bad parameter", () => {
  const p = resolveRewiringModelParams();
  assert.equal(p.populationSize1, 100_000);
  assert.equal(p.inDegree, 5000);
  assert.equal(p.testPatterns, 1000);
  assert.equal(rewiringDerived(p).reserve, 5707); // spec §1.5: round(5000 + 10·√5000)
  const bad: [string, unknown][] = [
    ["populationSize1", 0],
    ["populationSize2", 1.5],
    ["trainingPatterns", 0],
    ["seed", -1],
    ["negativeRates", "clip"],
    ["backgroundStride", 0],
    ["alpha1", 1],
    ["rewiringPeriod", -1],
    ["nonsense", 1],
  ];
  for (const [name, value] of bad) {
    assert.throws(
      () => resolveRewiringModelParams({ [name]: value }),
      (e: unknown) => e instanceof ParameterError && e.parameter === name,
      name,
    );
  }
  assert.throws(
    () => resolveRewiringModelParams({ trainingPatterns: 10, testPatterns: 11 }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "testPatterns",
  );
  // n_test defaults to min(1000, T).
  assert.equal(resolveRewiringModelParams({ trainingPatterns: 10 }).testPatterns, 10);
});

Deno.test("spec test 1: rate constants and 10^7 lognormal draws", () => {
  const derived = rewiringDerived(resolveRewiringModelParams());
  close(derived.lognormal[0].sigma, 1.120143, 1e-6, "σ_ln");
  close(derived.lognormal[0].mu, 0.089504, 1e-6, "μ_ln");
  close(derived.threshold[0], 34.8483, 1e-3, "r_t");
  // 100 patterns × 10^5 neurons of population 1.
  const net = createRewiringNetwork({ populationSize2: 1, inDegree: 10 });
  const rates = new Float64Array(100_000);
  const mask = new Uint8Array(100_000);
  let sum = 0, above = 0, sumAbove = 0, sumBelow = 0, disagree = 0;
  for (let m = 0; m < 100; m++) {
    patternRates(net, m, { population: 1, out: rates });
    patternHighMask(net, m, { population: 1, out: mask });
    for (let j = 0; j < rates.length; j++) {
      const r = rates[j];
      sum += r;
      const high = r > derived.threshold[0];
      if (high) {
        above++;
        sumAbove += r;
      } else sumBelow += r;
      if (high !== (mask[j] === 1)) disagree++;
    }
  }
  const n = 1e7;
  close(sum / n, 2.048, 0.01, "mean rate");
  close(above / n, 1e-3, 0.03e-3, "fraction above r_t");
  close(sumAbove / above, 50, 1, "mean above r_t");
  close(sumBelow / (n - above), 2.0, 0.01, "mean below r_t");
  // The word comparison and the value comparison agree (the quantile map is monotone).
  assert.equal(disagree, 0);
});

Deno.test("fastNormalQuantile agrees with the refined normalQuantile to 1e-8", () => {
  for (const u of [1e-9, 1e-4, 0.02, 0.0243, 0.1, 0.5, 0.77, 0.975, 0.999, 1 - 1e-7]) {
    close(
      fastNormalQuantile(u),
      normalQuantile(u),
      1e-8 * Math.max(1, Math.abs(normalQuantile(u))),
      `Φ⁻¹(${u})`,
    );
  }
});

Deno.test("discrete rates: ν_h for high-rate neurons, ν_l otherwise", () => {
  const net = createRewiringNetwork({
    rates: "discrete",
    populationSize1: 4000,
    populationSize2: 4000,
    inDegree: 10,
    alpha1: 0.1,
    alpha2: 0.1,
  });
  for (const population of [1, 2] as const) {
    const rates = patternRates(net, 3, { population });
    const mask = patternHighMask(net, 3, { population });
    let high = 0;
    rates.forEach((r, j) => {
      assert.equal(r, mask[j] === 1 ? 50 : 2);
      high += mask[j];
    });
    close(high / 4000, 0.1, 0.015, "high fraction"); // binomial std 0.0047, 3σ
  }
});

Deno.test("patterns are regenerated identically; populations and patterns differ", () => {
  const net = createRewiringNetwork({ populationSize1: 1000, populationSize2: 1000, inDegree: 5 });
  const a = patternRates(net, 17, { population: 1 });
  assert.deepEqual(patternRates(net, 17, { population: 1 }), a);
  assert.notDeepEqual(patternRates(net, 18, { population: 1 }), a);
  assert.notDeepEqual(patternRates(net, 17, { population: 2 }), a);
  const other = createRewiringNetwork({
    populationSize1: 1000,
    populationSize2: 1000,
    inDegree: 5,
    seed: 1,
  });
  assert.notDeepEqual(patternRates(other, 17, { population: 1 }), a);
});

Deno.test("spec test 3: truncated test noise has variance 0.773741 (σ_n = 1, β = 2)", () => {
  const expected = truncatedNoiseVariance({ noiseSigma: 1, noiseMaxDeviation: 2 });
  close(expected, 0.773741, 1e-6, "σ_δ² theory");
  const net = createRewiringNetwork({ populationSize1: 1000, populationSize2: 1, inDegree: 5 });
  const n = 1_000_000;
  const deltas = new Float64Array(n);
  addTestNoise(net, 0, deltas);
  let sum = 0, squares = 0, max = 0;
  for (const d of deltas) {
    sum += d;
    squares += d * d;
    max = Math.max(max, Math.abs(d));
  }
  const mean = sum / n;
  // 1 %: the sample variance of 10^6 draws has relative std ≈ √(κ−1)/√n < 0.2 %.
  close(squares / n - mean * mean, expected, 0.01 * expected, "σ_δ² empirical");
  close(mean, 0, 0.005, "mean noise");
  assert.ok(max <= 2, `|δ| ≤ β·σ_n, got ${max}`);
  // Negative rates: "saturate" sets them to 0, "redraw" redraws δ.
  for (const negativeRates of ["saturate", "redraw"] as const) {
    const clipped = createRewiringNetwork({
      populationSize1: 1000,
      populationSize2: 1,
      inDegree: 5,
      noiseSigma: 5,
      negativeRates,
    });
    const rates = new Float64Array(10_000).fill(1);
    addTestNoise(clipped, 0, rates);
    assert.ok(rates.every((r) => r >= 0), negativeRates);
    if (negativeRates === "saturate") assert.ok(rates.some((r) => r === 0));
  }
});

Deno.test("spec test 4: stabilization of a hand-made micro network", () => {
  const net = createRewiringNetwork({
    populationSize1: 5,
    populationSize2: 5,
    inDegree: 3,
    inDegreeRule: "fixed_indegree",
  });
  materializeSources(net);
  // Neuron i receives from sources (i, i+1, i+2) mod 5.
  for (let i = 0; i < 5; i++) {
    for (let s = 0; s < 3; s++) net.sources[i * net.derived.reserve + s] = (i + s) % 5;
  }
  const high1 = Uint8Array.from([1, 0, 1, 0, 0]);
  const high2 = Uint8Array.from([0, 1, 0, 0, 1]);
  // Neuron 1 ← {1, 2, 3}: only 2 is high; neuron 4 ← {4, 0, 1}: only 0.
  assert.equal(stabilize(net, high1, high2), 2);
  const stabilizedPairs = () => {
    const pairs: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (const [source, flag] of connections(net, i)) if (flag) pairs.push(`${source}→${i}`);
    }
    return pairs.sort();
  };
  assert.deepEqual(stabilizedPairs(), ["0→4", "2→1"]);
  // A later pattern without those neurons high leaves them stabilized (never reverts).
  assert.equal(
    stabilize(net, Uint8Array.from([0, 0, 0, 1, 0]), Uint8Array.from([1, 0, 0, 0, 0])),
    0,
  );
  assert.equal(
    stabilize(net, Uint8Array.from([0, 0, 0, 1, 0]), Uint8Array.from([0, 0, 1, 0, 0])),
    1,
  );
  assert.deepEqual(stabilizedPairs(), ["0→4", "2→1", "3→2"]);
  // Stabilizing an already stabilized connection again counts nothing.
  assert.equal(stabilize(net, high1, high2), 0);
});

/** The fresh source of slot s of neuron i at epoch e, derived from the key table. */
function freshSource(net: RewiringNetwork, i: number, slot: number, epoch: number): number {
  const words = philox4x32([slot >>> 2, i, epoch, 0], [net.params.seed, REWIRING_STREAM.source]);
  return uniformIndex(words[slot & 3], net.params.populationSize1);
}

Deno.test("spec test 4: rewiring replaces every W_b connection and no W_s connection", async (t) => {
  for (const rule of ["fixed_indegree", "poisson_indegree"] as const) {
    await t.step(rule, () => {
      const net = createRewiringNetwork({
        populationSize1: 1000,
        populationSize2: 50,
        inDegree: 40,
        inDegreeRule: rule,
        seed: 7,
      });
      // Initial sources are the epoch-0 draws.
      for (let i = 0; i < 50; i++) {
        connections(net, i).forEach(([source], s) => {
          assert.equal(source, freshSource(net, i, s, 0));
        });
      }
      // Stabilize the connections of neurons 0..9 from even sources.
      const high1 = Uint8Array.from({ length: 1000 }, (_, j) => (j % 2 === 0 ? 1 : 0));
      const high2 = Uint8Array.from({ length: 50 }, (_, i) => (i < 10 ? 1 : 0));
      stabilize(net, high1, high2);
      const before = Array.from({ length: 50 }, (_, i) => connections(net, i));
      rewire(net);
      assert.equal(net.epoch, 1);
      for (let i = 0; i < 50; i++) {
        const after = connections(net, i);
        const stableBefore = before[i].filter(([, f]) => f === 1).map(([s]) => s);
        const stableAfter = after.filter(([, f]) => f === 1).map(([s]) => s);
        // W_s connections survive unchanged (as a multiset; the Poisson rule moves them to the front).
        assert.deepEqual(stableAfter.sort(), stableBefore.sort());
        if (i < 10) assert.ok(stableBefore.length > 0);
        // Every W_b slot holds the epoch-1 draw of its (neuron, slot).
        after.forEach(([source, flag], s) => {
          if (flag === 0) assert.equal(source, freshSource(net, i, s, 1));
        });
        if (rule === "fixed_indegree") {
          assert.equal(after.length, 40);
          // Slots keep their places: stabilized slot positions are unchanged.
          after.forEach(([source, flag], s) => {
            if (flag === 1) assert.equal(source, before[i][s][0]);
          });
        } else {
          // Poisson rule: k_i ≤ d_i < C_reserve, stabilized first.
          assert.ok(after.length >= stableBefore.length && after.length < net.derived.reserve);
          after.forEach(([, flag], s) => assert.equal(flag, s < stableBefore.length ? 1 : 0));
        }
      }
      // With 4000 W_b connections of 1000 possible sources, most sources change.
      let changed = 0, total = 0;
      for (let i = 10; i < 50; i++) {
        const after = connections(net, i);
        for (let s = 0; s < Math.min(after.length, before[i].length); s++) {
          total++;
          if (after[s][0] !== before[i][s][0]) changed++;
        }
      }
      assert.ok(changed > 0.99 * total - 10, `${changed} of ${total} sources changed`);
    });
  }
});

Deno.test("without rewiring, a connection is stabilized iff both ends were high in some pattern", () => {
  const net = createRewiringNetwork({
    populationSize1: 200,
    populationSize2: 200,
    inDegree: 20,
    alpha1: 0.05,
    alpha2: 0.05,
    rewiringPeriod: 0,
    trainingPatterns: 60,
    seed: 3,
  });
  materializeSources(net);
  const sourcesBefore = net.sources.slice();
  trainRewiringNetwork(net);
  assert.deepEqual(net.sources, sourcesBefore);
  const wasPaired = new Uint8Array(200 * 200);
  for (let m = 0; m < 60; m++) {
    const h1 = patternHighMask(net, m, { population: 1 });
    const h2 = patternHighMask(net, m, { population: 2 });
    for (let i = 0; i < 200; i++) {
      if (h2[i]) { for (let j = 0; j < 200; j++) if (h1[j]) wasPaired[i * 200 + j] = 1; }
    }
  }
  let stabilized = 0;
  for (let i = 0; i < 200; i++) {
    for (const [source, flag] of connections(net, i)) {
      assert.equal(flag, wasPaired[i * 200 + source], `${source}→${i}`);
      stabilized += flag;
    }
  }
  assert.ok(stabilized > 50, `only ${stabilized} stabilized`);
});

Deno.test("with rewiring, every stabilized connection joins a pair that was high together", () => {
  const net = createRewiringNetwork({
    populationSize1: 200,
    populationSize2: 200,
    inDegree: 20,
    alpha1: 0.05,
    alpha2: 0.05,
    rewiringPeriod: 7,
    trainingPatterns: 60,
    seed: 4,
  });
  trainRewiringNetwork(net);
  assert.equal(net.epoch, 8); // after patterns 6, 13, …, 55
  const wasPaired = new Uint8Array(200 * 200);
  for (let m = 0; m < 60; m++) {
    const h1 = patternHighMask(net, m, { population: 1 });
    const h2 = patternHighMask(net, m, { population: 2 });
    for (let i = 0; i < 200; i++) {
      if (h2[i]) { for (let j = 0; j < 200; j++) if (h1[j]) wasPaired[i * 200 + j] = 1; }
    }
  }
  for (let i = 0; i < 200; i++) {
    for (const [source, flag] of connections(net, i)) {
      if (flag) assert.equal(wasPaired[i * 200 + source], 1, `${source}→${i}`);
    }
  }
});

Deno.test("lazy and eager rewiring give the same network", () => {
  const options = {
    populationSize1: 300,
    populationSize2: 100,
    inDegree: 30,
    alpha1: 0.05,
    alpha2: 0.05,
    rewiringPeriod: 5,
    seed: 9,
  };
  const lazy = createRewiringNetwork(options);
  const eager = createRewiringNetwork(options);
  trainRewiringNetwork(lazy, 40);
  for (let m = 0; m < 40; m++) {
    materializeSources(eager);
    trainRewiringNetwork(eager, m + 1);
  }
  materializeSources(lazy);
  materializeSources(eager);
  assert.deepEqual(lazy.inDegree, eager.inDegree);
  assert.deepEqual(lazy.stabilized, eager.stabilized);
  for (let i = 0; i < 100; i++) assert.deepEqual(connections(lazy, i), connections(eager, i));
});

Deno.test("spec test 5: in-degree mean C ± 0.1 %, variance C (Poisson) or 0 (fixed)", () => {
  for (const rule of ["poisson_indegree", "fixed_indegree"] as const) {
    const net = createRewiringNetwork({
      populationSize1: 20_000,
      populationSize2: 20_000,
      inDegree: 1000,
      inDegreeRule: rule,
      seed: 2,
    });
    const check = (when: string) => {
      let sum = 0, squares = 0;
      for (const d of net.inDegree) {
        sum += d;
        squares += d * d;
      }
      const mean = sum / 20_000;
      const variance = squares / 20_000 - mean * mean;
      close(mean, 1000, 1, `${rule} ${when} mean`); // std of the mean √(C/N2) = 0.22
      // Sample variance of 20 000 Poisson(1000) counts: relative std √(2/N2) ≈ 1 %; allow 5 %.
      if (rule === "poisson_indegree") close(variance, 1000, 50, `${rule} ${when} variance`);
      else assert.equal(variance, 0);
    };
    check("initial");
    rewire(net); // nothing stabilized: every in-degree is redrawn (Poisson rule)
    check("after rewiring");
  }
});

Deno.test("sources are uniform over population 1", () => {
  const net = createRewiringNetwork({
    populationSize1: 10,
    populationSize2: 2000,
    inDegree: 100,
    inDegreeRule: "fixed_indegree",
  });
  materializeSources(net);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 2000; i++) for (const [s] of connections(net, i)) counts[s]++;
  // 200 000 draws, 20 000 expected per source, binomial std ≈ 134; allow 5σ.
  for (const c of counts) close(c, 20_000, 670, "source count");
});

Deno.test("spec test 6: mean stabilized connections per neuron = p·C within 3 %", () => {
  for (const rewiringPeriod of [0, 25]) {
    const options = {
      populationSize1: 10_000,
      populationSize2: 4000,
      inDegree: 200,
      alpha1: 0.01,
      alpha2: 0.01,
      rewiringPeriod,
      seed: 5,
    };
    const net = createRewiringNetwork(options);
    trainRewiringNetwork(net, 300);
    let stabilized = 0;
    for (const f of net.stabilized) stabilized += f;
    // p·C = 200·(1 − (1 − 1e-4)^300) = 5.91; 23 600 stabilized in all, Poisson std ≈ 0.65 %.
    const { k } = stabilizationStatistics(300, { inDegree: 200, alpha1: 0.01, alpha2: 0.01 });
    close(stabilized / 4000, k, 0.03 * k, `k, r = ${rewiringPeriod}`);
  }
});

Deno.test("test order is a Fisher–Yates permutation prefix of the trained patterns", () => {
  const net = createRewiringNetwork({
    populationSize1: 100,
    populationSize2: 100,
    inDegree: 5,
    trainingPatterns: 500,
    testPatterns: 500,
  });
  const order = testPatternOrder(net, 500);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i));
  assert.notDeepEqual(order.slice(0, 20), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(testPatternOrder(net, 500), order);
});

Deno.test("runRewiring on a tiny network: finite metrics, coding above background", () => {
  const result = runRewiring({
    populationSize1: 2000,
    populationSize2: 2000,
    inDegree: 100,
    alpha1: 0.02,
    alpha2: 0.02,
    rewiringPeriod: 10,
    trainingPatterns: 50,
    testPatterns: 20,
    noiseSigma: 1,
  });
  assert.equal(result.perPattern.length, 20);
  assert.equal(result.trainingPatterns, 50);
  assert.ok(result.codingMean > result.backgroundMean);
  assert.ok(result.sdnr > 1 && Number.isFinite(result.sdnr), `SDNR ${result.sdnr}`);
  assert.ok(result.probabilityCorrect > 0.5 && result.probabilityCorrect < 1);
});

// CI-size statistical tests of the structural-plasticity model (spec rewiring.md §6 and "How to
// validate" items 11–13) against the mean-field theory of validation/rewiring_theory.ts.
//
// Configuration: spec §6 (N1 = N2 = 20 000, C = 1000, α = 5·10⁻³, lognormal rates, Poisson
// in-degree, no noise), seeds 1–3, r = 100 and r = 0, T = 500, 1000, 2000 (one training run per
// seed and r, tested after 500, 1000 and 2000 patterns). To fit the CI time budget the test
// uses n_test = 100 (spec: 200) and a background sample of every 16th neuron per pattern
// (random offset per pattern; the coding set is complete). Precision: ⟨S_c⟩ − ⟨S_b⟩ rests on
// ≈ 10⁴ coding-neuron samples (error ≈ σ_b/100, 0.15 % of the 6–8 σ_b signal); σ_b² on 100
// patterns × 1250 neurons (≈ 0.5 %), so the SDNR scatter between seeds is ≈ 1 %, well inside
// the spec's 5 % (which allows for the finite-size bias of the theory, N ≫ C not holding).
import assert from "node:assert/strict";
import { philox4x32, uniformIndex } from "../engine/rng/philox.ts";
import {
  addTestNoise,
  createRewiringNetwork,
  inputSignal,
  materializeSources,
  patternHighMask,
  patternRates,
  patternStatistics,
  rewire,
  type RewiringNetwork,
  type RewiringTestResult,
  stabilize,
  summarizeTest,
  testPatternOrder,
  testRewiringNetwork,
  testRewiringNetworks,
  trainRewiringNetwork,
  trainRewiringNetworks,
} from "./rewiring.ts";
import { CI_REWIRING_PARAMS, type RewiringModelParams } from "./rewiring_params.ts";
import { rewiringTheory } from "../validation/rewiring_theory.ts";

const SEEDS = [1, 2, 3];
const PERIODS = [100, 0];
const SNAPSHOTS = [500, 1000, 2000];
const CI_OPTIONS: Partial<RewiringModelParams> = {
  ...CI_REWIRING_PARAMS,
  testPatterns: 100,
  backgroundStride: 16,
};
const THEORY_OPTIONS = { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, noiseSigma: 0 };
const SDNR_TOLERANCE = 0.05; // spec test 11

interface Run {
  seed: number;
  period: number;
  results: RewiringTestResult[]; // one per SNAPSHOTS entry
}

let runs: Run[] | undefined;

/**
 * Trains one network per (seed, r) and tests it after each snapshot T (computed once). The
 * networks of one seed see the same patterns and start from the same connectivity, so they
 * are trained and tested side by side (a paired comparison of r = 100 and r = 0).
 */
function ciRuns(): Run[] {
  if (runs !== undefined) return runs;
  runs = [];
  for (const seed of SEEDS) {
    const nets = PERIODS.map((period) =>
      createRewiringNetwork({
        ...CI_OPTIONS,
        rewiringPeriod: period,
        seed,
        trainingPatterns: SNAPSHOTS[SNAPSHOTS.length - 1],
      })
    );
    const results = SNAPSHOTS.map((t) => {
      trainRewiringNetworks(nets, t);
      return testRewiringNetworks(nets);
    });
    PERIODS.forEach((period, n) => runs!.push({ seed, period, results: results.map((r) => r[n]) }));
  }
  return runs;
}

function theorySdnr(t: number, period: number): number {
  return rewiringTheory(t, { ...THEORY_OPTIONS, rewiringPeriod: period }).sdnr;
}

/** The check of spec test 11 for one result: SDNR within 5 % of the §6 theory. */
function sdnrMatchesTheory(result: RewiringTestResult, period: number): boolean {
  const expected = theorySdnr(result.trainingPatterns, period);
  return Math.abs(result.sdnr - expected) <= SDNR_TOLERANCE * expected;
}

function describe(run: Run): string {
  return run.results.map((r) =>
    `seed ${run.seed} r ${run.period} T ${r.trainingPatterns}: S_b ${
      r.backgroundMean.toFixed(2)
    } ` +
    `S_c ${r.codingMean.toFixed(2)} σ_b² ${r.backgroundVariance.toFixed(1)} ` +
    `SDNR ${r.sdnr.toFixed(3)} (theory ${theorySdnr(r.trainingPatterns, run.period).toFixed(3)})`
  ).join("\n");
}

Deno.test("spec test 11: SDNR within 5 % of the §6 theory, rewiring beats no rewiring", () => {
  const all = ciRuns();
  for (const run of all) {
    for (const result of run.results) {
      assert.ok(sdnrMatchesTheory(result, run.period), describe(run));
    }
  }
  for (const seed of SEEDS) {
    const withRewiring = all.find((r) => r.seed === seed && r.period === 100)!;
    const without = all.find((r) => r.seed === seed && r.period === 0)!;
    SNAPSHOTS.forEach((t, i) => {
      assert.ok(
        withRewiring.results[i].sdnr > without.results[i].sdnr,
        `seed ${seed}, T ${t}: ${withRewiring.results[i].sdnr} ≤ ${without.results[i].sdnr}`,
      );
    });
  }
});

Deno.test("spec test 12: SDNR falls with T; ⟨S_b⟩ = ν̄·[W_s·k + W_b·(C − k)] within 1 %", () => {
  for (const run of ciRuns()) {
    for (let i = 1; i < run.results.length; i++) {
      assert.ok(run.results[i].sdnr < run.results[i - 1].sdnr, describe(run));
    }
    for (const result of run.results) {
      const expected = rewiringTheory(result.trainingPatterns, THEORY_OPTIONS).backgroundMean;
      assert.ok(
        Math.abs(result.backgroundMean - expected) <= 0.01 * expected,
        `${describe(run)}\n⟨S_b⟩ theory ${expected}`,
      );
    }
  }
});

// Regression traps of spec test 13. Each builds the network of seed 1, r = 100, T = 500, in a
// deliberately broken way and requires that the check of test 11 fails for it (while the
// correct run, above, passes it).

const TRAP_T = 500;

function trapNetwork(): RewiringNetwork {
  return createRewiringNetwork({
    ...CI_OPTIONS,
    rewiringPeriod: 100,
    seed: 1,
    trainingPatterns: TRAP_T,
    testPatterns: 50,
  });
}

let trainedTrap: RewiringNetwork | undefined;

/** A copy of the correctly trained trap network (trained once). */
function trainedTrapNetwork(): RewiringNetwork {
  if (trainedTrap === undefined) {
    trainedTrap = trapNetwork();
    trainRewiringNetwork(trainedTrap);
    materializeSources(trainedTrap);
  }
  const t = trainedTrap;
  return {
    ...t,
    sources: t.sources.slice(),
    stabilized: t.stabilized.slice(),
    inDegree: t.inDegree.slice(),
    pendingEpoch: t.pendingEpoch.slice(),
  };
}

function assertTrapFails(result: RewiringTestResult, what: string) {
  const correct = ciRuns().find((r) => r.seed === 1 && r.period === 100)!.results[0];
  assert.ok(sdnrMatchesTheory(correct, 100), "the correct run passes");
  assert.ok(
    !sdnrMatchesTheory(result, 100),
    `${what}: SDNR ${result.sdnr} still matches the theory ${theorySdnr(TRAP_T, 100)}`,
  );
}

Deno.test("trap: noise on r1 during training (noise is a test-time perturbation only)", () => {
  const net = trapNetwork();
  // Training presentations with 20 Hz truncated noise on r1 (the test stays noise-free): many
  // low-rate neurons cross r_t, connections between wrong pairs are stabilized, SDNR ≈ 1.9.
  // Smaller training noise is below what the 5 % check resolves at this size (seed 1, T = 500:
  // SDNR 7.94 at 2 Hz, 7.90 at 5 Hz, 7.58 at 10 Hz against 8.01 in theory and 7.92 correct).
  const noisy = createRewiringNetwork({
    ...net.params,
    noiseSigma: 20,
    populationSize2: 1,
    inDegree: 1,
  });
  const rates1 = new Float64Array(net.params.populationSize1);
  const high1 = new Uint8Array(net.params.populationSize1);
  const high2 = new Uint8Array(net.params.populationSize2);
  for (let m = 0; m < TRAP_T; m++) {
    patternRates(net, m, { population: 1, out: rates1 });
    addTestNoise(noisy, m + 1_000_000, rates1);
    for (let j = 0; j < rates1.length; j++) high1[j] = rates1[j] > net.derived.threshold[0] ? 1 : 0;
    patternHighMask(net, m, { population: 2, out: high2 });
    stabilize(net, high1, high2);
    net.trained = m + 1;
    if ((m + 1) % 100 === 0) rewire(net);
  }
  assertTrapFails(testRewiringNetwork(net), "training noise");
});

Deno.test("trap: r2 influences S during the test", () => {
  const net = trainedTrapNetwork();
  const rates1 = new Float64Array(net.params.populationSize1);
  const rates2 = new Float64Array(net.params.populationSize2);
  const high2 = new Uint8Array(net.params.populationSize2);
  const perPattern = testPatternOrder(net).map((m) => {
    patternRates(net, m, { population: 1, out: rates1 });
    patternRates(net, m, { population: 2, out: rates2 });
    patternHighMask(net, m, { population: 2, out: high2 });
    // The context leaks into the input: S_i += W_s·r2_i (r2 presented through one synapse).
    return patternStatistics(net, m, {
      high2,
      signal: (i) => inputSignal(net, rates1, i) + net.params.weightStabilized * rates2[i],
    });
  });
  assertTrapFails(summarizeTest(perPattern, net.trained), "r2 in the test input");
});

Deno.test("trap: rewiring that also resamples stabilized connections removes the memory", () => {
  const net = trainedTrapNetwork();
  // The last rewiring (after pattern 499) also gives every stabilized connection a new source.
  const out = new Uint32Array(4);
  for (let c = 0; c < net.sources.length; c++) {
    if (net.stabilized[c] === 0) continue;
    philox4x32([c, 0, 0, 0], [net.params.seed, 0xbad], out);
    net.sources[c] = uniformIndex(out[0], net.params.populationSize1);
  }
  const result = testRewiringNetwork(net);
  assert.ok(result.sdnr < 1, `SDNR ${result.sdnr} should be near 0`);
  assertTrapFails(result, "stabilized connections rewired");
});

Deno.test("trap: testing patterns other than the trained ones gives SDNR ≈ 0", () => {
  const net = trainedTrapNetwork();
  const untrained = testPatternOrder(net).map((m) => m + TRAP_T);
  const result = testRewiringNetwork(net, { patterns: untrained });
  assert.ok(result.sdnr < 1, `SDNR ${result.sdnr} should be near 0`);
  assertTrapFails(result, "untrained test patterns");
});

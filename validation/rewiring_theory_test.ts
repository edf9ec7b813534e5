/**
 * Tests of the structural-plasticity theory (spec `rewiring.md` §1.3, §3, §4 and the
 * "How to validate" items about the theory): exact values derived in the spec, the authors'
 * `__th_values.csv` tables, the quoted memory capacities, and where the authors' simulation
 * tables (`__values.csv`) lie relative to the theory.
 */
import assert from "node:assert/strict";
import { ParameterError } from "../engine/errors.ts";
import { normalCdf, normalPdf } from "../engine/sampling.ts";
import {
  backgroundMean,
  backgroundVariance,
  capacityFromScan,
  codingMean,
  memoryCapacity,
  type MemoryCapacityOptions,
  noiseVarianceContribution,
  probabilityCorrect,
  rateConstants,
  resolveRewiringParams,
  type RewiringParams,
  rewiringTheory,
  sdnr,
  sdnrThreshold,
  stabilizationStatistics,
  truncatedNoiseVariance,
} from "./rewiring_theory.ts";
import {
  loadRewiringSimulationTable,
  loadRewiringTheoryTable,
  REWIRING_REFERENCE_SETS,
  type RewiringReferenceSet,
  type RewiringSimulationRow,
  sdnrFromMeans,
} from "./rewiring_reference.ts";

const NO_NOISE = { noiseSigma: 0 } as const;

/**
 * Asserts that `actual` rounds to the value the spec printed: |actual − printed| ≤ half a unit
 * of the printed last digit (the spec's tables are rounded theory values).
 */
function assertPrinted(actual: number, printed: string, label: string): void {
  const decimals = printed.includes(".") ? printed.split(".")[1].length : 0;
  const halfUnit = 0.5 * 10 ** -decimals;
  const diff = Math.abs(actual - Number(printed));
  assert.ok(
    diff <= halfUnit * (1 + 1e-9),
    `${label}: ${actual} does not round to the printed ${printed}`,
  );
}

function assertRelative(actual: number, expected: number, tolerance: number, label: string) {
  const deviation = Math.abs(actual / expected - 1);
  assert.ok(
    deviation <= tolerance,
    `${label}: ${actual} vs ${expected}, relative deviation ${deviation} > ${tolerance}`,
  );
}

function paramsOf(set: RewiringReferenceSet, rewiringPeriod?: number): Partial<RewiringParams> {
  const params = { ...REWIRING_REFERENCE_SETS[set].params };
  if (rewiringPeriod !== undefined) params.rewiringPeriod = rewiringPeriod;
  return params;
}

// ---------------------------------------------------------------------------------------------
// Rate distributions (validate 1), noise (validate 3), SDNR threshold (validate 2)

Deno.test("rate constants of the defaults match spec §1.3 (validate 1)", () => {
  const rates = rateConstants(1);
  assert.ok(rates.lognormal);
  assert.ok(Math.abs(rates.lognormal.sigma - 1.120143) <= 1e-6, `σ_ln ${rates.lognormal.sigma}`);
  assert.ok(Math.abs(rates.lognormal.mu - 0.089504) <= 1e-6, `μ_ln ${rates.lognormal.mu}`);
  assert.ok(Math.abs(rates.threshold - 34.8483) <= 1e-3, `r_t ${rates.threshold}`);
  assert.ok(Math.abs(rates.variance - 10.5145) <= 1e-3, `Var(r) ${rates.variance}`);
  assert.ok(Math.abs(rates.mean - 2.048) <= 1e-12, `ν̄ ${rates.mean}`);
  // Population 2 has the same defaults.
  assert.deepEqual(rateConstants(2), rates);
  // Discrete rates: Var = α·ν_h² + β·ν_l² − ν̄² = 0.001·2500 + 0.999·4 − 2.048² = 2.301696;
  // r_t = (50 + 2)/2 = 26.
  const discrete = rateConstants(1, { rates: "discrete" });
  assert.ok(Math.abs(discrete.variance - 2.301696) <= 1e-12, `discrete Var ${discrete.variance}`);
  assert.equal(discrete.threshold, 26);
  assert.equal(discrete.lognormal, undefined);
});

Deno.test("lognormal rates have P(r > r_t) = α and conditional means ν_h, ν_l (spec §1.3)", () => {
  // For y = ln r ~ N(μ, σ²): P(r > r_t) = Φ((μ − ln r_t)/σ) and
  // E[r; r > r_t] = exp(μ + σ²/2)·Φ((μ + σ² − ln r_t)/σ). The spec's choice of σ_ln, μ_ln, r_t
  // makes these α, α·ν_h, and the mean ν̄, identically; checked for two parameter sets.
  const cases: { population: 1 | 2; options: Partial<RewiringParams> }[] = [
    { population: 1, options: {} },
    { population: 2, options: { alpha2: 5e-3, nuLow2: 1.5, nuHigh2: 40 } },
  ];
  for (const { population, options } of cases) {
    const p = resolveRewiringParams(options);
    const alpha = population === 1 ? p.alpha1 : p.alpha2;
    const nuLow = population === 1 ? p.nuLow1 : p.nuLow2;
    const nuHigh = population === 1 ? p.nuHigh1 : p.nuHigh2;
    const { mean, threshold, lognormal } = rateConstants(population, options);
    assert.ok(lognormal);
    const { sigma, mu } = lognormal;
    const lnT = Math.log(threshold);
    const fractionAbove = normalCdf((mu - lnT) / sigma);
    const meanTimesAbove = Math.exp(mu + sigma * sigma / 2) *
      normalCdf((mu + sigma * sigma - lnT) / sigma);
    const label = `population ${population}`;
    assertRelative(Math.exp(mu + sigma * sigma / 2), mean, 1e-12, `${label} mean`);
    assertRelative(fractionAbove, alpha, 1e-9, `${label} P(r > r_t)`);
    assertRelative(meanTimesAbove / alpha, nuHigh, 1e-9, `${label} E[r | r > r_t]`);
    assertRelative((mean - meanTimesAbove) / (1 - alpha), nuLow, 1e-12, `${label} E[r | r < r_t]`);
  }
});

Deno.test("truncated noise variance σ_δ² = 0.773741 for σ_n = 1, β = 2 (validate 3)", () => {
  const variance = truncatedNoiseVariance({ noiseSigma: 1, noiseMaxDeviation: 2 });
  assert.ok(Math.abs(variance - 0.773741) <= 5e-7, `σ_δ² ${variance}`);
  // Independent check: ∫_{−2}^{2} x²·φ(x) dx / Z by composite Simpson (error ~1e-14).
  const n = 2000;
  const h = 4 / n;
  let integral = 0;
  for (let i = 0; i <= n; i++) {
    const x = -2 + i * h;
    const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    integral += weight * x * x * normalPdf(x);
  }
  integral *= h / 3;
  const z = normalCdf(2) - normalCdf(-2);
  assertRelative(variance, integral / z, 1e-10, "σ_δ² vs quadrature");
  // σ_δ² scales with σ_n² and vanishes without noise.
  assertRelative(truncatedNoiseVariance({ noiseSigma: 5 }), 25 * variance, 1e-14, "σ_n = 5");
  assert.equal(truncatedNoiseVariance(NO_NOISE), 0);
});

Deno.test("SDNR threshold 3.289707 for P_c = 0.95 and P_c = Φ(SDNR/2) (spec §3)", () => {
  const threshold = sdnrThreshold();
  assert.ok(Math.abs(threshold - 3.289707) <= 5e-7, `SDNR_thr ${threshold}`);
  assertRelative(threshold, 2 * 1.6448536269514722, 1e-14, "2·Φ⁻¹(0.95)");
  assertRelative(probabilityCorrect(threshold), 0.95, 1e-14, "P_c(SDNR_thr)");
  assert.equal(probabilityCorrect(0), 0.5);
  // P_c(2) = ½[1 + erf(2/√8)] = Φ(1) = 0.8413447460685429.
  assertRelative(probabilityCorrect(2), 0.8413447460685429, 1e-14, "P_c(2)");
  assertRelative(sdnrThreshold(0.99), 2 * 2.3263478740408408, 1e-14, "SDNR_thr(0.99)");
});

// ---------------------------------------------------------------------------------------------
// The spec's derived theory values (validate 2) and the authors' tables

Deno.test("theory reproduces the derived table of spec §4 to its printed digits", () => {
  // T, p, ⟨S_b⟩, ⟨S_c⟩ rew (r = 100), ⟨S_c⟩ no rew, σ_b² (no noise), SDNR rew, SDNR no rew,
  // σ_b² (σ_n = 1 Hz), SDNR rew with 1 Hz noise. Lognormal rates, Poisson in-degree.
  const table: [number, string | null, ...string[]][] = [
    [
      5000,
      "0.004988",
      "1069.965",
      "1318.297",
      "1293.843",
      "1518.605",
      "6.372",
      "5.745",
      "1576.395",
      "6.255",
    ],
    [
      10000,
      null,
      "1115.701",
      "1363.390",
      "1338.462",
      "2291.602",
      "5.174",
      "4.653",
      "2368.398",
      "5.090",
    ],
    [
      20000,
      null,
      "1206.489",
      "1452.901",
      "1427.03",
      "3807.624",
      "3.993",
      "3.574",
      "3922.151",
      "3.935",
    ],
    [
      50000,
      null,
      "1473.470",
      "1716.101",
      "1687.5",
      "8125.228",
      "2.692",
      "2.374",
      "8350.707",
      "2.655",
    ],
    [
      100000,
      null,
      "1901.019",
      "2137.520",
      "2104.61",
      "14611.374",
      "1.957",
      "1.684",
      "15014.536",
      "1.930",
    ],
  ];
  const noRewiring = { ...NO_NOISE, rewiringPeriod: 0 };
  for (const [t, p, sb, scRew, scNoRew, var0, sdnrRew, sdnrNoRew, var1, sdnr1] of table) {
    if (p !== null) assertPrinted(stabilizationStatistics(t).p, p, `p(${t})`);
    assertPrinted(backgroundMean(t), sb, `⟨S_b⟩(${t})`);
    assertPrinted(codingMean(t), scRew, `⟨S_c⟩ rew(${t})`);
    assertPrinted(codingMean(t, noRewiring), scNoRew, `⟨S_c⟩ no rew(${t})`);
    assertPrinted(backgroundVariance(t, NO_NOISE), var0, `σ_b²(${t})`);
    assertPrinted(sdnr(t, NO_NOISE), sdnrRew, `SDNR rew(${t})`);
    assertPrinted(sdnr(t, noRewiring), sdnrNoRew, `SDNR no rew(${t})`);
    assertPrinted(backgroundVariance(t, { noiseSigma: 1 }), var1, `σ_b² 1 Hz(${t})`);
    assertPrinted(sdnr(t, { noiseSigma: 1 }), sdnr1, `SDNR 1 Hz(${t})`);
  }
});

Deno.test("theory reproduces the other derived constants of spec §4 (k, Var(k), fixed in-degree)", () => {
  const stats = stabilizationStatistics(5000);
  assertPrinted(stats.k, "24.9376", "k(5000)");
  assertPrinted(stats.varianceKFixed, "148.42", "Var(k)(5000)");
  // validate 6: mean stabilized connections per neuron p·C = 24.94 at T = 5000.
  assertPrinted(stats.p * 5000, "24.94", "p·C");
  const fixed = { ...NO_NOISE, inDegreeRule: "fixed_indegree" } as const;
  assertPrinted(sdnr(5000, fixed), "6.915", "SDNR fixed in-degree");
  // The spec prints σ_b² = 1289.565; the double-precision formula gives 1289.55628 (6.7e-6
  // relative lower). The spec's digits come from the authors' C++ printout (mem_head:
  // "sigma2S 1289.5645"), whose erfinv is single precision (my_erfinvf); the authors' Python
  // (th_values.csv), which we match to 1e-14, uses scipy's double erfinv. Same T, Poisson
  // rule: C++ 1518.6135 vs Python/spec/ours 1518.6053.
  const variance = backgroundVariance(5000, fixed);
  assertPrinted(variance, "1289.556", "σ_b² fixed in-degree (double precision)");
  assertRelative(variance, 1289.565, 1e-5, "σ_b² fixed in-degree vs the spec's digits");
});

Deno.test("theory reproduces every authors' __th_values.csv (all sets, rows, columns)", async () => {
  // The spec asks 1e-6 relative. Both sides evaluate the same double-precision formulas
  // (authors: numpy/scipy), so the only differences are erfinv and pow rounding: we hold
  // 1e-10 (observed ≤ 1.3e-14).
  const tolerance = 1e-10;
  let rows = 0;
  for (const [set, info] of Object.entries(REWIRING_REFERENCE_SETS)) {
    if (!info.hasTheoryTable) continue;
    const name = set as RewiringReferenceSet;
    for (const row of await loadRewiringTheoryTable(name)) {
      const point = rewiringTheory(row.trainingPatterns, paramsOf(name, row.rewiringPeriod));
      const label = `${set} line ${row.line}`;
      assertRelative(point.backgroundMean, row.backgroundMean, tolerance, `${label} Sb_th`);
      assertRelative(
        point.backgroundVariance,
        row.backgroundVariance,
        tolerance,
        `${label} varSb_th`,
      );
      assertRelative(point.codingMean, row.codingMean, tolerance, `${label} Sc_th`);
      rows++;
    }
  }
  assert.equal(rows, 6 * 20 + 13);
});

Deno.test("theoretical memory capacities match the values quoted in spec §4", () => {
  // [options, quoted T_max, rounding unit of the quote]. Ours (crossing of 3.289707):
  // 31 775.6, 30 751.4, 27 966.6, 15 764.8, 24 354.5, 23 540.6, 45 282.0, 34 144.0.
  const quoted: [MemoryCapacityOptions, number, number][] = [
    [NO_NOISE, 31_800, 100],
    [{ noiseSigma: 1 }, 30_750, 10],
    [{ noiseSigma: 2 }, 27_970, 10],
    [{ noiseSigma: 5 }, 15_760, 10],
    [{ ...NO_NOISE, rewiringPeriod: 0 }, 24_350, 10],
    [{ noiseSigma: 1, rewiringPeriod: 0 }, 23_540, 10],
    [{ noiseSigma: 1, rates: "discrete" }, 45_280, 10],
    [{ ...NO_NOISE, inDegreeRule: "fixed_indegree" }, 34_140, 10],
  ];
  for (const [options, value, unit] of quoted) {
    const capacity = memoryCapacity(options);
    const label = JSON.stringify(options);
    assert.ok(
      Math.abs(capacity.crossing - value) <= unit / 2,
      `${label}: crossing ${capacity.crossing}, quoted ≈ ${value}`,
    );
    // T_max is the largest integer T with SDNR ≥ SDNR_thr.
    assert.equal(capacity.tMax, Math.floor(capacity.crossing));
    assert.ok(sdnr(capacity.tMax, options) >= capacity.threshold, `${label} SDNR(T_max)`);
    assert.ok(sdnr(capacity.tMax + 1, options) < capacity.threshold, `${label} SDNR(T_max + 1)`);
  }
  // A stricter P_c means a smaller capacity.
  assert.ok(memoryCapacity({ probabilityCorrect: 0.99 }).crossing < memoryCapacity().crossing);
});

Deno.test("theory reproduces the CI configuration table of spec §6", () => {
  const ci: Partial<RewiringParams> = { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, ...NO_NOISE };
  const rates = rateConstants(1, ci);
  assertPrinted(rates.mean, "2.24", "ν̄");
  assertPrinted(rates.lognormal!.sigma, "1.3578", "σ_ln");
  assertPrinted(rates.lognormal!.mu, "-0.1153", "μ_ln");
  assertPrinted(rates.threshold, "29.433", "r_t");
  // T, ⟨S_b⟩, ⟨S_c⟩ rew, ⟨S_c⟩ no rew, σ_b², SDNR rew, SDNR no rew.
  const table: [number, ...string[]][] = [
    [500, "249.043", "496.313", "471.248", "953.564", "8.007", "7.196"],
    [1000, "273.776", "519.448", "493.220", "1573.042", "6.194", "5.533"],
    [2000, "322.323", "564.842", "536.349", "2763.012", "4.614", "4.072"],
    [5000, "460.889", "694.268", "659.451", "5974.801", "3.019", "2.569"],
  ];
  const noRewiring = { ...ci, rewiringPeriod: 0 };
  for (const [t, sb, scRew, scNoRew, variance, sdnrRew, sdnrNoRew] of table) {
    assertPrinted(backgroundMean(t, ci), sb, `⟨S_b⟩(${t})`);
    assertPrinted(codingMean(t, ci), scRew, `⟨S_c⟩ rew(${t})`);
    assertPrinted(codingMean(t, noRewiring), scNoRew, `⟨S_c⟩ no rew(${t})`);
    assertPrinted(backgroundVariance(t, ci), variance, `σ_b²(${t})`);
    assertPrinted(sdnr(t, ci), sdnrRew, `SDNR rew(${t})`);
    assertPrinted(sdnr(t, noRewiring), sdnrNoRew, `SDNR no rew(${t})`);
  }
});

Deno.test("rewiring gain hardly depends on r for 1 ≤ r ≤ T; theory SDNR 4.577 vs 5.090 (§4, §5)", () => {
  const t = 10_000;
  assertPrinted(sdnr(t, { noiseSigma: 1, rewiringPeriod: 0 }), "4.577", "SDNR no rewiring");
  assertPrinted(sdnr(t, { noiseSigma: 1, rewiringPeriod: 100 }), "5.090", "SDNR r = 100");
  const gains = [1, 5, 10, 100, 1000, 10_000].map((r) =>
    codingMean(t, { rewiringPeriod: r }) - codingMean(t, { rewiringPeriod: 0 })
  );
  for (const gain of gains) assertRelative(gain, gains[0], 1e-4, "rewiring gain of ⟨S_c⟩");
});

Deno.test("noise adds (W_s²k + W_b²(C − k))·σ_δ² ≈ 58 to σ_b² at T = 5000, means unchanged (validate 9)", () => {
  const contribution = noiseVarianceContribution(5000, { noiseSigma: 1 });
  const { k } = stabilizationStatistics(5000);
  assertRelative(contribution, (k + 0.01 * (5000 - k)) * 0.7737413035499232, 1e-12, "formula");
  assertPrinted(contribution, "58", "≈ 58");
  assertRelative(
    backgroundVariance(5000, { noiseSigma: 1 }) - backgroundVariance(5000, NO_NOISE),
    contribution,
    1e-10,
    "σ_b² difference",
  );
  assert.equal(noiseVarianceContribution(5000, NO_NOISE), 0);
  assert.equal(backgroundMean(5000, { noiseSigma: 5 }), backgroundMean(5000, NO_NOISE));
  assert.equal(codingMean(5000, { noiseSigma: 5 }), codingMean(5000, NO_NOISE));
  // The whole-point record agrees with the single functions.
  const point = rewiringTheory(5000, { noiseSigma: 1 });
  assert.equal(point.noiseContribution, contribution);
  assert.equal(point.sdnr, sdnr(5000, { noiseSigma: 1 }));
});

Deno.test("theoretical SDNR decreases with T and rewiring raises it at every T (validate 12, 11)", () => {
  // The capacity bisection relies on the decrease; checked on a grid for every reference
  // parameter set, the fixed rule and the CI configuration.
  const sets: Partial<RewiringParams>[] = [
    ...Object.values(REWIRING_REFERENCE_SETS).map((info) => info.params),
    { ...NO_NOISE, inDegreeRule: "fixed_indegree" },
    { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, ...NO_NOISE },
  ];
  for (const params of sets) {
    let previous = Infinity;
    for (let t = 0; t <= 200_000; t += 500) {
      const value = sdnr(t, params);
      assert.ok(value < previous, `${JSON.stringify(params)}: SDNR(${t}) = ${value} ≥ previous`);
      previous = value;
      if (t > 0) {
        const withRewiring = sdnr(t, { ...params, rewiringPeriod: 100 });
        assert.ok(withRewiring > sdnr(t, { ...params, rewiringPeriod: 0 }), `rewiring at ${t}`);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Simulation tables (`__values.csv`) against the theory

/**
 * How far the authors' simulation means may lie from the theory, relative (sim/theory − 1).
 * The seed noise of a 10-seed mean is small (SEM of ⟨S_b⟩ ≈ 1e-4 relative, of σ_b² ≈ 0.1–0.2 %)
 * and the observed deviations are many SEM wide (up to 5 SEM for the means, 30+ for σ_b²):
 * they are the theory's systematic error (mean-field approximations at N = 20·C). The bounds
 * are therefore those the spec states for the theory (§5: "⟨S_b⟩ and ⟨S_c⟩ within 0.05 %; σ_b²
 * within ~1 %; SDNR within ~1 %"), widened where a set needs it; observed extremes noted.
 */
interface Agreement {
  sb: number;
  sc: number;
  variance: [number, number];
  sdnr: [number, number];
}

const AGREEMENT: Record<
  Exclude<RewiringReferenceSet, "noise_1Hz_simulations_saturation">,
  Agreement
> = {
  // Observed: S_b +0.022 %, S_c +0.044 %, σ_b² −1.06 % (T = 100 000), SDNR +0.74 %.
  no_noise_simulations: { sb: 5e-4, sc: 5e-4, variance: [-0.011, 0.011], sdnr: [-0.01, 0.01] },
  // Observed: S_b +0.022 %, S_c +0.044 %, σ_b² −0.91 %, SDNR +0.67 %.
  noise_1Hz_simulations: { sb: 5e-4, sc: 5e-4, variance: [-0.011, 0.011], sdnr: [-0.01, 0.01] },
  // Observed: S_c +0.069 %, σ_b² −0.58…+0.47 %, SDNR −0.26…+0.61 %.
  noise_2Hz_simulations: { sb: 5e-4, sc: 1e-3, variance: [-0.011, 0.011], sdnr: [-0.01, 0.01] },
  // Observed: S_c +0.070 %, σ_b² +0.87…+1.42 % (the noise term dominates), SDNR −0.88 %.
  noise_5Hz_simulations: { sb: 5e-4, sc: 1e-3, variance: [-0.011, 0.015], sdnr: [-0.01, 0.01] },
  // Spec §5: "simulated σ_b² 6–8 % below theory" (observed −5.8…−7.6 %), hence the SDNR
  // 3.0…4.0 % above; S_c −0.099 % at T = 5000.
  discr_rate_simulations: {
    sb: 5e-4,
    sc: 1.5e-3,
    variance: [-0.08, -0.055],
    sdnr: [0.025, 0.045],
  },
  // Not stated by the spec. Observed: σ_b² +1.2…+2.2 % above theory, SDNR −0.6…−1.2 %.
  simulation_no_rewiring_continuo: {
    sb: 5e-4,
    sc: 1e-3,
    variance: [-0.011, 0.025],
    sdnr: [-0.015, 0.01],
  },
  // T = 10 000, r per row. Observed: S_c −0.097 % (r = T), σ_b² up to +1.63 % (r = 0).
  variable_rewiring: { sb: 5e-4, sc: 1e-3, variance: [-0.011, 0.02], sdnr: [-0.01, 0.01] },
};

function deviation(simulated: number, theory: number): number {
  return simulated / theory - 1;
}

function assertWithin(value: number, [low, high]: [number, number], label: string): void {
  assert.ok(value >= low && value <= high, `${label}: ${value} not in [${low}, ${high}]`);
}

Deno.test("simulation tables lie near the theory (spec §5 agreement)", async () => {
  for (const [set, agreement] of Object.entries(AGREEMENT)) {
    const name = set as RewiringReferenceSet;
    for (const row of await loadRewiringSimulationTable(name)) {
      const point = rewiringTheory(row.trainingPatterns, paramsOf(name, row.rewiringPeriod));
      const label = `${set} line ${row.line}`;
      const sb = deviation(row.backgroundMean, point.backgroundMean);
      const sc = deviation(row.codingMean, point.codingMean);
      assertWithin(sb, [-agreement.sb, agreement.sb], `${label} ⟨S_b⟩`);
      assertWithin(sc, [-agreement.sc, agreement.sc], `${label} ⟨S_c⟩`);
      const variance = deviation(row.backgroundVariance, point.backgroundVariance);
      assertWithin(variance, agreement.variance, `${label} σ_b²`);
      assertWithin(deviation(sdnrFromMeans(row), point.sdnr), agreement.sdnr, `${label} SDNR`);
    }
  }
});

Deno.test("spec §5 simulation table matches the reference CSVs to its printed digits", async () => {
  // [set, T, ⟨S_b⟩, ⟨S_c⟩, σ_b², SDNR derived from the means]
  const table: [RewiringReferenceSet, number, string, string, string, string][] = [
    ["no_noise_simulations", 5000, "1069.900", "1318.370", "1519.29", "6.375"],
    ["no_noise_simulations", 10000, "1115.789", "1363.402", "2290.31", "5.174"],
    ["no_noise_simulations", 20000, "1206.527", "1452.753", "3801.61", "3.993"],
    ["no_noise_simulations", 50000, "1473.650", "1716.202", "8075.03", "2.699"],
    ["no_noise_simulations", 100000, "1901.280", "2138.265", "14457.08", "1.971"],
    ["simulation_no_rewiring_continuo", 5000, "1069.923", "1293.817", "1537.13", "5.711"],
    ["simulation_no_rewiring_continuo", 10000, "1115.806", "1338.365", "2328.50", "4.612"],
    ["simulation_no_rewiring_continuo", 20000, "1206.552", "1426.934", "3876.02", "3.540"],
    ["simulation_no_rewiring_continuo", 50000, "1473.685", "1687.652", "8274.96", "2.352"],
    ["simulation_no_rewiring_continuo", 100000, "1901.378", "2105.226", "14917.69", "1.669"],
    ["noise_1Hz_simulations", 5000, "1069.903", "1318.380", "1578.09", "6.255"],
    ["noise_1Hz_simulations", 10000, "1115.792", "1363.410", "2369.15", "5.087"],
    ["noise_1Hz_simulations", 50000, "1473.655", "1716.197", "8309.74", "2.661"],
    ["noise_1Hz_simulations", 100000, "1901.285", "2138.282", "14878.11", "1.943"],
    ["noise_5Hz_simulations", 5000, "1069.9", "1318.1", "2989", "4.539"],
    ["noise_5Hz_simulations", 100000, "1901.4", "2138.3", "24969", "1.499"],
  ];
  const cache = new Map<RewiringReferenceSet, RewiringSimulationRow[]>();
  for (const [set, t, sb, sc, variance, sdnrValue] of table) {
    if (!cache.has(set)) cache.set(set, await loadRewiringSimulationTable(set));
    const row = cache.get(set)!.find((r) => r.trainingPatterns === t);
    assert.ok(row, `${set} has no row T = ${t}`);
    const label = `${set} T = ${t}`;
    assertPrinted(row.backgroundMean, sb, `${label} ⟨S_b⟩`);
    assertPrinted(row.codingMean, sc, `${label} ⟨S_c⟩`);
    assertPrinted(row.backgroundVariance, variance, `${label} σ_b²`);
    assertPrinted(sdnrFromMeans(row), sdnrValue, `${label} SDNR`);
  }
});

Deno.test("simulated rewiring gain SDNR(r=100)/SDNR(r=0) is 1.11–1.14 at T = 5000–20 000 (validate 8)", async () => {
  const rewiring = await loadRewiringSimulationTable("no_noise_simulations");
  const none = await loadRewiringSimulationTable("simulation_no_rewiring_continuo");
  const ratioAt = (t: number) => {
    const a = rewiring.find((r) => r.trainingPatterns === t)!;
    const b = none.find((r) => r.trainingPatterns === t)!;
    return sdnrFromMeans(a) / sdnrFromMeans(b);
  };
  for (const t of [5000, 10000, 15000, 20000]) assertWithin(ratioAt(t), [1.11, 1.14], `T = ${t}`);
  assertPrinted(ratioAt(5000), "1.116", "reference ratio at 5k");
  assertPrinted(ratioAt(20000), "1.128", "reference ratio at 20k");
  // The theory's ratio is a little lower (1.109 at 5k, 1.117 at 20k): the 1.11–1.14 band is a
  // statement about simulations, not the theory.
  assertPrinted(
    sdnr(5000, NO_NOISE) / sdnr(5000, { ...NO_NOISE, rewiringPeriod: 0 }),
    "1.109",
    "theory",
  );
});

Deno.test("simulated noise increment of σ_b² is the theory's within 5 %, means unchanged (validate 9)", async () => {
  // no_noise and noise_1Hz used the same trained networks (same seeds, load_network 1), so the
  // difference of the two tables isolates the noise. Observed +1.7 % (T = 5000) … +4.4 %.
  const quiet = await loadRewiringSimulationTable("no_noise_simulations");
  const noisy = await loadRewiringSimulationTable("noise_1Hz_simulations");
  assert.equal(quiet.length, noisy.length);
  quiet.forEach((row, i) => {
    const other = noisy[i];
    assert.equal(other.trainingPatterns, row.trainingPatterns);
    const t = row.trainingPatterns;
    const increment = other.backgroundVariance - row.backgroundVariance;
    assertRelative(increment, noiseVarianceContribution(t, { noiseSigma: 1 }), 0.05, `T = ${t}`);
    assertRelative(other.backgroundMean, row.backgroundMean, 1e-3, `⟨S_b⟩ T = ${t}`);
    assertRelative(other.codingMean, row.codingMean, 1e-3, `⟨S_c⟩ T = ${t}`);
  });
});

Deno.test("simulated memory capacities by the crossing definition match spec §5 (validate 10)", async () => {
  // Linear interpolation of the last crossing of 3.2897 in the T scan (step 5000); the spec
  // quotes them rounded to 100. Observed 31 938, 23 874, 30 815, 15 590, 48 779.
  const quoted: [RewiringReferenceSet, number][] = [
    ["no_noise_simulations", 31_900],
    ["simulation_no_rewiring_continuo", 23_900],
    ["noise_1Hz_simulations", 30_800],
    ["noise_5Hz_simulations", 15_600],
    ["discr_rate_simulations", 48_800],
  ];
  for (const [set, value] of quoted) {
    const rows = await loadRewiringSimulationTable(set);
    const scan = rows.map((r) => ({
      trainingPatterns: r.trainingPatterns,
      sdnr: sdnrFromMeans(r),
    }));
    const capacity = capacityFromScan(scan);
    assert.ok(capacity !== null && Math.abs(capacity - value) <= 50, `${set}: ${capacity}`);
    // validate 10 for an engine: within 1500 of these; the theory is, for the lognormal sets.
    if (set !== "discr_rate_simulations") {
      const theory = memoryCapacity(REWIRING_REFERENCE_SETS[set].params).crossing;
      assert.ok(Math.abs(theory - capacity) <= 1500, `${set}: theory ${theory} vs ${capacity}`);
    }
  }
});

Deno.test("capacityFromScan interpolates the last crossing and says null when unbracketed", () => {
  const thr = sdnrThreshold();
  const point = (t: number, s: number) => ({ trainingPatterns: t, sdnr: s });
  // Linear SDNR between (1000, thr + 1) and (2000, thr − 1): crossing at 1500.
  assertRelative(
    capacityFromScan([point(2000, thr - 1), point(1000, thr + 1)])!,
    1500,
    1e-12,
    "mid",
  );
  // The last downward crossing counts (a noisy scan that dips and recovers).
  const noisy = [point(0, 9), point(1000, thr - 0.1), point(2000, thr + 0.1), point(3000, 0)];
  assertRelative(capacityFromScan(noisy)!, 2000 + 1000 * 0.1 / (thr + 0.1), 1e-12, "last");
  assert.equal(capacityFromScan([point(0, 9), point(1000, 8)]), null);
  assert.equal(capacityFromScan([point(0, 1), point(1000, 0.5)]), null);
  assert.equal(capacityFromScan([]), null);
  assert.throws(() => capacityFromScan([point(0, -1)]), ParameterError);
});

Deno.test("discrete rates: simulated SDNR 8.29 / 4.89 / 2.37 vs theory 8.00 / 4.74 / 2.28 (§5)", async () => {
  const rows = await loadRewiringSimulationTable("discr_rate_simulations");
  const params = paramsOf("discr_rate_simulations");
  const expected: [number, string, string][] = [
    [5000, "8.29", "8.00"],
    [20000, "4.89", "4.74"],
    [100000, "2.37", "2.28"],
  ];
  for (const [t, simulated, theory] of expected) {
    const row = rows.find((r) => r.trainingPatterns === t)!;
    assertPrinted(sdnrFromMeans(row), simulated, `simulated T = ${t}`);
    assertPrinted(sdnr(t, params), theory, `theory T = ${t}`);
  }
});

Deno.test("variable rewiring period: SDNR 4.536 ± 0.017 without, 5.05–5.09 with rewiring (§5)", async () => {
  const rows = await loadRewiringSimulationTable("variable_rewiring");
  assert.deepEqual(
    rows.map((r) => r.rewiringPeriod),
    [0, 1, 5, 10, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
  );
  for (const row of rows) {
    assert.ok(row.sdnr !== null && row.sdnrStd !== null);
    assert.equal(row.trainingPatterns, 10_000);
    if (row.rewiringPeriod === 0) {
      assertPrinted(row.sdnr, "4.536", "SDNR r = 0");
      assertPrinted(row.sdnrStd, "0.017", "std r = 0");
    } else {
      assertWithin(row.sdnr, [5.05, 5.09], `SDNR r = ${row.rewiringPeriod}`);
    }
    // The per-seed mean SDNR column agrees with the theory within 1 % (observed −0.90 % at
    // r = 0, −0.69 % at r = T).
    const theory = sdnr(10_000, paramsOf("variable_rewiring", row.rewiringPeriod));
    assertRelative(row.sdnr, theory, 0.01, `SDNR_av vs theory r = ${row.rewiringPeriod}`);
  }
});

Deno.test("saturation (negative noisy rates set to 0) shifts the means by Δν·(W_s k + W_b (C − k)) (§5)", async () => {
  // Not modeled by the theory. Setting r1 + δ < 0 to 0 raises every source's mean rate by
  // Δν = E[(r + δ)⁻] (r lognormal, δ the truncated 1 Hz noise), so ⟨S⟩ rises by
  // Δν·(W_s·k + W_b·(C − k)) = Δν·⟨S_b⟩/ν̄: the spec's "~45–80 pA·Hz". Δν by quadrature over
  // y = ln r of E_δ[(−r − δ)⁺] = [−r·(Φ(−r) − Φ(−2)) + φ(−r) − φ(−2)] / Z for r < 2.
  const { mean, lognormal } = rateConstants(1);
  const { sigma, mu } = lognormal!;
  const z = normalCdf(2) - normalCdf(-2);
  const negativePart = (r: number) =>
    r >= 2 ? 0 : (-r * (normalCdf(-r) - normalCdf(-2)) + normalPdf(-r) - normalPdf(-2)) / z;
  const steps = 20_000;
  const low = mu - 12 * sigma;
  const h = (Math.log(2) - low) / steps;
  let deltaNu = 0;
  for (let i = 0; i <= steps; i++) {
    const y = low + i * h;
    const weight = i === 0 || i === steps ? 0.5 : 1;
    deltaNu += weight * normalPdf((y - mu) / sigma) / sigma * negativePart(Math.exp(y));
  }
  deltaNu *= h;
  assertPrinted(deltaNu, "0.0858", "Δν (Hz)");
  const rows = await loadRewiringSimulationTable("noise_1Hz_simulations_saturation");
  for (const row of rows) {
    const t = row.trainingPatterns;
    const point = rewiringTheory(t, paramsOf("noise_1Hz_simulations_saturation"));
    const predicted = deltaNu * point.backgroundMean / mean;
    const label = `T = ${t}`;
    // ⟨S_b⟩: within 1 % of the prediction (observed ≤ 0.6 %). ⟨S_c⟩: within 1.5 pA·Hz
    // (≈ 3 SEM of a 10-seed ⟨S_c⟩, std ≈ 1.4); observed ≤ 0.9.
    assertRelative(row.backgroundMean - point.backgroundMean, predicted, 0.01, `${label} ⟨S_b⟩`);
    const shiftC = row.codingMean - point.codingMean;
    assert.ok(
      Math.abs(shiftC - predicted) <= 1.5,
      `${label} ⟨S_c⟩ shift ${shiftC} vs ${predicted}`,
    );
    assertWithin(row.backgroundMean - point.backgroundMean, [40, 85], `${label} "~45–80"`);
    // "SDNR changes by < 3 %" (observed −0.9…−1.7 %).
    assertRelative(sdnrFromMeans(row), point.sdnr, 0.03, `${label} SDNR`);
  }
});

// ---------------------------------------------------------------------------------------------
// Bad parameters

interface BadCase {
  parameter: string;
  call: () => unknown;
  expected: RegExp;
}

const BAD_CASES: BadCase[] = [
  { parameter: "inDegree", call: () => sdnr(100, { inDegree: 0 }), expected: /> 0/ },
  { parameter: "alpha1", call: () => sdnr(100, { alpha1: 1 }), expected: /\(0, 1\)/ },
  { parameter: "alpha2", call: () => rateConstants(2, { alpha2: 0 }), expected: /\(0, 1\)/ },
  { parameter: "nuLow1", call: () => sdnr(100, { nuLow1: 0 }), expected: /> 0/ },
  {
    parameter: "nuHigh1",
    call: () => sdnr(100, { nuHigh1: 2 }),
    expected: /> nuLow1 \(= 2\)/,
  },
  {
    parameter: "nuLow2",
    call: () => rateConstants(2, { rates: "discrete", nuLow2: -1 }),
    expected: /≥ 0/,
  },
  { parameter: "nuHigh2", call: () => sdnr(100, { nuHigh2: 1 }), expected: /> nuLow2 \(= 2\)/ },
  {
    parameter: "rates",
    call: () => sdnr(100, { rates: "gaussian" as "lognormal" }),
    expected: /"lognormal" or "discrete"/,
  },
  {
    parameter: "inDegreeRule",
    call: () => sdnr(100, { inDegreeRule: "fixed_total_number" as "fixed_indegree" }),
    expected: /"poisson_indegree" or "fixed_indegree"/,
  },
  { parameter: "weightBaseline", call: () => sdnr(100, { weightBaseline: -0.1 }), expected: /≥ 0/ },
  {
    parameter: "weightStabilized",
    call: () => sdnr(100, { weightStabilized: 0.1 }),
    expected: /> weightBaseline \(= 0.1\)/,
  },
  {
    parameter: "rewiringPeriod",
    call: () => sdnr(100, { rewiringPeriod: 2.5 }),
    expected: /an integer in \[0, /,
  },
  { parameter: "noiseSigma", call: () => sdnr(100, { noiseSigma: -1 }), expected: /≥ 0/ },
  {
    parameter: "noiseMaxDeviation",
    call: () => truncatedNoiseVariance({ noiseMaxDeviation: 0 }),
    expected: /> 0/,
  },
  { parameter: "trainingPatterns", call: () => backgroundMean(-1), expected: /≥ 0/ },
  { parameter: "population", call: () => rateConstants(3 as 1), expected: /1 or 2/ },
  {
    parameter: "probabilityCorrect",
    call: () => memoryCapacity({ probabilityCorrect: 0.5 }),
    expected: /\(0\.5, 1\)/,
  },
  { parameter: "sdnr", call: () => probabilityCorrect(-1), expected: /≥ 0/ },
];

for (const { parameter, call, expected } of BAD_CASES) {
  Deno.test(`bad ${parameter} raises a ParameterError naming it and its range`, () => {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof ParameterError, `not a ParameterError: ${error}`);
      assert.equal(error.parameter, parameter);
      assert.ok(error.message.startsWith(`${parameter}: got `), error.message);
      assert.match(error.message, expected);
      return true;
    });
  });
}

Deno.test("unknown parameter names are refused, undefined values mean the default", () => {
  assert.throws(
    () => sdnr(100, { noiseSigm: 0 } as Partial<RewiringParams>),
    (error: unknown) => error instanceof ParameterError && error.parameter === "noiseSigm",
  );
  assert.equal(sdnr(100, { noiseSigma: undefined }), sdnr(100));
  assert.deepEqual(resolveRewiringParams({ rewiringPeriod: undefined }), resolveRewiringParams());
});

Deno.test("non-finite parameters are refused too", () => {
  for (const value of [NaN, Infinity, -Infinity]) {
    assert.throws(() => sdnr(100, { inDegree: value }), ParameterError);
    assert.throws(() => sdnr(value), ParameterError);
    assert.throws(() => sdnr(100, { noiseSigma: value }), ParameterError);
  }
});

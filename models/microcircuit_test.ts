import assert from "node:assert/strict";
import { ParameterError } from "../engine/errors.ts";
import type { NetworkSpec } from "../engine/network.ts";
import {
  buildMicrocircuit,
  dcInput,
  externalIndegrees,
  externalWeight,
  fullScaleIndegrees,
  fullScaleSynapseCounts,
  meanWeightMatrix,
  MICROCIRCUIT_NOTES,
  microcircuitPscOverPsp,
  populationSizes,
  roundHalfEven,
  synapseCounts,
  thalamicDrive,
} from "./microcircuit.ts";
import {
  CONNECTION_PROBABILITIES,
  FULL_MEAN_RATES_NEST_HZ,
  MICROCIRCUIT_DEFAULTS,
  type MicrocircuitParams,
  microcircuitParams,
  POPULATION_NAMES,
  REFERENCE_10PCT_NEST,
  REFERENCE_RATES_FULL_SCALE_HZ,
} from "./microcircuit_params.ts";

/** Spec §1.3: derived full-scale synapse counts, [target][source]. */
const SPEC_FULL_SCALE_COUNTS = [
  [45499805, 22323577, 20253647, 9670918, 3293578, 0, 2271404, 0],
  [17443694, 5018763, 4105338, 1690074, 2221213, 0, 353461, 0],
  [3503670, 756561, 24482849, 17413576, 714524, 7003, 14624432, 0],
  [8114254, 92832, 9933538, 5223272, 87836, 0, 8810905, 0],
  [10613575, 1817058, 5507804, 151900, 2040738, 2407889, 1438969, 0],
  [1241436, 169424, 607667, 12851, 319602, 430444, 132414, 0],
  [4681225, 556108, 6727570, 1320234, 4112225, 305029, 8372649, 10827677],
  [2260836, 17207, 220033, 8078, 401638, 25218, 2888426, 1354320],
];

const FULL = { nScaling: 1 } as const; // kScaling follows nScaling

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected} ± ${tolerance}`,
  );
}

function assertAllClose(actual: number[], expected: number[], tolerance: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => assertClose(a, expected[i], tolerance, `${what}[${i}]`));
}

function assertParameterError(fn: () => unknown, parameter: string, messagePart?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ParameterError, `expected a ParameterError, got ${err}`);
    assert.equal(err.parameter, parameter);
    assert.ok(err.message.includes(parameter), `message names ${parameter}: ${err.message}`);
    if (messagePart) {
      assert.ok(err.message.includes(messagePart), `message has "${messagePart}": ${err.message}`);
    }
    return true;
  });
}

/** The synapse count of a fixed_total_number projection (NaN for any other rule). */
function totalNumber(proj: NetworkSpec["projections"][number]): number {
  return proj.rule.kind === "fixed_total_number" ? proj.rule.n : NaN;
}

function transpose(m: readonly (readonly number[])[]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}

// ---------------------------------------------------------------------------------------------
// Rounding and synapse counts

Deno.test("roundHalfEven follows numpy.round: ties go to the even neighbour", () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [-2.5, -2],
    [106.5, 106],
    [1439.5, 1440],
    [2.4999999999999996, 2],
    [2.5000000000000004, 3],
    [7.0, 7],
  ];
  for (const [x, expected] of cases) assert.equal(roundHalfEven(x), expected, `round(${x})`);
  assert.ok(Object.is(roundHalfEven(-0.4), 0), "−0 is normalised to 0");
});

Deno.test("fullScaleSynapseCounts equals the spec §1.3 table in all 64 entries", () => {
  const counts = fullScaleSynapseCounts();
  assert.deepEqual(counts, SPEC_FULL_SCALE_COUNTS);
  const total = counts.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, 298_880_968);
});

Deno.test("full-scale mean in-degrees per target match spec §1.3 (Σ_j S/N_i)", () => {
  const expected = [4995.1, 5285.0, 2806.4, 5888.4, 4943.9, 2736.0, 2563.6, 2434.1];
  const totals = fullScaleIndegrees().map((row) => row.reduce((a, b) => a + b, 0));
  assertAllClose(totals, expected, 0.05, "total in-degree");
  // L4E←L4E: 24482849 / 21915 ≈ 1117.2 synapses per neuron.
  assertClose(fullScaleIndegrees()[2][2], 24482849 / 21915, 0.01, "K[L4E][L4E]");
});

Deno.test("synapseCounts at the 10 % default scale: round(S_full · 0.1 · 0.1)", () => {
  const counts = synapseCounts();
  assert.equal(counts[0][0], 454998); // L23E←L23E: 45499805.x · 0.01
  assert.equal(counts[2][2], 244828); // L4E←L4E: 24482849.x · 0.01
  assert.deepEqual(synapseCounts(FULL), SPEC_FULL_SCALE_COUNTS);
});

Deno.test("regression trap: a transposed p table gives different counts (spec §7 test 12)", () => {
  const transposed = synapseCounts({ ...FULL, connProbs: transpose(CONNECTION_PROBABILITIES) });
  let differing = 0;
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      if (transposed[i][j] !== SPEC_FULL_SCALE_COUNTS[i][j]) differing++;
    }
  }
  // Only the diagonal (8 entries) can coincide.
  assert.equal(differing, 56);
  assert.notDeepEqual(transposed, SPEC_FULL_SCALE_COUNTS);
  // N_pre·N_post is symmetric, so the transposed table gives exactly the transposed counts:
  // L4E←L23E would get p[L23E][L4E] = 0.0437 (20253647) instead of 0.0077 (3503670).
  assert.deepEqual(transposed, transpose(SPEC_FULL_SCALE_COUNTS));
  assert.equal(transposed[2][0], 20253647);
});

Deno.test("populationSizes rounds half to even (spec §7.2 neuron counts at 10 %)", () => {
  // 1065 · 0.1 = 106.5 → 106 and 14395 · 0.1 = 1439.5 → 1440 (ties to even).
  assert.deepEqual(populationSizes(), [...REFERENCE_10PCT_NEST.neurons]);
  assert.deepEqual(populationSizes(FULL), [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]);
  // 4850 · 0.01 = 48.5 → 48.
  assert.deepEqual(populationSizes({ nScaling: 0.01 }), [207, 58, 219, 55, 48, 11, 144, 29]);
});

Deno.test("externalIndegrees: round(K_ext · kScaling)", () => {
  assert.deepEqual(externalIndegrees(FULL), [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]);
  assert.deepEqual(externalIndegrees(), [160, 150, 210, 190, 200, 190, 290, 210]);
  assert.deepEqual(externalIndegrees({ nScaling: 0.01 }), [16, 15, 21, 19, 20, 19, 29, 21]);
});

// ---------------------------------------------------------------------------------------------
// Weights and input currents

Deno.test("PSC_over_PSP and full-scale mean weights (spec §2.1, §2.2)", () => {
  assertClose(microcircuitPscOverPsp(), 585.38996, 1e-4, "PSC_over_PSP");
  const w = meanWeightMatrix(FULL);
  assertClose(w[1][0], 87.8085, 1e-3, "w_exc (L23I←L23E)"); // 0.15 · 585.38996
  assertClose(w[0][1], -351.234, 1e-3, "w_inh (L23E←L23I)"); // −0.6 · 585.38996
  assertClose(w[0][2], 175.617, 1e-3, "w L4E→L23E (doubled)"); // 0.30 · 585.38996
  assertClose(externalWeight(FULL), 87.8085, 1e-3, "w_ext");
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      if (i === 0 && j === 2) continue;
      assertClose(w[i][j], j % 2 === 0 ? 87.80849 : -351.23397, 1e-4, `w[${i}][${j}]`);
    }
  }
});

Deno.test("10 % scale: weights / sqrt(0.1) and the DC compensation of spec §5", () => {
  // 87.8085 / sqrt(0.1) = 277.675
  assertClose(meanWeightMatrix()[1][0], 277.675, 1e-3, "exc weight at kScaling 0.1");
  assertClose(externalWeight(), 277.675, 1e-3, "external weight at kScaling 0.1");
  assertAllClose(
    dcInput(),
    [29.04, 112.37, 112.97, 114.99, 125.42, 151.68, 43.85, 153.71],
    0.01,
    "I_e (NEST full_mean_rates, Poisson drive)",
  );
  // The default compensation rates are NEST's full_mean_rates.
  assert.deepEqual(microcircuitParams().fullMeanRatesHz, [...FULL_MEAN_RATES_NEST_HZ]);
});

Deno.test("full-scale DC drive equals bgRate · K_ext · w_ext · tau_syn (spec §4.2)", () => {
  assertAllClose(
    dcInput({ ...FULL, drive: "dc" }),
    [561.974, 526.851, 737.591, 667.345, 702.468, 667.345, 1018.579, 737.591],
    1e-3,
    "I_e (DC drive, full scale)",
  );
  // Full scale with Poisson drive: no DC at all.
  assert.deepEqual(dcInput(FULL), [0, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("scaled DC drive: unscaled DC amplitude plus only the recurrent compensation", () => {
  // Poisson-mode I_e = recurrent term + external term; DC-mode I_e = full DC + recurrent term.
  // So DC − Poisson = fullDC − (1 − sqrt(0.1)) · fullDC = sqrt(0.1) · fullDC.
  const fullDc = dcInput({ ...FULL, drive: "dc" });
  const poisson = dcInput();
  const dc = dcInput({ drive: "dc" });
  dc.forEach((v, i) =>
    assertClose(v - poisson[i], Math.sqrt(0.1) * fullDc[i], 1e-9, `I_e difference [${i}]`)
  );
});

Deno.test("thalamicDrive: S_th at full scale and scaled weights (spec §4.3)", () => {
  const full = thalamicDrive(FULL);
  assert.deepEqual(full.synapseCounts, [0, 0, 2045393, 315791, 0, 0, 682419, 52636]);
  assert.equal(full.neurons, 902);
  assert.equal(full.rateHz, 120);
  assert.equal(full.startMs, 700);
  assert.equal(full.stopMs, 710);
  assertClose(full.weight.mean, 87.8085, 1e-3, "thalamic weight");
  assertClose(full.weight.std, 8.78085, 1e-4, "thalamic weight std");
  assert.equal(full.weight.min, 0);
  assertClose(full.weight.max, 87.8085 * 1.3, 1e-3, "thalamic weight upper bound");
  assert.deepEqual(
    { mean: full.delay.mean, std: full.delay.std, min: full.delay.min, max: full.delay.max },
    { mean: 1.5, std: 0.75, min: 0.1, max: 3.75 },
  );
  // kScaling multiplies S_th (N_scaling does not); the weight is divided by sqrt(kScaling).
  const scaled = thalamicDrive({ nScaling: 0.5, kScaling: 0.1 });
  assert.deepEqual(scaled.synapseCounts, [0, 0, 204539, 31579, 0, 0, 68242, 5264]);
  assertClose(scaled.weight.mean, 277.675, 1e-3, "thalamic weight at kScaling 0.1");
});

// ---------------------------------------------------------------------------------------------
// Parameters

Deno.test("microcircuitParams: spec defaults; kScaling follows nScaling unless given", () => {
  const p = microcircuitParams();
  assert.equal(p.nScaling, 0.1);
  assert.equal(p.kScaling, 0.1);
  assert.equal(p.drive, "poisson");
  assert.equal(p.v0Type, "optimized");
  assert.equal(p.bgRateHz, 8);
  assert.equal(p.g, -4);
  assert.equal(p.pspExcMv, 0.15);
  assert.equal(p.weightRelStd, 0.1);
  assert.equal(p.delayExcMeanMs, 1.5);
  assert.equal(p.delayInhMeanMs, 0.75);
  assert.equal(p.delayRelStd, 0.5);
  assert.equal(p.resolutionMs, 0.1);
  assert.equal(p.seed, 55);
  assert.equal(p.record, true);
  assert.equal(p.thalamicInput, false);
  assert.equal(microcircuitParams({ nScaling: 0.5 }).kScaling, 0.5);
  assert.equal(microcircuitParams({ nScaling: 0.5, kScaling: 1 }).kScaling, 1);
  assert.equal(microcircuitParams({ kScaling: undefined }).kScaling, 0.1);
  // The result is a copy: mutating it leaves the defaults alone.
  (p.connProbs[0] as number[])[0] = 0.5;
  assert.equal(MICROCIRCUIT_DEFAULTS.connProbs[0][0], 0.1009);
});

const BAD_PARAMETERS: [string, Partial<MicrocircuitParams>, string][] = [
  ["nScaling = 0", { nScaling: 0 }, "nScaling"],
  ["nScaling < 0", { nScaling: -0.1 }, "nScaling"],
  ["nScaling NaN", { nScaling: NaN }, "nScaling"],
  ["nScaling > 1", { nScaling: 1.5 }, "nScaling"],
  ["nScaling too small to keep L5I", { nScaling: 0.0004 }, "nScaling"],
  ["kScaling = 0", { kScaling: 0 }, "kScaling"],
  ["kScaling Infinity", { kScaling: Infinity }, "kScaling"],
  ["drive unknown", { drive: "noise" as "dc" }, "drive"],
  ["v0Type unknown", { v0Type: "random" as "original" }, "v0Type"],
  ["bgRateHz < 0", { bgRateHz: -1 }, "bgRateHz"],
  ["g ≥ 0", { g: 4 }, "g"],
  ["pspExcMv = 0", { pspExcMv: 0 }, "pspExcMv"],
  ["weightRelStd < 0", { weightRelStd: -0.1 }, "weightRelStd"],
  ["delayExcMeanMs below h", { delayExcMeanMs: 0.05 }, "delayExcMeanMs"],
  ["delayInhMeanMs NaN", { delayInhMeanMs: NaN }, "delayInhMeanMs"],
  ["delayRelStd < 0", { delayRelStd: -1 }, "delayRelStd"],
  ["poissonDelayMs off-grid", { poissonDelayMs: 1.55 }, "poissonDelayMs"],
  ["connProbs not 8×8", { connProbs: [[0.1]] }, "connProbs"],
  [
    "connProbs entry = 1",
    { connProbs: CONNECTION_PROBABILITIES.map((r, i) => i === 3 ? [...r.slice(0, 7), 1] : r) },
    "connProbs[3][7]",
  ],
  ["fullMeanRatesHz wrong length", { fullMeanRatesHz: [1, 2] }, "fullMeanRatesHz"],
  [
    "fullMeanRatesHz negative",
    { fullMeanRatesHz: [1, 2, 3, 4, 5, -6, 7, 8] },
    "fullMeanRatesHz[5]",
  ],
  ["resolutionMs = 0", { resolutionMs: 0 }, "resolutionMs"],
  ["resolutionMs not dividing t_ref", { resolutionMs: 0.3 }, "resolutionMs"],
  ["seed not an integer", { seed: 1.5 }, "seed"],
  ["seed negative", { seed: -1 }, "seed"],
  ["record not boolean", { record: "yes" as unknown as boolean }, "record"],
  ["thalamicInput not boolean", { thalamicInput: 1 as unknown as boolean }, "thalamicInput"],
  ["thNeurons = 0", { thNeurons: 0 }, "thNeurons"],
  ["thRateHz < 0", { thRateHz: -120 }, "thRateHz"],
  ["thStartMs < 0", { thStartMs: -1 }, "thStartMs"],
  ["thDurationMs = 0", { thDurationMs: 0 }, "thDurationMs"],
  ["thConnProbs wrong length", { thConnProbs: [0.1] }, "thConnProbs"],
  ["pspThMv < 0", { pspThMv: -0.15 }, "pspThMv"],
  ["delayThMeanMs = 0", { delayThMeanMs: 0 }, "delayThMeanMs"],
  ["delayThRelStd NaN", { delayThRelStd: NaN }, "delayThRelStd"],
  ["unknown key", { nscaling: 0.1 } as unknown as Partial<MicrocircuitParams>, "nscaling"],
];

for (const [label, overrides, key] of BAD_PARAMETERS) {
  Deno.test(`microcircuitParams rejects ${label} with a ParameterError naming ${key}`, () => {
    assertParameterError(() => microcircuitParams(overrides), `microcircuit.${key}`, "expected");
    // Every public function validates its parameters the same way.
    assertParameterError(() => buildMicrocircuit(overrides), `microcircuit.${key}`);
  });
}

Deno.test("bad scaling messages state the allowed range", () => {
  assertParameterError(() => microcircuitParams({ nScaling: 0 }), "microcircuit.nScaling", ", 1]");
  assertParameterError(
    () => microcircuitParams({ kScaling: -1 }),
    "microcircuit.kScaling",
    "(0, 1]",
  );
  assertParameterError(
    () => microcircuitParams({ drive: "DC" as "dc" }),
    "microcircuit.drive",
    '"poisson", "dc"',
  );
});

// ---------------------------------------------------------------------------------------------
// Building

function build1pct(overrides: Partial<MicrocircuitParams> = {}): NetworkSpec {
  return buildMicrocircuit({ nScaling: 0.01, ...overrides }).network.spec();
}

Deno.test("buildMicrocircuit at nScaling 0.01: populations, sizes, drive, I_e, recording", () => {
  const { network, populations, params } = buildMicrocircuit({ nScaling: 0.01 });
  const spec = network.spec();
  assert.equal(spec.resolutionMs, 0.1);
  assert.equal(spec.seed, 55);
  assert.equal(params.kScaling, 0.01);
  assert.deepEqual(populations.map((p) => p.name), [...POPULATION_NAMES]);
  assert.deepEqual(spec.populations.map((p) => p.size), [207, 58, 219, 55, 48, 11, 144, 29]);
  assert.equal(spec.neuronCount, 771);
  const iE = dcInput({ nScaling: 0.01 });
  const wExt = 87.80849352920843 / Math.sqrt(0.01);
  spec.populations.forEach((pop, i) => {
    assert.equal(pop.recorded, true);
    assert.equal(pop.params.I_e, iE[i]);
    assert.equal(pop.params.C_m, 250);
    assert.equal(pop.params.tau_m, 10);
    assert.ok(pop.poisson, `${pop.name} has a Poisson drive`);
    // rate = bgRate · round(K_ext · 0.01): 8 · [16, 15, 21, 19, 20, 19, 29, 21]
    assert.equal(pop.poisson.rateHz, 8 * [16, 15, 21, 19, 20, 19, 29, 21][i]);
    assertClose(pop.poisson.weight, wExt, 1e-9, `${pop.name} Poisson weight`);
    assert.equal(pop.poisson.delayMs, 1.5);
    assert.equal(pop.v0.kind, "normal");
  });
  assert.deepEqual(
    spec.populations.map((p) => p.v0.kind === "normal" && [p.v0.mean, p.v0.std]),
    [
      [-68.28, 5.36],
      [-63.16, 4.57],
      [-63.33, 4.74],
      [-63.45, 4.94],
      [-63.11, 4.94],
      [-61.66, 4.55],
      [-66.72, 5.46],
      [-61.43, 4.48],
    ],
  );
});

Deno.test("buildMicrocircuit at nScaling 0.01: one fixed_total_number projection per S > 0", () => {
  const spec = build1pct();
  const counts = synapseCounts({ nScaling: 0.01 });
  // The 9 pairs with p = 0 give S = 0; every other pair has S ≥ 1 at this scale.
  const nonZero = counts.flat().filter((n) => n > 0).length;
  assert.equal(nonZero, 55);
  assert.equal(spec.projections.length, 55);
  for (const proj of spec.projections) {
    assert.equal(proj.rule.kind, "fixed_total_number");
    assert.equal(totalNumber(proj), counts[proj.post][proj.pre]);
    assert.equal(proj.rule.allowAutapses, true);
    assert.equal(proj.rule.allowMultapses, true);
  }
  // NEST loop order: targets outer, sources inner.
  const order = spec.projections.map((p) => p.post * 8 + p.pre);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
  // L23E←L23E: round(45499805.x · 1e-4) = 4550.
  assert.equal(totalNumber(spec.projections[0]), 4550);
});

Deno.test("buildMicrocircuit: NEST GPU weight and delay truncation bounds", () => {
  const spec = build1pct();
  const w = meanWeightMatrix({ nScaling: 0.01 });
  for (const proj of spec.projections) {
    const where = `${POPULATION_NAMES[proj.pre]}→${POPULATION_NAMES[proj.post]}`;
    assert.equal(proj.weight.kind, "normal", where);
    assert.equal(proj.delay.kind, "normal", where);
    if (proj.weight.kind !== "normal" || proj.delay.kind !== "normal") continue;
    const mean = w[proj.post][proj.pre];
    const sigma = Math.abs(mean) * 0.1;
    assert.equal(proj.weight.mean, mean, where);
    assertClose(proj.weight.std, sigma, 1e-9, `${where} weight std`);
    if (proj.pre % 2 === 0) {
      assert.ok(mean > 0, where);
      assert.equal(proj.weight.min, 0, where);
      assertClose(proj.weight.max, mean + 3 * sigma, 1e-9, `${where} weight max`);
    } else {
      assert.ok(mean < 0, where);
      assertClose(proj.weight.min, mean - 3 * sigma, 1e-9, `${where} weight min`);
      assert.equal(proj.weight.max, 0, where);
    }
    const dMean = proj.pre % 2 === 0 ? 1.5 : 0.75;
    assert.equal(proj.delay.mean, dMean, where);
    assert.equal(proj.delay.std, dMean * 0.5, where);
    assert.equal(proj.delay.min, 0.1, where);
    assertClose(proj.delay.max, dMean * 2.5, 1e-12, `${where} delay max`);
  }
  // L4E→L23E carries the doubled weight: 2 · 87.8085 / sqrt(0.01).
  const l4eToL23e = spec.projections.find((p) => p.pre === 2 && p.post === 0);
  assert.ok(l4eToL23e && l4eToL23e.weight.kind === "normal");
  assertClose(l4eToL23e.weight.mean, 1756.1699, 1e-3, "L4E→L23E weight");
});

Deno.test("buildMicrocircuit skips pairs whose scaled S rounds to 0", () => {
  // At nScaling 0.001: L4E←L5I = round(7003.x · 1e-6) = 0 besides the 9 pairs with p = 0.
  const counts = synapseCounts({ nScaling: 0.001 });
  assert.equal(counts[2][5], 0);
  const spec = buildMicrocircuit({ nScaling: 0.001 }).network.spec();
  assert.equal(spec.projections.length, counts.flat().filter((n) => n > 0).length);
  assert.ok(spec.projections.every((p) => totalNumber(p) > 0));
  assert.ok(!spec.projections.some((p) => p.pre === 5 && p.post === 2));
});

Deno.test("buildMicrocircuit with DC drive: no Poisson, I_e = DC amplitude + compensation", () => {
  const spec = build1pct({ drive: "dc" });
  const iE = dcInput({ nScaling: 0.01, drive: "dc" });
  spec.populations.forEach((pop, i) => {
    assert.equal(pop.poisson, null);
    assert.equal(pop.params.I_e, iE[i]);
  });
  const full = buildMicrocircuit({ ...FULL, drive: "dc", record: false }).network.spec();
  assertAllClose(
    full.populations.map((p) => p.params.I_e),
    [561.974, 526.851, 737.591, 667.345, 702.468, 667.345, 1018.579, 737.591],
    1e-3,
    "full-scale DC I_e",
  );
});

Deno.test("buildMicrocircuit: original V0, record false, seed and resolution pass through", () => {
  const spec = build1pct({ v0Type: "original", record: false, seed: 12349, resolutionMs: 0.05 });
  assert.equal(spec.seed, 12349);
  assert.equal(spec.resolutionMs, 0.05);
  for (const pop of spec.populations) {
    assert.equal(pop.recorded, false);
    assert.deepEqual(pop.v0, { kind: "normal", mean: -58, std: 10, min: -Infinity, max: Infinity });
  }
  assert.ok(spec.projections.every((p) => p.delay.kind === "normal" && p.delay.min === 0.05));
});

Deno.test("buildMicrocircuit rejects thalamicInput until the engine supports it", () => {
  assertParameterError(
    () => buildMicrocircuit({ thalamicInput: true }),
    "microcircuit.thalamicInput",
    "thalamicInput is not supported by the engine yet",
  );
  // The parameter computation itself works.
  assert.equal(thalamicDrive({ thalamicInput: true }).synapseCounts[2], 204539);
});

// ---------------------------------------------------------------------------------------------
// Constants for reports

Deno.test("reference rate vectors of spec §7.1 (row 1) and §7.2", () => {
  assert.deepEqual(
    [...REFERENCE_RATES_FULL_SCALE_HZ],
    [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829],
  );
  assert.deepEqual(
    [...REFERENCE_10PCT_NEST.meanHz],
    [0.402, 2.017, 3.88, 4.958, 6.575, 7.726, 0.831, 6.986],
  );
  assert.equal(REFERENCE_10PCT_NEST.neurons.length, 8);
  assert.equal(REFERENCE_10PCT_NEST.stdHz.length, 8);
  assert.equal(REFERENCE_10PCT_NEST.silentFraction.length, 8);
});

Deno.test("MICROCIRCUIT_NOTES states the NEST GPU truncation variant", () => {
  assert.ok(MICROCIRCUIT_NOTES.includes("NEST GPU"));
  assert.ok(MICROCIRCUIT_NOTES.includes("[0, w̄ + 3σ]"));
  assert.ok(MICROCIRCUIT_NOTES.includes("[w̄ − 3σ, 0]"));
  assert.ok(MICROCIRCUIT_NOTES.includes("[h, mean + 3σ]"));
  assert.ok(MICROCIRCUIT_NOTES.includes("Thalamic"));
});

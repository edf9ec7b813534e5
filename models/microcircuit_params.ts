/**
 * Parameter tables and the validated parameter object of the Potjans & Diesmann (2014) cortical
 * microcircuit, as the NEST and NEST GPU examples define it (docs/specs/microcircuit.md).
 *
 * Every table is indexed by population in the order of `POPULATION_NAMES`; matrices are
 * `[target][source]`.
 *
 * @module
 */
import { ParameterError } from "../engine/errors.ts";
import { IAF_PSC_EXP_DEFAULTS } from "../engine/iaf_psc_exp.ts";

/** Population names in the order used by every table (spec §1.1). Even = exc, odd = inh. */
export const POPULATION_NAMES: readonly string[] = Object.freeze([
  "L23E",
  "L23I",
  "L4E",
  "L4I",
  "L5E",
  "L5I",
  "L6E",
  "L6I",
]);

/** Number of populations (8). */
export const POPULATION_COUNT = 8;

/** Whether population `i` is excitatory (true) or inhibitory (false). */
export const EXCITATORY: readonly boolean[] = Object.freeze(
  POPULATION_NAMES.map((_, i) => i % 2 === 0),
);

/** Full-scale population sizes N (spec §1.1); 77 169 neurons in total. */
export const FULL_POPULATION_SIZES: readonly number[] = Object.freeze([
  20683,
  5834,
  21915,
  5479,
  4850,
  1065,
  14395,
  2948,
]);

/** Full-scale external (Poisson) in-degrees K_ext (spec §1.1). */
export const FULL_EXTERNAL_INDEGREES: readonly number[] = Object.freeze([
  1600,
  1500,
  2100,
  1900,
  2000,
  1900,
  2900,
  2100,
]);

/** Connection probabilities `p[target][source]` (spec §1.2). */
export const CONNECTION_PROBABILITIES: readonly (readonly number[])[] = Object.freeze([
  Object.freeze([0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0]),
  Object.freeze([0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0]),
  Object.freeze([0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0]),
  Object.freeze([0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0]),
  Object.freeze([0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0]),
  Object.freeze([0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0]),
  Object.freeze([0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252]),
  Object.freeze([0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]),
]);

/** Mean initial membrane potential per population for `v0Type: "optimized"` (mV, §1.1). */
export const V0_OPTIMIZED_MEAN_MV: readonly number[] = Object.freeze([
  -68.28,
  -63.16,
  -63.33,
  -63.45,
  -63.11,
  -61.66,
  -66.72,
  -61.43,
]);

/** Std of the initial membrane potential per population for `v0Type: "optimized"` (mV). */
export const V0_OPTIMIZED_STD_MV: readonly number[] = Object.freeze([
  5.36,
  4.57,
  4.74,
  4.94,
  4.94,
  4.55,
  5.46,
  4.48,
]);

/** Mean and std of the initial membrane potential for `v0Type: "original"` (mV, §3.5). */
export const V0_ORIGINAL_MV: Readonly<{ mean: number; std: number }> = Object.freeze({
  mean: -58.0,
  std: 10.0,
});

/**
 * Full-scale mean rates of the PyNEST example, NEST 3.x (`full_mean_rates`, Hz); the default
 * rates of the DC compensation (§5) and the row-1 reference of §7.1.
 */
export const FULL_MEAN_RATES_NEST_HZ: readonly number[] = Object.freeze([
  0.903,
  2.965,
  4.414,
  5.876,
  7.569,
  8.633,
  1.105,
  7.829,
]);

/** Full-scale mean rates copied into the NEST GPU example (`full_mean_rates`, Hz; §5). */
export const FULL_MEAN_RATES_NEST_GPU_HZ: readonly number[] = Object.freeze([
  0.943,
  3.026,
  4.368,
  5.882,
  7.733,
  8.664,
  1.096,
  7.851,
]);

/** Full-scale reference mean rates (Hz): spec §7.1 row 1 (PyNEST example, NEST 3.x). */
export const REFERENCE_RATES_FULL_SCALE_HZ: readonly number[] = FULL_MEAN_RATES_NEST_HZ;

/** A per-population summary of a reference run. */
export interface PopulationRateReference {
  /** Neurons per population in that run. */
  readonly neurons: readonly number[];
  /** Population mean rate over all neurons (Hz). */
  readonly meanHz: readonly number[];
  /** Std of the per-neuron rates across the population (Hz). */
  readonly stdHz: readonly number[];
  /** Fraction of neurons without a spike in the window. */
  readonly silentFraction: readonly number[];
}

/**
 * The 10 % scale reference of spec §7.2 (NEST example defaults, N_scaling = K_scaling = 0.1,
 * 1000 ms, seed 55; a single noisy run).
 */
export const REFERENCE_10PCT_NEST: PopulationRateReference = Object.freeze({
  neurons: Object.freeze([2068, 583, 2192, 548, 485, 106, 1440, 295]),
  meanHz: Object.freeze([0.402, 2.017, 3.88, 4.958, 6.575, 7.726, 0.831, 6.986]),
  stdHz: Object.freeze([0.716, 1.794, 2.723, 3.578, 4.215, 3.987, 1.197, 4.035]),
  silentFraction: Object.freeze([0.701, 0.22, 0.057, 0.053, 0.041, 0.019, 0.535, 0.017]),
});

/** Thalamus → population connection probabilities (spec §4.3). */
export const THALAMIC_CONNECTION_PROBABILITIES: readonly number[] = Object.freeze([
  0.0,
  0.0,
  0.0983,
  0.0619,
  0.0,
  0.0,
  0.0512,
  0.0196,
]);

/** How the background input is delivered (spec §4.1 / §4.2). */
export type MicrocircuitDrive = "poisson" | "dc";

/** Which initial membrane potentials to draw (spec §3.5). */
export type MicrocircuitV0Type = "optimized" | "original";

/** Parameters of the microcircuit; see `microcircuitParams` for defaults and ranges. */
export interface MicrocircuitParams {
  /** Scaling of the population sizes, in (0, 1]; default 0.1. */
  nScaling: number;
  /** Scaling of the in-degrees, in (0, 1]; default equal to `nScaling`. */
  kScaling: number;
  /** Background input: an independent Poisson train per neuron, or its mean as DC; "poisson". */
  drive: MicrocircuitDrive;
  /** Initial membrane potentials: per-population "optimized" or the "original" N(−58, 10). */
  v0Type: MicrocircuitV0Type;
  /** Rate of one external input (Hz); default 8. */
  bgRateHz: number;
  /** Relative strength of inhibition (PSP_inh = g · PSP_exc), < 0; default −4. */
  g: number;
  /** Mean excitatory PSP amplitude (mV), > 0; default 0.15 (also the external PSP). */
  pspExcMv: number;
  /** Relative std of the recurrent (and thalamic) weights, ≥ 0; default 0.1. */
  weightRelStd: number;
  /** Mean delay of connections from excitatory sources (ms); default 1.5. */
  delayExcMeanMs: number;
  /** Mean delay of connections from inhibitory sources (ms); default 0.75. */
  delayInhMeanMs: number;
  /** Relative std of the recurrent delays, ≥ 0; default 0.5. */
  delayRelStd: number;
  /** Delay of the Poisson background (ms), a multiple of the resolution; default 1.5. */
  poissonDelayMs: number;
  /** Connection probabilities `[target][source]`, 8×8 in [0, 1); default spec §1.2. */
  connProbs: readonly (readonly number[])[];
  /** Full-scale rates used by the DC compensation when kScaling < 1 (Hz); default NEST's. */
  fullMeanRatesHz: readonly number[];
  /** Simulation step h (ms); default 0.1. */
  resolutionMs: number;
  /** Master seed, an integer in [0, 2^32 − 1]; default 55. */
  seed: number;
  /** Record the spikes of every population; default true. */
  record: boolean;
  /** Add the thalamic pulse of spec §4.3; default false (not buildable yet, see notes). */
  thalamicInput: boolean;
  /** Number of thalamic relay units (not scaled); default 902. */
  thNeurons: number;
  /** Rate of each thalamic unit while active (Hz); default 120. */
  thRateHz: number;
  /** Start of the thalamic window (ms); units fire in (start, start + duration]; default 700. */
  thStartMs: number;
  /** Duration of the thalamic window (ms); default 10. */
  thDurationMs: number;
  /** Thalamus → population connection probabilities, 8 values in [0, 1). */
  thConnProbs: readonly number[];
  /** Mean thalamic PSP amplitude (mV); default 0.15. */
  pspThMv: number;
  /** Mean thalamic delay (ms); default 1.5. */
  delayThMeanMs: number;
  /** Relative std of the thalamic delays; default 0.5. */
  delayThRelStd: number;
}

/** The defaults (spec §1–§6, NEST example); `kScaling` follows `nScaling` unless given. */
export const MICROCIRCUIT_DEFAULTS: Readonly<MicrocircuitParams> = Object.freeze(
  {
    nScaling: 0.1,
    kScaling: 0.1,
    drive: "poisson",
    v0Type: "optimized",
    bgRateHz: 8.0,
    g: -4.0,
    pspExcMv: 0.15,
    weightRelStd: 0.1,
    delayExcMeanMs: 1.5,
    delayInhMeanMs: 0.75,
    delayRelStd: 0.5,
    poissonDelayMs: 1.5,
    connProbs: CONNECTION_PROBABILITIES,
    fullMeanRatesHz: FULL_MEAN_RATES_NEST_HZ,
    resolutionMs: 0.1,
    seed: 55,
    record: true,
    thalamicInput: false,
    thNeurons: 902,
    thRateHz: 120.0,
    thStartMs: 700.0,
    thDurationMs: 10.0,
    thConnProbs: THALAMIC_CONNECTION_PROBABILITIES,
    pspThMv: 0.15,
    delayThMeanMs: 1.5,
    delayThRelStd: 0.5,
  } satisfies MicrocircuitParams,
);

/**
 * Returns a validated parameter set: the defaults with `overrides` applied (keys whose value is
 * `undefined` count as not given). `kScaling` defaults to the (overridden) `nScaling`.
 *
 * Throws a ParameterError naming `microcircuit.<key>` and the allowed range for an unknown key
 * or an invalid value.
 */
export function microcircuitParams(
  overrides: Partial<MicrocircuitParams> = {},
): MicrocircuitParams {
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw new ParameterError("microcircuit", overrides, "an object of parameter overrides");
  }
  const given: Partial<MicrocircuitParams> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in MICROCIRCUIT_DEFAULTS)) {
      throw new ParameterError(
        `microcircuit.${key}`,
        key,
        `one of ${Object.keys(MICROCIRCUIT_DEFAULTS).join(", ")}`,
      );
    }
    if (value !== undefined) (given as Record<string, unknown>)[key] = value;
  }
  const p: MicrocircuitParams = {
    ...MICROCIRCUIT_DEFAULTS,
    kScaling: given.nScaling ?? MICROCIRCUIT_DEFAULTS.kScaling,
    ...given,
  };
  validateMicrocircuitParams(p);
  return {
    ...p,
    connProbs: p.connProbs.map((row) => [...row]),
    fullMeanRatesHz: [...p.fullMeanRatesHz],
    thConnProbs: [...p.thConnProbs],
  };
}

function fail(key: string, value: unknown, expected: string): never {
  throw new ParameterError(`microcircuit.${key}`, value, expected);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function requireInRange(
  key: string,
  value: unknown,
  test: (v: number) => boolean,
  expected: string,
): void {
  if (!isFiniteNumber(value) || !test(value)) fail(key, value, expected);
}

function requireOneOf(key: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    fail(key, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
}

function requireBoolean(key: string, value: unknown): void {
  if (typeof value !== "boolean") fail(key, value, "true or false");
}

function requireProbabilities(key: string, value: unknown, length: number): void {
  const expected = `${length} probabilities in [0, 1)`;
  if (!Array.isArray(value) || value.length !== length) fail(key, value, expected);
  value.forEach((v, i) => {
    if (!isFiniteNumber(v) || v < 0 || v >= 1) fail(`${key}[${i}]`, v, "a probability in [0, 1)");
  });
}

function isMultipleOf(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) <= 1e-6 * Math.max(1, n);
}

/** Throws a ParameterError naming the first invalid field of a complete parameter set. */
export function validateMicrocircuitParams(p: MicrocircuitParams): void {
  // Scaling: every population must keep at least one neuron. round-half-to-even(N·n) ≥ 1
  // exactly when the float64 product N·n > 0.5.
  const smallest = Math.min(...FULL_POPULATION_SIZES);
  requireInRange(
    "nScaling",
    p.nScaling,
    (v) => v <= 1 && FULL_POPULATION_SIZES.every((n) => n * v > 0.5),
    `a number in (${0.5 / smallest}, 1] (every population keeps ≥ 1 neuron: ` +
      `round(${smallest}·nScaling) ≥ 1)`,
  );
  requireInRange("kScaling", p.kScaling, (v) => v > 0 && v <= 1, "a number in (0, 1]");
  requireOneOf("drive", p.drive, ["poisson", "dc"]);
  requireOneOf("v0Type", p.v0Type, ["optimized", "original"]);
  requireInRange("bgRateHz", p.bgRateHz, (v) => v >= 0, "a finite rate ≥ 0 Hz");
  requireInRange("g", p.g, (v) => v < 0, "a finite number < 0 (inhibitory PSPs are negative)");
  requireInRange("pspExcMv", p.pspExcMv, (v) => v > 0, "a finite PSP > 0 mV");
  requireInRange("weightRelStd", p.weightRelStd, (v) => v >= 0, "a finite number ≥ 0");

  const tRef = IAF_PSC_EXP_DEFAULTS.t_ref;
  requireInRange(
    "resolutionMs",
    p.resolutionMs,
    (v) => v > 0 && v <= tRef && isMultipleOf(tRef, v),
    `a step in (0, ${tRef}] ms that divides t_ref = ${tRef} ms`,
  );
  const h = p.resolutionMs;
  const atLeastStep = `a finite delay ≥ the resolution (${h} ms)`;
  requireInRange("delayExcMeanMs", p.delayExcMeanMs, (v) => v >= h, atLeastStep);
  requireInRange("delayInhMeanMs", p.delayInhMeanMs, (v) => v >= h, atLeastStep);
  requireInRange("delayRelStd", p.delayRelStd, (v) => v >= 0, "a finite number ≥ 0");
  requireInRange(
    "poissonDelayMs",
    p.poissonDelayMs,
    (v) => v >= h && isMultipleOf(v, h),
    `a multiple of the resolution (${h} ms), at least one step`,
  );

  if (!Array.isArray(p.connProbs) || p.connProbs.length !== POPULATION_COUNT) {
    fail("connProbs", p.connProbs, "an 8×8 matrix [target][source] of probabilities in [0, 1)");
  }
  p.connProbs.forEach((row, i) => requireProbabilities(`connProbs[${i}]`, row, POPULATION_COUNT));
  if (!Array.isArray(p.fullMeanRatesHz) || p.fullMeanRatesHz.length !== POPULATION_COUNT) {
    fail("fullMeanRatesHz", p.fullMeanRatesHz, "8 finite rates ≥ 0 Hz");
  }
  p.fullMeanRatesHz.forEach((v, i) =>
    requireInRange(`fullMeanRatesHz[${i}]`, v, (x) => x >= 0, "a finite rate ≥ 0 Hz")
  );

  requireInRange(
    "seed",
    p.seed,
    (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff,
    "an integer in [0, 4294967295]",
  );
  requireBoolean("record", p.record);
  requireBoolean("thalamicInput", p.thalamicInput);

  requireInRange(
    "thNeurons",
    p.thNeurons,
    (v) => Number.isInteger(v) && v >= 1,
    "an integer ≥ 1",
  );
  requireInRange("thRateHz", p.thRateHz, (v) => v >= 0, "a finite rate ≥ 0 Hz");
  requireInRange("thStartMs", p.thStartMs, (v) => v >= 0, "a finite time ≥ 0 ms");
  requireInRange("thDurationMs", p.thDurationMs, (v) => v > 0, "a finite duration > 0 ms");
  requireProbabilities("thConnProbs", p.thConnProbs, POPULATION_COUNT);
  requireInRange("pspThMv", p.pspThMv, (v) => v > 0, "a finite PSP > 0 mV");
  requireInRange("delayThMeanMs", p.delayThMeanMs, (v) => v >= h, atLeastStep);
  requireInRange("delayThRelStd", p.delayThRelStd, (v) => v >= 0, "a finite number ≥ 0");
}

/**
 * Validated parameters of the structural-plasticity (stabilization + rewiring) model of
 * Tiddia, Sergi & Golosio, Phys. Rev. E 110:044311 (2024), `docs/specs/rewiring.md` §1–§3:
 * the theory parameters of `validation/rewiring_theory.ts` plus what only a simulation needs
 * (population sizes, number of training and test patterns, seed, handling of negative noisy
 * rates), and the constants derived from them once (rate thresholds as RNG words, lognormal
 * μ_ln and σ_ln, the in-degree reserve).
 *
 * @module
 */

import { ParameterError, requireInteger } from "../engine/errors.ts";
import {
  DEFAULT_REWIRING_PARAMS,
  rateConstants,
  resolveRewiringParams,
  type RewiringParams,
} from "../validation/rewiring_theory.ts";

/**
 * Test-time handling of a noisy rate that came out negative (`corr_neg_rate`, spec §3):
 * "keep" (0, default), "redraw" (1: redraw δ until r1 + δ ≥ 0), "saturate" (2: set to 0).
 */
export type NegativeRateHandling = "keep" | "redraw" | "saturate";

/** Everything a simulation of the model needs (spec §1.2); rates Hz, weights pA. */
export interface RewiringModelParams extends RewiringParams {
  /** N1: size of population 1 (input layer), an integer ≥ 1. Default 100 000. */
  populationSize1: number;
  /** N2: size of population 2 (output layer), an integer ≥ 1. Default 100 000. */
  populationSize2: number;
  /** T: number of training patterns, an integer ≥ 1. Default 1000. */
  trainingPatterns: number;
  /** n_test: number of tested patterns, an integer in [1, T]. Default 1000 (capped at T). */
  testPatterns: number;
  /** Seed of every random number (the first Philox key word), an integer in [0, 2^32). */
  seed: number;
  /** Handling of negative noisy rates at test time (spec §3). Default "keep". */
  negativeRates: NegativeRateHandling;
  /**
   * Test-time background sampling: the statistics of the background set use the background
   * neurons i with (i + o_m) mod stride = 0, o_m a random offset per tested pattern. 1 (the
   * default) is the spec's definition (every background neuron); larger strides trade
   * precision of σ_b² for speed (the coding set is always complete).
   */
  backgroundStride: number;
}

/** Defaults: spec §1.2 (`model/params.dat`), seed 0, complete background. */
export const DEFAULT_REWIRING_MODEL_PARAMS: Readonly<RewiringModelParams> = Object.freeze({
  ...DEFAULT_REWIRING_PARAMS,
  populationSize1: 100_000,
  populationSize2: 100_000,
  trainingPatterns: 1000,
  testPatterns: 1000,
  seed: 0,
  negativeRates: "keep",
  backgroundStride: 1,
});

/** The configuration of spec §6 for CI (theory there assumes no noise; T is set per test). */
export const CI_REWIRING_PARAMS: Readonly<Partial<RewiringModelParams>> = Object.freeze({
  populationSize1: 20_000,
  populationSize2: 20_000,
  inDegree: 1000,
  alpha1: 5e-3,
  alpha2: 5e-3,
  noiseSigma: 0,
  rewiringPeriod: 100,
  testPatterns: 200,
});

/** Constants derived from the parameters (spec §1.3, §1.5), computed once per model. */
export interface RewiringDerived {
  /** C_reserve = round(C + 10·√C): the capacity of a neuron's connection list (spec §1.5). */
  reserve: number;
  /**
   * A population-p neuron is high-rate for a pattern iff its rate word w ≥ highWord[p−1]
   * (equivalently u = (w + ½)/2^32 > 1 − α_p, i.e. r > r_t for the monotone quantile map).
   */
  highWord: [number, number];
  /** r_t of populations 1 and 2 (Hz). */
  threshold: [number, number];
  /** ν̄ of populations 1 and 2 (Hz). */
  meanRate: [number, number];
  /** μ_ln, σ_ln of populations 1 and 2 (lognormal rates only; zeros otherwise). */
  lognormal: [{ mu: number; sigma: number }, { mu: number; sigma: number }];
}

/** Rounded in-degree C (fixed in-degree rule) and the reserve, spec §1.5. */
function reserveOf(inDegree: number): number {
  return Math.round(inDegree + 10 * Math.sqrt(inDegree));
}

/** The largest n_test (and T) accepted: counters and indices stay exact u32 values. */
const MAX_PATTERNS = 2 ** 31;

/**
 * Fills in the defaults and checks every parameter; throws a {@linkcode ParameterError}
 * naming the first bad one and its allowed range.
 *
 * @param options any subset of the parameters
 */
export function resolveRewiringModelParams(
  options: Partial<RewiringModelParams> = {},
): RewiringModelParams {
  const known = Object.keys(DEFAULT_REWIRING_MODEL_PARAMS);
  const theoryOptions: Partial<RewiringParams> = {};
  const p: RewiringModelParams = { ...DEFAULT_REWIRING_MODEL_PARAMS };
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      throw new ParameterError(name, value, `no such parameter; known: ${known.join(", ")}`);
    }
    if (value === undefined) continue;
    (p as unknown as Record<string, unknown>)[name] = value;
    if (name in DEFAULT_REWIRING_PARAMS) {
      (theoryOptions as Record<string, unknown>)[name] = value;
    }
  }
  Object.assign(p, resolveRewiringParams(theoryOptions));
  requireInteger("populationSize1", p.populationSize1, { min: 1, max: 2 ** 30 });
  requireInteger("populationSize2", p.populationSize2, { min: 1, max: 2 ** 30 });
  requireInteger("trainingPatterns", p.trainingPatterns, { min: 1, max: MAX_PATTERNS });
  if (options.testPatterns === undefined) {
    p.testPatterns = Math.min(p.testPatterns, p.trainingPatterns);
  }
  requireInteger("testPatterns", p.testPatterns, { min: 1, max: p.trainingPatterns });
  requireInteger("seed", p.seed, { min: 0, max: 0xffffffff });
  if (!["keep", "redraw", "saturate"].includes(p.negativeRates)) {
    throw new ParameterError("negativeRates", p.negativeRates, '"keep", "redraw" or "saturate"');
  }
  requireInteger("backgroundStride", p.backgroundStride, { min: 1, max: 2 ** 30 });
  if (p.inDegreeRule === "fixed_indegree" && !Number.isInteger(p.inDegree)) {
    throw new ParameterError("inDegree", p.inDegree, "an integer for the fixed in-degree rule");
  }
  const reserve = reserveOf(p.inDegree);
  if (p.populationSize2 * reserve > 2 ** 32) {
    throw new ParameterError(
      "populationSize2",
      p.populationSize2,
      `N2·C_reserve ≤ 2^32 connection slots (C_reserve = ${reserve})`,
    );
  }
  return p;
}

/**
 * The constants of spec §1.3/§1.5 for resolved parameters (see {@linkcode RewiringDerived}).
 *
 * @param params resolved parameters ({@linkcode resolveRewiringModelParams})
 */
export function rewiringDerived(params: RewiringModelParams): RewiringDerived {
  const theory: Partial<RewiringParams> = {};
  for (const name of Object.keys(DEFAULT_REWIRING_PARAMS) as (keyof RewiringParams)[]) {
    (theory as Record<string, unknown>)[name] = params[name];
  }
  const one = rateConstants(1, theory);
  const two = rateConstants(2, theory);
  // u = (w + ½)/2^32 > β ⇔ w > β·2^32 − ½ ⇔ w ≥ floor(β·2^32 − ½) + 1.
  const highWord = (alpha: number) => Math.floor((1 - alpha) * 2 ** 32 - 0.5) + 1;
  return {
    reserve: reserveOf(params.inDegree),
    highWord: [highWord(params.alpha1), highWord(params.alpha2)],
    threshold: [one.threshold, two.threshold],
    meanRate: [one.mean, two.mean],
    lognormal: [
      one.lognormal ?? { mu: 0, sigma: 0 },
      two.lognormal ?? { mu: 0, sigma: 0 },
    ],
  };
}

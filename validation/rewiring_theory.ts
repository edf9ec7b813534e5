/**
 * Mean-field theory of learning through structural plasticity (stabilization + rewiring) in
 * the rate-based two-population model of Tiddia, Sergi & Golosio, Phys. Rev. E 110:044311
 * (2024): the mean input of background and coding neurons, the background variance, the
 * signal-difference-to-noise ratio (SDNR) and the memory capacity. Every formula is
 * transcribed from `docs/specs/rewiring.md` (§1.3 rate constants, §3 derived metrics, §4
 * theory), which in turn follows the authors' `evalTheoreticalValues` and
 * `plot/plot_sim_th_comparison.py::get_th_set`; each carries a comment naming its equation.
 *
 * Independent of the engine: plain float64 arithmetic, no GPU. Units: rates in Hz, weights in
 * pA, input signals S in pA·Hz, variances in (pA·Hz)².
 *
 * @example
 * ```ts
 * import { memoryCapacity, rewiringTheory } from "./validation/rewiring_theory.ts";
 * const point = rewiringTheory(20_000, { noiseSigma: 0 }); // defaults of spec §1.2 otherwise
 * console.log(point.sdnr); // 3.993
 * console.log(memoryCapacity({ noiseSigma: 0 }).crossing); // ≈ 31 800 patterns
 * ```
 *
 * @module
 */

import { ParameterError, requireFinite, requireInteger } from "../engine/errors.ts";
import { normalCdf, normalPdf, normalQuantile } from "../engine/sampling.ts";

/** How the rate of a neuron for a pattern is drawn (spec §1.3, `lognormal_rate`). */
export type RateDistribution = "lognormal" | "discrete";

/**
 * How many connections a population-2 neuron receives (spec §1.5, `connection_rule` 0 / 1).
 * The theory of spec §4 has σ_b² formulas for these two rules only.
 */
export type InDegreeRule = "poisson_indegree" | "fixed_indegree";

/** Parameters of the theory (spec §1.2); population sizes do not enter (the theory assumes N ≫ C). */
export interface RewiringParams {
  /** C: mean in-degree of a population-2 neuron (> 0). Default 5000. */
  inDegree: number;
  /** α1: probability that a population-1 neuron is high-rate for a pattern, in (0, 1). Default 1e-3. */
  alpha1: number;
  /** α2: the same for population 2, in (0, 1). Default 1e-3. */
  alpha2: number;
  /** ν_l,1: mean rate of low-rate population-1 neurons (Hz). Default 2. */
  nuLow1: number;
  /** ν_h,1: mean rate of high-rate population-1 neurons (Hz), > ν_l,1. Default 50. */
  nuHigh1: number;
  /** ν_l,2: mean rate of low-rate population-2 neurons (Hz). Default 2. */
  nuLow2: number;
  /** ν_h,2: mean rate of high-rate population-2 neurons (Hz), > ν_l,2. Default 50. */
  nuHigh2: number;
  /** Continuous lognormal rates (default) or two-valued discrete rates. */
  rates: RateDistribution;
  /** Poisson in-degree (default) or fixed in-degree. */
  inDegreeRule: InDegreeRule;
  /** W_b: weight of a non-stabilized connection (pA, ≥ 0). Default 0.1. */
  weightBaseline: number;
  /** W_s: weight of a stabilized connection (pA, > W_b). Default 1. */
  weightStabilized: number;
  /** r: rewiring period in training patterns; 0 = no rewiring. Default 100. */
  rewiringPeriod: number;
  /**
   * σ_n: standard deviation of the test-time rate noise (Hz); 0 = no noise (noise_flag 0).
   * Default 1, the file default of spec §1.2 — pass 0 for the "no noise" sets.
   */
  noiseSigma: number;
  /** β: the noise is redrawn until |δ| ≤ β·σ_n (max_noise_dev, > 0). Default 2. */
  noiseMaxDeviation: number;
}

/** The defaults of spec §1.2 (`model/params.dat`). Note that they include 1 Hz test noise. */
export const DEFAULT_REWIRING_PARAMS: Readonly<RewiringParams> = Object.freeze({
  inDegree: 5000,
  alpha1: 1e-3,
  alpha2: 1e-3,
  nuLow1: 2.0,
  nuHigh1: 50.0,
  nuLow2: 2.0,
  nuHigh2: 50.0,
  rates: "lognormal",
  inDegreeRule: "poisson_indegree",
  weightBaseline: 0.1,
  weightStabilized: 1.0,
  rewiringPeriod: 100,
  noiseSigma: 1.0,
  noiseMaxDeviation: 2.0,
});

/** Probability of correct classification that defines the memory capacity (spec §3). */
export const DEFAULT_PROBABILITY_CORRECT = 0.95;

function requireOpenUnit(parameter: string, value: unknown): number {
  const v = requireFinite(parameter, value);
  if (!(v > 0 && v < 1)) throw new ParameterError(parameter, value, "a number in (0, 1)");
  return v;
}

/** Requires value > bound; `boundName` names a bound that is another parameter. */
function requireAbove(parameter: string, value: unknown, bound: number, boundName?: string) {
  const v = requireFinite(parameter, value);
  if (!(v > bound)) {
    const what = boundName === undefined ? `${bound}` : `${boundName} (= ${bound})`;
    throw new ParameterError(parameter, value, `a finite number > ${what}`);
  }
  return v;
}

function requireAtLeast(parameter: string, value: unknown, bound: number): number {
  const v = requireFinite(parameter, value);
  if (!(v >= bound)) throw new ParameterError(parameter, value, `a finite number ≥ ${bound}`);
  return v;
}

/**
 * Fills in the defaults of spec §1.2 and checks every parameter; throws a
 * {@linkcode ParameterError} naming the first bad parameter and its allowed range.
 *
 * @param options any subset of the parameters
 */
export function resolveRewiringParams(options: Partial<RewiringParams> = {}): RewiringParams {
  const p: RewiringParams = { ...DEFAULT_REWIRING_PARAMS };
  const known = Object.keys(DEFAULT_REWIRING_PARAMS);
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      throw new ParameterError(name, value, `no such parameter; known: ${known.join(", ")}`);
    }
    // An explicit undefined means "the default", as an absent key.
    if (value !== undefined) (p as unknown as Record<string, unknown>)[name] = value;
  }
  requireAbove("inDegree", p.inDegree, 0);
  requireOpenUnit("alpha1", p.alpha1);
  requireOpenUnit("alpha2", p.alpha2);
  if (p.rates !== "lognormal" && p.rates !== "discrete") {
    throw new ParameterError("rates", p.rates, '"lognormal" or "discrete"');
  }
  // Lognormal rates need ν_l > 0 (σ_ln contains Φ⁻¹(β·ν_l/ν̄)); discrete rates allow ν_l = 0.
  for (const population of [1, 2] as const) {
    const low = `nuLow${population}` as const;
    const high = `nuHigh${population}` as const;
    if (p.rates === "lognormal") requireAbove(low, p[low], 0);
    else requireAtLeast(low, p[low], 0);
    requireAbove(high, p[high], p[low], low);
  }
  if (p.inDegreeRule !== "poisson_indegree" && p.inDegreeRule !== "fixed_indegree") {
    throw new ParameterError(
      "inDegreeRule",
      p.inDegreeRule,
      '"poisson_indegree" or "fixed_indegree" (spec §4 has no σ_b² for the total-number rules)',
    );
  }
  requireAtLeast("weightBaseline", p.weightBaseline, 0);
  requireAbove("weightStabilized", p.weightStabilized, p.weightBaseline, "weightBaseline");
  requireInteger("rewiringPeriod", p.rewiringPeriod, { min: 0 });
  requireAtLeast("noiseSigma", p.noiseSigma, 0);
  requireAbove("noiseMaxDeviation", p.noiseMaxDeviation, 0);
  return p;
}

function requireTrainingPatterns(value: unknown): number {
  // Real T ≥ 0 is allowed: the formulas are continuous in T, which the capacity root needs.
  return requireAtLeast("trainingPatterns", value, 0);
}

// ---------------------------------------------------------------------------------------------
// Rate distributions (spec §1.3)

/** The constants of one population's rate distribution (spec §1.3). */
export interface RateConstants {
  /** ν̄ = α·ν_h + (1 − α)·ν_l: the mean rate (Hz). */
  mean: number;
  /** Var(r) (Hz²). */
  variance: number;
  /** r_t: a neuron is high-rate (selective) iff its rate is strictly above r_t (Hz). */
  threshold: number;
  /** σ_ln and μ_ln of y = ln r ~ Normal(μ_ln, σ_ln²); present for lognormal rates only. */
  lognormal?: { sigma: number; mu: number };
}

/** Φ⁻¹(q) = √2·erfinv(2q − 1), the code's `erfm1` (spec §1.3), in double precision. */
function erfm1(q: number): number {
  return normalQuantile(q);
}

function rateConstantsOf(p: RewiringParams, population: 1 | 2): RateConstants {
  const alpha = population === 1 ? p.alpha1 : p.alpha2;
  const nuLow = population === 1 ? p.nuLow1 : p.nuLow2;
  const nuHigh = population === 1 ? p.nuHigh1 : p.nuHigh2;
  const beta = 1 - alpha;
  const mean = alpha * nuHigh + beta * nuLow; // §1.3: ν̄ = α·ν_h + β·ν_l
  if (p.rates === "discrete") {
    return {
      mean,
      // §1.3 discrete: Var(r) = α·ν_h² + β·ν_l² − ν̄²
      variance: alpha * nuHigh * nuHigh + beta * nuLow * nuLow - mean * mean,
      threshold: (nuHigh + nuLow) / 2, // §1.3 discrete: r_t = (ν_h + ν_l)/2
    };
  }
  const sigma = erfm1(beta) - erfm1(beta * nuLow / mean); // §1.3: σ_ln = Φ⁻¹(β) − Φ⁻¹(β·ν_l/ν̄)
  const mu = Math.log(mean) - sigma * sigma / 2; // §1.3: μ_ln = ln(ν̄) − σ_ln²/2
  return {
    mean,
    // §1.3: Var(r) = (exp(σ_ln²) − 1)·exp(2μ_ln + σ_ln²)
    variance: (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma),
    threshold: Math.exp(erfm1(beta) * sigma + mu), // §1.3: r_t = exp(Φ⁻¹(β)·σ_ln + μ_ln)
    lognormal: { sigma, mu },
  };
}

/**
 * Mean, variance, high-rate threshold (and lognormal σ_ln, μ_ln) of a population's rates,
 * spec §1.3.
 *
 * @param population 1 (input layer) or 2 (output layer)
 * @param options the model parameters (defaults of spec §1.2)
 */
export function rateConstants(
  population: 1 | 2,
  options: Partial<RewiringParams> = {},
): RateConstants {
  if (population !== 1 && population !== 2) {
    throw new ParameterError("population", population, "1 or 2");
  }
  return rateConstantsOf(resolveRewiringParams(options), population);
}

// ---------------------------------------------------------------------------------------------
// Stabilization statistics (spec §4, notation)

/** Statistics of the stabilized connections after T training patterns (spec §4). */
export interface StabilizationStatistics {
  /** a = α1·α2. */
  a: number;
  /** η = (1 − a)^T. */
  eta: number;
  /** ξ = (1 − (2 − α1)·α1·α2)^T. */
  xi: number;
  /** p = 1 − (1 − a)^T: probability that a connection was stabilized at least once. */
  p: number;
  /** k = p·C: mean number of stabilized connections per population-2 neuron. */
  k: number;
  /** Var(k) for a fixed in-degree C. */
  varianceKFixed: number;
}

function stabilizationOf(p: RewiringParams, t: number): StabilizationStatistics {
  const c = p.inDegree;
  const a = p.alpha1 * p.alpha2; // §4: a = α1·α2
  const eta = Math.pow(1 - a, t); // §4: η = (1 − a)^T
  const xi = Math.pow(1 - (2 - p.alpha1) * p.alpha1 * p.alpha2, t); // §4: ξ = (1 − (2 − α1)α1α2)^T
  const prob = 1 - Math.pow(1 - a, t); // §4: p = 1 − (1 − a)^T
  const k = prob * c; // §4: k = p·C
  // §4: Var(k) (fixed C) = C(C−1)·ξ − C(2C−1)·η + C² − k²
  const varianceKFixed = c * (c - 1) * xi - c * (2 * c - 1) * eta + c * c - k * k;
  return { a, eta, xi, p: prob, k, varianceKFixed };
}

/**
 * p, k, η, ξ and Var(k) after T training patterns (spec §4, notation).
 *
 * @param trainingPatterns T (≥ 0; real values allowed, the formulas are continuous in T)
 * @param options the model parameters
 */
export function stabilizationStatistics(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): StabilizationStatistics {
  const t = requireTrainingPatterns(trainingPatterns);
  return stabilizationOf(resolveRewiringParams(options), t);
}

// ---------------------------------------------------------------------------------------------
// Means, variance, SDNR (spec §4)

function backgroundMeanOf(p: RewiringParams, t: number): number {
  const { k } = stabilizationOf(p, t);
  const nuMean = rateConstantsOf(p, 1).mean;
  // §4: ⟨S_b⟩ = ν̄1·[W_s·k + W_b·(C − k)]
  return nuMean * (p.weightStabilized * k + p.weightBaseline * (p.inDegree - k));
}

function codingMeanOf(p: RewiringParams, t: number): number {
  const { k } = stabilizationOf(p, t);
  const c = p.inDegree;
  const ws = p.weightStabilized;
  const wb = p.weightBaseline;
  const nuMean = rateConstantsOf(p, 1).mean;
  if (p.rewiringPeriod === 0) {
    // §4 without rewiring: ⟨S_c⟩ = ν_h·W_s·α1·C + ν_l·(1 − α1)·[W_b·C + (W_s − W_b)·k]
    return p.nuHigh1 * ws * p.alpha1 * c + p.nuLow1 * (1 - p.alpha1) * (wb * c + (ws - wb) * k);
  }
  const r = p.rewiringPeriod;
  const a = p.alpha1 * p.alpha2;
  const b = (1 - Math.pow(1 - a, t + r)) / (1 - Math.pow(1 - a, r)); // §4: b
  const pBarT = 1 - b * r / (t + r); // §4: p̄_t = 1 − b·r/(T + r)
  const kBarT = pBarT * c * (1 - p.alpha1); // §4: k̄_t = p̄_t·C·(1 − α1)
  // §4 with rewiring:
  // ⟨S_c⟩ = ν_h·W_s·α1·C + ν̄1·(1 − α1)·[W_b·C + (W_s − W_b)·k] − W_s·(ν̄1 − ν_l)·k̄_t
  return p.nuHigh1 * ws * p.alpha1 * c +
    nuMean * (1 - p.alpha1) * (wb * c + (ws - wb) * k) -
    ws * (nuMean - p.nuLow1) * kBarT;
}

function truncatedNoiseVarianceOf(p: RewiringParams): number {
  const beta = p.noiseMaxDeviation;
  const z = normalCdf(beta) - normalCdf(-beta); // §4: Z = Φ(β) − Φ(−β)
  // §4: σ_δ² = σ_n²·[1 − 2β·φ(β)/Z]
  return p.noiseSigma * p.noiseSigma * (1 - 2 * beta * normalPdf(beta) / z);
}

function noiseContributionOf(p: RewiringParams, t: number): number {
  const { k } = stabilizationOf(p, t);
  const ws = p.weightStabilized;
  const wb = p.weightBaseline;
  // §4: σ_b² += (W_s²·k + W_b²·(C − k))·σ_δ²
  return (ws * ws * k + wb * wb * (p.inDegree - k)) * truncatedNoiseVarianceOf(p);
}

function backgroundVarianceWithoutNoiseOf(p: RewiringParams, t: number): number {
  const { k, p: prob, eta, xi, varianceKFixed } = stabilizationOf(p, t);
  const c = p.inDegree;
  const ws = p.weightStabilized;
  const wb = p.weightBaseline;
  const { mean: nuMean, variance: varR1 } = rateConstantsOf(p, 1);
  if (p.inDegreeRule === "fixed_indegree") {
    // §4 fixed in-degree: σ_b² = (W_s²·k + W_b²·(C − k))·Var(r1) + (W_s − W_b)²·ν̄1²·Var(k)
    return (ws * ws * k + wb * wb * (c - k)) * varR1 +
      (ws - wb) * (ws - wb) * nuMean * nuMean * varianceKFixed;
  }
  // §4 Poisson in-degree (C_m = C, Var(C) = C, ⟨C²⟩ = C(C+1)):
  // σ_b² = (W_b + p(W_s − W_b))²·ν̄1²·C + C·(p·W_s² + η·W_b²)·Var(r1)
  //        + (W_s − W_b)²·ν̄1²·[(C(C+1) − C)·ξ + C·η − C(C+1)·η²]
  const cMean = c;
  const cVariance = c;
  const cSquareMean = c * (c + 1);
  return Math.pow(wb + prob * (ws - wb), 2) * nuMean * nuMean * cVariance +
    cMean * (prob * ws * ws + eta * wb * wb) * varR1 +
    (ws - wb) * (ws - wb) * nuMean * nuMean *
      ((cSquareMean - cMean) * xi + cMean * eta - cSquareMean * eta * eta);
}

function backgroundVarianceOf(p: RewiringParams, t: number): number {
  const noise = p.noiseSigma > 0 ? noiseContributionOf(p, t) : 0;
  return backgroundVarianceWithoutNoiseOf(p, t) + noise;
}

function sdnrOf(p: RewiringParams, t: number): number {
  // §3/§4: SDNR = |⟨S_c⟩ − ⟨S_b⟩| / σ_b
  return Math.abs(codingMeanOf(p, t) - backgroundMeanOf(p, t)) /
    Math.sqrt(backgroundVarianceOf(p, t));
}

/**
 * ⟨S_b⟩: mean input of background (non-coding) population-2 neurons after T training
 * patterns, spec §4 (the same with and without rewiring).
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function backgroundMean(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): number {
  const t = requireTrainingPatterns(trainingPatterns);
  return backgroundMeanOf(resolveRewiringParams(options), t);
}

/**
 * ⟨S_c⟩: mean input of coding population-2 neurons for a trained pattern, spec §4 — the
 * formula without rewiring when `rewiringPeriod` is 0, the one with rewiring every r patterns
 * otherwise (as the authors' `get_th_set`).
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function codingMean(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): number {
  const t = requireTrainingPatterns(trainingPatterns);
  return codingMeanOf(resolveRewiringParams(options), t);
}

/**
 * σ_δ²: variance of the test-time rate noise, a Normal(0, σ_n²) truncated to |δ| ≤ β·σ_n
 * (spec §4, noise contribution). 0 when `noiseSigma` is 0.
 *
 * @param options the model parameters (`noiseSigma`, `noiseMaxDeviation`)
 */
export function truncatedNoiseVariance(options: Partial<RewiringParams> = {}): number {
  return truncatedNoiseVarianceOf(resolveRewiringParams(options));
}

/**
 * The noise term added to σ_b², (W_s²·k + W_b²·(C − k))·σ_δ² (spec §4); 0 without noise.
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function noiseVarianceContribution(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): number {
  const t = requireTrainingPatterns(trainingPatterns);
  return noiseContributionOf(resolveRewiringParams(options), t);
}

/**
 * σ_b²: variance of the input over background neurons, spec §4, for the in-degree rule of
 * `inDegreeRule`, including the noise term when `noiseSigma` > 0. The theory does not model
 * clipping of negative noisy rates (corr_neg_rate 1 or 2).
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function backgroundVariance(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): number {
  const t = requireTrainingPatterns(trainingPatterns);
  return backgroundVarianceOf(resolveRewiringParams(options), t);
}

/**
 * Theoretical SDNR = |⟨S_c⟩ − ⟨S_b⟩| / σ_b after T training patterns (spec §3, §4).
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function sdnr(trainingPatterns: number, options: Partial<RewiringParams> = {}): number {
  const t = requireTrainingPatterns(trainingPatterns);
  return sdnrOf(resolveRewiringParams(options), t);
}

/** Every theoretical quantity at one T (see {@linkcode rewiringTheory}). */
export interface RewiringTheoryPoint extends StabilizationStatistics {
  /** T. */
  trainingPatterns: number;
  /** ⟨S_b⟩ (pA·Hz). */
  backgroundMean: number;
  /** ⟨S_c⟩ (pA·Hz), with rewiring unless rewiringPeriod is 0. */
  codingMean: number;
  /** σ_b² including the noise term ((pA·Hz)²). */
  backgroundVariance: number;
  /** The noise term of σ_b² (0 without noise). */
  noiseContribution: number;
  /** |⟨S_c⟩ − ⟨S_b⟩| / σ_b. */
  sdnr: number;
}

/**
 * All theoretical quantities of spec §4 at one T, for one parameter set.
 *
 * @param trainingPatterns T (≥ 0)
 * @param options the model parameters
 */
export function rewiringTheory(
  trainingPatterns: number,
  options: Partial<RewiringParams> = {},
): RewiringTheoryPoint {
  const t = requireTrainingPatterns(trainingPatterns);
  const p = resolveRewiringParams(options);
  return {
    trainingPatterns: t,
    ...stabilizationOf(p, t),
    backgroundMean: backgroundMeanOf(p, t),
    codingMean: codingMeanOf(p, t),
    backgroundVariance: backgroundVarianceOf(p, t),
    noiseContribution: p.noiseSigma > 0 ? noiseContributionOf(p, t) : 0,
    sdnr: sdnrOf(p, t),
  };
}

// ---------------------------------------------------------------------------------------------
// Classification and memory capacity (spec §3)

function requireProbabilityCorrect(value: unknown): number {
  const v = requireFinite("probabilityCorrect", value);
  if (!(v > 0.5 && v < 1)) {
    throw new ParameterError("probabilityCorrect", value, "a number in (0.5, 1)");
  }
  return v;
}

/**
 * P_c = ½·[1 + erf(SDNR/√8)] = Φ(SDNR/2): probability of classifying a neuron correctly with
 * a threshold halfway between the two means (spec §3).
 *
 * @param sdnrValue an SDNR (≥ 0)
 */
export function probabilityCorrect(sdnrValue: number): number {
  const s = requireAtLeast("sdnr", sdnrValue, 0);
  return normalCdf(s / 2); // §3: P_c = ½[1 + erf(SDNR/√8)] = Φ(SDNR/2)
}

/**
 * SDNR_thr = 2√2·erfinv(2·P_c − 1) = 2·Φ⁻¹(P_c), the SDNR at which the probability of correct
 * classification is P_c (spec §3); 3.289707 for P_c = 0.95.
 *
 * @param pCorrect P_c in (0.5, 1); default 0.95
 */
export function sdnrThreshold(pCorrect: number = DEFAULT_PROBABILITY_CORRECT): number {
  const pc = requireProbabilityCorrect(pCorrect);
  return 2 * normalQuantile(pc); // §3: SDNR_thr = 2√2·erfinv(2·P_c − 1)
}

/** Options of {@linkcode memoryCapacity}: the model parameters and the P_c that defines it. */
export interface MemoryCapacityOptions extends Partial<RewiringParams> {
  /** P_c defining the SDNR threshold, in (0.5, 1); default 0.95 (SDNR_thr = 3.289707). */
  probabilityCorrect?: number;
}

/** The memory capacity of one parameter set (see {@linkcode memoryCapacity}). */
export interface MemoryCapacity {
  /** The SDNR threshold used. */
  threshold: number;
  /** The real T at which the theoretical SDNR(T) equals the threshold (0 if SDNR(0) is below). */
  crossing: number;
  /** T_max: the largest integer T with SDNR(T) ≥ threshold (spec §3), floor(crossing). */
  tMax: number;
}

/** Largest T tried when bracketing the SDNR crossing (the SDNR tends to 0 as T grows). */
const MAX_BRACKET_T = 2 ** 48;

/**
 * Theoretical memory capacity by the SDNR crossing (spec §3): the T where SDNR(T) falls to
 * SDNR_thr(P_c), found by bracketing and bisection to 1e-12 relative. Assumes that the SDNR
 * decreases with T (true for the parameter sets of the spec; tested).
 *
 * @param options the model parameters and `probabilityCorrect`
 */
export function memoryCapacity(options: MemoryCapacityOptions = {}): MemoryCapacity {
  const { probabilityCorrect: pc = DEFAULT_PROBABILITY_CORRECT, ...model } = options;
  const threshold = sdnrThreshold(pc);
  const p = resolveRewiringParams(model);
  if (sdnrOf(p, 0) < threshold) return { threshold, crossing: 0, tMax: 0 };
  let low = 0;
  let high = 1024;
  while (sdnrOf(p, high) >= threshold) {
    low = high;
    high *= 2;
    if (high > MAX_BRACKET_T) {
      throw new RangeError(`the SDNR stays above ${threshold} up to T = ${MAX_BRACKET_T}`);
    }
  }
  while (high - low > 1e-12 * high) {
    const mid = (low + high) / 2;
    if (sdnrOf(p, mid) >= threshold) low = mid;
    else high = mid;
  }
  return { threshold, crossing: low, tMax: Math.floor(low) };
}

/** One point of an SDNR-versus-T scan (for {@linkcode capacityFromScan}). */
export interface SdnrScanPoint {
  /** T. */
  trainingPatterns: number;
  /** The SDNR measured (or computed) after T training patterns. */
  sdnr: number;
}

/**
 * Memory capacity from an SDNR scan by the crossing definition of spec §3, as the spec derives
 * it from the simulations (§5): the last downward crossing of SDNR_thr, linearly interpolated
 * between the two scan points around it. Returns null when the scan does not bracket a
 * crossing (the last point still at or above the threshold, or no point at or above it).
 *
 * @param points the scan, in any order (sorted by T here)
 * @param options `probabilityCorrect` defining the threshold (default 0.95)
 */
export function capacityFromScan(
  points: readonly SdnrScanPoint[],
  options: { probabilityCorrect?: number } = {},
): number | null {
  const threshold = sdnrThreshold(options.probabilityCorrect ?? DEFAULT_PROBABILITY_CORRECT);
  points.forEach((point, i) => {
    requireAtLeast(`points[${i}].trainingPatterns`, point.trainingPatterns, 0);
    requireAtLeast(`points[${i}].sdnr`, point.sdnr, 0);
  });
  const sorted = [...points].sort((a, b) => a.trainingPatterns - b.trainingPatterns);
  // Still above the threshold at the largest T scanned: the capacity lies beyond the scan.
  if (sorted.length === 0 || sorted[sorted.length - 1].sdnr >= threshold) return null;
  for (let i = sorted.length - 2; i >= 0; i--) {
    const before = sorted[i];
    const after = sorted[i + 1];
    if (before.sdnr >= threshold && after.sdnr < threshold) {
      const fraction = (before.sdnr - threshold) / (before.sdnr - after.sdnr);
      return before.trainingPatterns +
        fraction * (after.trainingPatterns - before.trainingPatterns);
    }
  }
  return null;
}

/**
 * The Potjans & Diesmann (2014) cortical microcircuit, NEST GPU variant (docs/specs/microcircuit.md):
 * the derived quantities (synapse counts, weights, DC input, external in-degrees) as pure
 * functions, and `buildMicrocircuit`, which describes the network with the engine's builder.
 *
 * Truncation follows NEST GPU's `normal_clipped` (re-drawing, not clamping): excitatory weights
 * in [0, w̄ + 3σ], inhibitory weights in [w̄ − 3σ, 0], delays in [h, mean + 3σ]. See
 * `MICROCIRCUIT_NOTES`.
 *
 * @example
 * ```ts
 * import { buildMicrocircuit } from "./microcircuit.ts";
 * const { network, populations } = buildMicrocircuit({ nScaling: 0.1 });
 * ```
 *
 * @module
 */
import { normal, type NormalDistribution } from "../engine/distributions.ts";
import { ParameterError } from "../engine/errors.ts";
import { IAF_PSC_EXP_DEFAULTS, iafPscExp, pscOverPsp } from "../engine/iaf_psc_exp.ts";
import { Network, type Population } from "../engine/network.ts";
import {
  EXCITATORY,
  FULL_EXTERNAL_INDEGREES,
  FULL_POPULATION_SIZES,
  type MicrocircuitParams,
  microcircuitParams,
  POPULATION_COUNT,
  POPULATION_NAMES,
  V0_OPTIMIZED_MEAN_MV,
  V0_OPTIMIZED_STD_MV,
  V0_ORIGINAL_MV,
} from "./microcircuit_params.ts";

/** What reports print about how this implementation realises the spec. */
export const MICROCIRCUIT_NOTES: string = [
  "Potjans & Diesmann (2014) microcircuit, NEST GPU example variant (docs/specs/microcircuit.md).",
  "Connectivity: fixed_total_number per (target, source) pair, autapses and multapses allowed;",
  "  S = round(ln(1-p)/ln(1-1/(N_pre·N_post)) · N_scaling · K_scaling), round half to even",
  "  (numpy.round), float64; pairs with S = 0 are skipped.",
  "Weights: normal(w̄, 0.1·|w̄|) truncated by redraw as NEST GPU's normal_clipped:",
  "  excitatory in [0, w̄ + 3σ], inhibitory in [w̄ − 3σ, 0]; L4E→L23E PSP doubled;",
  "  PSP→PSC factor of iaf_psc_exp (585.39 pA/mV); external weights fixed.",
  "Delays: normal(mean, 0.5·mean) redrawn into [h, mean + 3σ] (NEST GPU), rounded to steps.",
  "Down-scaling: weights / sqrt(K_scaling), DC compensation with NEST's full_mean_rates",
  "  unless overridden.",
  "Thalamic pulse (§4.3): parameters computed, network not buildable (the engine has no",
  "  time-windowed Poisson sources or parrot neurons).",
].join("\n");

/**
 * `numpy.round` for 0 decimals: round to the nearest integer, ties to even. Applied to the
 * exact float64 value (e.g. 106.5 → 106, 1439.5 → 1440).
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for |x| < 2^52
  let r: number;
  if (fraction < 0.5) r = floor;
  else if (fraction > 0.5) r = floor + 1;
  else r = floor % 2 === 0 ? floor : floor + 1;
  return r + 0; // normalises −0 to 0
}

/** Sizes of the two populations a synapse count is computed for. */
export interface PairSizes {
  /** Size of the source population. */
  pre: number;
  /** Size of the target population. */
  post: number;
}

/**
 * Expected total number of synapses between two populations for connection probability `p`,
 * as the NEST example computes it (spec §1.3): ln(1 − p) / ln((N_pre·N_post − 1) /
 * (N_pre·N_post)), a real number, not rounded.
 */
export function synapsesFromProbability(p: number, sizes: PairSizes): number {
  const product = sizes.pre * sizes.post;
  return Math.log(1 - p) / Math.log((product - 1) / product) + 0;
}

/** Full-scale real-valued synapse numbers S_full[target][source] (spec §1.3, unrounded). */
export function fullScaleSynapseNumbers(params: Partial<MicrocircuitParams> = {}): number[][] {
  const p = microcircuitParams(params);
  return p.connProbs.map((row, i) =>
    row.map((prob, j) =>
      synapsesFromProbability(prob, {
        pre: FULL_POPULATION_SIZES[j],
        post: FULL_POPULATION_SIZES[i],
      })
    )
  );
}

/** Full-scale synapse counts `[target][source]`, rounded half to even (spec §1.3 table). */
export function fullScaleSynapseCounts(params: Partial<MicrocircuitParams> = {}): number[][] {
  return fullScaleSynapseNumbers(params).map((row) => row.map(roundHalfEven));
}

/** Full-scale mean in-degrees K[target][source] = S_full / N_target (spec §1.3). */
export function fullScaleIndegrees(params: Partial<MicrocircuitParams> = {}): number[][] {
  return fullScaleSynapseNumbers(params).map((row, i) =>
    row.map((s) => s / FULL_POPULATION_SIZES[i])
  );
}

/**
 * Scaled synapse counts `[target][source]`: round(S_full · nScaling · kScaling), half to even
 * (spec §5).
 */
export function synapseCounts(params: Partial<MicrocircuitParams> = {}): number[][] {
  const p = microcircuitParams(params);
  return fullScaleSynapseNumbers(p).map((row) =>
    row.map((s) => roundHalfEven(s * p.nScaling * p.kScaling))
  );
}

/** Scaled population sizes round(N · nScaling), half to even (spec §5). */
export function populationSizes(params: Partial<MicrocircuitParams> = {}): number[] {
  const p = microcircuitParams(params);
  return FULL_POPULATION_SIZES.map((n) => roundHalfEven(n * p.nScaling));
}

/** Scaled external in-degrees round(K_ext · kScaling), half to even (spec §5). */
export function externalIndegrees(params: Partial<MicrocircuitParams> = {}): number[] {
  const p = microcircuitParams(params);
  return FULL_EXTERNAL_INDEGREES.map((k) => roundHalfEven(k * p.kScaling));
}

/** PSC amplitude (pA) per mV of PSP peak for the model's neurons (spec §2.1, 585.39). */
export function microcircuitPscOverPsp(): number {
  const n = IAF_PSC_EXP_DEFAULTS;
  return pscOverPsp(n.C_m, n.tau_m, n.tau_syn_ex);
}

/** Mean PSP amplitudes (mV) `[target][source]`: exc 0.15, inh g·0.15, L4E→L23E doubled. */
export function meanPspMatrix(params: Partial<MicrocircuitParams> = {}): number[][] {
  const p = microcircuitParams(params);
  const matrix = POPULATION_NAMES.map(() =>
    EXCITATORY.map((exc) => exc ? p.pspExcMv : p.g * p.pspExcMv)
  );
  matrix[0][2] = 2 * p.pspExcMv; // L4E → L23E (target 0, source 2)
  return matrix;
}

function weightScale(p: MicrocircuitParams): number {
  return p.kScaling === 1 ? 1 : 1 / Math.sqrt(p.kScaling);
}

/**
 * Mean PSC amplitudes (pA) `[target][source]`: the PSP matrix × PSC_over_PSP, divided by
 * sqrt(kScaling) when kScaling ≠ 1 (spec §2.2, §5).
 */
export function meanWeightMatrix(params: Partial<MicrocircuitParams> = {}): number[][] {
  const p = microcircuitParams(params);
  const factor = microcircuitPscOverPsp();
  const scale = weightScale(p);
  return meanPspMatrix(p).map((row) => row.map((psp) => psp * factor * scale));
}

/** Weight (pA) of one Poisson background event: pspExcMv × PSC_over_PSP / sqrt(kScaling). */
export function externalWeight(params: Partial<MicrocircuitParams> = {}): number {
  const p = microcircuitParams(params);
  return p.pspExcMv * microcircuitPscOverPsp() * weightScale(p);
}

/**
 * Constant input current I_e (pA) per population (spec §4.2, §5): in "dc" drive the mean of the
 * full-scale Poisson background, bgRate · K_ext · w_ext · tau_syn (unscaled K_ext and w_ext);
 * plus, when kScaling ≠ 1, the compensation 1e-3 · tau_syn · (1 − sqrt(kScaling)) · (recurrent
 * input of the full model at `fullMeanRatesHz` [+ full external input in "poisson" drive]).
 */
export function dcInput(params: Partial<MicrocircuitParams> = {}): number[] {
  const p = microcircuitParams(params);
  const tauSyn = IAF_PSC_EXP_DEFAULTS.tau_syn_ex;
  const factor = microcircuitPscOverPsp();
  const wExtFull = p.pspExcMv * factor;
  const iE = FULL_EXTERNAL_INDEGREES.map((kExt) =>
    p.drive === "dc" ? p.bgRateHz * kExt * wExtFull * tauSyn * 0.001 : 0
  );
  if (p.kScaling === 1) return iE;

  const wFull = meanPspMatrix(p).map((row) => row.map((psp) => psp * factor));
  const indegrees = fullScaleIndegrees(p);
  const compensation = 0.001 * tauSyn * (1 - Math.sqrt(p.kScaling));
  return iE.map((value, i) => {
    let inputRec = 0;
    for (let j = 0; j < POPULATION_COUNT; j++) {
      inputRec += wFull[i][j] * indegrees[i][j] * p.fullMeanRatesHz[j];
    }
    let result = value + compensation * inputRec;
    if (p.drive === "poisson") {
      result += compensation * (wExtFull * FULL_EXTERNAL_INDEGREES[i] * p.bgRateHz);
    }
    return result;
  });
}

/**
 * A normal weight distribution truncated as NEST GPU's `normal_clipped`: σ = relStd·|w̄|,
 * excitatory (w̄ > 0) in [0, w̄ + 3σ], inhibitory (w̄ < 0) in [w̄ − 3σ, 0].
 */
export function clippedWeight(mean: number, relStd: number): NormalDistribution {
  const std = Math.abs(mean) * relStd;
  return mean >= 0
    ? normal(mean, std, { min: 0, max: mean + 3 * std })
    : normal(mean, std, { min: mean - 3 * std, max: 0 });
}

/** Options of `clippedDelay`. */
export interface ClippedDelayOptions {
  /** Relative std (std = relStd · mean). */
  relStd: number;
  /** Simulation step h (ms), the lower redraw bound. */
  resolutionMs: number;
}

/** A normal delay distribution redrawn into [h, mean + 3σ] (NEST GPU), σ = relStd · mean. */
export function clippedDelay(meanMs: number, options: ClippedDelayOptions): NormalDistribution {
  const std = meanMs * options.relStd;
  return normal(meanMs, std, { min: options.resolutionMs, max: meanMs + 3 * std });
}

/** The parameters of the optional thalamic pulse (spec §4.3). */
export interface ThalamicDrive {
  /** Number of thalamic relay units (not scaled). */
  neurons: number;
  /** Rate of each unit while active (Hz). */
  rateHz: number;
  /** Units fire only in (startMs, stopMs]. */
  startMs: number;
  stopMs: number;
  /** Synapses thalamus → population i, round(S_th · kScaling), half to even. */
  synapseCounts: number[];
  /** Weight distribution (pA), mean PSP_th × PSC_over_PSP / sqrt(kScaling), ≥ 0. */
  weight: NormalDistribution;
  /** Delay distribution (ms). */
  delay: NormalDistribution;
}

/**
 * The thalamic pulse of spec §4.3: S_th,i = ln(1 − p_th,i) / ln(1 − 1/(N_th · N_i,full)),
 * × kScaling (N_scaling is not applied), rounded; weights and delays truncated as NEST GPU.
 * Computed whether or not `thalamicInput` is set; `buildMicrocircuit` cannot build it yet.
 */
export function thalamicDrive(params: Partial<MicrocircuitParams> = {}): ThalamicDrive {
  const p = microcircuitParams(params);
  const counts = p.thConnProbs.map((prob, i) => {
    const s = synapsesFromProbability(prob, { pre: p.thNeurons, post: FULL_POPULATION_SIZES[i] });
    return roundHalfEven(p.kScaling === 1 ? s : s * p.kScaling);
  });
  const meanWeight = p.pspThMv * microcircuitPscOverPsp() * weightScale(p);
  return {
    neurons: p.thNeurons,
    rateHz: p.thRateHz,
    startMs: p.thStartMs,
    stopMs: p.thStartMs + p.thDurationMs,
    synapseCounts: counts,
    weight: clippedWeight(meanWeight, p.weightRelStd),
    delay: clippedDelay(p.delayThMeanMs, {
      relStd: p.delayThRelStd,
      resolutionMs: p.resolutionMs,
    }),
  };
}

/** What `buildMicrocircuit` returns. */
export interface Microcircuit {
  /** The network description, ready for a backend. */
  network: Network;
  /** The eight populations, in the order of `POPULATION_NAMES`. */
  populations: Population[];
  /** The validated parameters the network was built from. */
  params: MicrocircuitParams;
}

/**
 * Describes the microcircuit with the engine's builder: 8 `iaf_psc_exp` populations (I_e from
 * `dcInput`, V0 per `v0Type`), Poisson background (rate bgRate · K_ext, fixed weight) unless
 * drive is "dc", `fixed_total_number` projections for every pair with S > 0 (NEST GPU weight
 * and delay truncation), and spike recording of every population when `record`.
 *
 * Throws a ParameterError for invalid parameters, and for `thalamicInput: true` (the engine has
 * no time-windowed Poisson sources or parrot neurons yet).
 */
export function buildMicrocircuit(params: Partial<MicrocircuitParams> = {}): Microcircuit {
  const p = microcircuitParams(params);
  if (p.thalamicInput) {
    throw new ParameterError(
      "microcircuit.thalamicInput",
      true,
      "false: thalamicInput is not supported by the engine yet (it needs Poisson sources " +
        "active only in (700, 710] ms and parrot neurons); use thalamicDrive() for its parameters",
    );
  }
  const sizes = populationSizes(p);
  const iE = dcInput(p);
  const kExt = externalIndegrees(p);
  const wExt = externalWeight(p);
  const weights = meanWeightMatrix(p);
  const counts = synapseCounts(p);

  const network = new Network({ resolutionMs: p.resolutionMs, seed: p.seed });
  const populations = POPULATION_NAMES.map((name, i) => {
    const v0 = p.v0Type === "optimized"
      ? normal(V0_OPTIMIZED_MEAN_MV[i], V0_OPTIMIZED_STD_MV[i])
      : normal(V0_ORIGINAL_MV.mean, V0_ORIGINAL_MV.std);
    return network.population(name, { size: sizes[i], params: iafPscExp({ I_e: iE[i] }), v0 });
  });

  if (p.drive === "poisson") {
    populations.forEach((pop, i) =>
      network.poisson(pop, {
        rateHz: p.bgRateHz * kExt[i],
        weight: wExt,
        delayMs: p.poissonDelayMs,
      })
    );
  }

  // NEST's loop order: targets outer, sources inner.
  for (let i = 0; i < POPULATION_COUNT; i++) {
    for (let j = 0; j < POPULATION_COUNT; j++) {
      if (counts[i][j] === 0) continue;
      const delayMean = EXCITATORY[j] ? p.delayExcMeanMs : p.delayInhMeanMs;
      network.connect(populations[j], populations[i], {
        rule: {
          kind: "fixed_total_number",
          n: counts[i][j],
          allowAutapses: true,
          allowMultapses: true,
        },
        weight: clippedWeight(weights[i][j], p.weightRelStd),
        delay: clippedDelay(delayMean, { relStd: p.delayRelStd, resolutionMs: p.resolutionMs }),
      });
    }
  }

  if (p.record) populations.forEach((pop) => network.record(pop));
  return { network, populations, params: p };
}

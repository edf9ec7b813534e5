/**
 * The two-population rate model of learning through structural plasticity (Tiddia, Sergi &
 * Golosio, Phys. Rev. E 110:044311, 2024; `docs/specs/rewiring.md` §1–§3): patterns of
 * lognormal or discrete rates, feed-forward connections from population 1 to population 2,
 * training by stabilization of connections between high-rate neurons and periodic rewiring of
 * the non-stabilized ones, test with (optionally noisy) trained patterns giving ⟨S_c⟩, ⟨S_b⟩,
 * σ_b², SDNR and P_c.
 *
 * This is the CPU path (plain TypeScript), the oracle for tiny and CI-size configurations
 * (spec §6). Every random number is a Philox4x32-10 word keyed by (seed, purpose) with index
 * counters — nothing depends on the order of work — so a GPU path drawing the same counters
 * reproduces the connectivity and the stabilized set exactly:
 *
 * | purpose | key | counter | word |
 * |---|---|---|---|
 * | rate of neuron j of population p in pattern m | (seed, RATES + p) | (⌊j/4⌋, m, 0, 0) | j mod 4 |
 * | in-degree of neuron i at epoch e, attempt a | (seed, IN_DEGREE) | (i, e, ⌊a/4⌋, 0) | a mod 4 |
 * | source of slot s of neuron i at epoch e | (seed, SOURCE) | (⌊s/4⌋, i, e, 0) | s mod 4 |
 * | test order, Fisher–Yates step t | (seed, TEST_ORDER) | (t, 0, 0, 0) | 0 |
 * | test noise of neuron j in pattern m, attempt a | (seed, NOISE) | (j, m, ⌊a/4⌋, 0) | a mod 4 |
 * | background sample offset of pattern m | (seed, SAMPLE) | (m, 0, 0, 0) | 0 |
 *
 * Epoch e is 0 for the initial connectivity and e for the e-th rewiring. A rate word w gives
 * u = (w + ½)/2^32; the neuron is high-rate iff u > 1 − α (an integer comparison of w, so the
 * CPU and a GPU agree exactly), and its lognormal rate is exp(μ_ln + σ_ln·Φ⁻¹(u)), which is
 * above r_t exactly when u > 1 − α (spec §1.3; discrete rates: ν_h or ν_l).
 *
 * Connections of population-2 neuron i live in slots [i·C_reserve, i·C_reserve + d_i) of
 * `sources` / `stabilized`; a stabilized connection has weight W_s, the others W_b. Fresh
 * sources are written lazily: a rewiring only compacts the stabilized connections and draws
 * the in-degree; the fresh sources of neuron i are filled in when first needed (stabilization
 * of a coding neuron, test, {@linkcode materializeSources}). Since a fresh source depends only
 * on (i, slot, epoch), the result equals that of filling every neuron at each rewiring.
 *
 * @example
 * ```ts
 * import { runRewiring } from "./models/rewiring.ts";
 * const result = runRewiring({ populationSize1: 20_000, populationSize2: 20_000, inDegree: 1000,
 *   alpha1: 5e-3, alpha2: 5e-3, noiseSigma: 0, trainingPatterns: 500, testPatterns: 200 });
 * console.log(result.sdnr); // ≈ 8.0 (spec §6)
 * ```
 *
 * @module
 */

import { ParameterError, requireInteger } from "../engine/errors.ts";
import { philox4x32, uniformIndex } from "../engine/rng/philox.ts";
import { logGamma } from "../engine/test_statistics.ts";
import { probabilityCorrect } from "../validation/rewiring_theory.ts";
import {
  resolveRewiringModelParams,
  type RewiringDerived,
  rewiringDerived,
  type RewiringModelParams,
} from "./rewiring_params.ts";

/** Second Philox key word of each purpose (disjoint from the engine's `STREAM` values). */
export const REWIRING_STREAM = Object.freeze({
  /** Pattern rates; the population (1 or 2) is added. */
  rates: 0x100000,
  /** In-degree draws (Poisson rule). */
  inDegree: 0x110000,
  /** Connection sources. */
  source: 0x120000,
  /** Test pattern order (Fisher–Yates). */
  testOrder: 0x130000,
  /** Test-time rate noise. */
  noise: 0x140000,
  /** Background sample offsets (backgroundStride > 1). */
  sample: 0x150000,
});

const TWO_32 = 4294967296;

/**
 * Φ⁻¹(u) by Acklam's rational approximation (relative error < 1.2e-9), without the Newton
 * refinement of `engine/sampling.ts` `normalQuantile`, which costs ~30× more; u in (0, 1).
 */
export function fastNormalQuantile(u: number): number {
  if (u < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q -
              2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783) /
      ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q +
            3.754408661907416) * q + 1);
  }
  if (u > 1 - 0.02425) return -fastNormalQuantile(1 - u);
  const q = u - 0.5;
  const r = q * q;
  return (((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r +
            138.357751867269) * r - 30.66479806614716) * r + 2.506628277459239) *
    q /
    (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r +
              66.80131188771972) * r - 13.28068155288572) * r + 1);
}

/** The state of a trained (or training) network; create with {@linkcode createRewiringNetwork}. */
export interface RewiringNetwork {
  /** The resolved parameters. */
  readonly params: RewiringModelParams;
  /** The derived constants (thresholds, reserve). */
  readonly derived: RewiringDerived;
  /**
   * Source (population-1 index) of each slot; neuron i owns slots [i·reserve, i·reserve + d_i).
   * Valid for neuron i only when pendingEpoch[i] is −1: call {@linkcode materializeSources}
   * before reading it directly.
   */
  readonly sources: Uint32Array;
  /** −1, or the epoch whose fresh sources neuron i still has to fill in (lazy rewiring). */
  readonly pendingEpoch: Int32Array;
  /** 1 where the slot's connection is stabilized (weight W_s), 0 otherwise (W_b). */
  readonly stabilized: Uint8Array;
  /** d_i: the number of connections of each population-2 neuron. */
  readonly inDegree: Uint32Array;
  /** Number of rewirings done so far (the epoch of the newest sources). */
  epoch: number;
  /** Number of training patterns presented so far (patterns 0 … trained − 1). */
  trained: number;
}

interface Scratch {
  out: Uint32Array;
  counter: [number, number, number, number];
  key: [number, number];
}

function scratch(seed: number, stream: number): Scratch {
  return { out: new Uint32Array(4), counter: [0, 0, 0, 0], key: [seed, stream] };
}

function draw(s: Scratch, c0: number, c1: number, c2: number, c3: number): Uint32Array {
  s.counter[0] = c0;
  s.counter[1] = c1;
  s.counter[2] = c2;
  s.counter[3] = c3;
  return philox4x32(s.counter, s.key, s.out);
}

/**
 * Poisson(λ) as cumulative u32 thresholds over k = first … first + thresholds.length: the
 * draw is first + (number of thresholds ≤ the word). Tabulated in log space (exp(−λ)
 * underflows for λ ≳ 745) over λ ± (12√λ + 12), where the mass left out is < 1e-30.
 */
export interface PoissonThresholds {
  /** The value drawn when no threshold is ≤ the word. */
  first: number;
  /** Cumulative thresholds round(2^32·F), non-decreasing. */
  thresholds: Uint32Array;
}

const poissonTables = new Map<number, PoissonThresholds>();

/**
 * The Poisson(C) in-degree table shared by the CPU path and the GPU kernels (exact integer
 * sampling: the same word gives the same in-degree on both).
 *
 * @param lambda C
 */
export function inDegreeTable(lambda: number): PoissonThresholds {
  let table = poissonTables.get(lambda);
  if (table !== undefined) return table;
  const spread = 12 * Math.sqrt(lambda) + 12;
  const first = Math.max(0, Math.floor(lambda - spread));
  const last = Math.ceil(lambda + spread);
  const pmf: number[] = [];
  let total = 0;
  for (let k = first; k <= last; k++) {
    const p = Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1));
    pmf.push(p);
    total += p;
  }
  const thresholds = new Uint32Array(pmf.length - 1);
  let cumulative = 0;
  for (let j = 0; j < thresholds.length; j++) {
    cumulative += pmf[j] / total;
    thresholds[j] = Math.min(0xffffffff, Math.round(cumulative * TWO_32));
  }
  table = { first, thresholds };
  poissonTables.set(lambda, table);
  return table;
}

/** first + the number of thresholds ≤ word (binary search; thresholds are non-decreasing). */
function samplePoisson(table: PoissonThresholds, word: number): number {
  let low = 0;
  let high = table.thresholds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (table.thresholds[mid] <= word) low = mid + 1;
    else high = mid;
  }
  return table.first + low;
}

/**
 * In-degree of neuron i at epoch e: Poisson(C) redrawn until min ≤ d < C_reserve (spec §1.5,
 * §2.3), or C for the fixed in-degree rule.
 */
function drawInDegree(net: RewiringNetwork, s: Scratch, i: number, minimum: number): number {
  const { params, derived } = net;
  if (params.inDegreeRule === "fixed_indegree") return params.inDegree;
  const table = inDegreeTable(params.inDegree);
  for (let attempt = 0; attempt < 1 << 20; attempt++) {
    if ((attempt & 3) === 0) draw(s, i, net.epoch, attempt >>> 2, 0);
    const d = samplePoisson(table, s.out[attempt & 3]);
    if (d >= minimum && d < derived.reserve) return d;
  }
  throw new RangeError(
    `neuron ${i}: no Poisson(${params.inDegree}) in-degree in [${minimum}, ${derived.reserve})`,
  );
}

/**
 * Fills in the fresh sources of neuron i, epoch pendingEpoch[i]: every non-stabilized slot s
 * gets the source of (i, s, epoch). After a Poisson-rule rewiring the non-stabilized slots are
 * exactly k_i … d_i − 1; with the fixed rule they keep their places.
 */
function materializeNeuron(net: RewiringNetwork, s: Scratch, i: number): void {
  const epoch = net.pendingEpoch[i];
  if (epoch < 0) return;
  net.pendingEpoch[i] = -1;
  const base = i * net.derived.reserve;
  const n1 = net.params.populationSize1;
  const degree = net.inDegree[i];
  for (let slot = 0; slot < degree; slot += 4) {
    let any = false;
    for (let q = 0; q < 4 && slot + q < degree; q++) any ||= net.stabilized[base + slot + q] === 0;
    if (!any) continue;
    const words = draw(s, slot >>> 2, i, epoch, 0);
    for (let q = 0; q < 4 && slot + q < degree; q++) {
      if (net.stabilized[base + slot + q] === 0) {
        net.sources[base + slot + q] = uniformIndex(words[q], n1);
      }
    }
  }
}

/**
 * Fills in every pending fresh source (see the module notes), so that `net.sources` is valid
 * for all neurons. Training and test do this themselves where needed.
 *
 * @param net the network (modified)
 */
export function materializeSources(net: RewiringNetwork): void {
  const s = scratch(net.params.seed, REWIRING_STREAM.source);
  for (let i = 0; i < net.params.populationSize2; i++) materializeNeuron(net, s, i);
}

/**
 * Builds the initial connectivity (spec §1.5): per population-2 neuron a Poisson(C) (or fixed C)
 * in-degree, uniform random sources with replacement, every weight W_b.
 *
 * @param options the model parameters (defaults of spec §1.2)
 */
export function createRewiringNetwork(
  options: Partial<RewiringModelParams> = {},
): RewiringNetwork {
  const params = resolveRewiringModelParams(options);
  const derived = rewiringDerived(params);
  const slots = params.populationSize2 * derived.reserve;
  const net: RewiringNetwork = {
    params,
    derived,
    sources: new Uint32Array(slots),
    stabilized: new Uint8Array(slots),
    inDegree: new Uint32Array(params.populationSize2),
    pendingEpoch: new Int32Array(params.populationSize2).fill(0),
    epoch: 0,
    trained: 0,
  };
  const degreeScratch = scratch(params.seed, REWIRING_STREAM.inDegree);
  for (let i = 0; i < params.populationSize2; i++) {
    net.inDegree[i] = drawInDegree(net, degreeScratch, i, 0);
  }
  return net;
}

function requirePattern(pattern: number): number {
  return requireInteger("pattern", pattern, { min: 0, max: 0xffffffff });
}

function requirePopulation(population: number): 1 | 2 {
  if (population !== 1 && population !== 2) {
    throw new ParameterError("population", population, "1 or 2");
  }
  return population;
}

/**
 * Which neurons of a population are high-rate (r > r_t) in pattern m: 1 in `out[j]` iff so.
 * Cheaper than {@linkcode patternRates} (no quantile), the same decision.
 *
 * @param net the network (for its parameters)
 * @param pattern m
 * @param options population (1 or 2) and an optional output array to reuse
 */
export function patternHighMask(
  net: RewiringNetwork,
  pattern: number,
  options: { population: 1 | 2; out?: Uint8Array },
): Uint8Array {
  const m = requirePattern(pattern);
  const p = requirePopulation(options.population);
  const n = p === 1 ? net.params.populationSize1 : net.params.populationSize2;
  const out = options.out ?? new Uint8Array(n);
  const high = net.derived.highWord[p - 1];
  const s = scratch(net.params.seed, REWIRING_STREAM.rates + p);
  for (let j = 0; j < n; j += 4) {
    const words = draw(s, j >>> 2, m, 0, 0);
    for (let q = 0; q < 4 && j + q < n; q++) out[j + q] = words[q] >= high ? 1 : 0;
  }
  return out;
}

/**
 * The rates of a population in pattern m (spec §1.3, §1.4), regenerated from Philox: lognormal
 * exp(μ_ln + σ_ln·Φ⁻¹(u)) or discrete ν_h / ν_l, u = (w + ½)/2^32 from the neuron's word.
 *
 * @param net the network (for its parameters)
 * @param pattern m
 * @param options population (1 or 2) and an optional output array to reuse
 */
export function patternRates(
  net: RewiringNetwork,
  pattern: number,
  options: { population: 1 | 2; out?: Float64Array },
): Float64Array {
  const m = requirePattern(pattern);
  const p = requirePopulation(options.population);
  const { params, derived } = net;
  const n = p === 1 ? params.populationSize1 : params.populationSize2;
  const out = options.out ?? new Float64Array(n);
  const high = derived.highWord[p - 1];
  const nuLow = p === 1 ? params.nuLow1 : params.nuLow2;
  const nuHigh = p === 1 ? params.nuHigh1 : params.nuHigh2;
  const { mu, sigma } = derived.lognormal[p - 1];
  const lognormal = params.rates === "lognormal";
  const s = scratch(params.seed, REWIRING_STREAM.rates + p);
  for (let j = 0; j < n; j += 4) {
    const words = draw(s, j >>> 2, m, 0, 0);
    for (let q = 0; q < 4 && j + q < n; q++) {
      const w = words[q];
      out[j + q] = lognormal
        ? Math.exp(mu + sigma * fastNormalQuantile((w + 0.5) / TWO_32))
        : (w >= high ? nuHigh : nuLow);
    }
  }
  return out;
}

/**
 * Stabilization (spec §2.2): every connection into a neuron i with high2[i] = 1 from a source j
 * with high1[j] = 1 becomes permanently stabilized (weight W_s).
 *
 * @param net the network (modified)
 * @param high1 high-rate mask of population 1
 * @param high2 high-rate mask of population 2
 * @returns the number of connections newly stabilized
 */
export function stabilize(net: RewiringNetwork, high1: Uint8Array, high2: Uint8Array): number {
  const reserve = net.derived.reserve;
  const s = scratch(net.params.seed, REWIRING_STREAM.source);
  let added = 0;
  for (let i = 0; i < net.params.populationSize2; i++) {
    if (high2[i] === 0) continue;
    materializeNeuron(net, s, i);
    const base = i * reserve;
    const end = base + net.inDegree[i];
    for (let c = base; c < end; c++) {
      if (high1[net.sources[c]] === 1 && net.stabilized[c] === 0) {
        net.stabilized[c] = 1;
        added++;
      }
    }
  }
  return added;
}

/**
 * Rewiring (spec §2.3): starts epoch e + 1; every non-stabilized connection is replaced by a
 * fresh one with a uniform random source. Poisson rule: the k_i stabilized connections move to
 * the front of the neuron's slots, a new in-degree d_i ~ Poisson(C) with k_i ≤ d_i < C_reserve
 * is drawn, and slots k_i … d_i − 1 get fresh sources. Fixed rule: each non-stabilized slot
 * keeps its place and gets a fresh source.
 *
 * @param net the network (modified)
 */
export function rewire(net: RewiringNetwork): void {
  net.epoch++;
  const { params, derived } = net;
  const degreeScratch = scratch(params.seed, REWIRING_STREAM.inDegree);
  for (let i = 0; i < params.populationSize2; i++) {
    net.pendingEpoch[i] = net.epoch;
    if (params.inDegreeRule === "fixed_indegree") continue;
    const base = i * derived.reserve;
    const old = net.inDegree[i];
    let kept = 0;
    for (let slot = 0; slot < old; slot++) {
      if (net.stabilized[base + slot] === 1) {
        net.sources[base + kept] = net.sources[base + slot];
        net.stabilized[base + kept] = 1;
        kept++;
      }
    }
    const d = drawInDegree(net, degreeScratch, i, kept);
    net.inDegree[i] = d;
    net.stabilized.fill(0, base + kept, base + Math.max(d, old));
  }
}

/** Parameters that define the patterns, their test noise and the test sample. */
const PATTERN_KEYS = [
  "seed",
  "populationSize1",
  "populationSize2",
  "alpha1",
  "alpha2",
  "rates",
  "nuLow1",
  "nuHigh1",
  "nuLow2",
  "nuHigh2",
  "noiseSigma",
  "noiseMaxDeviation",
  "negativeRates",
  "testPatterns",
  "backgroundStride",
] as const;

/** Throws unless every network sees the same patterns and has been trained equally far. */
function requireSamePatterns(nets: readonly RewiringNetwork[]): void {
  if (nets.length === 0) throw new ParameterError("nets", nets, "at least one network");
  const first = nets[0];
  nets.forEach((net, n) => {
    for (const key of PATTERN_KEYS) {
      if (net.params[key] !== first.params[key]) {
        throw new ParameterError(
          `nets[${n}].${key}`,
          net.params[key],
          `${first.params[key]} as nets[0]`,
        );
      }
    }
    if (net.trained !== first.trained) {
      throw new ParameterError(`nets[${n}].trained`, net.trained, `${first.trained} as nets[0]`);
    }
  });
}

/**
 * Presents training patterns trained … until − 1 (spec §2): stabilization for each, and a
 * rewiring after pattern m whenever r > 0 and (m + 1) mod r = 0.
 *
 * @param net the network (modified)
 * @param until the number of patterns trained afterwards (≥ net.trained); default T
 */
export function trainRewiringNetwork(
  net: RewiringNetwork,
  until: number = net.params.trainingPatterns,
): void {
  trainRewiringNetworks([net], until);
}

/**
 * Trains several networks that see the same patterns (same seed, sizes and α; they may differ
 * in rewiring period, in-degree rule, C or weights) on patterns trained … until − 1, drawing
 * each pattern once: a paired comparison, cheaper than training them one by one.
 *
 * @param nets the networks (modified), all trained equally far so far
 * @param until the number of patterns trained afterwards
 */
export function trainRewiringNetworks(nets: readonly RewiringNetwork[], until: number): void {
  requireSamePatterns(nets);
  const first = nets[0];
  requireInteger("until", until, { min: first.trained, max: 2 ** 31 });
  const high1 = new Uint8Array(first.params.populationSize1);
  const high2 = new Uint8Array(first.params.populationSize2);
  for (let m = first.trained; m < until; m++) {
    patternHighMask(first, m, { population: 1, out: high1 });
    patternHighMask(first, m, { population: 2, out: high2 });
    for (const net of nets) {
      stabilize(net, high1, high2);
      net.trained = m + 1;
      const r = net.params.rewiringPeriod;
      if (r > 0 && (m + 1) % r === 0) rewire(net);
    }
  }
}

/**
 * The patterns tested after T training patterns (spec §3): a Fisher–Yates permutation of
 * 0 … T − 1 from Philox words, its first n_test entries.
 *
 * @param net the network (seed, n_test)
 * @param trainingPatterns T; default the number trained so far
 */
export function testPatternOrder(
  net: RewiringNetwork,
  trainingPatterns: number = net.trained,
): number[] {
  const t = requireInteger("trainingPatterns", trainingPatterns, { min: 1, max: 2 ** 31 });
  const order = new Uint32Array(t);
  for (let i = 0; i < t; i++) order[i] = i;
  const s = scratch(net.params.seed, REWIRING_STREAM.testOrder);
  for (let step = t - 1; step > 0; step--) {
    const j = uniformIndex(draw(s, step, 0, 0, 0)[0], step + 1);
    const tmp = order[step];
    order[step] = order[j];
    order[j] = tmp;
  }
  return Array.from(order.subarray(0, Math.min(net.params.testPatterns, t)));
}

/**
 * Adds the test-time noise of spec §3 to population-1 rates of pattern m (in place): δ ~
 * Normal(0, σ_n²) redrawn until |δ| ≤ β·σ_n; negative results kept, redrawn until r + δ ≥ 0, or
 * set to 0, as `negativeRates` says. Nothing happens when σ_n = 0.
 *
 * @param net the network (noise parameters, seed)
 * @param pattern m
 * @param rates the rates of population 1 (modified)
 */
export function addTestNoise(net: RewiringNetwork, pattern: number, rates: Float64Array): void {
  const { noiseSigma: sigma, noiseMaxDeviation: beta, negativeRates } = net.params;
  if (sigma === 0) return;
  const m = requirePattern(pattern);
  const s = scratch(net.params.seed, REWIRING_STREAM.noise);
  for (let j = 0; j < rates.length; j++) {
    for (let attempt = 0;; attempt++) {
      if (attempt >= 1 << 16) {
        throw new RangeError(`pattern ${m}, neuron ${j}: no admissible noise after 65536 draws`);
      }
      if ((attempt & 3) === 0) draw(s, j, m, attempt >>> 2, 0);
      const z = fastNormalQuantile((s.out[attempt & 3] + 0.5) / TWO_32);
      if (Math.abs(z) > beta) continue;
      const noisy = rates[j] + sigma * z;
      if (negativeRates === "redraw" && noisy < 0) continue;
      rates[j] = negativeRates === "saturate" && noisy < 0 ? 0 : noisy;
      break;
    }
  }
}

/**
 * S_i = Σ_c r1[source(c)]·w(c) of population-2 neuron i (spec §1.1), w = W_s for stabilized
 * connections and W_b otherwise.
 *
 * @param net the network
 * @param rates1 the rates of population 1
 * @param neuron i
 */
export function inputSignal(net: RewiringNetwork, rates1: Float64Array, neuron: number): number {
  if (net.pendingEpoch[neuron] >= 0) {
    materializeNeuron(net, scratch(net.params.seed, REWIRING_STREAM.source), neuron);
  }
  const base = neuron * net.derived.reserve;
  const end = base + net.inDegree[neuron];
  let baseline = 0;
  let stable = 0;
  for (let c = base; c < end; c++) {
    const r = rates1[net.sources[c]];
    if (net.stabilized[c] === 1) stable += r;
    else baseline += r;
  }
  return net.params.weightBaseline * baseline + net.params.weightStabilized * stable;
}

/** The background sample offset o_m of pattern m (0 when backgroundStride is 1). */
export function backgroundOffset(net: RewiringNetwork, pattern: number): number {
  const stride = net.params.backgroundStride;
  if (stride === 1) return 0;
  const s = scratch(net.params.seed, REWIRING_STREAM.sample);
  return uniformIndex(draw(s, requirePattern(pattern), 0, 0, 0)[0], stride);
}

/** The statistics of one tested pattern (spec §3.4). */
export interface RewiringPatternResult {
  /** m. */
  pattern: number;
  /** S_c^m: mean input of the coding set (NaN if empty). */
  codingMean: number;
  /** S_b^m: mean input of the (sampled) background set (NaN if empty). */
  backgroundMean: number;
  /** σ_b²^m: population variance of the input over the (sampled) background set. */
  backgroundVariance: number;
  /** Size of the coding set. */
  codingCount: number;
  /** Number of background neurons used. */
  backgroundCount: number;
}

/** The result of testing a network (spec §3.5 and derived metrics). */
export interface RewiringTestResult {
  /** T: number of training patterns when tested. */
  trainingPatterns: number;
  /** ⟨S_c⟩ over the tested patterns with a non-empty coding set (pA·Hz). */
  codingMean: number;
  /** ⟨S_b⟩ over the tested patterns (pA·Hz). */
  backgroundMean: number;
  /** σ_b²: mean of the per-pattern background variances ((pA·Hz)²). */
  backgroundVariance: number;
  /** |⟨S_c⟩ − ⟨S_b⟩| / σ_b. */
  sdnr: number;
  /** P_c = Φ(SDNR/2). */
  probabilityCorrect: number;
  /** Per-pattern values, in test order. */
  perPattern: RewiringPatternResult[];
}

/**
 * Statistics of one pattern from the input signals (spec §3.4): coding set = high2, background
 * = the rest, sampled with the pattern's stride offset. Exported so that tests can feed
 * signals computed differently.
 *
 * @param net the network (stride)
 * @param pattern m
 * @param options the high mask of population 2 and a function giving S_i
 */
export function patternStatistics(
  net: RewiringNetwork,
  pattern: number,
  options: { high2: Uint8Array; signal: (neuron: number) => number },
): RewiringPatternResult {
  const stride = net.params.backgroundStride;
  const offset = backgroundOffset(net, pattern);
  let codingSum = 0;
  let codingCount = 0;
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let i = 0; i < net.params.populationSize2; i++) {
    if (options.high2[i] === 1) {
      codingSum += options.signal(i);
      codingCount++;
    } else if (stride === 1 || (i + offset) % stride === 0) {
      const v = options.signal(i);
      sum += v;
      sumSquares += v * v;
      count++;
    }
  }
  const backgroundMean = sum / count;
  return {
    pattern,
    codingMean: codingSum / codingCount,
    backgroundMean,
    backgroundVariance: sumSquares / count - backgroundMean * backgroundMean,
    codingCount,
    backgroundCount: count,
  };
}

/**
 * Summarizes per-pattern statistics into ⟨S_c⟩, ⟨S_b⟩, σ_b², SDNR and P_c (spec §3.5);
 * patterns with an empty coding (background) set do not enter ⟨S_c⟩ (⟨S_b⟩, σ_b²).
 *
 * @param perPattern the per-pattern values
 * @param trainingPatterns T, recorded in the result
 */
export function summarizeTest(
  perPattern: RewiringPatternResult[],
  trainingPatterns: number,
): RewiringTestResult {
  let sc = 0, nc = 0, sb = 0, vb = 0, nb = 0;
  for (const r of perPattern) {
    if (r.codingCount > 0) {
      sc += r.codingMean;
      nc++;
    }
    if (r.backgroundCount > 0) {
      sb += r.backgroundMean;
      vb += r.backgroundVariance;
      nb++;
    }
  }
  const codingMean = sc / nc;
  const backgroundMean = sb / nb;
  const backgroundVariance = vb / nb;
  const sdnr = Math.abs(codingMean - backgroundMean) / Math.sqrt(backgroundVariance);
  return {
    trainingPatterns,
    codingMean,
    backgroundMean,
    backgroundVariance,
    sdnr,
    probabilityCorrect: Number.isFinite(sdnr) ? probabilityCorrect(sdnr) : NaN,
    perPattern,
  };
}

/**
 * Tests the network (spec §3): for each pattern of `patterns` (default
 * {@linkcode testPatternOrder}), regenerates r1 and r2, adds the test noise to r1, computes
 * S_i with r1 only and records S_c^m, S_b^m, σ_b²^m.
 *
 * @param net the trained network
 * @param options `patterns` to test instead of the spec's order
 */
export function testRewiringNetwork(
  net: RewiringNetwork,
  options: { patterns?: readonly number[] } = {},
): RewiringTestResult {
  return testRewiringNetworks([net], options)[0];
}

/**
 * Tests several networks that see the same patterns (see {@linkcode trainRewiringNetworks})
 * on the same test patterns, drawing each pattern and its noise once.
 *
 * @param nets the trained networks, trained equally far
 * @param options `patterns` to test instead of the spec's order
 */
export function testRewiringNetworks(
  nets: readonly RewiringNetwork[],
  options: { patterns?: readonly number[] } = {},
): RewiringTestResult[] {
  requireSamePatterns(nets);
  const first = nets[0];
  const patterns = options.patterns ?? testPatternOrder(first);
  for (const net of nets) materializeSources(net);
  const rates1 = new Float64Array(first.params.populationSize1);
  const high2 = new Uint8Array(first.params.populationSize2);
  const perPattern: RewiringPatternResult[][] = nets.map(() => []);
  for (const m of patterns) {
    patternRates(first, m, { population: 1, out: rates1 });
    addTestNoise(first, m, rates1);
    patternHighMask(first, m, { population: 2, out: high2 });
    nets.forEach((net, n) => {
      perPattern[n].push(patternStatistics(net, m, {
        high2,
        signal: (i) => inputSignal(net, rates1, i),
      }));
    });
  }
  return nets.map((net, n) => summarizeTest(perPattern[n], net.trained));
}

/**
 * Builds, trains (T patterns) and tests a network: the whole procedure of spec §1–§3 on the CPU.
 *
 * @param options the model parameters (defaults of spec §1.2 — full size; use small sizes here)
 */
export function runRewiring(options: Partial<RewiringModelParams> = {}): RewiringTestResult {
  const net = createRewiringNetwork(options);
  trainRewiringNetwork(net);
  return testRewiringNetwork(net);
}

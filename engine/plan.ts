/**
 * The backend-independent plan of a network: propagators and drive tables per population,
 * sampling tables and random-stream keys per projection, ring-buffer size, the fixed-point
 * scale, and the initial potentials. Both backends build from the same plan, which is what
 * makes their connectivity and inputs bit-identical.
 */
import { ParameterError } from "./errors.ts";
import type { FacilitationParams } from "./facilitation.ts";
import { type Propagators, propagators } from "./iaf_psc_exp.ts";
import type { CurrentSpec, NetworkSpec, PopulationSpec, ProjectionSpec } from "./network.ts";
import { philox4x32, STREAM } from "./rng/philox.ts";
import {
  delayTable,
  type DiscreteTable,
  fixedPointTable,
  poissonTable,
  sampleDiscrete,
  weightQuantileTable,
} from "./sampling.ts";

/** The Poisson drive of a population, ready for sampling. */
export interface PoissonPlan {
  table: DiscreteTable;
  /** Event weight (pA). */
  weight: number;
  delaySteps: number;
  /** Largest count the table can return. */
  maxCount: number;
}

/** What a backend needs to update one population. */
export interface PopulationPlan {
  spec: PopulationSpec;
  prop: Propagators;
  /** Threshold relative to E_L (mV). */
  thetaY: number;
  /** Reset potential relative to E_L (mV). */
  resetY: number;
  poisson: PoissonPlan | null;
  /** Parameters of the facilitating synapses leaving this population (state per neuron). */
  facilitation: Required<FacilitationParams> | null;
}

/** What a backend needs to evaluate one current generator. */
export interface CurrentPlan {
  spec: CurrentSpec;
  /** First global id and size of the target population. */
  first: number;
  size: number;
  /** Redraw period in steps. */
  dtSteps: number;
  /** Emits for update steps m with startStep ≤ m < stopStep (step ends in (start, stop]). */
  startStep: number;
  stopStep: number;
  /** Per-target delay in steps. */
  delay: DiscreteTable;
  /** Key of the sample stream. */
  key: [number, number];
  /** Key of the per-target delay stream. */
  delayKey: [number, number];
}

/** Rule codes shared by the CPU generator and the WGSL connect kernel. */
export const RULE_CODE = Object.freeze({
  fixed_total_number: 0,
  fixed_indegree: 1,
  fixed_indegree_unique: 2,
  fixed_outdegree: 3,
  fixed_outdegree_unique: 4,
  pairwise_bernoulli: 5,
  all_to_all: 6,
  one_to_one: 7,
});

/** What a backend needs to generate one projection. */
export interface ProjectionPlan {
  spec: ProjectionSpec;
  code: number;
  key: [number, number];
  preFirst: number;
  preSize: number;
  postFirst: number;
  postSize: number;
  /** Autapses must be skipped (same population and not allowed). */
  excludeAutapses: boolean;
  /** n, k, or the Bernoulli threshold round(p·2^32) (0xffffffff with `always` for p = 1). */
  count: number;
  bernoulliAlways: boolean;
  /** Number of work items of the generator (synapses for per-synapse rules, rows otherwise). */
  items: number;
  delay: DiscreteTable;
  weightTable: Float64Array;
  maxAbsWeight: number;
  /** In-degree bound units added per synapse (see `NetworkPlan.unitPa`). */
  units: number;
}

/** The plan of a whole network. */
export interface NetworkPlan {
  spec: NetworkSpec;
  populations: PopulationPlan[];
  projections: ProjectionPlan[];
  /** Population index of each neuron. */
  neuronPopulation: Uint32Array;
  maxDelaySteps: number;
  /** Ring-buffer slots: max delay + 1. */
  ringSlots: number;
  /** pA per in-degree bound unit. */
  unitPa: number;
  /** Largest single-step Poisson input (pA) of any population. */
  maxPoissonInput: number;
  /** Current generators. */
  currents: CurrentPlan[];
  /** Whether any projection is facilitating. */
  hasFacilitation: boolean;
}

/** Poisson tables hold fewer thresholds than this (the GPU searches a padded table). */
export const POISSON_TABLE_SLOTS = 128;

/** Computes the plan of a validated network description. */
export function planNetwork(spec: NetworkSpec): NetworkPlan {
  const h = spec.resolutionMs;
  const populations = spec.populations.map((pop): PopulationPlan => {
    let poisson: PoissonPlan | null = null;
    if (pop.poisson) {
      const table = poissonTable(pop.poisson.rateHz * h * 1e-3);
      if (table.thresholds.length >= POISSON_TABLE_SLOTS) {
        throw new ParameterError(
          `poisson(${pop.name}).rateHz`,
          pop.poisson.rateHz,
          `a rate with at most ${POISSON_TABLE_SLOTS} possible counts per step (λ ≤ 50)`,
        );
      }
      poisson = {
        table,
        weight: pop.poisson.weight,
        delaySteps: Math.round(pop.poisson.delayMs / h),
        maxCount: table.values[table.values.length - 1],
      };
    }
    return {
      spec: pop,
      prop: propagators(pop.params, h),
      thetaY: pop.params.V_th - pop.params.E_L,
      resetY: pop.params.V_reset - pop.params.E_L,
      poisson,
      facilitation: spec.projections.find((p) => p.pre === pop.index && p.facilitation)
        ?.facilitation ?? null,
    };
  });
  const neuronPopulation = new Uint32Array(spec.neuronCount);
  for (const pop of spec.populations) {
    neuronPopulation.fill(pop.index, pop.first, pop.first + pop.size);
  }

  const projections = spec.projections.map((proj) => planProjection(spec, proj));
  const globalMaxW = Math.max(0, ...projections.map((p) => p.maxAbsWeight));
  const unitPa = globalMaxW > 0 ? globalMaxW / 256 : 1;
  for (const p of projections) {
    p.units = p.maxAbsWeight > 0 ? Math.ceil(p.maxAbsWeight / unitPa) : 0;
  }

  let maxDelaySteps = 1;
  for (const p of projections) maxDelaySteps = Math.max(maxDelaySteps, ...p.delay.values);
  for (const p of populations) {
    if (p.poisson) maxDelaySteps = Math.max(maxDelaySteps, p.poisson.delaySteps);
  }
  const currents = (spec.currents ?? []).map((c): CurrentPlan => {
    const pop = spec.populations[c.target];
    return {
      spec: c,
      first: pop.first,
      size: pop.size,
      dtSteps: Math.round(c.dtMs / h),
      startStep: Math.round(c.startMs / h),
      stopStep: Number.isFinite(c.stopMs) ? Math.round(c.stopMs / h) : Infinity,
      delay: delayTable(c.delay, h),
      key: [spec.seed, STREAM.current + c.index],
      delayKey: [spec.seed, STREAM.currentDelay + c.index],
    };
  });
  const maxPoissonInput = Math.max(
    0,
    ...populations.map((p) => p.poisson ? p.poisson.maxCount * Math.abs(p.poisson.weight) : 0),
  );
  return {
    spec,
    populations,
    projections,
    neuronPopulation,
    maxDelaySteps,
    ringSlots: maxDelaySteps + 1,
    unitPa,
    maxPoissonInput,
    currents,
    hasFacilitation: populations.some((p) => p.facilitation !== null),
  };
}

function planProjection(spec: NetworkSpec, proj: ProjectionSpec): ProjectionPlan {
  const pre = spec.populations[proj.pre];
  const post = spec.populations[proj.post];
  const excludeAutapses = proj.pre === proj.post && !proj.rule.allowAutapses;
  const where = `connect(${pre.name}→${post.name}).rule`;
  let code: number;
  let count = 0;
  let items: number;
  let bernoulliAlways = false;
  const poolPre = pre.size - (excludeAutapses ? 1 : 0);
  const poolPost = post.size - (excludeAutapses ? 1 : 0);
  switch (proj.rule.kind) {
    case "fixed_total_number":
      code = RULE_CODE.fixed_total_number;
      count = proj.rule.n;
      items = count;
      if (count > 0 && poolPre < 1) {
        throw new ParameterError(
          `${where}.allowAutapses`,
          false,
          "true when the population has one neuron",
        );
      }
      break;
    case "fixed_indegree":
      count = proj.rule.k;
      if (proj.rule.allowMultapses) {
        code = RULE_CODE.fixed_indegree;
        items = count * post.size;
      } else {
        code = RULE_CODE.fixed_indegree_unique;
        items = post.size;
      }
      if (count > 0 && (proj.rule.allowMultapses ? poolPre < 1 : count > poolPre)) {
        throw new ParameterError(
          `${where}.k`,
          count,
          `at most ${poolPre} distinct sources per target`,
        );
      }
      break;
    case "fixed_outdegree":
      count = proj.rule.k;
      if (proj.rule.allowMultapses) {
        code = RULE_CODE.fixed_outdegree;
        items = count * pre.size;
      } else {
        code = RULE_CODE.fixed_outdegree_unique;
        items = pre.size;
      }
      if (count > 0 && (proj.rule.allowMultapses ? poolPost < 1 : count > poolPost)) {
        throw new ParameterError(
          `${where}.k`,
          count,
          `at most ${poolPost} distinct targets per source`,
        );
      }
      break;
    case "pairwise_bernoulli":
      code = RULE_CODE.pairwise_bernoulli;
      bernoulliAlways = proj.rule.p >= 1;
      count = Math.min(0xffffffff, Math.round(proj.rule.p * 2 ** 32));
      items = pre.size;
      break;
    case "all_to_all":
      code = RULE_CODE.all_to_all;
      items = pre.size;
      break;
    case "one_to_one":
      code = RULE_CODE.one_to_one;
      items = pre.size;
      break;
  }
  if (items > 0xffffffff) {
    throw new ParameterError(where, items, "at most 2^32 − 1 synapses per projection");
  }
  const weightTable = weightQuantileTable(proj.weight);
  let maxAbsWeight = 0;
  for (const w of weightTable) maxAbsWeight = Math.max(maxAbsWeight, Math.abs(w));
  return {
    spec: proj,
    code,
    key: [spec.seed, STREAM.connect + proj.index],
    preFirst: pre.first,
    preSize: pre.size,
    postFirst: post.first,
    postSize: post.size,
    excludeAutapses,
    count,
    bernoulliAlways,
    items,
    delay: delayTable(proj.delay, spec.resolutionMs),
    weightTable,
    maxAbsWeight,
    units: 0,
  };
}

/** Largest fixed-point scale (units per pA) used: finer resolution brings nothing. */
export const MAX_FIXED_POINT_SCALE = 2 ** 20;

/**
 * The fixed-point scale (a power of two, units per pA) for the built network: the largest
 * scale at which the summed input of one step into one neuron cannot overflow i32.
 * `maxInUnits` is the largest per-target sum of bound units found while connecting.
 *
 * The guarantee holds for the rounded weights: synaptic weights never exceed their bound
 * (`fixedPointWeights` clamps them), and the Poisson weight, rounded to nearest, may exceed
 * |w|·scale by half a unit per event, for which one unit per event is reserved.
 */
export function fixedPointScale(plan: NetworkPlan, maxInUnits: number): number {
  const bound = maxInUnits * plan.unitPa + plan.maxPoissonInput;
  if (bound === 0) return MAX_FIXED_POINT_SCALE;
  let maxPoissonCount = 0;
  for (const p of plan.populations) {
    if (p.poisson) maxPoissonCount = Math.max(maxPoissonCount, p.poisson.maxCount);
  }
  const limit = 2 ** 31 - 1 - maxPoissonCount;
  const scale = 2 ** Math.floor(Math.log2(limit / (bound * (1 + 1e-9))));
  if (scale < 1) {
    throw new ParameterError(
      "network.weights",
      bound,
      "a largest possible summed input per step and neuron below 2^31 − 1 pA (i32 fixed point at 1 unit/pA)",
    );
  }
  return Math.min(scale, MAX_FIXED_POINT_SCALE);
}

/**
 * The fixed-point weight table of `proj` at `scale`: each entry rounded to nearest, but never
 * beyond the projection's bound `units · unitPa · scale`. Rounding alone can exceed |w|·scale by
 * half a unit, and thousands of such synapses converging on one neuron would then overflow the
 * i32 sum that `fixedPointScale` promises to bound. Both backends use this table.
 */
export function fixedPointWeights(
  plan: NetworkPlan,
  proj: ProjectionPlan,
  scale: number,
): Int32Array {
  const table = fixedPointTable(proj.weightTable, scale);
  const limit = Math.floor(proj.units * plan.unitPa * scale);
  for (let i = 0; i < table.length; i++) table[i] = Math.max(-limit, Math.min(limit, table[i]));
  return table;
}

/** Initial membrane potentials (mV) of every neuron, drawn per neuron from the v0 distributions. */
export function initialPotentials(spec: NetworkSpec): Float64Array {
  const v = new Float64Array(spec.neuronCount);
  const out = new Uint32Array(4);
  const key: [number, number] = [spec.seed, STREAM.v0];
  for (const pop of spec.populations) {
    const d = pop.v0;
    for (let i = pop.first; i < pop.first + pop.size; i++) {
      if (d.kind === "constant") {
        v[i] = d.value;
        continue;
      }
      let value = d.mean;
      for (let attempt = 0; attempt < 10000; attempt++) {
        philox4x32([i, attempt, 0, 0], key, out);
        const u1 = (out[0] + 1) / 2 ** 32;
        const u2 = out[1] / 2 ** 32;
        value = d.mean + d.std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        if (value >= d.min && value <= d.max) break;
      }
      v[i] = value;
    }
  }
  return v;
}

/**
 * The Poisson count of neuron `at.neuron` for events generated in step `at.step`. One Philox
 * call serves four neighbouring neurons of a population (counter: quad index within the
 * population and step; key: seed and stream + population index), the layout the GPU update
 * kernel uses; the neuron's word is its index within the quad. 0 without a Poisson drive.
 */
export function poissonCount(
  plan: NetworkPlan,
  at: { neuron: number; step: number },
  options: { scratch?: Uint32Array } = {},
): number {
  const popIndex = plan.neuronPopulation[at.neuron];
  const pop = plan.populations[popIndex];
  if (!pop.poisson) return 0;
  const local = at.neuron - pop.spec.first;
  const words = philox4x32(
    [local >>> 2, at.step, 0, 0],
    [plan.spec.seed, STREAM.poisson + popIndex],
    options.scratch,
  );
  return sampleDiscrete(pop.poisson.table, words[local & 3]);
}

/** The delay (steps) of current generator `gen` to the neuron `local` of its target population. */
export function currentDelaySteps(gen: CurrentPlan, local: number): number {
  const words = philox4x32([local, 0, 0, 0], gen.delayKey);
  return sampleDiscrete(gen.delay, words[0]);
}

/**
 * The update steps [first, end) in which current generator `gen` can add to a target whose
 * delay (steps) lies in [minDelay, maxDelay]: the value used in step n is the one emitted for
 * m = n − delay − 1, and the generator emits for startStep ≤ m < stopStep. [0, 0) for an empty
 * window; `end` is Infinity for an open one.
 */
export function currentReach(
  gen: CurrentPlan,
  minDelay: number,
  maxDelay: number,
): [number, number] {
  if (!(gen.startStep < gen.stopStep)) return [0, 0];
  return [gen.startStep + minDelay + 1, gen.stopStep + maxDelay + 1];
}

/** A maximal run of update steps [first, end) in which the same current generators can add input. */
export interface CurrentEpoch {
  first: number;
  /** Exclusive; Infinity for the last epoch of open windows. */
  end: number;
  /** Indices (into `reaches`) of the generators that can, ascending. */
  active: number[];
}

/**
 * Splits the update steps at every boundary of `reaches` (one [first, end) per generator, see
 * `currentReach`) into epochs with the same set of reachable generators; only epochs with at
 * least one are returned, in step order. In the steps between them no generator adds input.
 */
export function currentEpochs(reaches: [number, number][]): CurrentEpoch[] {
  const live = reaches.filter(([a, b]) => a < b);
  const cuts = [...new Set(live.flat())].sort((x, y) => x - y);
  const out: CurrentEpoch[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [first, end] = [cuts[i], cuts[i + 1]];
    const active: number[] = [];
    reaches.forEach(([a, b], g) => {
      if (a < b && a <= first && end <= b) active.push(g);
    });
    if (active.length > 0) out.push({ first, end, active });
  }
  return out;
}

/**
 * The current (pA) generator `gen` emitted for update step `at.step` to neuron `at.local` of its
 * target population: mean + std·ξ, ξ a Box–Muller normal from one Philox call with counter
 * (local index, redraw block), 0 outside the generator's window. The neuron applies it in step
 * `at.step + delay + 1`.
 */
export function currentSample(
  gen: CurrentPlan,
  at: { local: number; step: number },
  options: { scratch?: Uint32Array } = {},
): number {
  if (at.step < gen.startStep || at.step >= gen.stopStep) return 0;
  const { meanPa, stdPa } = gen.spec;
  if (stdPa === 0) return meanPa;
  const block = Math.floor(at.step / gen.dtSteps);
  const w = philox4x32([at.local, block, 0, 0], gen.key, options.scratch);
  return meanPa + stdPa * gaussianFromWords(w[0], w[1]);
}

/** A standard normal from two uniform u32 words (Box–Muller, cosine branch). */
export function gaussianFromWords(w0: number, w1: number): number {
  const u1 = (w0 + 1) / 2 ** 32;
  const u2 = w1 / 2 ** 32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * The network builder: populations of `iaf_psc_exp` neurons, their drives (Poisson, DC),
 * connections by NEST's rules, and which populations are recorded. It only describes the
 * network; a backend (`engine/gpu`, `engine/cpu`) builds and simulates it. Every call
 * validates its input and throws a ParameterError before any GPU work.
 */
import { asDistribution, type Distribution, validateDistribution } from "./distributions.ts";
import {
  DescribedValue,
  ParameterError,
  requireFinite,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from "./errors.ts";
import { type FacilitationParams, validateFacilitation } from "./facilitation.ts";
import { iafPscExp, type IafPscExpParams, validateIafPscExp } from "./iaf_psc_exp.ts";

/** The connection rules, named as in NEST's `conn_spec`. */
export type ConnectionRule =
  | { kind: "one_to_one" }
  | { kind: "all_to_all"; allowAutapses?: boolean }
  | { kind: "fixed_indegree"; k: number; allowAutapses?: boolean; allowMultapses?: boolean }
  | { kind: "fixed_outdegree"; k: number; allowAutapses?: boolean; allowMultapses?: boolean }
  | { kind: "fixed_total_number"; n: number; allowAutapses?: boolean; allowMultapses?: boolean }
  | { kind: "pairwise_bernoulli"; p: number; allowAutapses?: boolean };

/** Names of the supported connection rules. */
export const CONNECTION_RULES = [
  "one_to_one",
  "all_to_all",
  "fixed_indegree",
  "fixed_outdegree",
  "fixed_total_number",
  "pairwise_bernoulli",
] as const;

/**
 * A population handle returned by `Network.population`. The network recognises its own
 * handles by identity: a handle of another network (even with the same name and index) or a
 * copy of one is rejected.
 */
export interface Population {
  /** Index of the population in creation order. */
  readonly index: number;
  readonly name: string;
  readonly size: number;
  /** Global id of the first neuron (neurons are numbered 0..N-1 across populations). */
  readonly first: number;
}

/** Options of `Network.population`. */
export interface PopulationOptions {
  size: number;
  /** Neuron parameters (see `iafPscExp`); defaults to NEST's. */
  params?: IafPscExpParams;
  /** Initial membrane potential (mV); defaults to E_L. A normal draw per neuron if a distribution. */
  v0?: number | Distribution;
}

/** Options of `Network.poisson`: an independent Poisson train per target neuron. */
export interface PoissonDriveOptions {
  /** Rate of each neuron's train (Hz). */
  rateHz: number;
  /** PSC amplitude of one event (pA); the sign selects the excitatory or inhibitory current. */
  weight: number;
  /** Delay from generator to neuron (ms), a multiple of the resolution ≥ one step. */
  delayMs: number;
}

/** Options of `Network.connect`. */
export interface ConnectOptions {
  rule: ConnectionRule;
  /** PSC amplitude (pA) per synapse; positive → excitatory current, negative → inhibitory. */
  weight: number | Distribution;
  /** Transmission delay (ms), rounded to whole steps ≥ 1. */
  delay: number | Distribution;
  /**
   * Makes the synapses short-term facilitating (Tsodyks–Markram, `engine/facilitation.ts`):
   * each spike transmits W·u·x. The state is kept once per presynaptic neuron, so every
   * facilitating projection leaving one population must use the same parameters.
   */
  facilitation?: FacilitationParams;
}

/**
 * Options of `Network.current`: a current generator feeding every neuron of a population its
 * own independent sample mean + std·ξ (ξ ~ N(0, 1)), redrawn every `dtMs` and held in between
 * (NEST `noise_generator`; with std = 0 a constant current, NEST `dc_generator`). The value
 * emitted for the update step m (from m·h to (m+1)·h) is applied to the neuron in step
 * m + delay + 1, as NEST's `i_0` input (through P20, not the synaptic filter).
 */
export interface CurrentOptions {
  /** Mean current (pA). */
  meanPa: number;
  /** Standard deviation (pA); default 0 (constant current). */
  stdPa?: number;
  /** Redraw period (ms), a multiple of the resolution; default one step. */
  dtMs?: number;
  /** Emits for update steps ending in (startMs, stopMs]; default 0. */
  startMs?: number;
  /** Default +∞ (the whole run). */
  stopMs?: number;
  /** Delay per target neuron (ms), rounded to whole steps ≥ 1; a distribution draws one per neuron. */
  delay?: number | Distribution;
}

/** A fully described current generator (what backends read). */
export interface CurrentSpec {
  index: number;
  target: number;
  meanPa: number;
  stdPa: number;
  dtMs: number;
  startMs: number;
  stopMs: number;
  delay: Distribution;
}

/** A fully described population (what backends read). */
export interface PopulationSpec extends Population {
  params: IafPscExpParams;
  v0: Distribution;
  poisson: PoissonDriveOptions | null;
  recorded: boolean;
}

/** A fully described projection (what backends read). */
export interface ProjectionSpec {
  index: number;
  pre: number;
  post: number;
  rule: Required<ConnectionRule> & { allowAutapses: boolean; allowMultapses: boolean };
  weight: Distribution;
  delay: Distribution;
  /** Facilitation parameters, or null for static synapses. */
  facilitation: Required<FacilitationParams> | null;
}

/** The validated description of a network, independent of any backend. */
export interface NetworkSpec {
  resolutionMs: number;
  seed: number;
  neuronCount: number;
  populations: PopulationSpec[];
  projections: ProjectionSpec[];
  /** Current generators (may be absent in specs written before they existed). */
  currents?: CurrentSpec[];
}

/** Options of the Network constructor. */
export interface NetworkOptions {
  /** Simulation step h (ms); default 0.1. */
  resolutionMs?: number;
  /** Master seed of all random streams (integer in [0, 2^32 − 1]); default 55. */
  seed?: number;
}

/** Most populations a network may have (per-population constants live in a uniform array). */
export const MAX_POPULATIONS = 256;

/** Largest population size the engine's packed synapse format supports. */
export const MAX_NEURONS = 1 << 24;

/** Builds a network description. See the module documentation. */
export class Network {
  readonly resolutionMs: number;
  readonly seed: number;
  #populations: PopulationSpec[] = [];
  #projections: ProjectionSpec[] = [];
  #currents: CurrentSpec[] = [];
  /** The handles this network gave out, each with its population. */
  #handles = new WeakMap<object, PopulationSpec>();

  constructor(options: NetworkOptions = {}) {
    this.resolutionMs = requirePositive("resolutionMs", options.resolutionMs ?? 0.1);
    this.seed = requireInteger("seed", options.seed ?? 55, { min: 0, max: 0xffffffff });
  }

  /** Number of neurons created so far. */
  get neuronCount(): number {
    const last = this.#populations.at(-1);
    return last ? last.first + last.size : 0;
  }

  /** Creates a population of `iaf_psc_exp` neurons. */
  population(name: string, options: PopulationOptions): Population {
    if (typeof name !== "string" || name.length === 0) {
      throw new ParameterError("population.name", name, "a non-empty string");
    }
    if (this.#populations.some((p) => p.name === name)) {
      throw new ParameterError(`population(${name}).name`, name, "a name not used before");
    }
    const where = `population(${name})`;
    if (this.#populations.length >= MAX_POPULATIONS) {
      throw new ParameterError(
        `${where}`,
        this.#populations.length + 1,
        `at most ${MAX_POPULATIONS} populations`,
      );
    }
    requireInteger(`${where}.size`, options.size, { min: 1, max: MAX_NEURONS });
    if (this.neuronCount + options.size > MAX_NEURONS) {
      throw new ParameterError(
        `${where}.size`,
        options.size,
        `a total of at most ${MAX_NEURONS} neurons`,
      );
    }
    const params = options.params ?? iafPscExp();
    validateIafPscExp(params, `${where}.params`);
    if (
      params.t_ref > 0 &&
      Math.abs(params.t_ref / this.resolutionMs - Math.round(params.t_ref / this.resolutionMs)) >
        1e-9 * Math.max(1, params.t_ref / this.resolutionMs)
    ) {
      throw new ParameterError(
        `${where}.params.t_ref`,
        params.t_ref,
        `a multiple of the resolution (${this.resolutionMs} ms)`,
      );
    }
    if (Math.round(params.t_ref / this.resolutionMs) > 65534) {
      // The GPU keeps the refractory count in 16 bits of the neuron's state tag.
      throw new ParameterError(
        `${where}.params.t_ref`,
        params.t_ref,
        `at most ${65534 * this.resolutionMs} ms (65534 steps)`,
      );
    }
    const v0 = asDistribution(options.v0 ?? params.E_L);
    validateDistribution(v0, `${where}.v0`);
    const spec: PopulationSpec = {
      index: this.#populations.length,
      name,
      size: options.size,
      first: this.neuronCount,
      params: { ...params },
      v0,
      poisson: null,
      recorded: false,
    };
    this.#populations.push(spec);
    const handle: Population = Object.freeze({
      index: spec.index,
      name,
      size: spec.size,
      first: spec.first,
    });
    this.#handles.set(handle, spec);
    return handle;
  }

  /** Drives every neuron of `target` with its own independent Poisson train. */
  poisson(target: Population, options: PoissonDriveOptions): void {
    const pop = this.#lookup(target, "poisson.target");
    const where = `poisson(${pop.name})`;
    if (pop.poisson) {
      throw new ParameterError(
        `${where}`,
        "second drive",
        "at most one Poisson drive per population",
      );
    }
    requireNonNegative(`${where}.rateHz`, options.rateHz);
    if (typeof options.weight !== "number" || !Number.isFinite(options.weight)) {
      throw new ParameterError(`${where}.weight`, options.weight, "a finite number (pA)");
    }
    this.#checkDelay(`${where}.delayMs`, options.delayMs);
    const lambda = options.rateHz * this.resolutionMs * 1e-3;
    if (lambda > 50) {
      throw new ParameterError(
        `${where}.rateHz`,
        options.rateHz,
        `a rate ≤ ${50 / (this.resolutionMs * 1e-3)} Hz (at most 50 expected events per step)`,
      );
    }
    pop.poisson = { rateHz: options.rateHz, weight: options.weight, delayMs: options.delayMs };
  }

  /** Adds a constant current (pA) to every neuron of `target` (NEST: I_e or a dc_generator). */
  dc(target: Population, amplitudePa: number): void {
    const pop = this.#lookup(target, "dc.target");
    if (typeof amplitudePa !== "number" || !Number.isFinite(amplitudePa)) {
      throw new ParameterError(`dc(${pop.name}).amplitudePa`, amplitudePa, "a finite number (pA)");
    }
    pop.params.I_e += amplitudePa;
  }

  /** Connects `pre` to `post` with a rule, weights and delays. */
  connect(pre: Population, post: Population, options: ConnectOptions): void {
    const source = this.#lookup(pre, "connect.pre");
    const target = this.#lookup(post, "connect.post");
    const where = `connect(${source.name}→${target.name})`;
    if (!options || typeof options !== "object") {
      throw new ParameterError(where, options, "an options object { rule, weight, delay }");
    }
    const rule = normalizeRule(options.rule, source.size, target.size, `${where}.rule`);
    const weight = asDistribution(options.weight);
    validateDistribution(weight, `${where}.weight`);
    const delay = this.#delayDistribution(`${where}.delay`, options.delay);
    let facilitation: Required<FacilitationParams> | null = null;
    if (options.facilitation !== undefined) {
      validateFacilitation(options.facilitation, `${where}.facilitation`);
      const f = options.facilitation;
      facilitation = { U: f.U, tauF: f.tauF, tauD: f.tauD, u0: f.u0 ?? f.U, x0: f.x0 ?? 1 };
      const other = this.#projections.find((p) => p.pre === source.index && p.facilitation);
      if (other && JSON.stringify(other.facilitation) !== JSON.stringify(facilitation)) {
        throw new ParameterError(
          `${where}.facilitation`,
          facilitation,
          `the parameters of the other facilitating projections of ${source.name} (${
            JSON.stringify(other.facilitation)
          }): the state is kept per presynaptic neuron`,
        );
      }
    }
    this.#projections.push({
      index: this.#projections.length,
      pre: source.index,
      post: target.index,
      rule,
      weight,
      delay,
      facilitation,
    });
  }

  /** Adds a current generator to every neuron of `target` (see `CurrentOptions`). */
  current(target: Population, options: CurrentOptions): void {
    const pop = this.#lookup(target, "current.target");
    const where = `current(${pop.name})`;
    if (!options || typeof options !== "object") {
      throw new ParameterError(where, options, "an options object { meanPa, stdPa?, ... }");
    }
    const h = this.resolutionMs;
    const meanPa = requireFinite(`${where}.meanPa`, options.meanPa);
    const stdPa = requireNonNegative(`${where}.stdPa`, options.stdPa ?? 0);
    const dtMs = requirePositive(`${where}.dtMs`, options.dtMs ?? h);
    const dtSteps = dtMs / h;
    if (dtSteps < 1 - 1e-9 || Math.abs(dtSteps - Math.round(dtSteps)) > 1e-6 * dtSteps) {
      throw new ParameterError(`${where}.dtMs`, dtMs, `a multiple of the resolution (${h} ms)`);
    }
    const startMs = requireNonNegative(`${where}.startMs`, options.startMs ?? 0);
    const stopMs = options.stopMs ?? Infinity;
    if (typeof stopMs !== "number" || Number.isNaN(stopMs) || !(stopMs >= startMs)) {
      throw new ParameterError(`${where}.stopMs`, stopMs, `a time ≥ startMs (${startMs} ms)`);
    }
    const delay = this.#delayDistribution(`${where}.delay`, options.delay ?? h);
    this.#currents.push({
      index: this.#currents.length,
      target: pop.index,
      meanPa,
      stdPa,
      dtMs,
      startMs,
      stopMs,
      delay,
    });
  }

  /** Records the spikes of `population`. */
  record(population: Population): void {
    this.#lookup(population, "record.population").recorded = true;
  }

  /** The validated, immutable description that backends build from. */
  spec(): NetworkSpec {
    if (this.#populations.length === 0) {
      throw new ParameterError("populations", 0, "at least one population");
    }
    return structuredClone({
      resolutionMs: this.resolutionMs,
      seed: this.seed,
      neuronCount: this.neuronCount,
      populations: this.#populations,
      projections: this.#projections,
      currents: this.#currents,
    });
  }

  #lookup(p: Population, where: string): PopulationSpec {
    const spec = p !== null && typeof p === "object" ? this.#handles.get(p) : undefined;
    if (!spec) {
      const named = p !== null && typeof p === "object" && typeof p.name === "string";
      throw new ParameterError(
        where,
        named ? p.name : p,
        "a population handle returned by this network's population()" +
          (named ? " (this one belongs to another Network, or is a copy of a handle)" : ""),
      );
    }
    return spec;
  }

  /**
   * A validated delay distribution: a constant on the grid (`#checkDelay`), or a normal whose
   * redraw window [min, max], cut to mean ± 9 std (where the delay table ends), lies within
   * [h/2, 4095·h] so that every delay rounds to 1..4095 steps.
   */
  #delayDistribution(where: string, value: number | Distribution): Distribution {
    const delay = asDistribution(value);
    validateDistribution(delay, where);
    if (delay.kind === "constant") {
      this.#checkDelay(where, delay.value);
      return delay;
    }
    const h = this.resolutionMs;
    const range = `[${ms(h / 2)}, ${ms(4095 * h)}] ms`;
    const why = `≥ ${ms(h / 2)} ms, half the resolution of ${h} ms, so that every delay rounds ` +
      `to ≥ 1 step`;
    const lo = Math.max(delay.min, delay.mean - 9 * delay.std);
    if (!(lo >= h / 2)) {
      if (delay.min === -Infinity) {
        throw new ParameterError(
          `${where}.min`,
          new DescribedValue(
            `no lower bound (the lower tail of normal(${delay.mean}, ${delay.std}) reaches ` +
              `${ms(lo)} ms)`,
          ),
          `a lower bound in ${range}, as normal(mean, std, { min }): a normal delay needs ` +
            `min ${why}`,
        );
      }
      throw new ParameterError(
        `${where}.min`,
        delay.min,
        `a redraw lower bound in ${range}: min ${why}`,
      );
    }
    const hi = Math.min(delay.max, delay.mean + 9 * delay.std);
    if (hi / h > 4095) {
      throw new ParameterError(
        `${where}.max`,
        delay.max === Infinity
          ? new DescribedValue(
            `no upper bound (the upper tail of normal(${delay.mean}, ${delay.std}) reaches ` +
              `${ms(hi)} ms)`,
          )
          : delay.max,
        `delays of at most ${ms(4095 * h)} ms (4095 steps): a redraw upper bound in ${range}, ` +
          `as normal(mean, std, { max })`,
      );
    }
    return delay;
  }

  #checkDelay(where: string, delayMs: number): void {
    requirePositive(where, delayMs);
    const steps = delayMs / this.resolutionMs;
    if (steps < 1 - 1e-9 || Math.abs(steps - Math.round(steps)) > 1e-6 * steps) {
      throw new ParameterError(
        where,
        delayMs,
        `a multiple of the resolution (${this.resolutionMs} ms), at least one step`,
      );
    }
    if (Math.round(steps) > 4095) {
      throw new ParameterError(
        where,
        delayMs,
        `at most ${4095 * this.resolutionMs} ms (4095 steps)`,
      );
    }
  }
}

/** A time in ms without a floating-point tail (4095 · 0.1 → 409.5). */
function ms(value: number): number {
  return Number(value.toPrecision(12));
}

function flag(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new ParameterError(where, value, "true or false");
  return value;
}

function normalizeRule(
  rule: ConnectionRule,
  nPre: number,
  nPost: number,
  where: string,
): ProjectionSpec["rule"] {
  if (!rule || typeof rule !== "object" || !CONNECTION_RULES.includes(rule.kind)) {
    throw new ParameterError(
      `${where}.kind`,
      rule?.kind ?? rule,
      `one of ${CONNECTION_RULES.join(", ")}`,
    );
  }
  const r = rule as Record<string, unknown>;
  const allowAutapses = flag(r.allowAutapses, `${where}.allowAutapses`, true);
  const allowMultapses = flag(r.allowMultapses, `${where}.allowMultapses`, true);
  const base = { allowAutapses, allowMultapses, k: 0, n: 0, p: 0 };
  switch (rule.kind) {
    case "one_to_one":
      if (nPre !== nPost) {
        throw new ParameterError(
          `${where}`,
          `${nPre}→${nPost}`,
          "populations of equal size for one_to_one",
        );
      }
      return { ...base, kind: "one_to_one" } as ProjectionSpec["rule"];
    case "all_to_all":
      return { ...base, kind: "all_to_all" } as ProjectionSpec["rule"];
    case "fixed_indegree":
    case "fixed_outdegree": {
      const pool = rule.kind === "fixed_indegree" ? nPre : nPost;
      const max = allowMultapses ? 1 << 20 : pool;
      requireInteger(`${where}.k`, rule.k, { min: 0, max });
      return { ...base, kind: rule.kind, k: rule.k } as ProjectionSpec["rule"];
    }
    case "fixed_total_number":
      requireInteger(`${where}.n`, rule.n, { min: 0, max: 2 ** 32 - 1 });
      if (!allowMultapses) {
        throw new ParameterError(
          `${where}.allowMultapses`,
          false,
          "true for fixed_total_number (this engine draws pairs independently, as NEST GPU does)",
        );
      }
      return { ...base, kind: "fixed_total_number", n: rule.n } as ProjectionSpec["rule"];
    case "pairwise_bernoulli":
      if (typeof rule.p !== "number" || !(rule.p >= 0 && rule.p <= 1)) {
        throw new ParameterError(`${where}.p`, rule.p, "a probability in [0, 1]");
      }
      return {
        ...base,
        kind: "pairwise_bernoulli",
        p: rule.p,
        allowMultapses: false,
      } as ProjectionSpec["rule"];
  }
}

/**
 * Verdicts: does a candidate ensemble of runs (our engine, NEST GPU, another NEST version)
 * produce the same spike statistics as the NEST reference ensemble, within NEST's own
 * seed-to-seed variability?
 *
 * The rule (stated precisely in validation/README.md) has two parts:
 *
 * 1. **Distribution cells** — for each population p and statistic s (firing_rate, cv_isi,
 *    correlation), with reference seeds R_1..R_n (n ≥ 3) and candidate runs C_1..C_m:
 *    - baseline B = { d(R_i, R_j) : i < j }, the NEST-vs-NEST distances;
 *    - candidate distance D = mean over all (k, j) of d(C_k, R_j);
 *    - the cell passes when D ≤ spreadFactor · max(B) (spreadFactor default 2.5),
 *    for d = EMD and d = KS statistic alike; both must pass.
 * 2. **Mean rates** — for each population, the candidate runs' mean population rate m̄_C
 *    against the NEST seeds' m̄_R with standard error SE = s_R · sqrt(1/n + 1/m) (s_R: SD of
 *    the NEST seed means, ddof 1): pass when |m̄_C - m̄_R| ≤ t* · SE, where t* is the Student t
 *    quantile 1 - α / (2 P) with n - 1 degrees of freedom (P populations, α = 0.01: a
 *    two-sided test with Bonferroni correction).
 *
 * The verdict passes only if every cell and every mean-rate check passes; every failing
 * check appears in `failures`, naming its population and statistic.
 *
 * @module
 */

import { gammaln, mean, median, sampleStandardDeviation } from "simple-statistics";
import { compareSamples, sortedSample } from "./distances.ts";
import type { ReferenceEnsemble } from "./reference.ts";
import {
  type PopulationSpikes,
  type ResolvedStatisticsOptions,
  resolveStatisticsOptions,
  type RunDistributions,
  spikeStatistics,
  STATISTIC_NAMES,
  type StatisticName,
  toDistributions,
} from "./spike_statistics.ts";

/** Options of {@linkcode validateEnsemble} and {@linkcode validateDistributions}. */
export interface VerdictOptions {
  /** Window start (ms); default the reference window's start (500). */
  tStartMs?: number;
  /** Window end (ms); default the reference window's end (10 500). */
  tStopMs?: number;
  /** Correlation bin width (ms); default 2. */
  binMs?: number;
  /** Neurons used for correlations; default 200. */
  corrNeurons?: number;
  /** A cell passes when D ≤ spreadFactor × the largest NEST-vs-NEST distance. Default 2.5. */
  spreadFactor?: number;
  /** Family-wise false-fail probability of the mean-rate checks. Default 0.01. */
  alpha?: number;
}

/** Summary of the NEST-vs-NEST distances of one cell. */
export interface BaselineSummary {
  /** Number of reference seed pairs. */
  nPairs: number;
  /** Mean distance. */
  mean: number;
  /** Standard deviation (ddof = 1). */
  std: number;
  /** Smallest distance. */
  min: number;
  /** Largest distance. */
  max: number;
}

/** The judgement of one distance (EMD or KS) in one cell. */
export interface DistanceVerdict {
  /** Candidate distance D (mean over candidate runs × reference seeds); null if undefined. */
  distance: number | null;
  /** Per candidate run: mean distance to the reference seeds (null where undefined). */
  perRun: (number | null)[];
  /** NEST-vs-NEST distances. */
  baseline: BaselineSummary;
  /** spreadFactor × baseline.max. */
  threshold: number;
  /** D / baseline.max (how many "largest NEST seed differences" away). */
  ratioToMax: number | null;
  /** (D - baseline.mean) / baseline.std, for information. */
  zScore: number | null;
  /** D ≤ threshold. */
  pass: boolean;
}

/** One (population, statistic) cell. */
export interface CellVerdict {
  /** Population name. */
  population: string;
  /** Statistic. */
  statistic: StatisticName;
  /** Number of values per candidate run. */
  candidateCounts: number[];
  /** Mean of the values per candidate run (null when empty). */
  candidateMeans: (number | null)[];
  /** Mean over reference seeds of the per-seed means. */
  referenceMean: number;
  /** Wasserstein-1 judgement. */
  emd: DistanceVerdict;
  /** KS-statistic judgement, plus the median p-value over candidate × reference pairs. */
  ks: DistanceVerdict & { pValueMedian: number | null };
  /** Both distances pass. */
  pass: boolean;
  /** One line saying why. */
  reason: string;
}

/** Mean population rate of the candidate vs the NEST seeds. */
export interface MeanRateVerdict {
  /** Population name. */
  population: string;
  /** Mean over candidate runs of the population mean rate (Hz). */
  candidateMean: number;
  /** Population mean rate of each candidate run (Hz). */
  candidateRunMeans: number[];
  /** Mean over NEST seeds (Hz). */
  referenceMean: number;
  /** SD over NEST seeds (ddof 1, Hz). */
  referenceStd: number;
  /** referenceStd · sqrt(1/n + 1/m). */
  standardError: number;
  /** (candidateMean - referenceMean) / standardError. */
  tStatistic: number;
  /** Student t critical value (two-sided, Bonferroni over populations). */
  criticalValue: number;
  /** Degrees of freedom of the critical value (n - 1). */
  degreesOfFreedom: number;
  /** |tStatistic| ≤ criticalValue. */
  pass: boolean;
  /** One line saying why. */
  reason: string;
}

/** Report numbers of one candidate run and population (no arrays). */
export interface CandidateSummary {
  /** Population name. */
  population: string;
  /** Mean rate (Hz). */
  meanRate: number;
  /** Mean CV ISI. */
  meanCv: number | null;
  /** Mean pairwise correlation. */
  meanCorrelation: number | null;
  /** Fraction of silent neurons. */
  silentFraction: number;
  /** Fano factor of the population count. */
  fanoFactor: number | null;
  /** Golomb's synchrony χ. */
  synchrony: number | null;
  /** Spikes in the window. */
  spikesInWindow: number;
}

/** The structured verdict the CLI, bench, report and nightly runner consume. */
export interface ValidationVerdict {
  /** Always "spikebench-validation". */
  kind: "spikebench-validation";
  /** Verdict format version. */
  version: 1;
  /** Every check passed. */
  pass: boolean;
  /** The reference used. */
  reference: { scale: string; simulator: string; seeds: number[]; windowMs: [number, number] };
  /** Number of candidate runs (m). */
  candidateRuns: number;
  /** Analysis window and binning used for the candidate. */
  window: ResolvedStatisticsOptions;
  /** The rule and its constants. */
  rule: { spreadFactor: number; alpha: number; text: string };
  /** One per population × statistic, population order then statistic order. */
  cells: CellVerdict[];
  /** One per population. */
  meanRates: MeanRateVerdict[];
  /** Per candidate run, per population report numbers (only from validateEnsemble). */
  candidateSummaries: CandidateSummary[][];
  /** Every failing check, "<population> <statistic>: <why>". */
  failures: string[];
  /** Things that do not fail the verdict but weaken it. */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------
// Student t quantile (for the mean-rate check)

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * CDF of Student's t distribution.
 *
 * @param t the argument
 * @param dof degrees of freedom (> 0)
 */
export function studentTCdf(t: number, dof: number): number {
  if (!(dof > 0) || !Number.isFinite(dof)) {
    throw new RangeError(`dof is ${dof}; it must be a finite number > 0`);
  }
  const tail = 0.5 * regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile (inverse CDF) of Student's t distribution, by bisection to ~1e-12 relative.
 *
 * @param p probability in (0, 1)
 * @param dof degrees of freedom (> 0)
 */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p is ${p}; it must be in (0, 1)`);
  if (!(dof > 0) || !Number.isFinite(dof)) {
    throw new RangeError(`dof is ${dof}; it must be a finite number > 0`);
  }
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, dof);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, dof) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let k = 0; k < 200 && hi - lo > 1e-13 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, dof) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

// ---------------------------------------------------------------------------------------
// Baselines

/** One NEST-vs-NEST comparison. */
export interface SeedPairDistance {
  /** First seed. */
  seedA: number;
  /** Second seed. */
  seedB: number;
  /** Wasserstein-1 distance. */
  emd: number;
  /** KS statistic. */
  ks: number;
}

/** Sorted copies of reference arrays, keyed by the array itself (shared across ensembles). */
const sortedCache = new WeakMap<ArrayLike<number>, Float64Array>();
const baselineCache = new WeakMap<ReferenceEnsemble, Map<string, SeedPairDistance[]>>();

function referenceSorted(
  reference: ReferenceEnsemble,
  statistic: StatisticName,
  population: string,
): Float64Array[] {
  return reference.runs.map((run) => {
    const values = run.distributions[statistic]?.[population];
    if (!values) {
      throw new RangeError(
        `reference seed ${run.seed} has no ${statistic} values for "${population}"`,
      );
    }
    let sorted = sortedCache.get(values);
    if (!sorted) {
      sorted = sortedSample(values, `reference seed ${run.seed} ${statistic} ${population}`);
      sortedCache.set(values, sorted);
    }
    return sorted;
  });
}

/**
 * The NEST-vs-NEST distances of one cell: EMD and KS statistic for every unordered pair of
 * reference seeds (seed order i < j), as in summary.json's `emd_nest_vs_nest`.
 *
 * @param reference the NEST ensemble
 * @param cell the statistic and population
 */
export function nestVsNestDistances(
  reference: ReferenceEnsemble,
  cell: { statistic: StatisticName; population: string },
): SeedPairDistance[] {
  let byCell = baselineCache.get(reference);
  if (!byCell) {
    byCell = new Map();
    baselineCache.set(reference, byCell);
  }
  const key = `${cell.statistic}/${cell.population}`;
  const cached = byCell.get(key);
  if (cached) return cached;
  const sorted = referenceSorted(reference, cell.statistic, cell.population);
  const pairs: SeedPairDistance[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (sorted[i].length === 0 || sorted[j].length === 0) {
        throw new RangeError(
          `reference seeds ${reference.seeds[i]} / ${reference.seeds[j]}: an empty ` +
            `${cell.statistic} distribution for "${cell.population}"; no baseline possible`,
        );
      }
      const { emd, ks } = pairDistances(sorted[i], sorted[j]);
      pairs.push({ seedA: reference.seeds[i], seedB: reference.seeds[j], emd, ks });
    }
  }
  byCell.set(key, pairs);
  return pairs;
}

/** Mean of a (large) array without copying it; null when empty. */
function arrayMean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Pair distances keyed by the two sorted arrays (shared by every ensemble using them). */
const pairCache = new WeakMap<Float64Array, WeakMap<Float64Array, { emd: number; ks: number }>>();

function pairDistances(a: Float64Array, b: Float64Array): { emd: number; ks: number } {
  let inner = pairCache.get(a);
  if (!inner) {
    inner = new WeakMap();
    pairCache.set(a, inner);
  }
  let d = inner.get(b);
  if (!d) {
    const { emd, ks } = compareSamples(a, b, { sorted: true });
    d = { emd, ks };
    inner.set(b, d);
  }
  return d;
}

function summarize(values: number[]): BaselineSummary {
  return {
    nPairs: values.length,
    mean: mean(values),
    std: values.length > 1 ? sampleStandardDeviation(values) : 0,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

// ---------------------------------------------------------------------------------------
// Verdicts

interface ResolvedVerdictOptions {
  window: ResolvedStatisticsOptions;
  spreadFactor: number;
  alpha: number;
}

function resolveOptions(
  reference: ReferenceEnsemble,
  options: VerdictOptions,
): ResolvedVerdictOptions {
  const window = resolveStatisticsOptions({
    tStartMs: options.tStartMs ?? reference.windowMs[0],
    tStopMs: options.tStopMs ?? reference.windowMs[1],
    binMs: options.binMs,
    corrNeurons: options.corrNeurons,
  });
  const spreadFactor = options.spreadFactor ?? 2.5;
  if (!Number.isFinite(spreadFactor) || spreadFactor <= 0) {
    throw new RangeError(`spreadFactor is ${spreadFactor}; it must be a finite number > 0`);
  }
  const alpha = options.alpha ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha is ${alpha}; it must be in (0, 1)`);
  return { window, spreadFactor, alpha };
}

function checkReference(reference: ReferenceEnsemble): void {
  if (!reference || !Array.isArray(reference.runs) || !Array.isArray(reference.populations)) {
    throw new TypeError("reference must be a ReferenceEnsemble (see loadReferenceEnsemble)");
  }
  if (reference.runs.length < 3) {
    throw new RangeError(
      `the reference has ${reference.runs.length} seeds; the seed-spread rule needs ≥ 3 ` +
        "(≥ 3 NEST-vs-NEST pairs)",
    );
  }
}

function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 0.01 && a < 1000 ? x.toFixed(a >= 10 ? 2 : 4) : x.toExponential(2);
}

function judgeDistance(
  crossDistances: (number | null)[][],
  baselineValues: number[],
  spreadFactor: number,
): DistanceVerdict {
  const baseline = summarize(baselineValues);
  const perRun = crossDistances.map((row) =>
    row.some((d) => d === null) ? null : mean(row as number[])
  );
  const distance = perRun.some((d) => d === null) ? null : mean(perRun as number[]);
  const threshold = spreadFactor * baseline.max;
  return {
    distance,
    perRun,
    baseline,
    threshold,
    ratioToMax: distance === null || baseline.max === 0 ? null : distance / baseline.max,
    zScore: distance === null || baseline.std === 0
      ? null
      : (distance - baseline.mean) / baseline.std,
    pass: distance !== null && distance <= threshold,
  };
}

function judgeCell(
  candidate: RunDistributions[],
  reference: ReferenceEnsemble,
  cell: { statistic: StatisticName; population: string },
  spreadFactor: number,
): CellVerdict {
  const { statistic, population } = cell;
  const refSorted = referenceSorted(reference, statistic, population);
  const pairs = nestVsNestDistances(reference, cell);
  const candSorted = candidate.map((run, k) =>
    sortedSample(run[statistic][population], `candidate run ${k + 1} ${statistic} ${population}`)
  );
  const emdRows: (number | null)[][] = [];
  const ksRows: (number | null)[][] = [];
  const pValues: number[] = [];
  for (const values of candSorted) {
    const emdRow: (number | null)[] = [];
    const ksRow: (number | null)[] = [];
    for (const ref of refSorted) {
      if (values.length === 0) {
        emdRow.push(null);
        ksRow.push(null);
        continue;
      }
      const d = compareSamples(values, ref, { sorted: true });
      emdRow.push(d.emd);
      ksRow.push(d.ks);
      pValues.push(d.ksPValue);
    }
    emdRows.push(emdRow);
    ksRows.push(ksRow);
  }
  const emd = judgeDistance(emdRows, pairs.map((p) => p.emd), spreadFactor);
  const ks = {
    ...judgeDistance(ksRows, pairs.map((p) => p.ks), spreadFactor),
    pValueMedian: pValues.length > 0 ? median(pValues) : null,
  };
  const counts = candSorted.map((v) => v.length);
  const refMeans = refSorted.map((v) => arrayMean(v) ?? NaN);
  const pass = emd.pass && ks.pass;
  let reason: string;
  const emptyRun = counts.findIndex((c) => c === 0);
  if (emptyRun >= 0) {
    reason = `candidate run ${emptyRun + 1} has no ${statistic} values ` +
      `(${statistic === "firing_rate" ? "no neurons" : "too few spiking neurons"})`;
  } else {
    const part = (label: string, d: DistanceVerdict) =>
      `${label} ${fmt(d.distance)} ${d.pass ? "≤" : ">"} ${fmt(d.threshold)} ` +
      `(${spreadFactor} × max NEST-vs-NEST ${fmt(d.baseline.max)})`;
    reason = `${part("EMD", emd)}; ${part("KS", ks)}`;
  }
  return {
    population,
    statistic,
    candidateCounts: counts,
    candidateMeans: candSorted.map(arrayMean),
    referenceMean: mean(refMeans),
    emd,
    ks,
    pass,
    reason,
  };
}

function judgeMeanRate(
  candidate: RunDistributions[],
  reference: ReferenceEnsemble,
  population: string,
  critical: { value: number; dof: number },
): MeanRateVerdict {
  const refMeans = reference.runs.map((r) =>
    arrayMean(r.distributions.firing_rate[population]) ?? 0
  );
  const candMeans = candidate.map((r) => arrayMean(r.firing_rate[population]) ?? 0);
  const n = refMeans.length;
  const m = candMeans.length;
  const referenceMean = mean(refMeans);
  const referenceStd = sampleStandardDeviation(refMeans);
  const candidateMean = mean(candMeans);
  const standardError = referenceStd * Math.sqrt(1 / n + 1 / m);
  const diff = candidateMean - referenceMean;
  const tStatistic = standardError > 0 ? diff / standardError : diff === 0 ? 0 : Infinity;
  const pass = Math.abs(tStatistic) <= critical.value;
  const reason = `mean rate ${fmt(candidateMean)} Hz vs NEST ${fmt(referenceMean)} Hz: ` +
    `|Δ| = ${fmt(Math.abs(diff))} Hz = ${fmt(Math.abs(tStatistic))} SE ` +
    `${pass ? "≤" : ">"} t* = ${fmt(critical.value)} (SE ${fmt(standardError)} Hz)`;
  return {
    population,
    candidateMean,
    candidateRunMeans: candMeans,
    referenceMean,
    referenceStd,
    standardError,
    tStatistic,
    criticalValue: critical.value,
    degreesOfFreedom: critical.dof,
    pass,
    reason,
  };
}

function checkDistributions(candidate: RunDistributions[], reference: ReferenceEnsemble): void {
  if (!Array.isArray(candidate) || candidate.length === 0) {
    throw new TypeError("candidate must be a non-empty array of runs");
  }
  candidate.forEach((run, k) => {
    for (const stat of STATISTIC_NAMES) {
      for (const pop of reference.populations) {
        const values = run?.[stat]?.[pop];
        if (!values || typeof values.length !== "number") {
          throw new RangeError(
            `candidate run ${k + 1} has no ${stat} distribution for population "${pop}" ` +
              `(the reference has ${reference.populations.join(", ")})`,
          );
        }
      }
    }
  });
}

const RULE_TEXT = "cell (population × statistic) passes when the mean candidate-vs-NEST " +
  "distance (over candidate runs × NEST seeds) is ≤ spreadFactor × the largest NEST-vs-NEST " +
  "distance, for EMD and KS alike; mean population rate passes when |Δ| ≤ t*·SE, " +
  "SE = sd(NEST seed means)·sqrt(1/n + 1/m), t* = Student t quantile 1 - α/(2P), n - 1 dof";

/**
 * Judges candidate distributions (one {@linkcode RunDistributions} per run) against a NEST
 * reference ensemble. Pure: no I/O.
 *
 * @param candidate one entry per candidate run
 * @param reference the NEST ensemble (≥ 3 seeds)
 * @param options spreadFactor, alpha, and the window the candidate was analysed on
 */
export function validateDistributions(
  candidate: RunDistributions[],
  reference: ReferenceEnsemble,
  options: VerdictOptions = {},
): ValidationVerdict {
  checkReference(reference);
  const opts = resolveOptions(reference, options);
  checkDistributions(candidate, reference);
  const cells: CellVerdict[] = [];
  for (const population of reference.populations) {
    for (const statistic of STATISTIC_NAMES) {
      cells.push(judgeCell(candidate, reference, { statistic, population }, opts.spreadFactor));
    }
  }
  const populations = reference.populations.length;
  const dof = reference.runs.length - 1;
  const critical = { value: studentTQuantile(1 - opts.alpha / (2 * populations), dof), dof };
  const meanRates = reference.populations.map((p) =>
    judgeMeanRate(candidate, reference, p, critical)
  );
  const failures = [
    ...cells.filter((c) => !c.pass).map((c) => `${c.population} ${c.statistic}: ${c.reason}`),
    ...meanRates.filter((r) => !r.pass).map((r) => `${r.population} mean_rate: ${r.reason}`),
  ];
  const warnings: string[] = [];
  const refLength = reference.windowMs[1] - reference.windowMs[0];
  const length = opts.window.tStopMs - opts.window.tStartMs;
  if (Math.abs(length - refLength) > 1e-9) {
    warnings.push(
      // toPrecision(12): window ends on the 0.1 ms grid differ by float noise (100.10000000000002).
      `the candidate window is ${Number(length.toPrecision(12))} ms but the reference window is ` +
        `${Number(refLength.toPrecision(12))} ms; ` +
        "rate, CV and correlation distributions depend on the window length",
    );
  }
  if (opts.window.binMs !== 2 || opts.window.corrNeurons !== 200) {
    warnings.push(
      `correlations use binMs ${opts.window.binMs} and corrNeurons ${opts.window.corrNeurons}; ` +
        "the reference used 2 ms and 200",
    );
  }
  return {
    kind: "spikebench-validation",
    version: 1,
    pass: failures.length === 0,
    reference: {
      scale: reference.scale,
      simulator: reference.simulator,
      seeds: [...reference.seeds],
      windowMs: [reference.windowMs[0], reference.windowMs[1]],
    },
    candidateRuns: candidate.length,
    window: opts.window,
    rule: { spreadFactor: opts.spreadFactor, alpha: opts.alpha, text: RULE_TEXT },
    cells,
    meanRates,
    candidateSummaries: [],
    failures,
    warnings,
  };
}

/**
 * Computes the statistics of every candidate run and judges them against the NEST reference
 * ensemble (see the module documentation for the rule). Pure: no I/O; the bench, report and
 * nightly runner call this with spikes from the engine.
 *
 * @example
 * ```ts
 * const reference = await loadReferenceEnsemble("small");
 * const verdict = validateEnsemble([run1, run2, run3], reference, {});
 * if (!verdict.pass) console.log(verdict.failures.join("\n"));
 * ```
 *
 * @param candidate one PopulationSpikes[] per run (seed); names and sizes must match the
 *   reference populations
 * @param reference the NEST ensemble (≥ 3 seeds)
 * @param options window (default: the reference window), spreadFactor, alpha
 */
export function validateEnsemble(
  candidate: PopulationSpikes[][],
  reference: ReferenceEnsemble,
  options: VerdictOptions = {},
): ValidationVerdict {
  checkReference(reference);
  const opts = resolveOptions(reference, options);
  if (!Array.isArray(candidate) || candidate.length === 0) {
    throw new TypeError("candidate must be a non-empty array of runs (PopulationSpikes[] each)");
  }
  const stats = candidate.map((run, k) => {
    if (!Array.isArray(run)) {
      throw new TypeError(`candidate run ${k + 1} must be an array of PopulationSpikes`);
    }
    const names = run.map((p) => p?.name);
    const missing = reference.populations.filter((p) => !names.includes(p));
    const extra = names.filter((n) => !reference.populations.includes(n));
    if (missing.length > 0 || extra.length > 0) {
      throw new RangeError(
        `candidate run ${k + 1}: populations [${names.join(", ")}] do not match the ` +
          `reference's [${reference.populations.join(", ")}]` +
          (missing.length ? `; missing ${missing.join(", ")}` : "") +
          (extra.length ? `; unexpected ${extra.join(", ")}` : ""),
      );
    }
    for (const pop of run) {
      const expected = reference.numNeurons[reference.populations.indexOf(pop.name)];
      if (pop.size !== expected) {
        throw new RangeError(
          `candidate run ${k + 1}: population "${pop.name}" has ${pop.size} neurons but the ` +
            `${reference.scale} reference has ${expected}; compare runs with the reference of ` +
            "the same scale",
        );
      }
    }
    return spikeStatistics(run, opts.window);
  });
  const verdict = validateDistributions(stats.map(toDistributions), reference, {
    ...options,
    ...opts.window,
  });
  verdict.candidateSummaries = stats.map((s) =>
    s.populations.map((p) => ({
      population: p.name,
      meanRate: p.meanRate,
      meanCv: p.meanCv,
      meanCorrelation: p.meanCorrelation,
      silentFraction: p.silentFraction,
      fanoFactor: p.fanoFactor,
      synchrony: p.synchrony,
      spikesInWindow: p.spikesInWindow,
    }))
  );
  return verdict;
}

/**
 * Renders a verdict as a plain-text table (population × statistic: EMD and KS with their
 * thresholds, pass/FAIL), the mean-rate checks, and the failures in full.
 *
 * @param verdict a verdict
 */
export function formatVerdict(verdict: ValidationVerdict): string {
  const rows: string[][] = [[
    "population",
    "statistic",
    "EMD",
    "threshold",
    "EMD/max",
    "KS",
    "threshold",
    "result",
  ]];
  for (const c of verdict.cells) {
    rows.push([
      c.population,
      c.statistic,
      fmt(c.emd.distance),
      fmt(c.emd.threshold),
      fmt(c.emd.ratioToMax),
      fmt(c.ks.distance),
      fmt(c.ks.threshold),
      c.pass ? "pass" : "FAIL",
    ]);
  }
  for (const r of verdict.meanRates) {
    rows.push([
      r.population,
      "mean_rate",
      `${fmt(r.candidateMean)} Hz`,
      `NEST ${fmt(r.referenceMean)}`,
      `${fmt(r.tStatistic)} SE`,
      "",
      `t* ${fmt(r.criticalValue)}`,
      r.pass ? "pass" : "FAIL",
    ]);
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const lines = rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col])).join("  "));
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const ref = verdict.reference;
  const out = [
    `NEST reference: ${ref.scale} (${ref.simulator}, seeds ${ref.seeds.join(", ")}), window ` +
    `${ref.windowMs[0]}–${ref.windowMs[1]} ms; candidate: ${verdict.candidateRuns} run(s), ` +
    `window ${verdict.window.tStartMs}–${verdict.window.tStopMs} ms`,
    `rule: ${verdict.rule.text} (spreadFactor ${verdict.rule.spreadFactor}, ` +
    `α ${verdict.rule.alpha})`,
    "",
    ...lines.map((l) => l.trimEnd()),
    "",
  ];
  for (const w of verdict.warnings) out.push(`warning: ${w}`);
  if (verdict.failures.length > 0) {
    out.push(`FAIL: ${verdict.failures.length} check(s) failed:`);
    for (const f of verdict.failures) out.push(`  ${f}`);
  } else {
    out.push(`PASS: all ${verdict.cells.length + verdict.meanRates.length} checks passed`);
  }
  return out.join("\n");
}

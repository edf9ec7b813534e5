/**
 * Compact per-population distribution summaries for the report's violin plots: quartiles and
 * a Gaussian kernel density estimate on a fixed grid, small enough to store with a verdict in
 * the history (`validations.verdict_json` → `distributions`) and to inline in the HTML.
 *
 * Ours come from a run's spikes (validation/spike_statistics.ts on the verdict's window);
 * NEST's from the reference ensemble (validation/reference.ts), all seeds pooled.
 *
 * @module
 */

import { loadReferenceEnsemble, parseScale, type ReferenceScale } from "../validation/reference.ts";
import { readSpikes } from "../validation/spike_io.ts";
import {
  type PopulationSpikes,
  type RunDistributions,
  spikeStatistics,
  STATISTIC_NAMES,
  type StatisticName,
  type StatisticsOptions,
  toDistributions,
} from "../validation/spike_statistics.ts";

/** One point of a density estimate. */
export interface DensityPoint {
  /** Value. */
  v: number;
  /** Density at v (per unit of v). */
  estimate: number;
}

/** A distribution in the shape the violin plugin draws (its `IViolin` data point). */
export interface DensitySummary {
  /** Number of values. */
  count: number;
  /** Smallest value. */
  min: number;
  /** Lower quartile. */
  q1: number;
  /** Median. */
  median: number;
  /** Upper quartile. */
  q3: number;
  /** Largest value. */
  max: number;
  /** 0.5 % quantile: where the drawn violin starts. */
  lo: number;
  /** 99.5 % quantile: where the drawn violin ends (outliers would squash its body). */
  hi: number;
  /** Mean. */
  mean: number;
  /** Kernel density estimate on an even grid from lo to hi. */
  coords: DensityPoint[];
  /** Largest estimate in coords. */
  maxEstimate: number;
}

/** Summaries per statistic and population (null where a population has no values). */
export type DistributionSet = Record<StatisticName, Record<string, DensitySummary | null>>;

/** What the nightly stores in a verdict so the report can draw violins without the spikes. */
export interface StoredDistributions {
  /** Always "spikebench-distribution-summary". */
  kind: "spikebench-distribution-summary";
  /** Format version. */
  version: 1;
  /** Population names in order. */
  populations: string[];
  /** The candidate runs' values, pooled. */
  candidate: DistributionSet;
}

/** Options of {@linkcode densitySummary}. */
export interface DensityOptions {
  /** Grid points of the estimate (default 48). */
  points?: number;
}

/** Values binned before the kernel sum when there are more than this many. */
const EXACT_LIMIT = 4096;
const BINS = 2048;

function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Quartiles and a Gaussian KDE (Silverman's bandwidth 0.9·min(sd, IQR/1.34)·n^(−1/5)) on
 * `points` even grid points from the 0.5 % to the 99.5 % quantile. Above 4 096 values the kernel sum runs over a
 * 2 048-bin histogram (error ≤ half a bin width in position). Null for no values.
 *
 * @param values the sample (non-finite values are an error)
 * @param options grid size
 */
export function densitySummary(
  values: ArrayLike<number>,
  options: DensityOptions = {},
): DensitySummary | null {
  const points = options.points ?? 48;
  if (!Number.isInteger(points) || points < 2) {
    throw new RangeError(`points is ${points}; it must be an integer ≥ 2`);
  }
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  if (!Number.isFinite(sorted[0]) || !Number.isFinite(sorted[n - 1])) {
    throw new RangeError("values must be finite numbers");
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const min = sorted[0];
  const max = sorted[n - 1];
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const lo = quantileSorted(sorted, 0.005);
  const hi = quantileSorted(sorted, 0.995);
  const spread = Math.min(sd, (q3 - q1) / 1.34) || sd;
  const bandwidth = 0.9 * spread * n ** -0.2;
  const coords: DensityPoint[] = [];
  if (!(bandwidth > 0) || hi === lo) {
    coords.push({ v: lo, estimate: 1 }, { v: hi, estimate: 1 });
  } else {
    // Kernel centres and weights: the values themselves, or histogram bin centres and counts.
    let centres: Float64Array = sorted;
    let weights: Float64Array | null = null;
    if (n > EXACT_LIMIT) {
      const width = (max - min) / BINS;
      weights = new Float64Array(BINS);
      for (let i = 0; i < n; i++) {
        weights[Math.min(BINS - 1, Math.floor((sorted[i] - min) / width))]++;
      }
      centres = new Float64Array(BINS);
      for (let b = 0; b < BINS; b++) centres[b] = min + (b + 0.5) * width;
    }
    const norm = 1 / (n * bandwidth * Math.sqrt(2 * Math.PI));
    for (let k = 0; k < points; k++) {
      const v = k === points - 1 ? hi : lo + ((hi - lo) * k) / (points - 1);
      let density = 0;
      for (let i = 0; i < centres.length; i++) {
        const z = (v - centres[i]) / bandwidth;
        if (z > -8 && z < 8) density += (weights ? weights[i] : 1) * Math.exp(-0.5 * z * z);
      }
      coords.push({ v, estimate: density * norm });
    }
  }
  const maxEstimate = Math.max(...coords.map((c) => c.estimate));
  return {
    count: n,
    min,
    q1,
    median: quantileSorted(sorted, 0.5),
    q3,
    max,
    lo,
    hi,
    mean,
    coords,
    maxEstimate,
  };
}

function pooled(arrays: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(arrays.reduce((a, x) => a + x.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * Summaries of several runs' distributions, pooled per statistic and population.
 *
 * @param runs one RunDistributions per run
 * @param populations population names to summarize
 */
export function summarizeDistributions(
  runs: RunDistributions[],
  populations: readonly string[],
): DistributionSet {
  const out = {} as DistributionSet;
  for (const statistic of STATISTIC_NAMES) {
    out[statistic] = {};
    for (const population of populations) {
      const arrays = runs.map((r) => r[statistic]?.[population]).filter((a) => a !== undefined);
      out[statistic][population] = densitySummary(pooled(arrays));
    }
  }
  return out;
}

/**
 * The stored form of candidate runs' distributions on a window (what the nightly attaches to
 * a verdict as `distributions`).
 *
 * @param runs one PopulationSpikes[] per candidate run
 * @param window the verdict's window (tStartMs, tStopMs, binMs, corrNeurons)
 */
export function candidateDistributions(
  runs: PopulationSpikes[][],
  window: StatisticsOptions,
): StoredDistributions {
  if (runs.length === 0) throw new RangeError("runs must hold at least one run");
  const populations = runs[0].map((p) => p.name);
  const distributions = runs.map((r) => toDistributions(spikeStatistics(r, window)));
  return {
    kind: "spikebench-distribution-summary",
    version: 1,
    populations,
    candidate: summarizeDistributions(distributions, populations),
  };
}

/**
 * Reads a spike file (any format validation/spike_io.ts reads) and summarizes its
 * distributions on `window`.
 *
 * @param path the spike file, e.g. `results/<id>.spikes.gz`
 * @param window the analysis window
 */
export async function spikeFileDistributions(
  path: string,
  window: StatisticsOptions,
): Promise<StoredDistributions> {
  const recording = await readSpikes(path);
  return candidateDistributions([recording.populations], window);
}

const referenceCache = new Map<ReferenceScale, Promise<DistributionSet>>();

/**
 * NEST's distributions at `scale` (the reference ensemble, all seeds pooled); cached.
 *
 * @param scale 0.1 / "small" or 1 / "full"
 */
export function referenceDistributions(
  scale: ReferenceScale | number | string,
): Promise<DistributionSet> {
  const s = parseScale(scale);
  let cached = referenceCache.get(s);
  if (!cached) {
    cached = loadReferenceEnsemble(s).then((ensemble) =>
      summarizeDistributions(ensemble.runs.map((r) => r.distributions), ensemble.populations)
    );
    referenceCache.set(s, cached);
    cached.catch(() => referenceCache.delete(s));
  }
  return cached;
}

/**
 * Per-population spike statistics on an analysis window, as used by the NEST GPU validation
 * of the microcircuit (docs/specs/microcircuit.md §8, validation/reference/microcircuit/README.md):
 *
 * - firing rate per neuron (silent neurons count as 0),
 * - CV of the inter-spike intervals per neuron with ≥ 2 spikes (std with ddof = 0),
 * - Pearson correlation of spike counts in `binMs` bins for the first `corrNeurons` neurons
 *   (all pairs i < j in row-major order; pairs with a neuron of zero count variance skipped),
 *
 * plus, for reports, the population rate histogram, the Fano factor of the population spike
 * count and Golomb's synchrony measure χ. Everything is computed in one pass over spikes
 * grouped by neuron (a counting sort), so ~3 M spikes take well under a second per statistic.
 *
 * @module
 */

/** Spikes of one population, as produced by an engine or read from a spike file. */
export interface PopulationSpikes {
  /** Population name, e.g. "L23E". */
  name: string;
  /** Number of neurons (including silent ones). */
  size: number;
  /** 0-based index within the population of each spike's sender. */
  senders: Uint32Array;
  /** Spike times in ms, same length as `senders`. Any order. */
  timesMs: Float64Array;
}

/** The analysis window and binning of every statistic. */
export interface StatisticsOptions {
  /** Window start in ms (spikes before it are discarded). Default 500 (the presimulation). */
  tStartMs?: number;
  /** Window end in ms (inclusive for rates and CVs; the end of the last correlation bin). */
  tStopMs: number;
  /** Bin width in ms for correlations and histograms. Default 2. */
  binMs?: number;
  /** Number of neurons (lowest indices) used for pairwise correlations. Default 200. */
  corrNeurons?: number;
}

/** {@linkcode StatisticsOptions} with every default filled in. */
export interface ResolvedStatisticsOptions {
  /** Window start (ms). */
  tStartMs: number;
  /** Window end (ms). */
  tStopMs: number;
  /** Bin width (ms). */
  binMs: number;
  /** Neurons used for correlations. */
  corrNeurons: number;
}

/** Names of the three distributions compared against NEST (the reference files' keys). */
export type StatisticName = "firing_rate" | "cv_isi" | "correlation";

/** The three statistic names, in report order. */
export const STATISTIC_NAMES: readonly StatisticName[] = ["firing_rate", "cv_isi", "correlation"];

/** One value array per population name. */
export type PopulationValues = Record<string, Float64Array>;

/** The three distributions of one run, keyed like the reference seed files. */
export type RunDistributions = Record<StatisticName, PopulationValues>;

/** Everything computed for one population. */
export interface PopulationStatistics {
  /** Population name. */
  name: string;
  /** Number of neurons. */
  size: number;
  /** Number of spikes with tStartMs ≤ t ≤ tStopMs. */
  spikesInWindow: number;
  /** Rate per neuron (Hz), index order. */
  firingRate: Float64Array;
  /** CV ISI per neuron with ≥ 2 spikes in the window, index order. */
  cvIsi: Float64Array;
  /** Pairwise count correlations of the first corrNeurons neurons (i < j, row-major). */
  correlation: Float64Array;
  /** Mean of firingRate (silent neurons included), Hz. */
  meanRate: number;
  /** Mean of cvIsi, or null when no neuron has 2 spikes. */
  meanCv: number | null;
  /** Mean of correlation, or null when there is no valid pair. */
  meanCorrelation: number | null;
  /** Fraction of neurons without a spike in the window. */
  silentFraction: number;
  /** Population rate (Hz per neuron) in each bin [tStart + k·bin, tStart + (k+1)·bin). */
  rateHistogramHz: Float64Array;
  /** Variance / mean (ddof = 0) of the population spike count per bin; null if no spikes. */
  fanoFactor: number | null;
  /**
   * Golomb's synchrony χ = sqrt(Var_t(mean_i c_i(t)) / mean_i Var_t(c_i(t))) over all neurons
   * of the binned counts c_i(t): ~1/sqrt(N) for independent neurons, 1 for identical trains;
   * null if every neuron is silent.
   */
  synchrony: number | null;
}

/** Result of {@linkcode spikeStatistics}. */
export interface SpikeStatistics {
  /** The options used, defaults filled in. */
  options: ResolvedStatisticsOptions;
  /** One entry per population, input order. */
  populations: PopulationStatistics[];
}

/** Spikes within this many ms of a window or bin edge count as lying on it (float rounding). */
const EDGE_TOLERANCE_MS = 1e-7;

/**
 * Checks the options and fills in defaults.
 *
 * @param options the window and binning
 */
export function resolveStatisticsOptions(options: StatisticsOptions): ResolvedStatisticsOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError("options must be an object { tStartMs?, tStopMs, binMs?, corrNeurons? }");
  }
  const tStartMs = options.tStartMs ?? 500;
  const { tStopMs } = options;
  const binMs = options.binMs ?? 2;
  const corrNeurons = options.corrNeurons ?? 200;
  if (!Number.isFinite(tStartMs) || tStartMs < 0) {
    throw new RangeError(`tStartMs is ${tStartMs}; it must be a finite number ≥ 0 (ms)`);
  }
  if (!Number.isFinite(tStopMs) || tStopMs <= tStartMs) {
    throw new RangeError(
      `tStopMs is ${tStopMs}; it must be a finite number > tStartMs (${tStartMs} ms)`,
    );
  }
  if (!Number.isFinite(binMs) || binMs <= 0 || binMs > tStopMs - tStartMs) {
    throw new RangeError(
      `binMs is ${binMs}; it must be > 0 and ≤ the window length (${tStopMs - tStartMs} ms)`,
    );
  }
  if (!Number.isInteger(corrNeurons) || corrNeurons < 2) {
    throw new RangeError(`corrNeurons is ${corrNeurons}; it must be an integer ≥ 2`);
  }
  return { tStartMs, tStopMs, binMs, corrNeurons };
}

/**
 * Checks one population's arrays; throws a RangeError/TypeError naming the population, the
 * array and the offending index.
 *
 * @param pop the population
 * @param label where it came from, for messages (e.g. "populations[3]")
 */
export function checkPopulationSpikes(pop: PopulationSpikes, label = "population"): void {
  if (pop === null || typeof pop !== "object") {
    throw new TypeError(`${label} must be an object { name, size, senders, timesMs }`);
  }
  if (typeof pop.name !== "string" || pop.name.length === 0) {
    throw new TypeError(`${label}.name must be a non-empty string`);
  }
  const where = `${label} "${pop.name}"`;
  if (!Number.isInteger(pop.size) || pop.size < 1) {
    throw new RangeError(`${where}: size is ${pop.size}; it must be an integer ≥ 1`);
  }
  if (!(pop.senders instanceof Uint32Array)) {
    throw new TypeError(`${where}: senders must be a Uint32Array`);
  }
  if (!(pop.timesMs instanceof Float64Array)) {
    throw new TypeError(`${where}: timesMs must be a Float64Array`);
  }
  if (pop.senders.length !== pop.timesMs.length) {
    throw new RangeError(
      `${where}: senders has ${pop.senders.length} entries but timesMs has ` +
        `${pop.timesMs.length}; they must have the same length`,
    );
  }
  for (let k = 0; k < pop.senders.length; k++) {
    if (pop.senders[k] >= pop.size) {
      throw new RangeError(
        `${where}: senders[${k}] is ${pop.senders[k]}; it must be in [0, ${pop.size - 1}]`,
      );
    }
    if (!Number.isFinite(pop.timesMs[k])) {
      throw new RangeError(`${where}: timesMs[${k}] is ${pop.timesMs[k]}; it must be finite`);
    }
  }
}

function checkPopulations(populations: PopulationSpikes[]): void {
  if (!Array.isArray(populations) || populations.length === 0) {
    throw new TypeError("populations must be a non-empty array of PopulationSpikes");
  }
  const seen = new Set<string>();
  populations.forEach((pop, i) => {
    checkPopulationSpikes(pop, `populations[${i}]`);
    if (seen.has(pop.name)) {
      throw new RangeError(`populations[${i}]: the name "${pop.name}" is used twice`);
    }
    seen.add(pop.name);
  });
}

/** Spikes of one population grouped by neuron: times of neuron i in times[offsets[i]..offsets[i+1]). */
interface GroupedSpikes {
  offsets: Uint32Array;
  times: Float64Array;
}

/** Counting sort by neuron of the spikes inside [tStart, tStop]; each neuron's times ascending. */
function groupByNeuron(pop: PopulationSpikes, opts: ResolvedStatisticsOptions): GroupedSpikes {
  const lo = opts.tStartMs - EDGE_TOLERANCE_MS;
  const hi = opts.tStopMs + EDGE_TOLERANCE_MS;
  const offsets = new Uint32Array(pop.size + 1);
  const { senders, timesMs } = pop;
  for (let k = 0; k < senders.length; k++) {
    const t = timesMs[k];
    if (t >= lo && t <= hi) offsets[senders[k] + 1]++;
  }
  for (let i = 0; i < pop.size; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, pop.size);
  const times = new Float64Array(offsets[pop.size]);
  for (let k = 0; k < senders.length; k++) {
    const t = timesMs[k];
    if (t >= lo && t <= hi) times[fill[senders[k]]++] = t;
  }
  for (let i = 0; i < pop.size; i++) {
    const a = offsets[i];
    const b = offsets[i + 1];
    for (let k = a + 1; k < b; k++) {
      if (times[k] < times[k - 1]) {
        times.subarray(a, b).sort();
        break;
      }
    }
  }
  return { offsets, times };
}

/** Number of whole bins in the window (a partial last bin is dropped). */
function binCount(opts: ResolvedStatisticsOptions): number {
  return Math.floor((opts.tStopMs - opts.tStartMs) / opts.binMs + 1e-9);
}

/** Bin index of time t; a time within EDGE_TOLERANCE_MS below an edge belongs to the next bin. */
function binIndex(t: number, opts: ResolvedStatisticsOptions): number {
  const q = (t - opts.tStartMs) / opts.binMs;
  let k = Math.floor(q);
  if ((k + 1 - q) * opts.binMs < EDGE_TOLERANCE_MS) k += 1;
  return k;
}

function rates(g: GroupedSpikes, size: number, opts: ResolvedStatisticsOptions): Float64Array {
  const seconds = (opts.tStopMs - opts.tStartMs) / 1000;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = (g.offsets[i + 1] - g.offsets[i]) / seconds;
  return out;
}

function cvs(g: GroupedSpikes, size: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const a = g.offsets[i];
    const n = g.offsets[i + 1] - a;
    if (n < 2) continue;
    const mean = (g.times[a + n - 1] - g.times[a]) / (n - 1);
    if (!(mean > 0)) continue; // all spikes at one time: CV undefined
    let ss = 0;
    for (let k = a + 1; k < a + n; k++) {
      const d = g.times[k] - g.times[k - 1] - mean;
      ss += d * d;
    }
    out.push(Math.sqrt(ss / (n - 1)) / mean);
  }
  return Float64Array.from(out);
}

/** Sparse binned counts of one neuron: distinct bins ascending and their counts. */
interface BinnedTrain {
  bins: Int32Array;
  counts: Int32Array;
  /** Σ counts. */
  sum: number;
  /** Σ counts². */
  sumSquares: number;
}

function binTrain(g: GroupedSpikes, i: number, nBins: number, opts: ResolvedStatisticsOptions) {
  const a = g.offsets[i];
  const b = g.offsets[i + 1];
  const bins: number[] = [];
  const counts: number[] = [];
  let sum = 0;
  let sumSquares = 0;
  for (let k = a; k < b; k++) {
    const bin = binIndex(g.times[k], opts);
    if (bin < 0 || bin >= nBins) continue;
    if (bins.length > 0 && bins[bins.length - 1] === bin) counts[counts.length - 1]++;
    else {
      bins.push(bin);
      counts.push(1);
    }
  }
  for (const c of counts) {
    sum += c;
    sumSquares += c * c;
  }
  return { bins: Int32Array.from(bins), counts: Int32Array.from(counts), sum, sumSquares };
}

function sparseDot(x: BinnedTrain, y: BinnedTrain): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < x.bins.length && j < y.bins.length) {
    const bx = x.bins[i];
    const by = y.bins[j];
    if (bx === by) {
      dot += x.counts[i++] * y.counts[j++];
    } else if (bx < by) i++;
    else j++;
  }
  return dot;
}

/**
 * Pearson correlations of the first `corrNeurons` neurons' binned counts, computed from
 * integer sums: r = (n Σxy - Σx Σy) / sqrt((n Σx² - (Σx)²)(n Σy² - (Σy)²)), n = number of bins.
 */
function correlations(
  g: GroupedSpikes,
  size: number,
  opts: ResolvedStatisticsOptions,
): Float64Array {
  const nBins = binCount(opts);
  const k = Math.min(opts.corrNeurons, size);
  const trains: BinnedTrain[] = [];
  const spread = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const train = binTrain(g, i, nBins, opts);
    trains.push(train);
    spread[i] = Math.sqrt(nBins * train.sumSquares - train.sum * train.sum);
  }
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    if (spread[i] === 0) continue;
    for (let j = i + 1; j < k; j++) {
      if (spread[j] === 0) continue;
      const cov = nBins * sparseDot(trains[i], trains[j]) - trains[i].sum * trains[j].sum;
      out.push(Math.max(-1, Math.min(1, cov / (spread[i] * spread[j]))));
    }
  }
  return Float64Array.from(out);
}

interface HistogramResult {
  rateHistogramHz: Float64Array;
  fanoFactor: number | null;
  synchrony: number | null;
}

function histogramStatistics(
  g: GroupedSpikes,
  size: number,
  opts: ResolvedStatisticsOptions,
): HistogramResult {
  const nBins = binCount(opts);
  const popCounts = new Float64Array(nBins);
  let meanIndividualVariance = 0;
  for (let i = 0; i < size; i++) {
    const train = binTrain(g, i, nBins, opts);
    for (let b = 0; b < train.bins.length; b++) popCounts[train.bins[b]] += train.counts[b];
    const m = train.sum / nBins;
    meanIndividualVariance += train.sumSquares / nBins - m * m;
  }
  meanIndividualVariance /= size;
  let total = 0;
  for (let b = 0; b < nBins; b++) total += popCounts[b];
  const mean = total / nBins;
  let ss = 0;
  for (let b = 0; b < nBins; b++) ss += (popCounts[b] - mean) ** 2;
  const variance = ss / nBins;
  const scale = 1000 / (size * opts.binMs);
  const rateHistogramHz = popCounts.map((c) => c * scale);
  const fanoFactor = mean > 0 ? variance / mean : null;
  const synchrony = meanIndividualVariance > 0
    ? Math.sqrt(variance / (size * size) / meanIndividualVariance)
    : null;
  return { rateHistogramHz, fanoFactor, synchrony };
}

function meanOf(values: Float64Array): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

function populationStatistics(
  pop: PopulationSpikes,
  opts: ResolvedStatisticsOptions,
): PopulationStatistics {
  const g = groupByNeuron(pop, opts);
  const firingRate = rates(g, pop.size, opts);
  const cvIsi = cvs(g, pop.size);
  const correlation = correlations(g, pop.size, opts);
  let silent = 0;
  for (let i = 0; i < pop.size; i++) if (g.offsets[i + 1] === g.offsets[i]) silent++;
  return {
    name: pop.name,
    size: pop.size,
    spikesInWindow: g.times.length,
    firingRate,
    cvIsi,
    correlation,
    meanRate: meanOf(firingRate) ?? 0,
    meanCv: meanOf(cvIsi),
    meanCorrelation: meanOf(correlation),
    silentFraction: silent / pop.size,
    ...histogramStatistics(g, pop.size, opts),
  };
}

/**
 * Computes every statistic for every population in one pass per population.
 *
 * @example
 * ```ts
 * const stats = spikeStatistics(populations, { tStartMs: 500, tStopMs: 10500 });
 * stats.populations[0].meanRate; // Hz
 * ```
 *
 * @param populations the spikes, one entry per population (unique names)
 * @param options window and binning
 */
export function spikeStatistics(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
): SpikeStatistics {
  const opts = resolveStatisticsOptions(options);
  checkPopulations(populations);
  return { options: opts, populations: populations.map((pop) => populationStatistics(pop, opts)) };
}

/**
 * The three compared distributions of one run, keyed like the reference seed files.
 *
 * @param stats the output of {@linkcode spikeStatistics}
 */
export function toDistributions(stats: SpikeStatistics): RunDistributions {
  const out: RunDistributions = { firing_rate: {}, cv_isi: {}, correlation: {} };
  for (const p of stats.populations) {
    out.firing_rate[p.name] = p.firingRate;
    out.cv_isi[p.name] = p.cvIsi;
    out.correlation[p.name] = p.correlation;
  }
  return out;
}

function perPopulation(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
  compute: (
    g: GroupedSpikes,
    pop: PopulationSpikes,
    opts: ResolvedStatisticsOptions,
  ) => Float64Array,
): PopulationValues {
  const opts = resolveStatisticsOptions(options);
  checkPopulations(populations);
  const out: PopulationValues = {};
  for (const pop of populations) out[pop.name] = compute(groupByNeuron(pop, opts), pop, opts);
  return out;
}

/**
 * Firing rate per neuron (Hz): spikes with tStartMs ≤ t ≤ tStopMs divided by the window
 * length; silent neurons give 0.
 *
 * @param populations the spikes
 * @param options window
 */
export function firingRates(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
): PopulationValues {
  return perPopulation(populations, options, (g, pop, opts) => rates(g, pop.size, opts));
}

/**
 * CV of the inter-spike intervals, std(ISI) / mean(ISI) with ddof = 0, for every neuron with
 * at least 2 spikes in the window (index order).
 *
 * @param populations the spikes
 * @param options window
 */
export function cvIsi(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
): PopulationValues {
  return perPopulation(populations, options, (g, pop) => cvs(g, pop.size));
}

/**
 * Pearson correlation coefficients of spike counts in `binMs` bins over [tStartMs, tStopMs)
 * for the first min(corrNeurons, size) neurons: pairs i < j in row-major order, skipping
 * pairs where a neuron has zero count variance (silent).
 *
 * @param populations the spikes
 * @param options window, bin width and number of neurons
 */
export function pairwiseCorrelations(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
): PopulationValues {
  return perPopulation(populations, options, (g, pop, opts) => correlations(g, pop.size, opts));
}

/**
 * Population rate histogram (Hz per neuron) in `binMs` bins over [tStartMs, tStopMs).
 *
 * @param populations the spikes
 * @param options window and bin width
 */
export function populationRateHistograms(
  populations: PopulationSpikes[],
  options: StatisticsOptions,
): PopulationValues {
  return perPopulation(
    populations,
    options,
    (g, pop, opts) => histogramStatistics(g, pop.size, opts).rateHistogramHz,
  );
}

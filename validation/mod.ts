/**
 * Statistical validation of spiking-network simulations against NEST reference ensembles:
 * spike statistics (rates, CV ISI, pairwise correlations, rate histograms, Fano factor,
 * synchrony), distribution distances (EMD, KS), the seed-spread verdict, spike file I/O, and
 * the checksum-verified NEST reference data. See validation/README.md for the rule. Also the
 * mean-field theory of the structural-plasticity rewiring model (`rewiring_theory.ts`) and the
 * authors' reference tables for it (`rewiring_reference.ts`).
 *
 * @example
 * ```ts
 * import { loadReferenceEnsemble, validateEnsemble } from "./validation/mod.ts";
 * const reference = await loadReferenceEnsemble("small");
 * const verdict = validateEnsemble([spikesSeed1, spikesSeed2], reference);
 * console.log(verdict.pass, verdict.failures);
 * ```
 *
 * @module
 */

export {
  checkPopulationSpikes,
  cvIsi,
  firingRates,
  pairwiseCorrelations,
  populationRateHistograms,
  type PopulationSpikes,
  type PopulationStatistics,
  type PopulationValues,
  type ResolvedStatisticsOptions,
  resolveStatisticsOptions,
  type RunDistributions,
  type SpikeStatistics,
  spikeStatistics,
  STATISTIC_NAMES,
  type StatisticName,
  type StatisticsOptions,
  toDistributions,
} from "./spike_statistics.ts";
export {
  compareSamples,
  type DistanceOptions,
  kolmogorovSurvival,
  type KsResult,
  ksStatistic,
  ksTest,
  type SampleComparison,
  sortedSample,
  wassersteinDistance,
} from "./distances.ts";
export {
  type BaselineSummary,
  type CandidateSummary,
  type CellVerdict,
  type DistanceVerdict,
  formatVerdict,
  type MeanRateVerdict,
  nestVsNestDistances,
  type SeedPairDistance,
  studentTCdf,
  studentTQuantile,
  validateDistributions,
  validateEnsemble,
  type ValidationVerdict,
  type VerdictOptions,
} from "./verdict.ts";
export {
  formatSpikeFile,
  PD14_POPULATIONS,
  type PopulationRange,
  readPopulationNodeIds,
  readSpikes,
  type ReadSpikesOptions,
  type SpikeFileHeader,
  type SpikeFormat,
  SpikeInputError,
  type SpikeRecording,
  writeSpikeFile,
  type WriteSpikeFileOptions,
} from "./spike_io.ts";
export {
  loadExampleRates,
  loadReferenceEnsemble,
  loadReferenceSpikes,
  loadReferenceSummary,
  parseChecksums,
  parseScale,
  readVerifiedFile,
  type ReferenceEnsemble,
  type ReferenceOptions,
  referenceRanges,
  type ReferenceRun,
  type ReferenceScale,
  type ReferenceSummary,
  type StoredBaseline,
  verifyReferenceChecksums,
} from "./reference.ts";
export { type CliIo, runCli, type SpikeSetOptions, validateSpikeSets } from "./main.ts";
export {
  backgroundMean,
  backgroundVariance,
  capacityFromScan,
  codingMean,
  DEFAULT_PROBABILITY_CORRECT,
  DEFAULT_REWIRING_PARAMS,
  type InDegreeRule,
  type MemoryCapacity,
  memoryCapacity,
  type MemoryCapacityOptions,
  noiseVarianceContribution,
  probabilityCorrect,
  type RateConstants,
  rateConstants,
  type RateDistribution,
  resolveRewiringParams,
  type RewiringParams,
  rewiringTheory,
  type RewiringTheoryPoint,
  sdnr,
  type SdnrScanPoint,
  sdnrThreshold,
  type StabilizationStatistics,
  stabilizationStatistics,
  truncatedNoiseVariance,
} from "./rewiring_theory.ts";
export {
  loadRewiringSimulationTable,
  loadRewiringTheoryTable,
  parseRewiringSimulationTable,
  parseRewiringTheoryTable,
  REWIRING_REFERENCE_SETS,
  type RewiringReferenceSet,
  type RewiringReferenceSetInfo,
  type RewiringSimulationRow,
  RewiringTableError,
  type RewiringTableOptions,
  type RewiringTheoryRow,
  sdnrFromMeans,
} from "./rewiring_reference.ts";

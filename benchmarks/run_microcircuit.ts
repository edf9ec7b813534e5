/** One microcircuit benchmark run: build, presimulate, simulate, and the result record. */
import { createSimulator, type ProgressCallback } from "../engine/mod.ts";
import { buildMicrocircuit, MICROCIRCUIT_NOTES, POPULATION_NAMES } from "../models/mod.ts";
import { loadReferenceSummary } from "../validation/reference.ts";
import type { PopulationSpikes } from "../validation/spike_statistics.ts";
import type { BenchOptions } from "./bench_options.ts";
import { environment, gitCommit, peakRssBytes } from "./metadata.ts";
import { populationRates, toPopulationSpikes } from "./population_spikes.ts";
import { type BenchResult, newRunId } from "./result_record.ts";
import { spikeDigest } from "./spike_digest.ts";

/** What a run produced: the record and (when recorded) the simulate-phase spikes. */
export interface RunOutcome {
  result: BenchResult;
  spikes: PopulationSpikes[] | null;
}

/** Options of `runMicrocircuit` besides the bench flags. */
export interface RunMicrocircuitOptions {
  repeatIndex?: number;
  /** Progress of the presimulate and simulate phases (phase name, ms done, ms total, wall s). */
  onProgress?: (phase: string, doneMs: number, totalMs: number, wallSeconds: number) => void;
  log?: (message: string) => void;
}

/** Reference mean rates for the configuration, when NEST reference data exist for it. */
export async function referenceRates(
  options: Pick<BenchOptions, "scale" | "kScale" | "drive">,
): Promise<BenchResult["reference"]> {
  if (options.drive !== "poisson" || options.scale !== options.kScale) return null;
  const scale = options.scale === 1 ? "full" : options.scale === 0.1 ? "small" : null;
  if (!scale) return null;
  const summary = await loadReferenceSummary(scale);
  const rates: Record<string, number> = {};
  summary.populations.forEach((name, i) => {
    rates[POPULATION_NAMES[i]] = summary.means_over_seeds.firing_rate[name].mean;
  });
  return {
    source: `NEST 3.8, ${
      scale === "full" ? "full scale, 4" : "10 % scale, 10"
    } seeds × 10 s (validation/reference)`,
    rates_hz: rates,
  };
}

/** Runs the microcircuit once with `options` and returns its record. */
export async function runMicrocircuit(
  options: BenchOptions,
  extra: RunMicrocircuitOptions = {},
): Promise<RunOutcome> {
  const model = buildMicrocircuit({
    nScaling: options.scale,
    kScaling: options.kScale,
    drive: options.drive,
    seed: options.seed,
    record: options.record,
  });
  const spec = model.network.spec();
  const reference = await referenceRates(options);
  const sim = await createSimulator(spec, {
    backend: options.backend,
    stepsPerBatch: options.stepsPerBatch,
    log: extra.log,
  });
  try {
    const progress = (phase: string, totalMs: number): ProgressCallback => {
      const t0 = performance.now();
      return (done, total) =>
        extra.onProgress?.(
          phase,
          (done / total) * totalMs,
          totalMs,
          (performance.now() - t0) / 1000,
        );
    };
    const pre = await sim.run(options.tPresimMs, {
      onProgress: progress("presimulate", options.tPresimMs),
    });
    sim.takeSpikes();
    const main = await sim.run(options.tSimMs, {
      onProgress: progress("simulate", options.tSimMs),
    });
    const recorded = sim.takeSpikes();
    const trains = options.record ? toPopulationSpikes(recorded, spec) : null;
    const timestamp = new Date();
    const phases = {
      ...sim.phases,
      presimulate: pre.wallSeconds,
      simulate: main.wallSeconds,
    };
    const result: BenchResult = {
      id: newRunId(options.model, options.seed, timestamp),
      schema: 1,
      model: options.model,
      params: { ...model.params } as unknown as Record<string, unknown>,
      seed: options.seed,
      drive: options.drive,
      backend: options.backend,
      adapter: sim.adapter,
      scale: options.scale,
      k_scale: options.kScale,
      record: options.record,
      neurons: spec.neuronCount,
      synapses: sim.synapseCount,
      phases,
      construction_s: sim.phases.create + sim.phases.connect + sim.phases.prepare,
      rtf: main.wallSeconds / (options.tSimMs / 1000),
      t_presim_ms: options.tPresimMs,
      t_sim_ms: options.tSimMs,
      spikes: main.spikes,
      synaptic_events: main.synapticEvents,
      synaptic_events_per_s: main.synapticEvents / main.wallSeconds,
      rates_hz: trains ? populationRates(trains, options.tSimMs) : {},
      reference,
      gpu_bytes: sim.deviceBytes,
      peak_rss_bytes: peakRssBytes(),
      spike_digest: options.record ? await spikeDigest(recorded) : "",
      fixed_point_scale: sim.fixedPointScale,
      commit: gitCommit(),
      timestamp: timestamp.toISOString(),
      environment: environment(),
      repeat_index: extra.repeatIndex ?? 0,
      notes: [MICROCIRCUIT_NOTES, ENGINE_NOTES],
    };
    return { result, spikes: trains };
  } finally {
    sim.close();
  }
}

/** Approximations the engine makes, printed in every result and report. */
export const ENGINE_NOTES =
  "Engine: float32 neuron state on the GPU (float64 on the CPU backend); synaptic input summed " +
  "as i32 fixed point (scale chosen so overflow is impossible); weights sampled from a " +
  "4096-interval quantile table of the truncated normal with linear interpolation (tail " +
  "intervals keep the conditional mean); delays and Poisson counts sampled exactly from " +
  "discretized tables; uniform indices by multiply-high (bias ≤ n/2^32).";

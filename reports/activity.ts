/**
 * The report's activity plots from a run's spikes: a raster of a sampled window (a fixed
 * number of evenly spaced neurons, populations stacked top to bottom in model order) and the
 * population rate traces (all neurons, Hz per neuron) over the same window.
 *
 * @module
 */

import type { PopulationSpikes } from "../validation/spike_statistics.ts";

/** Options of {@linkcode sampleActivity}. */
export interface ActivityOptions {
  /** Window start (ms): usually the end of the presimulation. */
  tStartMs: number;
  /** Window length (ms); default 500. */
  windowMs?: number;
  /** Neurons shown in the raster, over all populations (default 400; ≥ 15 per population). */
  maxNeurons?: number;
  /** Bin of the rate traces (ms); default 5. */
  binMs?: number;
}

/** One population in the raster and rate traces. */
export interface PopulationActivity {
  /** Population name. */
  name: string;
  /** Neurons in the population. */
  size: number;
  /** Neurons shown in the raster. */
  sampled: number;
  /** Raster row of the first sampled neuron (rows count from the top). */
  firstRow: number;
  /** Spike time (ms) of each raster point. */
  t: number[];
  /** Raster row of each raster point. */
  row: number[];
  /** Population rate (Hz per neuron) in each bin. */
  rateHz: number[];
  /** Spikes of the whole population in the window. */
  spikesInWindow: number;
}

/** Raster and rate traces of one run. */
export interface Activity {
  /** [start, stop) of the window (ms). */
  windowMs: [number, number];
  /** Bin of the rate traces (ms). */
  binMs: number;
  /** Start of each rate bin (ms). */
  binStartsMs: number[];
  /** Raster rows in all. */
  rows: number;
  /** One per population, input order. */
  populations: PopulationActivity[];
}

/**
 * Samples the raster and computes the rate traces of `populations` on
 * [tStartMs, tStartMs + windowMs).
 *
 * @param populations the run's spikes
 * @param options the window, raster size and bin width
 */
export function sampleActivity(
  populations: PopulationSpikes[],
  options: ActivityOptions,
): Activity {
  const windowMs = options.windowMs ?? 500;
  const maxNeurons = options.maxNeurons ?? 400;
  const binMs = options.binMs ?? 5;
  const t0 = options.tStartMs;
  if (!Number.isFinite(t0) || !(windowMs > 0) || !(binMs > 0) || binMs > windowMs) {
    throw new RangeError(
      `window ${t0} + ${windowMs} ms with ${binMs} ms bins: need a finite start, a length > 0 ` +
        "and 0 < bin ≤ length",
    );
  }
  const t1 = t0 + windowMs;
  const bins = Math.floor(windowMs / binMs);
  const total = populations.reduce((a, p) => a + p.size, 0);
  let nextRow = 0;
  const out: PopulationActivity[] = populations.map((pop) => {
    const sampled = Math.min(pop.size, Math.max(15, Math.round((pop.size * maxNeurons) / total)));
    const rowOf = new Int32Array(pop.size).fill(-1);
    for (let k = 0; k < sampled; k++) rowOf[Math.floor((k * pop.size) / sampled)] = nextRow + k;
    const counts = new Float64Array(bins);
    const t: number[] = [];
    const row: number[] = [];
    let spikesInWindow = 0;
    for (let i = 0; i < pop.senders.length; i++) {
      const time = pop.timesMs[i];
      if (time < t0 || time >= t1) continue;
      spikesInWindow++;
      const bin = Math.floor((time - t0) / binMs);
      if (bin < bins) counts[bin]++;
      const r = rowOf[pop.senders[i]];
      if (r >= 0) {
        t.push(time);
        row.push(r);
      }
    }
    const perNeuronHz = 1000 / (binMs * pop.size);
    const activity: PopulationActivity = {
      name: pop.name,
      size: pop.size,
      sampled,
      firstRow: nextRow,
      t,
      row,
      rateHz: Array.from(counts, (c) => c * perNeuronHz),
      spikesInWindow,
    };
    nextRow += sampled;
    return activity;
  });
  return {
    windowMs: [t0, t1],
    binMs,
    binStartsMs: Array.from({ length: bins }, (_, b) => t0 + b * binMs),
    rows: nextRow,
    populations: out,
  };
}

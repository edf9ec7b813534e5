/**
 * Test support for the validation suite: a seeded PRNG and synthetic spike trains
 * (Poisson, regular) in the {@linkcode PopulationSpikes} layout. Used only by tests.
 *
 * @module
 */

import type { PopulationSpikes } from "./spike_statistics.ts";

/**
 * Returns a deterministic uniform [0, 1) generator (mulberry32), so statistical tests are
 * reproducible.
 *
 * @param seed any 32-bit integer
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options for {@linkcode poissonPopulation}. */
export interface PoissonOptions {
  /** Firing rate of every neuron (Hz), or one rate per neuron. */
  rateHz: number | ArrayLike<number>;
  /** Recording window start (ms). */
  tStartMs: number;
  /** Recording window end (ms). */
  tStopMs: number;
  /** PRNG seed. */
  seed: number;
  /** Round spike times up to this grid (ms), like a simulator with resolution h. Default none. */
  gridMs?: number;
}

/**
 * Independent Poisson spike trains for `size` neurons, emitted in time order per neuron and
 * concatenated neuron by neuron (senders ascending).
 *
 * @param name population name
 * @param size number of neurons
 * @param options rates, window, seed, optional time grid
 */
export function poissonPopulation(
  name: string,
  size: number,
  options: PoissonOptions,
): PopulationSpikes {
  const random = seededRandom(options.seed);
  const senders: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < size; i++) {
    const rate = typeof options.rateHz === "number" ? options.rateHz : options.rateHz[i];
    if (rate <= 0) continue;
    let t = options.tStartMs;
    while (true) {
      t += (-Math.log(1 - random()) * 1000) / rate;
      if (t > options.tStopMs) break;
      const stamped = options.gridMs ? Math.ceil(t / options.gridMs) * options.gridMs : t;
      if (stamped > options.tStopMs) break;
      senders.push(i);
      times.push(stamped);
    }
  }
  return { name, size, senders: Uint32Array.from(senders), timesMs: Float64Array.from(times) };
}

/**
 * Perfectly regular trains: neuron i fires every `periodMs` starting at
 * `tStartMs + offsetMs(i)`.
 *
 * @param name population name
 * @param size number of neurons
 * @param options period, window and per-neuron phase
 */
export function regularPopulation(
  name: string,
  size: number,
  options: {
    periodMs: number;
    tStartMs: number;
    tStopMs: number;
    offsetMs?: (i: number) => number;
  },
): PopulationSpikes {
  const senders: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < size; i++) {
    for (
      let t = options.tStartMs + (options.offsetMs?.(i) ?? 0);
      t <= options.tStopMs;
      t += options.periodMs
    ) {
      senders.push(i);
      times.push(t);
    }
  }
  return { name, size, senders: Uint32Array.from(senders), timesMs: Float64Array.from(times) };
}

/**
 * Keeps each spike with probability `1 - fraction` (seeded), as if the simulator lost spikes.
 *
 * @param populations input populations (not modified)
 * @param options fraction to drop and seed
 */
export function dropSpikes(
  populations: PopulationSpikes[],
  options: { fraction: number; seed: number },
): PopulationSpikes[] {
  const random = seededRandom(options.seed);
  return populations.map((pop) => {
    const senders: number[] = [];
    const times: number[] = [];
    for (let k = 0; k < pop.senders.length; k++) {
      if (random() < options.fraction) continue;
      senders.push(pop.senders[k]);
      times.push(pop.timesMs[k]);
    }
    return { ...pop, senders: Uint32Array.from(senders), timesMs: Float64Array.from(times) };
  });
}

/**
 * Replaces every neuron's train by a regular one with the same number of spikes in
 * [tStartMs, tStopMs] (evenly spaced, random phase, times rounded to `gridMs`): the rates are
 * unchanged but the CV ISI becomes ~0. Spikes outside the window are dropped.
 *
 * @param populations input populations (not modified)
 * @param options window, grid and seed
 */
export function regularizeSpikes(
  populations: PopulationSpikes[],
  options: { tStartMs: number; tStopMs: number; gridMs: number; seed: number },
): PopulationSpikes[] {
  const random = seededRandom(options.seed);
  const span = options.tStopMs - options.tStartMs;
  return populations.map((pop) => {
    const counts = new Uint32Array(pop.size);
    for (let k = 0; k < pop.senders.length; k++) {
      const t = pop.timesMs[k];
      if (t >= options.tStartMs && t <= options.tStopMs) counts[pop.senders[k]]++;
    }
    const senders: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < pop.size; i++) {
      const c = counts[i];
      if (c === 0) continue;
      const period = span / c;
      const phase = random() * period;
      for (let s = 0; s < c; s++) {
        const t = options.tStartMs + phase + s * period;
        const stamped = Math.min(
          options.tStopMs,
          Math.max(
            options.tStartMs + options.gridMs,
            Math.round(t / options.gridMs) * options.gridMs,
          ),
        );
        senders.push(i);
        times.push(stamped);
      }
    }
    return { ...pop, senders: Uint32Array.from(senders), timesMs: Float64Array.from(times) };
  });
}

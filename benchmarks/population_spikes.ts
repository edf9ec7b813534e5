/** Converts engine spike records into per-population spike trains (the validator's input). */
import type { NetworkSpec, RecordedSpikes } from "../engine/mod.ts";
import type { PopulationSpikes } from "../validation/spike_statistics.ts";

/** Splits `spikes` by population; times in ms (stamp step × resolution). */
export function toPopulationSpikes(spikes: RecordedSpikes, spec: NetworkSpec): PopulationSpikes[] {
  const h = spec.resolutionMs;
  return spec.populations.map((pop) => {
    let count = 0;
    for (const n of spikes.neurons) if (n >= pop.first && n < pop.first + pop.size) count++;
    const senders = new Uint32Array(count);
    const timesMs = new Float64Array(count);
    let at = 0;
    for (let i = 0; i < spikes.neurons.length; i++) {
      const n = spikes.neurons[i];
      if (n < pop.first || n >= pop.first + pop.size) continue;
      senders[at] = n - pop.first;
      // Round to the 0.1 µs grid so that times print as the exact multiples of h they are.
      timesMs[at] = Math.round(spikes.steps[i] * h * 1e4) / 1e4;
      at++;
    }
    return { name: pop.name, size: pop.size, senders, timesMs };
  });
}

/** Mean firing rate (Hz) of each population over a window of `durationMs`. */
export function populationRates(
  trains: PopulationSpikes[],
  durationMs: number,
): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const t of trains) rates[t.name] = t.senders.length / t.size / (durationMs / 1000);
  return rates;
}

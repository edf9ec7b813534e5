/** A SHA-256 digest of a spike train, so identical behaviour is provable across runs. */
import type { RecordedSpikes } from "../engine/mod.ts";

/**
 * SHA-256 (hex) of the spikes as little-endian (int32 step, uint32 neuron) pairs in (step,
 * neuron) order — the order every backend returns. Two runs have the same digest exactly when
 * they produced the same spikes.
 */
export async function spikeDigest(spikes: RecordedSpikes): Promise<string> {
  const n = spikes.steps.length;
  const bytes = new ArrayBuffer(8 * n);
  const view = new DataView(bytes);
  for (let i = 0; i < n; i++) {
    view.setInt32(8 * i, spikes.steps[i], true);
    view.setUint32(8 * i + 4, spikes.neurons[i], true);
  }
  const hash = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
}

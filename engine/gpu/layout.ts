/**
 * The device layout of synapses, described once: each synapse is two u32 words,
 * `target | delay << targetBits` (in networks with facilitating synapses, bit 31 flags a
 * facilitating synapse and the delay has one bit less) and the fixed-point weight (i32);
 * synapses are numbered in
 * CSR-by-source order and split into chunks of 2^shift synapses, one storage buffer each, so
 * no binding exceeds the adapter's `maxStorageBufferBindingSize`.
 */

/** How the first synapse word is split between target id, delay and the facilitation flag. */
export interface SynapseBits {
  targetBits: number;
  delayBits: number;
  /** Whether bit 31 is the facilitation flag (then delayBits = 31 − targetBits). */
  flagBit: boolean;
}

/** The facilitation flag of a synapse word (when `SynapseBits.flagBit`). */
export const FACILITATION_FLAG = 0x80000000;

/**
 * Bits for a network of `neurons` neurons and delays up to `maxDelaySteps`; `flagBit` reserves
 * bit 31 for the facilitation flag.
 */
export function synapseBits(
  neurons: number,
  maxDelaySteps: number,
  flagBit = false,
): SynapseBits {
  const targetBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, neurons))));
  const delayBits = 32 - targetBits - (flagBit ? 1 : 0);
  if (maxDelaySteps >= 2 ** delayBits) {
    throw new Error(
      `delays up to ${maxDelaySteps} steps do not fit the ${delayBits} bits left by ${neurons} neurons`,
    );
  }
  return { targetBits, delayBits, flagBit };
}

/** Synapse chunks: all of 2^shift synapses except the last. */
export interface ChunkLayout {
  shift: number;
  sizes: number[];
}

/** Splits `total` synapses into chunks that fit one binding each. */
export function chunkLayout(
  total: number,
  limits: { maxBindingBytes: number; maxChunks: number; maxChunkSynapses?: number },
): ChunkLayout {
  let shift = Math.floor(Math.log2(limits.maxBindingBytes / 8));
  if (limits.maxChunkSynapses) {
    shift = Math.min(shift, Math.floor(Math.log2(limits.maxChunkSynapses)));
  }
  shift = Math.min(shift, 31);
  const size = 2 ** shift;
  const count = Math.max(1, Math.ceil(total / size));
  if (count > limits.maxChunks) {
    throw new Error(
      `${total} synapses need ${count} storage chunks of ${size}, but this adapter binds at most ` +
        `${limits.maxChunks} (maxStorageBuffersPerShaderStage); use an adapter with larger or more ` +
        `storage bindings (the Vulkan backend binds 32), or a smaller network`,
    );
  }
  const sizes = Array.from(
    { length: count },
    (_, c) => Math.max(1, Math.min(size, total - c * size)),
  );
  return { shift, sizes };
}

/**
 * Device neuron ids: every population starts at a multiple of four so that the update kernel
 * handles quads of one population; the unused lanes at a population's end are padding.
 */
export interface NeuronLayout {
  /** Device id of each population's first neuron. */
  first: number[];
  /** Device neurons including padding (a multiple of four). */
  size: number;
  /** Network neuron id of each device id (−1 for padding). */
  networkId: Int32Array;
  /** Device id of each network neuron id. */
  deviceId: Uint32Array;
}

/** The padded layout of populations with the given (network) first ids and sizes. */
export function neuronLayout(populations: { first: number; size: number }[]): NeuronLayout {
  const first: number[] = [];
  let next = 0;
  for (const p of populations) {
    first.push(next);
    next += Math.ceil(p.size / 4) * 4;
  }
  const networkId = new Int32Array(next).fill(-1);
  const total = populations.reduce((s, p) => s + p.size, 0);
  const deviceId = new Uint32Array(total);
  populations.forEach((p, i) => {
    for (let k = 0; k < p.size; k++) {
      networkId[first[i] + k] = p.first + k;
      deviceId[p.first + k] = first[i] + k;
    }
  });
  return { first, size: next, networkId, deviceId };
}

/** Refractory count that marks a padding lane (update.wgsl FROZEN): it never updates or fires. */
export const FROZEN_LANE = 0xffff;

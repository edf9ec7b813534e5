/**
 * The interface every backend implements, and the records it returns. Times are in seconds
 * (wall clock) or milliseconds (model time), as each name says.
 */

/** Wall-clock seconds spent in each construction phase. */
export interface BuildPhases {
  /** Neuron state, parameters and initial potentials. */
  create: number;
  /** Connection generation (count, prefix sum, fill). */
  connect: number;
  /** Ring buffer, recording and stepping buffers. */
  prepare: number;
  /** Shader/pipeline compilation (reported on its own; not part of `prepare`). */
  compile: number;
}

/** Identity of the device that ran a simulation. */
export interface AdapterDescription {
  backend: "webgpu" | "cpu";
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Selected limits (storage binding size, buffer size, storage buffers per stage, ...). */
  limits: Record<string, number>;
}

/** Spikes recorded so far, sorted by (step, neuron). Time of a spike = step · resolution. */
export interface RecordedSpikes {
  /** Time stamp of each spike in steps (stamp t+h of the update that produced it). */
  steps: Int32Array;
  /** Global neuron id of each spike. */
  neurons: Uint32Array;
}

/** Outcome of one `run` call. */
export interface RunStats {
  steps: number;
  /** Spikes emitted by all neurons (recorded or not). */
  spikes: number;
  /** Synapse activations: Σ over spikes of the spiking neuron's out-degree. */
  synapticEvents: number;
  wallSeconds: number;
}

/** The built connectivity in CSR-by-source form, rows sorted by (target, delay, weight). */
export interface Connectivity {
  rowStart: Uint32Array;
  targets: Uint32Array;
  delaySteps: Uint32Array;
  /** Fixed-point weights; divide by `scale` for pA. */
  weights: Int32Array;
  scale: number;
}

/** Neuron state snapshot (for tests): y = V − E_L is returned as V (mV). */
export interface NeuronState {
  v: Float64Array;
  iEx: Float64Array;
  iIn: Float64Array;
  refractory: Int32Array;
}

/**
 * Facilitation state per neuron after its last spike (NaN for neurons without facilitating
 * out-synapses); propagate to a time t with `facilitationAt`.
 */
export interface FacilitationArrays {
  u: Float64Array;
  x: Float64Array;
  tLastMs: Float64Array;
}

/** Progress callback of a long run. */
export type ProgressCallback = (stepsDone: number, stepsTotal: number) => void;

/**
 * A built network that can be advanced in time. After `close()` every method throws (or
 * rejects with) a `SimulatorClosedError`, on every backend; closing twice is a no-op. While an
 * asynchronous method (`run`, `state`, ...) is in progress, `close()` and the other asynchronous
 * methods throw a `SimulatorBusyError`.
 */
export interface Simulator {
  readonly backend: "webgpu" | "cpu";
  readonly adapter: AdapterDescription;
  readonly phases: BuildPhases;
  /** Steps simulated so far. */
  readonly stepsDone: number;
  readonly synapseCount: number;
  /** Fixed-point units per pA of the synaptic input ring. */
  readonly fixedPointScale: number;
  /** Bytes of device memory allocated (0 on the CPU backend). */
  readonly deviceBytes: number;
  /**
   * Advances the network by `durationMs`: a finite multiple of the resolution ≥ 0 (within a
   * floating-point tolerance; 0 runs no step). Any other duration rejects with a
   * ParameterError that names the nearest valid durations, before any work.
   */
  run(durationMs: number, options?: { onProgress?: ProgressCallback }): Promise<RunStats>;
  /** Returns the spikes recorded since the last call and forgets them. */
  takeSpikes(): RecordedSpikes;
  /** Reads back the connectivity (slow for big networks; for tests and inspection). */
  connectivity(): Promise<Connectivity>;
  /** Reads back the neuron state. */
  state(): Promise<NeuronState>;
  /** Reads back the facilitation state (backends that support facilitating synapses). */
  facilitationState?(): Promise<FacilitationArrays>;
  /** Releases buffers and the device. */
  close(): void;
}

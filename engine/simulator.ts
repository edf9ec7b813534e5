/** Chooses a backend and builds a network on it. */
import { createCpuSimulator } from "./cpu/cpu_simulator.ts";
import { ParameterError } from "./errors.ts";
import {
  createGpuSimulator,
  type GpuSimulatorOptions,
  validateGpuOptions,
} from "./gpu/gpu_simulator.ts";
import { Network, type NetworkSpec } from "./network.ts";
import type { Simulator } from "./simulator_types.ts";

/** Backends that can simulate a network. */
export const BACKENDS = ["webgpu", "cpu"] as const;

/** Options of `createSimulator`. */
export interface SimulatorOptions extends GpuSimulatorOptions {
  /** "webgpu" (default) or "cpu" (float64 reference, small networks). */
  backend?: (typeof BACKENDS)[number];
}

/**
 * Builds `network` on the chosen backend; the returned simulator is ready to `run`.
 *
 * The simulator is built from a snapshot of the network (`network.spec()`) taken now: changes
 * made to the Network afterwards (more populations, connections, recordings) affect only
 * simulators created later, never this one. A `NetworkSpec` argument must be one returned by
 * `Network.spec()` (it is used as is). Adapter information and the software-adapter warning go
 * to `options.log` (default: standard error). Invalid arguments reject the returned promise
 * with a ParameterError before any device work.
 *
 * @param network the network description
 * @param options backend and backend options
 */
export function createSimulator(
  network: Network | NetworkSpec,
  options: SimulatorOptions = {},
): Promise<Simulator> {
  try {
    const spec = network instanceof Network ? network.spec() : network;
    const backend = options.backend ?? "webgpu";
    if (!BACKENDS.includes(backend)) {
      throw new ParameterError("backend", backend, `one of ${BACKENDS.join(", ")}`);
    }
    validateGpuOptions(options);
    if (backend === "cpu") return Promise.resolve(createCpuSimulator(spec));
    return createGpuSimulator(spec, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The spikebench engine: describe a network with `Network`, then build and simulate it with
 * `createSimulator` on the WebGPU backend or the float64 CPU backend.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./distributions.ts";
export * from "./iaf_psc_exp.ts";
export * from "./facilitation.ts";
export * from "./network.ts";
export * from "./simulator_types.ts";
export * from "./simulator.ts";
export { acquireGpu, type GpuContext, NoAdapterError } from "./gpu/device.ts";
export { connectivityEqual } from "./connectivity.ts";

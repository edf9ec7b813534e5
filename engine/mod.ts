/**
 * The spikebench engine: describe a network with `Network`, then build and simulate it with
 * `createSimulator` on the WebGPU backend or the float64 CPU backend.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./distributions.ts";
export * from "./iaf_psc_exp.ts";
export * from "./network.ts";

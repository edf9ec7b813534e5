/**
 * spikebench: a WebGPU spiking-network engine, reference models, and a benchmarking and
 * validation harness.
 *
 * @module
 */
export * from "./engine/mod.ts";

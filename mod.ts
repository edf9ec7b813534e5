/**
 * spikebench: a WebGPU spiking-network engine, reference models, and a benchmarking and
 * validation harness.
 *
 * @module
 */
export * from "./engine/mod.ts";
/** Reference models: the Potjans & Diesmann microcircuit, the working-memory network. */
export * from "./models/mod.ts";
/** Spike statistics, distances, verdicts and NEST reference data (usable on any simulator). */
export * as validation from "./validation/mod.ts";

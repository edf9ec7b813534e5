/**
 * Reference network models built with the spikebench engine: the Potjans & Diesmann (2014)
 * cortical microcircuit (`buildMicrocircuit`), its parameter tables and reference rates; the
 * working-memory network's parameters, regimes, protocol and conversions; the structural-
 * plasticity (stabilization + rewiring) rate model and its CPU simulation.
 *
 * @module
 */
export * from "./microcircuit_params.ts";
export * from "./microcircuit.ts";
export * from "./working_memory_params.ts";
export * from "./working_memory.ts";
export * from "./rewiring_params.ts";
export * from "./rewiring.ts";

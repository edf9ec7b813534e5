/**
 * Reference network models built with the spikebench engine: the Potjans & Diesmann (2014)
 * cortical microcircuit (`buildMicrocircuit`), its parameter tables and reference rates.
 *
 * @module
 */
export * from "./microcircuit_params.ts";
export * from "./microcircuit.ts";

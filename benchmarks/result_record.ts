/** The record one benchmark run produces (design.md §4); also the `--json` output. */
import type { AdapterDescription } from "../engine/mod.ts";
import type { Environment } from "./metadata.ts";

/** Wall-clock seconds per phase of a run. */
export interface PhaseTimes {
  create: number;
  connect: number;
  prepare: number;
  compile: number;
  presimulate: number;
  simulate: number;
}

/** One benchmark run. Keys are snake_case: this is a file format. */
export interface BenchResult {
  /** Unique id: timestamp + model + seed + random suffix. */
  id: string;
  schema: 1;
  model: string;
  /** Every model parameter the run used. */
  params: Record<string, unknown>;
  seed: number;
  drive: string;
  backend: "webgpu" | "cpu";
  adapter: AdapterDescription;
  scale: number;
  k_scale: number;
  record: boolean;
  neurons: number;
  synapses: number;
  phases: PhaseTimes;
  /** create + connect + prepare (pipeline compile reported apart, in `phases.compile`). */
  construction_s: number;
  /** Wall time of `simulate` / model time simulated. */
  rtf: number;
  t_presim_ms: number;
  t_sim_ms: number;
  /** Spikes in the simulate phase (all neurons). */
  spikes: number;
  /** Synapse activations in the simulate phase. */
  synaptic_events: number;
  synaptic_events_per_s: number;
  /** Mean rate per population in the simulate phase (Hz); empty when not recorded. */
  rates_hz: Record<string, number>;
  /** Reference mean rates (Hz) the summary compares with, and where they come from. */
  reference: { source: string; rates_hz: Record<string, number> } | null;
  gpu_bytes: number;
  peak_rss_bytes: number;
  /** SHA-256 of the recorded simulate-phase spikes; "" when recording was off. */
  spike_digest: string;
  fixed_point_scale: number;
  commit: string;
  timestamp: string;
  environment: Environment;
  repeat_index: number;
  /** Free-text notes on approximations the model or engine made. */
  notes: string[];
}

/** A fresh, sortable, collision-resistant run id. */
export function newRunId(model: string, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0].toString(16).padStart(8, "0");
  return `${stamp}_${model}_s${seed}_${suffix}`;
}

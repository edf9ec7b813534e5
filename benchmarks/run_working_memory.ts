/**
 * One run of the working-memory model (models/working_memory.ts, docs/specs/working_memory.md) for
 * `deno task bench --model working_memory` and `deno task validate --model working_memory`:
 * build, simulate the default protocol (no discarded presimulation: the spontaneous period is
 * part of the analysis), record every neuron, analyse with validation/working_memory_analysis.ts
 * and return a BenchResult with the analysis, u/x and rate traces and a raster sample.
 *
 * @module
 */
import { createSimulator, type ProgressCallback, type RecordedSpikes } from "../engine/mod.ts";
import { buildWorkingMemory } from "../models/working_memory.ts";
import type { WorkingMemoryParams } from "../models/working_memory_params.ts";
import {
  analyzeWorkingMemory,
  type GroupSpikes,
  type WorkingMemoryAnalysis,
} from "../validation/working_memory_analysis.ts";
import { describeBehaviour } from "../validation/working_memory_checks.ts";
import { environment, gitCommit, peakRssBytes } from "./metadata.ts";
import { type BenchResult, newRunId } from "./result_record.ts";
import { ENGINE_NOTES } from "./run_microcircuit.ts";
import { spikeDigest } from "./spike_digest.ts";

/** Options of one working-memory run. */
export interface WorkingMemoryRunOptions {
  regime: "A" | "B" | "C";
  seed: number;
  backend: "webgpu" | "cpu";
  /** Protocol length (ms); ≥ 6000 for the analysis windows. */
  tSimMs: number;
  repeatIndex?: number;
  log?: (message: string) => void;
  onProgress?: (doneMs: number, totalMs: number, wallSeconds: number) => void;
}

/** Neurons per selective population in the raster sample stored with the record. */
export const RASTER_NEURONS_PER_POP = 60;

/** The analysis as stored in a record: traces rounded to keep records small. */
export type StoredAnalysis = WorkingMemoryAnalysis;

/** The record of a working-memory run. */
export interface WorkingMemoryBenchResult extends BenchResult {
  regime: "A" | "B" | "C";
  working_memory: StoredAnalysis;
  /** Spikes of the first RASTER_NEURONS_PER_POP neurons of each selective population. */
  raster: { pop: number[]; neuron: number[]; t_ms: number[] };
  behaviour: string;
}

/** Splits recorded spikes into the model's groups (local ids, times in ms). */
export function groupSpikes(
  spikes: RecordedSpikes,
  layout: { name: string; first: number; size: number }[],
  resolutionMs: number,
): GroupSpikes[] {
  return layout.map((g) => {
    const times: number[] = [], ids: number[] = [];
    for (let i = 0; i < spikes.neurons.length; i++) {
      const n = spikes.neurons[i];
      if (n < g.first || n >= g.first + g.size) continue;
      // Round to the 0.1 µs grid: stamps are exact multiples of h.
      times.push(Math.round(spikes.steps[i] * resolutionMs * 1e4) / 1e4);
      ids.push(n - g.first);
    }
    return {
      name: g.name,
      size: g.size,
      timesMs: Float64Array.from(times),
      ids: Uint32Array.from(ids),
    };
  });
}

const round = (v: number[], digits: number) => v.map((x) => Number(x.toFixed(digits)));

function compactTraces(a: WorkingMemoryAnalysis): WorkingMemoryAnalysis {
  const rates: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(a.traces.rates_hz)) rates[k] = round(v, 3);
  return {
    ...a,
    traces: {
      ...a.traces,
      u: a.traces.u.map((v) => round(v, 5)),
      x: a.traces.x.map((v) => round(v, 5)),
      rates_hz: rates,
    },
  };
}

function rasterSample(selective: GroupSpikes[]): WorkingMemoryBenchResult["raster"] {
  const out = { pop: [] as number[], neuron: [] as number[], t_ms: [] as number[] };
  selective.forEach((g, k) => {
    for (let i = 0; i < g.timesMs.length; i++) {
      if (g.ids[i] >= RASTER_NEURONS_PER_POP) continue;
      out.pop.push(k);
      out.neuron.push(g.ids[i]);
      out.t_ms.push(g.timesMs[i]);
    }
  });
  return out;
}

/** Notes on what the working-memory records approximate or leave out. */
export const WORKING_MEMORY_NOTES =
  "Working memory (docs/specs/working_memory.md): default protocol of run_model.py extended to 7 s " +
  "as NEST's reference runs (offset kept at 5200 ms). presimulate = 0: the spontaneous period " +
  "[550, 3000) ms is analysed. u and x are the population means of the per-neuron facilitation " +
  "state reconstructed exactly from the recorded spikes (it changes only at spikes, spec §2.2); " +
  "on WebGPU the state itself is f32, so round(W·u·x) can differ from float64 by one fixed-point " +
  "unit. Uniform delays are drawn as a flat redraw window of the engine's truncated normal.";

/** Runs the model once; returns the record and the spikes per group. */
export async function runWorkingMemory(
  options: WorkingMemoryRunOptions,
): Promise<{ result: WorkingMemoryBenchResult; groups: GroupSpikes[] }> {
  const model = buildWorkingMemory({
    regime: options.regime,
    seed: options.seed,
    tSimMs: options.tSimMs,
    offsetOriginMs: 5200,
  });
  model.network.record(model.groups.nonsel);
  model.network.record(model.groups.inh);
  const spec = model.network.spec();
  const p: WorkingMemoryParams = model.params;
  const sim = await createSimulator(spec, { backend: options.backend, log: options.log });
  try {
    const t0 = performance.now();
    const progress: ProgressCallback = (done, total) =>
      options.onProgress?.(
        (done / total) * options.tSimMs,
        options.tSimMs,
        (performance.now() - t0) / 1000,
      );
    const stats = await sim.run(options.tSimMs, { onProgress: progress });
    const recorded = sim.takeSpikes();
    const layout = spec.populations.map((pop) => ({
      name: pop.name,
      first: pop.first,
      size: pop.size,
    }));
    const groups = groupSpikes(recorded, layout, p.resolutionMs);
    const selective = groups.filter((g) => g.name.startsWith("sel"));
    const others = groups.filter((g) => !g.name.startsWith("sel"));
    const analysis = analyzeWorkingMemory(selective, {
      regime: options.regime,
      stp: p.stp,
      endMs: options.tSimMs,
      others,
    });
    const timestamp = new Date();
    const rates: Record<string, number> = {};
    for (const g of groups) rates[g.name] = g.timesMs.length / g.size / (options.tSimMs / 1000);
    const result: WorkingMemoryBenchResult = {
      id: newRunId("working_memory", options.seed, timestamp),
      schema: 1,
      model: "working_memory",
      params: { ...p } as unknown as Record<string, unknown>,
      seed: options.seed,
      drive: `noise (regime ${options.regime})`,
      backend: options.backend,
      adapter: sim.adapter,
      scale: 1,
      k_scale: 1,
      record: true,
      neurons: spec.neuronCount,
      synapses: sim.synapseCount,
      phases: { ...sim.phases, presimulate: 0, simulate: stats.wallSeconds },
      construction_s: sim.phases.create + sim.phases.connect + sim.phases.prepare,
      rtf: stats.wallSeconds / (options.tSimMs / 1000),
      t_presim_ms: 0,
      t_sim_ms: options.tSimMs,
      spikes: stats.spikes,
      synaptic_events: stats.synapticEvents,
      synaptic_events_per_s: stats.synapticEvents / stats.wallSeconds,
      rates_hz: rates,
      reference: null,
      gpu_bytes: sim.deviceBytes,
      peak_rss_bytes: peakRssBytes(),
      spike_digest: await spikeDigest(recorded),
      fixed_point_scale: sim.fixedPointScale,
      commit: gitCommit(),
      timestamp: timestamp.toISOString(),
      environment: environment(),
      repeat_index: options.repeatIndex ?? 0,
      notes: [WORKING_MEMORY_NOTES, ENGINE_NOTES],
      regime: options.regime,
      working_memory: compactTraces(analysis),
      raster: rasterSample(selective),
      behaviour: describeBehaviour(analysis),
    };
    return { result, groups };
  } finally {
    sim.close();
  }
}

/** The one-screen summary of a working-memory run. */
export function formatWorkingMemorySummary(
  r: WorkingMemoryBenchResult,
  paths: { result?: string; history?: string } = {},
): string {
  const f = (x: number | null, d = 3) => x !== null && Number.isFinite(x) ? x.toFixed(d) : "—";
  const a = r.working_memory;
  const lp = a.pops[a.loaded];
  const ph = r.phases;
  const lines = [
    `spikebench · working_memory · regime ${r.regime} · ${r.t_sim_ms} ms · seed ${r.seed} · ${r.backend}`,
    `adapter      ${r.adapter.description || r.adapter.device}${
      r.adapter.isFallbackAdapter ? "  [software fallback adapter]" : ""
    }`,
    `network      ${r.neurons.toLocaleString("en")} neurons, ${
      r.synapses.toLocaleString("en")
    } synapses, h = 0.05 ms`,
    `construction ${f(r.construction_s)} s  (create ${f(ph.create)}, connect ${f(ph.connect)}, ` +
    `prepare ${f(ph.prepare)}) + compile ${f(ph.compile)} s`,
    `simulate     ${r.t_sim_ms} ms in ${f(ph.simulate)} s  →  RTF ${f(r.rtf)}`,
    `spontaneous  selective ${a.pops.map((p) => f(p.spont_rate, 2)).join(" ")} Hz, inh ${
      f(a.inhibitory?.spont_rate ?? null, 2)
    } Hz`,
    `cue          loaded ${f(lp.cue_rate, 2)} Hz (×${f(lp.cue_over_spont, 1)}), u ${
      f(lp.u_3350)
    }, x ${f(lp.x_3350)} at 3350 ms`,
    `delay        loaded ${f(lp.delay_rate, 2)} Hz, ${lp.ps_count_3400_5200} PS in [3400, 5200)` +
    (lp.ips_mean_ms !== null
      ? `, interval ${f(lp.ips_mean_ms, 0)} ms (CV ${f(lp.ips_cv, 2)})`
      : "") +
    `, u(4100) ${f(lp.u_4100)}`,
    `behaviour    ${r.behaviour}`,
    `digest       ${r.spike_digest.slice(0, 16)}…  commit ${r.commit}`,
  ];
  if (paths.result) lines.push(`result       ${paths.result}`);
  if (paths.history) lines.push(`history      ${paths.history}`);
  return lines.join("\n");
}

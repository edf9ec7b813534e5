/**
 * Test support for the reports suite: synthetic bench results and validation rows with only
 * the fields that matter set, and a seeded PRNG. Used only by tests.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform generator (Box–Muller). */
export function normalDeviate(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

let counter = 0;

/**
 * A synthetic result: a 0.02-scale microcircuit run on a software adapter, with `overrides`
 * applied on top (timestamp, commit, rtf, construction_s, ...).
 *
 * @param overrides fields to set
 */
export function syntheticRun(overrides: Partial<BenchResult> = {}): BenchResult {
  counter++;
  const timestamp = overrides.timestamp ?? new Date(Date.UTC(2026, 0, 1) + counter * 1000)
    .toISOString();
  const base: BenchResult = {
    id: `synthetic_${String(counter).padStart(6, "0")}`,
    schema: 1,
    model: "microcircuit",
    params: {},
    seed: 55,
    drive: "poisson",
    backend: "webgpu",
    adapter: {
      backend: "webgpu",
      vendor: "test",
      architecture: "",
      device: "0",
      description: "test adapter",
      isFallbackAdapter: true,
      limits: { maxBufferSize: 1 << 30 },
    },
    scale: 0.02,
    k_scale: 0.02,
    record: true,
    neurons: 1544,
    synapses: 119548,
    phases: {
      create: 0.01,
      connect: 0.9,
      prepare: 0.01,
      compile: 0.2,
      presimulate: 0.3,
      simulate: 0.6,
    },
    construction_s: 0.92,
    rtf: 3,
    t_presim_ms: 50,
    t_sim_ms: 200,
    spikes: 300,
    synaptic_events: 2e4,
    synaptic_events_per_s: 3e4,
    rates_hz: { L23E: 0.5, L4E: 4 },
    reference: null,
    gpu_bytes: 1e6,
    peak_rss_bytes: 3e8,
    spike_digest: "",
    fixed_point_scale: 4096,
    commit: "aaaaaaaaaaaa",
    timestamp,
    environment: {
      deno: "2.9.6",
      v8: "x",
      os: "linux",
      arch: "x86_64",
      cpu: "test cpu",
      cores: 2,
      memory_bytes: 1e10,
      hostname: "test",
    },
    repeat_index: 0,
    notes: ["synthetic"],
  };
  return { ...base, ...overrides, timestamp };
}

/**
 * A synthetic validation row for `run`.
 *
 * @param run the validated run
 * @param passed the verdict
 */
export function syntheticValidation(run: BenchResult, passed: boolean): ValidationRow {
  return {
    id: `${run.id}_validation`,
    run_id: run.id,
    timestamp: run.timestamp,
    model: run.model,
    scale: run.scale,
    passed,
    verdict: {
      kind: "spikebench-validation",
      pass: passed,
      failures: passed ? [] : ["L4E cv_isi: EMD 0.39 > 0.034 (2.5 × max NEST-vs-NEST 0.0136)"],
    },
  };
}

/** ISO time `minutes` after 2026-01-01T00:00Z. */
export function minutesAfterEpoch(minutes: number): string {
  return new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString();
}

/**
 * Writes a nightly-like synthetic history to `path`: `nights` sessions of three runs (one
 * night apart, a new commit each) of two configurations, 3 % noise; the last night of the
 * first configuration is `lastFactor` times slower. Returns the runs.
 *
 * @param path the SQLite file to create
 * @param options nights, slowdown, extra fields for every run
 */
export async function writeSyntheticHistory(
  path: string,
  options: { nights?: number; lastFactor?: number; overrides?: Partial<BenchResult> } = {},
): Promise<BenchResult[]> {
  const { History } = await import("../benchmarks/results_store.ts");
  const { nights = 6, lastFactor = 1.3 } = options;
  const random = seededRandom(17);
  const history = new History(path);
  const runs: BenchResult[] = [];
  try {
    for (let night = 0; night < nights; night++) {
      for (const drive of ["poisson", "dc"]) {
        for (let r = 0; r < 3; r++) {
          const slow = night === nights - 1 && drive === "poisson" ? lastFactor : 1;
          const noise = () => slow * (1 + 0.03 * normalDeviate(random));
          const run = syntheticRun({
            timestamp: minutesAfterEpoch(night * 1440 + r + (drive === "dc" ? 10 : 0)),
            commit: `c0ffee${night}`.padEnd(12, "0"),
            drive,
            repeat_index: r,
            rtf: 3 * noise(),
            construction_s: 0.9 * noise(),
            rates_hz: { L23E: 0.5 + 0.05 * normalDeviate(random), L4E: 4 },
            ...options.overrides,
          });
          history.addRun(run);
          runs.push(run);
        }
      }
    }
  } finally {
    history.close();
  }
  return runs;
}

/**
 * A working-memory record built from NEST's stored spike file of `regime` (real activity, not
 * an engine run) on top of a synthetic result, with the analysis and raster the bench stores.
 *
 * @param regime "A", "B" or "C" (C uses seed 143202464)
 * @param overrides fields to set
 */
export async function nestWorkingMemoryRecord(
  regime: "A" | "B" | "C",
  overrides: Partial<BenchResult> = {},
): Promise<BenchResult> {
  const { loadReferenceSpikes } = await import("../validation/working_memory_reference.ts");
  const { analyzeWorkingMemory } = await import("../validation/working_memory_analysis.ts");
  const { describeBehaviour } = await import("../validation/working_memory_checks.ts");
  const seed = regime === "C" ? "143202464" : "143202461";
  const groups = await loadReferenceSpikes({ regime, seed });
  const analysis = analyzeWorkingMemory(groups, {
    regime,
    stp: { U: 0.19, tauF: 1500, tauD: 200 },
    endMs: 7000,
  });
  const raster = { pop: [] as number[], neuron: [] as number[], t_ms: [] as number[] };
  groups.forEach((g, k) => {
    g.timesMs.forEach((t, i) => {
      if (g.ids[i] >= 40) return;
      raster.pop.push(k);
      raster.neuron.push(g.ids[i]);
      raster.t_ms.push(t);
    });
  });
  return {
    ...syntheticRun({
      model: "working_memory",
      drive: `noise (regime ${regime})`,
      scale: 1,
      k_scale: 1,
      t_presim_ms: 0,
      t_sim_ms: 7000,
      ...overrides,
    }),
    regime,
    working_memory: analysis,
    raster,
    behaviour: describeBehaviour(analysis),
  } as BenchResult;
}

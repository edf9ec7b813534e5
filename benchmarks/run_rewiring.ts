/**
 * One run of the structural-plasticity (rewiring) model for `deno task bench --model rewiring`:
 * build, train T patterns and test, on the CPU path (models/rewiring.ts) or the WebGPU path
 * (models/gpu/rewiring_gpu.ts), with the mean-field theory (validation/rewiring_theory.ts) for
 * comparison. The record is a BenchResult: construction in create/connect, presimulate 0,
 * training in simulate, plus the keys train_s, test_s, patterns_per_s and the test statistics.
 */
import { acquireGpu, type GpuContext } from "../engine/gpu/device.ts";
import type { AdapterDescription } from "../engine/mod.ts";
import {
  networkFromGpuState,
  testRewiringGpu,
  trainRewiringGpu,
} from "../models/gpu/rewiring_gpu.ts";
import {
  createRewiringNetwork,
  type RewiringNetwork,
  type RewiringTestResult,
  testRewiringNetwork,
  trainRewiringNetwork,
} from "../models/rewiring.ts";
import {
  CI_REWIRING_PARAMS,
  resolveRewiringModelParams,
  rewiringDerived,
  type RewiringModelParams,
} from "../models/rewiring_params.ts";
import {
  DEFAULT_REWIRING_PARAMS,
  type RewiringParams,
  rewiringTheory,
} from "../validation/rewiring_theory.ts";
import type { BenchOptions } from "./bench_options.ts";
import { UsageError } from "./bench_options.ts";
import { environment, gitCommit, peakRssBytes } from "./metadata.ts";
import { type BenchResult, newRunId, type PhaseTimes } from "./result_record.ts";

/** What a rewiring run measured: times, throughput and test statistics. */
export interface RewiringMeasures {
  train_s: number;
  test_s: number;
  patterns_per_s: number;
  sdnr: number;
  s_b: number;
  s_c: number;
  sigma_b2: number;
  sdnr_theory: number;
}

/** Phases of a rewiring run: the BenchResult phases plus its own measures. */
export interface RewiringPhases extends PhaseTimes, RewiringMeasures {}

/** The record of a rewiring run (its measures also at the top level). */
export interface RewiringBenchResult extends BenchResult, RewiringMeasures {
  phases: RewiringPhases;
  training_patterns: number;
  test_patterns: number;
  rewiring_period: number;
}

/** Test patterns at CI size (spec §6 uses 200; capped at T). */
const CI_TEST_PATTERNS = 200;

/**
 * Work throughput assumed for the refusal estimate of a software adapter or the CPU backend:
 * connection visits per second (training visits α2·N2·C per pattern and N2·C per rewiring;
 * testing N2·C per tested pattern). Measured at CI size on the 2-core CI machine: ≈ 4.7e8/s
 * (CPU path, T = 200, 200 tested patterns), and of that order on lavapipe.
 */
const SOFTWARE_VISITS_PER_S = 4e8;
/** A full-size run on a software adapter (or the CPU backend) is refused above this (s). */
const SOFTWARE_TIME_LIMIT_S = 1800;

/** The model parameters of a bench run. */
export function rewiringBenchParams(options: BenchOptions): Partial<RewiringModelParams> {
  const base = options.size === "ci" ? { ...CI_REWIRING_PARAMS } : {};
  const testDefault = options.size === "ci" ? CI_TEST_PATTERNS : 1000;
  return {
    ...base,
    trainingPatterns: options.patterns,
    testPatterns: Math.min(testDefault, options.patterns),
    rewiringPeriod: options.rewiringPeriod,
    seed: options.seed,
  };
}

/** Estimated connection visits, bytes of connection state and seconds on a software device. */
export function rewiringEstimate(params: RewiringModelParams): {
  visits: number;
  bytes: number;
  seconds: number;
} {
  const reserve = rewiringDerived(params).reserve;
  const n2c = params.populationSize2 * params.inDegree;
  const rewirings = params.rewiringPeriod > 0
    ? Math.floor(params.trainingPatterns / params.rewiringPeriod)
    : 0;
  // Testing visits the coding set (≈ α2·N2) and the sampled background of every tested pattern.
  const tested = params.alpha2 + (1 - params.alpha2) / params.backgroundStride;
  const visits = params.trainingPatterns * params.alpha2 * n2c + (rewirings + 1) * n2c +
    params.testPatterns * tested * n2c;
  // Host: sources (u32) + stabilized (u8) per slot; the WebGPU path also holds u32 copies.
  const bytes = params.populationSize2 * reserve * 5;
  return { visits, bytes, seconds: visits / SOFTWARE_VISITS_PER_S };
}

/** True for a software adapter or the CPU path (where full-size runs are estimated first). */
export const isSoftware = (a: AdapterDescription): boolean =>
  a.backend === "cpu" || a.isFallbackAdapter ||
  /llvmpipe|lavapipe|swiftshader|software/i.test(`${a.description} ${a.device}`);

/** The theory's options (spec §1.2 parameters) taken from resolved model parameters. */
export function theoryOptions(params: RewiringModelParams): Partial<RewiringParams> {
  const out: Partial<RewiringParams> = {};
  for (const name of Object.keys(DEFAULT_REWIRING_PARAMS) as (keyof RewiringParams)[]) {
    (out as Record<string, unknown>)[name] = params[name];
  }
  return out;
}

/** The adapter description recorded for runs of the CPU path. */
export const CPU_ADAPTER: AdapterDescription = {
  backend: "cpu",
  vendor: "",
  architecture: "",
  device: "cpu",
  description: "CPU path (models/rewiring.ts, float64)",
  isFallbackAdapter: false,
  limits: {},
};

/** Runs the rewiring model once with `options`; throws UsageError when a full run is refused. */
export async function runRewiring(
  options: BenchOptions,
  extra: { repeatIndex?: number; log?: (message: string) => void } = {},
): Promise<RewiringBenchResult> {
  const log = extra.log ?? ((m: string) => console.error(m));
  const modelOptions = rewiringBenchParams(options);
  const t0 = performance.now();
  const params = resolveRewiringModelParams(modelOptions);
  let gpu: GpuContext | null = null;
  try {
    if (options.backend === "webgpu") gpu = await acquireGpu({ log });
    const adapter = gpu ? gpu.adapter : CPU_ADAPTER;
    const estimate = rewiringEstimate(params);
    const memory = Deno.systemMemoryInfo().total;
    if (options.size === "full") {
      const why = [];
      if (isSoftware(adapter) && estimate.seconds > SOFTWARE_TIME_LIMIT_S) {
        why.push(
          `≈ ${(estimate.seconds / 3600).toFixed(1)} h estimated on ${
            adapter.backend === "cpu" ? "the CPU backend" : "a software adapter"
          } (${estimate.visits.toExponential(2)} connection visits at ≈ ${
            SOFTWARE_VISITS_PER_S.toExponential(0)
          }/s; limit ${SOFTWARE_TIME_LIMIT_S / 60} min)`,
        );
      }
      if (estimate.bytes * 2 > memory) {
        why.push(
          `≈ ${(estimate.bytes / 2 ** 30).toFixed(1)} GiB of connection state (×2 with copies) ` +
            `exceeds ${(memory / 2 ** 30).toFixed(1)} GiB of memory`,
        );
      }
      if (why.length > 0) {
        throw new UsageError(
          `--size full refused: ${why.join("; ")}. Use --size ci, fewer --patterns, or a GPU.`,
        );
      }
    }
    const createS = (performance.now() - t0) / 1000;
    let net: RewiringNetwork;
    let connectS = 0;
    let trainS: number;
    let test: RewiringTestResult;
    let testS: number;
    if (gpu) {
      // The device builds the initial connectivity within the training dispatches.
      const t1 = performance.now();
      const state = await trainRewiringGpu(gpu, modelOptions);
      trainS = (performance.now() - t1) / 1000;
      net = networkFromGpuState(modelOptions, state);
      const t2 = performance.now();
      test = await testRewiringGpu(gpu, net);
      testS = (performance.now() - t2) / 1000;
    } else {
      const t1 = performance.now();
      net = createRewiringNetwork(modelOptions);
      connectS = (performance.now() - t1) / 1000;
      const t2 = performance.now();
      trainRewiringNetwork(net);
      trainS = (performance.now() - t2) / 1000;
      const t3 = performance.now();
      test = testRewiringNetwork(net);
      testS = (performance.now() - t3) / 1000;
    }
    const theory = rewiringTheory(params.trainingPatterns, theoryOptions(params));
    let synapses = 0;
    for (const d of net.inDegree) synapses += d;
    const patternsPerS = params.trainingPatterns / trainS;
    const stats = {
      train_s: trainS,
      test_s: testS,
      patterns_per_s: patternsPerS,
      sdnr: test.sdnr,
      s_b: test.backgroundMean,
      s_c: test.codingMean,
      sigma_b2: test.backgroundVariance,
      sdnr_theory: theory.sdnr,
    };
    const timestamp = new Date();
    return {
      id: newRunId("rewiring", options.seed, timestamp),
      schema: 1,
      model: "rewiring",
      params: { ...params, size: options.size } as unknown as Record<string, unknown>,
      seed: options.seed,
      drive: "none",
      backend: options.backend,
      adapter,
      scale: options.size === "ci" ? params.populationSize2 / 100_000 : 1,
      k_scale: params.inDegree / DEFAULT_REWIRING_PARAMS.inDegree,
      record: false,
      neurons: params.populationSize1 + params.populationSize2,
      synapses,
      phases: {
        create: createS,
        connect: connectS,
        prepare: 0,
        compile: 0,
        presimulate: 0,
        simulate: trainS,
        ...stats,
      },
      construction_s: createS + connectS,
      rtf: trainS / params.trainingPatterns,
      t_presim_ms: 0,
      t_sim_ms: 0,
      spikes: 0,
      synaptic_events: 0,
      synaptic_events_per_s: 0,
      rates_hz: {},
      reference: null,
      gpu_bytes: gpu ? estimate.bytes : 0,
      peak_rss_bytes: peakRssBytes(),
      spike_digest: "",
      fixed_point_scale: 0,
      commit: gitCommit(),
      timestamp: timestamp.toISOString(),
      environment: environment(),
      repeat_index: extra.repeatIndex ?? 0,
      ...stats,
      training_patterns: params.trainingPatterns,
      test_patterns: params.testPatterns,
      rewiring_period: params.rewiringPeriod,
      notes: [REWIRING_NOTES],
    };
  } finally {
    gpu?.close();
  }
}

/** How a rewiring record maps onto the BenchResult fields. */
export const REWIRING_NOTES =
  "Rewiring model (spec rewiring.md): no time-stepped simulation. phases.simulate = training " +
  "(T patterns), presimulate = 0, rtf = wall seconds per training pattern, t_sim_ms = 0; " +
  "scale = N2/100 000, k_scale = C/5000. On webgpu the initial connectivity is built by the " +
  "training dispatches (counted in simulate, connect = 0) and gpu_bytes is the connection " +
  "state estimate. sdnr_theory: the mean-field theory of validation/rewiring_theory.ts.";

/** The one-screen summary of a rewiring run. */
export function formatRewiringSummary(
  r: RewiringBenchResult,
  paths: { result?: string; history?: string } = {},
): string {
  const f = (x: number, d = 3) => Number.isFinite(x) ? x.toFixed(d) : "—";
  const p = r.params as unknown as RewiringModelParams;
  const dev = (r.sdnr / r.sdnr_theory - 1) * 100;
  const lines = [
    `spikebench · rewiring · ${
      (r.params as { size?: string }).size
    } · T ${r.training_patterns} · ` +
    `r ${r.rewiring_period} · seed ${r.seed} · ${r.backend}`,
    `adapter      ${r.adapter.description || r.adapter.device}${
      r.adapter.isFallbackAdapter ? "  [software fallback adapter]" : ""
    }`,
    `network      N1 ${p.populationSize1.toLocaleString("en")}, N2 ${
      p.populationSize2.toLocaleString("en")
    }, C ${p.inDegree}, ${r.synapses.toLocaleString("en")} connections`,
    `construction ${f(r.construction_s)} s`,
    `train        ${r.training_patterns} patterns in ${f(r.train_s)} s  →  ${
      f(r.patterns_per_s, 1)
    } patterns/s`,
    `test         ${r.test_patterns} patterns in ${f(r.test_s)} s`,
    `statistics   S_b ${f(r.s_b, 2)}  S_c ${f(r.s_c, 2)}  σ_b² ${f(r.sigma_b2, 1)}`,
    `SDNR         ${f(r.sdnr)}  (theory ${f(r.sdnr_theory)}, ${dev >= 0 ? "+" : ""}${f(dev, 2)} %)`,
    `commit       ${r.commit}`,
  ];
  if (paths.result) lines.push(`result       ${paths.result}`);
  if (paths.history) lines.push(`history      ${paths.history}`);
  return lines.join("\n");
}

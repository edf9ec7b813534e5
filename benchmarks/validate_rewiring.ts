/**
 * `deno task validate --model rewiring`: a T-scan of the structural-plasticity model (spec
 * rewiring.md) at CI size (§6) or full size (§1.2 without noise), for several seeds, with and
 * without rewiring, judged against the mean-field theory and, where the configuration matches,
 * the published simulations (validation/rewiring_verdict.ts), printed as a table and stored in
 * the results history with model "rewiring". Exit codes: 0 pass, 1 fail, 2 bad input.
 *
 * On the CPU backend the networks of one seed (one per r) are trained side by side and tested
 * after each T of the scan (training is sequential, so the network after T patterns is the
 * one a run with T patterns builds). The WebGPU path has no snapshots: it trains every (seed,
 * r, T) from the start on the device and tests it there. Both give the same connectivity and,
 * to f32 rounding, the same statistics.
 *
 * @module
 */

import { parseCliArgs, parseDecimal, parseInteger } from "./cli_args.ts";
import { acquireGpu, type GpuContext } from "../engine/gpu/device.ts";
import type { AdapterDescription } from "../engine/mod.ts";
import {
  networkFromGpuState,
  testRewiringGpu,
  trainRewiringGpu,
} from "../models/gpu/rewiring_gpu.ts";
import {
  createRewiringNetwork,
  testRewiringNetworks,
  trainRewiringNetworks,
} from "../models/rewiring.ts";
import {
  CI_REWIRING_PARAMS,
  resolveRewiringModelParams,
  type RewiringModelParams,
} from "../models/rewiring_params.ts";
import {
  loadRewiringSimulationTable,
  REWIRING_REFERENCE_SETS,
  type RewiringReferenceSet,
} from "../validation/rewiring_reference.ts";
import {
  formatRewiringVerdict,
  judgeRewiringScan,
  matchPublishedPoints,
  REWIRING_TOLERANCES,
  rewiringRuleText,
  type RewiringScanMeasurement,
  type RewiringScanSize,
  type RewiringValidationVerdict,
} from "../validation/rewiring_verdict.ts";
import { checkBenchOutput, UsageError } from "./bench_options.ts";
import { reportRunError } from "./cli_errors.ts";
import { environment, gitCommit } from "./metadata.ts";
import { CPU_ADAPTER, isSoftware, rewiringEstimate, theoryOptions } from "./run_rewiring.ts";
import { History } from "./results_store.ts";

/** Defaults of one size: the T grid and the number of tested patterns. */
export const REWIRING_SCAN_DEFAULTS: Readonly<
  Record<RewiringScanSize, { patterns: readonly number[]; testPatterns: number }>
> = Object.freeze({
  // T = 5000 brackets both capacities (theory 4173 with r = 100, 3104 without).
  ci: { patterns: [1000, 2000, 5000], testPatterns: 100 },
  // Spec "How to validate" item 7.
  full: { patterns: [5000, 20000, 50000], testPatterns: 1000 },
});

/** Default seeds and rewiring periods. */
const DEFAULT_SEEDS = [1, 2, 3];
const DEFAULT_PERIODS = [100, 0];
/** A full-size scan on a software adapter (or the CPU) is refused above this estimate (s). */
const SOFTWARE_LIMIT_S = 1800;

/** Validated flags of one invocation. */
export interface RewiringValidateOptions {
  /** CI (spec §6) or full (spec §1.2, no noise). */
  size: RewiringScanSize;
  /** T values, ascending. */
  patterns: number[];
  /** Seeds, in the order given. */
  seeds: number[];
  /** Rewiring periods, descending (0 = none). */
  periods: number[];
  /** n_test (capped at T per point). */
  testPatterns: number;
  /**
   * Background sampling stride of the test (1 = every background neuron, the spec's
   * definition; CPU path only).
   */
  backgroundStride: number;
  /** A full-size scan on a software adapter or the CPU is refused above this estimate (s). */
  timeLimitS: number;
  /** webgpu or cpu. */
  backend: "webgpu" | "cpu";
  /** Results folder with history.sqlite. */
  out: string;
  /** Print the verdict as JSON on the last stdout line. */
  json: boolean;
  /** Print the help. */
  help: boolean;
}

const ci = REWIRING_SCAN_DEFAULTS.ci;
const full = REWIRING_SCAN_DEFAULTS.full;

/** The help text (with the rule). */
export const REWIRING_VALIDATE_HELP =
  `Usage: deno task validate --model rewiring [--size ci|full] [--patterns-list T,T,...]
       [--seeds 1,2,3] [--rewiring-period 100,0] [--test-patterns N] [--backend webgpu|cpu]
       [--out DIR] [--json]

Trains and tests the structural-plasticity model (docs/specs/rewiring.md) for every T of the
scan, seed and rewiring period, and compares the simulated SDNR (mean ± std over seeds) with the
mean-field theory and, where the configuration matches, the authors' published simulations
(full size only); computes the memory capacity (T where SDNR crosses SDNR_thr = 3.2897, P_c 0.95,
linear interpolation between scan points) from theory and simulation; stores the verdict in
DIR/history.sqlite (model "rewiring").

Flags:
  --size ci|full         ci: spec §6 (N1 = N2 = 20 000, C = 1000, α = 5e-3, no noise); full:
                         spec §1.2 with no noise (N = 100 000, C = 5000), refused where the
                         estimate exceeds ${
    SOFTWARE_LIMIT_S / 60
  } min on a software adapter or the CPU (default ci)
  --patterns-list LIST   T values, distinct integers in [1, 1000000] (default ${
    ci.patterns.join(",")
  } at ci,
                         ${full.patterns.join(",")} at full)
  --seeds LIST           distinct integers in [0, 4294967295] (default ${DEFAULT_SEEDS.join(",")})
  --rewiring-period LIST distinct integers in [0, 1000000], 0 = no rewiring (default ${
    DEFAULT_PERIODS.join(",")
  })
  --test-patterns N      tested patterns n_test, integer in [1, 1000000], capped at T (default
                         ${ci.testPatterns} at ci — spec §6 uses 200 —, ${full.testPatterns} at full)
  --background-stride S  test statistics of the background set from every S-th background neuron
                         (random offset per pattern; the coding set stays complete): integer in
                         [1, 1000], 1 = the spec's definition (default); --backend cpu only
  --time-limit MIN       refuse a full-size scan whose estimate on a software adapter or the CPU
                         exceeds MIN minutes: number in (0, 10080] (default ${
    SOFTWARE_LIMIT_S / 60
  })
  --backend webgpu|cpu   webgpu: train and test on the device; cpu: models/rewiring.ts, networks
                         of one seed trained side by side and tested after each T (default webgpu)
  --out DIR              results folder with history.sqlite (default results)
  --json                 print the verdict as one JSON object on the last stdout line

Rule (validation/README.md):
  ci:   ${rewiringRuleText(REWIRING_TOLERANCES.ci)}.
  full: the same with tolerances ${REWIRING_TOLERANCES.full.sdnr * 100} % (SDNR), ${
    REWIRING_TOLERANCES.full.backgroundMean * 100
  } % (S_b), ${REWIRING_TOLERANCES.full.capacity * 100} % (capacity).
Exit status: 0 every check passed, 1 a check failed, 2 bad input.`;

function integerList(
  flag: string,
  raw: string | undefined,
  fallback: readonly number[],
  range: { min: number; max: number },
): number[] {
  if (raw === undefined) return [...fallback];
  const parts = raw.split(",").map((s) => s.trim());
  const values = parts.map((p) => parseInteger(p) ?? NaN);
  if (
    parts.some((s) => s === "") ||
    values.some((v) => !Number.isInteger(v) || v < range.min || v > range.max) ||
    new Set(values).size !== values.length
  ) {
    throw new UsageError(
      `--${flag}: got ${
        JSON.stringify(raw)
      }, expected distinct integers in [${range.min}, ${range.max}] separated by commas`,
    );
  }
  return values;
}

function integerFlag(
  flag: string,
  raw: string | undefined,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (raw === undefined) return fallback;
  const v = parseInteger(raw) ?? NaN;
  if (!Number.isInteger(v) || v < range.min || v > range.max) {
    throw new UsageError(
      `--${flag}: got ${JSON.stringify(raw)}, expected an integer in [${range.min}, ${range.max}]`,
    );
  }
  return v;
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T {
  if (raw === undefined) return allowed[0];
  if (!allowed.includes(raw as T)) {
    throw new UsageError(
      `--${flag}: got ${JSON.stringify(raw)}, expected one of ${allowed.join(", ")}`,
    );
  }
  return raw as T;
}

/**
 * Parses and checks the flags; throws a UsageError naming the first bad flag and its range.
 *
 * @param args the command line (may contain `--model rewiring`)
 */
export function parseRewiringValidateArgs(args: string[]): RewiringValidateOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseCliArgs({
      args,
      allowPositionals: false,
      options: {
        model: { type: "string" },
        size: { type: "string" },
        "patterns-list": { type: "string" },
        seeds: { type: "string" },
        "rewiring-period": { type: "string" },
        "test-patterns": { type: "string" },
        "background-stride": { type: "string" },
        "time-limit": { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    const message = (e as Error).message.replace(/ \(see --help\)$/, "");
    throw new UsageError(`${message} (see --model rewiring --help)`);
  }
  const str = (k: string) => values[k] as string | undefined;
  if (str("model") !== undefined && str("model") !== "rewiring") {
    throw new UsageError(`--model: got ${JSON.stringify(str("model"))}, expected rewiring here`);
  }
  const size = oneOf("size", str("size"), ["ci", "full"] as const);
  const defaults = REWIRING_SCAN_DEFAULTS[size];
  const patterns = integerList("patterns-list", str("patterns-list"), defaults.patterns, {
    min: 1,
    max: 1_000_000,
  }).sort((a, b) => a - b);
  const seeds = integerList("seeds", str("seeds"), DEFAULT_SEEDS, { min: 0, max: 0xffffffff });
  const periods = integerList("rewiring-period", str("rewiring-period"), DEFAULT_PERIODS, {
    min: 0,
    max: 1_000_000,
  }).sort((a, b) => b - a);
  const testPatterns = integerFlag("test-patterns", str("test-patterns"), defaults.testPatterns, {
    min: 1,
    max: 1_000_000,
  });
  const backend = oneOf("backend", str("backend"), ["webgpu", "cpu"] as const);
  const backgroundStride = integerFlag("background-stride", str("background-stride"), 1, {
    min: 1,
    max: 1000,
  });
  if (backgroundStride > 1 && backend !== "cpu") {
    throw new UsageError(
      `--background-stride: got ${backgroundStride}, expected 1 with --backend webgpu ` +
        "(the device test kernel uses every background neuron; use --backend cpu to sample)",
    );
  }
  const rawLimit = str("time-limit");
  const minutes = rawLimit === undefined ? SOFTWARE_LIMIT_S / 60 : parseDecimal(rawLimit) ?? NaN;
  if (rawLimit !== undefined && !(minutes > 0 && minutes <= 10080)) {
    throw new UsageError(
      `--time-limit: got ${JSON.stringify(rawLimit)}, expected a number of minutes in (0, 10080]`,
    );
  }
  const out = str("out") ?? "results";
  if (out.trim() === "") throw new UsageError(`--out: got "", expected a folder path`);
  return {
    size,
    patterns,
    seeds,
    periods,
    testPatterns,
    backgroundStride,
    timeLimitS: minutes * 60,
    backend,
    out,
    json: values.json as boolean,
    help: values.help as boolean,
  };
}

/**
 * The model parameters of one point of the scan.
 *
 * @param options the scan
 * @param point seed, r, T (T_max on the CPU path, which tests snapshots)
 */
export function scanModelParams(
  options: Pick<RewiringValidateOptions, "size" | "testPatterns"> & {
    backgroundStride?: number;
  },
  point: { seed: number; rewiringPeriod: number; trainingPatterns: number },
): Partial<RewiringModelParams> {
  const base: Partial<RewiringModelParams> = options.size === "ci"
    ? { ...CI_REWIRING_PARAMS }
    : { noiseSigma: 0 };
  return {
    ...base,
    trainingPatterns: point.trainingPatterns,
    testPatterns: Math.min(options.testPatterns, point.trainingPatterns),
    rewiringPeriod: point.rewiringPeriod,
    seed: point.seed,
    backgroundStride: options.backgroundStride ?? 1,
  };
}

/** Wall-clock times of a scan. */
export interface RewiringScanTiming {
  /** The whole scan (s). */
  total_s: number;
  /** Training (s), summed. */
  train_s: number;
  /** Testing (s), summed. */
  test_s: number;
  /** Training patterns presented, summed over networks. */
  patterns_trained: number;
  /** patterns_trained / train_s. */
  patterns_per_s: number;
  /** Tested patterns, summed over networks. */
  patterns_tested: number;
}

/** What a scan measured. */
export interface RewiringScanResult {
  /** One per (T, r). */
  measurements: RewiringScanMeasurement[];
  /** The adapter (or the CPU path). */
  adapter: AdapterDescription;
  /** Times. */
  timing: RewiringScanTiming;
}

/**
 * Runs the scan (no judging).
 *
 * @param options the scan
 * @param extra where progress goes
 */
export async function runRewiringScan(
  options: RewiringValidateOptions,
  extra: { log?: (message: string) => void } = {},
): Promise<RewiringScanResult> {
  const log = extra.log ?? ((m: string) => console.error(m));
  const t0 = performance.now();
  const tMax = options.patterns[options.patterns.length - 1];
  const table = new Map<string, RewiringScanMeasurement>();
  for (const r of options.periods) {
    for (const t of options.patterns) {
      table.set(`${t}/${r}`, { trainingPatterns: t, rewiringPeriod: r, seeds: [] });
    }
  }
  const timing = { train_s: 0, test_s: 0, patterns_trained: 0, patterns_tested: 0 };
  const record = (
    seed: number,
    r: number,
    result: {
      trainingPatterns: number;
      sdnr: number;
      backgroundMean: number;
      codingMean: number;
      backgroundVariance: number;
    },
  ) =>
    table.get(`${result.trainingPatterns}/${r}`)!.seeds.push({
      seed,
      sdnr: result.sdnr,
      backgroundMean: result.backgroundMean,
      codingMean: result.codingMean,
      backgroundVariance: result.backgroundVariance,
    });
  let gpu: GpuContext | null = null;
  try {
    if (options.backend === "webgpu") gpu = await acquireGpu({ log });
    const adapter = gpu ? gpu.adapter : CPU_ADAPTER;
    refuseIfTooLong(options, adapter);
    for (const seed of options.seeds) {
      if (gpu) {
        for (const r of options.periods) {
          for (const t of options.patterns) {
            const params = scanModelParams(options, {
              seed,
              rewiringPeriod: r,
              trainingPatterns: t,
            });
            const t1 = performance.now();
            const state = await trainRewiringGpu(gpu, params);
            const t2 = performance.now();
            const result = await testRewiringGpu(gpu, networkFromGpuState(params, state));
            const t3 = performance.now();
            timing.train_s += (t2 - t1) / 1000;
            timing.test_s += (t3 - t2) / 1000;
            timing.patterns_trained += t;
            timing.patterns_tested += params.testPatterns!;
            record(seed, r, result);
            log(
              `  seed ${seed} r ${r} T ${t}: SDNR ${result.sdnr.toFixed(3)} (train ${
                ((t2 - t1) / 1000).toFixed(1)
              } s, test ${((t3 - t2) / 1000).toFixed(1)} s)`,
            );
          }
        }
        continue;
      }
      const nets = options.periods.map((r) =>
        createRewiringNetwork(
          scanModelParams(options, { seed, rewiringPeriod: r, trainingPatterns: tMax }),
        )
      );
      let trained = 0;
      for (const t of options.patterns) {
        const t1 = performance.now();
        trainRewiringNetworks(nets, t);
        const t2 = performance.now();
        const results = testRewiringNetworks(nets);
        const t3 = performance.now();
        timing.train_s += (t2 - t1) / 1000;
        timing.test_s += (t3 - t2) / 1000;
        timing.patterns_trained += (t - trained) * nets.length;
        timing.patterns_tested += results[0].perPattern.length * nets.length;
        trained = t;
        options.periods.forEach((r, k) => record(seed, r, results[k]));
        log(
          `  seed ${seed} T ${t}: SDNR ${
            options.periods.map((r, k) => `r ${r} ${results[k].sdnr.toFixed(3)}`).join(", ")
          } (train ${((t2 - t1) / 1000).toFixed(1)} s, test ${((t3 - t2) / 1000).toFixed(1)} s)`,
        );
      }
    }
    return {
      measurements: [...table.values()],
      adapter,
      timing: {
        total_s: (performance.now() - t0) / 1000,
        ...timing,
        patterns_per_s: timing.patterns_trained / timing.train_s,
      },
    };
  } finally {
    gpu?.close();
  }
}

/** Throws a UsageError when a full-size scan cannot finish on a software adapter or the CPU. */
function refuseIfTooLong(options: RewiringValidateOptions, adapter: AdapterDescription): void {
  if (options.size !== "full" || !isSoftware(adapter)) return;
  let seconds = 0;
  for (const t of options.patterns) {
    for (const r of options.periods) {
      const params = resolveRewiringModelParams(
        scanModelParams(options, { seed: 0, rewiringPeriod: r, trainingPatterns: t }),
      );
      seconds += rewiringEstimate(params).seconds * options.seeds.length;
    }
  }
  if (seconds > options.timeLimitS) {
    throw new UsageError(
      `--size full refused: ≈ ${(seconds / 3600).toFixed(1)} h estimated on ${
        adapter.backend === "cpu" ? "the CPU backend" : "a software adapter"
      } (--time-limit ${options.timeLimitS / 60} min). Use --size ci, fewer --patterns-list or ` +
        "--seeds, --backend cpu with --background-stride, a longer --time-limit, or a GPU.",
    );
  }
}

/** The stored verdict: the judgement plus the configuration and the times. */
export interface RewiringValidationRecord extends RewiringValidationVerdict {
  /** What was scanned, on what. */
  config: {
    backend: "webgpu" | "cpu";
    adapter: AdapterDescription;
    seeds: number[];
    patterns: number[];
    periods: number[];
    testPatterns: number;
    backgroundStride: number;
    params: RewiringModelParams;
    commit: string;
    environment: ReturnType<typeof environment>;
  };
  /** Wall-clock times. */
  timing: RewiringScanTiming;
}

/** Loads the published tables (all sets; matching happens in matchPublishedPoints). */
async function publishedTables() {
  const sets = Object.keys(REWIRING_REFERENCE_SETS) as RewiringReferenceSet[];
  return await Promise.all(
    sets.map(async (set) => ({ set, rows: await loadRewiringSimulationTable(set) })),
  );
}

/**
 * Judges a finished scan: theory, published points, capacities; returns the record to store.
 *
 * @param options the scan
 * @param scan what it measured
 */
export async function judgeScan(
  options: RewiringValidateOptions,
  scan: RewiringScanResult,
): Promise<RewiringValidationRecord> {
  const params = resolveRewiringModelParams(
    scanModelParams(options, {
      seed: options.seeds[0],
      rewiringPeriod: options.periods[0],
      trainingPatterns: options.patterns[options.patterns.length - 1],
    }),
  );
  const published = matchPublishedPoints(params, await publishedTables());
  const verdict = judgeRewiringScan(scan.measurements, {
    theory: theoryOptions(params),
    size: options.size,
    published,
  });
  if (published.length === 0) {
    verdict.warnings.push(
      "no published simulation matches this configuration (the authors' runs are full size, " +
        "spec §5): judged against the theory",
    );
  }
  return {
    ...verdict,
    config: {
      backend: options.backend,
      adapter: scan.adapter,
      seeds: options.seeds,
      patterns: options.patterns,
      periods: options.periods,
      testPatterns: options.testPatterns,
      backgroundStride: options.backgroundStride,
      params,
      commit: gitCommit(),
      environment: environment(),
    },
    timing: scan.timing,
  };
}

/** Stores `record` in `<out>/history.sqlite`; returns the validation id. */
function storeRecord(out: string, record: RewiringValidationRecord): string {
  const id = `${new Date().toISOString().replace(/[-:]/g, "")}_validation_rewiring_${
    crypto.randomUUID().slice(0, 8)
  }`;
  const history = new History(`${out}/history.sqlite`);
  try {
    history.addValidation({
      id,
      run_id: null,
      timestamp: new Date().toISOString(),
      model: "rewiring",
      scale: record.config.params.populationSize2 / 100_000,
      passed: record.pass,
      verdict: record,
    });
  } finally {
    history.close();
  }
  return id;
}

/**
 * Runs `deno task validate --model rewiring`; returns the exit code.
 *
 * @param args the command line
 */
export async function validateRewiringMain(args: string[]): Promise<number> {
  let options: RewiringValidateOptions;
  try {
    options = parseRewiringValidateArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    console.log(REWIRING_VALIDATE_HELP);
    return 0;
  }
  const say = options.json ? (m: string) => console.error(m) : (m: string) => console.log(m);
  try {
    await checkBenchOutput({ out: options.out, report: false });
    say(
      `rewiring validation: ${options.size} size, ${options.backend}, T ${
        options.patterns.join(",")
      }, r ${options.periods.join(",")}, seeds ${
        options.seeds.join(",")
      }, n_test ${options.testPatterns}${
        options.backgroundStride > 1 ? `, background stride ${options.backgroundStride}` : ""
      }`,
    );
    const scan = await runRewiringScan(options, { log: (m) => console.error(m) });
    const record = await judgeScan(options, scan);
    say(formatRewiringVerdict(record));
    const t = scan.timing;
    say(
      `scan took ${t.total_s.toFixed(1)} s (training ${t.train_s.toFixed(1)} s: ${
        t.patterns_per_s.toFixed(0)
      } patterns/s over ${t.patterns_trained} patterns; testing ${
        t.test_s.toFixed(1)
      } s for ${t.patterns_tested} patterns)`,
    );
    await Deno.mkdir(options.out, { recursive: true });
    const id = storeRecord(options.out, record);
    say(`verdict ${id} stored in ${options.out}/history.sqlite`);
    if (options.json) console.log(JSON.stringify({ ...record, id }));
    return record.pass ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    return reportRunError(e);
  }
}

if (import.meta.main) {
  Deno.exit(await validateRewiringMain(Deno.args));
}

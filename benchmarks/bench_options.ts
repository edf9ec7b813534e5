/** The flags of `deno task bench`: parsing, defaults and validation (exit code 2 on bad input). */
import { fullScaleSynapseNumbers } from "../models/microcircuit.ts";
import { FULL_POPULATION_SIZES, MICROCIRCUIT_DEFAULTS } from "../models/microcircuit_params.ts";
import {
  checkOutputFile,
  checkOutputFolder,
  isOnGrid,
  numberFlag as strictNumberFlag,
  parseCliArgs,
  snapToGrid,
  UsageError,
} from "./cli_args.ts";
import { History } from "./results_store.ts";

export { UsageError };

/** Models `deno task bench` can run. */
export const BENCH_MODELS = ["microcircuit", "rewiring", "working_memory"] as const;

/** Sizes of the rewiring model: spec §6 (CI, N = 20 000, C = 1000) or §1.2 (full). */
export const REWIRING_SIZES = ["ci", "full"] as const;

/** Validated options of one `deno task bench` invocation. */
export interface BenchOptions {
  model: (typeof BENCH_MODELS)[number];
  scale: number;
  kScale: number;
  tPresimMs: number;
  tSimMs: number;
  seed: number;
  repeat: number;
  drive: "poisson" | "dc";
  backend: "webgpu" | "cpu";
  record: boolean;
  out: string;
  json: boolean;
  saveSpikes: boolean;
  /** Build the HTML report (DIR/report.html) from DIR/history.sqlite after the runs. */
  report: boolean;
  stepsPerBatch: number;
  help: boolean;
  /** Rewiring model only: "ci" (spec §6) or "full" (spec §1.2). */
  size: (typeof REWIRING_SIZES)[number];
  /** Rewiring model only: T, the number of training patterns. */
  patterns: number;
  /** Rewiring model only: r, patterns between rewirings (0 = none). */
  rewiringPeriod: number;
  /** Working-memory model only: background regime (spec §3.3). */
  regime: "A" | "B" | "C";
}

/** Flags only the microcircuit takes (rejected with --model rewiring). */
const MICROCIRCUIT_ONLY = [
  "scale",
  "k-scale",
  "t-presim",
  "t-sim",
  "drive",
  "steps-per-batch",
  "save-spikes",
] as const;
/** Flags only the rewiring model takes (rejected with the other models). */
const REWIRING_ONLY = ["size", "patterns", "rewiring-period"] as const;
/** Flags only the working-memory model takes (rejected with the other models). */
const WORKING_MEMORY_ONLY = ["regime"] as const;
/** Flags each model rejects. */
const FOREIGN_FLAGS: Record<(typeof BENCH_MODELS)[number], readonly string[]> = {
  microcircuit: [...REWIRING_ONLY, ...WORKING_MEMORY_ONLY],
  rewiring: [...MICROCIRCUIT_ONLY, ...WORKING_MEMORY_ONLY],
  // The working-memory protocol has no presimulation; --t-sim sets its length (≥ 6000 ms).
  working_memory: [...MICROCIRCUIT_ONLY.filter((f) => f !== "t-sim"), ...REWIRING_ONLY],
};
/** Default and shortest run of the working-memory protocol (ms): the NEST reference's 7 s. */
export const WORKING_MEMORY_T_SIM = { default: 7000, min: 6000, max: 60000 } as const;

/** Time step of the microcircuit (ms): --t-presim and --t-sim must be multiples of it. */
export const MICROCIRCUIT_STEP_MS = MICROCIRCUIT_DEFAULTS.resolutionMs;

/** Longest --t-presim / --t-sim of the microcircuit (ms). */
const MICROCIRCUIT_T_MAX_MS = 1e7;

/**
 * The smallest --scale: every population must keep at least one neuron, i.e.
 * round(N_min · scale) ≥ 1 for the smallest full-scale population (models/microcircuit_params.ts
 * checks N · scale > 0.5). This is 0.5 / N_min rounded up to two significant digits, so the
 * bound itself is a valid scale and the range can be stated closed: [SCALE_MIN, 1].
 */
export const SCALE_MIN: number = (() => {
  const valid = (x: number) => FULL_POPULATION_SIZES.every((n) => n * x > 0.5);
  const exact = 0.5 / Math.min(...FULL_POPULATION_SIZES);
  const exponent = Math.floor(Math.log10(exact)) - 1;
  let digits = Math.ceil(exact / 10 ** exponent);
  // Parse from decimal text: the same double as the user's "0.00047".
  while (!valid(Number(`${digits}e${exponent}`))) digits++;
  return Number(`${digits}e${exponent}`);
})();

/**
 * Synapses of the full-scale microcircuit (≈ 2.99·10⁸, NEST's expected counts summed); a run
 * at --scale N and --k-scale K has about FULL · N · K.
 */
export const MICROCIRCUIT_FULL_SYNAPSES: number = fullScaleSynapseNumbers().flat().reduce(
  (a, b) => a + b,
  0,
);

/**
 * The most synapses `--backend cpu` accepts for the microcircuit (about --scale 0.4 with
 * K = N). The float64 reference backend is meant for small networks (the tests compare it with
 * WebGPU at 2 % scale); a full-scale run (3·10⁸ synapses) on it would go on for hours, so
 * `bench` and `validate` refuse it up front instead of starting it.
 */
export const CPU_MAX_SYNAPSES = 5e7;

/** The microcircuit's synapse estimate at `scale` and `kScale` (see MICROCIRCUIT_FULL_SYNAPSES). */
export function microcircuitSynapseEstimate(scale: number, kScale: number): number {
  return MICROCIRCUIT_FULL_SYNAPSES * scale * kScale;
}

/** The largest --scale (with K = N) the CPU backend accepts, rounded down to two decimals. */
const CPU_MAX_SCALE = Math.floor(100 * Math.sqrt(CPU_MAX_SYNAPSES / MICROCIRCUIT_FULL_SYNAPSES)) /
  100;

/** `x` in exponent notation without the plus: 5e7, 2.99e8. */
function exp(x: number, digits: number): string {
  return x.toExponential(digits).replace("e+", "e");
}

/** Help text listing every flag. */
export const BENCH_HELP = `Usage: deno task bench [flags]

Builds and runs a model on the WebGPU engine, records construction time, real-time factor
and spike statistics, writes results/<id>.json, appends to results/history.sqlite and
builds the HTML report results/report.html from that history.

Flags:
  --model NAME          model to run: ${BENCH_MODELS.join(", ")} (default microcircuit)
  --scale X             N scaling in [${SCALE_MIN}, 1]: every population keeps at least one
                        neuron (default 0.1)
  --k-scale X           K (in-degree) scaling in (0, 1] (default = --scale)
  --t-presim MS         presimulation, discarded: a multiple of the ${MICROCIRCUIT_STEP_MS} ms time step
                        in [0, ${MICROCIRCUIT_T_MAX_MS}] (default 500)
  --t-sim MS            simulated model time that is measured: a multiple of the ${MICROCIRCUIT_STEP_MS} ms
                        time step in [${MICROCIRCUIT_STEP_MS}, ${MICROCIRCUIT_T_MAX_MS}] (default 1000)
  --seed N              master seed, integer in [0, 4294967295] (default 55)
  --repeat N            runs with the same configuration, integer in [1, 1000] (default 1)
  --drive poisson|dc    background input (default poisson)
  --backend webgpu|cpu  engine backend (default webgpu); cpu = the float64 reference backend,
                        for small networks: microcircuits above ${exp(CPU_MAX_SYNAPSES, 0)} synapses
                        (≈ ${
  exp(MICROCIRCUIT_FULL_SYNAPSES, 2)
} · scale · K scale: up to --scale ${CPU_MAX_SCALE} with K = N)
                        are refused
  --record / --no-record  record spikes (default on)
  --out DIR             results folder, created if needed; must be writable (default results)
  --save-spikes         also write each run's spikes to DIR/<id>.spikes.gz (needs --record)
  --report / --no-report  build DIR/report.html from DIR/history.sqlite afterwards (default on)
  --steps-per-batch N   time steps per command buffer (default 1000)
  --json                print each run's result as one JSON object on the last line of stdout
  -h, --help            show this text

Rewiring model (--model rewiring; the microcircuit flags above are rejected with it):
  --size ci|full        ci: spec §6 (N1 = N2 = 20 000, C = 1000, no noise); full: spec §1.2
                        (N = 100 000, C = 5000), refused when the estimate does not fit (default ci)
  --patterns T          training patterns, integer in [1, 1000000] (default 1000)
  --rewiring-period r   patterns between rewirings, integer in [0, 1000000], 0 = none (default 100)

Working-memory model (--model working_memory, Tiddia et al. 2022, h = 0.05 ms, 10 000 neurons;
the default protocol: spontaneous period, cue to population 0 at 3000 ms, offset at 5200 ms):
  --regime A|B|C        background regime (default B); A adds the readout at 4100 ms
  --t-sim MS            protocol length, integer in [6000, 60000] (default 7000, as NEST's runs)
  (--scale, --k-scale, --t-presim, --drive, --steps-per-batch, --save-spikes are rejected)

Numbers are written in plain decimal notation (0.1, 1e-1; integers as digits only); a flag
given twice is rejected.
`;

function numberFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (v: number) => boolean,
  range: string,
  integer = false,
): number {
  return raw === undefined ? fallback : strictNumberFlag(name, raw, { ok: check, range, integer });
}

function choice<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T = allowed[0],
): T {
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw as T)) {
    throw new UsageError(
      `--${name}: got ${JSON.stringify(raw)}, expected one of ${allowed.join(", ")}`,
    );
  }
  return raw as T;
}

/** The flags of `deno task bench` as node:util parseArgs options. */
export const BENCH_FLAGS = {
  model: { type: "string" },
  scale: { type: "string" },
  "k-scale": { type: "string" },
  "t-presim": { type: "string" },
  "t-sim": { type: "string" },
  seed: { type: "string" },
  repeat: { type: "string" },
  drive: { type: "string" },
  backend: { type: "string" },
  record: { type: "boolean", default: true },
  out: { type: "string" },
  json: { type: "boolean", default: false },
  "save-spikes": { type: "boolean", default: false },
  report: { type: "boolean", default: true },
  "steps-per-batch": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
  size: { type: "string" },
  patterns: { type: "string" },
  "rewiring-period": { type: "string" },
  regime: { type: "string" },
} as const;

/** A microcircuit time flag: a multiple of the time step in [min, 1e7] ms. */
function microcircuitTime(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
): number {
  const h = MICROCIRCUIT_STEP_MS;
  const value = numberFlag(
    name,
    raw,
    fallback,
    (x) => x >= min && x <= MICROCIRCUIT_T_MAX_MS && isOnGrid(x, h),
    `a number of ms in [${min}, ${MICROCIRCUIT_T_MAX_MS}] on the simulation grid: a multiple ` +
      `of the microcircuit's time step, ${h} ms`,
  );
  // Stored as the grid point: 100.00000000001 is the configuration "100 ms", not a new one.
  return snapToGrid(value, h);
}

/**
 * Parses and validates `args`; throws UsageError for anything unknown, out of range, given
 * twice or not in plain decimal notation. Pure: touches no file (see
 * {@linkcode checkBenchOutput} for the up-front checks of --out and its history).
 */
export function parseBenchArgs(args: string[]): BenchOptions {
  const parsed = parseCliArgs({
    args,
    allowPositionals: false,
    allowNegative: true,
    options: BENCH_FLAGS,
  });
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (k: string) => v[k] as string | undefined;
  const model = choice("model", str("model"), BENCH_MODELS);
  const given = (k: string) => v[k] !== undefined && v[k] !== false;
  const foreign = FOREIGN_FLAGS[model].filter(given);
  if (foreign.length > 0) {
    throw new UsageError(
      `${foreign.map((f) => `--${f}`).join(", ")}: not a flag of --model ${model} (see --help)`,
    );
  }
  const size = choice("size", str("size"), REWIRING_SIZES);
  const patterns = numberFlag(
    "patterns",
    str("patterns"),
    1000,
    (x) => x >= 1 && x <= 1_000_000,
    "an integer in [1, 1000000]",
    true,
  );
  const rewiringPeriod = numberFlag(
    "rewiring-period",
    str("rewiring-period"),
    100,
    (x) => x >= 0 && x <= 1_000_000,
    "an integer in [0, 1000000]",
    true,
  );
  const scale = numberFlag(
    "scale",
    str("scale"),
    0.1,
    (x) => x >= SCALE_MIN && x <= 1,
    `a number in [${SCALE_MIN}, 1] (the smallest population must keep at least one neuron)`,
  );
  const kScale = numberFlag(
    "k-scale",
    str("k-scale"),
    scale,
    (x) => x > 0 && x <= 1,
    "a number in (0, 1]",
  );
  const tPresimMs = microcircuitTime("t-presim", str("t-presim"), 500, 0);
  const wm = WORKING_MEMORY_T_SIM;
  const tSimMs = model === "working_memory"
    ? numberFlag(
      "t-sim",
      str("t-sim"),
      wm.default,
      (x) => x >= wm.min && x <= wm.max,
      `an integer number of ms in [${wm.min}, ${wm.max}] for the working-memory protocol`,
      true,
    )
    : microcircuitTime("t-sim", str("t-sim"), 1000, MICROCIRCUIT_STEP_MS);
  const regime = choice("regime", str("regime"), ["A", "B", "C"] as const, "B");
  const seed = numberFlag(
    "seed",
    str("seed"),
    55,
    (x) => x >= 0 && x <= 0xffffffff,
    "an integer in [0, 4294967295]",
    true,
  );
  const repeat = numberFlag(
    "repeat",
    str("repeat"),
    1,
    (x) => x >= 1 && x <= 1000,
    "an integer in [1, 1000]",
    true,
  );
  const stepsPerBatch = numberFlag(
    "steps-per-batch",
    str("steps-per-batch"),
    1000,
    (x) => x >= 1 && x <= 100000,
    "an integer in [1, 100000]",
    true,
  );
  const drive = choice("drive", str("drive"), ["poisson", "dc"] as const);
  const backend = choice("backend", str("backend"), ["webgpu", "cpu"] as const);
  if (backend === "cpu" && model === "microcircuit") {
    const synapses = microcircuitSynapseEstimate(scale, kScale);
    if (synapses > CPU_MAX_SYNAPSES) {
      throw new UsageError(
        `--backend cpu: the microcircuit at --scale ${scale}${
          kScale !== scale ? ` --k-scale ${kScale}` : ""
        } has about ${exp(synapses, 2)} synapses (≈ ${
          exp(MICROCIRCUIT_FULL_SYNAPSES, 2)
        } · scale · ` +
          `K scale), above the CPU backend's limit of ${exp(CPU_MAX_SYNAPSES, 0)}: the float64 ` +
          "reference backend is for small runs and this one would take hours; use " +
          `--backend webgpu, or a smaller --scale (at most ${CPU_MAX_SCALE} with K = N)`,
      );
    }
  }
  const out = str("out") ?? "results";
  if (out.trim() === "") throw new UsageError(`--out: got "", expected a folder path`);
  const record = v.record as boolean;
  const saveSpikes = v["save-spikes"] as boolean;
  if (saveSpikes && !record) {
    throw new UsageError(
      "--save-spikes: needs the spikes recorded; it cannot be combined with --no-record",
    );
  }
  return {
    model,
    scale,
    kScale,
    tPresimMs,
    tSimMs,
    seed,
    repeat,
    drive,
    backend,
    record,
    out,
    json: v.json as boolean,
    saveSpikes,
    report: v.report as boolean,
    stepsPerBatch,
    help: v.help as boolean,
    size,
    patterns,
    rewiringPeriod,
    regime,
  };
}

/**
 * The up-front checks of a bench run's output, before any model is built or GPU touched:
 * `--out` is a folder or can be created, and is writable; `<out>/history.sqlite`, if it
 * exists, is a spikebench history; `<out>/report.html` (with the report on) is not a folder.
 * Throws a UsageError naming --out and the path, or the history's HistoryError naming the
 * file; nothing existing is modified.
 *
 * @param options the parsed options (only `out` and `report` are read)
 */
export async function checkBenchOutput(options: Pick<BenchOptions, "out" | "report">) {
  await checkOutputFolder("out", options.out);
  History.check(`${options.out}/history.sqlite`);
  if (options.report) await checkOutputFile("out", `${options.out}/report.html`);
}

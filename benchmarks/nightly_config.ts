/**
 * `bench.config.json`: the matrix `deno task nightly` runs (models × scales × seeds × drives
 * per entry), where results go, and the regression rule's constants. Loading checks every
 * field and reports all mistakes at once, each with its JSON path, what it got and what is
 * allowed. The format is documented in reports/README.md.
 *
 * @module
 */

import type { RegressionOptions } from "../reports/regression.ts";
import { BENCH_MODELS, MICROCIRCUIT_STEP_MS, SCALE_MIN } from "./bench_options.ts";
import { isOnGrid } from "./cli_args.ts";
import { REGRESSION_FLAGS } from "./regress.ts";

/** One entry of `matrix`: every combination of its lists is a cell. */
export interface MatrixEntry {
  /** Name shown in logs and the SLURM script. */
  name: string;
  /** Models (`deno task bench --model`). */
  models: string[];
  /** N scalings in (0, 1]. */
  scales: number[];
  /** K scaling; default: equal to each scale. */
  k_scale: number | null;
  /** Master seeds. */
  seeds: number[];
  /** Background drives: "poisson" and/or "dc". */
  drives: ("poisson" | "dc")[];
  /** Runs per cell (repetitions for the noise estimate). */
  repeat: number;
  /** Presimulation (ms), discarded. */
  t_presim_ms: number;
  /** Measured model time (ms). */
  t_sim_ms: number;
  /** Engine backend. */
  backend: "webgpu" | "cpu";
  /** Record spikes. */
  record: boolean;
  /** Keep `<id>.spikes.gz` (for the report's rasters). */
  save_spikes: boolean;
  /** Validate each run against the NEST reference (needs microcircuit, Poisson, scale 0.1 or 1). */
  validate: boolean;
}

/** Cluster settings of `--emit-slurm`. */
export interface SlurmConfig {
  /** Folder every task writes into (must be visible to all nodes and to the ingesting machine). */
  shared_dir: string;
  /** `#SBATCH --time`. */
  time: string;
  /** `#SBATCH --cpus-per-task`. */
  cpus_per_task: number;
  /** `#SBATCH --partition`, or null. */
  partition: string | null;
  /** GPUs per task (`#SBATCH --gres=gpu:N`); 0 for none. */
  gpus: number;
  /** Further `#SBATCH` lines, without the prefix (e.g. "--account=abc"). */
  extra_sbatch: string[];
}

/** A loaded, checked configuration. */
export interface NightlyConfig {
  /** Free text. */
  description: string;
  /** Results folder (history at `<out>/history.sqlite`). */
  out: string;
  /** HTML report path. */
  report: string;
  /** The matrix. */
  matrix: MatrixEntry[];
  /** Regression rule constants. */
  regression: RegressionOptions;
  /** Cluster settings. */
  slurm: SlurmConfig;
}

/** One bench invocation of the expanded matrix. */
export interface MatrixCell {
  /** 0-based index (the SLURM array task id). */
  index: number;
  /** The matrix entry's name. */
  name: string;
  model: string;
  scale: number;
  kScale: number;
  seed: number;
  drive: "poisson" | "dc";
  repeat: number;
  tPresimMs: number;
  tSimMs: number;
  backend: "webgpu" | "cpu";
  record: boolean;
  saveSpikes: boolean;
  validate: boolean;
}

/** A configuration file with mistakes; `problems` lists each one. */
export class ConfigError extends Error {
  /** One line per mistake: "path: got X, expected Y". */
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`${file}: ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const ENTRY_KEYS = [
  "name",
  "models",
  "scales",
  "k_scale",
  "seeds",
  "drives",
  "repeat",
  "t_presim_ms",
  "t_sim_ms",
  "backend",
  "record",
  "save_spikes",
  "validate",
];
const TOP_KEYS = ["description", "out", "report", "matrix", "regression", "slurm"];
const REGRESSION_KEYS: Record<string, keyof RegressionOptions> = {
  baseline_runs: "baselineRuns",
  min_baseline_runs: "minBaselineRuns",
  min_candidate_runs: "minCandidateRuns",
  spread_factor: "spreadFactor",
  min_relative_change: "minRelativeChange",
  session_gap_minutes: "sessionGapMinutes",
};
const SLURM_KEYS = ["shared_dir", "time", "cpus_per_task", "partition", "gpus", "extra_sbatch"];

/** Collects problems while reading fields of an untyped JSON value. */
class Reader {
  readonly problems: string[] = [];

  fail(path: string, got: unknown, expected: string): void {
    this.problems.push(`${path}: got ${JSON.stringify(got) ?? "nothing"}, expected ${expected}`);
  }

  object(path: string, value: unknown, keys: string[]): Record<string, unknown> | null {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.fail(path, value, "an object");
      return null;
    }
    for (const k of Object.keys(value)) {
      if (!keys.includes(k)) {
        this.problems.push(`${path}.${k}: unknown key; allowed: ${keys.join(", ")}`);
      }
    }
    return value as Record<string, unknown>;
  }

  string<T extends string>(
    path: string,
    value: unknown,
    fallback: T | undefined,
    allowed?: readonly T[],
  ): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== "string" || value === "" || (allowed && !allowed.includes(value as T))) {
      this.fail(
        path,
        value,
        allowed ? `one of ${allowed.map((a) => `"${a}"`).join(", ")}` : "a non-empty string",
      );
      return (fallback ?? "") as T;
    }
    return value as T;
  }

  number(
    path: string,
    value: unknown,
    fallback: number | undefined,
    check: { ok: (x: number) => boolean; range: string },
  ): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || !check.ok(value)) {
      this.fail(path, value, check.range);
      return fallback ?? 0;
    }
    return value;
  }

  boolean(path: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.fail(path, value, "true or false");
      return fallback;
    }
    return value;
  }

  list<T>(path: string, value: unknown, item: (p: string, v: unknown) => T): T[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(path, value, "a non-empty array");
      return [];
    }
    return value.map((v, i) => item(`${path}[${i}]`, v));
  }
}

// The same ranges as the bench flags, so that a cell the config accepts is a valid bench run.
const SCALE = {
  ok: (x: number) => x >= SCALE_MIN && x <= 1,
  range: `a number in [${SCALE_MIN}, 1] (every population keeps at least one neuron)`,
};
const K_SCALE = { ok: (x: number) => x > 0 && x <= 1, range: "a number in (0, 1]" };
const SEED = {
  ok: (x: number) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff,
  range: "an integer in [0, 4294967295]",
};

function readEntry(r: Reader, path: string, value: unknown, index: number): MatrixEntry | null {
  const o = r.object(path, value, ENTRY_KEYS);
  if (!o) return null;
  const entry: MatrixEntry = {
    name: r.string(`${path}.name`, o.name, `entry${index}`),
    models: r.list(`${path}.models`, o.models, (p, v) => r.string(p, v, undefined, BENCH_MODELS)),
    scales: r.list(`${path}.scales`, o.scales, (p, v) => r.number(p, v, undefined, SCALE)),
    k_scale: o.k_scale === undefined || o.k_scale === null
      ? null
      : r.number(`${path}.k_scale`, o.k_scale, undefined, K_SCALE),
    seeds: r.list(`${path}.seeds`, o.seeds, (p, v) => r.number(p, v, undefined, SEED)),
    drives: r.list(
      `${path}.drives`,
      o.drives,
      (p, v) => r.string(p, v, undefined, ["poisson", "dc"] as const),
    ),
    repeat: r.number(`${path}.repeat`, o.repeat, 1, {
      ok: (x) => Number.isInteger(x) && x >= 1 && x <= 1000,
      range: "an integer in [1, 1000]",
    }),
    t_presim_ms: r.number(`${path}.t_presim_ms`, o.t_presim_ms, 500, {
      ok: (x) => x >= 0 && x <= 1e7 && isOnGrid(x, MICROCIRCUIT_STEP_MS),
      range: `a multiple of ${MICROCIRCUIT_STEP_MS} ms in [0, 1e7]`,
    }),
    t_sim_ms: r.number(`${path}.t_sim_ms`, o.t_sim_ms, 1000, {
      ok: (x) => x >= MICROCIRCUIT_STEP_MS && x <= 1e7 && isOnGrid(x, MICROCIRCUIT_STEP_MS),
      range: `a multiple of ${MICROCIRCUIT_STEP_MS} ms in [${MICROCIRCUIT_STEP_MS}, 1e7]`,
    }),
    backend: r.string(`${path}.backend`, o.backend, "webgpu", ["webgpu", "cpu"] as const),
    record: r.boolean(`${path}.record`, o.record, true),
    save_spikes: r.boolean(`${path}.save_spikes`, o.save_spikes, false),
    validate: r.boolean(`${path}.validate`, o.validate, false),
  };
  if (entry.save_spikes && !entry.record) {
    r.problems.push(`${path}.save_spikes: needs "record": true (no spikes are recorded to save)`);
  }
  if (entry.validate) {
    if (!entry.record) {
      r.problems.push(`${path}.validate: needs "record": true (spikes to validate)`);
    }
    if (entry.models.some((m) => m !== "microcircuit")) {
      r.problems.push(`${path}.validate: NEST reference data exist only for the microcircuit`);
    }
    for (const [i, s] of entry.scales.entries()) {
      if (s !== 0.1 && s !== 1) {
        r.problems.push(
          `${path}.scales[${i}]: got ${s}, expected 0.1 or 1 when "validate" is true (the scales ` +
            "of the NEST reference ensembles)",
        );
      }
    }
    if (entry.k_scale !== null && !entry.scales.every((s) => s === entry.k_scale)) {
      r.problems.push(`${path}.k_scale: must equal the scale when "validate" is true`);
    }
    if (entry.drives.some((d) => d !== "poisson")) {
      r.problems.push(
        `${path}.drives: must be ["poisson"] when "validate" is true (the reference's drive)`,
      );
    }
  }
  return entry;
}

function readSlurm(r: Reader, value: unknown): SlurmConfig {
  const fallback: SlurmConfig = {
    shared_dir: "/shared/spikebench",
    time: "01:00:00",
    cpus_per_task: 2,
    partition: null,
    gpus: 0,
    extra_sbatch: [],
  };
  if (value === undefined) return fallback;
  const o = r.object("slurm", value, SLURM_KEYS);
  if (!o) return fallback;
  return {
    shared_dir: r.string("slurm.shared_dir", o.shared_dir, fallback.shared_dir),
    time: o.time === undefined
      ? fallback.time
      : /^(\d+-)?\d{1,2}:\d{2}(:\d{2})?$/.test(String(o.time))
      ? String(o.time)
      : (r.fail("slurm.time", o.time, 'a SLURM time such as "01:00:00" or "1-00:00:00"'),
        fallback.time),
    cpus_per_task: r.number("slurm.cpus_per_task", o.cpus_per_task, fallback.cpus_per_task, {
      ok: (x) => Number.isInteger(x) && x >= 1,
      range: "an integer ≥ 1",
    }),
    partition: o.partition === undefined || o.partition === null
      ? null
      : r.string("slurm.partition", o.partition, undefined),
    gpus: r.number("slurm.gpus", o.gpus, 0, {
      ok: (x) => Number.isInteger(x) && x >= 0,
      range: "an integer ≥ 0",
    }),
    extra_sbatch: o.extra_sbatch === undefined ||
        (Array.isArray(o.extra_sbatch) && o.extra_sbatch.length === 0)
      ? []
      : r.list("slurm.extra_sbatch", o.extra_sbatch, (p, v) => {
        const line = r.string(p, v, undefined);
        if (/[\n\r]/.test(line)) r.fail(p, v, "one line");
        return line;
      }),
  };
}

/**
 * Checks a parsed configuration; throws a {@linkcode ConfigError} listing every mistake.
 *
 * @param value the parsed JSON
 * @param file the file name, for messages
 */
export function parseNightlyConfig(value: unknown, file = "bench.config.json"): NightlyConfig {
  const r = new Reader();
  const o = r.object("(top level)", value, TOP_KEYS);
  if (!o) throw new ConfigError(file, r.problems);
  const matrix = r.list("matrix", o.matrix, (_path, v) => v).map((v, i) =>
    readEntry(r, `matrix[${i}]`, v, i)
  ).filter((e): e is MatrixEntry => e !== null);
  const regression: RegressionOptions = {};
  if (o.regression !== undefined) {
    const ro = r.object("regression", o.regression, Object.keys(REGRESSION_KEYS));
    if (ro) {
      for (const [key, name] of Object.entries(REGRESSION_KEYS)) {
        if (ro[key] === undefined) continue;
        // The ranges of the regress flags (one rule, one set of limits).
        const flag = Object.values(REGRESSION_FLAGS).find((f) => f.option === name)!;
        regression[name] = r.number(`regression.${key}`, ro[key], undefined, {
          ok: (x) => (!flag.integer || Number.isInteger(x)) && flag.ok(x),
          range: flag.range.replace(/--([a-z-]+)/g, (_, f: string) => f.replaceAll("-", "_")),
        });
      }
    }
  }
  const config: NightlyConfig = {
    description: o.description === undefined
      ? ""
      : r.string("description", o.description, undefined),
    out: r.string("out", o.out, "results"),
    report: r.string("report", o.report, "reports/out/index.html"),
    matrix,
    regression,
    slurm: readSlurm(r, o.slurm),
  };
  const names = matrix.map((e) => e.name);
  for (const [i, n] of names.entries()) {
    if (names.indexOf(n) !== i) r.problems.push(`matrix[${i}].name: "${n}" is used twice`);
  }
  if (r.problems.length > 0) throw new ConfigError(file, r.problems);
  return config;
}

/**
 * Reads and checks a configuration file.
 *
 * @param path the JSON file
 */
export async function loadNightlyConfig(path: string): Promise<NightlyConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file (${(error as Error).message})`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseNightlyConfig(value, path);
}

/**
 * Expands the matrix: for each entry, models × scales × seeds × drives, in that nesting order.
 *
 * @param config a checked configuration
 */
export function expandMatrix(config: NightlyConfig): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const e of config.matrix) {
    for (const model of e.models) {
      for (const scale of e.scales) {
        for (const seed of e.seeds) {
          for (const drive of e.drives) {
            cells.push({
              index: cells.length,
              name: e.name,
              model,
              scale,
              kScale: e.k_scale ?? scale,
              seed,
              drive,
              repeat: e.repeat,
              tPresimMs: e.t_presim_ms,
              tSimMs: e.t_sim_ms,
              backend: e.backend,
              record: e.record,
              saveSpikes: e.save_spikes || e.validate,
              validate: e.validate,
            });
          }
        }
      }
    }
  }
  return cells;
}

/**
 * The `deno task bench` flags of a cell (without `--out`).
 *
 * @param cell the cell
 */
export function benchArgs(cell: MatrixCell): string[] {
  const args = [
    "--model",
    cell.model,
    "--scale",
    String(cell.scale),
    "--k-scale",
    String(cell.kScale),
    "--seed",
    String(cell.seed),
    "--drive",
    cell.drive,
    "--repeat",
    String(cell.repeat),
    "--t-presim",
    String(cell.tPresimMs),
    "--t-sim",
    String(cell.tSimMs),
    "--backend",
    cell.backend,
    cell.record ? "--record" : "--no-record",
  ];
  if (cell.saveSpikes) args.push("--save-spikes");
  return args;
}

/**
 * A cell in words, e.g. "performance: microcircuit scale 0.02 poisson seed 55 × 3".
 *
 * @param cell the cell
 */
export function describeCell(cell: MatrixCell): string {
  return `${cell.name}: ${cell.model} scale ${cell.scale}${
    cell.kScale !== cell.scale ? ` K ${cell.kScale}` : ""
  } ${cell.drive} seed ${cell.seed}, ${cell.tPresimMs} + ${cell.tSimMs} ms × ${cell.repeat}${
    cell.validate ? ", validated" : ""
  }`;
}

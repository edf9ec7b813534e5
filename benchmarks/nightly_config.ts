/**
 * `bench.config.json`: the matrix `deno task nightly` runs (models × scales × seeds × drives
 * per entry), where results go, and the regression rule's constants. Loading checks every
 * field and reports all mistakes at once, each with its JSON path, what it got and what is
 * allowed. The format is documented in reports/README.md.
 *
 * @module
 */

import { type RegressionOptions, resolveRegressionOptions } from "../reports/regression.ts";
import { BENCH_MODELS, MICROCIRCUIT_STEP_MS, parseBenchArgs, SCALE_MIN } from "./bench_options.ts";
import { isOnGrid, snapToGrid, UsageError } from "./cli_args.ts";
import { REGRESSION_FLAGS, regressionPairProblem } from "./regress.ts";

/**
 * One entry of `matrix`: every combination of its lists is a cell. The microcircuit's keys
 * (`scales`, `k_scale`, `drives`, `t_presim_ms`, `t_sim_ms`) are null when not given: the
 * microcircuit then runs with the bench's defaults (scale 0.1, K = N, Poisson, 500 + 1000 ms)
 * and the other models, which do not take these flags, without them.
 */
export interface MatrixEntry {
  /** Name shown in logs and the SLURM script. */
  name: string;
  /** Models (`deno task bench --model`), each once. */
  models: string[];
  /** N scalings in [SCALE_MIN, 1], each once; null: not given. */
  scales: number[] | null;
  /** K scaling; null: not given (equal to each scale). */
  k_scale: number | null;
  /** Master seeds, each once. */
  seeds: number[];
  /** Background drives ("poisson" and/or "dc"), each once; null: not given. */
  drives: ("poisson" | "dc")[] | null;
  /** Runs per cell (repetitions for the noise estimate). */
  repeat: number;
  /** Presimulation (ms), discarded; null: not given. */
  t_presim_ms: number | null;
  /** Measured model time (ms); null: not given (the model's default). */
  t_sim_ms: number | null;
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

/**
 * One bench invocation of the expanded matrix. A field that is null is not passed to the
 * bench: the microcircuit's flags for the models that do not take them (working_memory takes
 * only --t-sim of them; null there means its own default, 7000 ms).
 */
export interface MatrixCell {
  /** 0-based index (the SLURM array task id). */
  index: number;
  /** The matrix entry's name. */
  name: string;
  /** The entry's index in `matrix`, for messages (`matrix[i]`). */
  entry: number;
  model: string;
  scale: number | null;
  kScale: number | null;
  seed: number;
  drive: "poisson" | "dc" | null;
  repeat: number;
  tPresimMs: number | null;
  tSimMs: number | null;
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

  /**
   * A list whose items must differ: a value given twice would make the same matrix cell
   * twice (the same bench run repeated, counted twice by the regression rule).
   */
  distinctList<T>(path: string, value: unknown, item: (p: string, v: unknown) => T): T[] {
    const items = this.list(path, value, item);
    const raw = (Array.isArray(value) ? value : []).map((v) => JSON.stringify(v));
    raw.forEach((v, i) => {
      const first = raw.indexOf(v);
      if (first !== i) {
        this.problems.push(
          `${path}[${i}]: got ${v}, which is ${path}[${first}] again; ` +
            "expected each value once (a duplicate would run the same cell twice)",
        );
      }
    });
    return items;
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

/** The microcircuit's defaults for keys an entry leaves out (the bench's own defaults). */
const MICROCIRCUIT_CELL_DEFAULTS = {
  scale: 0.1,
  drive: "poisson",
  tPresimMs: 500,
  tSimMs: 1000,
} as const;

/** A time on the microcircuit's grid, stored as the grid point (100.00000000001 → 100). */
function gridTime(r: Reader, path: string, value: unknown, min: number): number | null {
  if (value === undefined || value === null) return null;
  const x = r.number(path, value, undefined, {
    ok: (x) => x >= min && x <= 1e7 && isOnGrid(x, MICROCIRCUIT_STEP_MS),
    range: `a multiple of ${MICROCIRCUIT_STEP_MS} ms in [${min}, 1e7]`,
  });
  return snapToGrid(x, MICROCIRCUIT_STEP_MS);
}

function readEntry(r: Reader, path: string, value: unknown, index: number): MatrixEntry | null {
  const o = r.object(path, value, ENTRY_KEYS);
  if (!o) return null;
  const optionalList = <T>(key: string, item: (p: string, v: unknown) => T): T[] | null =>
    o[key] === undefined || o[key] === null ? null : r.distinctList(`${path}.${key}`, o[key], item);
  const entry: MatrixEntry = {
    name: r.string(`${path}.name`, o.name, `entry${index}`),
    models: r.distinctList(
      `${path}.models`,
      o.models,
      (p, v) => r.string(p, v, undefined, BENCH_MODELS),
    ),
    scales: optionalList("scales", (p, v) => r.number(p, v, undefined, SCALE)),
    k_scale: o.k_scale === undefined || o.k_scale === null
      ? null
      : r.number(`${path}.k_scale`, o.k_scale, undefined, K_SCALE),
    seeds: r.distinctList(`${path}.seeds`, o.seeds, (p, v) => r.number(p, v, undefined, SEED)),
    drives: optionalList(
      "drives",
      (p, v) => r.string(p, v, undefined, ["poisson", "dc"] as const),
    ),
    repeat: r.number(`${path}.repeat`, o.repeat, 1, {
      ok: (x) => Number.isInteger(x) && x >= 1 && x <= 1000,
      range: "an integer in [1, 1000]",
    }),
    t_presim_ms: gridTime(r, `${path}.t_presim_ms`, o.t_presim_ms, 0),
    t_sim_ms: gridTime(r, `${path}.t_sim_ms`, o.t_sim_ms, MICROCIRCUIT_STEP_MS),
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
    for (const [i, s] of (entry.scales ?? [MICROCIRCUIT_CELL_DEFAULTS.scale]).entries()) {
      if (s !== 0.1 && s !== 1) {
        r.problems.push(
          `${path}.scales[${i}]: got ${s}, expected 0.1 or 1 when "validate" is true (the scales ` +
            "of the NEST reference ensembles)",
        );
      }
    }
    const scales = entry.scales ?? [MICROCIRCUIT_CELL_DEFAULTS.scale];
    if (entry.k_scale !== null && !scales.every((s) => s === entry.k_scale)) {
      r.problems.push(`${path}.k_scale: must equal the scale when "validate" is true`);
    }
    if ((entry.drives ?? []).some((d) => d !== "poisson")) {
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
  // Each entry's index in the file's matrix (for messages), and the entries read without a
  // mistake: their cells are checked against the bench's parser.
  const at = new Map<MatrixEntry, number>();
  const clean = new Set<MatrixEntry>();
  const matrix = r.list("matrix", o.matrix, (_path, v) => v).map((v, i) => {
    const before = r.problems.length;
    const entry = readEntry(r, `matrix[${i}]`, v, i);
    if (entry) at.set(entry, i);
    if (entry && r.problems.length === before) clean.add(entry);
    return entry;
  }).filter((e): e is MatrixEntry => e !== null);
  const regression: RegressionOptions = {};
  if (o.regression !== undefined) {
    const ro = r.object("regression", o.regression, Object.keys(REGRESSION_KEYS));
    if (ro) {
      const before = r.problems.length;
      for (const [key, name] of Object.entries(REGRESSION_KEYS)) {
        if (ro[key] === undefined) continue;
        // The ranges of the regress flags (one rule, one set of limits).
        const flag = Object.values(REGRESSION_FLAGS).find((f) => f.option === name)!;
        regression[name] = r.number(`regression.${key}`, ro[key], undefined, {
          ok: (x) => (!flag.integer || Number.isInteger(x)) && flag.ok(x),
          range: flag.range.replace(/--([a-z-]+)/g, (_, f: string) => `regression.${configKey(f)}`),
        });
      }
      // What no single key's range can say: min_baseline_runs ≤ baseline_runs (once every
      // value is in its own range; a refused value is not compared).
      const pair = r.problems.length > before
        ? null
        : regressionPairProblem(regression, (f) => `regression.${configKey(f)}`);
      if (pair !== null) r.problems.push(pair);
      else if (r.problems.length === before) {
        try {
          resolveRegressionOptions(regression);
        } catch (error) {
          // Only if the rule gains a constraint this file does not know yet.
          r.problems.push(`regression: ${(error as Error).message}`);
        }
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
    if (names.indexOf(n) !== i) {
      r.problems.push(`matrix[${at.get(matrix[i])}].name: "${n}" is used twice`);
    }
  }
  checkCells(r, config, (e) => (clean.has(e) ? at.get(e)! : null));
  if (r.problems.length > 0) throw new ConfigError(file, r.problems);
  return config;
}

/** The configuration key of each bench flag a cell passes (for messages). */
const FLAG_KEYS: Record<string, string> = {
  scale: "scales",
  "k-scale": "k_scale",
  drive: "drives",
  "t-presim": "t_presim_ms",
  "t-sim": "t_sim_ms",
  "save-spikes": "save_spikes",
  seed: "seeds",
  repeat: "repeat",
  backend: "backend",
  record: "record",
};

/** The `regression` key of a regress flag: session-gap-min → session_gap_minutes. */
function configKey(flag: string): string {
  const key = Object.entries(REGRESSION_KEYS).find(([, option]) =>
    REGRESSION_FLAGS[flag]?.option === option
  )?.[0];
  return key ?? flag.replaceAll("-", "_");
}

/**
 * Every cell must be a run `deno task bench` accepts (its own parser, parseBenchArgs, so the
 * two can never drift apart: a model's foreign flags, its time range, the CPU size limit ...),
 * and no two cells may be the same run. Problems name the entry (`matrix[i]`), the cell, and
 * the configuration keys behind the refused flags.
 */
function checkCells(
  r: Reader,
  config: NightlyConfig,
  at: (entry: MatrixEntry) => number | null,
): void {
  const seen = new Map<string, string>();
  const reported = new Set<string>();
  for (const cell of expandMatrix(config)) {
    // Only entries without other mistakes: a wrong value is already reported at its own path.
    const entry = at(config.matrix[cell.entry]);
    if (entry === null) continue;
    const where = `matrix[${entry}]`;
    const args = benchArgs(cell);
    try {
      parseBenchArgs([...args, "--out", "results"]);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const message = error.message.replace(/ \(see --help\)$/, "");
      const keys = [...new Set([...message.matchAll(/--([a-z-]+)/g)].map((m) => m[1]))]
        .filter((f) => f !== "model" && f in FLAG_KEYS && args.includes(`--${f}`))
        .map((f) => `"${FLAG_KEYS[f]}"`);
      const hint = /not a flag of --model/.test(message)
        ? `; leave ${keys.join(", ")} out of entries with ${cell.model}, or give ${cell.model} ` +
          "an entry of its own"
        : keys.length
        ? ` (config ${keys.length > 1 ? "keys" : "key"} ${keys.join(", ")})`
        : "";
      const problem = `${where} (${describeCell(cell)}): deno task bench refuses this cell: ` +
        `${message}${hint}`;
      // One line per entry and mistake, not one per cell.
      const dedupe = `${where} ${cell.model} ${message}`;
      if (!reported.has(dedupe)) r.problems.push(problem);
      reported.add(dedupe);
      continue;
    }
    // The same run twice (repeat and spike saving aside): the rule would count it twice.
    const key = JSON.stringify(
      args.filter((a, i) =>
        a !== "--save-spikes" && a !== "--repeat" && args[i - 1] !== "--repeat"
      ),
    );
    const first = seen.get(key);
    if (first !== undefined) {
      r.problems.push(
        `${where} (${describeCell(cell)}): the same bench run as a cell of ${first}; list ` +
          "each run once (raise its repeat for more runs)",
      );
    } else seen.set(key, `${where} ("${cell.name}")`);
  }
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
  for (const [entry, e] of config.matrix.entries()) {
    for (const model of e.models) {
      // The microcircuit gets every flag (defaults filled in); the other models only the
      // keys the entry gives (working_memory's --t-sim; the rest the bench refuses for them,
      // which parseNightlyConfig reports).
      const micro = model === "microcircuit";
      const d = MICROCIRCUIT_CELL_DEFAULTS;
      const scales = e.scales ?? [micro ? d.scale : null];
      const drives = e.drives ?? [micro ? d.drive : null];
      for (const scale of scales) {
        for (const seed of e.seeds) {
          for (const drive of drives) {
            cells.push({
              index: cells.length,
              name: e.name,
              entry,
              model,
              scale,
              kScale: e.k_scale ?? (micro ? scale : null),
              seed,
              drive,
              repeat: e.repeat,
              tPresimMs: e.t_presim_ms ?? (micro ? d.tPresimMs : null),
              tSimMs: e.t_sim_ms ?? (micro ? d.tSimMs : null),
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
  const args = ["--model", cell.model];
  const flag = (name: string, value: string | number | null) => {
    if (value !== null) args.push(`--${name}`, String(value));
  };
  flag("scale", cell.scale);
  flag("k-scale", cell.kScale);
  flag("seed", cell.seed);
  flag("drive", cell.drive);
  flag("repeat", cell.repeat);
  flag("t-presim", cell.tPresimMs);
  flag("t-sim", cell.tSimMs);
  flag("backend", cell.backend);
  args.push(cell.record ? "--record" : "--no-record");
  if (cell.saveSpikes) args.push("--save-spikes");
  return args;
}

/**
 * A cell in words, e.g. "performance: microcircuit scale 0.02 poisson seed 55 × 3".
 *
 * @param cell the cell
 */
export function describeCell(cell: MatrixCell): string {
  const parts = [cell.model];
  if (cell.scale !== null) parts.push(`scale ${cell.scale}`);
  if (cell.kScale !== null && cell.kScale !== cell.scale) parts.push(`K ${cell.kScale}`);
  if (cell.drive !== null) parts.push(cell.drive);
  parts.push(`seed ${cell.seed}`);
  const time = cell.tPresimMs !== null
    ? `${cell.tPresimMs} + ${cell.tSimMs ?? "default"} ms`
    : cell.tSimMs !== null
    ? `${cell.tSimMs} ms`
    : "default time";
  return `${cell.name}: ${parts.join(" ")}, ${time} × ${cell.repeat}${
    cell.validate ? ", validated" : ""
  }`;
}

/**
 * `deno task nightly`: bench + validate + report + regress in one command, from
 * `bench.config.json` (benchmarks/nightly_config.ts; documented in reports/README.md).
 *
 * 1. every matrix cell runs as `deno task bench ... --json` in a child process (a crash in
 *    one cell does not stop the others);
 * 2. runs of cells with `"validate": true` are validated against the NEST reference
 *    (`validateSpikeSets`); the verdict, with the distributions the report's violins need,
 *    goes to the history (`History.addValidation`, run_id = the run's id) and to
 *    `<out>/<run id>.validation.json` (for `deno task ingest` elsewhere);
 * 3. the HTML report is rebuilt;
 * 4. the regression rule judges the configurations run tonight.
 *
 * Exit status: 0 everything ran, no regression, every validation passed; 1 a cell failed, a
 * regression beyond the noise or a failed validation; 2 bad input (flags or configuration).
 *
 * Cluster mode: `--emit-slurm FILE` writes an sbatch array script (benchmarks/slurm.ts);
 * each task runs `--cell i --out <shared>/<job>/cell_<i>` (steps 1–2 for one cell only).
 *
 * @module
 */

import {
  checkOutputFile,
  checkOutputFolder,
  nonEmptyFlag,
  numberFlag,
  parseCliArgs,
  UsageError,
} from "./cli_args.ts";
import { buildReport } from "../reports/build_report.ts";
import { candidateDistributions } from "../reports/distributions.ts";
import { formatRegressionReport, median, resolveRegressionOptions } from "../reports/regression.ts";
import { validateSpikeSets } from "../validation/main.ts";
import { readSpikes } from "../validation/spike_io.ts";
import { validationRecord } from "./ingest.ts";
import {
  benchArgs,
  ConfigError,
  describeCell,
  expandMatrix,
  loadNightlyConfig,
  type MatrixCell,
  type NightlyConfig,
} from "./nightly_config.ts";
import { regressHistory } from "./regress.ts";
import type { BenchResult } from "./result_record.ts";
import { History, HistoryError, type ValidationRow, writeFileAtomic } from "./results_store.ts";
import { shellWord, slurmScript } from "./slurm.ts";

/** Where the runner writes its progress. */
export interface NightlyIo {
  /** A progress or result line. */
  log(line: string): void;
  /** A problem. */
  error(line: string): void;
}

/** What one cell produced. */
export interface CellOutcome {
  /** The cell. */
  cell: MatrixCell;
  /** Its runs, in order. */
  runs: BenchResult[];
  /** Validation rows written for its runs. */
  validations: ValidationRow[];
  /** Null when the bench and every validation ran; else what went wrong. */
  error: string | null;
  /** Wall-clock seconds. */
  seconds: number;
}

const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

/**
 * Validates one saved run against the NEST reference and returns the history row (the verdict
 * plus `distributions` for the report).
 *
 * @param run the run (its spikes must be at `<out>/<id>.spikes.gz`)
 * @param out the results folder
 */
export async function validateRun(run: BenchResult, out: string): Promise<ValidationRow> {
  const recording = await readSpikes(`${out}/${run.id}.spikes.gz`);
  const verdict = await validateSpikeSets([recording.populations], {
    scale: run.scale,
    tPresimMs: run.t_presim_ms,
    tSimMs: run.t_sim_ms,
  });
  const distributions = candidateDistributions([recording.populations], verdict.window);
  return {
    id: `${run.id}_validation`,
    run_id: run.id,
    timestamp: new Date().toISOString(),
    model: run.model,
    scale: run.scale,
    passed: verdict.pass,
    verdict: { ...verdict, distributions },
  };
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Runs one cell: the bench in a child process writing into `out`, then the validations.
 *
 * @param cell the cell
 * @param options the results folder (absolute) and where to log
 */
export async function runCell(
  cell: MatrixCell,
  options: { out: string; io: NightlyIo },
): Promise<CellOutcome> {
  const t0 = performance.now();
  const outcome: CellOutcome = { cell, runs: [], validations: [], error: null, seconds: 0 };
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--config",
      `${REPO}/deno.json`,
      `${REPO}/benchmarks/main.ts`,
      ...benchArgs(cell),
      "--out",
      options.out,
      "--json",
      // The nightly builds one report at the end, from the whole matrix.
      "--no-report",
    ],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(child.stdout);
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      outcome.runs.push(JSON.parse(line));
    } catch { /* not a record */ }
  }
  if (!child.success || outcome.runs.length !== cell.repeat) {
    outcome.error = `bench exited with code ${child.code} after ${outcome.runs.length} of ` +
      `${cell.repeat} run(s):\n${tail(new TextDecoder().decode(child.stderr), 12)}`;
  }
  if (cell.validate) {
    const history = new History(`${options.out}/history.sqlite`);
    try {
      for (const run of outcome.runs) {
        try {
          const row = await validateRun(run, options.out);
          history.addValidation(row);
          await writeFileAtomic(
            `${options.out}/${run.id}.validation.json`,
            JSON.stringify(validationRecord(row)) + "\n",
          );
          outcome.validations.push(row);
        } catch (error) {
          outcome.error = (outcome.error ? outcome.error + "\n" : "") +
            `validation of ${run.id} failed to run: ${(error as Error).message}`;
        }
      }
    } finally {
      history.close();
    }
  }
  outcome.seconds = (performance.now() - t0) / 1000;
  return outcome;
}

function cellLine(o: CellOutcome, total: number): string {
  const head = `[${o.cell.index + 1}/${total}] ${describeCell(o.cell)}`;
  if (o.runs.length === 0) return `${head}: FAILED (${o.seconds.toFixed(0)} s)`;
  const rtf = median(o.runs.map((r) => r.rtf));
  const verdicts = o.validations.map((v) => (v.passed ? "pass" : "FAIL")).join(", ");
  return `${head}: ${o.runs.length} run(s), RTF median ${rtf.toFixed(3)}, construction ${
    median(o.runs.map((r) => r.construction_s)).toFixed(3)
  } s${verdicts ? `, validation ${verdicts}` : ""}${o.error ? ", ERROR" : ""} (${
    o.seconds.toFixed(0)
  } s)`;
}

/** Options of {@linkcode runNightly}. */
export interface RunNightlyOptions {
  /** Results folder override (default: the configuration's `out`). */
  out?: string;
  /** Report path override (default: the configuration's `report`). */
  report?: string;
  /** Where to log (default: console). */
  io?: NightlyIo;
}

/**
 * The full nightly: every cell, the report, the regression judgement. Returns the exit
 * status (0 pass, 1 something failed or regressed).
 *
 * @param config a checked configuration
 * @param options overrides and logging
 */
export async function runNightly(
  config: NightlyConfig,
  options: RunNightlyOptions = {},
): Promise<number> {
  const io = options.io ?? { log: (l) => console.log(l), error: (l) => console.error(l) };
  // The rule's constants are used only after the matrix ran: check them before it runs.
  resolveRegressionOptions(config.regression);
  const out = absolute(options.out ?? config.out);
  const reportPath = options.report ?? config.report;
  await Deno.mkdir(out, { recursive: true });
  const since = new Date(Date.now() - 1000).toISOString();
  const t0 = performance.now();
  const cells = expandMatrix(config);
  io.log(`nightly: ${cells.length} cell(s) into ${out}`);
  let failedCells = 0;
  for (const cell of cells) {
    const outcome = await runCell(cell, { out, io });
    io.log(cellLine(outcome, cells.length));
    if (outcome.error) {
      failedCells++;
      io.error(outcome.error.replace(/^/gm, "    "));
    }
  }
  const historyPath = `${out}/history.sqlite`;
  let reportFailed = false;
  try {
    const built = await buildReport(historyPath, {
      out: reportPath,
      regression: config.regression,
    });
    io.log(`report: ${built.path} (${(built.bytes / 1024).toFixed(0)} KiB)`);
  } catch (error) {
    reportFailed = true;
    io.error(`report failed: ${(error as Error).stack ?? error}`);
  }
  const judgement = regressHistory(historyPath, { ...config.regression, since });
  io.log("");
  io.log(formatRegressionReport(judgement));
  const ok = failedCells === 0 && !reportFailed && judgement.pass;
  io.log(
    `nightly ${ok ? "passed" : "FAILED"} in ${((performance.now() - t0) / 1000).toFixed(0)} s` +
      (failedCells ? `; ${failedCells} cell(s) failed to run` : "") +
      (reportFailed ? "; the report could not be built" : ""),
  );
  return ok ? 0 : 1;
}

const USAGE = `Usage: deno task nightly [flags]

Runs the benchmark matrix of the configuration file (bench + validate), rebuilds the HTML
report and applies the regression rule to tonight's runs (reports/README.md).

Flags:
  --config PATH        configuration (default bench.config.json)
  --out DIR            results folder (default: the configuration's "out")
  --report PATH        HTML report (default: the configuration's "report")
  --dry-run            print the matrix cells and their bench commands, run nothing (with
                       --cell N only that cell)
  --emit-slurm FILE    write an sbatch array script (one task per cell) and exit; the tasks
                       write into the configuration's slurm.shared_dir (so no --out,
                       --report, --cell or --dry-run with it)
  --cell N             run only cell N (bench + validate) into --out; used by the
                       SLURM tasks; no report (so no --report), no regression check
  -h, --help           this text

Every output path (--out, its history, --report, --emit-slurm) is checked before anything
is created or written.

Exit status: 0 everything passed; 1 a cell failed, a regression beyond the noise or a
failed validation; 2 bad input (flags, configuration).`;

/** Flags of `deno task nightly`. */
interface NightlyFlags {
  config?: string;
  out?: string;
  report?: string;
  "dry-run"?: boolean;
  "emit-slurm"?: string;
  cell?: string;
  help?: boolean;
}

/**
 * Refuses flags that the chosen mode would silently ignore: `--emit-slurm` only writes the
 * script (its tasks write into slurm.shared_dir, every cell a task of its own), `--cell`
 * builds no report. Also refuses empty path values.
 */
function checkFlagCombination(values: NightlyFlags): void {
  for (const flag of ["config", "out", "report", "emit-slurm"] as const) {
    const v = values[flag];
    if (v !== undefined) {
      nonEmptyFlag(flag, v, flag === "out" ? "a folder path" : "a file path");
    }
  }
  if (values["emit-slurm"] !== undefined) {
    const why: Record<string, string> = {
      "dry-run": "--dry-run prints the cells and writes nothing, --emit-slurm writes the " +
        "script; give one of them",
      cell: "the script runs every cell as an array task of its own; leave out --emit-slurm " +
        "to run one cell here",
      out: "the array tasks write into the configuration's slurm.shared_dir; set it there",
      report: "the script builds no report (`deno task report` does, after " +
        "`deno task ingest`)",
    };
    for (const flag of ["dry-run", "cell", "out", "report"] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(`--${flag}: not used with --emit-slurm (${why[flag]})`);
      }
    }
  }
  if (values.cell !== undefined && values.report !== undefined) {
    throw new UsageError(
      "--report: not used with --cell (a single cell builds no report; `deno task report` " +
        "does, after `deno task ingest`)",
    );
  }
}

/**
 * Runs the CLI with `args`; returns the exit status.
 *
 * @param args command-line arguments (without the program name)
 */
export async function nightlyMain(args: string[]): Promise<number> {
  let values: NightlyFlags;
  try {
    values = parseCliArgs({
      args,
      allowPositionals: false,
      options: {
        config: { type: "string" },
        out: { type: "string" },
        report: { type: "string" },
        "dry-run": { type: "boolean" },
        "emit-slurm": { type: "string" },
        cell: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
    if (!values.help) checkFlagCombination(values);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const configPath = values.config ?? "bench.config.json";
  let config: NightlyConfig;
  try {
    config = await loadNightlyConfig(configPath);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const cells = expandMatrix(config);
  // Bad input is reported before anything is created or written: the cell index, the
  // results folder (a folder, or creatable and writable), its history (a spikebench history
  // if it exists), the report path for the full nightly and the script path of
  // --emit-slurm. Nothing is created until all of them passed.
  let index: number | undefined;
  const out = absolute(values.out ?? config.out);
  const reportPath = values.report ?? config.report;
  try {
    if (values.cell !== undefined) {
      index = numberFlag("cell", values.cell, {
        integer: true,
        ok: (x) => x >= 0 && x < cells.length,
        range: `an integer in [0, ${cells.length - 1}]`,
      });
    }
    if (values["dry-run"]) {
      // Prints only; writes nothing, so there is no path to check.
    } else if (values["emit-slurm"] !== undefined) {
      await checkOutputFile("emit-slurm", values["emit-slurm"], { create: false });
    } else {
      await checkOutputFolder("out", out, { create: false });
      History.check(`${out}/history.sqlite`);
      if (index === undefined) await checkOutputFile("report", reportPath, { create: false });
    }
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof HistoryError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  if (values["dry-run"]) {
    const shown = index === undefined ? cells : [cells[index]];
    console.log(
      index === undefined
        ? `nightly: ${cells.length} cell(s) into ${out}; report ${reportPath} (dry run)`
        : `nightly: cell ${index} of ${cells.length} into ${out}; no report (dry run)`,
    );
    for (const c of shown) {
      console.log(
        `${c.index}: ${describeCell(c)}\n   deno task bench ${
          [...benchArgs(c), "--out", out].map(shellWord).join(" ")
        }`,
      );
    }
    return 0;
  }
  if (values["emit-slurm"] !== undefined) {
    const path = values["emit-slurm"];
    const script = slurmScript(cells, {
      slurm: config.slurm,
      paths: { repo: REPO, config: absolute(configPath) },
    });
    const slash = path.lastIndexOf("/");
    if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
    await writeFileAtomic(path, script);
    await Deno.chmod(path, 0o755).catch(() => {});
    const shared = config.slurm.shared_dir.replace(/\/+$/, "") || "/";
    console.log(
      `wrote ${path}: ${cells.length} array task(s) writing into ${shared}; submit with: ` +
        `mkdir -p ${shellWord(`${shared}/logs`)} && sbatch ${shellWord(path)}`,
    );
    return 0;
  }
  if (index !== undefined) {
    const io = { log: (l: string) => console.log(l), error: (l: string) => console.error(l) };
    const outcome = await runCell(cells[index], { out, io });
    io.log(cellLine(outcome, cells.length));
    if (outcome.error) io.error(outcome.error);
    return outcome.error || outcome.validations.some((v) => !v.passed) ? 1 : 0;
  }
  return await runNightly(config, { out, report: reportPath });
}

if (import.meta.main) {
  Deno.exit(await nightlyMain(Deno.args));
}

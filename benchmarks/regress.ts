/**
 * `deno task regress`: applies the noise-aware regression rule (reports/regression.ts,
 * stated in reports/README.md) to the history: the newest session of every configuration
 * against the runs before it, and the newest validation of every configuration.
 *
 * Exit status: 0 no regression beyond the noise and no failed validation, 1 a regression or
 * a failed validation, 2 bad input.
 *
 * @module
 */

import {
  formatRegressionReport,
  judgeHistory,
  type RegressionOptions,
  type RegressionReport,
  resolveRegressionOptions,
} from "../reports/regression.ts";
import { nonEmptyFlag, numberFlag, parseCliArgs, parseSinceFlag, UsageError } from "./cli_args.ts";
import { History, HistoryError } from "./results_store.ts";

/** A flag of `deno task regress` that sets a constant of the rule, with its range. */
export interface RegressionFlag {
  /** The rule's option it sets. */
  option: keyof RegressionOptions;
  /** Only plain digits. */
  integer: boolean;
  /** Whether a value is in range. */
  ok: (v: number) => boolean;
  /** The range in words (as in --help and the error messages). */
  range: string;
}

/**
 * The rule's constants as flags, each with its documented range (reports/regression.ts and
 * reports/README.md state the rule): run counts are integers ≥ 1, the spread factor and the
 * smallest relative change are ≥ 0 (a relative change is a fraction of the baseline median,
 * below 1 = 100 %), and the session gap is a positive number of minutes.
 */
export const REGRESSION_FLAGS: Record<string, RegressionFlag> = {
  "baseline-runs": {
    option: "baselineRuns",
    integer: true,
    ok: (x) => x >= 1 && x <= 10000,
    range: "an integer in [1, 10000]",
  },
  "min-baseline-runs": {
    option: "minBaselineRuns",
    integer: true,
    ok: (x) => x >= 1 && x <= 10000,
    range: "an integer in [1, 10000], at most --baseline-runs",
  },
  "min-candidate-runs": {
    option: "minCandidateRuns",
    integer: true,
    ok: (x) => x >= 1 && x <= 10000,
    range: "an integer in [1, 10000]",
  },
  "spread-factor": {
    option: "spreadFactor",
    integer: false,
    ok: (x) => x >= 0 && x <= 100,
    range: "a number in [0, 100]",
  },
  "min-relative-change": {
    option: "minRelativeChange",
    integer: false,
    ok: (x) => x >= 0 && x < 1,
    range: "a fraction in [0, 1) (0.05 = 5 %)",
  },
  "session-gap-min": {
    option: "sessionGapMinutes",
    integer: false,
    ok: (x) => x > 0 && x <= 525600,
    range: "a number of minutes in (0, 525600]",
  },
};

/**
 * Reads the rule's constants from parsed flag values; throws a UsageError naming the flag and
 * its range.
 *
 * @param values the flags' raw values by flag name (without dashes)
 */
export function regressionOptionsFromFlags(
  values: Record<string, unknown>,
): ReturnType<typeof resolveRegressionOptions> {
  const options: RegressionOptions = {};
  for (const [flag, spec] of Object.entries(REGRESSION_FLAGS)) {
    const v = numberFlag(flag, values[flag] as string | undefined, { ...spec, optional: true });
    if (v !== undefined) options[spec.option] = v;
  }
  const problem = regressionPairProblem(options, (flag) => `--${flag}`);
  if (problem !== null) throw new UsageError(problem);
  const resolved = resolveRegressionOptions(options);
  return resolved;
}

/**
 * The rule's constraint between constants that each flag's own range cannot state:
 * min-baseline-runs ≤ baseline-runs (with the defaults for the one not given). Returns the
 * message naming the constant that was given, through `name` (a flag `--baseline-runs` or a
 * configuration key `regression.baseline_runs`), or null when the pair is consistent.
 *
 * @param options the constants given (each already in its own range)
 * @param name how to name a constant, from its flag name without dashes
 */
export function regressionPairProblem(
  options: RegressionOptions,
  name: (flag: string) => string,
): string | null {
  const defaults = resolveRegressionOptions({});
  const baseline = options.baselineRuns ?? defaults.baselineRuns;
  const minBaseline = options.minBaselineRuns ?? defaults.minBaselineRuns;
  if (minBaseline <= baseline) return null;
  return options.minBaselineRuns !== undefined
    ? `${name("min-baseline-runs")}: got ${minBaseline}, expected at most ` +
      `${name("baseline-runs")} (${baseline}${
        options.baselineRuns === undefined ? ", the default" : ""
      })`
    : `${name("baseline-runs")}: got ${baseline}, expected at least ` +
      `${name("min-baseline-runs")} (${minBaseline}, the default; lower it too)`;
}

const USAGE = `Usage: deno task regress [flags]

Compares the newest session of runs of every configuration (model, scale, K scale, drive,
backend, recording, simulated time, adapter) with the runs before it, and checks the newest
validation of every configuration. The rule is in reports/README.md.

Flags:
  --history PATH            SQLite history (default results/history.sqlite)
  --since TIME              judge only configurations run at or after TIME (ISO date or
                            date-time, e.g. 2026-01-31 or 2026-01-31T18:00Z)
  --baseline-runs N         baseline size, integer in [1, 10000] (default 15)
  --min-baseline-runs N     fewer earlier runs: "no baseline"; integer in [1, 10000], at most
                            --baseline-runs (default 6)
  --min-candidate-runs N    fewer runs in the session: only "unconfirmed"; integer in
                            [1, 10000] (default 2)
  --spread-factor K         threshold in robust SDs of the baseline, in [0, 100] (default 3)
  --min-relative-change X   smallest change called a regression, a fraction in [0, 1)
                            (default 0.05 = 5 %)
  --session-gap-min M       minutes between runs that start a new session, in (0, 525600]
                            (default 60)
  --json                    also print the judgement as one JSON object on the last line
  -h, --help                this text

Exit status: 0 pass, 1 a performance regression beyond the noise or a failed validation,
2 bad input.`;

/**
 * Reads the history at `historyPath` and applies the rule.
 *
 * @param historyPath the SQLite history
 * @param options rule constants and `since`
 */
export function regressHistory(
  historyPath: string,
  options: RegressionOptions & { since?: string } = {},
): RegressionReport {
  const history = new History(historyPath);
  try {
    return judgeHistory(history.runs(), history.validations(), options);
  } finally {
    history.close();
  }
}

/**
 * Runs the CLI with `args`; returns the exit status.
 *
 * @param args command-line arguments (without the program name)
 */
export async function regressMain(args: string[]): Promise<number> {
  let report: RegressionReport;
  let json = false;
  try {
    const { values } = parseCliArgs({
      args,
      allowPositionals: false,
      options: {
        history: { type: "string" },
        since: { type: "string" },
        "baseline-runs": { type: "string" },
        "min-baseline-runs": { type: "string" },
        "min-candidate-runs": { type: "string" },
        "spread-factor": { type: "string" },
        "min-relative-change": { type: "string" },
        "session-gap-min": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    json = values.json ?? false;
    const options = regressionOptionsFromFlags(values);
    const since = values.since === undefined ? undefined : parseSinceFlag(values.since);
    const historyPath = nonEmptyFlag(
      "history",
      values.history ?? "results/history.sqlite",
      "the path of a history file",
    );
    const info = await Deno.stat(historyPath).catch(() => null);
    if (info === null) {
      throw new UsageError(`--history: ${historyPath}: no such history file (pass --history)`);
    }
    if (!info.isFile) {
      throw new UsageError(`--history: ${historyPath} is a folder, not a history file`);
    }
    report = regressHistory(historyPath, { ...options, since });
  } catch (error) {
    if (error instanceof UsageError || error instanceof HistoryError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    console.error(`error: ${(error as Error).stack ?? error}`);
    return 1;
  }
  console.log(formatRegressionReport(report));
  if (json) console.log(JSON.stringify(report));
  return report.pass ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await regressMain(Deno.args));
}

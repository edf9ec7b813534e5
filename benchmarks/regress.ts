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

import { parseArgs } from "node:util";
import {
  formatRegressionReport,
  judgeHistory,
  type RegressionOptions,
  type RegressionReport,
  resolveRegressionOptions,
} from "../reports/regression.ts";
import { parseSince } from "../reports/format.ts";
import { History } from "./results_store.ts";

const USAGE = `Usage: deno task regress [flags]

Compares the newest session of runs of every configuration (model, scale, K scale, drive,
backend, recording, simulated time, adapter) with the runs before it, and checks the newest
validation of every configuration. The rule is in reports/README.md.

Flags:
  --history PATH            SQLite history (default results/history.sqlite)
  --since TIME              judge only configurations run at or after TIME (ISO)
  --baseline-runs N         baseline size (default 15)
  --min-baseline-runs N     fewer earlier runs: "no baseline" (default 6)
  --min-candidate-runs N    fewer runs in the session: only "unconfirmed" (default 2)
  --spread-factor K         threshold in robust SDs of the baseline (default 3)
  --min-relative-change X   smallest change called a regression (default 0.05 = 5 %)
  --session-gap-min M       minutes between runs that start a new session (default 60)
  --json                    also print the judgement as one JSON object on the last line
  -h, --help                this text

Exit status: 0 pass, 1 a performance regression beyond the noise or a failed validation,
2 bad input.`;

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) {
    throw new RangeError(`--${name} is '${raw}'; it must be a number`);
  }
  return v;
}

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
    const { values } = parseArgs({
      args,
      strict: true,
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
    const historyPath = values.history ?? "results/history.sqlite";
    if (!(await Deno.stat(historyPath).catch(() => null))?.isFile) {
      throw new RangeError(`${historyPath}: no such history file (pass --history)`);
    }
    const options = resolveRegressionOptions({
      baselineRuns: numberFlag("baseline-runs", values["baseline-runs"]),
      minBaselineRuns: numberFlag("min-baseline-runs", values["min-baseline-runs"]),
      minCandidateRuns: numberFlag("min-candidate-runs", values["min-candidate-runs"]),
      spreadFactor: numberFlag("spread-factor", values["spread-factor"]),
      minRelativeChange: numberFlag("min-relative-change", values["min-relative-change"]),
      sessionGapMinutes: numberFlag("session-gap-min", values["session-gap-min"]),
    });
    const since = values.since === undefined ? undefined : parseSince(values.since);
    report = regressHistory(historyPath, { ...options, since });
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  console.log(formatRegressionReport(report));
  if (json) console.log(JSON.stringify(report));
  return report.pass ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await regressMain(Deno.args));
}

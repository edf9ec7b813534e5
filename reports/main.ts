/**
 * `deno task report`: builds one self-contained HTML file from the results history.
 * Exit codes: 0 written, 1 failure, 2 bad input.
 *
 * ```
 * deno task report [--history results/history.sqlite] [--out reports/out/index.html]
 *                  [--since 2026-01-01] [--spikes-dir DIR ...]
 * ```
 *
 * @module
 */

import {
  checkInputFolder,
  checkOutputFile,
  nonEmptyFlag,
  parseCliArgs,
  parseSinceFlag,
  UsageError,
} from "../benchmarks/cli_args.ts";
import { History, HistoryError } from "../benchmarks/results_store.ts";
import { buildReport } from "./build_report.ts";

const USAGE = `Usage: deno task report [flags]

Builds one self-contained HTML report (no network needed to view it) from the results
history: summary, performance, trends with regression marks, validation violins and
tables, activity rasters from saved spike files, environment and notes.

Flags:
  --history PATH     SQLite history (default results/history.sqlite)
  --out PATH         HTML file to write (default reports/out/index.html); its folder is
                     created if needed and must be writable
  --since TIME       only runs at or after TIME (ISO date or date-time, e.g. 2026-01-31)
  --spikes-dir DIR   an existing folder where to look for <run id>.spikes.gz, subfolders
                     included (3 levels; repeatable; default: the history's folder)
  --title TEXT       page title, not empty (default "spikebench report")
  -h, --help         this text

Exit status: 0 written, 1 failure, 2 bad input.`;

/**
 * Runs the CLI with `args`; returns the exit status.
 *
 * @param args command-line arguments (without the program name)
 */
export async function reportMain(args: string[]): Promise<number> {
  let values;
  try {
    values = parseCliArgs({
      args,
      allowPositionals: false,
      options: {
        history: { type: "string" },
        out: { type: "string" },
        since: { type: "string" },
        "spikes-dir": { type: "string", multiple: true },
        title: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let since: string | undefined;
  const out = values.out ?? "reports/out/index.html";
  const historyPath = values.history ?? "results/history.sqlite";
  // Every input is checked before anything is read or written (exit 2 with a message).
  try {
    since = values.since === undefined ? undefined : parseSinceFlag(values.since);
    nonEmptyFlag("history", historyPath, "the path of a history file");
    if (values.title !== undefined) nonEmptyFlag("title", values.title, "a non-empty page title");
    const info = await Deno.stat(historyPath).catch(() => null);
    if (info === null) {
      throw new UsageError(
        `--history: ${historyPath}: no such history file (run \`deno task bench\` or pass ` +
          "--history)",
      );
    }
    if (!info.isFile) {
      throw new UsageError(`--history: ${historyPath} is a folder, not a history file`);
    }
    History.check(historyPath);
    for (const dir of values["spikes-dir"] ?? []) await checkInputFolder("spikes-dir", dir);
    await checkOutputFile("out", out);
  } catch (error) {
    if (error instanceof UsageError || error instanceof HistoryError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    const built = await buildReport(historyPath, {
      out,
      since,
      spikesDirs: values["spikes-dir"],
      title: values.title,
    });
    const m = built.model;
    console.log(
      `report ${built.path} (${(built.bytes / 1024).toFixed(0)} KiB): ${m.runs.length} run(s), ` +
        `${m.trends.length} configuration(s), ${m.validations.length} validation(s), ` +
        `${m.activity.length} raster(s)`,
    );
    for (const w of m.warnings) console.error(`note: ${w}`);
    return 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof HistoryError) {
      console.error(`error: ${(error as Error).message}`);
      return 2;
    }
    console.error(`error: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await reportMain(Deno.args));
}

/**
 * Builds the HTML report from a history file and writes it atomically.
 *
 * @module
 */

import { History, HistoryError, writeFileAtomic } from "../benchmarks/results_store.ts";
import { type CollectOptions, collectReport, type ReportModel } from "./report_model.ts";
import { loadClientAssets, renderReport } from "./render_html.ts";

/** Options of {@linkcode buildReport}. */
export interface BuildReportOptions extends CollectOptions {
  /** Where to write the page (default reports/out/index.html). */
  out?: string;
}

/** What {@linkcode buildReport} produced. */
export interface BuiltReport {
  /** The page written. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** What it shows. */
  model: ReportModel;
}

/**
 * Reads `historyPath` (and spike files beside it), renders the page and writes it to
 * `options.out` atomically. Throws Deno.errors.NotFound if the history does not exist (an
 * empty one is fine), a HistoryError naming it if it is a folder or not a spikebench history.
 *
 * @param historyPath the SQLite history, e.g. results/history.sqlite
 * @param options output path, since, spike folders, title
 */
export async function buildReport(
  historyPath: string,
  options: BuildReportOptions = {},
): Promise<BuiltReport> {
  const info = await Deno.stat(historyPath).catch(() => null);
  if (info === null) {
    throw new Deno.errors.NotFound(
      `${historyPath}: no such history file (run \`deno task bench\` or pass --history)`,
    );
  }
  if (!info.isFile) {
    throw new HistoryError(historyPath, `${historyPath} is a folder, not a history file`);
  }
  const history = new History(historyPath);
  let model: ReportModel;
  try {
    model = await collectReport(history, options);
  } finally {
    history.close();
  }
  const html = renderReport(model, await loadClientAssets());
  const out = options.out ?? "reports/out/index.html";
  const slash = out.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(out.slice(0, slash), { recursive: true });
  await writeFileAtomic(out, html);
  return { path: out, bytes: new TextEncoder().encode(html).length, model };
}

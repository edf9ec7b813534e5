/**
 * `deno task ingest <folder>`: merges result files written on other machines (e.g. SLURM
 * array tasks writing into a shared folder) into the SQLite history.
 *
 * - Every `*.json` file under the folder (recursively) is read: a bench result
 *   (`<id>.json`, benchmarks/result_record.ts) becomes a run, a validation record
 *   (`<run id>.validation.json`, written by `deno task nightly`) a validation.
 * - Idempotent: a run or validation whose id is already stored is skipped (ingesting twice
 *   adds nothing); one with the same id but different content is reported as a conflict and
 *   the stored version kept. Nothing is ever deleted or replaced.
 * - A malformed file is reported by name with what is wrong; the other files are still
 *   ingested (each file in its own transaction).
 *
 * Exit status: 0 every file ingested or already present, 1 some file malformed or
 * conflicting (the rest ingested), 2 bad input (no such folder, bad flags).
 *
 * @module
 */

import { parseCliArgs, UsageError } from "./cli_args.ts";
import type { BenchResult } from "./result_record.ts";
import { History, HistoryError, type ValidationRow } from "./results_store.ts";

/** `kind` of a validation record file. */
export const VALIDATION_RECORD_KIND = "spikebench-validation-record";

/** A validation verdict as a file (`<run id>.validation.json`), for ingestion elsewhere. */
export interface ValidationRecord {
  /** Always {@linkcode VALIDATION_RECORD_KIND}. */
  kind: typeof VALIDATION_RECORD_KIND;
  /** Format version. */
  version: 1;
  /** The history row. */
  row: ValidationRow;
}

/**
 * Wraps a validation row as a file record.
 *
 * @param row the row to store
 */
export function validationRecord(row: ValidationRow): ValidationRecord {
  return { kind: VALIDATION_RECORD_KIND, version: 1, row };
}

/** What one ingestion did. */
export interface IngestSummary {
  /** JSON files read. */
  files: number;
  /** Runs added. */
  runsAdded: number;
  /** Validations added. */
  validationsAdded: number;
  /** Files whose run or validation was already stored with the same content. */
  duplicates: string[];
  /** Files whose id is stored with different content (the stored version is kept). */
  conflicts: { file: string; reason: string }[];
  /** Files that are not valid results or validation records, and why. */
  malformed: { file: string; reason: string }[];
}

/** A file that is not a valid result or validation record. */
class MalformedError extends Error {}

function isIsoTime(value: unknown): boolean {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) &&
    !Number.isNaN(Date.parse(value));
}

/**
 * Checks that `value` has every field the history, the report and the regression rule read;
 * throws naming the first fields that are missing or of the wrong type.
 *
 * @param value a parsed JSON document
 */
export function checkBenchResult(value: unknown): BenchResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MalformedError("not a JSON object");
  }
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  const want = (field: string, ok: boolean, expected: string) => {
    if (!ok) problems.push(`${field} (${expected}, got ${JSON.stringify(r[field]) ?? "nothing"})`);
  };
  const num = (field: string, min = 0) =>
    want(
      field,
      typeof r[field] === "number" && Number.isFinite(r[field]) && (r[field] as number) >= min,
      `a number ≥ ${min}`,
    );
  want("id", typeof r.id === "string" && /^[\w.-]{1,200}$/.test(r.id), "a run id");
  want("schema", r.schema === 1, "1");
  want("model", typeof r.model === "string" && r.model !== "", "a model name");
  want("timestamp", isIsoTime(r.timestamp), "an ISO time");
  for (const f of ["scale", "k_scale", "t_sim_ms", "t_presim_ms", "construction_s", "rtf"]) num(f);
  for (const f of ["neurons", "synapses", "spikes", "synaptic_events", "synaptic_events_per_s"]) {
    num(f);
  }
  want("seed", Number.isInteger(r.seed), "an integer");
  want("drive", typeof r.drive === "string", "a string");
  want("backend", r.backend === "webgpu" || r.backend === "cpu", '"webgpu" or "cpu"');
  want("record", typeof r.record === "boolean", "true or false");
  want("commit", typeof r.commit === "string", "a string");
  const adapter = r.adapter as Record<string, unknown> | null;
  want(
    "adapter",
    !!adapter && typeof adapter === "object" && typeof adapter.description === "string",
    "an object with a description",
  );
  const phases = r.phases as Record<string, unknown> | null;
  want(
    "phases",
    !!phases && typeof phases === "object" &&
      ["create", "connect", "prepare", "compile", "presimulate", "simulate"].every((p) =>
        typeof phases[p] === "number"
      ),
    "seconds per phase",
  );
  want("rates_hz", !!r.rates_hz && typeof r.rates_hz === "object", "an object");
  want("environment", !!r.environment && typeof r.environment === "object", "an object");
  want("notes", Array.isArray(r.notes), "an array");
  if (problems.length > 0) {
    const looksLikeResult = typeof r.id === "string" && "rtf" in r;
    throw new MalformedError(
      `${looksLikeResult ? "bad" : "not a spikebench result; missing or bad"} field(s): ${
        problems.slice(0, 4).join("; ")
      }${problems.length > 4 ? `; and ${problems.length - 4} more` : ""}`,
    );
  }
  return value as BenchResult;
}

/**
 * Checks a validation record file's content and returns its row.
 *
 * @param value a parsed JSON document with kind {@linkcode VALIDATION_RECORD_KIND}
 */
export function checkValidationRecord(value: unknown): ValidationRow {
  const rec = value as Partial<ValidationRecord>;
  if (rec.version !== 1) throw new MalformedError(`version ${rec.version}; expected 1`);
  const row = rec.row as Partial<ValidationRow> | undefined;
  const problems: string[] = [];
  if (!row || typeof row !== "object") throw new MalformedError("no row object");
  if (typeof row.id !== "string" || row.id === "") problems.push("row.id (a string)");
  if (row.run_id !== null && typeof row.run_id !== "string") {
    problems.push("row.run_id (a string or null)");
  }
  if (!isIsoTime(row.timestamp)) problems.push("row.timestamp (an ISO time)");
  if (typeof row.model !== "string") problems.push("row.model (a string)");
  if (typeof row.scale !== "number") problems.push("row.scale (a number)");
  if (typeof row.passed !== "boolean") problems.push("row.passed (true or false)");
  if (!row.verdict || typeof row.verdict !== "object") problems.push("row.verdict (an object)");
  if (problems.length > 0) {
    throw new MalformedError(`validation record with bad field(s): ${problems.join("; ")}`);
  }
  return row as ValidationRow;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...(await jsonFiles(path)));
    else if (e.isFile && e.name.endsWith(".json")) out.push(path);
  }
  return out;
}

/** Why `folder` cannot be ingested ("no such folder", "a file, not a folder"), or null. */
async function folderProblem(folder: string): Promise<string | null> {
  if (folder.trim() === "") return `FOLDER: got ${JSON.stringify(folder)}, expected a folder path`;
  const info = await Deno.stat(folder).catch(() => null);
  if (info === null) return `${folder}: no such folder`;
  if (!info.isDirectory) return `${folder} is a file, not a folder (pass the folder it is in)`;
  return null;
}

/** Same content, ignoring key order. */
function sameContent(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object"
      ? Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      )
      : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Ingests every result and validation record under `folder` into `history`.
 *
 * @param folder a folder of result files (searched recursively)
 * @param history the history to add to
 */
export async function ingestFolder(folder: string, history: History): Promise<IngestSummary> {
  const problem = await folderProblem(folder);
  if (problem !== null) throw new Deno.errors.NotFound(problem);
  const files = await jsonFiles(folder.replace(/\/+$/, "") || "/");
  const storedRuns = new Map(history.runs().map((r) => [r.id, r]));
  const storedValidations = new Map(history.validations().map((v) => [v.id, v]));
  const summary: IngestSummary = {
    files: files.length,
    runsAdded: 0,
    validationsAdded: 0,
    duplicates: [],
    conflicts: [],
    malformed: [],
  };
  for (const file of files) {
    try {
      let value: unknown;
      try {
        value = JSON.parse(await Deno.readTextFile(file));
      } catch (error) {
        throw new MalformedError(`not valid JSON (${(error as Error).message})`);
      }
      if ((value as { kind?: unknown } | null)?.kind === VALIDATION_RECORD_KIND) {
        const row = checkValidationRecord(value);
        const stored = storedValidations.get(row.id);
        if (stored) {
          if (sameContent(stored, row)) summary.duplicates.push(file);
          else {summary.conflicts.push({
              file,
              reason: `validation ${row.id} is stored with different content; kept the stored one`,
            });}
          continue;
        }
        if (history.addValidation(row)) summary.validationsAdded++;
        storedValidations.set(row.id, row);
        continue;
      }
      const run = checkBenchResult(value);
      const stored = storedRuns.get(run.id);
      if (stored) {
        if (sameContent(stored, run)) summary.duplicates.push(file);
        else {summary.conflicts.push({
            file,
            reason: `run ${run.id} is stored with different content; kept the stored one`,
          });}
        continue;
      }
      if (history.addRun(run)) summary.runsAdded++;
      storedRuns.set(run.id, run);
    } catch (error) {
      if (!(error instanceof MalformedError)) throw error;
      summary.malformed.push({ file, reason: error.message });
    }
  }
  return summary;
}

const USAGE = `Usage: deno task ingest FOLDER [--history results/history.sqlite] [--json]

Merges result files (<id>.json) and validation records (<run id>.validation.json) found
under FOLDER (recursively) into the history. Already stored ids are skipped, so ingesting
twice adds nothing; malformed files are reported by name and the rest still ingested.

Exit status: 0 all ingested or already present, 1 some file malformed or conflicting,
2 bad input.`;

/**
 * Runs the CLI; returns the exit status.
 *
 * @param args command-line arguments (without the program name)
 */
export async function ingestMain(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs({
      args,
      allowPositionals: true,
      options: {
        history: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`error: expected one FOLDER, got ${parsed.positionals.length} (see --help)`);
    return 2;
  }
  const folder = parsed.positionals[0];
  const historyPath = parsed.values.history ?? "results/history.sqlite";
  const problem = await folderProblem(folder);
  if (problem !== null) {
    console.error(`error: ${problem}`);
    return 2;
  }
  let history: History;
  try {
    if (historyPath.trim() === "") throw new UsageError(`--history: got "", expected a file path`);
    const slash = historyPath.lastIndexOf("/");
    if (slash > 0) {
      const dir = historyPath.slice(0, slash);
      await Deno.mkdir(dir, { recursive: true }).catch((e) => {
        throw new UsageError(
          `--history: cannot create the folder ${dir} (${(e as Error).message})`,
        );
      });
    }
    history = new History(historyPath);
  } catch (error) {
    if (error instanceof UsageError || error instanceof HistoryError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let summary: IngestSummary;
  try {
    summary = await ingestFolder(folder, history);
  } finally {
    history.close();
  }
  for (const m of summary.malformed) console.error(`malformed: ${m.file}: ${m.reason}`);
  for (const c of summary.conflicts) console.error(`conflict: ${c.file}: ${c.reason}`);
  if (summary.files === 0) {
    // Exit 0 (nothing is wrong), but not a line that reads like a success.
    console.log(
      `nothing found: no result files (*.json) under ${folder} (subfolders included); ` +
        `nothing was added to ${historyPath}`,
    );
    if (parsed.values.json) console.log(JSON.stringify(summary));
    return 0;
  }
  const line = `${summary.files} file(s) in ${folder}: ${summary.runsAdded} run(s) and ` +
    `${summary.validationsAdded} validation(s) added, ${summary.duplicates.length} already ` +
    `in ${historyPath}, ${summary.malformed.length} malformed, ${summary.conflicts.length} ` +
    "conflicting";
  console.log(line);
  if (parsed.values.json) console.log(JSON.stringify(summary));
  return summary.malformed.length + summary.conflicts.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await ingestMain(Deno.args));
}

/**
 * Where results live: one JSON file per run written atomically (temp file + rename), and an
 * SQLite history (`node:sqlite`) that reports and the regression check read. A run that dies
 * part-way leaves earlier files and the history as they were.
 */
import { DatabaseSync } from "node:sqlite";
import type { BenchResult } from "./result_record.ts";

/**
 * Writes `data` to `path` atomically: a crash leaves either the old file or the new one. When
 * the write or the rename fails (e.g. `path` is a folder, the disk is full) the temporary file
 * is removed and the error rethrown; `path` is left as it was.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${crypto.getRandomValues(new Uint32Array(1))[0].toString(16)}.tmp`;
  const file = await Deno.open(tmp, { write: true, createNew: true });
  try {
    try {
      const bytes = new TextEncoder().encode(data);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** Writes `result` to `<dir>/<id>.json` atomically and returns the path. */
export async function writeResult(dir: string, result: BenchResult): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${result.id}.json`;
  await writeFileAtomic(path, JSON.stringify(result, null, 2) + "\n");
  return path;
}

/** A stored validation verdict (written by `deno task validate`). */
export interface ValidationRow {
  id: string;
  run_id: string | null;
  timestamp: string;
  model: string;
  scale: number;
  passed: boolean;
  verdict: unknown;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  timestamp TEXT NOT NULL,
  model TEXT NOT NULL,
  scale REAL,
  k_scale REAL,
  drive TEXT,
  backend TEXT,
  adapter TEXT,
  seed INTEGER,
  record INTEGER,
  t_sim_ms REAL,
  construction_s REAL,
  rtf REAL,
  spikes INTEGER,
  synaptic_events REAL,
  spike_digest TEXT,
  git_commit TEXT,
  result_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_config ON runs (model, scale, drive, backend, adapter, timestamp);
CREATE TABLE IF NOT EXISTS validations (
  id TEXT PRIMARY KEY,
  run_id TEXT,
  timestamp TEXT NOT NULL,
  model TEXT NOT NULL,
  scale REAL,
  passed INTEGER NOT NULL,
  verdict_json TEXT NOT NULL
);
`;

/**
 * A history file that cannot be used: not an SQLite database, another program's database, a
 * folder, or a path that cannot be opened. The message starts with the path and says why; the
 * CLIs treat it as bad input (exit code 2). The file is left untouched.
 */
export class HistoryError extends Error {
  /** The history file. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = "HistoryError";
    this.path = path;
  }
}

/** SQLite's words for "this file is not (an intact) database". */
const NOT_A_DATABASE = /file is not a database|malformed|corrupt|encrypted/i;

/** The SQLite results history. */
export class History {
  readonly path: string;
  #db: DatabaseSync;

  /**
   * Opens (creating if needed) the history at `path`. Throws a {@linkcode HistoryError}
   * naming the file when it is a folder, not an SQLite database, or an SQLite database of
   * something else; such a file is neither modified nor overwritten.
   */
  constructor(path: string) {
    this.path = path;
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.statSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new HistoryError(
          path,
          `${path}: cannot open the history (${(error as Error).message})`,
        );
      }
    }
    if (info && !info.isFile) {
      throw new HistoryError(path, `${path} is a folder, not a spikebench history file`);
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (error) {
      throw new HistoryError(
        path,
        `${path}: cannot open the history (SQLite says: ${(error as Error).message})`,
      );
    }
    try {
      // Wait for a concurrent writer (parallel runs, nightly cells) rather than failing.
      db.exec("PRAGMA busy_timeout = 10000");
      // Read before anything is written: a file that is not a database, or a database of
      // something else, fails here and stays as it was.
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all() as { name: string }[]).map((r) => String(r.name));
      if (tables.length > 0 && !tables.includes("runs")) {
        throw new HistoryError(
          path,
          `${path}: not a spikebench history (an SQLite database without a runs table; ` +
            `its tables: ${tables.slice(0, 5).join(", ")})`,
        );
      }
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      if (error instanceof HistoryError) throw error;
      const message = (error as Error).message;
      throw new HistoryError(
        path,
        NOT_A_DATABASE.test(message)
          ? `${path}: not a spikebench history (SQLite says: ${message})`
          : `${path}: cannot open the history (SQLite says: ${message})`,
      );
    }
    this.#db = db;
  }

  /**
   * Checks up front that the history at `path` can be used, without creating it: does
   * nothing when there is no file yet, else opens and closes it. Throws a
   * {@linkcode HistoryError} like the constructor.
   */
  static check(path: string): void {
    try {
      Deno.statSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
    }
    new History(path).close();
  }

  /** Adds a run in one transaction; returns false if a run with this id is already stored. */
  addRun(result: BenchResult): boolean {
    return this.#transaction(() => {
      const info = this.#db.prepare(
        `INSERT OR IGNORE INTO runs (id, timestamp, model, scale, k_scale, drive, backend, adapter,
          seed, record, t_sim_ms, construction_s, rtf, spikes, synaptic_events, spike_digest,
          git_commit, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        result.id,
        result.timestamp,
        result.model,
        result.scale,
        result.k_scale,
        result.drive,
        result.backend,
        result.adapter.description,
        result.seed,
        result.record ? 1 : 0,
        result.t_sim_ms,
        result.construction_s,
        result.rtf,
        result.spikes,
        result.synaptic_events,
        result.spike_digest,
        result.commit,
        JSON.stringify(result),
      );
      return Number(info.changes) > 0;
    });
  }

  /** Adds a validation verdict in one transaction; false if its id is already stored. */
  addValidation(row: ValidationRow): boolean {
    return this.#transaction(() => {
      const info = this.#db.prepare(
        `INSERT OR IGNORE INTO validations (id, run_id, timestamp, model, scale, passed, verdict_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.id,
        row.run_id,
        row.timestamp,
        row.model,
        row.scale,
        row.passed ? 1 : 0,
        JSON.stringify(row.verdict),
      );
      return Number(info.changes) > 0;
    });
  }

  /** All runs, oldest first (optionally only those at or after `since`, an ISO time). */
  runs(options: { since?: string; model?: string } = {}): BenchResult[] {
    const rows = this.#db.prepare(
      `SELECT result_json FROM runs WHERE timestamp >= ? AND (? IS NULL OR model = ?)
       ORDER BY timestamp, id`,
    ).all(options.since ?? "", options.model ?? null, options.model ?? null);
    return rows.map((r) => JSON.parse(String((r as { result_json: string }).result_json)));
  }

  /** All validation verdicts, oldest first. */
  validations(options: { since?: string } = {}): ValidationRow[] {
    const rows = this.#db.prepare(
      `SELECT id, run_id, timestamp, model, scale, passed, verdict_json FROM validations
       WHERE timestamp >= ? ORDER BY timestamp, id`,
    ).all(options.since ?? "") as Record<string, unknown>[];
    return rows.map((r) => ({
      id: String(r.id),
      run_id: r.run_id === null ? null : String(r.run_id),
      timestamp: String(r.timestamp),
      model: String(r.model),
      scale: Number(r.scale),
      passed: Number(r.passed) === 1,
      verdict: JSON.parse(String(r.verdict_json)),
    }));
  }

  close(): void {
    this.#db.close();
  }

  #transaction<T>(fn: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const value = fn();
      this.#db.exec("COMMIT");
      return value;
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }
}

/** Appends `result` to the history in `<dir>/history.sqlite` (opened and closed here). */
export function appendToHistory(dir: string, result: BenchResult): string {
  const path = `${dir}/history.sqlite`;
  const history = new History(path);
  try {
    history.addRun(result);
  } finally {
    history.close();
  }
  return path;
}

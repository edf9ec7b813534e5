/**
 * Where results live: one JSON file per run written atomically (temp file + rename), and an
 * SQLite history (`node:sqlite`) that reports and the regression check read. A run that dies
 * part-way leaves earlier files and the history as they were.
 */
import { DatabaseSync } from "node:sqlite";
import type { BenchResult } from "./result_record.ts";

/** Writes `data` to `path` atomically: a crash leaves either the old file or the new one. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${crypto.getRandomValues(new Uint32Array(1))[0].toString(16)}.tmp`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await file.write(new TextEncoder().encode(data));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
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

/** The SQLite results history. */
export class History {
  readonly path: string;
  #db: DatabaseSync;

  /** Opens (creating if needed) the history at `path`. */
  constructor(path: string) {
    this.path = path;
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    this.#db.exec(SCHEMA);
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

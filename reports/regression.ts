/**
 * The noise-aware regression rule (stated in reports/README.md): per configuration, the newest
 * session of runs is compared with the runs just before it, using medians and a robust spread,
 * so that run-to-run noise is not called a regression. Pure: no I/O. Used by
 * `deno task regress`, `deno task nightly` and the HTML report.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";

/** Metrics the rule judges; lower is better for both. */
export const JUDGED_METRICS = ["rtf", "construction_s"] as const;

/** A judged metric. */
export type MetricName = (typeof JUDGED_METRICS)[number];

/** Human-readable metric names with units. */
export const METRIC_LABELS: Record<MetricName, string> = {
  rtf: "real-time factor",
  construction_s: "construction time (s)",
};

/** Constants of the rule; every field has the default given in reports/README.md. */
export interface RegressionOptions {
  /** Baseline size: this many runs just before the candidate session (default 15). */
  baselineRuns?: number;
  /** Fewer baseline runs than this: "no baseline" (default 6). */
  minBaselineRuns?: number;
  /** A change beyond the noise with fewer candidate runs is only "unconfirmed" (default 2). */
  minCandidateRuns?: number;
  /** Threshold in robust standard deviations of the baseline (default 3). */
  spreadFactor?: number;
  /** Smallest change called a regression, relative to the baseline median (default 0.05). */
  minRelativeChange?: number;
  /** Runs of one commit more than this many minutes apart start a new session (default 60). */
  sessionGapMinutes?: number;
}

/** {@linkcode RegressionOptions} with defaults filled in. */
export type ResolvedRegressionOptions = Required<RegressionOptions>;

/** Status of one metric of one session. */
export type MetricStatus =
  | "regression"
  | "unconfirmed"
  | "improvement"
  | "within noise"
  | "no baseline";

/** The judgement of one metric. */
export interface MetricVerdict {
  /** Which metric. */
  metric: MetricName;
  /** Candidate values, oldest first. */
  candidateValues: number[];
  /** Median of the candidate values (m_C). */
  candidateMedian: number;
  /** Median of the baseline (m_B); null without a baseline. */
  baselineMedian: number | null;
  /** 1.4826 × median absolute deviation of the baseline (σ_B); null without a baseline. */
  baselineSpread: number | null;
  /** max(spreadFactor · σ_B, minRelativeChange · m_B); null without a baseline. */
  threshold: number | null;
  /** (m_C − m_B) / m_B; null without a baseline. */
  relativeChange: number | null;
  /** The outcome. */
  status: MetricStatus;
  /** One line saying why. */
  message: string;
}

/** The judgement of one configuration's newest session (or of any session, for trends). */
export interface SessionVerdict {
  /** Configuration key (see {@linkcode configurationKey}). */
  key: string;
  /** Configuration in words. */
  label: string;
  /** Commit of the session. */
  commit: string;
  /** Ids of the session's runs, oldest first. */
  candidateRunIds: string[];
  /** Ids of the baseline runs, oldest first. */
  baselineRunIds: string[];
  /** Timestamp of the session's newest run. */
  timestamp: string;
  /** One per judged metric. */
  metrics: MetricVerdict[];
  /** Some metric is a confirmed regression. */
  regressed: boolean;
}

/** The newest validation verdict of one configuration (or of one set of spike files). */
export interface ValidationCheck {
  /**
   * Configuration key of the validated run, "model scale" when the run is unknown, or
   * "spike files model scale: names" for a verdict on spike files.
   */
  key: string;
  /** Configuration in words. */
  label: string;
  /** The validation row's id. */
  validationId: string;
  /** The validated runs (a row's run_id may list an ensemble, comma-separated). */
  runIds: string[];
  /** When it was validated. */
  timestamp: string;
  /** The verdict passed. */
  passed: boolean;
  /** The verdict's failure lines (empty when it passed). */
  failures: string[];
  /**
   * The spike files judged (base names) when this is a verdict on external recordings
   * (`deno task validate --spikes`), not on runs of our engine; null for a verdict on runs.
   */
  spikeFiles: string[] | null;
}

/** Everything `deno task regress` decides. */
export interface RegressionReport {
  /** The rule's constants. */
  options: ResolvedRegressionOptions;
  /** One per configuration judged (newest session each). */
  sessions: SessionVerdict[];
  /** Newest validation per configuration of our engine's runs: these count. */
  validations: ValidationCheck[];
  /**
   * Newest verdict per set of spike files (`deno task validate --spikes`: recordings from
   * NEST or elsewhere, not engine runs). Listed for information; they never fail the rule.
   */
  spikeFileValidations: ValidationCheck[];
  /** Confirmed performance regressions. */
  regressions: number;
  /** Failed newest validations (of engine runs). */
  validationFailures: number;
  /** No regression and no validation failure. */
  pass: boolean;
  /** Only configurations with a run (and verdicts) at or after this ISO time; null for all. */
  since: string | null;
}

const DEFAULTS: ResolvedRegressionOptions = {
  baselineRuns: 15,
  minBaselineRuns: 6,
  minCandidateRuns: 2,
  spreadFactor: 3,
  minRelativeChange: 0.05,
  sessionGapMinutes: 60,
};

/**
 * Checks the options and fills in defaults; throws a RangeError naming a bad one.
 *
 * @param options partial options
 */
export function resolveRegressionOptions(
  options: RegressionOptions = {},
): ResolvedRegressionOptions {
  const out = { ...DEFAULTS };
  const integer = ["baselineRuns", "minBaselineRuns", "minCandidateRuns"] as const;
  for (const name of integer) {
    const v = options[name];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${name} is ${v}; it must be an integer ≥ 1`);
    }
    out[name] = v;
  }
  const positive = ["spreadFactor", "minRelativeChange", "sessionGapMinutes"] as const;
  for (const name of positive) {
    const v = options[name];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`${name} is ${v}; it must be a finite number ≥ 0`);
    }
    out[name] = v;
  }
  if (out.minBaselineRuns > out.baselineRuns) {
    throw new RangeError(
      `minBaselineRuns (${out.minBaselineRuns}) must not exceed baselineRuns ` +
        `(${out.baselineRuns})`,
    );
  }
  return out;
}

/**
 * The key of runs that may be compared: same model, scale, K scale, drive, backend,
 * recording, simulated time and adapter.
 *
 * @param run a result
 */
export function configurationKey(run: BenchResult): string {
  return JSON.stringify([
    run.model,
    run.scale,
    run.k_scale,
    run.drive,
    run.backend,
    run.record,
    run.t_sim_ms,
    run.adapter?.description ?? "",
  ]);
}

/**
 * The configuration of `run` in words, e.g.
 * "microcircuit · scale 0.02 · poisson · 200 ms · webgpu on llvmpipe (…)".
 *
 * @param run a result
 */
export function configurationLabel(run: BenchResult): string {
  const parts = [run.model, `scale ${run.scale}`];
  if (run.k_scale !== run.scale) parts.push(`K ${run.k_scale}`);
  parts.push(run.drive, `${run.t_sim_ms} ms`);
  if (!run.record) parts.push("no recording");
  parts.push(`${run.backend} on ${run.adapter?.description || "unknown adapter"}`);
  return parts.join(" · ");
}

/** Median of a non-empty array. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty array");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
}

/** 1.4826 × the median absolute deviation: σ for normal data, robust to outliers. */
export function madSpread(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/**
 * The baseline spread σ_B: the standard deviation (ddof 1) of the values within 4 MAD-σ of
 * the median (gross outliers such as a run hit by a background job are left out; the rest
 * keep the full efficiency of the standard deviation, which the MAD alone lacks with ~10
 * values). 0 for fewer than two values.
 */
export function robustSpread(values: readonly number[]): number {
  const m = median(values);
  const mad = madSpread(values);
  const kept = values.filter((v) => Math.abs(v - m) <= 4 * mad);
  if (kept.length < 2) return 0;
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  return Math.sqrt(kept.reduce((a, v) => a + (v - mean) ** 2, 0) / (kept.length - 1));
}

/**
 * Groups runs (already of one configuration) into sessions: consecutive runs, in time order,
 * with the same commit and at most `sessionGapMinutes` between neighbours.
 *
 * @param runs runs of one configuration, any order
 * @param options the session gap
 */
export function splitSessions(
  runs: readonly BenchResult[],
  options: RegressionOptions = {},
): BenchResult[][] {
  const { sessionGapMinutes } = resolveRegressionOptions(options);
  const sorted = [...runs].sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : 1
  );
  const sessions: BenchResult[][] = [];
  for (const run of sorted) {
    const current = sessions.at(-1);
    const last = current?.at(-1);
    const gapMinutes = last
      ? (Date.parse(run.timestamp) - Date.parse(last.timestamp)) / 60_000
      : Infinity;
    if (current && last && last.commit === run.commit && gapMinutes <= sessionGapMinutes) {
      current.push(run);
    } else {
      sessions.push([run]);
    }
  }
  return sessions;
}

function judgeMetric(
  metric: MetricName,
  candidate: readonly BenchResult[],
  baseline: readonly BenchResult[],
  options: ResolvedRegressionOptions,
): MetricVerdict {
  const candidateValues = candidate.map((r) => r[metric]);
  const candidateMedian = median(candidateValues);
  const name = METRIC_LABELS[metric];
  if (baseline.length < options.minBaselineRuns) {
    return {
      metric,
      candidateValues,
      candidateMedian,
      baselineMedian: null,
      baselineSpread: null,
      threshold: null,
      relativeChange: null,
      status: "no baseline",
      message: `${name}: ${fmt(candidateMedian)}; no baseline yet (${baseline.length} earlier ` +
        `run(s), ${options.minBaselineRuns} needed)`,
    };
  }
  const values = baseline.map((r) => r[metric]);
  const m = median(values);
  const spread = robustSpread(values);
  const threshold = Math.max(options.spreadFactor * spread, options.minRelativeChange * m);
  const change = candidateMedian - m;
  const relativeChange = m !== 0 ? change / m : null;
  const pct = relativeChange === null ? "" : ` (${signedPercent(relativeChange)})`;
  const against = `median ${fmt(candidateMedian)} of ${candidate.length} run(s) vs baseline ` +
    `${fmt(m)} ± ${fmt(threshold)} (${baseline.length} runs)`;
  let status: MetricStatus = "within noise";
  if (change > threshold) {
    status = candidate.length >= options.minCandidateRuns ? "regression" : "unconfirmed";
  } else if (-change > threshold) {
    status = "improvement";
  }
  const what = status === "regression"
    ? `REGRESSION${pct}`
    : status === "unconfirmed"
    ? `slower beyond the noise${pct} but only ${candidate.length} run(s); repeat to confirm`
    : status === "improvement"
    ? `faster beyond the noise${pct}`
    : `within noise${pct}`;
  return {
    metric,
    candidateValues,
    candidateMedian,
    baselineMedian: m,
    baselineSpread: spread,
    threshold,
    relativeChange,
    status,
    message: `${name}: ${what}: ${against}`,
  };
}

/**
 * Judges one session against the `baselineRuns` runs just before it.
 *
 * @param session the candidate runs (one configuration, one session)
 * @param earlier runs of the same configuration before the session, oldest first
 * @param options the rule's constants
 */
export function judgeSession(
  session: readonly BenchResult[],
  earlier: readonly BenchResult[],
  options: RegressionOptions = {},
): SessionVerdict {
  if (session.length === 0) throw new RangeError("a session needs at least one run");
  const opts = resolveRegressionOptions(options);
  const baseline = earlier.slice(Math.max(0, earlier.length - opts.baselineRuns));
  const metrics = JUDGED_METRICS.map((m) => judgeMetric(m, session, baseline, opts));
  const newest = session[session.length - 1];
  return {
    key: configurationKey(newest),
    label: configurationLabel(newest),
    commit: newest.commit,
    candidateRunIds: session.map((r) => r.id),
    baselineRunIds: baseline.map((r) => r.id),
    timestamp: newest.timestamp,
    metrics,
    regressed: metrics.some((m) => m.status === "regression"),
  };
}

/**
 * Judges every session of one configuration against the runs before it (for trend charts).
 *
 * @param runs runs of one configuration, any order
 * @param options the rule's constants
 */
export function judgeAllSessions(
  runs: readonly BenchResult[],
  options: RegressionOptions = {},
): SessionVerdict[] {
  const sessions = splitSessions(runs, options);
  const verdicts: SessionVerdict[] = [];
  const earlier: BenchResult[] = [];
  for (const session of sessions) {
    verdicts.push(judgeSession(session, earlier, options));
    earlier.push(...session);
  }
  return verdicts;
}

/** Groups runs by {@linkcode configurationKey}, keeping first-seen order. */
export function groupByConfiguration(runs: readonly BenchResult[]): Map<string, BenchResult[]> {
  const groups = new Map<string, BenchResult[]>();
  for (const run of runs) {
    const key = configurationKey(run);
    const list = groups.get(key);
    if (list) list.push(run);
    else groups.set(key, [run]);
  }
  return groups;
}

/**
 * The runs a validation row judged: its run_id, which may list an ensemble of runs separated
 * by commas (as `deno task validate` stores them); empty when null.
 *
 * @param row a validation row
 */
export function validatedRunIds(row: ValidationRow): string[] {
  return (row.run_id ?? "").split(",").map((id) => id.trim()).filter((id) => id !== "");
}

/** The spike files a `--spikes` verdict judged (base names), [] when it names none. */
export function verdictInputs(verdict: unknown): string[] {
  const inputs = rawInputs(verdict);
  return inputs ? inputs.map((p) => String(p).split("/").at(-1) ?? "") : [];
}

/** The verdict's `inputs` array as stored, or null when it has none. */
function rawInputs(verdict: unknown): unknown[] | null {
  const inputs = (verdict as { inputs?: unknown } | null)?.inputs;
  return Array.isArray(inputs) ? inputs : null;
}

/**
 * Whether `row` is a verdict on external spike files (`deno task validate --spikes`: no run
 * id, the files in the verdict's `inputs`) rather than on runs of our engine. Such a verdict
 * says nothing about the engine, so the regression rule lists it and does not judge it.
 *
 * @param row a validation row
 */
export function isSpikeFileVerdict(row: ValidationRow): boolean {
  return validatedRunIds(row).length === 0 && rawInputs(row.verdict) !== null;
}

function verdictFailures(verdict: unknown): string[] {
  const failures = (verdict as { failures?: unknown } | null)?.failures;
  return Array.isArray(failures) ? failures.map(String) : [];
}

/**
 * The newest validation of each configuration (by the validated run's configuration, or by
 * model and scale when the run is not in the history), and the newest verdict on each set of
 * spike files (model, scale and file names; `spikeFiles` is set on those).
 *
 * @param runs the runs the validations may refer to
 * @param validations validation rows, any order
 */
export function newestValidations(
  runs: readonly BenchResult[],
  validations: readonly ValidationRow[],
): ValidationCheck[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const newest = new Map<string, ValidationCheck>();
  for (const row of validations) {
    const ids = validatedRunIds(row);
    const run = ids.map((id) => byId.get(id)).find((r) => r !== undefined);
    // A verdict on spike files (validate --spikes) is not about any engine configuration.
    const spikeFiles = isSpikeFileVerdict(row) ? verdictInputs(row.verdict) : null;
    const files = spikeFiles ? ` · spike files ${spikeFiles.join(", ") || "(none named)"}` : "";
    const key = run
      ? configurationKey(run)
      : spikeFiles
      ? `spike files ${row.model} scale ${row.scale}: ${spikeFiles.join(", ")}`
      : `${row.model} scale ${row.scale}`;
    const check: ValidationCheck = {
      key,
      label: run ? configurationLabel(run) : `${row.model} · scale ${row.scale}${files}`,
      validationId: row.id,
      runIds: ids,
      timestamp: row.timestamp,
      passed: row.passed,
      failures: row.passed ? [] : verdictFailures(row.verdict),
      spikeFiles,
    };
    const seen = newest.get(key);
    if (!seen || seen.timestamp < check.timestamp) newest.set(key, check);
  }
  return [...newest.values()];
}

/**
 * Applies the rule to a history: the newest session of every configuration (only those with a
 * run at or after `since`, when given) and the newest validation of every configuration of
 * engine runs. Verdicts on spike files (`validate --spikes`) are returned apart, in
 * `spikeFileValidations`, and do not count: they judge recordings, not our engine.
 *
 * @param runs every run (any order)
 * @param validations every validation row
 * @param options the rule's constants and `since` (ISO time)
 */
export function judgeHistory(
  runs: readonly BenchResult[],
  validations: readonly ValidationRow[],
  options: RegressionOptions & { since?: string } = {},
): RegressionReport {
  const opts = resolveRegressionOptions(options);
  const since = options.since ?? "";
  const sessions: SessionVerdict[] = [];
  for (const group of groupByConfiguration(runs).values()) {
    const all = splitSessions(group, opts);
    const session = all[all.length - 1];
    if (session[session.length - 1].timestamp < since) continue;
    sessions.push(judgeSession(session, all.slice(0, -1).flat(), opts));
  }
  const newest = newestValidations(runs, validations).filter((v) => v.timestamp >= since);
  const checks = newest.filter((v) => v.spikeFiles === null);
  const regressions = sessions.filter((s) => s.regressed).length;
  const validationFailures = checks.filter((v) => !v.passed).length;
  return {
    options: opts,
    sessions,
    validations: checks,
    spikeFileValidations: newest.filter((v) => v.spikeFiles !== null),
    regressions,
    validationFailures,
    pass: regressions === 0 && validationFailures === 0,
    since: options.since ?? null,
  };
}

/** Whether a session was compared at all: some metric of it has a baseline. */
export function hasBaseline(session: SessionVerdict): boolean {
  return session.metrics.some((m) => m.baselineMedian !== null);
}

/**
 * Renders a regression report for a terminal: one block per configuration, the validations,
 * and a last line starting with PASS or FAIL.
 *
 * @param report the report
 */
export function formatRegressionReport(report: RegressionReport): string {
  const lines: string[] = [];
  const o = report.options;
  lines.push(
    `rule: newest session (same commit, ≤ ${o.sessionGapMinutes} min apart) vs the ` +
      `${o.baselineRuns} runs before it; regression when median − baseline median > ` +
      `max(${o.spreadFactor} σ (robust SD of the baseline), ${o.minRelativeChange * 100} % of ` +
      "the median), " +
      `with ≥ ${o.minCandidateRuns} runs`,
    "",
  );
  const since = report.since ? ` at or after ${report.since}` : "";
  if (report.sessions.length === 0) lines.push(`no runs to judge${since}`);
  /** A session is compared only once its configuration has a baseline. */
  for (const s of report.sessions) {
    const status = s.regressed ? "REGRESSED" : hasBaseline(s) ? "ok       " : "no base  ";
    lines.push(`${status} ${s.label}  (commit ${s.commit})`);
    for (const m of s.metrics) lines.push(`            ${m.message}`);
  }
  if (report.validations.length > 0) lines.push("");
  for (const v of report.validations) {
    lines.push(
      `${v.passed ? "valid    " : "INVALID  "} ${v.label}  (validation ${v.validationId})`,
    );
    for (const f of v.failures.slice(0, 5)) lines.push(`            ${f}`);
    if (v.failures.length > 5) lines.push(`            … and ${v.failures.length - 5} more`);
  }
  const files = report.spikeFileValidations;
  if (files.length > 0) {
    lines.push("", "verdicts on spike files (not engine runs; listed, not judged):");
    for (const v of files) {
      lines.push(
        `${v.passed ? "pass     " : "FAIL     "} ${v.label}  (validation ${v.validationId})`,
      );
    }
  }
  const listed = files.length > 0
    ? `; ${files.length} verdict(s) on spike files listed, not judged`
    : "";
  lines.push("");
  if (report.pass && report.sessions.length === 0 && report.validations.length === 0) {
    lines.push(
      `PASS: nothing judged: no run and no validation of an engine run${
        since || " in the history"
      }${listed}`,
    );
  } else if (report.pass) {
    const judged = report.sessions.filter(hasBaseline).length;
    const waiting = report.sessions.length - judged;
    lines.push(
      `PASS: no performance regression beyond the noise in ${judged} configuration(s) with a ` +
        `baseline${
          waiting ? `; ${waiting} configuration(s) not compared (no baseline yet)` : ""
        }; ${report.validations.length} validation(s) passed${listed}`,
    );
  } else {
    const parts = [];
    if (report.regressions > 0) {
      parts.push(`${report.regressions} performance regression(s) beyond the noise`);
    }
    if (report.validationFailures > 0) {
      parts.push(`${report.validationFailures} failed validation(s)`);
    }
    lines.push(`FAIL: ${parts.join(" and ")}${listed}`);
  }
  return lines.join("\n");
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(4);
}

function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
}

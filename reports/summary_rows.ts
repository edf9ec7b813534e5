/**
 * The report's summary: the latest run per configuration (model, scale, K scale, drive, backend,
 * recording, simulated time, adapter: the regression rule's key), with the medians of its session, the rule's verdict against the baseline, and its validation status.
 *
 * @module
 */

import type { BenchResult, PhaseTimes } from "../benchmarks/result_record.ts";
import type { ReportModel } from "./report_model.ts";
import {
  configurationKey,
  configurationLabel,
  median,
  type SessionVerdict,
  type ValidationCheck,
} from "./regression.ts";

/** The validation state of a summary row. */
export interface ValidationBadge {
  /** "pass", "fail" or "none". */
  status: "pass" | "fail" | "none";
  /** Text of the badge. */
  text: string;
  /** Tooltip / explanation. */
  detail: string;
}

/** One row of the summary table (and one bar of the performance charts). */
export interface SummaryRow {
  /** Configuration in words. */
  label: string;
  /** The newest run. */
  latest: BenchResult;
  /** Runs of its session, oldest first. */
  sessionRuns: BenchResult[];
  /** The rule's verdict on the session. */
  session: SessionVerdict;
  /** Median RTF of the session. */
  rtf: number;
  /** Median construction time (s) of the session. */
  construction: number;
  /** Median of each phase (s) over the session. */
  phases: PhaseTimes;
  /** Median synaptic events per wall-clock second. */
  eventsPerSecond: number;
  /** Validation state. */
  validation: ValidationBadge;
}

/** Whether NEST reference data exist for the run's configuration (validation/reference). */
export function hasReference(run: BenchResult): boolean {
  return run.model === "microcircuit" && run.drive === "poisson" && run.k_scale === run.scale &&
    (run.scale === 0.1 || run.scale === 1);
}

function badge(run: BenchResult, checks: ValidationCheck[]): ValidationBadge {
  const key = configurationKey(run);
  const check = checks.find((c) => c.runIds.includes(run.id)) ?? checks.find((c) => c.key === key);
  if (check) {
    return check.passed
      ? { status: "pass", text: "pass", detail: `validation ${check.validationId}` }
      : {
        status: "fail",
        text: "FAIL",
        detail: `${check.failures.length} failed check(s); first: ${check.failures[0] ?? "?"}`,
      };
  }
  return {
    status: "none",
    text: "not validated",
    detail: hasReference(run)
      ? "no validation stored for this configuration"
      : `no NEST reference for scale ${run.scale}${
        run.drive !== "poisson" ? `, ${run.drive} drive` : ""
      } ` +
        "(references: microcircuit, Poisson drive, scale 0.1 and 1)",
  };
}

/** Axis labels of several configurations: only the parts that differ, plus what they share. */
export interface AxisLabels {
  /** One short label per run, e.g. "scale 0.02 · poisson". */
  labels: string[];
  /** The parts common to all, e.g. "microcircuit · 500 ms · webgpu on llvmpipe (…)". */
  common: string;
}

/**
 * Short chart-axis labels for the configurations of `runs`: the scale always, the model,
 * drive, simulated time, recording and backend/adapter only where they differ.
 *
 * @param runs one run per configuration
 */
export function axisLabels(runs: BenchResult[]): AxisLabels {
  const parts: ((r: BenchResult) => string)[] = [
    (r) => r.model,
    (r) => `scale ${r.scale}${r.k_scale !== r.scale ? ` K ${r.k_scale}` : ""}`,
    (r) => r.drive,
    (r) => `${r.t_sim_ms} ms`,
    (r) => (r.record ? "spikes recorded" : "spikes not recorded"),
    (r) => `${r.backend} on ${r.adapter?.description ?? "?"}`,
  ];
  const varies = parts.map((f, i) => i === 1 || new Set(runs.map(f)).size > 1);
  const labels = runs.map((r) => parts.filter((_, i) => varies[i]).map((f) => f(r)).join(" · "));
  const common = runs.length === 0
    ? ""
    : parts.filter((_, i) => !varies[i]).map((f) => f(runs[0])).join(" · ");
  return { labels, common };
}

/**
 * The summary rows of a report model, in the order of first appearance.
 *
 * @param model the report model
 */
export function summaryRows(model: ReportModel): SummaryRow[] {
  const latest = new Map<string, BenchResult>();
  for (const run of model.runs) {
    latest.set(configurationKey(run), run);
  }
  const runById = new Map(model.runs.map((r) => [r.id, r]));
  const rows: SummaryRow[] = [];
  for (const run of latest.values()) {
    const trend = model.trends.find((t) => t.key === configurationKey(run));
    const session = trend?.sessions.find((s) => s.candidateRunIds.includes(run.id));
    if (!session) continue;
    const sessionRuns = session.candidateRunIds.map((id) => runById.get(id)).filter((
      r,
    ): r is BenchResult => r !== undefined);
    const med = (f: (r: BenchResult) => number) => median(sessionRuns.map(f));
    rows.push({
      label: configurationLabel(run),
      latest: run,
      sessionRuns,
      session,
      rtf: med((r) => r.rtf),
      construction: med((r) => r.construction_s),
      phases: {
        create: med((r) => r.phases.create),
        connect: med((r) => r.phases.connect),
        prepare: med((r) => r.phases.prepare),
        compile: med((r) => r.phases.compile),
        presimulate: med((r) => r.phases.presimulate),
        simulate: med((r) => r.phases.simulate),
      },
      eventsPerSecond: med((r) => r.synaptic_events_per_s),
      validation: badge(run, model.regression.validations),
    });
  }
  return rows;
}

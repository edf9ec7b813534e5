/**
 * The structural-plasticity (rewiring) part of the report: SDNR against the number of training
 * patterns T, the simulated points (mean over seeds, ± 1 std bars) over the mean-field theory
 * curve, with and without rewiring, the SDNR_thr line and the memory capacities, from the newest
 * stored `deno task validate --model rewiring` verdict; and the `deno task bench --model
 * rewiring` runs (one seed each) in a table, and in their own chart when no verdict is stored.
 * The section appears only when the history holds rewiring data.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";
import {
  DEFAULT_REWIRING_PARAMS,
  memoryCapacity,
  type RewiringParams,
  rewiringTheory,
  sdnrThreshold,
} from "../validation/rewiring_theory.ts";
import {
  isRewiringVerdict,
  type RewiringCapacityVerdict,
  type RewiringPointVerdict,
  type RewiringValidationVerdict,
} from "../validation/rewiring_verdict.ts";
import { axis, baseOptions, type ChartSpec } from "./chart_specs.ts";
import { escapeHtml as h, formatNumber, formatPercent, formatTime, shortCommit } from "./format.ts";

/** A stored rewiring verdict with the configuration `deno task validate` adds. */
export interface StoredRewiringVerdict extends RewiringValidationVerdict {
  /** Scan configuration (absent in verdicts stored by other tools). */
  config?: {
    backend?: string;
    adapter?: { description?: string; device?: string; isFallbackAdapter?: boolean };
    seeds?: number[];
    testPatterns?: number;
    params?: Record<string, unknown>;
    commit?: string;
  };
  /** Wall-clock times of the scan. */
  timing?: { total_s?: number; train_s?: number; test_s?: number; patterns_per_s?: number };
}

/** A `deno task bench --model rewiring` record (the fields the report reads). */
export interface RewiringBenchRecord extends BenchResult {
  training_patterns: number;
  test_patterns: number;
  rewiring_period: number;
  sdnr: number;
  sdnr_theory: number;
  train_s: number;
  test_s: number;
  patterns_per_s: number;
}

/** What the section shows. */
export interface RewiringReport {
  /** The newest rewiring verdict. */
  verdict: { row: ValidationRow; verdict: StoredRewiringVerdict } | null;
  /** Older rewiring verdicts (listed only), newest first. */
  older: ValidationRow[];
  /** Bench runs of the rewiring model, newest first. */
  benchRuns: RewiringBenchRecord[];
}

/** Whether `run` is a rewiring bench record with its test statistics. */
export function isRewiringRecord(run: BenchResult): run is RewiringBenchRecord {
  const r = run as Partial<RewiringBenchRecord>;
  return run.model === "rewiring" && typeof r.training_patterns === "number" &&
    typeof r.rewiring_period === "number" && typeof r.sdnr === "number";
}

/**
 * Gathers the rewiring verdicts and bench runs (oldest-first inputs); null when there are none.
 *
 * @param runs the runs shown
 * @param validations the validation rows shown
 */
export function collectRewiring(
  runs: readonly BenchResult[],
  validations: readonly ValidationRow[],
): RewiringReport | null {
  const rows = validations.filter((v) => v.model === "rewiring" && isRewiringVerdict(v.verdict));
  const benchRuns = runs.filter(isRewiringRecord).toReversed();
  if (rows.length === 0 && benchRuns.length === 0) return null;
  const last = rows[rows.length - 1];
  return {
    verdict: last ? { row: last, verdict: last.verdict as StoredRewiringVerdict } : null,
    older: rows.slice(0, -1).toReversed(),
    benchRuns,
  };
}

/** Colour of a rewiring period: with rewiring blue, without orange (Okabe–Ito). */
function periodColor(r: number, index: number): string {
  if (r === 0) return "#D55E00";
  return ["#0072B2", "#009E73", "#CC79A7", "#56B4E9"][index % 4];
}

const periodText = (r: number) => (r === 0 ? "no rewiring" : `r = ${r}`);

interface XY {
  x: number;
  y: number | null;
}

function thresholdDataset(threshold: number, xMax: number): Record<string, unknown> {
  return {
    label: `SDNR_thr = ${threshold.toFixed(3)} (P_c = 0.95)`,
    data: [{ x: 0, y: threshold }, { x: xMax, y: threshold }],
    showLine: true,
    borderColor: "#555",
    borderDash: [6, 4],
    borderWidth: 1.2,
    pointRadius: 0,
  };
}

function sdnrOptions(xMax: number): Record<string, unknown> {
  return baseOptions({
    scales: {
      x: axis("training patterns T", { type: "linear", min: 0, max: xMax }),
      y: axis("SDNR = |⟨S_c⟩ − ⟨S_b⟩| / σ_b", { beginAtZero: true }),
    },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
  });
}

/**
 * SDNR against T from a verdict: per r, the theory curve, the simulated means with ± 1 std
 * bars over seeds, the capacities on the SDNR_thr line; bench runs of the same network size as
 * small squares.
 *
 * @param verdict the stored verdict
 * @param benchRuns bench runs to overlay (filtered to the verdict's sizes here)
 */
export function rewiringVerdictChart(
  verdict: StoredRewiringVerdict,
  benchRuns: readonly RewiringBenchRecord[] = [],
): ChartSpec {
  const periods = verdict.capacities.map((c) => c.rewiringPeriod);
  const xMax = Math.max(
    ...verdict.theoryCurves.flatMap((c) => c.points.map((p) => p.trainingPatterns)),
    ...verdict.points.map((p) => p.trainingPatterns),
  );
  const datasets: Record<string, unknown>[] = [];
  const n = verdict.points[0]?.seeds.length ?? 0;
  periods.forEach((r, i) => {
    const color = periodColor(r, i);
    const curve = verdict.theoryCurves.find((c) => c.rewiringPeriod === r)?.points ?? [];
    const points = verdict.points.filter((p) => p.rewiringPeriod === r);
    datasets.push({
      label: `theory, ${periodText(r)}`,
      data: curve.map((p) => ({ x: p.trainingPatterns, y: p.sdnr })),
      showLine: true,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 0,
    });
    datasets.push({
      label: `simulation, ${periodText(r)} (mean of ${n} seed${n === 1 ? "" : "s"})`,
      data: points.map((p) => ({ x: p.trainingPatterns, y: p.sdnr.mean })),
      borderColor: color,
      backgroundColor: color,
      pointRadius: 5,
      pointHoverRadius: 7,
    });
    // Error bars as vertical segments separated by gaps.
    const bars: XY[] = points.flatMap((p) => [
      { x: p.trainingPatterns, y: p.sdnr.mean - p.sdnr.std },
      { x: p.trainingPatterns, y: p.sdnr.mean + p.sdnr.std },
      { x: p.trainingPatterns, y: null },
    ]);
    datasets.push({
      label: `± 1 std over seeds, ${periodText(r)}`,
      data: bars,
      showLine: true,
      spanGaps: false,
      borderColor: color,
      borderWidth: 2,
      pointRadius: 0,
    });
  });
  datasets.push(thresholdDataset(verdict.threshold, xMax));
  const capacityPoints = (pick: (c: RewiringCapacityVerdict) => number | null) =>
    verdict.capacities.filter((c) => pick(c) !== null).map((c) => ({
      x: pick(c)!,
      y: verdict.threshold,
    }));
  datasets.push({
    label: "capacity, theory (exact crossing)",
    data: capacityPoints((c) => c.theory),
    pointStyle: "crossRot",
    pointRadius: 9,
    borderWidth: 2,
    borderColor: "#000",
    backgroundColor: "#000",
  });
  const simulated = capacityPoints((c) => c.simulated);
  if (simulated.length > 0) {
    datasets.push({
      label: "capacity, simulation (interpolated)",
      data: simulated,
      pointStyle: "triangle",
      pointRadius: 8,
      borderColor: "#000",
      backgroundColor: "rgba(255, 255, 255, 0.8)",
      borderWidth: 1.5,
    });
  }
  const size = verdict.config?.params;
  const bench = benchRuns.filter((b) =>
    size === undefined ||
    (b.params.populationSize2 === size.populationSize2 && b.params.inDegree === size.inDegree &&
      periods.includes(b.rewiring_period))
  );
  if (bench.length > 0) {
    datasets.push({
      label: "bench runs (one seed each)",
      data: bench.map((b) => ({ x: b.training_patterns, y: b.sdnr })),
      pointStyle: "rect",
      pointRadius: 4,
      borderColor: "#444",
      backgroundColor: "rgba(68, 68, 68, 0.5)",
    });
  }
  return { type: "scatter", data: { datasets }, options: sdnrOptions(xMax) };
}

/** Theory parameters of a bench run's stored model parameters. */
function theoryOfRun(run: RewiringBenchRecord): Partial<RewiringParams> {
  const out: Partial<RewiringParams> = {};
  for (const name of Object.keys(DEFAULT_REWIRING_PARAMS) as (keyof RewiringParams)[]) {
    const v = (run.params as Record<string, unknown>)[name];
    if (v !== undefined) (out as Record<string, unknown>)[name] = v;
  }
  return out;
}

/**
 * SDNR against T of bench runs alone (no verdict stored): the runs per network size and r,
 * and the theory curve of each.
 *
 * @param runs rewiring bench runs
 */
export function rewiringBenchChart(runs: readonly RewiringBenchRecord[]): ChartSpec {
  const groups = new Map<string, RewiringBenchRecord[]>();
  for (const run of runs) {
    const key = JSON.stringify([
      run.params.populationSize2,
      run.params.inDegree,
      run.rewiring_period,
    ]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const xMax = Math.max(...runs.map((r) => r.training_patterns)) * 1.15;
  const datasets: Record<string, unknown>[] = [];
  // Network size ascending, then with rewiring before without (as the verdict's chart).
  const ordered = [...groups.values()].sort((a, b) =>
    Number(a[0].params.populationSize2) - Number(b[0].params.populationSize2) ||
    Number(a[0].params.inDegree) - Number(b[0].params.inDegree) ||
    b[0].rewiring_period - a[0].rewiring_period
  );
  ordered.forEach((group, i) => {
    const first = group[0];
    const r = first.rewiring_period;
    const color = periodColor(r, i);
    const label = `N2 ${
      formatNumber(Number(first.params.populationSize2), 3)
    }, C ${first.params.inDegree}, ${periodText(r)}`;
    const theory = theoryOfRun(first);
    datasets.push({
      label: `theory, ${label}`,
      data: Array.from({ length: 60 }, (_, k) => {
        const t = Math.max(1, xMax * (k + 1) / 60);
        return { x: t, y: rewiringTheory(t, theory).sdnr };
      }),
      showLine: true,
      borderColor: color,
      borderWidth: 2,
      pointRadius: 0,
    });
    datasets.push({
      label: `bench runs, ${label}`,
      data: group.map((b) => ({ x: b.training_patterns, y: b.sdnr })),
      borderColor: color,
      backgroundColor: color,
      pointRadius: 5,
    });
  });
  datasets.push(thresholdDataset(sdnrThreshold(), xMax));
  return { type: "scatter", data: { datasets }, options: sdnrOptions(xMax) };
}

/** Draws a chart into the page: the report's figure helper. */
export type RewiringFigureFn = (
  spec: ChartSpec,
  text: { title: string; caption?: string; size?: "normal" | "tall" },
) => string;

const num = (x: number | null | undefined, digits = 4) => formatNumber(x, digits);

function pointRow(p: RewiringPointVerdict): string {
  return `<tr class="${p.pass ? "" : "fail"}"><td class="num">${p.trainingPatterns}</td><td>${
    h(periodText(p.rewiringPeriod))
  }</td><td class="num">${num(p.sdnr.mean)} ± ${num(p.sdnr.std, 2)}</td><td class="num">${
    num(p.theory.sdnr)
  }</td><td class="num">${
    p.published ? `${num(p.published.sdnr)}<div class="sub">${h(p.published.set)}</div>` : "—"
  }</td><td class="num">${formatPercent(p.sdnrDeviation)}<div class="sub">vs ${
    h(p.reference)
  }</div></td><td class="num">${num(p.backgroundMean.mean, 5)}</td><td class="num">${
    num(p.theory.backgroundMean, 5)
  }</td><td class="num">${num(p.codingMean.mean, 5)}</td><td class="num">${
    num(p.backgroundVariance.mean, 5)
  }</td><td>${
    p.pass ? '<span class="badge good">pass</span>' : '<span class="badge bad">FAIL</span>'
  }</td></tr>`;
}

function capacityRow(c: RewiringCapacityVerdict): string {
  const badge = c.pass === null
    ? '<span class="badge neutral">not judged</span>'
    : c.pass
    ? '<span class="badge good">pass</span>'
    : '<span class="badge bad">FAIL</span>';
  return `<tr class="${c.pass === false ? "fail" : ""}"><td>${
    h(periodText(c.rewiringPeriod))
  }</td><td class="num">${num(c.theory, 5)}</td><td class="num">${
    c.theoryOnGrid === null ? "not bracketed" : num(c.theoryOnGrid, 5)
  }</td><td class="num">${
    c.simulated === null
      ? "not bracketed"
      : `${num(c.simulated, 5)}${c.simulatedStd !== null ? ` ± ${num(c.simulatedStd, 2)}` : ""}`
  }</td><td class="num">${formatPercent(c.deviation)}</td><td>${badge}</td></tr>`;
}

function verdictBlock(
  entry: { row: ValidationRow; verdict: StoredRewiringVerdict },
  benchRuns: readonly RewiringBenchRecord[],
  figure: RewiringFigureFn,
): string {
  const { row, verdict: v } = entry;
  const c = v.config ?? {};
  const badge = row.passed
    ? '<span class="badge good">pass</span>'
    : '<span class="badge bad">FAIL</span>';
  const adapter = c.adapter?.description || c.adapter?.device || "?";
  const p = c.params ?? {};
  const meta = `Validation <code>${h(row.id)}</code>, ${h(formatTime(row.timestamp))}; ${
    h(v.size)
  } size (N1 ${num(Number(p.populationSize1), 6)}, N2 ${num(Number(p.populationSize2), 6)}, C ${
    h(p.inDegree ?? "?")
  }, α ${h(p.alpha1 ?? "?")}, σ_n ${h(p.noiseSigma ?? "?")} Hz), seeds ${
    h((c.seeds ?? []).join(", "))
  }, n_test ${h(c.testPatterns ?? "?")}; ${h(c.backend ?? "?")} on ${h(adapter)}${
    c.adapter?.isFallbackAdapter ? " (software)" : ""
  }; commit <code>${h(shortCommit(c.commit ?? ""))}</code>${
    v.timing?.total_s ? `; scan ${num(v.timing.total_s, 3)} s` : ""
  }${v.timing?.patterns_per_s ? `, training ${num(v.timing.patterns_per_s, 3)} patterns/s` : ""}.`;
  const banner = v.failures.length
    ? `<div class="banner bad"><strong>${v.failures.length} failed check(s):</strong><ul>${
      v.failures.map((f) => `<li>${h(f)}</li>`).join("")
    }</ul></div>`
    : `<div class="banner good">Every judged check passed.</div>`;
  const warnings = v.warnings.map((w) => `<p class="warn-text">Note: ${h(w)}</p>`).join("");
  const chart = figure(rewiringVerdictChart(v, benchRuns), {
    title: "SDNR against the number of training patterns",
    caption: `Lines: mean-field theory; dots: simulation, mean over seeds with ± 1 std bars; ` +
      `dashed: SDNR_thr; × and △ on it: memory capacity from theory and simulation.`,
    size: "tall",
  });
  return `<article class="validation rewiring" data-validation="${h(row.id)}">
<h3>${badge} Rewiring T-scan against the mean-field theory</h3>
<p class="meta">${meta}</p>
<p class="meta">Rule: ${h(v.rule.text)}.</p>
${banner}${warnings}
<div class="grid">${chart}</div>
<div class="table-wrap"><table class="rewiring-points">
<thead><tr><th>T</th><th>rewiring</th><th>SDNR sim (mean ± std)</th><th>SDNR theory</th><th>SDNR published</th><th>deviation</th><th>⟨S_b⟩ sim</th><th>⟨S_b⟩ theory</th><th>⟨S_c⟩ sim</th><th>σ_b² sim</th><th>result</th></tr></thead>
<tbody>${v.points.map(pointRow).join("\n")}</tbody></table></div>
<div class="table-wrap"><table class="rewiring-capacity">
<thead><tr><th>rewiring</th><th>capacity, theory (exact)</th><th>theory on the scan grid</th><th>simulation (± std over seeds)</th><th>deviation</th><th>result</th></tr></thead>
<tbody>${v.capacities.map(capacityRow).join("\n")}</tbody></table></div>
</article>`;
}

function benchTable(runs: readonly RewiringBenchRecord[]): string {
  const rows = runs.slice(0, 30).map((r) =>
    `<tr><td>${h(formatTime(r.timestamp))}</td><td>${
      h(String((r.params as { size?: string }).size ?? "?"))
    }</td><td class="num">${r.training_patterns}</td><td>${
      h(periodText(r.rewiring_period))
    }</td><td class="num">${r.seed}</td><td>${h(r.backend)} on ${
      h(r.adapter?.description || r.adapter?.device || "?")
    }</td><td class="num">${num(r.sdnr)}</td><td class="num">${
      num(r.sdnr_theory)
    }</td><td class="num">${formatPercent(r.sdnr / r.sdnr_theory - 1)}</td><td class="num">${
      num(r.patterns_per_s, 4)
    }</td><td class="num">${num(r.train_s)}</td><td class="num">${num(r.test_s)}</td></tr>`
  ).join("\n");
  return `<div class="table-wrap"><table class="rewiring-bench">
<thead><tr><th>time</th><th>size</th><th>T</th><th>rewiring</th><th>seed</th><th>backend</th><th>SDNR</th><th>theory</th><th>deviation</th><th>training patterns/s</th><th>train (s)</th><th>test (s)</th></tr></thead>
<tbody>${rows}</tbody></table></div>${
    runs.length > 30 ? `<p class="sub">${runs.length - 30} older run(s) not listed.</p>` : ""
  }`;
}

/** Theoretical capacities of the bench runs' configurations, one line each. */
function benchCapacities(runs: readonly RewiringBenchRecord[]): string {
  const seen = new Map<string, string>();
  for (const r of runs) {
    const key = JSON.stringify([r.params.populationSize2, r.params.inDegree, r.rewiring_period]);
    if (seen.has(key)) continue;
    const c = memoryCapacity(theoryOfRun(r)).crossing;
    seen.set(
      key,
      `N2 ${num(Number(r.params.populationSize2), 6)}, C ${r.params.inDegree}, ${
        periodText(r.rewiring_period)
      }: theoretical capacity T ≈ ${num(c, 5)}`,
    );
  }
  return `<ul>${[...seen.values()].map((s) => `<li>${h(s)}</li>`).join("")}</ul>`;
}

/**
 * The section's HTML (empty string when there is nothing to show).
 *
 * @param report what {@linkcode collectRewiring} gathered
 * @param figure the report's figure helper
 */
export function rewiringSection(report: RewiringReport | null, figure: RewiringFigureFn): string {
  if (!report) return "";
  const blocks: string[] = [];
  if (report.verdict) blocks.push(verdictBlock(report.verdict, report.benchRuns, figure));
  if (report.benchRuns.length > 0) {
    const chart = report.verdict
      ? ""
      : `<div class="grid">${
        figure(rewiringBenchChart(report.benchRuns), {
          title: "SDNR of bench runs against the number of training patterns",
          caption: "Dots: single-seed bench runs; lines: mean-field theory; dashed: SDNR_thr.",
          size: "tall",
        })
      }</div>`;
    blocks.push(`<article><h3>Bench runs (<code>deno task bench --model rewiring</code>)</h3>
${chart}${benchCapacities(report.benchRuns)}${benchTable(report.benchRuns)}</article>`);
  }
  if (report.older.length > 0) {
    blocks.push(
      `<h3>Earlier rewiring validations</h3><ul>${
        report.older.map((row) =>
          `<li>${h(formatTime(row.timestamp))} <code>${h(row.id)}</code>: ${
            row.passed
              ? "pass"
              : `FAIL (${
                (row.verdict as { failures?: unknown[] }).failures?.length ?? "?"
              } failed check(s))`
          }</li>`
        ).join("")
      }</ul>`,
    );
  }
  return `<section id="rewiring"><h2>Structural plasticity (rewiring)</h2>
<p class="explain">The rate model of Tiddia, Sergi &amp; Golosio (Phys. Rev. E 110:044311, 2024;
docs/specs/rewiring.md): after training T patterns, the signal-difference-to-noise ratio of the
input to coding versus background neurons; memory capacity = the T where SDNR falls to
SDNR_thr = ${sdnrThreshold().toFixed(3)} (probability 0.95 of classifying a neuron correctly).
Rewiring (replacing the non-stabilized connections every r patterns) raises the SDNR.</p>
${blocks.join("\n")}</section>`;
}

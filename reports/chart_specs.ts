/**
 * Chart.js configurations of every chart in the report, as plain JSON (the page's script
 * only adds the few callbacks listed in `hints`). One function per chart kind.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import { STATISTIC_NAMES, type StatisticName } from "../validation/spike_statistics.ts";
import type { Activity } from "./activity.ts";
import type { DensitySummary } from "./distributions.ts";
import { formatTime, shortCommit } from "./format.ts";
import { median, type MetricName } from "./regression.ts";
import type { Trend, ValidationEntry } from "./report_model.ts";
import { axisLabels, type SummaryRow } from "./summary_rows.ts";

/** Callbacks the page script adds to a chart (functions cannot travel as JSON). */
export interface ChartHints {
  /** Colour of each x tick label (category axes). */
  xTickColors?: string[];
  /** Raster: label the y axis with population names at these rows. */
  rowLabels?: { row: number; text: string }[];
  /** Legend entries with these texts are hidden. */
  hideInLegend?: string[];
  /** Tooltip title per x index (overrides the label). */
  tooltipTitles?: string[];
  /** Tick values of logarithmic axes (by axis id), from {@linkcode logAxisTicks}. */
  logTicks?: Record<string, number[]>;
}

/** A Chart.js configuration plus hints. */
export interface ChartSpec {
  type: string;
  data: { labels?: unknown[]; datasets: Record<string, unknown>[] };
  options: Record<string, unknown>;
  hints?: ChartHints;
}

/** Population colours (Okabe–Ito based, distinguishable in colour-blind vision and grey print). */
export const POPULATION_COLORS = [
  "#0072B2",
  "#56B4E9",
  "#009E73",
  "#7FC97F",
  "#D55E00",
  "#E69F00",
  "#CC79A7",
  "#8C564B",
];

const PHASE_COLORS: Record<string, string> = {
  create: "#56B4E9",
  connect: "#0072B2",
  prepare: "#009E73",
  compile: "#E69F00",
};

const SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
const FAIL_COLOR = "#B00020";
const OURS_COLOR = "#0072B2";
const NEST_COLOR = "#E69F00";

/** Axis with a title (units included, bold) and a grid. */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { display: true, text: title, font: { weight: "bold" } }, ...extra };
}

/** Chart.js options every report chart shares (sized by its box, drawn once), plus `extra`. */
export function baseOptions(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    ...extra,
  };
}

/** Height (px) of a horizontal bar chart with `rows` bars. */
export function barChartHeight(rows: number): number {
  return Math.max(200, 110 + 44 * rows);
}

/**
 * Construction phases (create, connect, prepare, compile) as stacked horizontal bars, one
 * per summary row (medians of its newest session).
 */
export function constructionChart(rows: SummaryRow[]): ChartSpec {
  const phases = ["create", "connect", "prepare", "compile"] as const;
  return {
    type: "bar",
    data: {
      labels: axisLabels(rows.map((r) => r.latest)).labels,
      datasets: phases.map((p) => ({
        label: p === "compile" ? "compile (shaders; not in construction)" : p,
        data: rows.map((r) => r.phases[p]),
        backgroundColor: PHASE_COLORS[p],
        stack: "phases",
        maxBarThickness: 28,
      })),
    },
    options: baseOptions({
      indexAxis: "y",
      scales: {
        x: axis("wall-clock time (s)", { stacked: true, beginAtZero: true }),
        y: { stacked: true },
      },
      plugins: { legend: { position: "top" } },
    }),
    hints: { tooltipTitles: rows.map((r) => r.label) },
  };
}

/** RTF of every run of each summary row's newest session as horizontal box plots. */
export function rtfChart(rows: SummaryRow[]): ChartSpec {
  return {
    type: "boxplot",
    data: {
      labels: axisLabels(rows.map((r) => r.latest)).labels,
      datasets: [{
        label: "RTF of the newest session's runs",
        data: rows.map((r) => r.sessionRuns.map((s) => s.rtf)),
        backgroundColor: "rgba(0, 114, 178, 0.25)",
        borderColor: OURS_COLOR,
        borderWidth: 1.5,
        outlierBackgroundColor: OURS_COLOR,
        itemRadius: 3,
        itemBackgroundColor: "#222",
        medianColor: "#000",
        maxBarThickness: 28,
      }],
    },
    options: baseOptions({
      indexAxis: "y",
      scales: { x: axis("RTF (wall s / model s)", { beginAtZero: true }) },
      plugins: { legend: { display: false } },
    }),
    hints: { tooltipTitles: rows.map((r) => r.label) },
  };
}

/**
 * Bounds and tick values of a logarithmic axis showing data in [lo, hi]: the range padded by
 * a factor 1.3 on each side, ticks at the first of 1 / 1-2-5 / 1-1.5-2-3-5-7 /
 * 1-1.2-1.5-2-2.5-3-4-5-6-8 per decade that gives at least four ticks.
 *
 * @param lo smallest value (> 0)
 * @param hi largest value (≥ lo)
 */
export function logAxisTicks(
  lo: number,
  hi: number,
): { min: number; max: number; ticks: number[] } {
  const min = lo / 1.3;
  const max = hi * 1.3;
  const sets = [[1], [1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]];
  let ticks: number[] = [];
  for (const mantissas of sets) {
    ticks = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(6));
        if (v >= min && v <= max) ticks.push(v);
      }
    }
    if (ticks.length >= 4) break;
  }
  return { min, max, ticks };
}

function seriesKey(run: BenchResult): string {
  return `${run.model} · ${run.drive} · ${run.t_sim_ms} ms · ${run.backend} on ${
    run.adapter?.description ?? "?"
  }${run.k_scale !== run.scale ? " · K fixed" : ""}`;
}

/**
 * A metric against network size (neurons, log axes): one line per model, drive, simulated
 * time and adapter; one point per scale (median of the newest session).
 */
export function scalingChart(
  trends: Trend[],
  metric: "rtf" | "synaptic_events_per_s",
): ChartSpec {
  // Colours follow the order of every series, so both scaling charts colour a series alike.
  const order = [...new Set(trends.map((t) => seriesKey(t.runs[0])))];
  const series = new Map<string, { x: number; y: number; label: string }[]>();
  for (const trend of trends) {
    const session = trend.sessions[trend.sessions.length - 1];
    const runs = trend.runs.filter((r) => session.candidateRunIds.includes(r.id));
    if (runs.length === 0 || !(median(runs.map((r) => r[metric])) > 0)) continue;
    const key = seriesKey(runs[0]);
    const list = series.get(key) ?? [];
    list.push({
      x: runs[0].neurons,
      y: median(runs.map((r) => r[metric])),
      label: `scale ${runs[0].scale}`,
    });
    series.set(key, list);
  }
  const color = (key: string) => SERIES_COLORS[order.indexOf(key) % SERIES_COLORS.length];
  const datasets = [...series.entries()].map(([key, points]) => ({
    label: key,
    data: points.sort((a, b) => a.x - b.x),
    borderColor: color(key),
    backgroundColor: color(key),
    showLine: true,
    pointRadius: 5,
    borderWidth: 2,
  }));
  const yTitle = metric === "rtf" ? "RTF (wall s / model s)" : "synaptic events / wall s";
  const points = [...series.values()].flat();
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xAxis = points.length ? logAxisTicks(Math.min(...xs), Math.max(...xs)) : null;
  const yAxis = points.length ? logAxisTicks(Math.min(...ys), Math.max(...ys)) : null;
  return {
    type: "scatter",
    data: { datasets },
    options: baseOptions({
      scales: {
        x: axis("network size (neurons)", {
          type: "logarithmic",
          min: xAxis?.min,
          max: xAxis?.max,
          ticks: { maxRotation: 0 },
        }),
        y: axis(yTitle, { type: "logarithmic", min: yAxis?.min, max: yAxis?.max }),
      },
      plugins: { legend: { position: "bottom" } },
    }),
    hints: xAxis && yAxis ? { logTicks: { x: xAxis.ticks, y: yAxis.ticks } } : {},
  };
}

function runTickLabel(run: BenchResult): string[] {
  return [formatTime(run.timestamp).slice(5, 16), shortCommit(run.commit)];
}

/**
 * One metric of one configuration over time: the runs, the baseline median and the band the
 * rule tolerates (median ± threshold) for each session, and regressions marked.
 */
export function trendChart(trend: Trend, metric: MetricName): ChartSpec {
  const sessionOf = new Map<string, (typeof trend.sessions)[number]>();
  for (const s of trend.sessions) for (const id of s.candidateRunIds) sessionOf.set(id, s);
  const verdictOf = (run: BenchResult) =>
    sessionOf.get(run.id)?.metrics.find((m) => m.metric === metric);
  const values = trend.runs.map((r) => r[metric]);
  const lower = trend.runs.map((r) => {
    const v = verdictOf(r);
    return v?.baselineMedian != null && v.threshold != null ? v.baselineMedian - v.threshold : null;
  });
  const upper = trend.runs.map((r) => {
    const v = verdictOf(r);
    return v?.baselineMedian != null && v.threshold != null ? v.baselineMedian + v.threshold : null;
  });
  const baseline = trend.runs.map((r) => verdictOf(r)?.baselineMedian ?? null);
  const flagged = trend.runs.map((r, i) =>
    verdictOf(r)?.status === "regression" ? values[i] : null
  );
  const unconfirmed = trend.runs.map((r, i) =>
    verdictOf(r)?.status === "unconfirmed" ? values[i] : null
  );
  const yTitle = metric === "rtf" ? "RTF (wall s / model s)" : "construction time (s)";
  const hasBaseline = baseline.some((v) => v !== null);
  const datasets: Record<string, unknown>[] = !hasBaseline ? [] : [
    {
      label: "tolerated band (baseline median ± threshold)",
      data: upper,
      borderWidth: 0,
      pointRadius: 0,
      backgroundColor: "rgba(0, 158, 115, 0.18)",
      fill: "+1",
      spanGaps: false,
      order: 3,
    },
    {
      label: "band lower edge",
      data: lower,
      borderWidth: 0,
      pointRadius: 0,
      fill: false,
      spanGaps: false,
      order: 3,
    },
    {
      label: "baseline median",
      data: baseline,
      borderColor: "#009E73",
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
      fill: false,
      spanGaps: false,
      order: 2,
    },
  ];
  datasets.push(
    {
      label: metric === "rtf" ? "RTF of each run" : "construction time of each run",
      data: values,
      borderColor: OURS_COLOR,
      backgroundColor: OURS_COLOR,
      borderWidth: 1.5,
      pointRadius: 3,
      fill: false,
      order: 1,
    },
  );
  if (flagged.some((v) => v !== null)) {
    datasets.push({
      label: "regression",
      data: flagged,
      showLine: false,
      pointStyle: "triangle",
      pointRadius: 9,
      backgroundColor: FAIL_COLOR,
      borderColor: FAIL_COLOR,
      order: 0,
    });
  }
  if (unconfirmed.some((v) => v !== null)) {
    datasets.push({
      label: "slower, unconfirmed (1 run)",
      data: unconfirmed,
      showLine: false,
      pointStyle: "triangle",
      pointRadius: 7,
      backgroundColor: "#E69F00",
      borderColor: "#E69F00",
      order: 0,
    });
  }
  return {
    type: "line",
    data: { labels: trend.runs.map(runTickLabel), datasets },
    options: baseOptions({
      scales: {
        x: axis("run (date UTC, commit)", {
          offset: true,
          ticks: { maxRotation: 0, autoSkipPadding: 12 },
        }),
        y: axis(yTitle, { beginAtZero: true }),
      },
      plugins: { legend: { position: "bottom" } },
    }),
    hints: {
      hideInLegend: ["band lower edge"],
      tooltipTitles: trend.runs.map((r) =>
        `${r.id} · commit ${r.commit} · seed ${r.seed} · repeat ${r.repeat_index}`
      ),
    },
  };
}

/** Mean population rates (Hz) of every run of a configuration over time. */
export function rateTrendChart(trend: Trend): ChartSpec {
  const names = [...new Set(trend.runs.flatMap((r) => Object.keys(r.rates_hz ?? {})))];
  return {
    type: "line",
    data: {
      labels: trend.runs.map(runTickLabel),
      datasets: names.map((name, i) => ({
        label: name,
        data: trend.runs.map((r) => r.rates_hz?.[name] ?? null),
        borderColor: POPULATION_COLORS[i % POPULATION_COLORS.length],
        backgroundColor: POPULATION_COLORS[i % POPULATION_COLORS.length],
        borderWidth: 1.5,
        pointRadius: 2.5,
        fill: false,
      })),
    },
    options: baseOptions({
      scales: {
        x: axis("run (date UTC, commit)", {
          offset: true,
          ticks: { maxRotation: 0, autoSkipPadding: 12 },
        }),
        y: axis("mean rate (spikes/s)", { beginAtZero: true }),
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
    }),
    hints: { tooltipTitles: trend.runs.map((r) => `${r.id} · commit ${r.commit}`) },
  };
}

/** Axis titles of the three validated statistics, with units. */
export const STATISTIC_AXIS: Record<StatisticName, string> = {
  firing_rate: "firing rate (spikes/s)",
  cv_isi: "CV ISI (dimensionless)",
  correlation: "correlation (Pearson r, 2 ms bins)",
};

/** Statistic names as shown in headings. */
export const STATISTIC_TITLES: Record<StatisticName, string> = {
  firing_rate: "Firing rate",
  cv_isi: "CV ISI",
  correlation: "Correlation",
};

function violinPoint(d: DensitySummary | null | undefined): Record<string, unknown> | null {
  if (!d) return null;
  return {
    min: d.lo,
    q1: d.q1,
    median: d.median,
    q3: d.q3,
    max: d.hi,
    mean: d.mean,
    coords: d.coords,
    maxEstimate: d.maxEstimate,
    items: [],
    outliers: [],
  };
}

/**
 * Violins of one statistic per population: ours next to NEST's pooled seeds. Population labels
 * of failed cells are red and marked with ✗.
 */
export function violinChart(entry: ValidationEntry, statistic: StatisticName): ChartSpec {
  const verdict = entry.verdict!;
  const populations = [...new Set(verdict.cells.map((c) => c.population))];
  const failed = populations.map((p) =>
    verdict.cells.some((c) => c.population === p && c.statistic === statistic && !c.pass)
  );
  const nestLabel =
    `NEST (${verdict.reference.simulator}, ${verdict.reference.seeds.length} seeds pooled)`;
  return {
    type: "violin",
    data: {
      labels: populations.map((p, i) => (failed[i] ? `✗ ${p}` : p)),
      datasets: [
        {
          label: `spikebench (${verdict.candidateRuns} run${
            verdict.candidateRuns === 1 ? "" : "s"
          })`,
          data: populations.map((p) => violinPoint(entry.candidate?.[statistic]?.[p])),
          backgroundColor: "rgba(0, 114, 178, 0.45)",
          borderColor: OURS_COLOR,
          borderWidth: 1,
          medianColor: "#000",
          itemRadius: 0,
        },
        {
          label: nestLabel,
          data: populations.map((p) => violinPoint(entry.nest?.[statistic]?.[p])),
          backgroundColor: "rgba(230, 159, 0, 0.45)",
          borderColor: NEST_COLOR,
          borderWidth: 1,
          medianColor: "#000",
          itemRadius: 0,
        },
      ],
    },
    options: baseOptions({
      scales: {
        x: axis("population (✗ = cell failed)"),
        y: axis(STATISTIC_AXIS[statistic]),
      },
      plugins: { legend: { position: "top" } },
    }),
    hints: { xTickColors: failed.map((f) => (f ? FAIL_COLOR : "#222")) },
  };
}

/** The statistics drawn as violins, in order. */
export const VIOLIN_STATISTICS = STATISTIC_NAMES;

/** Raster of the sampled neurons (rows from the top, populations coloured). */
export function rasterChart(activity: Activity): ChartSpec {
  return {
    type: "scatter",
    data: {
      datasets: activity.populations.map((p, i) => ({
        label: `${p.name} (${p.sampled} of ${p.size})`,
        data: p.t.map((t, k) => ({ x: t, y: p.row[k] })),
        backgroundColor: POPULATION_COLORS[i % POPULATION_COLORS.length],
        borderWidth: 0,
        pointRadius: 1.6,
        pointHoverRadius: 3,
      })),
    },
    options: baseOptions({
      scales: {
        x: axis("time (ms)", { min: activity.windowMs[0], max: activity.windowMs[1] }),
        y: axis("neuron (sampled, by population)", {
          reverse: true,
          min: -0.5,
          max: activity.rows - 0.5,
          grid: { display: false },
        }),
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } },
    }),
    hints: {
      rowLabels: activity.populations.map((p) => ({
        row: p.firstRow + (p.sampled - 1) / 2,
        text: p.name,
      })),
    },
  };
}

/** Population rate traces (Hz per neuron) over the raster's window. */
export function populationRateChart(activity: Activity): ChartSpec {
  return {
    type: "line",
    data: {
      datasets: activity.populations.map((p, i) => ({
        label: p.name,
        data: p.rateHz.map((y, b) => ({ x: activity.binStartsMs[b] + activity.binMs / 2, y })),
        borderColor: POPULATION_COLORS[i % POPULATION_COLORS.length],
        backgroundColor: POPULATION_COLORS[i % POPULATION_COLORS.length],
        borderWidth: 1.3,
        pointRadius: 0,
        fill: false,
      })),
    },
    options: baseOptions({
      scales: {
        x: axis(`time (ms, bin centres, ${activity.binMs} ms bins)`, {
          type: "linear",
          min: activity.windowMs[0],
          max: activity.windowMs[1],
        }),
        y: axis("rate per neuron (spikes/s)", { beginAtZero: true }),
      },
      plugins: { legend: { position: "right", labels: { boxWidth: 14 } } },
    }),
  };
}

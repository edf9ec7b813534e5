/**
 * Renders a {@linkcode ReportModel} as one self-contained HTML page: tables are HTML (they
 * read and print without JavaScript), charts are canvases drawn by the inlined chart.js from
 * JSON configurations embedded in the page. No external address appears anywhere; a Content
 * Security Policy forbids the page to load anything.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { CellVerdict, MeanRateVerdict } from "../validation/verdict.ts";
import {
  barChartHeight,
  type ChartSpec,
  constructionChart,
  populationRateChart,
  rasterChart,
  rateTrendChart,
  rtfChart,
  scalingChart,
  STATISTIC_TITLES,
  trendChart,
  VIOLIN_STATISTICS,
  violinChart,
} from "./chart_specs.ts";
import {
  escapeHtml as h,
  formatBytes,
  formatNumber,
  formatPercent,
  formatTime,
  shortCommit,
} from "./format.ts";
import {
  hasBaseline,
  type MetricVerdict,
  type SessionVerdict,
  verdictInputs,
} from "./regression.ts";
import type { ReportModel, ValidationEntry } from "./report_model.ts";
import { axisLabels, summaryRows } from "./summary_rows.ts";
import { workingMemorySection } from "./working_memory_section.ts";
import { rewiringSection } from "./rewiring_section.ts";

/** The page's own script and stylesheet (reports/client/). */
export interface ClientAssets {
  /** JavaScript that draws the charts. */
  script: string;
  /** The stylesheet. */
  css: string;
}

/** Reads reports/client/report.js and report.css. */
export async function loadClientAssets(): Promise<ClientAssets> {
  const [script, css] = await Promise.all([
    Deno.readTextFile(new URL("./client/report.js", import.meta.url)),
    Deno.readTextFile(new URL("./client/report.css", import.meta.url)),
  ]);
  return { script, css };
}

/** Collects chart specs under sequential canvas ids. */
class Charts {
  readonly specs: Record<string, ChartSpec> = {};
  #next = 0;

  /** A figure with a heading, a canvas and a caption; `size` sets its height. */
  figure(
    spec: ChartSpec,
    text: { title: string; caption?: string; size?: "normal" | "tall"; heightPx?: number },
  ): string {
    const id = `chart-${++this.#next}`;
    this.specs[id] = spec;
    const size = text.size ?? "normal";
    const style = text.heightPx ? ` style="height: ${Math.round(text.heightPx)}px"` : "";
    return `<figure class="chart ${size}"><figcaption><strong>${h(text.title)}</strong>${
      text.caption ? ` <span class="caption">${h(text.caption)}</span>` : ""
    }</figcaption><div class="chart-box"${style}><canvas id="${id}" role="img" aria-label="${
      h(text.title)
    }"></canvas></div></figure>`;
  }
}

function statusBadge(status: MetricVerdict["status"], text?: string): string {
  const cls = status === "regression"
    ? "bad"
    : status === "unconfirmed"
    ? "warn"
    : status === "improvement"
    ? "good"
    : "neutral";
  return `<span class="badge ${cls}">${h(text ?? status)}</span>`;
}

function changeCell(session: SessionVerdict, metric: MetricVerdict["metric"]): string {
  const m = session.metrics.find((x) => x.metric === metric);
  if (!m) return "<td>—</td>";
  const text = m.status === "no baseline"
    ? "no baseline"
    : `${formatPercent(m.relativeChange)} ${m.status === "within noise" ? "(noise)" : m.status}`;
  return `<td title="${h(m.message)}">${statusBadge(m.status, text)}${
    m.threshold !== null && m.baselineMedian
      ? `<div class="sub">tolerated ±${
        formatPercent(m.threshold / m.baselineMedian).slice(1)
      }</div>`
      : ""
  }</td>`;
}

function header(model: ReportModel): string {
  const r = model.regression;
  const validated = r.validations.length
    ? `; the newest validation of ${r.validations.length} configuration(s) passed`
    : "";
  const problems = [
    ...r.sessions.filter((s) => s.regressed).map((s) => `performance regression: ${s.label}`),
    ...r.validations.filter((v) => !v.passed).map((v) => `failed validation: ${v.label}`),
  ];
  const counts = [
    r.regressions ? `${r.regressions} performance regression(s) beyond the noise` : "",
    r.validationFailures ? `${r.validationFailures} failed validation(s)` : "",
  ].filter(Boolean).join(" and ");
  // A configuration is judged only once it has a baseline; say so rather than "no regression".
  const judged = r.sessions.filter(hasBaseline);
  const unjudged = r.sessions.length - judged.length;
  const waiting = unjudged
    ? `${unjudged} configuration(s) have no baseline yet (the rule needs ` +
      `${r.options.minBaselineRuns} earlier runs)`
    : "";
  const banner = r.pass && judged.length === 0
    ? `<div class="banner warn">Nothing compared yet: ${waiting || "no runs"}${validated}.</div>`
    : r.pass
    ? `<div class="banner good">No performance regression beyond the noise in ` +
      `${judged.length} configuration(s)${waiting ? `; ${waiting}` : ""}${validated}.</div>`
    : `<div class="banner bad"><strong>${counts}</strong><ul>${
      problems.map((p) => `<li>${h(p)}</li>`).join("")
    }</ul></div>`;
  // Verdicts on spike files judge recordings (NEST's, say), not our engine: information only.
  const files = r.spikeFileValidations.length
    ? `<div class="banner info">Verdicts on spike files (not engine runs): <ul>${
      r.spikeFileValidations.map((v) =>
        `<li>${v.passed ? "pass" : "FAIL"}: ${h(v.label)} (validation <code>${
          h(v.validationId)
        }</code>)</li>`
      ).join("")
    }</ul>They are listed in the validation section and do not count above.</div>`
    : "";
  const warnings = model.warnings.length
    ? `<div class="banner warn"><strong>Not shown:</strong><ul>${
      model.warnings.map((w) => `<li>${h(w)}</li>`).join("")
    }</ul></div>`
    : "";
  return `<header>
<h1>${h(model.title)}</h1>
<p class="meta">Built ${h(formatTime(model.generatedAt))} from <code>${
    h(model.historyPath)
  }</code>: ${model.runs.length} run(s)${
    model.since ? ` since ${h(formatTime(model.since))}` : ""
  }, ${model.validations.length} validation(s).</p>
${banner}${files}${warnings}
</header>
<nav><a href="#summary">Summary</a><a href="#performance">Performance</a><a href="#trends">Trends</a><a href="#validation">Validation</a><a href="#activity">Activity</a>${
    model.rewiring ? '<a href="#rewiring">Rewiring</a>' : ""
  }<a href="#environment">Environment</a><a href="#notes">Notes</a></nav>`;
}

function summarySection(model: ReportModel): string {
  const rows = summaryRows(model);
  if (rows.length === 0) {
    return `<section id="summary"><h2>Summary</h2><p>No runs in the history${
      model.since ? " since the given time" : ""
    }. Run <code>deno task bench</code> or <code>deno task nightly</code>.</p></section>`;
  }
  const body = rows.map((r) => {
    const v = r.validation;
    const cls = v.status === "pass" ? "good" : v.status === "fail" ? "bad" : "neutral";
    const l = r.latest;
    return `<tr${r.session.regressed || v.status === "fail" ? ' class="fail"' : ""}>
<td>${h(r.label)}</td>
<td class="num">${formatNumber(l.neurons, 4)}<div class="sub">${
      formatNumber(l.synapses, 3)
    } syn.</div></td>
<td class="num">${formatNumber(r.rtf)}<div class="sub">${r.sessionRuns.length} run(s)</div></td>
<td class="num">${formatNumber(r.construction)}<div class="sub">+ ${
      formatNumber(r.phases.compile, 2)
    } compile</div></td>
<td class="num">${formatNumber(r.eventsPerSecond)}</td>
<td title="${h(v.detail)}"><span class="badge ${cls}">${h(v.text)}</span>${
      v.status === "fail" ? `<div class="sub why">${h(v.detail)}</div>` : ""
    }</td>
${changeCell(r.session, "rtf")}
${changeCell(r.session, "construction_s")}
<td><code>${h(shortCommit(l.commit))}</code><div class="sub">${
      h(formatTime(l.timestamp))
    }</div></td>
</tr>`;
  }).join("\n");
  return `<section id="summary"><h2>Summary</h2>
<p class="explain">Latest run per configuration (model, scale, drive, simulated time, recording, adapter). RTF (real-time factor) = wall-clock
seconds per simulated second (lower is faster); values are medians over the newest session (runs of one
commit, less than an hour apart). “vs baseline” applies the regression rule (reports/README.md):
the change of the median against the median of the runs before it, and the tolerated change (the noise).</p>
<div class="table-wrap"><table>
<thead><tr><th>configuration</th><th>neurons</th><th>RTF</th><th>construction (s)</th><th>synaptic events / s</th><th>validation</th><th>RTF vs baseline</th><th>construction vs baseline</th><th>latest run</th></tr></thead>
<tbody>
${body}
</tbody></table></div></section>`;
}

function performanceSection(model: ReportModel, charts: Charts): string {
  const rows = summaryRows(model);
  if (rows.length === 0) {
    return `<section id="performance"><h2>Performance</h2><p>No runs.</p></section>`;
  }
  const common = axisLabels(rows.map((r) => r.latest)).common;
  const shared = common ? ` All bars: ${common}.` : "";
  const height = barChartHeight(rows.length);
  const silent = model.trends.filter((t) => t.runs.every((r) => r.synaptic_events === 0));
  return `<section id="performance"><h2>Performance</h2>
<div class="grid">
${
    charts.figure(constructionChart(rows), {
      title: "Construction time by phase",
      caption:
        `Median over the newest session; compile (shader pipelines) is reported apart.${shared}`,
      heightPx: height,
    })
  }
${
    charts.figure(rtfChart(rows), {
      title: "Real-time factor",
      caption:
        `Every run of the newest session: box = quartiles, line = median, dots = runs.${shared}`,
      heightPx: height,
    })
  }
${
    charts.figure(scalingChart(model.trends, "rtf"), {
      title: "RTF against network size",
      caption: "Median of each configuration's newest session; log–log axes.",
    })
  }
${
    charts.figure(scalingChart(model.trends, "synaptic_events_per_s"), {
      title: "Synaptic events per second against network size",
      caption: "Synapse activations in the measured phase per wall-clock second; log–log axes." +
        (silent.length
          ? ` Not shown (no synaptic event: the network was silent): ${
            silent.map((t) => t.label).join("; ")
          }.`
          : ""),
    })
  }
</div></section>`;
}

function trendsSection(model: ReportModel, charts: Charts): string {
  if (model.trends.length === 0) {
    return `<section id="trends"><h2>Trends</h2><p>No runs.</p></section>`;
  }
  const blocks = model.trends.map((t) => {
    const newest = t.sessions[t.sessions.length - 1];
    const messages = newest.metrics.map((m) => `<li>${statusBadge(m.status)} ${h(m.message)}</li>`)
      .join("");
    const hasRates = t.runs.some((r) => Object.keys(r.rates_hz ?? {}).length > 0);
    return `<article class="trend"><h3>${h(t.label)}</h3>
<p class="meta">${t.runs.length} run(s) in ${t.sessions.length} session(s). Newest session (commit <code>${
      h(shortCommit(newest.commit))
    }</code>, ${newest.candidateRunIds.length} run(s), baseline ${newest.baselineRunIds.length} run(s)):</p>
<ul class="verdicts">${messages}</ul>
<div class="grid three">
${charts.figure(trendChart(t, "rtf"), { title: "Real-time factor over time" })}
${charts.figure(trendChart(t, "construction_s"), { title: "Construction time over time" })}
${
      hasRates
        ? charts.figure(rateTrendChart(t), {
          title: "Mean population rates over time",
          caption: "Spikes in the measured phase per neuron and second.",
        })
        : ""
    }
</div></article>`;
  }).join("\n");
  return `<section id="trends"><h2>Trends</h2>
<p class="explain">One block per configuration. The shaded band is what the rule tolerates for each session
(baseline median ± max(3 σ, 5 %)); a red triangle marks a session judged a regression.</p>
${blocks}</section>`;
}

function cellRow(c: CellVerdict): string {
  const emd = c.emd;
  const ks = c.ks;
  return `<tr class="${c.pass ? "" : "fail"}">
<td>${h(c.population)}</td><td>${h(c.statistic)}</td>
<td class="num">${formatNumber(emd.distance)}</td><td class="num">${
    formatNumber(emd.baseline.max)
  }</td>
<td class="num">${formatNumber(emd.threshold)}</td>
<td class="num">${formatNumber(ks.distance)}</td><td class="num">${
    formatNumber(ks.baseline.max)
  }</td>
<td class="num">${formatNumber(ks.threshold)}</td>
<td>${c.pass ? '<span class="badge good">pass</span>' : `<span class="badge bad">FAIL</span>`}${
    c.pass ? "" : `<div class="why">${h(c.reason)}</div>`
  }</td></tr>`;
}

function meanRateRow(r: MeanRateVerdict): string {
  return `<tr class="${r.pass ? "" : "fail"}">
<td>${h(r.population)}</td><td class="num">${formatNumber(r.candidateMean, 4)}</td>
<td class="num">${formatNumber(r.referenceMean, 4)} ± ${formatNumber(r.referenceStd, 2)}</td>
<td class="num">${formatNumber(r.tStatistic)}</td><td class="num">${
    formatNumber(r.criticalValue)
  }</td>
<td>${r.pass ? '<span class="badge good">pass</span>' : `<span class="badge bad">FAIL</span>`}${
    r.pass ? "" : `<div class="why">${h(r.reason)}</div>`
  }</td></tr>`;
}

function validationBlock(entry: ValidationEntry, charts: Charts): string {
  const v = entry.verdict;
  const row = entry.row;
  const badge = row.passed
    ? '<span class="badge good">pass</span>'
    : '<span class="badge bad">FAIL</span>';
  const inputs = verdictInputs(row.verdict);
  const head = `<h3>${badge} ${h(entry.label)}</h3>
<p class="meta">Validation <code>${h(row.id)}</code> of ${
    row.run_id
      ? `run(s) <code>${h(row.run_id)}</code>`
      : `spike files (<code>deno task validate --spikes</code>)${
        inputs.length ? `: <code>${h(inputs.join(", "))}</code>` : ""
      }`
  }, ${h(formatTime(row.timestamp))}.</p>`;
  if (!v) {
    return `<article class="validation" data-validation="${h(row.id)}">${head}<p>${
      h(entry.distributionsNote)
    }</p></article>`;
  }
  const failures = v.failures.length
    ? `<div class="banner bad"><strong>${v.failures.length} failed check(s):</strong><ul>${
      v.failures.map((f) => `<li>${h(f)}</li>`).join("")
    }</ul></div>`
    : `<div class="banner good">All ${v.cells.length + v.meanRates.length} checks passed.</div>`;
  const warnings = v.warnings.map((w) => `<p class="warn-text">Warning: ${h(w)}</p>`).join("");
  const violins = entry.candidate && entry.nest
    ? `<div class="grid three">${
      VIOLIN_STATISTICS.map((s) =>
        charts.figure(violinChart(entry, s), {
          title: `${STATISTIC_TITLES[s]}: spikebench vs NEST`,
          size: "tall",
        })
      ).join("\n")
    }</div><p class="sub">Violins span the 0.5–99.5 % quantiles (Gaussian kernel density); box = ` +
      `quartiles, line = median, dot = mean; ${h(entry.distributionsNote)}.</p>`
    : `<p class="warn-text">${h(entry.distributionsNote)}</p>`;
  return `<article class="validation" data-validation="${h(row.id)}">${head}
<p class="meta">Reference: NEST ${h(v.reference.scale)} ensemble (${
    h(v.reference.simulator)
  }, seeds ${h(v.reference.seeds.join(", "))}, window ${v.reference.windowMs[0]}–${
    v.reference.windowMs[1]
  } ms); candidate: ${v.candidateRuns} run(s), window ${formatNumber(v.window.tStartMs, 6)}–${
    formatNumber(v.window.tStopMs, 6)
  } ms.</p>
<p class="meta">Rule: ${
    h(v.rule.text)
  } (spread factor ${v.rule.spreadFactor}, α ${v.rule.alpha}).</p>
${failures}${warnings}${violins}
<div class="table-wrap"><table class="cells">
<thead><tr><th rowspan="2">population</th><th rowspan="2">statistic</th><th colspan="3">EMD (Wasserstein-1)</th><th colspan="3">KS statistic</th><th rowspan="2">result</th></tr>
<tr><th>ours vs NEST</th><th>NEST-vs-NEST max</th><th>threshold</th><th>ours vs NEST</th><th>NEST-vs-NEST max</th><th>threshold</th></tr></thead>
<tbody>${v.cells.map(cellRow).join("\n")}</tbody></table></div>
<div class="table-wrap"><table class="rates">
<thead><tr><th>population</th><th>mean rate, ours (1/s)</th><th>NEST mean ± SD over seeds (1/s)</th><th>t (in SE)</th><th>t*</th><th>result</th></tr></thead>
<tbody>${v.meanRates.map(meanRateRow).join("\n")}</tbody></table></div>
</article>`;
}

function validationSection(model: ReportModel, charts: Charts): string {
  if (model.validations.length === 0) {
    return `<section id="validation"><h2>Validation</h2><p>No validation in the history. <code>deno task nightly</code>
validates configurations with NEST reference data (microcircuit, Poisson drive, scale 0.1 or 1); see validation/README.md.</p></section>`;
  }
  // The newest verdict on each set of spike files is shown in full too, in its own part: it
  // is about recordings, not about a configuration of our engine.
  const checks = new Map(model.regression.spikeFileValidations.map((v) => [v.validationId, v]));
  const onFiles = model.validations.filter((e) => checks.has(e.row.id)).map((e) => ({
    ...e,
    label: checks.get(e.row.id)!.label,
    distributionsNote: e.candidate
      ? e.distributionsNote
      : "no distributions are stored with a verdict on spike files; violins not drawn",
  }));
  const full = model.validations.slice(0, model.validationsInFull).filter((e) =>
    !checks.has(e.row.id)
  );
  const older = model.validations.slice(model.validationsInFull).filter((e) =>
    !checks.has(e.row.id)
  );
  const filesPart = onFiles.length
    ? `<h3 id="validation-spike-files">Verdicts on spike files (not engine runs)</h3>
<p class="explain">The newest verdict on each set of recordings judged with <code>deno task validate --spikes</code>
(NEST's or another simulator's spike files): information only, they do not count in the regression verdict.</p>
${onFiles.map((e) => validationBlock(e, charts)).join("\n")}`
    : "";
  const olderTable = older.length
    ? `<h3>Earlier validations</h3><div class="table-wrap"><table><thead><tr><th>time</th><th>configuration</th><th>run</th><th>result</th><th>failed checks</th></tr></thead><tbody>${
      older.map((e) =>
        `<tr class="${e.row.passed ? "" : "fail"}"><td>${h(formatTime(e.row.timestamp))}</td><td>${
          h(e.label)
        }</td><td><code>${h(e.row.run_id ?? "—")}</code></td><td>${
          e.row.passed
            ? '<span class="badge good">pass</span>'
            : '<span class="badge bad">FAIL</span>'
        }</td><td class="num">${e.verdict?.failures.length ?? "—"}</td></tr>`
      ).join("")
    }</tbody></table></div>`
    : "";
  return `<section id="validation"><h2>Validation</h2>
<p class="explain">The newest verdict of each configuration against the NEST reference ensemble
(validation/README.md). Violins: distributions over neurons (rate, CV ISI) or neuron pairs (correlation),
ours next to NEST's seeds pooled. A cell passes when its EMD and KS distances to NEST are within
the threshold (spread factor × the largest NEST-vs-NEST distance); failed cells are red and say why.</p>
${full.map((e) => validationBlock(e, charts)).join("\n")}
${filesPart}
${olderTable}</section>`;
}

function activitySection(model: ReportModel, charts: Charts): string {
  if (model.activity.length === 0) {
    return `<section id="activity"><h2>Activity</h2><p>No spike file found; run the bench with
<code>--save-spikes</code> (the nightly does for validated configurations).</p></section>`;
  }
  const blocks = model.activity.map((a) => {
    const act = a.activity;
    const spikes = act.populations.reduce((n, p) => n + p.spikesInWindow, 0);
    const from = formatNumber(act.windowMs[0], 6);
    const to = formatNumber(act.windowMs[1], 6);
    const presim = formatNumber(a.run.t_presim_ms, 6);
    const meta = `Run <code>${h(a.run.id)}</code> (seed ${a.run.seed}), ` +
      `${h(formatTime(a.run.timestamp))}; model time ${from}–${to} ms (the presimulation ended ` +
      `at ${presim} ms); ${act.rows} neurons sampled evenly across populations for the raster; ` +
      "the rates count every neuron.";
    const silent = spikes === 0
      ? '<p class="warn-text">No neuron fired in this window: the network is silent.</p>'
      : "";
    const raster = charts.figure(rasterChart(act), {
      title: "Spike raster",
      caption: "Each dot is a spike; populations from top (L2/3) to bottom (L6).",
      size: "tall",
    });
    const rates = charts.figure(populationRateChart(act), {
      title: "Population rates",
      size: "tall",
    });
    return `<article><h3>${h(a.label)}</h3>\n<p class="meta">${meta}</p>${silent}\n` +
      `<div class="grid">\n${raster}\n${rates}\n</div></article>`;
  }).join("\n");
  return `<section id="activity"><h2>Activity</h2>${blocks}</section>`;
}

function environmentSection(model: ReportModel): string {
  if (model.runs.length === 0) {
    return `<section id="environment"><h2>Environment</h2><p>No runs.</p></section>`;
  }
  const rows = model.runs.toReversed().map((r: BenchResult) => {
    const e = r.environment;
    const a = r.adapter;
    return `<tr><td><code>${h(r.id)}</code></td><td>${h(formatTime(r.timestamp))}</td><td><code>${
      h(r.commit)
    }</code></td><td>${h(r.backend)}: ${h(a?.description || a?.device || "?")}${
      a?.isFallbackAdapter ? ' <span class="badge warn">software</span>' : ""
    }</td><td>Deno ${h(e?.deno)}, V8 ${h(e?.v8)}</td><td>${h(e?.os)} ${h(e?.arch)}</td><td>${
      h(e?.cpu)
    } (${e?.cores} cores, ${formatBytes(e?.memory_bytes)})</td><td>${h(e?.hostname)}</td></tr>`;
  }).join("\n");
  const adapters = new Map<string, BenchResult["adapter"]>();
  for (const r of model.runs) {
    adapters.set(JSON.stringify([r.adapter?.description, r.adapter?.limits]), r.adapter);
  }
  const limits = [...adapters.values()].map((a) =>
    `<details open><summary>${h(a.backend)}: ${h(a.description || a.device)} (vendor ${
      h(a.vendor)
    }, architecture ${h(a.architecture || "—")}${
      a.isFallbackAdapter ? ", software fallback adapter" : ""
    })</summary><table class="limits"><tbody>${
      Object.entries(a.limits ?? {}).map(([k, v]) =>
        `<tr><td><code>${h(k)}</code></td><td class="num">${h(v.toLocaleString("en"))}</td></tr>`
      ).join("")
    }</tbody></table></details>`
  ).join("\n");
  return `<section id="environment"><h2>Environment</h2>
<p class="explain">Every run shown, newest first, with the commit it ran (“-dirty”: uncommitted changes) and the machine.</p>
<div class="table-wrap"><table class="env"><thead><tr><th>run</th><th>time</th><th>commit</th><th>adapter</th><th>Deno</th><th>OS</th><th>CPU</th><th>host</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<h3>Adapter limits</h3>${limits}</section>`;
}

function notesSection(model: ReportModel): string {
  const notes = new Map<string, BenchResult[]>();
  for (const r of model.runs) {
    for (const n of r.notes ?? []) notes.set(n, [...(notes.get(n) ?? []), r]);
  }
  if (notes.size === 0) {
    return `<section id="notes"><h2>Notes</h2><p>No notes stored with the runs.</p></section>`;
  }
  const items = [...notes.entries()].map(([text, runs]) =>
    `<li><pre class="note">${h(text)}</pre><div class="sub">stored with ${
      runs.length === model.runs.length
        ? `all ${runs.length} runs`
        : `${runs.length} run(s): ${runs.slice(0, 4).map((r) => h(r.id)).join(", ")}${
          runs.length > 4 ? ", …" : ""
        }`
    }</div></li>`
  ).join("\n");
  return `<section id="notes"><h2>Approximation notes</h2>
<p class="explain">What the model and the engine approximate, as stored in each result.</p><ul class="notes">${items}</ul></section>`;
}

function footer(model: ReportModel): string {
  return `<footer><p>Charts drawn with ${
    model.vendor.map((v) => `${h(v.name)} ${h(v.version)}`).join(" and ")
  }, inlined in this file (MIT licences below). The page loads nothing from the network.</p>
${
    model.vendor.map((v) =>
      `<details><summary>${h(v.name)} ${h(v.version)} licence</summary><pre>${
        h(v.license)
      }</pre></details>`
    ).join("\n")
  }</footer>`;
}

/** Inline JSON in a `<script type="application/json">` element safely. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

/**
 * The complete page.
 *
 * @param model what to show
 * @param assets the page's script and stylesheet
 */
export function renderReport(model: ReportModel, assets: ClientAssets): string {
  const charts = new Charts();
  const body = [
    header(model),
    "<main>",
    summarySection(model),
    performanceSection(model, charts),
    trendsSection(model, charts),
    validationSection(model, charts),
    activitySection(model, charts),
    workingMemorySection(model.workingMemory, (spec, text) => charts.figure(spec, text)),
    rewiringSection(model.rewiring, (spec, text) => charts.figure(spec, text)),
    environmentSection(model),
    notesSection(model),
    "</main>",
    footer(model),
  ].join("\n");
  const vendor = model.vendor.map((v) => `<script>\n${v.source}\n</script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<meta name="generator" content="spikebench reports/main.ts">
<title>${h(model.title)}</title>
<style>
${assets.css}
</style>
</head>
<body>
${body}
<script type="application/json" id="chart-specs">${scriptJson(charts.specs)}</script>
${vendor}
<script>
${assets.script}
</script>
</body>
</html>
`;
}

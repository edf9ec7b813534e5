/**
 * The working-memory part of the report: for the newest run of each regime, a raster of the
 * selective populations, their population rates, and the mean u and x of the loaded population
 * (and of one non-loaded population) next to NEST's trace where the reference stores one; and
 * the newest working-memory verdict (spec tests 6–11) with every check, failed ones in red, and
 * the behaviour of each run (regime C per seed).
 *
 * @module
 */
import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";
import type { WorkingMemoryAnalysis } from "../validation/working_memory_analysis.ts";
import type { WorkingMemoryVerdict } from "../validation/working_memory_checks.ts";
import {
  loadReferenceUx,
  type Regime,
  STORED_REFERENCE_RUNS,
} from "../validation/working_memory_reference.ts";
import { baseOptions, type ChartSpec } from "./chart_specs.ts";
import { escapeHtml as h, formatNumber, formatTime } from "./format.ts";

/** A working-memory run record as the bench stores it (fields the report reads). */
export interface WorkingMemoryRecord extends BenchResult {
  regime: Regime;
  working_memory: WorkingMemoryAnalysis;
  raster: { pop: number[]; neuron: number[]; t_ms: number[] };
  behaviour: string;
}

/** One regime's newest run with NEST's u/x trace when stored. */
export interface WorkingMemoryRunEntry {
  run: WorkingMemoryRecord;
  nestUx: { seed: string; t: number[]; u0: number[]; x0: number[] } | null;
}

/** What the section shows. */
export interface WorkingMemoryReport {
  runs: WorkingMemoryRunEntry[];
  verdict: { row: ValidationRow; verdict: WorkingMemoryVerdict } | null;
}

/** Whether `run` is a working-memory record with its analysis. */
export function isWorkingMemoryRecord(run: BenchResult): run is WorkingMemoryRecord {
  const r = run as Partial<WorkingMemoryRecord>;
  return run.model === "working_memory" && !!r.working_memory && !!r.raster &&
    Array.isArray(r.working_memory.pops);
}

function isWorkingMemoryVerdict(v: unknown): v is WorkingMemoryVerdict {
  const x = v as Partial<WorkingMemoryVerdict> | null;
  return !!x && x.kind === "working_memory" && Array.isArray(x.checks);
}

/** Gathers the newest run per regime and the newest verdict (oldest-first inputs). */
export async function collectWorkingMemory(
  runs: BenchResult[],
  validations: ValidationRow[],
): Promise<WorkingMemoryReport | null> {
  const newest = new Map<Regime, WorkingMemoryRecord>();
  for (const run of runs) if (isWorkingMemoryRecord(run)) newest.set(run.regime, run);
  const rows = validations.filter((v) =>
    v.model === "working_memory" && isWorkingMemoryVerdict(v.verdict)
  );
  const last = rows[rows.length - 1];
  if (newest.size === 0 && !last) return null;
  const entries: WorkingMemoryRunEntry[] = [];
  for (const regime of ["A", "B", "C"] as Regime[]) {
    const run = newest.get(regime);
    if (!run) continue;
    const stored = STORED_REFERENCE_RUNS.find((r) => r.regime === regime);
    const ux = stored ? await loadReferenceUx({ regime, seed: stored.seed }) : null;
    entries.push({
      run,
      nestUx: ux && stored ? { seed: stored.seed, t: ux.t, u0: ux.u0, x0: ux.x0 } : null,
    });
  }
  return {
    runs: entries,
    verdict: last ? { row: last, verdict: last.verdict as WorkingMemoryVerdict } : null,
  };
}

const SELECTIVE_COLORS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00"];

function rasterSpec(run: WorkingMemoryRecord): ChartSpec {
  const perPop = Math.max(1, ...run.raster.neuron.map((n) => n + 1));
  const pops = run.working_memory.pops.length;
  return {
    type: "scatter",
    data: {
      datasets: Array.from({ length: pops }, (_, k) => ({
        label: `pop ${k}${k === run.working_memory.loaded ? " (loaded)" : ""}`,
        data: run.raster.t_ms.flatMap((t, i) =>
          run.raster.pop[i] === k ? [{ x: t, y: k * perPop + run.raster.neuron[i] }] : []
        ),
        backgroundColor: SELECTIVE_COLORS[k % SELECTIVE_COLORS.length],
        borderWidth: 0,
        pointRadius: 1.2,
      })),
    },
    options: baseOptions({
      scales: {
        x: { title: { display: true, text: "time (ms)" }, min: 0, max: run.t_sim_ms },
        y: {
          title: { display: true, text: `neuron (${perPop} per selective population)` },
          reverse: true,
          min: -0.5,
          max: pops * perPop - 0.5,
          grid: { display: false },
        },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } },
    }),
    hints: {
      rowLabels: Array.from({ length: pops }, (_, k) => ({
        row: k * perPop + (perPop - 1) / 2,
        text: `pop ${k}`,
      })),
    },
  };
}

function rateSpec(run: WorkingMemoryRecord): ChartSpec {
  const tr = run.working_memory.traces;
  const names = Object.keys(tr.rates_hz);
  const bin = tr.rate_bin_ms;
  return {
    type: "line",
    data: {
      datasets: names.map((name, i) => ({
        label: name,
        data: tr.rates_hz[name].map((y, k) => ({ x: (k + 0.5) * bin, y })),
        borderColor: name.startsWith("sel")
          ? SELECTIVE_COLORS[Number(name.slice(3)) % SELECTIVE_COLORS.length]
          : i % 2
          ? "#555555"
          : "#999999",
        borderWidth: name === `sel${run.working_memory.loaded}` ? 1.6 : 0.9,
        pointRadius: 0,
        fill: false,
      })),
    },
    options: baseOptions({
      scales: {
        x: {
          type: "linear",
          title: { display: true, text: `time (ms, ${bin} ms bins)` },
          min: 0,
          max: run.t_sim_ms,
        },
        y: {
          title: { display: true, text: "population rate (spikes/s per neuron)" },
          beginAtZero: true,
        },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
    }),
  };
}

function uxSpec(entry: WorkingMemoryRunEntry): ChartSpec {
  const run = entry.run;
  const tr = run.working_memory.traces;
  const loaded = run.working_memory.loaded;
  const other = loaded === 0 ? 1 : 0;
  const series = (t: number[], v: number[]) => t.map((x, i) => ({ x, y: v[i] }));
  const datasets: Record<string, unknown>[] = [
    {
      label: `u, pop ${loaded} (loaded)`,
      data: series(tr.t_ms, tr.u[loaded]),
      borderColor: "#D55E00",
      borderWidth: 1.6,
    },
    {
      label: `x, pop ${loaded} (loaded)`,
      data: series(tr.t_ms, tr.x[loaded]),
      borderColor: "#0072B2",
      borderWidth: 1.6,
    },
    {
      label: `u, pop ${other}`,
      data: series(tr.t_ms, tr.u[other]),
      borderColor: "#D55E00",
      borderWidth: 0.8,
      borderDash: [2, 2],
    },
    {
      label: `x, pop ${other}`,
      data: series(tr.t_ms, tr.x[other]),
      borderColor: "#0072B2",
      borderWidth: 0.8,
      borderDash: [2, 2],
    },
  ];
  if (entry.nestUx) {
    datasets.push(
      {
        label: `u, pop 0, NEST seed ${entry.nestUx.seed}`,
        data: series(entry.nestUx.t, entry.nestUx.u0),
        borderColor: "#E69F00",
        borderWidth: 1,
        borderDash: [6, 3],
      },
      {
        label: `x, pop 0, NEST seed ${entry.nestUx.seed}`,
        data: series(entry.nestUx.t, entry.nestUx.x0),
        borderColor: "#56B4E9",
        borderWidth: 1,
        borderDash: [6, 3],
      },
    );
  }
  for (const d of datasets) Object.assign(d, { pointRadius: 0, fill: false });
  return {
    type: "line",
    data: { datasets },
    options: baseOptions({
      scales: {
        x: {
          type: "linear",
          title: { display: true, text: "time (ms)" },
          min: 0,
          max: run.t_sim_ms,
        },
        y: {
          title: { display: true, text: "population mean u, x (dimensionless)" },
          min: 0,
          max: 1,
        },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
    }),
  };
}

/** Draws a chart into the page: the report's figure helper. */
export type FigureFn = (
  spec: ChartSpec,
  text: { title: string; caption?: string; size?: "normal" | "tall" },
) => string;

function verdictBlock(v: { row: ValidationRow; verdict: WorkingMemoryVerdict }): string {
  const fmt = (x: number | null) => x === null || !Number.isFinite(x) ? "—" : formatNumber(x, 4);
  const failed = v.verdict.checks.filter((c) => c.judged && !c.pass);
  const banner = failed.length
    ? `<div class="banner bad"><strong>${failed.length} failed check(s):</strong><ul>${
      failed.map((c) =>
        `<li>regime ${h(c.regime)}, seed ${h(c.seed)}, test ${h(c.test)}: ${h(c.quantity)} = ${
          h(fmt(c.value))
        }, required ${h(c.criterion)}</li>`
      ).join("")
    }</ul></div>`
    : `<div class="banner good">All ${
      v.verdict.checks.filter((c) => c.judged).length
    } judged checks passed.</div>`;
  const rows = v.verdict.checks.map((c) => {
    const verdict = c.judged
      ? c.pass ? '<span class="badge good">pass</span>' : '<span class="badge bad">FAIL</span>'
      : `<span class="badge">${c.pass ? "yes" : "no"} (reported)</span>`;
    return `<tr class="${c.judged && !c.pass ? "fail" : ""}"><td>${h(c.regime)}</td><td>${
      h(c.seed)
    }</td><td>${h(c.test)}</td><td>${h(c.quantity)}</td><td class="num">${
      h(fmt(c.value))
    }</td><td>${h(c.criterion)}</td><td class="num">${
      c.nest ? `${h(fmt(c.nest.mean))} ± ${h(fmt(c.nest.std))} (n ${c.nest.n})` : ""
    }</td><td>${verdict}</td></tr>`;
  }).join("\n");
  const behaviour = v.verdict.behaviour.map((b) =>
    `<li>regime ${h(b.regime)}, seed ${h(b.seed)}: ${h(b.text)}</li>`
  ).join("");
  const badge = v.row.passed
    ? '<span class="badge good">pass</span>'
    : '<span class="badge bad">FAIL</span>';
  return `<article class="validation" data-validation="${
    h(v.row.id)
  }"><h3>${badge} Working memory: spec tests 6–11 against NEST</h3>
<p class="meta">Validation <code>${h(v.row.id)}</code>, ${
    h(formatTime(v.row.timestamp))
  }; runs <code>${h(v.row.run_id ?? "—")}</code>.</p>
<p class="meta">Rule: ${h(v.verdict.rule)}</p>
${banner}
<p><strong>Behaviour per run</strong> (NEST itself shows several behaviours in regime C):</p><ul>${behaviour}</ul>
<div class="table-wrap"><table class="wm-checks"><thead><tr><th>regime</th><th>seed</th><th>test</th><th>quantity</th><th>ours</th><th>criterion</th><th>NEST mean ± SD over seeds</th><th>result</th></tr></thead>
<tbody>${rows}</tbody></table></div></article>`;
}

/** The section's HTML (empty string when there is nothing to show). */
export function workingMemorySection(report: WorkingMemoryReport | null, figure: FigureFn): string {
  if (!report) return "";
  const blocks = report.runs.map((e) => {
    const r = e.run;
    const a = r.working_memory;
    const lp = a.pops[a.loaded];
    const meta =
      `Run <code>${h(r.id)}</code>, seed ${r.seed}, ${h(formatTime(r.timestamp))}, ${
        h(r.adapter.description || r.adapter.device)
      }; RTF ${formatNumber(r.rtf, 3)}. ${h(r.behaviour)}. Cue to pop ${a.loaded} at 3000–3350 ms` +
      `${r.regime === "A" ? ", readout at 4100 ms" : ""}, offset from 5200 ms. Loaded u(3350) ${
        formatNumber(lp.u_3350, 3)
      }, x(3350) ${formatNumber(lp.x_3350, 3)}.`;
    return `<article><h3>Regime ${
      h(r.regime)
    }</h3><p class="meta">${meta}</p><div class="grid three">
${
      figure(rasterSpec(r), {
        title: `Raster, selective populations (regime ${r.regime})`,
        caption: "first neurons of each population",
        size: "tall",
      })
    }
${figure(rateSpec(r), { title: `Population rates (regime ${r.regime})`, size: "tall" })}
${
      figure(uxSpec(e), {
        title: `Mean u and x (regime ${r.regime})`,
        caption: e.nestUx
          ? `dashed: NEST seed ${e.nestUx.seed} (another realization)`
          : "no NEST trace stored for this regime",
        size: "tall",
      })
    }
</div></article>`;
  }).join("\n");
  const verdict = report.verdict
    ? verdictBlock(report.verdict)
    : "<p>No working-memory validation in the history (<code>deno task validate --model working_memory</code>).</p>";
  return `<section id="working-memory"><h2>Working memory (Tiddia et al. 2022)</h2>
<p class="explain">Short-term facilitation holds an item: after the cue the loaded population's mean u stays
high while x recovers; regime A is activity-silent until the readout, B shows self-sustained population
spikes, C is metastable (asynchronous elevated firing in some seeds). u and x are reconstructed exactly
from the recorded spikes.</p>
${blocks}
${verdict}</section>`;
}

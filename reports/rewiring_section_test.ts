// The report's rewiring section: present (with nav link, chart and tables) exactly when the
// history holds rewiring verdicts or bench runs; the verdict's points, capacities and theory
// reach the chart; rewiring verdicts stay out of the microcircuit validation section.
import assert from "node:assert/strict";
import { History } from "../benchmarks/results_store.ts";
import { buildReport } from "./build_report.ts";
import {
  collectRewiring,
  rewiringVerdictChart,
  type StoredRewiringVerdict,
} from "./rewiring_section.ts";
import { syntheticRewiringRun, syntheticRewiringValidation } from "./rewiring_test_util.ts";
import { minutesAfterEpoch, writeSyntheticHistory } from "./test_util.ts";

/** The chart specs embedded in a page. */
function chartSpecs(html: string): Record<string, { data: { datasets: { label: string }[] } }> {
  const m = html.match(/<script type="application\/json" id="chart-specs">(.*?)<\/script>/s);
  assert.ok(m, "the page embeds its chart specs");
  return JSON.parse(m[1]);
}

function section(html: string): string {
  const start = html.indexOf('<section id="rewiring">');
  return start < 0 ? "" : html.slice(start, html.indexOf("</section>", start));
}

Deno.test("no rewiring data: no rewiring section and no nav link", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 1 });
    const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
    assert.equal(built.model.rewiring, null);
    const html = await Deno.readTextFile(built.path);
    assert.equal(html.includes('id="rewiring"'), false);
    assert.equal(html.includes('href="#rewiring"'), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a rewiring verdict and bench runs give the section its chart and tables", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 1 });
    const history = new History(`${dir}/history.sqlite`);
    history.addValidation(syntheticRewiringValidation({
      id: "old_rewiring",
      timestamp: minutesAfterEpoch(100),
      offset: -0.2,
    }));
    history.addValidation(syntheticRewiringValidation({ timestamp: minutesAfterEpoch(200) }));
    for (const [t, r] of [[1000, 100], [2000, 100], [1000, 0]]) {
      history.addRun(syntheticRewiringRun({
        patterns: t,
        period: r,
        timestamp: minutesAfterEpoch(150 + t / 100 + r),
      }));
    }
    history.close();
    const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
    const report = built.model.rewiring!;
    assert.ok(report.verdict);
    assert.equal(report.verdict.row.timestamp, minutesAfterEpoch(200), "the newest verdict");
    assert.deepEqual(report.older.map((r) => r.id), ["old_rewiring"]);
    assert.equal(report.benchRuns.length, 3);
    // Rewiring verdicts are not microcircuit validations.
    assert.equal(built.model.validations.some((v) => v.row.model === "rewiring"), false);

    const html = await Deno.readTextFile(built.path);
    assert.ok(html.includes('<a href="#rewiring">Rewiring</a>'));
    const body = section(html);
    assert.ok(body.length > 0, "the section is present");
    assert.equal((body.match(/<table class="rewiring-points">/g) ?? []).length, 1);
    const pointRows = body.split('<table class="rewiring-points">')[1].split("</table>")[0]
      .match(/<tr class="[^"]*"><td class="num">/g) ?? [];
    assert.equal(pointRows.length, 6, "3 T × 2 r");
    assert.ok(body.includes("6.194"), "the §6 theory value at T = 1000, r = 100 is listed");
    const capacityTable = body.split('<table class="rewiring-capacity">')[1].split("</table>")[0];
    assert.equal((capacityTable.match(/<tr /g) ?? []).length, 2);
    assert.ok(capacityTable.includes("4,173.3"), "theoretical capacity with rewiring, 4173.28");
    assert.ok(capacityTable.includes("3,104.5"), "and without, 3104.49");
    assert.equal(
      (body.split('<table class="rewiring-bench">')[1].match(/<tr><td>/g) ?? []).length,
      3,
    );
    assert.ok(body.includes("Earlier rewiring validations"));

    const canvases = body.match(/<canvas id="(chart-\d+)"/g) ?? [];
    assert.equal(canvases.length, 1, "one chart: the verdict's (bench runs overlaid on it)");
    const id = canvases[0].match(/chart-\d+/)![0];
    const labels = chartSpecs(html)[id].data.datasets.map((d) => d.label);
    assert.deepEqual(labels, [
      "theory, r = 100",
      "simulation, r = 100 (mean of 3 seeds)",
      "± 1 std over seeds, r = 100",
      "theory, no rewiring",
      "simulation, no rewiring (mean of 3 seeds)",
      "± 1 std over seeds, no rewiring",
      "SDNR_thr = 3.290 (P_c = 0.95)",
      "capacity, theory (exact crossing)",
      "capacity, simulation (interpolated)",
      "bench runs (one seed each)",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the verdict chart: means, ±1 std bars with gaps, capacities on the threshold", () => {
  const row = syntheticRewiringValidation();
  const verdict = row.verdict as StoredRewiringVerdict;
  const spec = rewiringVerdictChart(verdict);
  const data = (label: string) =>
    spec.data.datasets.find((d) => d.label === label)!.data as { x: number; y: number | null }[];
  const means = data("simulation, r = 100 (mean of 3 seeds)");
  const p = verdict.points.find((q) => q.trainingPatterns === 2000 && q.rewiringPeriod === 100)!;
  assert.deepEqual(means[1], { x: 2000, y: p.sdnr.mean });
  const bars = data("± 1 std over seeds, r = 100");
  assert.equal(bars.length, 9);
  assert.deepEqual(bars.slice(3, 6), [
    { x: 2000, y: p.sdnr.mean - p.sdnr.std },
    { x: 2000, y: p.sdnr.mean + p.sdnr.std },
    { x: 2000, y: null },
  ]);
  // Seeds at −1 %, 0, +1 % of theory × (1 − 0.5 %): std = 1 % of the theory.
  assert.ok(Math.abs(p.sdnr.std / p.theory.sdnr - 0.01) < 1e-12);
  const capacities = data("capacity, theory (exact crossing)");
  assert.deepEqual(capacities.map((c) => c.y), [verdict.threshold, verdict.threshold]);
  assert.ok(Math.abs(capacities[0].x - 4173.28) < 0.01, `${capacities[0].x}`);
});

Deno.test("bench runs alone: their own chart with a theory curve per configuration", async () => {
  const runs = [
    syntheticRewiringRun({ patterns: 500, period: 100 }),
    syntheticRewiringRun({ patterns: 1000, period: 0 }),
  ];
  const report = collectRewiring(runs, [])!;
  assert.equal(report.verdict, null);
  const dir = await Deno.makeTempDir();
  try {
    const history = new History(`${dir}/history.sqlite`);
    for (const r of runs) history.addRun(r);
    history.close();
    const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
    const html = await Deno.readTextFile(built.path);
    const body = section(html);
    const id = body.match(/<canvas id="(chart-\d+)"/)![1];
    const labels = chartSpecs(html)[id].data.datasets.map((d) => d.label);
    assert.deepEqual(labels, [
      "theory, N2 20,000, C 1000, r = 100",
      "bench runs, N2 20,000, C 1000, r = 100",
      "theory, N2 20,000, C 1000, no rewiring",
      "bench runs, N2 20,000, C 1000, no rewiring",
      "SDNR_thr = 3.290 (P_c = 0.95)",
    ]);
    assert.ok(body.includes("theoretical capacity T ≈ 4,173.3"), body);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(collectRewiring([], []), null);
});

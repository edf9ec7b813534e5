// The working-memory section: present only with working-memory data; per regime a raster,
// rates and u/x chart (NEST's trace overlaid where stored); the verdict table with failed
// checks in red and the behaviour of every run.
import { equal, match, ok } from "node:assert/strict";
import type { ValidationRow } from "../benchmarks/results_store.ts";
import type { ChartSpec } from "./chart_specs.ts";
import { collectWorkingMemory, workingMemorySection } from "./working_memory_section.ts";
import { nestWorkingMemoryRecord, syntheticRun } from "./test_util.ts";
import { judgeWorkingMemory } from "../validation/working_memory_checks.ts";
import { loadWorkingMemoryReference } from "../validation/working_memory_reference.ts";
import type { WorkingMemoryAnalysis } from "../validation/working_memory_analysis.ts";

function collectFigures() {
  const specs: ChartSpec[] = [];
  const figure = (spec: ChartSpec, text: { title: string }) => {
    specs.push(spec);
    return `<figure data-title="${text.title}"></figure>`;
  };
  return { specs, figure };
}

Deno.test("no working-memory data: no section", async () => {
  equal(await collectWorkingMemory([syntheticRun()], []), null);
  equal(workingMemorySection(null, collectFigures().figure), "");
});

Deno.test("working-memory section: charts per regime, NEST overlay, verdict with a red failure", async () => {
  const a = await nestWorkingMemoryRecord("A");
  const b = await nestWorkingMemoryRecord("B");
  const ref = await loadWorkingMemoryReference();
  const analysis = (r: unknown) => (r as { working_memory: WorkingMemoryAnalysis }).working_memory;
  // A verdict with one failure: the B run judged as regime A (no readout response).
  const verdict = judgeWorkingMemory([
    { regime: "B", seed: "1", analysis: analysis(b) },
    { regime: "A", seed: "2", analysis: { ...analysis(b), regime: "A" } },
  ], ref);
  ok(!verdict.pass);
  const row: ValidationRow = {
    id: "v1",
    run_id: `${a.id},${b.id}`,
    timestamp: b.timestamp,
    model: "working_memory",
    scale: 1,
    passed: verdict.pass,
    verdict,
  };
  const report = await collectWorkingMemory([syntheticRun(), a, b], [row]);
  ok(report);
  equal(report.runs.length, 2);
  ok(report.runs.every((r) => r.nestUx !== null));
  const { specs, figure } = collectFigures();
  const html = workingMemorySection(report, figure);
  equal(specs.length, 6);
  match(html, /Regime A[\s\S]*Regime B/);
  match(html, /failed check\(s\)/);
  match(html, /<tr class="fail">/);
  match(html, /regime B, seed 1: PS train/);
  // The u/x chart carries ours and NEST's traces; the raster holds every sampled spike.
  const ux = specs[2];
  ok(ux.data.datasets.some((d) => String(d.label).includes("NEST seed 143202461")));
  const raster = specs[0];
  const points = raster.data.datasets.reduce((n, d) => n + (d.data as unknown[]).length, 0);
  equal(points, (a as unknown as { raster: { t_ms: number[] } }).raster.t_ms.length);
});

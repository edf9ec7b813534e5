/**
 * End to end, in real headless Chromium: the nightly runs a tiny configuration (real bench
 * runs, one validated), the report is opened from disk with every non-file request aborted,
 * and every chart must have drawn, with no console error and no request attempted.
 * Screenshots go to test_artifacts/ (gitignored).
 */
import assert from "node:assert/strict";
import { chromium, type Page } from "playwright-core";
import { ingestFolder } from "../benchmarks/ingest.ts";
import { History } from "../benchmarks/results_store.ts";
import { buildReport } from "./build_report.ts";
import { nestWorkingMemoryRecord, writeSyntheticHistory } from "./test_util.ts";

const CHROMIUM = "/usr/bin/chromium";
const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const ARTIFACTS = `${REPO}/test_artifacts`;
const haveChromium = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
if (!haveChromium) {
  console.warn(
    `report_e2e_test.ts: SKIPPED — ${CHROMIUM} is absent (install it with ` +
      "`apt-get install -y chromium`; .ci/run does).",
  );
}

/** What the page showed. */
interface PageCheck {
  /** The page's own summary, "N drawn, M failed". */
  charts: string;
  /** Per canvas: id and number of non-transparent pixels. */
  canvases: { id: string; painted: number; width: number; height: number }[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests the page attempted other than file:// (all aborted). */
  blocked: string[];
}

/** Opens `file` in a fresh headless Chromium, checks it, screenshots it, runs `more`. */
async function openReport(
  file: string,
  screenshot: string,
  more: (page: Page) => Promise<void>,
): Promise<PageCheck> {
  const userDataDir = await Deno.makeTempDir({ prefix: "spikebench-chromium-" });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1366, height: 900 },
  });
  const check: PageCheck = { charts: "", canvases: [], errors: [], blocked: [] };
  try {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") check.errors.push(m.text());
    });
    page.on("pageerror", (e) => check.errors.push(`uncaught: ${e.message}`));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file://")) return route.continue();
      check.blocked.push(url);
      return route.abort();
    });
    await page.goto(`file://${file}`);
    await page.waitForFunction("document.documentElement.dataset.charts !== undefined", null, {
      timeout: 30_000,
    });
    check.charts = String(await page.evaluate("document.documentElement.dataset.charts"));
    check.canvases = await page.evaluate(`[...document.querySelectorAll("canvas")].map((c) => {
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return { id: c.id, painted, width: c.width, height: c.height };
    })`) as PageCheck["canvases"];
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    await more(page);
  } finally {
    await context.close();
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
  }
  return check;
}

function assertAllDrawn(check: PageCheck): void {
  assert.deepEqual(check.blocked, [], "the page tried to load something from the network");
  assert.deepEqual(check.errors, [], "console errors");
  assert.equal(check.charts, `${check.canvases.length} drawn, 0 failed`);
  for (const c of check.canvases) {
    // A drawn chart has at least its axes, labels and data: thousands of painted pixels on a
    // canvas of ~10^6. A blank canvas has 0.
    assert.ok(c.width > 100 && c.height > 100, `${c.id} has size ${c.width}×${c.height}`);
    assert.ok(c.painted > 2000, `${c.id} is blank (${c.painted} painted pixels)`);
  }
}

Deno.test({
  name: "report from real nightly runs renders every chart offline in headless Chromium",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "spikebench-e2e-" });
    try {
      // Two small performance runs, and a 10 % scale run validated on a 300 ms window: a
      // window that short fails the distribution cells (validation/README.md), so the page
      // must show failed cells in red with their reasons.
      const config = {
        description: "e2e test",
        matrix: [
          {
            name: "perf",
            models: ["microcircuit"],
            scales: [0.02],
            seeds: [55],
            drives: ["poisson"],
            repeat: 2,
            t_presim_ms: 50,
            t_sim_ms: 200,
            save_spikes: true,
          },
          {
            name: "val",
            models: ["microcircuit"],
            scales: [0.1],
            seeds: [55],
            drives: ["poisson"],
            repeat: 1,
            t_presim_ms: 100,
            t_sim_ms: 300,
            validate: true,
          },
        ],
      };
      await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
      const nightly = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          `${REPO}/benchmarks/nightly.ts`,
          "--config",
          `${dir}/config.json`,
          "--out",
          `${dir}/results`,
          "--report",
          `${dir}/report/index.html`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(nightly.stdout);
      const errors = new TextDecoder().decode(nightly.stderr);
      assert.equal(
        nightly.code,
        1,
        `the failed validation must fail the nightly:\n${log}${errors}`,
      );
      assert.match(log, /\[1\/2\] perf: .* 2 run\(s\), RTF median/);
      assert.match(log, /\[2\/2\] val: .* validation FAIL/);
      assert.match(log, /^FAIL: 1 failed validation\(s\)$/m);

      // Real result files ingest cleanly into another history (and only once).
      const copy = new History(`${dir}/copy.sqlite`);
      const ingested = await ingestFolder(`${dir}/results`, copy);
      assert.deepEqual(ingested.malformed, []);
      assert.equal(ingested.runsAdded, 3);
      assert.equal(ingested.validationsAdded, 1);
      copy.close();

      const check = await openReport(
        `${dir}/report/index.html`,
        `${ARTIFACTS}/report.png`,
        async (page) => {
          const text = (selector: string) =>
            page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
              .map((e) => e.textContent.trim())`) as Promise<string[]>;
          // Summary: one row per configuration with its validation badge.
          const summary = await text("#summary tbody tr");
          assert.equal(summary.length, 2);
          assert.match(summary.find((r) => r.includes("scale 0.02"))!, /not validated/);
          assert.match(summary.find((r) => r.includes("scale 0.1"))!, /FAIL/);
          assert.ok((await text(".banner.bad"))[0].includes("1 failed validation(s)"));
          // Validation: the verdict, 24 cells and 8 mean-rate rows; every failed cell is red
          // and says why.
          assert.ok((await text("#validation h3"))[0].startsWith("FAIL"));
          assert.equal((await text("#validation table.cells tbody tr")).length, 24);
          assert.equal((await text("#validation table.rates tbody tr")).length, 8);
          const failed = await text("#validation table.cells tr.fail");
          assert.ok(failed.length > 0);
          for (const row of failed) assert.match(row, /FAIL.*(EMD|KS) .* > /s);
          const red = await page.evaluate(`getComputedStyle(
            document.querySelector("#validation table.cells tr.fail td")).backgroundColor`);
          assert.equal(red, "rgb(253, 231, 234)");
          // Sections, rasters, environment, notes.
          for (const id of ["summary", "performance", "trends", "validation", "activity"]) {
            assert.equal((await text(`#${id}`)).length, 1, `section #${id}`);
          }
          assert.equal((await text("#activity article")).length, 2);
          assert.equal((await text("#environment table.env tbody tr")).length, 3);
          assert.ok((await text("#notes pre.note")).some((n) => n.startsWith("Engine:")));
        },
      );
      assertAllDrawn(check);
      // performance 4 + trends 3 × 2 configurations + violins 3 + rasters and rates 2 × 2.
      assert.equal(check.canvases.length, 4 + 6 + 3 + 4);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a regression shows in Chromium: red banner, baseline band and red markers drawn",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "spikebench-e2e-" });
    try {
      await writeSyntheticHistory(`${dir}/history.sqlite`, { lastFactor: 1.3 });
      const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
      assert.equal(built.model.regression.regressions, 1);
      const check = await openReport(
        built.path,
        `${ARTIFACTS}/report_regression.png`,
        async (page) => {
          const banner = await page.evaluate(`document.querySelector(".banner.bad").textContent`);
          assert.match(String(banner), /1 performance regression\(s\) beyond the noise/);
          // The RTF trend of the slowed configuration carries the band and the markers.
          const datasets = await page.evaluate(`(() => {
            const canvas = [...document.querySelectorAll("#trends canvas")][0];
            return Chart.getChart(canvas).data.datasets.map((d) => d.label);
          })()`);
          assert.deepEqual(datasets, [
            "tolerated band (baseline median ± threshold)",
            "band lower edge",
            "baseline median",
            "RTF of each run",
            "regression",
          ]);
        },
      );
      assertAllDrawn(check);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the working-memory section renders in Chromium: raster, rates, u/x per regime, verdict",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "spikebench-e2e-" });
    try {
      const { judgeWorkingMemory } = await import("../validation/working_memory_checks.ts");
      const { loadWorkingMemoryReference } = await import(
        "../validation/working_memory_reference.ts"
      );
      const history = new History(`${dir}/history.sqlite`);
      const runs = [];
      for (const regime of ["A", "B", "C"] as const) {
        const run = await nestWorkingMemoryRecord(regime);
        history.addRun(run);
        runs.push(run as unknown as { id: string; regime: "A" | "B" | "C"; working_memory: never });
      }
      const verdict = judgeWorkingMemory(
        runs.map((r) => ({ regime: r.regime, seed: "1", analysis: r.working_memory })),
        await loadWorkingMemoryReference(),
      );
      history.addValidation({
        id: "wm_validation",
        run_id: runs.map((r) => r.id).join(","),
        timestamp: new Date().toISOString(),
        model: "working_memory",
        scale: 1,
        passed: verdict.pass,
        verdict,
      });
      history.close();
      const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
      const check = await openReport(
        built.path,
        `${ARTIFACTS}/report_working_memory.png`,
        async (page) => {
          const count = (selector: string) =>
            page.evaluate(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
          assert.equal(await count("#working-memory article"), 4);
          assert.equal(await count("#working-memory canvas"), 9);
          assert.ok(Number(await count("#working-memory table.wm-checks tbody tr")) > 30);
          // The microcircuit validation section does not list the working-memory verdict.
          assert.equal(await count("#validation article"), 0);
        },
      );
      assertAllDrawn(check);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the rewiring section renders in Chromium: SDNR vs T chart, points and capacity tables",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "spikebench-e2e-" });
    try {
      const { syntheticRewiringRun, syntheticRewiringValidation } = await import(
        "./rewiring_test_util.ts"
      );
      await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 1 });
      const history = new History(`${dir}/history.sqlite`);
      history.addValidation(syntheticRewiringValidation());
      history.addRun(syntheticRewiringRun({ patterns: 1000, period: 100 }));
      history.addRun(syntheticRewiringRun({ patterns: 2000, period: 0 }));
      history.close();
      const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
      const check = await openReport(
        built.path,
        `${ARTIFACTS}/report_rewiring.png`,
        async (page) => {
          const count = (selector: string) =>
            page.evaluate(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
          assert.equal(await count("nav a[href='#rewiring']"), 1);
          assert.equal(await count("#rewiring canvas"), 1);
          assert.equal(await count("#rewiring table.rewiring-points tbody tr"), 6);
          assert.equal(await count("#rewiring table.rewiring-capacity tbody tr"), 2);
          assert.equal(await count("#rewiring table.rewiring-bench tbody tr"), 2);
          assert.equal(await count("#validation article"), 0);
          const datasets = await page.evaluate(`(() => {
            const chart = Chart.getChart(document.querySelector("#rewiring canvas"));
            return chart.data.datasets.map((d) => [d.label, d.data.length]);
          })()`) as [string, number][];
          assert.deepEqual(datasets.slice(0, 3), [
            ["theory, r = 100", 80],
            ["simulation, r = 100 (mean of 3 seeds)", 3],
            ["± 1 std over seeds, r = 100", 9],
          ]);
          assert.deepEqual(datasets.at(-1), ["bench runs (one seed each)", 2]);
        },
      );
      assertAllDrawn(check);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

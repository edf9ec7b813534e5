// What a reader sees first: the banner must not call "no regression" what was never compared,
// the summary must not hide a configuration behind another one of the same model and scale,
// and a verdict on spike files must not look like a verdict on an engine configuration.
import assert from "node:assert/strict";
import { History } from "../benchmarks/results_store.ts";
import { buildReport } from "./build_report.ts";
import { summaryRows } from "./summary_rows.ts";
import { minutesAfterEpoch, syntheticRun } from "./test_util.ts";

async function reportOf(
  fill: (history: History) => void,
): Promise<{ html: string; rows: ReturnType<typeof summaryRows> }> {
  const dir = await Deno.makeTempDir({ prefix: "spikebench-banner-" });
  try {
    const history = new History(`${dir}/history.sqlite`);
    try {
      fill(history);
    } finally {
      history.close();
    }
    const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/index.html` });
    return { html: await Deno.readTextFile(built.path), rows: summaryRows(built.model) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("report_banner_no_baseline: a fresh history says nothing was compared yet", async () => {
  const { html } = await reportOf((history) => {
    for (let i = 0; i < 2; i++) history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(i) }));
  });
  assert.match(html, /Nothing compared yet: 1 configuration\(s\) have no baseline yet/);
  assert.doesNotMatch(html, /No performance regression beyond the noise/);
});

Deno.test("report_banner_no_baseline: judged and unjudged configurations are counted apart", async () => {
  const { html } = await reportOf((history) => {
    // Seven nights of one configuration (a baseline), one run of another.
    for (let night = 0; night < 7; night++) {
      history.addRun(syntheticRun({
        timestamp: minutesAfterEpoch(night * 1440),
        commit: `c${night}`.padEnd(12, "0"),
      }));
    }
    history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(7 * 1440 + 5), drive: "dc" }));
  });
  assert.match(
    html,
    /No performance regression beyond the noise in 1 configuration\(s\); 1 configuration\(s\) have no baseline yet/,
  );
});

Deno.test("report_summary_configurations: a run without recording does not hide the recorded configuration", async () => {
  const { rows } = await reportOf((history) => {
    history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(0), record: true }));
    history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(1), record: false }));
    history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(2), t_sim_ms: 1000 }));
  });
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => [r.latest.record, r.latest.t_sim_ms]), [
    [true, 200],
    [false, 200],
    [true, 1000],
  ]);
});

Deno.test("report_spike_file_validation: a verdict on spike files is information, shown in full, not a failure", async () => {
  const { html } = await reportOf((history) => {
    history.addRun(syntheticRun({ timestamp: minutesAfterEpoch(0), scale: 0.1, k_scale: 0.1 }));
    history.addValidation({
      id: "v_files",
      run_id: null,
      timestamp: minutesAfterEpoch(1),
      model: "microcircuit",
      scale: 0.1,
      passed: false,
      verdict: {
        kind: "spikebench-validation",
        pass: false,
        failures: ["L4E firing_rate: EMD 1 > 0.4"],
        inputs: ["/data/nest/run1.dat", "/data/nest/run2.dat"],
      },
    });
  });
  // The banner lists it apart, as information; it is not a failed validation of ours.
  assert.match(
    html,
    /<div class="banner info">Verdicts on spike files \(not engine runs\): <ul><li>FAIL: microcircuit · scale 0\.1 · spike files run1\.dat, run2\.dat \(validation <code>v_files<\/code>\)<\/li><\/ul>/,
  );
  assert.doesNotMatch(html, /failed validation: /);
  assert.doesNotMatch(html, /class="banner bad"/);
  // The validation section still shows it, in its own part, with its failures.
  assert.match(
    html,
    /<h3 id="validation-spike-files">Verdicts on spike files \(not engine runs\)<\/h3>/,
  );
  assert.match(html, /<article class="validation" data-validation="v_files">/);
  assert.match(
    html,
    /spike files \(<code>deno task validate --spikes<\/code>\): <code>run1\.dat, run2\.dat<\/code>/,
  );
  assert.doesNotMatch(html, /of run\(s\) <code>—<\/code>/);
});

Deno.test("report_banner_no_baseline: regress says which configurations were not compared", async () => {
  const { formatRegressionReport, judgeHistory } = await import("./regression.ts");
  const runs = [0, 1].map((i) => syntheticRun({ timestamp: minutesAfterEpoch(i) }));
  const text = formatRegressionReport(judgeHistory(runs, []));
  assert.match(text, /^no base {2} microcircuit/m);
  assert.match(
    text,
    /PASS: no performance regression beyond the noise in 0 configuration\(s\) with a baseline; 1 configuration\(s\) not compared \(no baseline yet\)/,
  );
});

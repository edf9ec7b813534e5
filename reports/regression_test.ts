import assert from "node:assert/strict";
import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";
import {
  formatRegressionReport,
  isSpikeFileVerdict,
  judgeAllSessions,
  judgeHistory,
  madSpread,
  median,
  robustSpread,
  splitSessions,
} from "./regression.ts";
import {
  minutesAfterEpoch,
  normalDeviate,
  seededRandom,
  syntheticRun,
  syntheticValidation,
} from "./test_util.ts";

/**
 * A nightly history: `nights` sessions of `repeat` runs one minute apart, one night apart,
 * each night a new commit. RTF and construction time are 3 s and 0.9 s times
 * (1 + σ_night·N + σ_run·N); the last night is multiplied by `lastFactor`.
 */
function nightlyHistory(
  seed: number,
  options: { nights?: number; repeat?: number; lastFactor?: number; sigmaRun?: number } = {},
): BenchResult[] {
  const { nights = 6, repeat = 3, lastFactor = 1, sigmaRun = 0.03 } = options;
  const random = seededRandom(seed);
  const runs: BenchResult[] = [];
  for (let night = 0; night < nights; night++) {
    const nightNoise = 0.01 * normalDeviate(random);
    const factor = night === nights - 1 ? lastFactor : 1;
    for (let r = 0; r < repeat; r++) {
      const noise = () => factor * (1 + nightNoise + sigmaRun * normalDeviate(random));
      runs.push(syntheticRun({
        timestamp: minutesAfterEpoch(night * 1440 + r),
        commit: `commit${night}`,
        repeat_index: r,
        rtf: 3 * noise(),
        construction_s: 0.9 * noise(),
      }));
    }
  }
  return runs;
}

Deno.test("median and robust spread: exact values", () => {
  assert.deepEqual(median([3, 1, 2]), 2);
  assert.deepEqual(median([4, 1, 2, 3]), 2.5);
  // |x - 3| = 2, 1, 0, 1, 97 → MAD 1 → MAD-σ = 1.4826 (the outlier 100 does not matter).
  assert.equal(madSpread([1, 2, 3, 4, 100]), 1.4826);
  // 100 lies beyond 4 × 1.4826 of the median 3 and is left out; SD(1, 2, 3, 4) = sqrt(5/3).
  assert.equal(robustSpread([1, 2, 3, 4, 100]), Math.sqrt(5 / 3));
  assert.throws(() => median([]), RangeError);
});

Deno.test("sessions split on a new commit and on a gap longer than an hour", () => {
  const runs = [
    syntheticRun({ timestamp: minutesAfterEpoch(0), commit: "a" }),
    syntheticRun({ timestamp: minutesAfterEpoch(30), commit: "a" }),
    syntheticRun({ timestamp: minutesAfterEpoch(95), commit: "a" }), // 65 min later
    syntheticRun({ timestamp: minutesAfterEpoch(96), commit: "b" }),
  ];
  const sessions = splitSessions(runs.toReversed());
  assert.deepEqual(sessions.map((s) => s.length), [2, 1, 1]);
});

// Tolerance: at this noise (3 % per run, 1 % per night) the rule's false-alarm rate is about
// 0.1 % per metric (measured over 3 000 histories), so 200 histories × 2 metrics expect ~0.5
// false alarms; at most 2 (1 % of histories) are allowed. Without the noise allowance the
// same histories are flagged far more often: 12 of 200 with a plain 5 % threshold, 48 with 1 σ.
Deno.test("pure noise is not called a regression (200 seeded nightly histories)", () => {
  let flagged = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const report = judgeHistory(nightlyHistory(seed), []);
    assert.equal(report.sessions.length, 1);
    if (!report.pass) flagged++;
  }
  assert.ok(flagged <= 2, `${flagged} of 200 noise-only histories flagged`);
});

Deno.test("a real 20 % slowdown is flagged (200 seeded nightly histories)", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const report = judgeHistory(nightlyHistory(seed, { lastFactor: 1.2 }), []);
    assert.deepEqual(report.regressions, 1, `seed ${seed}: ${formatRegressionReport(report)}`);
    const rtf = report.sessions[0].metrics.find((m) => m.metric === "rtf")!;
    assert.deepEqual(rtf.status, "regression");
    assert.ok(rtf.relativeChange! > 0.1);
  }
  const text = formatRegressionReport(judgeHistory(nightlyHistory(1, { lastFactor: 1.2 }), []));
  assert.ok(text.includes("REGRESSION"));
  assert.ok(text.split("\n").at(-1)!.startsWith("FAIL: 1 performance regression"));
});

Deno.test("a 20 % speed-up is an improvement, not a failure", () => {
  const report = judgeHistory(nightlyHistory(7, { lastFactor: 1 / 1.2 }), []);
  assert.ok(report.pass);
  assert.deepEqual(report.sessions[0].metrics[0].status, "improvement");
});

Deno.test("one slow run alone is unconfirmed: a warning, not a failure", () => {
  const runs = nightlyHistory(3, { nights: 5 });
  runs.push(syntheticRun({ timestamp: minutesAfterEpoch(5 * 1440), commit: "new", rtf: 6 }));
  const report = judgeHistory(runs, []);
  assert.ok(report.pass);
  assert.deepEqual(report.sessions[0].metrics[0].status, "unconfirmed");
  assert.ok(report.sessions[0].metrics[0].message.includes("repeat to confirm"));
});

Deno.test("an outlier in the baseline does not hide a regression", () => {
  const runs = nightlyHistory(11, { nights: 5 });
  runs[4] = { ...runs[4], rtf: 30 }; // one run hit by a background job
  const slow = nightlyHistory(12, { nights: 1, lastFactor: 1.2 }).map((r, i) => ({
    ...r,
    timestamp: minutesAfterEpoch(5 * 1440 + i),
    commit: "slow",
  }));
  const report = judgeHistory([...runs, ...slow], []);
  assert.deepEqual(report.regressions, 1);
});

Deno.test("too little history gives 'no baseline', never a regression", () => {
  const runs = nightlyHistory(5, { nights: 1, lastFactor: 5 });
  const report = judgeHistory(runs, []);
  assert.ok(report.pass);
  assert.deepEqual(report.sessions[0].metrics[0].status, "no baseline");
});

Deno.test("a failed validation is flagged; a newer pass of the same configuration clears it", () => {
  const runs = nightlyHistory(9);
  const last = runs[runs.length - 1];
  const failed = judgeHistory(runs, [syntheticValidation(last, false)]);
  assert.ok(!failed.pass);
  assert.deepEqual(failed.regressions, 0);
  assert.deepEqual(failed.validationFailures, 1);
  assert.ok(failed.validations[0].failures[0].startsWith("L4E cv_isi"));
  assert.ok(formatRegressionReport(failed).includes("INVALID"));
  assert.ok(formatRegressionReport(failed).endsWith("FAIL: 1 failed validation(s)"));

  const older = syntheticValidation(runs[0], false);
  const newer = syntheticValidation(last, true);
  assert.ok(judgeHistory(runs, [older, newer]).pass);
});

Deno.test("configurations are judged apart: a slow DC run does not shift the Poisson baseline", () => {
  const poisson = nightlyHistory(21);
  const dc = nightlyHistory(22, { lastFactor: 1.2 }).map((r) => ({ ...r, drive: "dc" }));
  const report = judgeHistory([...poisson, ...dc], []);
  assert.deepEqual(report.sessions.length, 2);
  assert.deepEqual(report.sessions.filter((s) => s.regressed).map((s) => s.label.includes("dc")), [
    true,
  ]);
});

Deno.test("since restricts the judgement to configurations run since then", () => {
  const runs = nightlyHistory(4, { lastFactor: 1.2 });
  assert.deepEqual(judgeHistory(runs, [], { since: minutesAfterEpoch(10 * 1440) }).sessions, []);
  assert.deepEqual(judgeHistory(runs, [], { since: minutesAfterEpoch(5 * 1440) }).regressions, 1);
});

Deno.test("every session of a trend is judged against the runs before it", () => {
  const verdicts = judgeAllSessions(nightlyHistory(2, { lastFactor: 1.2 }));
  assert.deepEqual(verdicts.length, 6);
  assert.deepEqual(verdicts.map((v) => v.metrics[0].status).slice(0, 1), ["no baseline"]);
  assert.deepEqual(verdicts.map((v) => v.regressed), [false, false, false, false, false, true]);
});

Deno.test("bad rule constants are rejected with the option's name", () => {
  assert.throws(() => judgeHistory([], [], { baselineRuns: 0 }), /baselineRuns/);
  assert.throws(
    () => judgeHistory([], [], { baselineRuns: 2, minBaselineRuns: 3 }),
    /minBaselineRuns/,
  );
});

Deno.test("a validation of an ensemble (run ids separated by commas) counts for its configuration", () => {
  const runs = nightlyHistory(13);
  const [a, b] = runs.slice(-2);
  const row = { ...syntheticValidation(a, false), run_id: `${a.id},${b.id}` };
  const report = judgeHistory(runs, [row]);
  assert.equal(report.validationFailures, 1);
  assert.deepEqual(report.validations[0].runIds, [a.id, b.id]);
  assert.ok(report.validations[0].label.startsWith("microcircuit · scale 0.02"));
});

/** A verdict of `deno task validate --spikes` on external files (no run id, its inputs). */
function spikeFileValidation(
  id: string,
  passed: boolean,
  options: { timestamp?: string; inputs?: string[]; scale?: number } = {},
): ValidationRow {
  return {
    id,
    run_id: null,
    timestamp: options.timestamp ?? minutesAfterEpoch(9 * 1440),
    model: "microcircuit",
    scale: options.scale ?? 0.1,
    passed,
    verdict: {
      kind: "spikebench-validation",
      pass: passed,
      failures: passed ? [] : ["L4E firing_rate: EMD 1 > 0.4"],
      inputs: options.inputs ?? ["/data/nest/trial.dat"],
    },
  };
}

Deno.test("regress_spike_file_verdicts: a verdict on spike files is listed, never judged", () => {
  const runs = nightlyHistory(31);
  // A failed trial validation of a NEST file, newer than every run: it used to fail the rule
  // forever (no later engine run replaces a "model scale" key).
  const trial = spikeFileValidation("v_trial", false);
  const report = judgeHistory(runs, [trial]);
  assert.ok(report.pass);
  assert.equal(report.validationFailures, 0);
  assert.deepEqual(report.validations, []);
  assert.deepEqual(report.spikeFileValidations.map((v) => [v.validationId, v.passed]), [
    ["v_trial", false],
  ]);
  assert.deepEqual(report.spikeFileValidations[0].spikeFiles, ["trial.dat"]);
  const text = formatRegressionReport(report);
  assert.match(text, /^verdicts on spike files \(not engine runs; listed, not judged\):$/m);
  assert.match(
    text,
    /^FAIL {6}microcircuit · scale 0\.1 · spike files trial\.dat {2}\(validation v_trial\)$/m,
  );
  assert.match(text, /^PASS: .*; 1 verdict\(s\) on spike files listed, not judged$/m);
  assert.doesNotMatch(text, /INVALID/);

  // Each set of files keeps its newest verdict; engine verdicts still count as before.
  const last = runs[runs.length - 1];
  const mixed = judgeHistory(runs, [
    trial,
    spikeFileValidation("v_trial2", true, { timestamp: minutesAfterEpoch(10 * 1440) }),
    spikeFileValidation("v_other", true, { inputs: ["/x/a.dat", "/x/b.dat"] }),
    syntheticValidation(last, false),
  ]);
  assert.ok(!mixed.pass);
  assert.equal(mixed.validationFailures, 1);
  assert.deepEqual(mixed.validations.map((v) => v.spikeFiles), [null]);
  assert.deepEqual(
    mixed.spikeFileValidations.map((v) => v.validationId).sort(),
    ["v_other", "v_trial2"],
  );
  assert.match(
    formatRegressionReport(mixed),
    /^FAIL: 1 failed validation\(s\); 2 verdict\(s\) on spike files listed, not judged$/m,
  );

  // A verdict without a run id but without spike files (the rewiring validator runs the
  // engine itself) is still judged.
  assert.equal(isSpikeFileVerdict(trial), true);
  const rewiring: ValidationRow = {
    id: "v_rewiring",
    run_id: null,
    timestamp: minutesAfterEpoch(9 * 1440),
    model: "rewiring",
    scale: 0.2,
    passed: false,
    verdict: { kind: "spikebench-rewiring-validation", pass: false },
  };
  assert.equal(isSpikeFileVerdict(rewiring), false);
  assert.equal(judgeHistory(runs, [rewiring]).validationFailures, 1);
  // --since applies to them too.
  assert.deepEqual(
    judgeHistory(runs, [trial], { since: minutesAfterEpoch(11 * 1440) }).spikeFileValidations,
    [],
  );
});

Deno.test("regress_nothing_judged: a since after every run says nothing was judged", () => {
  const runs = nightlyHistory(33);
  const since = minutesAfterEpoch(100 * 1440);
  const report = judgeHistory(runs, [syntheticValidation(runs[0], false)], { since });
  assert.ok(report.pass);
  assert.equal(report.since, since);
  const text = formatRegressionReport(report);
  assert.match(text, new RegExp(`^no runs to judge at or after ${since}$`, "m"));
  assert.match(
    text,
    new RegExp(
      `^PASS: nothing judged: no run and no validation of an engine run at or after ${since}$`,
      "m",
    ),
  );
  assert.doesNotMatch(text, /no performance regression/);
  assert.match(
    formatRegressionReport(judgeHistory([], [])),
    /^PASS: nothing judged: no run and no validation of an engine run in the history$/m,
  );
});

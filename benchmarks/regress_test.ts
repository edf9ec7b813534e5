// `deno task regress` on bad input: every flag has a documented range, errors name the flag
// (not the rule's internal option), and an unusable history is bad input (exit 2).
import assert from "node:assert/strict";
import { writeSyntheticHistory } from "../reports/test_util.ts";
import { runScript } from "./cli_test_util.ts";
import { REGRESSION_FLAGS, regressionOptionsFromFlags } from "./regress.ts";
import { History } from "./results_store.ts";

const REGRESS = new URL("./regress.ts", import.meta.url).pathname;

function usageMessage(values: Record<string, string>): string {
  try {
    regressionOptionsFromFlags(values);
  } catch (e) {
    assert.equal((e as Error).name, "UsageError", (e as Error).stack);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(values)} was accepted`);
}

Deno.test("every regress flag has a range; out-of-range values name the flag and the range", () => {
  const bad: Record<string, string[]> = {
    "baseline-runs": ["0", "-1", "1.5", "1e1", "0x10", "10001"],
    "min-baseline-runs": ["0", "2.5", "0b1"],
    "min-candidate-runs": ["0", "-3", "1e0"],
    "spread-factor": ["-1", "101", "0x1", "Infinity"],
    "min-relative-change": ["2", "1", "-0.1", "0x0"],
    "session-gap-min": ["0", "-5", "525601", "NaN"],
  };
  assert.deepEqual(Object.keys(bad).sort(), Object.keys(REGRESSION_FLAGS).sort());
  for (const [flag, values] of Object.entries(bad)) {
    for (const raw of values) {
      assert.equal(
        usageMessage({ [flag]: raw }),
        `--${flag}: got ${JSON.stringify(raw)}, expected ${REGRESSION_FLAGS[flag].range}`,
      );
    }
  }
  // The boundaries that are in range.
  const o = regressionOptionsFromFlags({
    "baseline-runs": "1",
    "min-baseline-runs": "1",
    "min-candidate-runs": "1",
    "spread-factor": "0",
    "min-relative-change": "0.999",
    "session-gap-min": "0.5",
  });
  assert.deepEqual(
    [o.baselineRuns, o.minBaselineRuns, o.spreadFactor, o.minRelativeChange, o.sessionGapMinutes],
    [1, 1, 0, 0.999, 0.5],
  );
  // The pair rule names flags too, whichever of the two was given.
  assert.match(
    usageMessage({ "baseline-runs": "3" }),
    /^--baseline-runs: got 3, .*--min-baseline-runs \(6, the default/,
  );
  assert.match(
    usageMessage({ "baseline-runs": "3", "min-baseline-runs": "4" }),
    /^--min-baseline-runs: got 4, expected at most --baseline-runs \(3\)$/,
  );
  for (const flag of Object.keys(REGRESSION_FLAGS)) {
    assert.doesNotMatch(
      usageMessage({ [flag]: "-1e9" }),
      /baselineRuns|minRelativeChange|sessionGap/,
    );
  }
});

Deno.test("regress CLI: bad flags, a folder or a corrupt history exit 2 without a trace", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 1 });
    const h = ["--history", `${dir}/history.sqlite`];
    const text = "not a database\n".repeat(100);
    await Deno.writeTextFile(`${dir}/corrupt.sqlite`, text);
    const cases: [string[], RegExp][] = [
      [
        [...h, "--min-relative-change", "2"],
        /^error: --min-relative-change: got "2", expected a fraction in \[0, 1\)/m,
      ],
      [
        [...h, "--session-gap-min", "0"],
        /^error: --session-gap-min: got "0", expected .*\(0, 525600\]/m,
      ],
      [
        [...h, "--baseline-runs", "0"],
        /^error: --baseline-runs: got "0", expected an integer in \[1, 10000\]/m,
      ],
      [[...h, "--baseline-runs", "-1"], /^error: --baseline-runs: got "-1"/m],
      [
        [...h, "--baseline-runs", "3"],
        /^error: --baseline-runs: got 3, expected at least --min-baseline-runs/m,
      ],
      [
        [...h, "--spread-factor", "2", "--spread-factor", "3"],
        /--spread-factor: given more than once/,
      ],
      [[...h, "--since", "2026-02-30"], /^error: --since: got "2026-02-30", expected an ISO date/m],
      [
        ["--history", dir],
        new RegExp(`^error: --history: ${dir} is a folder, not a history file$`, "m"),
      ],
      [["--history", `${dir}/none.sqlite`], /--history: .*none\.sqlite: no such history file/],
      [
        ["--history", `${dir}/corrupt.sqlite`],
        new RegExp(
          `^error: ${dir}/corrupt.sqlite: not a spikebench history \\(SQLite says: file is not a database\\)$`,
          "m",
        ),
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runScript(REGRESS, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.doesNotMatch(r.stderr, /^\s+at |Uncaught|RangeError/m, r.stderr);
    }
    assert.equal(await Deno.readTextFile(`${dir}/corrupt.sqlite`), text);
    const good = await runScript(REGRESS, [
      ...h,
      "--min-relative-change",
      "0.1",
      "--session-gap-min",
      "30",
    ]);
    assert.equal(good.code, 0, good.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress_spike_file_verdicts: a trial validation of a NEST file does not make regress exit 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/history.sqlite`;
    await writeSyntheticHistory(path, { nights: 2, lastFactor: 1 });
    const history = new History(path);
    try {
      history.addValidation({
        id: "v_nest_trial",
        run_id: null,
        timestamp: new Date().toISOString(),
        model: "microcircuit",
        scale: 0.1,
        passed: false,
        verdict: {
          kind: "spikebench-validation",
          pass: false,
          failures: ["L4E firing_rate: EMD 1 > 0.4"],
          inputs: ["/data/nest/spikes_L4E.dat"],
        },
      });
    } finally {
      history.close();
    }
    const r = await runScript(REGRESS, ["--history", path, "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^verdicts on spike files \(not engine runs; listed, not judged\):$/m);
    assert.match(
      r.stdout,
      /^FAIL {6}microcircuit · scale 0\.1 · spike files spikes_L4E\.dat {2}\(validation v_nest_trial\)$/m,
    );
    assert.match(r.stdout, /^PASS: .*1 verdict\(s\) on spike files listed, not judged$/m);
    const json = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    assert.deepEqual([json.pass, json.validationFailures, json.spikeFileValidations.length], [
      true,
      0,
      1,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress_nothing_judged: --since after the newest run says nothing was judged (exit 0)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 2 });
    const r = await runScript(REGRESS, [
      "--history",
      `${dir}/history.sqlite`,
      "--since",
      "2099-01-01",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^no runs to judge at or after 2099-01-01T00:00:00\.000Z$/m);
    assert.match(
      r.stdout,
      /^PASS: nothing judged: no run and no validation of an engine run at or after 2099-01-01/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress_empty_values: --history '' and unknown options get clear messages (exit 2)", async () => {
  const cases: [string[], RegExp][] = [
    [["--history", ""], /^error: --history: got "", expected the path of a history file$/m],
    [["--bogus"], /^error: --bogus: unknown option \(see --help\)$/m],
    [
      ["--json=1"],
      /^error: --json: an on\/off switch takes no value, got "--json=1"; write --json/m,
    ],
    [["--history"], /^error: --history: a value is required \(see --help\)$/m],
    [
      ["extra"],
      /^error: unexpected argument "extra": this command takes only flags \(see --help\)$/m,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runScript(REGRESS, args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
});

// `deno task bench --model working_memory` and `deno task validate --model working_memory`: bad
// flags are refused with exit code 2, naming the flag and its range, before anything runs or
// is written.
import { deepEqual, equal, match } from "node:assert/strict";
import { runScript } from "./cli_test_util.ts";
import { parseBenchArgs } from "./bench_options.ts";

const BENCH = new URL("./main.ts", import.meta.url).pathname;
const VALIDATE = new URL("./validate_main.ts", import.meta.url).pathname;

Deno.test("bench --model working_memory: defaults (regime B, 7000 ms) and flag routing", () => {
  const o = parseBenchArgs(["--model", "working_memory"]);
  equal(o.regime, "B");
  equal(o.tSimMs, 7000);
  equal(
    parseBenchArgs(["--model", "working_memory", "--regime", "A", "--t-sim", "8000"]).tSimMs,
    8000,
  );
  // The microcircuit keeps its own default.
  equal(parseBenchArgs([]).tSimMs, 1000);
});

Deno.test("working-memory flags: bad values exit 2 and name the flag; nothing is written", async () => {
  const dir = await Deno.makeTempDir();
  const cases: [string, string[], RegExp][] = [
    [
      BENCH,
      ["--model", "working_memory", "--regime", "D"],
      /--regime: got "D", expected one of A, B, C$/m,
    ],
    [
      BENCH,
      ["--model", "working_memory", "--scale", "0.5"],
      /--scale: not a flag of --model working_memory/,
    ],
    [BENCH, ["--model", "working_memory", "--t-sim", "3000"], /--t-sim: .*\[6000, 60000\]/],
    [
      BENCH,
      ["--model", "microcircuit", "--regime", "A"],
      /--regime: not a flag of --model microcircuit/,
    ],
    [VALIDATE, ["--model", "working_memory", "--regimes", "A,X"], /--regimes: got "A,X"/],
    [VALIDATE, ["--model", "working_memory", "--seeds", "1,1"], /--seeds: got "1,1"/],
    [VALIDATE, ["--model", "working_memory", "--t-sim", "5999"], /--t-sim: got "5999"/],
    [VALIDATE, ["--model", "working_memory", "--backend", "tpu"], /--backend: got "tpu"/],
    [VALIDATE, ["--model", "working_memory", "--bogus"], /bogus/],
  ];
  for (const [script, args, pattern] of cases) {
    const r = await runScript(script, [...args, "--out", dir]);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    match(r.stderr, pattern);
  }
  deepEqual([...Deno.readDirSync(dir)], []);
});

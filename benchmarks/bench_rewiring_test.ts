// `deno task bench --model rewiring` end to end: the record of a small CPU-path run, its place in
// the results folder and the history, and the flags that belong to the other model.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { History } from "./results_store.ts";
import { runScript } from "./cli_test_util.ts";
import { rewiringEstimate } from "./run_rewiring.ts";
import { resolveRewiringModelParams } from "../models/rewiring_params.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

Deno.test("bench --model rewiring records training and test times, SDNR and its theory", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runScript(MAIN, [
    "--model",
    "rewiring",
    "--patterns",
    "40",
    "--rewiring-period",
    "20",
    "--backend",
    "cpu",
    "--seed",
    "7",
    "--json",
    "--out",
    dir,
  ]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]);
  equal(result.model, "rewiring");
  equal(result.seed, 7);
  equal(result.training_patterns, 40);
  equal(result.test_patterns, 40);
  equal(result.rewiring_period, 20);
  equal(result.params.populationSize2, 20000);
  ok(result.train_s > 0 && result.test_s > 0 && result.patterns_per_s > 0);
  ok(result.sdnr > 0 && result.sdnr_theory > 0);
  // The simulated SDNR lies near the mean-field theory (T = 40 is small: a loose band).
  ok(
    Math.abs(result.sdnr / result.sdnr_theory - 1) < 0.25,
    `${result.sdnr} vs ${result.sdnr_theory}`,
  );
  ok(result.synapses > 19e6 && result.synapses < 21e6, `${result.synapses} connections`);
  match(r.stderr, /patterns\/s/);
  const stored = JSON.parse(await Deno.readTextFile(`${dir}/${result.id}.json`));
  deepEqual(stored, result);
  const history = new History(`${dir}/history.sqlite`);
  try {
    equal(history.runs().length, 1);
  } finally {
    history.close();
  }
});

Deno.test("bench --model rewiring rejects microcircuit flags and bad counts with exit 2", async () => {
  const dir = await Deno.makeTempDir();
  for (
    const [args, pattern] of [
      [["--model", "rewiring", "--scale", "0.5"], /--scale: not a flag of --model rewiring/],
      [["--model", "microcircuit", "--patterns", "5"], /--patterns: not a flag of --model micro/],
      [["--model", "rewiring", "--patterns", "0"], /--patterns.*\[1, 1000000\]/],
      [["--model", "rewiring", "--rewiring-period", "-1"], /--rewiring-period/],
      [["--model", "rewiring", "--size", "huge"], /--size/],
    ] as [string[], RegExp][]
  ) {
    const r = await runScript(MAIN, [...args, "--out", dir]);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    match(r.stderr, pattern);
  }
  // Nothing was written by the refused runs.
  deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("rewiring work estimate counts training, rewiring and test visits", () => {
  const p = resolveRewiringModelParams({
    populationSize1: 1000,
    populationSize2: 1000,
    inDegree: 100,
    trainingPatterns: 100,
    testPatterns: 10,
    rewiringPeriod: 25,
  });
  const n2c = 1000 * 100;
  const e = rewiringEstimate(p);
  equal(e.visits, 100 * p.alpha2 * n2c + 5 * n2c + 10 * n2c);
});

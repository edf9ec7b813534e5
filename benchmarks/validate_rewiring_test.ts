// `deno task validate --model rewiring` end to end on the CPU path: a tiny T-scan's JSON verdict
// and its history row, bad flags (exit 2 before any work), and the dispatch in validate_main.ts.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { History } from "./results_store.ts";
import { runScript } from "./cli_test_util.ts";
import { rewiringTheory } from "../validation/rewiring_theory.ts";

const MAIN = new URL("./validate_main.ts", import.meta.url).pathname;
const CI_THEORY = { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, noiseSigma: 0 };

Deno.test("validate --model rewiring: a tiny CPU scan prints its verdict and stores it", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runScript(MAIN, [
    "--model",
    "rewiring",
    "--backend",
    "cpu",
    "--patterns-list",
    "40,20",
    "--seeds",
    "1,2",
    "--test-patterns",
    "10",
    "--background-stride",
    "2",
    "--out",
    dir,
    "--json",
  ]);
  const verdict = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  equal(r.code, verdict.pass ? 0 : 1, r.stderr);
  equal(verdict.kind, "spikebench-rewiring-validation");
  equal(verdict.size, "ci");
  deepEqual(verdict.config.patterns, [20, 40]);
  deepEqual(verdict.config.periods, [100, 0]);
  deepEqual(verdict.config.seeds, [1, 2]);
  equal(verdict.config.params.populationSize2, 20000);
  equal(verdict.config.backend, "cpu");
  equal(verdict.config.backgroundStride, 2);
  equal(verdict.config.params.backgroundStride, 2);
  deepEqual(
    verdict.points.map((p: { trainingPatterns: number; rewiringPeriod: number }) => [
      p.trainingPatterns,
      p.rewiringPeriod,
    ]),
    [[20, 100], [40, 100], [20, 0], [40, 0]],
  );
  for (const p of verdict.points) {
    equal(p.sdnr.values.length, 2);
    const theory = rewiringTheory(p.trainingPatterns, {
      ...CI_THEORY,
      rewiringPeriod: p.rewiringPeriod,
    });
    ok(Math.abs(p.theory.sdnr - theory.sdnr) < 1e-12);
    // T ≤ 40 and 10 tested patterns: a loose band around the theory (SDNR ≈ 12).
    ok(Math.abs(p.sdnr.mean / theory.sdnr - 1) < 0.15, `${p.sdnr.mean} vs ${theory.sdnr}`);
    ok(p.sdnr.std > 0, "two seeds differ");
  }
  // With r = 100 > T no rewiring happened: r = 100 and r = 0 are the same network.
  deepEqual(verdict.points[0].sdnr.values, verdict.points[2].sdnr.values);
  // So the strict gain rule fails, and says so per seed; T ≤ 40 brackets no capacity.
  equal(verdict.pass, false);
  ok(verdict.failures.some((f: string) => /^gain T 20 seed 1: /.test(f)), verdict.failures);
  equal(verdict.capacities.length, 2);
  for (const c of verdict.capacities) equal(c.pass, null);
  ok(verdict.warnings.some((w: string) => /capacity r 100 not judged/.test(w)));
  ok(verdict.timing.total_s > 0 && verdict.timing.patterns_per_s > 0);
  equal(verdict.timing.patterns_trained, 40 * 2 * 2);
  equal(verdict.timing.patterns_tested, (10 + 10) * 2 * 2);
  match(r.stderr, /SDNR sim \(2 seeds\)/);
  match(r.stderr, /memory capacity/);

  const history = new History(`${dir}/history.sqlite`);
  const rows = history.validations();
  const runs = history.runs();
  history.close();
  equal(runs.length, 0, "the scan stores a verdict, not bench runs");
  equal(rows.length, 1);
  equal(rows[0].id, verdict.id);
  equal(rows[0].model, "rewiring");
  equal(rows[0].scale, 0.2);
  equal(rows[0].run_id, null);
  equal(rows[0].passed, verdict.pass);
  const { id: _id, ...stored } = verdict;
  deepEqual(rows[0].verdict, stored);
});

Deno.test("validate --model rewiring: bad flags exit 2 naming the flag, before any work", async () => {
  const dir = await Deno.makeTempDir();
  const cases: [string[], RegExp][] = [
    [
      ["--patterns-list", "0,5"],
      /--patterns-list: got "0,5", expected distinct integers in \[1, 1000000\]/,
    ],
    [["--patterns-list", "5,5"], /--patterns-list.*distinct/],
    [["--patterns-list", ""], /--patterns-list/],
    [["--seeds", "1,x"], /--seeds: .*\[0, 4294967295\]/],
    [["--rewiring-period", "100,-1"], /--rewiring-period: .*\[0, 1000000\]/],
    [["--test-patterns", "0"], /--test-patterns: got "0", expected an integer in \[1, 1000000\]/],
    [["--backend", "cuda"], /--backend: got "cuda", expected one of webgpu, cpu/],
    [["--size", "huge"], /--size: got "huge", expected one of ci, full/],
    [["--scale", "0.1"], /--scale: unknown option/],
    [["--out", ""], /--out/],
    [
      ["--background-stride", "0"],
      /--background-stride: got "0", expected an integer in \[1, 1000\]/,
    ],
    [
      ["--background-stride", "10"],
      /--background-stride: got 10, expected 1 with --backend webgpu/,
    ],
    [["--time-limit", "0"], /--time-limit: got "0", expected a number of minutes in \(0, 10080\]/],
    [["--time-limit", "x"], /--time-limit/],
  ];
  for (const [args, message] of cases) {
    const out = args.includes("--out") ? [] : ["--out", dir];
    const r = await runScript(MAIN, ["--model", "rewiring", ...args, ...out]);
    equal(r.code, 2, `${args.join(" ")}: exit ${r.code} ${r.stderr}`);
    match(r.stderr, message, args.join(" "));
    ok(!/adapter:/.test(r.stderr), "no device was acquired");
  }
  deepEqual([...Deno.readDirSync(dir)], [], "nothing written");
});

Deno.test("validate --model rewiring: a full-size scan beyond --time-limit is refused with its estimate", async () => {
  const dir = await Deno.makeTempDir();
  // Three seeds × T 5000 × r 100, 0 with every background neuron: ≈ 2 h on a software device.
  const r = await runScript(MAIN, [
    ...["--model", "rewiring", "--size", "full", "--backend", "cpu", "--patterns-list", "5000"],
    ...["--time-limit", "60", "--out", dir],
  ]);
  equal(r.code, 2, r.stderr);
  match(
    r.stderr,
    /--size full refused: ≈ [0-9.]+ h estimated on the CPU backend \(--time-limit 60 min\)/,
  );
  deepEqual([...Deno.readDirSync(dir)], [], "nothing written");
});

Deno.test("validate dispatch: --model microcircuit keeps the microcircuit flags, others exit 2", async () => {
  // --model microcircuit is accepted and the microcircuit parser judges the rest.
  const micro = await runScript(MAIN, ["--model", "microcircuit", "--seeds", "2,2"]);
  equal(micro.code, 2);
  match(micro.stderr, /--seeds.*distinct/);
  const other = await runScript(MAIN, ["--model", "nonsense"]);
  equal(other.code, 2);
  match(other.stderr, /--model/);
  const help = await runScript(MAIN, ["--model=rewiring", "--help"]);
  equal(help.code, 0);
  match(help.stdout, /--patterns-list/);
  match(
    help.stdout,
    /Rule \(validation\/README\.md\):\n {2}ci: +every \(T, r\): mean SDNR over seeds within 5 %/,
  );
});

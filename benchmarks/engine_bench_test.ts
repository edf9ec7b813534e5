// `deno task bench:engine` end to end at --quick sizes: one JSON document with the adapter,
// every measurement positive and finite, construction phases; bad flags exit with code 2.
import { deepEqual, equal, ok } from "node:assert/strict";
import { runScript } from "./cli_test_util.ts";

const MAIN = new URL("./engine_bench.ts", import.meta.url).pathname;

const engineBench = (args: string[]) => runScript(MAIN, args);

Deno.test("--quick --json prints the adapter and every measurement", async () => {
  const r = await engineBench(["--quick", "--json"]);
  equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  equal(doc.kind, "engine_micro");
  ok(typeof doc.adapter.description === "string", "adapter description");
  deepEqual(
    doc.measurements.map((m: { key: string }) => m.key),
    [
      "dispatch_overhead_per_step",
      "batch_round_trip",
      "update_poisson_off",
      "update_poisson_on",
      "synaptic_event",
      "construction_rate",
    ],
  );
  for (const m of doc.measurements) {
    ok(Number.isFinite(m.value) && m.value >= 0, `${m.key}: ${m.value}`);
  }
  equal(doc.construction.synapses, 100000);
  for (const phase of ["create", "connect", "prepare", "compile"]) {
    ok(doc.construction.phases[phase] >= 0, phase);
  }
  ok(/adapter: .*\n.*measurement/.test(r.stderr), "the table goes to stderr with --json");
});

Deno.test("bad flags exit with code 2", async () => {
  equal((await engineBench(["--repeat", "0"])).code, 2);
  equal((await engineBench(["--frobnicate"])).code, 2);
  // Regression: "0x10" was read as 16 and "-5" gave parseArgs' "ambiguous" message.
  for (const bad of ["0x10", "-5", "1e3", "2.5"]) {
    const r = await engineBench(["--neurons", bad]);
    equal(r.code, 2, `--neurons ${bad}`);
    ok(r.stderr.includes(`--neurons: got "${bad}", expected an integer ≥ 1`), r.stderr);
  }
});

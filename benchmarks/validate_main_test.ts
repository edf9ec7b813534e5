// `deno task validate` wiring: bad input exits 2, existing spike files are judged and the
// verdict lands in the history, engine runs are stored with their verdict.
import { equal, ok } from "node:assert/strict";
import { History } from "./results_store.ts";
import { runScript } from "./cli_test_util.ts";

const MAIN = new URL("./validate_main.ts", import.meta.url).pathname;
const NEST_SPIKES = new URL(
  "../validation/reference/microcircuit/small/spikes_seed1.csv.gz",
  import.meta.url,
).pathname;

const validate = (args: string[]) => runScript(MAIN, args);

Deno.test("bad validate flags exit 2 naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--scale", "0.5"], /--scale.*0\.1 or 1/],
    [["--seeds", "1,x"], /--seeds/],
    [["--seeds", "2,2"], /--seeds.*distinct/],
    [["--backend", "cuda"], /--backend/],
    [["--t-sim", "-5"], /--t-sim/],
    [["--spikes", "/nonexistent/file.dat"], /nonexistent/],
    [
      ["--model", "foo"],
      /--model: got "foo", expected one of microcircuit, working_memory, rewiring/,
    ],
    [["--spikes", NEST_SPIKES, "--seeds", "1"], /--seeds: not used with --spikes/],
    [["--spikes", NEST_SPIKES, "--backend=cpu"], /--backend: not used with --spikes/],
  ];
  for (const [args, message] of cases) {
    const r = await validate(args);
    equal(r.code, 2, `${args.join(" ")}: exit ${r.code} ${r.stderr}`);
    ok(message.test(r.stderr), `${args.join(" ")}: ${r.stderr}`);
    // Without --json nothing machine-readable goes to stdout, errors included.
    ok(!r.stdout.includes("{"), `${args.join(" ")}: stdout ${r.stdout}`);
  }
});

Deno.test("a NEST spike file validates and its verdict is stored in the history", async () => {
  const dir = await Deno.makeTempDir();
  const r = await validate(["--spikes", NEST_SPIKES, "--scale", "0.1", "--out", dir]);
  equal(r.code, 0, r.stdout + r.stderr);
  ok(r.stdout.includes("L23E"), "the table lists the populations");
  const history = new History(`${dir}/history.sqlite`);
  const rows = history.validations();
  history.close();
  equal(rows.length, 1);
  equal(rows[0].passed, true);
  equal(rows[0].scale, 0.1);
});

Deno.test({
  name: "engine mode stores the run and its verdict together",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const r = await validate(["--seeds", "4", "--t-sim", "1000", "--out", dir, "--json"]);
    ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const verdict = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    equal(verdict.kind, "spikebench-validation");
    const history = new History(`${dir}/history.sqlite`);
    const runs = history.runs();
    const rows = history.validations();
    history.close();
    equal(runs.length, 1);
    equal(runs[0].seed, 4);
    equal(rows.length, 1);
    equal(rows[0].run_id, runs[0].id);
    equal(rows[0].passed, verdict.pass);
    equal(r.code, verdict.pass ? 0 : 1);
  },
});

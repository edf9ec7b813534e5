// `deno task validate` wiring: bad input exits 2, existing spike files are judged and the
// verdict lands in the history, engine runs are stored with their verdict.
import { deepEqual, equal, ok } from "node:assert/strict";
import { parseBenchArgs } from "./bench_options.ts";
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

/** Runs validate in `cwd` (relative --out paths land there). */
async function validateIn(cwd: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("validate_spikes_out_value: --out without a value or empty exits 2 naming --out and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  const rootHistory = await exists("/history.sqlite");
  for (const out of [["--out"], ["--out="], ["--out", ""], ["--out", " "]]) {
    for (const json of [[], ["--json"]]) {
      const args = ["--spikes", NEST_SPIKES, ...out, ...json];
      const r = await validateIn(dir, args);
      equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      ok(
        /^error: (--out: (a value is required|got ".*", expected a folder path)|Option '--out')/
          .test(r.stderr),
        r.stderr,
      );
      if (json.length) equal(JSON.parse(r.stdout).kind, "spikebench-validation-error");
    }
  }
  deepEqual([...Deno.readDirSync(dir)], []);
  equal(await exists("/history.sqlite"), rootHistory, "nothing written at the filesystem root");
});

Deno.test("validate_spikes_flags_parsed: --spikes=PATH, repeated --out and --spikes '' are handled before anything is written", async () => {
  const dir = await Deno.makeTempDir();
  // --spikes=PATH is the same flag as --spikes PATH; --scale is a number (1e-1 = 0.1).
  const r = await validateIn(dir, [`--spikes=${NEST_SPIKES}`, "--scale", "1e-1", "--out", "res"]);
  equal(r.code, 0, r.stderr);
  const history = new History(`${dir}/res/history.sqlite`);
  const rows = history.validations();
  history.close();
  equal(rows.length, 1);
  equal(rows[0].scale, 0.1);
  const cases: [string[], string][] = [
    [["--spikes", NEST_SPIKES, "--out", "a", "--out", "b"], "error: --out: given more than once"],
    [["--spikes", ""], 'error: --spikes: got "", expected the path of a spike file or folder'],
    [["--spikes", NEST_SPIKES, "--spikes", "", "--out", "a"], 'error: --spikes: got ""'],
    [["--spikes", NEST_SPIKES, "--spikes", NEST_SPIKES, "--out", "a"], "error: --spikes: "],
    [["--spikes", `${dir}/missing.dat`, "--out", "a"], `error: ${dir}/missing.dat: no such file`],
    [["--spikes", NEST_SPIKES, "--t-sim", "100.05", "--out", "a"], 'error: --t-sim: got "100.05"'],
  ];
  for (const [args, start] of cases) {
    const bad = await validateIn(dir, args);
    equal(bad.code, 2, `${args.join(" ")}: ${bad.stderr}`);
    ok(bad.stderr.startsWith(start), `${args.join(" ")}: ${bad.stderr}`);
    ok(
      !(await exists(`${dir}/a`)) && !(await exists(`${dir}/b`)),
      `${args.join(" ")}: wrote --out`,
    );
  }
});

Deno.test("validate_spikes_bad_file_writes_nothing: a recording refused after reading leaves --out uncreated", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.dat`, "sender time_ms\n1 500.5\n2 5O1.0\n");
  const r = await validateIn(dir, ["--spikes", "bad.dat", "--scale", "0.1", "--out", "res"]);
  equal(r.code, 2, r.stderr);
  ok(r.stderr.includes("bad.dat:3:"), r.stderr);
  equal(await exists(`${dir}/res`), false);
});

Deno.test("validate_spikes_duplicate: the same recording twice is refused, naming it", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.symlink(NEST_SPIKES, `${dir}/link.csv.gz`);
  const r = await validate([
    "--spikes",
    NEST_SPIKES,
    "--spikes",
    `${dir}/link.csv.gz`,
    "--out",
    dir,
  ]);
  equal(r.code, 2, r.stderr);
  ok(
    r.stderr.includes(`--spikes: ${dir}/link.csv.gz and ${NEST_SPIKES} are the same recording`),
    r.stderr,
  );
  equal(await exists(`${dir}/history.sqlite`), false);
});

Deno.test("validate_scale_numeric: --scale 0.10, 1.0, 1e-1 are numbers in both modes; 0.5 is refused", async () => {
  // Engine mode: the scale passes and the next bad flag is reported (nothing is run).
  for (const scale of ["0.10", "1.0", "1e-1", "1"]) {
    const r = await validate(["--scale", scale, "--seeds", "x"]);
    equal(r.code, 2, `${scale}: ${r.stderr}`);
    ok(r.stderr.startsWith('error: --seeds: got "x"'), `${scale}: ${r.stderr}`);
  }
  for (const args of [["--scale", "0.5"], ["--spikes", NEST_SPIKES, "--scale", "0.5"]]) {
    const r = await validate(args);
    equal(r.code, 2);
    equal(r.stderr, 'error: --scale: got "0.5", expected 0.1 or 1 (the NEST reference scales)\n');
  }
});

Deno.test("validate_window_flags_bench_wording: --t-presim/--t-sim are checked like deno task bench in both modes", async () => {
  const benchError = (args: string[]) => {
    try {
      parseBenchArgs(args);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`bench accepted ${args.join(" ")}`);
  };
  for (
    const [flag, value] of [["--t-presim", "100.05"], ["--t-presim", "-5"], ["--t-presim", "2e7"]]
  ) {
    for (const mode of [[], ["--spikes", NEST_SPIKES]]) {
      const r = await validate([...mode, flag, value]);
      equal(r.code, 2, r.stderr);
      equal(r.stderr, `error: ${benchError([flag, value])}\n`);
    }
  }
  // --t-sim below one 2 ms correlation bin cannot be analysed (the bench allows 0.1 ms).
  for (const mode of [[], ["--spikes", NEST_SPIKES]]) {
    const r = await validate([...mode, "--t-sim", "1"]);
    equal(r.code, 2);
    ok(r.stderr.startsWith('error: --t-sim: got "1", expected a number of ms in [2, 10000000]'));
  }
  // Off the grid or beyond 1e7 ms: the bench's wording with the [2, 1e7] range.
  for (const value of ["100.05", "1e8", "-5"]) {
    for (const mode of [[], ["--spikes", NEST_SPIKES]]) {
      const r = await validate([...mode, "--t-sim", value]);
      equal(r.code, 2);
      equal(
        r.stderr,
        `error: ${benchError(["--t-sim", value]).replace("[0.1, ", "[2, ")} (at least one 2 ms ` +
          "correlation bin)\n",
      );
    }
  }
});

Deno.test("validate_json_stdout_pure: with --json stdout is one JSON object in both modes, errors included", async () => {
  const dir = await Deno.makeTempDir();
  const r = await validate(["--spikes", NEST_SPIKES, "--scale", "0.1", "--out", dir, "--json"]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  equal(lines.length, 1, r.stdout.slice(0, 500));
  equal(JSON.parse(lines[0]).kind, "spikebench-validation");
  ok(r.stderr.includes("L23E"), "the table goes to stderr");
  ok(r.stderr.includes("analysed window: 500–10500 ms"), r.stderr);
  const errors: string[][] = [
    ["--scale", "0.5", "--json"],
    ["--json", "--seeds", "1,1"],
    ["--json", "--bogus"],
    ["--json", "--model", "foo"],
    ["--json", "--model", "microcircuit", "--model", "rewiring"],
    ["--json", "--spikes", NEST_SPIKES, "--seeds", "1"],
    ["--json", "--spikes", NEST_SPIKES, "--out"],
    ["--json", "--spikes", "/nonexistent/file.dat"],
  ];
  for (const args of errors) {
    const e = await validate(args);
    equal(e.code, 2, `${args.join(" ")}: ${e.stderr}`);
    const error = JSON.parse(e.stdout);
    deepEqual(Object.keys(error), ["kind", "error", "exitCode"]);
    equal(error.kind, "spikebench-validation-error");
    equal(error.exitCode, 2);
    equal(`error: ${error.error}\n`, e.stderr, args.join(" "));
  }
});

Deno.test("validate_model_once: --model given twice is refused", async () => {
  for (
    const args of [["--model", "rewiring", "--model", "microcircuit"], [
      "--model=microcircuit",
      "--model",
      "microcircuit",
    ]]
  ) {
    const r = await validate(args);
    equal(r.code, 2);
    ok(r.stderr.startsWith("error: --model: given more than once"), r.stderr);
  }
});

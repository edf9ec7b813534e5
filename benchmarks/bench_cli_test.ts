// The bench CLI end to end, as a user runs it: JSON output, bad flags, and a run killed
// mid-way leaving earlier results and the history intact.
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { microcircuitParams } from "../models/microcircuit_params.ts";
import {
  BENCH_HELP,
  CPU_MAX_SYNAPSES,
  MICROCIRCUIT_FULL_SYNAPSES,
  parseBenchArgs,
  SCALE_MIN,
  UsageError,
} from "./bench_options.ts";
import { History } from "./results_store.ts";
import { runScript } from "./cli_test_util.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
const TINY = ["--scale", "0.02", "--t-presim", "20", "--t-sim", "50"];

const bench = (args: string[]) => runScript(MAIN, args);

const REQUIRED_KEYS = [
  "model",
  "params",
  "seed",
  "drive",
  "backend",
  "adapter",
  "phases",
  "construction_s",
  "rtf",
  "t_sim_ms",
  "spikes",
  "synaptic_events",
  "rates_hz",
  "gpu_bytes",
  "spike_digest",
  "commit",
  "timestamp",
];

Deno.test("--json prints one parsable record with every documented field", async () => {
  const dir = await Deno.makeTempDir();
  const r = await bench([...TINY, "--json", "--out", dir, "--seed", "3"]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]);
  for (const key of REQUIRED_KEYS) ok(key in result, `missing key ${key}`);
  for (const phase of ["create", "connect", "prepare", "compile", "presimulate", "simulate"]) {
    ok(typeof result.phases[phase] === "number" && result.phases[phase] >= 0, `phase ${phase}`);
  }
  deepEqual(Object.keys(result.rates_hz), [
    "L23E",
    "L23I",
    "L4E",
    "L4I",
    "L5E",
    "L5I",
    "L6E",
    "L6I",
  ]);
  equal(result.seed, 3);
  equal(result.backend, "webgpu");
  ok(/^[0-9a-f]{64}$/.test(result.spike_digest));
  ok(result.rtf > 0 && result.t_sim_ms === 50);
  ok(typeof result.adapter.description === "string" && "isFallbackAdapter" in result.adapter);
  // The same record is in the results folder and the history.
  const stored = JSON.parse(await Deno.readTextFile(`${dir}/${result.id}.json`));
  deepEqual(stored, result);
  const history = new History(`${dir}/history.sqlite`);
  deepEqual(history.runs().map((x) => x.id), [result.id]);
  history.close();
  ok(r.stderr.includes("RTF"), "the human summary goes to stderr with --json");
  // The run ends with the HTML report built from that history, and says where it is.
  ok(r.stderr.includes(`report       ${dir}/report.html`), r.stderr);
  const html = await Deno.readTextFile(`${dir}/report.html`);
  ok(html.includes(result.id), "the report shows the run");
  ok(!/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "no external src/href in the report");
});

Deno.test("--no-report stores the run and builds no report", async () => {
  const dir = await Deno.makeTempDir();
  const r = await bench([...TINY, "--out", dir, "--no-report"]);
  equal(r.code, 0, r.stderr);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  ok(names.includes("history.sqlite") && names.some((n) => n.endsWith(".json")), `${names}`);
  ok(!names.includes("report.html"), `${names}`);
  ok(!r.stdout.includes("report "), r.stdout);
});

Deno.test("the same seed reproduces the spike digest across runs and backends", async () => {
  const dir = await Deno.makeTempDir();
  const runs = await Promise.all([
    bench([...TINY, "--json", "--out", dir]),
    bench([...TINY, "--json", "--out", dir, "--backend", "cpu"]),
  ]);
  const [gpu, cpu] = runs.map((r) => JSON.parse(r.stdout.trim().split("\n").at(-1)!));
  const again = JSON.parse(
    (await bench([...TINY, "--json", "--out", dir])).stdout.trim().split("\n").at(-1)!,
  );
  equal(again.spike_digest, gpu.spike_digest);
  equal(
    cpu.spike_digest,
    gpu.spike_digest,
    "GPU and CPU backends diverged on the 2 % microcircuit",
  );
});

Deno.test("bad flags give a clear error naming the flag and exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--scale=-1"], /--scale.*\[0\.00047, 1\]/],
    [["--scale", "-1"], /--scale: got "-1", expected a number in \[0\.00047, 1\]/],
    [["--scale", "abc"], /--scale.*\[0\.00047, 1\]/],
    [["--k-scale", "0"], /--k-scale.*\(0, 1\]/],
    [["--t-sim", "0"], /--t-sim/],
    [["--seed", "1.5"], /--seed.*integer/],
    [["--repeat", "0"], /--repeat.*integer/],
    [["--drive", "noise"], /--drive.*poisson, dc/],
    [["--backend", "cuda"], /--backend.*webgpu, cpu/],
    [["--model", "brunel"], /--model.*microcircuit/],
    [["--frobnicate"], /frobnicate/],
  ];
  for (const [args, message] of cases) {
    const r = await bench(args);
    equal(r.code, 2, `${args.join(" ")} exited with ${r.code}: ${r.stderr}`);
    ok(message.test(r.stderr), `${args.join(" ")}: "${r.stderr.trim()}" does not match ${message}`);
  }
});

Deno.test("a run killed mid-way leaves earlier results and the history intact", async () => {
  const dir = await Deno.makeTempDir();
  const first = await bench([...TINY, "--out", dir]);
  equal(first.code, 0, first.stderr);
  const before = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--scale", "0.05", "--t-sim", "60000", "--out", dir],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Wait until the killed run is simulating, then interrupt it (as Ctrl-C does).
  const reader = child.stderr.getReader();
  let seen = "";
  while (!seen.includes("adapter")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  await new Promise((r) => setTimeout(r, 1500));
  child.kill("SIGINT");
  await child.status;
  reader.releaseLock();
  await child.stderr.cancel();
  const after = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
    !n.startsWith("history.sqlite-")
  ).sort();
  deepEqual(after, before.filter((n) => !n.startsWith("history.sqlite-")));
  const history = new History(`${dir}/history.sqlite`);
  equal(history.runs().length, 1);
  history.close();
  for (const name of after.filter((n) => n.endsWith(".json"))) {
    JSON.parse(await Deno.readTextFile(`${dir}/${name}`));
  }
});

/** The UsageError message parseBenchArgs throws for `args` (fails the test if none). */
function usageError(args: string[]): string {
  try {
    parseBenchArgs(args);
  } catch (e) {
    ok(e instanceof UsageError, `${args.join(" ")}: ${(e as Error).stack}`);
    return e.message;
  }
  throw new Error(`${args.join(" ")} was accepted`);
}

/** Every numeric flag of every model, with a valid value and whether it is an integer. */
const NUMERIC_FLAGS: [string[], string, string, boolean][] = [
  [[], "scale", "0.5", false],
  [[], "k-scale", "0.5", false],
  [[], "t-presim", "100", false],
  [[], "t-sim", "100", false],
  [[], "seed", "16", true],
  [[], "repeat", "3", true],
  [[], "steps-per-batch", "500", true],
  [["--model", "rewiring"], "patterns", "100", true],
  [["--model", "rewiring"], "rewiring-period", "10", true],
  [["--model", "working_memory"], "t-sim", "7000", true],
];

Deno.test("numeric flags accept only plain decimal notation (no hex, binary, octal; integers as digits)", () => {
  for (const [model, flag, valid, integer] of NUMERIC_FLAGS) {
    parseBenchArgs([...model, `--${flag}`, valid]);
    const bad = ["0x1", "0b1", "0o1", "Infinity", "1_0", " 1"];
    if (integer) bad.push("1e1", `${valid}.0`, "1E1");
    for (const raw of bad) {
      match(
        usageError([...model, `--${flag}`, raw]),
        new RegExp(`^--${flag}: got ${JSON.stringify(JSON.stringify(raw)).slice(1, -1)}, expected`),
        `${model.join(" ")} --${flag} ${raw}`,
      );
    }
  }
  // Decimal exponents stay fine where fractions are: 1e-1 is 0.1.
  equal(parseBenchArgs(["--scale", "1e-1"]).scale, 0.1);
  equal(parseBenchArgs(["--t-sim", "1e3"]).tSimMs, 1000);
});

Deno.test("a negative number after a flag (with a space) gets the flag's range, not 'ambiguous'", async () => {
  for (const [model, flag] of NUMERIC_FLAGS) {
    const message = usageError([...model, `--${flag}`, "-1"]);
    match(message, new RegExp(`^--${flag}: got "-1", expected .*[\\[(]`), message);
    ok(!/ambiguous/.test(message), message);
  }
  equal(
    usageError(["--seed", "-1"]),
    '--seed: got "-1", expected an integer in [0, 4294967295]',
  );
  // And end to end, as the user typed it: exit 2 with the same message.
  const r = await bench(["--t-sim", "-5"]);
  equal(r.code, 2, r.stderr);
  match(r.stderr, /^error: --t-sim: got "-5", expected a number of ms in \[0\.1, /);
});

Deno.test("a flag given twice is refused naming it (the last value would silently win)", async () => {
  const cases: [string, string[]][] = [
    ["--scale", ["--scale", "0.5", "--scale", "0.2"]],
    ["--seed", ["--seed=1", "--seed", "2"]],
    ["--record", ["--record", "--no-record"]],
    ["--json", ["--json", "--json"]],
    ["--out", ["--out", "a", "--out", "b"]],
    ["--patterns", ["--model", "rewiring", "--patterns", "5", "--patterns", "6"]],
  ];
  for (const [flag, args] of cases) {
    match(usageError(args), new RegExp(`^${flag}: given more than once`), args.join(" "));
  }
  const r = await bench(["--scale", "0.5", "--scale", "0.2"]);
  equal(r.code, 2, r.stderr);
  match(r.stderr, /--scale: given more than once/);
});

Deno.test("--t-sim and --t-presim lie on the 0.1 ms simulation grid; --t-sim is at least one step", () => {
  for (
    const [flag, raw] of [["t-sim", "0.05"], ["t-sim", "100.03"], ["t-sim", "0"], [
      "t-presim",
      "0.05",
    ], ["t-presim", "20.01"]]
  ) {
    match(
      usageError([`--${flag}`, raw]),
      new RegExp(
        `^--${flag}: got "${raw}", expected .*multiple of the microcircuit's time step, 0\\.1 ms`,
      ),
    );
  }
  const o = parseBenchArgs(["--t-sim", "0.1", "--t-presim", "0"]);
  deepEqual([o.tSimMs, o.tPresimMs], [0.1, 0]);
  equal(parseBenchArgs(["--t-sim", "100.3"]).tSimMs, 100.3);
  // --help states both ranges.
  match(BENCH_HELP, /--t-presim MS .*multiple of the 0\.1 ms time step\s+in \[0, 10000000\]/);
  match(BENCH_HELP, /--t-sim MS .*multiple of the 0\.1 ms\s+time step in \[0\.1, 10000000\]/);
});

Deno.test("--save-spikes with --no-record is refused (it would write no spike file)", async () => {
  match(usageError(["--no-record", "--save-spikes"]), /^--save-spikes: .*--no-record/);
  parseBenchArgs(["--no-record"]);
  parseBenchArgs(["--save-spikes"]);
  const dir = await Deno.makeTempDir();
  const r = await bench(["--no-record", "--save-spikes", "--out", dir]);
  equal(r.code, 2, r.stderr);
  deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("--scale below the one-neuron limit names the flag and a closed range whose bound is valid", () => {
  equal(SCALE_MIN, 0.00047);
  for (const raw of ["1e-7", "0.0001", "0.00046", "0.000469"]) {
    equal(
      usageError(["--scale", raw]),
      `--scale: got "${raw}", expected a number in [0.00047, 1] (the smallest population must ` +
        "keep at least one neuron)",
    );
  }
  // The bound itself, written as the message states it, is accepted here and by the model.
  equal(parseBenchArgs(["--scale", "0.00047"]).scale, SCALE_MIN);
  equal(parseBenchArgs(["--scale", "4.7e-4"]).scale, SCALE_MIN);
  microcircuitParams({ nScaling: SCALE_MIN });
  throws(() => microcircuitParams({ nScaling: 0.00046 }), /nScaling/);
  // K has no such limit in the model: any value in (0, 1].
  equal(parseBenchArgs(["--k-scale", "1e-9"]).kScale, 1e-9);
  match(usageError(["--k-scale", "0"]), /^--k-scale: got "0", expected a number in \(0, 1\]$/);
});

Deno.test("--regime lists its values in order, the default stays B", () => {
  equal(
    usageError(["--model", "working_memory", "--regime", "D"]),
    '--regime: got "D", expected one of A, B, C',
  );
  equal(parseBenchArgs(["--model", "working_memory"]).regime, "B");
});

/** No stack trace and no sign that a model was built or an adapter requested. */
function assertRefusedUpFront(r: { code: number; stderr: string }, message: RegExp): void {
  equal(r.code, 2, r.stderr);
  match(r.stderr, message);
  ok(!/^\s+at /m.test(r.stderr), `a stack trace: ${r.stderr}`);
  ok(!/adapter|network|construction/.test(r.stderr), `it ran: ${r.stderr}`);
}

Deno.test("a bad --out is refused before any GPU work, naming --out and the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "keep");
    assertRefusedUpFront(
      await bench([...TINY, "--out", `${dir}/file`]),
      new RegExp(`^error: --out: ${dir}/file is a file, not a folder$`, "m"),
    );
    assertRefusedUpFront(
      await bench([...TINY, "--out", `${dir}/file/results`]),
      new RegExp(`^error: --out: ${dir}/file/results cannot be used as a folder`, "m"),
    );
    if ((await Deno.stat("/sys/kernel").catch(() => null))?.isDirectory) {
      assertRefusedUpFront(
        await bench([...TINY, "--out", "/sys/kernel"]),
        /^error: --out: \/sys\/kernel is not writable/m,
      );
    }
    await Deno.mkdir(`${dir}/r/report.html`, { recursive: true });
    assertRefusedUpFront(
      await bench([...TINY, "--out", `${dir}/r`]),
      new RegExp(`^error: --out: ${dir}/r/report.html is a folder`, "m"),
    );
    equal(await Deno.readTextFile(`${dir}/file`), "keep");
    deepEqual([...Deno.readDirSync(`${dir}/r`)].map((e) => e.name), ["report.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt history is refused before the run, left unchanged, and no result is written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = "these are notes, not a database\n".repeat(200);
    await Deno.writeTextFile(`${dir}/history.sqlite`, text);
    const r = await bench([...TINY, "--out", dir]);
    assertRefusedUpFront(
      r,
      new RegExp(
        `^error: ${dir}/history.sqlite: not a spikebench history \\(SQLite says: file is not a ` +
          "database\\)$",
        "m",
      ),
    );
    equal(await Deno.readTextFile(`${dir}/history.sqlite`), text);
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["history.sqlite"]);
    // A folder where the history should be: the same.
    const dir2 = `${dir}/two`;
    await Deno.mkdir(`${dir2}/history.sqlite`, { recursive: true });
    assertRefusedUpFront(
      await bench([...TINY, "--out", dir2]),
      /history\.sqlite is a folder, not a spikebench history file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench_cpu_size_guard: --backend cpu refuses microcircuits above the synapse limit, before any work", async () => {
  equal(CPU_MAX_SYNAPSES, 5e7);
  ok(Math.abs(MICROCIRCUIT_FULL_SYNAPSES - 2.99e8) < 0.01e8, String(MICROCIRCUIT_FULL_SYNAPSES));
  const message = usageError(["--scale", "1", "--backend", "cpu"]);
  equal(
    message,
    "--backend cpu: the microcircuit at --scale 1 has about 2.99e8 synapses (≈ 2.99e8 · scale · " +
      "K scale), above the CPU backend's limit of 5e7: the float64 reference backend is for " +
      "small runs and this one would take hours; use --backend webgpu, or a smaller " +
      "--scale (at most 0.4 with K = N)",
  );
  match(usageError(["--scale", "0.41", "--backend", "cpu"]), /--scale 0\.41 has about 5\.02e7/);
  match(
    usageError(["--scale", "1", "--k-scale", "0.2", "--backend", "cpu"]),
    /--scale 1 --k-scale 0\.2 has about 5\.98e7/,
  );
  // At and below the limit, and other models, as before.
  equal(parseBenchArgs(["--scale", "0.4", "--backend", "cpu"]).backend, "cpu");
  equal(parseBenchArgs(["--scale", "1", "--k-scale", "0.1", "--backend", "cpu"]).backend, "cpu");
  equal(parseBenchArgs(["--scale", "1"]).backend, "webgpu");
  equal(parseBenchArgs(["--model", "working_memory", "--backend", "cpu"]).backend, "cpu");
  equal(parseBenchArgs(["--model", "rewiring", "--backend", "cpu"]).backend, "cpu");
  match(
    BENCH_HELP,
    /microcircuits above 5e7 synapses\s+\(≈ 2\.99e8 · scale · K scale: up to --scale 0\.4 with K = N\)/,
  );
  // End to end, bench and validate (which forwards to the same parser): exit 2 at once,
  // nothing created.
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [script, args] of [
        [MAIN, ["--scale", "1", "--backend", "cpu", "--out", `${dir}/bench`]],
        [
          new URL("./validate_main.ts", import.meta.url).pathname,
          ["--scale", "1", "--backend", "cpu", "--out", `${dir}/validate`],
        ],
      ] as const
    ) {
      const r = await runScript(script, [...args]);
      assertRefusedUpFront(
        r,
        /^error: --backend cpu: the microcircuit at --scale 1 has about 2\.99e8 synapses/m,
      );
    }
    deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench_grid_snap: --t-sim and --t-presim within the grid tolerance are stored as the grid point", () => {
  const o = parseBenchArgs(["--t-sim", "100.00000000001", "--t-presim", "20.000000000001"]);
  deepEqual([o.tSimMs, o.tPresimMs], [100, 20]);
  equal(parseBenchArgs(["--t-sim", "99.99999999999"]).tSimMs, 100);
  equal(parseBenchArgs(["--t-sim", "100.3"]).tSimMs, 100.3);
  equal(parseBenchArgs(["--t-sim", "1003e-1"]).tSimMs, 100.3);
  equal(String(parseBenchArgs(["--t-presim", "0.30000000000000004"]).tPresimMs), "0.3");
});

Deno.test("bench_short_help_and_switch_values: -h prints the help; --no-report=1 names the switch", async () => {
  equal(parseBenchArgs(["-h"]).help, true);
  const r = await bench(["-h"]);
  equal(r.code, 0, r.stderr);
  ok(r.stdout.startsWith("Usage: deno task bench"), r.stdout);
  match(BENCH_HELP, /^ {2}-h, --help /m);
  equal(
    usageError(["--no-report=1"]),
    '--no-report: an on/off switch takes no value, got "--no-report=1"; write --report or ' +
      "--no-report (see --help)",
  );
  match(
    usageError(["--record=false"]),
    /^--record: an on\/off switch takes no value, got "--record=false"; write --record or --no-record/,
  );
  equal(usageError(["-x"]), "-x: unknown option (see --help)");
});

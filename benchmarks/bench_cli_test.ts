// The bench CLI end to end, as a user runs it: JSON output, bad flags, and a run killed
// mid-way leaving earlier results and the history intact.
import { deepEqual, equal, ok } from "node:assert/strict";
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
    [["--scale=-1"], /--scale.*\(0, 1\]/],
    [["--scale", "-1"], /--scale/],
    [["--scale", "abc"], /--scale.*\(0, 1\]/],
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

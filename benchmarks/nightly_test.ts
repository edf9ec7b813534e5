import assert from "node:assert/strict";
import {
  benchArgs,
  ConfigError,
  expandMatrix,
  loadNightlyConfig,
  parseNightlyConfig,
} from "./nightly_config.ts";
import { parseBenchArgs } from "./bench_options.ts";
import { slurmScript } from "./slurm.ts";
import { runScript } from "./cli_test_util.ts";

const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function problems(value: unknown): string[] {
  try {
    parseNightlyConfig(value, "test.json");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const entry = {
  name: "perf",
  models: ["microcircuit"],
  scales: [0.02],
  seeds: [1],
  drives: ["poisson"],
};

Deno.test("the shipped bench.config.json is valid and small", async () => {
  const config = await loadNightlyConfig(`${REPO}/bench.config.json`);
  const cells = expandMatrix(config);
  assert.ok(cells.length >= 2 && cells.length <= 8, `${cells.length} cells`);
  assert.ok(cells.some((c) => c.validate), "the default matrix validates something");
  // Every cell's flags are accepted by the bench's own parser (no drift between the two).
  for (const cell of cells) parseBenchArgs([...benchArgs(cell), "--out", "/tmp/x"]);
});

Deno.test("the matrix expands models × scales × seeds × drives with the entry's settings", () => {
  const config = parseNightlyConfig({
    matrix: [
      { ...entry, scales: [0.02, 0.05], seeds: [1, 2], drives: ["poisson", "dc"], repeat: 3 },
      { ...entry, name: "val", scales: [0.1], validate: true, t_sim_ms: 10000 },
    ],
  });
  const cells = expandMatrix(config);
  assert.equal(cells.length, 2 * 2 * 2 + 1);
  assert.deepEqual(cells.map((c) => c.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(
    cells.slice(0, 4).map((c) => [c.scale, c.seed, c.drive]),
    [[0.02, 1, "poisson"], [0.02, 1, "dc"], [0.02, 2, "poisson"], [0.02, 2, "dc"]],
  );
  assert.equal(cells[0].repeat, 3);
  assert.equal(cells[0].saveSpikes, false);
  assert.equal(cells[8].validate, true);
  assert.equal(cells[8].saveSpikes, true); // validation needs the spikes
  assert.deepEqual(config.out, "results");
});

Deno.test("nightly_config_bench_ranges: a cell the config accepts is a run the bench accepts", () => {
  const found = problems({
    matrix: [
      { ...entry, record: false, save_spikes: true, t_sim_ms: 100.05, t_presim_ms: 0.01 },
      { ...entry, name: "tiny", scales: [0.0001] },
    ],
    regression: { min_relative_change: 2, session_gap_minutes: 0, baseline_runs: 2.5 },
  });
  const expected = [
    /^matrix\[0\]\.save_spikes: needs "record": true/,
    /^matrix\[0\]\.t_sim_ms: got 100\.05, expected a multiple of 0\.1 ms in \[0\.1, 1e7\]/,
    /^matrix\[0\]\.t_presim_ms: got 0\.01, expected a multiple of 0\.1 ms in \[0, 1e7\]/,
    /^matrix\[1\]\.scales\[0\]: got 0\.0001, expected a number in \[0\.00047, 1\]/,
    /^regression\.min_relative_change: got 2, expected a fraction in \[0, 1\)/,
    /^regression\.session_gap_minutes: got 0, expected/,
    /^regression\.baseline_runs: got 2\.5, expected an integer in \[1, 10000\]/,
  ];
  for (const re of expected) {
    assert.ok(found.some((p) => re.test(p)), `no problem matching ${re} in:\n${found.join("\n")}`);
  }
});

Deno.test("every mistake in a configuration is reported with its path and what is allowed", () => {
  const found = problems({
    out: 3,
    matrix: [
      { ...entry, scales: [2], drives: ["ac"], repeat: 0, colour: "red" },
      { ...entry, name: "perf", models: ["brunel"], seeds: [1.5] },
      { ...entry, name: "v", scales: [0.02], validate: true },
    ],
    regression: { spread_factor: -1, typo: 1 },
    extra: true,
  });
  const expected = [
    /^\(top level\)\.extra: unknown key/,
    /^matrix\[0\]\.colour: unknown key/,
    /^matrix\[0\]\.scales\[0\]: got 2, expected a number in \[0\.00047, 1\]/,
    /^matrix\[0\]\.drives\[0\]: got "ac", expected one of "poisson", "dc"/,
    /^matrix\[0\]\.repeat: got 0, expected an integer in \[1, 1000\]/,
    /^matrix\[1\]\.models\[0\]: got "brunel", expected one of "microcircuit"/,
    /^matrix\[1\]\.seeds\[0\]: got 1\.5, expected an integer/,
    /^matrix\[2\]\.scales\[0\]: got 0\.02, expected 0\.1 or 1 when "validate" is true/,
    /^regression\.typo: unknown key/,
    /^regression\.spread_factor: got -1/,
    /^out: got 3, expected a non-empty string/,
    /^matrix\[1\]\.name: "perf" is used twice/,
  ];
  for (const re of expected) {
    assert.ok(found.some((p) => re.test(p)), `no problem matching ${re} in:\n${found.join("\n")}`);
  }
  assert.equal(found.length, expected.length, found.join("\n"));
  assert.deepEqual(problems({ matrix: [] }), ["matrix: got [], expected a non-empty array"]);
});

Deno.test("a missing or broken configuration file is a ConfigError naming the file", async () => {
  await assert.rejects(() => loadNightlyConfig("/nonexistent.json"), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^\/nonexistent\.json: 1 problem\(s\):\n {2}cannot read the file/);
    return true;
  });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/c.json`, "{ matrix: [] }");
    await assert.rejects(() => loadNightlyConfig(`${dir}/c.json`), /not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the nightly CLI exits 2 on a bad configuration and lists the problems", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/bad.json`,
      JSON.stringify({ matrix: [{ ...entry, scales: [0] }] }),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", `${REPO}/benchmarks/nightly.ts`, "--config", `${dir}/bad.json`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.match(
      new TextDecoder().decode(out.stderr),
      /bad\.json: 1 problem\(s\):\n {2}matrix\[0\]\.scales\[0\]: got 0, expected a number in \[0\.00047, 1\]/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--emit-slurm: one array task per cell, each writing into its own shared folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = {
      matrix: [{ ...entry, scales: [0.02, 0.05], seeds: [1, 2] }],
      slurm: { shared_dir: `${dir}/shared it's`, gpus: 1, partition: "gpu", time: "00:30:00" },
    };
    await Deno.writeTextFile(`${dir}/c.json`, JSON.stringify(config));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        `${REPO}/benchmarks/nightly.ts`,
        "--config",
        `${dir}/c.json`,
        "--emit-slurm",
        `${dir}/job.sbatch`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const script = await Deno.readTextFile(`${dir}/job.sbatch`);
    assert.match(script, /^#!\/bin\/bash\n/);
    assert.match(script, /^#SBATCH --array=0-3$/m);
    assert.match(script, /^#SBATCH --gres=gpu:1$/m);
    assert.match(script, /^#SBATCH --partition=gpu$/m);
    assert.match(script, /^#SBATCH --time=00:30:00$/m);
    assert.match(script, /^# {3}3: perf: microcircuit scale 0\.05 poisson seed 2/m);
    assert.match(script, /--cell "\$task" --out "\$out"/);
    assert.ok(script.includes(`out='${dir}/shared it'\\''s'/"\${job}/cell_\${task}"`));
    assert.match(script, /deno task ingest/);
    // The script is valid bash (syntax check only).
    const bash = await new Deno.Command("bash", { args: ["-n", `${dir}/job.sbatch`] }).output();
    assert.equal(bash.code, 0);
    assert.equal((await Deno.stat(`${dir}/job.sbatch`)).mode! & 0o111, 0o111);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("slurmScript refuses an empty matrix", () => {
  assert.throws(
    () =>
      slurmScript([], {
        slurm: {
          shared_dir: "/s",
          time: "1:00",
          cpus_per_task: 1,
          partition: null,
          gpus: 0,
          extra_sbatch: [],
        },
        paths: { repo: "/r", config: "/r/c.json" },
      }),
    /no cells/,
  );
});

Deno.test("nightly: a bad --cell, --out or history is refused before any cell runs (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/config.json`,
      JSON.stringify({ out: `${dir}/results`, matrix: [{ ...entry, scales: [0.02] }] }),
    );
    const nightly = (args: string[]) =>
      runScript(`${REPO}/benchmarks/nightly.ts`, ["--config", `${dir}/config.json`, ...args]);
    const text = "not a database\n".repeat(50);
    await Deno.mkdir(`${dir}/corrupt`);
    await Deno.writeTextFile(`${dir}/corrupt/history.sqlite`, text);
    await Deno.writeTextFile(`${dir}/file`, "keep");
    const cases: [string[], RegExp][] = [
      [["--cell", "0x0"], /^error: --cell: got "0x0", expected an integer in \[0, 0\]$/m],
      [["--cell", "-1"], /^error: --cell: got "-1", expected an integer in \[0, 0\]$/m],
      [["--cell", "1e0"], /^error: --cell: got "1e0"/m],
      [["--cell", "0", "--cell", "0"], /--cell: given more than once/],
      [
        ["--cell", "0", "--out", `${dir}/file`],
        /^error: --out: .*\/file is a file, not a folder$/m,
      ],
      [
        ["--cell", "0", "--out", `${dir}/corrupt`],
        /corrupt\/history\.sqlite: not a spikebench history \(SQLite says: file is not a database\)/,
      ],
      [["--out", `${dir}/corrupt`], /corrupt\/history\.sqlite: not a spikebench history/],
      [["--report", dir], /^error: --report: .* is a folder; expected the path of a file/m],
    ];
    for (const [args, message] of cases) {
      const r = await nightly(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.doesNotMatch(r.stdout + r.stderr, /nightly: \d+ cell|^\s+at /m, "nothing ran");
    }
    assert.equal(await Deno.readTextFile(`${dir}/corrupt/history.sqlite`), text);
    assert.deepEqual(
      [...Deno.readDirSync(`${dir}/corrupt`)].map((e) => e.name),
      ["history.sqlite"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

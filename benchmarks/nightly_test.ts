import assert from "node:assert/strict";
import {
  benchArgs,
  ConfigError,
  describeCell,
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

/** Runs the nightly CLI with `config` written to `<dir>/config.json`. */
async function nightlyWith(dir: string, config: unknown, args: string[]) {
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
  return await runScript(`${REPO}/benchmarks/nightly.ts`, [
    "--config",
    `${dir}/config.json`,
    ...args,
  ]);
}

Deno.test("nightly_config_regression_pair: min_baseline_runs above baseline_runs is a config error, before any work", async () => {
  assert.deepEqual(
    problems({ matrix: [entry], regression: { min_baseline_runs: 100, baseline_runs: 15 } }),
    ["regression.min_baseline_runs: got 100, expected at most regression.baseline_runs (15)"],
  );
  assert.deepEqual(problems({ matrix: [entry], regression: { min_baseline_runs: 100 } }), [
    "regression.min_baseline_runs: got 100, expected at most regression.baseline_runs (15, the " +
    "default)",
  ]);
  assert.deepEqual(problems({ matrix: [entry], regression: { baseline_runs: 3 } }), [
    "regression.baseline_runs: got 3, expected at least regression.min_baseline_runs (6, the " +
    "default; lower it too)",
  ]);
  assert.deepEqual(
    problems({ matrix: [entry], regression: { baseline_runs: 3, min_baseline_runs: 3 } }),
    [],
  );
  // A value outside its own range is reported once, not compared as a fallback value.
  assert.deepEqual(problems({ matrix: [entry], regression: { baseline_runs: 2.5 } }), [
    "regression.baseline_runs: got 2.5, expected an integer in [1, 10000]",
  ]);
  // End to end: exit 2 naming the key, no results folder, no cell run, no stack trace.
  const dir = await Deno.makeTempDir();
  try {
    const r = await nightlyWith(dir, {
      out: `${dir}/results`,
      report: `${dir}/report.html`,
      matrix: [entry],
      regression: { min_baseline_runs: 100 },
    }, []);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /regression\.min_baseline_runs: got 100, expected at most/);
    assert.doesNotMatch(r.stdout + r.stderr, /nightly: \d+ cell|RangeError|^\s+at /m);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["config.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nightly_config_model_flags: every cell passes the bench's own parser; foreign keys name the entry", () => {
  const wm = { name: "wm", models: ["working_memory"], seeds: [1] };
  const cases: [unknown, RegExp][] = [
    [
      { ...wm, scales: [0.02], drives: ["dc"], k_scale: 0.5, t_presim_ms: 100 },
      /^matrix\[0\] \(wm: working_memory .*\): deno task bench refuses this cell: --scale, --k-scale, --t-presim, --drive: not a flag of --model working_memory; leave "scales", "k_scale", "t_presim_ms", "drives" out of entries with working_memory/,
    ],
    [
      { ...wm, t_sim_ms: 1000 },
      /^matrix\[0\] \(wm: working_memory seed 1, 1000 ms × 1\): deno task bench refuses this cell: --t-sim: got "1000", expected an integer number of ms in \[6000, 60000\] .*\(config key "t_sim_ms"\)$/,
    ],
    [
      { ...wm, models: ["rewiring"], t_sim_ms: 7000 },
      /^matrix\[0\] .*--t-sim: not a flag of --model rewiring; leave "t_sim_ms" out/,
    ],
    [
      { ...wm, save_spikes: true },
      /^matrix\[0\] .*--save-spikes: not a flag of --model working_memory/,
    ],
    [
      { ...entry, scales: [1], backend: "cpu" },
      /^matrix\[0\] \(perf: microcircuit scale 1 .*\): deno task bench refuses this cell: --backend cpu: .*2\.99e8 synapses.*limit of 5e7.*--backend webgpu/,
    ],
  ];
  for (const [e, re] of cases) {
    const found = problems({ matrix: [e] });
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0], re);
  }
  // A microcircuit + working-memory entry: one line per model and mistake, not one per cell.
  const mixed = problems({
    matrix: [{
      ...wm,
      models: ["microcircuit", "working_memory"],
      scales: [0.02, 0.05],
      seeds: [1, 2],
    }],
  });
  assert.equal(mixed.length, 1, mixed.join("\n"));
  assert.match(
    mixed[0],
    /^matrix\[0\] \(wm: working_memory scale 0\.02 seed 1, .*\): .*refuses this cell: --scale: not a flag/,
  );
  // What each model's cells pass: only the flags the model takes, and the bench accepts them.
  const config = parseNightlyConfig({
    matrix: [
      { ...wm, models: ["working_memory", "rewiring"], seeds: [1, 2], repeat: 2 },
      { ...wm, name: "wm-long", t_sim_ms: 8000, backend: "cpu", record: false },
      { ...entry, name: "micro" },
    ],
  });
  const cells = expandMatrix(config);
  assert.deepEqual(cells.map((c) => benchArgs(c).join(" ")), [
    "--model working_memory --seed 1 --repeat 2 --backend webgpu --record",
    "--model working_memory --seed 2 --repeat 2 --backend webgpu --record",
    "--model rewiring --seed 1 --repeat 2 --backend webgpu --record",
    "--model rewiring --seed 2 --repeat 2 --backend webgpu --record",
    "--model working_memory --seed 1 --repeat 1 --t-sim 8000 --backend cpu --no-record",
    "--model microcircuit --scale 0.02 --k-scale 0.02 --seed 1 --drive poisson --repeat 1 " +
    "--t-presim 500 --t-sim 1000 --backend webgpu --record",
  ]);
  for (const cell of cells) parseBenchArgs([...benchArgs(cell), "--out", "results"]);
  assert.equal(parseBenchArgs(benchArgs(cells[4])).tSimMs, 8000);
  assert.match(
    cells.map((c) => describeCell(c)).join("\n"),
    /^wm: working_memory seed 1, default time × 2$/m,
  );
  // Scales and drives may be left out for the microcircuit too: the bench's defaults.
  const [micro] = expandMatrix(
    parseNightlyConfig({ matrix: [{ name: "m", models: ["microcircuit"], seeds: [1] }] }),
  );
  assert.deepEqual([micro.scale, micro.kScale, micro.drive, micro.tPresimMs, micro.tSimMs], [
    0.1,
    0.1,
    "poisson",
    500,
    1000,
  ]);
});

Deno.test("nightly_config_duplicates: a value twice in a list, or the same run in two entries, is refused", () => {
  const found = problems({
    matrix: [{
      ...entry,
      models: ["microcircuit", "microcircuit"],
      scales: [0.02, 0.05, 0.02],
      seeds: [55, 55],
      drives: ["dc", "poisson", "dc"],
    }],
  });
  assert.deepEqual(found, [
    'matrix[0].models[1]: got "microcircuit", which is matrix[0].models[0] again; expected each value once (a duplicate would run the same cell twice)',
    "matrix[0].scales[2]: got 0.02, which is matrix[0].scales[0] again; expected each value once (a duplicate would run the same cell twice)",
    "matrix[0].seeds[1]: got 55, which is matrix[0].seeds[0] again; expected each value once (a duplicate would run the same cell twice)",
    'matrix[0].drives[2]: got "dc", which is matrix[0].drives[0] again; expected each value once (a duplicate would run the same cell twice)',
  ]);
  // 0.1 and 1e-1 are the same scale.
  assert.equal(problems({ matrix: [{ ...entry, scales: [0.1, 1e-1] }] }).length, 1);
  // Two entries with the same run (repeat and spike saving aside).
  const twice = problems({
    matrix: [
      { ...entry, seeds: [1, 2] },
      { ...entry, name: "again", seeds: [2], repeat: 3, save_spikes: true },
    ],
  });
  assert.deepEqual(twice.length, 1, twice.join("\n"));
  assert.match(
    twice[0],
    /^matrix\[1\] \(again: microcircuit scale 0\.02 poisson seed 2, .*\): the same bench run as a cell of matrix\[0\] \("perf"\); list each run once/,
  );
  assert.deepEqual(problems({ matrix: [entry, { ...entry, name: "dc", drives: ["dc"] }] }), []);
});

Deno.test("nightly_grid_times: t_sim_ms within the grid tolerance is stored as the grid point", () => {
  const [cell] = expandMatrix(
    parseNightlyConfig({
      matrix: [{ ...entry, t_sim_ms: 100.00000000001, t_presim_ms: 20.000000000001 }],
    }),
  );
  assert.deepEqual([cell.tSimMs, cell.tPresimMs], [100, 20]);
  assert.ok(benchArgs(cell).join(" ").includes("--t-presim 20 --t-sim 100 "));
});

Deno.test("nightly_outputs_checked_first: a bad --report or --out is refused before the results folder is created", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/site`);
    await Deno.writeTextFile(`${dir}/file`, "keep");
    const config = { out: `${dir}/results/deep`, report: `${dir}/site`, matrix: [entry] };
    const cases: [unknown, string[], RegExp][] = [
      [config, [], /^error: --report: .*\/site is a folder; expected the path of a file/m],
      [
        { ...config, report: `${dir}/file/index.html` },
        [],
        /^error: --report: .*\/file is a file, not a folder \(the folder of .*\/file\/index\.html\)$/m,
      ],
      [config, ["--report", `${dir}/file/x/index.html`], /^error: --report: /m],
      [
        { ...config, report: `${dir}/r.html` },
        ["--out", `${dir}/file/results`],
        /^error: --out: /m,
      ],
      [config, ["--emit-slurm", `${dir}/site`], /^error: --emit-slurm: .*site is a folder/m],
      [config, ["--emit-slurm", `${dir}/file/job.sbatch`], /^error: --emit-slurm: /m],
    ];
    for (const [c, args, message] of cases) {
      const r = await nightlyWith(dir, c, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stdout + r.stderr, /nightly: \d+ cell|^\s+at /m);
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
        ["config.json", "file", "site"],
        `${args.join(" ")}: something was created`,
      );
      assert.deepEqual([...Deno.readDirSync(`${dir}/site`)], []);
    }
    // --emit-slurm into a folder that does not exist yet: created once every check passed.
    const ok = await nightlyWith(dir, config, ["--emit-slurm", `${dir}/new folder/job.sbatch`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok((await Deno.stat(`${dir}/new folder/job.sbatch`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nightly_flag_combinations: flags a mode would silently ignore, and empty values, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = { out: `${dir}/results`, report: `${dir}/r.html`, matrix: [entry] };
    const cases: [string[], RegExp][] = [
      [
        ["--emit-slurm", `${dir}/job.sbatch`, "--dry-run"],
        /^error: --dry-run: not used with --emit-slurm \(--dry-run prints the cells/m,
      ],
      [
        ["--cell", "0", "--emit-slurm", `${dir}/job.sbatch`],
        /^error: --cell: not used with --emit-slurm \(the script runs every cell/m,
      ],
      [
        ["--emit-slurm", `${dir}/job.sbatch`, "--out", dir],
        /^error: --out: not used with --emit-slurm/m,
      ],
      [
        ["--emit-slurm", `${dir}/job.sbatch`, "--report", `${dir}/x.html`],
        /^error: --report: not used with --emit-slurm/m,
      ],
      [["--cell", "0", "--report", `${dir}/x.html`], /^error: --report: not used with --cell/m],
      [["--out", ""], /^error: --out: got "", expected a folder path$/m],
      [["--report", " "], /^error: --report: got " ", expected a file path$/m],
      [["--emit-slurm", ""], /^error: --emit-slurm: got "", expected a file path$/m],
      [
        ["--dry-run=1"],
        /^error: --dry-run: an on\/off switch takes no value, got "--dry-run=1"; write --dry-run/m,
      ],
      [["--bogus"], /^error: --bogus: unknown option \(see --help\)$/m],
    ];
    for (const [args, message] of cases) {
      const r = await nightlyWith(dir, config, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        ["config.json"],
        args.join(" "),
      );
    }
    const empty = await runScript(`${REPO}/benchmarks/nightly.ts`, ["--config", ""]);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /^error: --config: got "", expected a file path$/m);
    // --dry-run does what it says with --cell and --out: that cell's command, nothing written.
    const dry = await nightlyWith(dir, { ...config, matrix: [{ ...entry, seeds: [1, 2] }] }, [
      "--dry-run",
      "--cell",
      "1",
      "--out",
      `${dir}/my results`,
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^nightly: cell 1 of 2 into .*\/my results; no report \(dry run\)$/m);
    assert.match(dry.stdout, /^1: perf: microcircuit scale 0\.02 poisson seed 2/m);
    assert.doesNotMatch(dry.stdout, /^0: /m);
    assert.match(dry.stdout, /deno task bench --model microcircuit .* --out '.*\/my results'$/m);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["config.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nightly_slurm_quoting: the submit hint and #SBATCH --output keep a path with spaces one word", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shared = `${dir}/shared data`;
    const r = await nightlyWith(
      dir,
      { matrix: [entry], slurm: { shared_dir: shared } },
      ["--emit-slurm", `${dir}/my jobs/nightly.sbatch`],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.includes(
        `submit with: mkdir -p '${shared}/logs' && sbatch '${dir}/my jobs/nightly.sbatch'`,
      ),
      r.stdout,
    );
    const script = await Deno.readTextFile(`${dir}/my jobs/nightly.sbatch`);
    assert.ok(script.includes(`#SBATCH --output=${dir}/shared\\ data/logs/%A_%a.out\n`), script);
    assert.ok(script.includes(`# Submit:   mkdir -p '${shared}/logs' && sbatch`), script);
    // The hint, pasted into bash, is one mkdir of the right folder (sbatch replaced by echo).
    const hint = r.stdout.slice(r.stdout.indexOf("submit with: ") + 13).trim();
    const bash = await new Deno.Command("bash", {
      args: ["-c", hint.replace(" && sbatch ", " && echo ")],
      stdout: "piped",
    }).output();
    assert.equal(bash.code, 0);
    assert.equal(new TextDecoder().decode(bash.stdout).trim(), `${dir}/my jobs/nightly.sbatch`);
    assert.ok((await Deno.stat(`${shared}/logs`)).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

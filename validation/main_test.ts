import assert from "node:assert/strict";
import { parseBenchArgs } from "../benchmarks/bench_options.ts";
import { referenceScaleFlag, runCli, windowFlag } from "./main.ts";
import { loadReferenceSpikes } from "./reference.ts";
import { writeSpikeFile } from "./spike_io.ts";
import type { PopulationSpikes } from "./spike_statistics.ts";
import { dropSpikes } from "./test_util.ts";

const NEST_SEED1 = new URL("./reference/microcircuit/small/spikes_seed1.csv.gz", import.meta.url)
  .pathname;

interface CliResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

async function cli(...args: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

function lastJson(result: CliResult): Record<string, unknown> {
  const lines = result.stdout.join("\n").trimEnd().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "spikebench_cli_" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

let seed1: Promise<PopulationSpikes[]> | undefined;
function nestSeed1(): Promise<PopulationSpikes[]> {
  seed1 ??= loadReferenceSpikes();
  return seed1;
}

Deno.test("--help prints the usage and exits 0", async () => {
  const r = await cli("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout.join("\n"), /Usage: deno task validate --spikes PATH/);
  assert.match(r.stdout.join("\n"), /Exit status: 0 .* 1 .* 2 bad input/);
});

Deno.test("NEST's own spikes pass: table, exit 0, JSON verdict on the last line", async () => {
  const r = await cli("--spikes", NEST_SEED1, "--scale", "0.1", "--json");
  assert.equal(r.code, 0, r.stderr.join("\n"));
  // With --json the table goes to stderr: stdout carries only the verdict.
  assert.equal(r.stdout.length, 1);
  const text = r.stderr.join("\n");
  assert.match(text, /read .*spikes_seed1\.csv\.gz: csv, 8 populations, 211176 spikes/);
  assert.match(text, /L5E\s+cv_isi\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+pass/);
  assert.match(text, /PASS: all 32 checks passed/);
  const verdict = lastJson(r);
  assert.equal(verdict.kind, "spikebench-validation");
  assert.equal(verdict.pass, true);
  assert.deepEqual(verdict.inputs, [NEST_SEED1]);
});

Deno.test("a spike set with 20 % of spikes dropped fails with exit 1, naming the cells", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/dropped.spikes.gz`;
    await writeSpikeFile(path, dropSpikes(await nestSeed1(), { fraction: 0.2, seed: 3 }));
    const r = await cli("--spikes", path, "--json");
    assert.equal(r.code, 1, r.stderr.join("\n"));
    const text = r.stderr.join("\n");
    assert.match(text, /L4E\s+firing_rate\s.*FAIL/);
    assert.match(text, /FAIL: \d+ check\(s\) failed:\n {2}L4E firing_rate: EMD/);
    const verdict = lastJson(r) as { pass: boolean; failures: string[] };
    assert.equal(verdict.pass, false);
    assert.ok(verdict.failures.some((f) => f.startsWith("L4E mean_rate: ")));
  });
});

Deno.test("several --spikes form an ensemble; a NEST GPU directory is read (scale inferred)", async () => {
  await withTempDir(async (dir) => {
    // NEST GPU layout: 0-based node ids, one spike_times_<i>.dat per population.
    const pops = await nestSeed1();
    let first = 0;
    const ranges: string[] = [];
    for (let i = 0; i < pops.length; i++) {
      const p = pops[i];
      const lines = ["sender time_ms"];
      for (let k = 0; k < p.senders.length; k++) {
        lines.push(`${first + p.senders[k]}\t${p.timesMs[k].toFixed(3)}`);
      }
      await Deno.writeTextFile(`${dir}/spike_times_${i}.dat`, lines.join("\n") + "\n");
      ranges.push(`${first} ${first + p.size - 1}`);
      first += p.size;
    }
    await Deno.writeTextFile(`${dir}/population_nodeids.dat`, ranges.join("\n") + "\n");
    const r = await cli("--spikes", dir, "--spikes", NEST_SEED1, "--json");
    assert.equal(r.code, 0, r.stderr.join("\n") + r.stdout.join("\n"));
    assert.match(r.stderr.join("\n"), /: nest-gpu, 8 populations, 211176 spikes/);
    const verdict = lastJson(r) as { candidateRuns: number; reference: { scale: string } };
    assert.equal(verdict.candidateRuns, 2);
    assert.equal(verdict.reference.scale, "small");
  });
});

Deno.test("bad input exits 2 with a message naming the file and line", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.dat`, "sender time_ms\n1 500.5\n2 5O1.0\n");
    const r = await cli("--spikes", `${dir}/bad.dat`, "--scale", "0.1", "--json");
    assert.equal(r.code, 2);
    assert.match(r.stderr.join("\n"), /bad\.dat:3: time_ms must be a finite number, got '5O1\.0'/);
    const error = lastJson(r);
    assert.equal(error.kind, "spikebench-validation-error");
    assert.equal(error.exitCode, 2);
  });
});

Deno.test("bad input: missing file", async () => {
  const r = await cli("--spikes", "/no/such/run.spikes", "--scale", "1");
  assert.equal(r.code, 2);
  assert.match(r.stderr.join("\n"), /\/no\/such\/run\.spikes: no such file or directory/);
});

Deno.test("bad input: flags (unknown flag, bad scale, no --spikes, bad times)", async () => {
  const cases: [string[], RegExp][] = [
    [["--spikes", NEST_SEED1, "--seed", "3"], /--seed: unknown option|Unknown option '--seed'/],
    [["--spikes", NEST_SEED1, "--scale", "0.5"], /--scale: got "0\.5", expected 0\.1 or 1/],
    [["--scale", "0.1"], /no --spikes PATH given/],
    [
      ["--spikes", NEST_SEED1, "--scale", "0.1", "--t-sim=-5"],
      /--t-sim: got "-5", expected .*\[2, /,
    ],
    [["--spikes", NEST_SEED1, "--t-sim", "-5"], /--t-sim: got "-5", expected/],
    [["--spikes", NEST_SEED1, "--t-sim", "0x10"], /--t-sim: got "0x10"/],
    [["--spikes", NEST_SEED1, "--scale", "0.1", "--scale", "1"], /--scale: given more than once/],
    [["--spikes", NEST_SEED1, "--scale", "0.1", "--t-presim", "x"], /--t-presim: got "x"/],
    [["--spikes", NEST_SEED1], /population_nodeids\.dat is missing.*--scale/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr.join("\n"), message, args.join(" "));
  }
});

Deno.test("bad input: small-scale spikes against the full reference", async () => {
  // The CSV's pop column shows that the full-scale node-id ranges do not fit.
  const csv = await cli("--spikes", NEST_SEED1, "--scale", "1");
  assert.equal(csv.code, 2);
  assert.match(
    csv.stderr.join("\n"),
    /:2: sender 4081 is marked pop 2 but lies in population 0 \(L23E\).*wrong --scale/,
  );
  // Our format carries the sizes, which the verdict compares with the reference.
  await withTempDir(async (dir) => {
    await writeSpikeFile(`${dir}/run.spikes`, await nestSeed1());
    const r = await cli("--spikes", `${dir}/run.spikes`, "--scale", "1");
    assert.equal(r.code, 2);
    assert.match(
      r.stderr.join("\n"),
      /population "L23E" has 2068 neurons but the full reference has 20683/,
    );
  });
});

/** NEST seed 1 with only the spikes in [0, endMs). */
async function truncated(endMs: number): Promise<PopulationSpikes[]> {
  return (await nestSeed1()).map((p) => {
    const keep = [...p.timesMs.keys()].filter((k) => p.timesMs[k] < endMs);
    return {
      ...p,
      senders: Uint32Array.from(keep, (k) => p.senders[k]),
      timesMs: Float64Array.from(keep, (k) => p.timesMs[k]),
    };
  });
}

Deno.test("validate_spikes_window: a spikebench file is judged on the window it was recorded with", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/short.spikes.gz`;
    const metadata = { t_presim_ms: 500, t_sim_ms: 2000 };
    await writeSpikeFile(path, await truncated(2500), { metadata });
    const r = await cli("--spikes", path, "--json");
    assert.ok(r.code === 0 || r.code === 1, r.stderr.join("\n"));
    assert.match(
      r.stderr.join("\n"),
      /analysed window: 500–2500 ms \(t-presim 500 \+ t-sim 2000 ms, both from the header of .*short\.spikes\.gz\)/,
    );
    const verdict = lastJson(r) as { window: { tStartMs: number; tStopMs: number } };
    assert.deepEqual([verdict.window.tStartMs, verdict.window.tStopMs], [500, 2500]);
    // Flags still win over the stored window.
    const flagged = await cli("--spikes", path, "--t-presim", "1000", "--t-sim", "1000", "--json");
    const w = (lastJson(flagged) as typeof verdict).window;
    assert.deepEqual([w.tStartMs, w.tStopMs], [1000, 2000]);
    // Two files recorded with different windows need an explicit common one.
    const other = `${dir}/other.spikes.gz`;
    await writeSpikeFile(other, await truncated(2500), {
      metadata: { t_presim_ms: 500, t_sim_ms: 1500 },
    });
    const mixed = await cli("--spikes", path, "--spikes", other);
    assert.equal(mixed.code, 2);
    assert.match(
      mixed.stderr.join("\n"),
      /recorded with 500 \+ 1500 ms but .* with 500 \+ 2000 ms/,
    );
  });
});

Deno.test("validate_spikes_window: a recording that misses the analysed window exits 2 instead of failing", async () => {
  await withTempDir(async (dir) => {
    // Shorter than the reference window, no stored window: rates would be 4× too low.
    const short = `${dir}/short.csv`;
    const pops = await truncated(3000);
    const lines = ["sender,time_ms,pop"];
    let first = 1;
    pops.forEach((p, i) => {
      for (let k = 0; k < p.senders.length; k++) {
        lines.push(`${first + p.senders[k]},${p.timesMs[k]},${i}`);
      }
      first += p.size;
    });
    await Deno.writeTextFile(short, lines.join("\n") + "\n");
    const ends = await cli("--spikes", short, "--scale", "0.1");
    assert.equal(ends.code, 2);
    assert.match(
      ends.stderr.join("\n"),
      /short\.csv: the recording ends before the analysed window \[500, 10500\) ms does \(its spikes span .*–2999\.\d+ ms; no spike within 100 ms of its end: the microcircuit is never silent that long, so the recording stopped early\); pass --t-presim and --t-sim/,
    );
    // Nothing in the window at all.
    const none = await cli("--spikes", short, "--scale", "0.1", "--t-presim", "5000");
    assert.equal(none.code, 2);
    assert.match(none.stderr.join("\n"), /no spike in the analysed window \[5000, 15000\) ms/);
    // An empty spikebench file.
    const empty = `${dir}/empty.spikes`;
    await writeSpikeFile(
      empty,
      pops.map((p) => ({ ...p, senders: new Uint32Array(), timesMs: new Float64Array() })),
    );
    const silent = await cli("--spikes", empty);
    assert.equal(silent.code, 2);
    assert.match(silent.stderr.join("\n"), /empty\.spikes: the recording has no spikes at all/);
  });
});

Deno.test("a .spikes file that is not ours is named as such", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/run.spikes`, "sender time_ms\n1 2.0\n");
    const r = await cli("--spikes", `${dir}/run.spikes`);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr.join("\n"),
      /run\.spikes:1: not a spikebench spike file: line 1 must be its JSON header/,
    );
  });
});

Deno.test("`deno run validation/main.ts` exits with the CLI's status", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", new URL("./main.ts", import.meta.url).pathname, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
  assert.equal((await run(["--help"])).code, 0);
  const bad = await run(["--spikes", "/no/such/file"]);
  assert.equal(bad.code, 2);
  assert.match(new TextDecoder().decode(bad.stderr), /no such file or directory/);
});

/** NEST seed 1 with only the spikes in [fromMs, toMs], shifted by `shiftMs`. */
async function slice(fromMs: number, toMs: number, shiftMs = 0): Promise<PopulationSpikes[]> {
  return (await nestSeed1()).map((p) => {
    const keep = [...p.timesMs.keys()].filter((k) =>
      p.timesMs[k] >= fromMs && p.timesMs[k] <= toMs
    );
    return {
      ...p,
      senders: Uint32Array.from(keep, (k) => p.senders[k]),
      timesMs: Float64Array.from(keep, (k) => p.timesMs[k] + shiftMs),
    };
  });
}

/** Writes `pops` as CSV with a pop column (no stored window, node ids checked). */
async function writeCsv(path: string, pops: PopulationSpikes[]): Promise<void> {
  const lines = ["sender,time_ms,pop"];
  let first = 1;
  pops.forEach((p, i) => {
    for (let k = 0; k < p.senders.length; k++) {
      lines.push(`${first + p.senders[k]},${p.timesMs[k]},${i}`);
    }
    first += p.size;
  });
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
}

Deno.test("validate_window_inside_recording: the analysed window must lie inside a spikebench file's recorded window", async () => {
  await withTempDir(async (dir) => {
    // Saved from 50 ms on (t_presim 50) for 200 ms: NEST's 500–700 ms moved to 50–250 ms.
    const path = `${dir}/p50.spikes.gz`;
    await writeSpikeFile(path, await slice(500, 700, -450), {
      metadata: { t_presim_ms: 50, t_sim_ms: 200 },
    });
    const cases: [string[], string][] = [
      [["--t-presim", "0"], "[0, 200) ms"], // 50 ms before the recording: rates ~25 % low
      [["--t-presim", "100"], "[100, 300) ms"], // the stored t_sim runs past the end
      [["--t-presim", "0", "--t-sim", "100"], "[0, 100) ms"],
      [["--t-presim", "200", "--t-sim", "100"], "[200, 300) ms"],
    ];
    for (const [flags, asked] of cases) {
      const r = await cli("--spikes", path, ...flags, "--json");
      assert.equal(r.code, 2, flags.join(" "));
      const message = r.stderr.join("\n");
      assert.ok(
        message.includes(
          `${path}: the analysed window ${asked} does not lie inside the recorded one, ` +
            "[50, 250] ms (t_presim_ms 50 + t_sim_ms 200 in its header",
        ),
        message,
      );
      assert.match(message, /pass --t-presim ≥ 50 with --t-presim \+ --t-sim ≤ 250/);
      assert.equal(lastJson(r).kind, "spikebench-validation-error");
    }
    // Inside the recording (or the recording itself) is judged.
    for (
      const flags of [[], ["--t-presim", "50", "--t-sim", "200"], [
        "--t-presim",
        "100",
        "--t-sim",
        "150",
      ]]
    ) {
      const r = await cli("--spikes", path, ...flags, "--json");
      assert.ok(r.code === 0 || r.code === 1, `${flags.join(" ")}: ${r.stderr.join("\n")}`);
    }
  });
});

Deno.test("validate_window_start_covered: a recording without a stored window that starts after the window's start is refused", async () => {
  await withTempDir(async (dir) => {
    const late = `${dir}/late.csv`;
    await writeCsv(late, await slice(2000, 10500));
    const r = await cli("--spikes", late, "--scale", "0.1");
    assert.equal(r.code, 2);
    assert.match(
      r.stderr.join("\n"),
      /late\.csv: the recording starts after the analysed window \[500, 10500\) ms does \(its spikes span 2000(\.\d+)?–10500 ms; no spike within 100 ms of its start: the microcircuit is never silent that long, so the recording began late\); pass --t-presim and --t-sim/,
    );
    // Starting within 100 ms of the window is a recording that covers it.
    const ok = await cli(
      "--spikes",
      late,
      "--scale",
      "0.1",
      "--t-presim",
      "1950",
      "--t-sim",
      "8000",
    );
    assert.ok(ok.code === 0 || ok.code === 1, ok.stderr.join("\n"));
  });
});

Deno.test("validate_window_source_printed: the analysed window and where each bound came from are always printed", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/run.spikes.gz`;
    await writeSpikeFile(path, await slice(0, 3000), {
      metadata: { t_presim_ms: 500, t_sim_ms: 2500 },
    });
    const window = async (flags: string[], codes: number[]) => {
      const r = await cli("--spikes", path, ...flags);
      assert.ok(codes.includes(r.code), `${flags.join(" ")}: ${r.stderr.join("\n")}`);
      return r.stdout.find((l) => l.startsWith("analysed window: "));
    };
    const header = `the header of ${path}`;
    assert.equal(
      await window([], [0, 1]),
      `analysed window: 500–3000 ms (t-presim 500 + t-sim 2500 ms, both from ${header})`,
    );
    // One flag: the other bound still comes from the file (here past its end: refused after
    // the window is stated).
    assert.equal(
      await window(["--t-presim", "1000"], [2]),
      `analysed window: 1000–3500 ms (t-presim 1000 ms from --t-presim; t-sim 2500 ms from ${header})`,
    );
    assert.equal(
      await window(["--t-sim", "2000"], [0, 1]),
      `analysed window: 500–2500 ms (t-presim 500 ms from ${header}; t-sim 2000 ms from --t-sim)`,
    );
    // Both flags: still printed.
    assert.equal(
      await window(["--t-presim", "600", "--t-sim", "2000"], [0, 1]),
      "analysed window: 600–2600 ms (t-presim 600 ms from --t-presim; t-sim 2000 ms from --t-sim)",
    );
  });
  const r = await cli("--spikes", NEST_SEED1, "--scale", "0.1");
  assert.ok(
    r.stdout.includes(
      "analysed window: 500–10500 ms (t-presim 500 + t-sim 10000 ms, both from the NEST " +
        "reference's default (500 + 10000 ms))",
    ),
    r.stdout.join("\n"),
  );
});

Deno.test("validate_window_no_float_noise: window times are printed as given, and the reference's and the candidate's windows are labelled apart", async () => {
  // 500.1 + 100.2 is 600.3000000000001 in float64.
  const r = await cli(
    "--spikes",
    NEST_SEED1,
    "--scale",
    "0.1",
    "--t-presim",
    "500.1",
    "--t-sim",
    "100.2",
    "--json",
  );
  assert.ok(r.code === 0 || r.code === 1, r.stderr.join("\n"));
  const text = r.stderr.join("\n");
  assert.match(
    text,
    /analysed window: 500\.1–600\.3 ms \(t-presim 500\.1 ms from --t-presim; t-sim 100\.2 ms from --t-sim\)/,
  );
  assert.match(
    text,
    /NEST reference: small \(NEST [^)]*\), window 500–10500 ms; candidate: 1 run\(s\), window 500\.1–600\.3 ms/,
  );
  assert.ok(!/0000000\d/.test(text.split("\nwarning:")[0]), text);
  const verdict = lastJson(r) as { window: { tStartMs: number; tStopMs: number } };
  assert.deepEqual([verdict.window.tStartMs, verdict.window.tStopMs], [500.1, 600.3]);
});

Deno.test("validate_window_flags: --t-presim and --t-sim follow the bench's grid and ranges, with its wording", async () => {
  const bench = (flag: string, value: string) => {
    try {
      parseBenchArgs([flag, value]);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };
  for (const value of ["100.05", "-5", "1e8", "0x10", ""]) {
    const r = await cli("--spikes", NEST_SEED1, "--scale", "0.1", "--t-presim", value);
    assert.equal(r.code, 2, value);
    assert.equal(r.stderr.join("\n"), `error: ${bench("--t-presim", value)}`);
  }
  for (const value of ["100.05", "-5", "1e8", "1.9", "0"]) {
    const r = await cli("--spikes", NEST_SEED1, "--scale", "0.1", `--t-sim=${value}`);
    assert.equal(r.code, 2, value);
    assert.equal(
      r.stderr.join("\n"),
      `error: --t-sim: got "${value}", expected a number of ms in [2, 10000000] on the ` +
        "simulation grid: a multiple of the microcircuit's time step, 0.1 ms (at least one 2 ms " +
        "correlation bin)",
    );
  }
  assert.equal(windowFlag("t-sim", "2"), 2);
  assert.equal(windowFlag("t-presim", "0"), 0);
  assert.equal(windowFlag("t-presim", "1e3"), 1000);
  assert.equal(windowFlag("t-presim", undefined), undefined);
  // Within the grid tolerance: the grid point it stands for, as the bench stores it.
  assert.equal(windowFlag("t-sim", "100.10000000001"), 100.1);
});

Deno.test("validate_scale_numeric: --scale is read as a number, 0.1 or 1 exactly", async () => {
  for (const raw of ["0.1", "0.10", "1e-1", ".1"]) assert.equal(referenceScaleFlag(raw), "small");
  for (const raw of ["1", "1.0", "1e0", "1.000"]) assert.equal(referenceScaleFlag(raw), "full");
  for (const raw of ["0.5", "10", "small", "0x1", "+1", "", " 1", "Infinity", "0.1.0"]) {
    assert.throws(() => referenceScaleFlag(raw), (e: Error) => {
      assert.equal(
        e.message,
        `--scale: got ${JSON.stringify(raw)}, expected 0.1 or 1 (the NEST reference scales)`,
      );
      return true;
    });
  }
  const r = await cli("--spikes", NEST_SEED1, "--scale", "1e-1", "--json");
  assert.equal(r.code, 0, r.stderr.join("\n"));
  assert.equal((lastJson(r) as { reference: { scale: string } }).reference.scale, "small");
});

Deno.test("validate_no_spikes: a recording without any spike says so instead of advising --t-presim", async () => {
  await withTempDir(async (dir) => {
    const pops = (await nestSeed1()).map((p) => ({
      ...p,
      senders: new Uint32Array(),
      timesMs: new Float64Array(),
    }));
    for (const flags of [[], ["--t-presim", "0", "--t-sim", "100"]]) {
      const path = `${dir}/silent${flags.length}.spikes`;
      await writeSpikeFile(path, pops, { metadata: { t_presim_ms: 500, t_sim_ms: 1000 } });
      const r = await cli("--spikes", path, ...flags);
      assert.equal(r.code, 2);
      const message = r.stderr.join("\n");
      assert.match(message, /silent\d\.spikes: the recording has no spikes at all/);
      assert.ok(!message.includes("--t-presim"), message);
    }
  });
});

Deno.test("validate_duplicate_spikes: the same recording given twice is refused, naming it", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/run.spikes.gz`;
    await writeSpikeFile(path, await slice(0, 1000), {
      metadata: { t_presim_ms: 0, t_sim_ms: 1000 },
    });
    await Deno.symlink(path, `${dir}/link.spikes.gz`);
    const twice = await cli("--spikes", path, "--spikes", path, "--json");
    assert.equal(twice.code, 2);
    assert.match(
      twice.stderr.join("\n"),
      /--spikes: .*run\.spikes\.gz is given twice; each --spikes must be a different run/,
    );
    assert.equal(lastJson(twice).kind, "spikebench-validation-error");
    const cwd = Deno.cwd();
    Deno.chdir(dir);
    try {
      const relative = await cli("--spikes", "run.spikes.gz", "--spikes", "./run.spikes.gz");
      assert.equal(relative.code, 2);
      assert.match(
        relative.stderr.join("\n"),
        /\.\/run\.spikes\.gz and run\.spikes\.gz are the same recording/,
      );
    } finally {
      Deno.chdir(cwd);
    }
    const link = await cli("--spikes", path, "--spikes", `${dir}/link.spikes.gz`);
    assert.equal(link.code, 2);
    assert.match(
      link.stderr.join("\n"),
      /link\.spikes\.gz and .*run\.spikes\.gz are the same recording/,
    );
    // A folder reads the one spike file in it: the same recording as that file.
    const folder = await cli("--spikes", `${dir}/run.spikes.gz`, "--spikes", dir);
    assert.equal(folder.code, 2, folder.stderr.join("\n"));
    assert.match(
      folder.stderr.join("\n"),
      /--spikes: .* and .*run\.spikes\.gz both contain .*run\.spikes\.gz/,
    );
  });
});

Deno.test("validate_empty_spikes_path: --spikes '' names the flag", async () => {
  for (const value of ["", " "]) {
    const r = await cli("--spikes", NEST_SEED1, "--spikes", value);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.join("\n"),
      `error: --spikes: got ${JSON.stringify(value)}, expected the path of a spike file or folder`,
    );
  }
});

Deno.test("validate_mixed_windows_with_flags: files recorded with different windows are judged on an explicit common one", async () => {
  await withTempDir(async (dir) => {
    const a = `${dir}/a.spikes.gz`;
    const b = `${dir}/b.spikes.gz`;
    await writeSpikeFile(a, await slice(500, 2500), {
      metadata: { t_presim_ms: 500, t_sim_ms: 2000 },
    });
    await writeSpikeFile(b, await slice(500, 2000), {
      metadata: { t_presim_ms: 500, t_sim_ms: 1500 },
    });
    const r = await cli(
      "--spikes",
      a,
      "--spikes",
      b,
      "--t-presim",
      "500",
      "--t-sim",
      "1500",
      "--json",
    );
    assert.ok(r.code === 0 || r.code === 1, r.stderr.join("\n"));
    assert.equal((lastJson(r) as { candidateRuns: number }).candidateRuns, 2);
    // A common window outside one of them is refused, naming that file.
    const past = await cli("--spikes", a, "--spikes", b, "--t-presim", "500", "--t-sim", "2000");
    assert.equal(past.code, 2);
    assert.match(
      past.stderr.join("\n"),
      /b\.spikes\.gz: the analysed window \[500, 2500\) ms does not lie inside the recorded one, \[500, 2000\] ms/,
    );
  });
});

Deno.test("validate_json_stdout_pure: with --json stdout carries one JSON object, for verdicts and errors alike", async () => {
  const cases: string[][] = [
    ["--spikes", NEST_SEED1, "--scale", "0.1", "--json"],
    ["--spikes", NEST_SEED1, "--scale", "0.5", "--json"],
    ["--spikes", NEST_SEED1, "--bogus", "--json"],
    ["--spikes", "--json"],
    ["--json", "--scale", "0.1"],
  ];
  for (const args of cases) {
    const r = await cli(...args);
    assert.equal(r.stdout.length, 1, `${args.join(" ")}: ${r.stdout.join("\n")}`);
    const object = JSON.parse(r.stdout[0]);
    if (r.code === 2) {
      assert.deepEqual(Object.keys(object), ["kind", "error", "exitCode"]);
      assert.equal(object.kind, "spikebench-validation-error");
      assert.equal(`error: ${object.error}`, r.stderr[0]);
    } else assert.equal(object.kind, "spikebench-validation");
  }
  // Without --json nothing JSON goes to stdout.
  const plain = await cli("--spikes", NEST_SEED1, "--scale", "0.5");
  assert.deepEqual(plain.stdout, []);
});

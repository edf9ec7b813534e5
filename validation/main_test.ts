import assert from "node:assert/strict";
import { runCli } from "./main.ts";
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
  const text = r.stdout.join("\n");
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
    const text = r.stdout.join("\n");
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
    assert.match(r.stdout.join("\n"), /: nest-gpu, 8 populations, 211176 spikes/);
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
    [["--spikes", NEST_SEED1, "--seed", "3"], /Unknown option '--seed'/],
    [["--spikes", NEST_SEED1, "--scale", "0.5"], /--scale is '0.5'; it must be 0.1 or 1/],
    [["--scale", "0.1"], /no --spikes PATH given/],
    [["--spikes", NEST_SEED1, "--scale", "0.1", "--t-sim=-5"], /--t-sim is '-5'; .*> 0/],
    [["--spikes", NEST_SEED1, "--t-sim", "-5"], /--t-sim is '-5'; .*> 0/],
    [["--spikes", NEST_SEED1, "--t-sim", "0x10"], /--t-sim is '0x10'/],
    [["--spikes", NEST_SEED1, "--scale", "0.1", "--scale", "1"], /--scale: given more than once/],
    [["--spikes", NEST_SEED1, "--scale", "0.1", "--t-presim", "x"], /--t-presim is 'x'/],
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
    assert.match(r.stdout.join("\n"), /window 500–2500 ms \(as recorded\)/);
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
      /short\.csv: the recording ends before the analysed window \[500, 10500\) ms does \(its spikes span .*–2999\.\d+ ms\); pass --t-presim and --t-sim/,
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
    assert.match(silent.stderr.join("\n"), /empty\.spikes: no spike .*\(it has no spikes\)/);
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

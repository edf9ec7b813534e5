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
    [["--spikes", NEST_SEED1, "--t-sim", "-5"], /'--t-sim' argument is ambiguous/],
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

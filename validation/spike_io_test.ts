import assert from "node:assert/strict";
import {
  formatSpikeFile,
  PD14_POPULATIONS,
  readPopulationNodeIds,
  readSpikes,
  SpikeInputError,
  writeSpikeFile,
} from "./spike_io.ts";
import type { PopulationSpikes } from "./spike_statistics.ts";
import { poissonPopulation, seededRandom } from "./test_util.ts";

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "spikebench_io_" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function twoPopulations(): PopulationSpikes[] {
  const a = poissonPopulation("E", 40, { rateHz: 20, tStartMs: 0, tStopMs: 2000, seed: 1 });
  const b = poissonPopulation("I", 10, {
    rateHz: 30,
    tStartMs: 0,
    tStopMs: 2000,
    seed: 2,
    gridMs: 0.1,
  });
  // Float-noise times (k * 0.1) and an exponent-notation-prone tiny time must survive.
  const times = Float64Array.from([...b.timesMs, 5020 * 0.1, 1e-7]);
  const senders = Uint32Array.from([...b.senders, 3, 4]);
  return [a, { ...b, senders, timesMs: times }];
}

Deno.test("our format round-trips populations bit-exactly, plain and gzipped", async () => {
  await withTempDir(async (dir) => {
    const pops = twoPopulations();
    for (const name of ["run.spikes", "run.spikes.gz"]) {
      const path = `${dir}/${name}`;
      await writeSpikeFile(path, pops, { metadata: { seed: 7, simulator: "test" } });
      const bytes = await Deno.readFile(path);
      assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, name.endsWith(".gz"));
      const rec = await readSpikes(path);
      assert.equal(rec.format, "spikebench");
      assert.deepEqual(rec.metadata, { seed: 7, simulator: "test" });
      assert.deepEqual(rec.ranges, [
        { name: "E", firstId: 1, size: 40 },
        { name: "I", firstId: 41, size: 10 },
      ]);
      rec.populations.forEach((p, i) => {
        assert.equal(p.name, pops[i].name);
        assert.equal(p.size, pops[i].size);
        assert.deepEqual(p.senders, pops[i].senders);
        assert.deepEqual(p.timesMs, pops[i].timesMs);
      });
    }
    // A directory holding one spike file is read the same way.
    await Deno.remove(`${dir}/run.spikes`);
    assert.equal((await readSpikes(dir)).format, "spikebench");
  });
});

Deno.test("the writer's header is documented JSON and custom first ids are kept", () => {
  const pops = twoPopulations();
  const text = formatSpikeFile(pops, { firstIds: [100, 0] });
  const [header, columns, first] = text.split("\n");
  assert.deepEqual(JSON.parse(header), {
    format: "spikebench-spikes",
    version: 1,
    populations: [
      { name: "E", first_id: 100, size: 40 },
      { name: "I", first_id: 0, size: 10 },
    ],
    metadata: {},
  });
  assert.equal(columns, "sender time_ms");
  assert.equal(first, `${100 + pops[0].senders[0]} ${pops[0].timesMs[0]}`);
  assert.throws(() => formatSpikeFile(pops, { firstIds: [1, 20] }), /overlap/);
  assert.throws(() => formatSpikeFile(pops, { firstIds: [1] }), /firstIds has 1 entries/);
});

Deno.test("NEST spike recorder files (NEST 3 header, several threads, NEST 2 .gdf) are merged", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/population_nodeids.dat`, "1 5\n6 8\n");
    const header = "# NEST version: 3.8.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";
    await Deno.writeTextFile(`${dir}/spike_recorder-9-0.dat`, `${header}1\t500.3\n7\t501.1\n`);
    await Deno.writeTextFile(`${dir}/spike_recorder-9-1.dat`, `${header}5\t502.5\n`);
    await Deno.writeFile(`${dir}/spike_recorder-10-0.dat.gz`, await gzip(`${header}8\t1e3\n`));
    await Deno.writeTextFile(`${dir}/old.gdf`, "2\t 600.0\t\n");
    const rec = await readSpikes(dir, { populationNames: ["E", "I"] });
    assert.equal(rec.format, "nest");
    assert.equal(rec.files.length, 4);
    assert.equal(rec.rangesSource, `${dir}/population_nodeids.dat`);
    const [e, i] = rec.populations;
    assert.deepEqual([e.name, e.size, i.name, i.size], ["E", 5, "I", 3]);
    const sortedPairs = (p: PopulationSpikes) =>
      [...p.senders].map((s, k) => [s, p.timesMs[k]]).sort((x, y) => x[1] - y[1]);
    assert.deepEqual(sortedPairs(e), [[0, 500.3], [4, 502.5], [1, 600]]);
    assert.deepEqual(sortedPairs(i), [[1, 501.1], [2, 1000]]);
  });
});

Deno.test("a NEST file without population_nodeids.dat uses the fallback ranges", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sr.dat`, "sender time_ms\n3 510.0\n");
    const rec = await readSpikes(`${dir}/sr.dat`, {
      fallbackRanges: [{ name: "A", firstId: 1, size: 4 }],
    });
    assert.equal(rec.rangesSource, "fallback");
    assert.deepEqual([...rec.populations[0].senders], [2]);
    await assert.rejects(() => readSpikes(`${dir}/sr.dat`), /population_nodeids\.dat is missing/);
  });
});

Deno.test("NEST GPU layout: spike_times_<i>.dat per population with 0-based node ids", async () => {
  await withTempDir(async (dir) => {
    const sizes = [3, 2, 2, 2, 2, 2, 2, 2];
    let first = 0;
    const lines: string[] = [];
    for (let p = 0; p < 8; p++) {
      lines.push(`${first} ${first + sizes[p] - 1}`);
      const body = p === 5 ? "" : `${first + 1}\t${(600 + p).toFixed(3)}\n${first}\t700.000\n`;
      await Deno.writeTextFile(`${dir}/spike_times_${p}.dat`, `sender time_ms\n${body}`);
      first += sizes[p];
    }
    await Deno.writeTextFile(`${dir}/population_nodeids.dat`, lines.join("\n") + "\n");
    const rec = await readSpikes(dir);
    assert.equal(rec.format, "nest-gpu");
    assert.deepEqual(rec.populations.map((p) => p.name), [...PD14_POPULATIONS]);
    assert.deepEqual(rec.populations.map((p) => p.size), sizes);
    assert.deepEqual([...rec.populations[2].senders], [1, 0]);
    assert.deepEqual([...rec.populations[2].timesMs], [602, 700]);
    assert.equal(rec.populations[5].senders.length, 0);
  });
});

Deno.test("the reader keeps up with millions of lines (~1 M spikes per second or better)", async () => {
  await withTempDir(async (dir) => {
    const random = seededRandom(5);
    const n = 1_000_000;
    const senders = new Uint32Array(n);
    const times = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      senders[k] = Math.floor(random() * 5000);
      times[k] = Math.round(5000 + random() * 100_000) / 10;
    }
    const pops = [{ name: "P", size: 5000, senders, timesMs: times }];
    const path = `${dir}/big.spikes.gz`;
    await writeSpikeFile(path, pops);
    const t0 = performance.now();
    const rec = await readSpikes(path);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`read 1 M gzipped spikes in ${seconds.toFixed(2)} s`);
    assert.deepEqual(rec.populations[0].timesMs, times);
    assert.ok(seconds < 10, `took ${seconds} s`);
  });
});

Deno.test("population_nodeids.dat errors name the file and line", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/population_nodeids.dat`;
    await Deno.writeTextFile(path, "1 5\n9 x\n");
    await assert.rejects(
      () => readPopulationNodeIds(path),
      /population_nodeids\.dat:2: expected 'first_id last_id'.*got '9 x'/,
    );
    await Deno.writeTextFile(path, "1 5\n4 8\n");
    await assert.rejects(() => readPopulationNodeIds(path), /overlap/);
  });
});

/** Writes `content` to dir/name and returns the error message of reading `target`. */
async function readError(
  dir: string,
  files: Record<string, string | Uint8Array<ArrayBuffer>>,
  target: string,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") await Deno.writeTextFile(`${dir}/${name}`, content);
    else await Deno.writeFile(`${dir}/${name}`, content);
  }
  try {
    await readSpikes(`${dir}/${target}`.replace(/\/$/, ""), {
      fallbackRanges: [{ name: "A", firstId: 1, size: 10 }],
    });
  } catch (error) {
    assert.ok(error instanceof SpikeInputError, `not a SpikeInputError: ${error}`);
    return error.message;
  }
  assert.fail(`reading ${target} did not fail`);
}

Deno.test("bad input: missing path", async () => {
  await assert.rejects(() => readSpikes("/no/such/run"), /\/no\/such\/run: no such file/);
});

Deno.test("bad input: malformed data line names file and line", async () => {
  await withTempDir(async (dir) => {
    const msg = await readError(dir, { "a.dat": "sender time_ms\n1 500.1\n2 abc\n" }, "a.dat");
    assert.match(msg, /a\.dat:3: time_ms must be a finite number, got 'abc'/);
    const msg2 = await readError(dir, { "b.dat": "1 500.1\n-2 501\n" }, "b.dat");
    assert.match(msg2, /b\.dat:2: sender must be a non-negative integer node id, got '-2'/);
    const msg3 = await readError(dir, { "c.dat": "1 500.1\n7\n" }, "c.dat");
    assert.match(msg3, /c\.dat:2: expected 2 columns/);
  });
});

Deno.test("bad input: sender outside every population", async () => {
  await withTempDir(async (dir) => {
    const msg = await readError(dir, { "a.dat": "1 500\n11 501\n" }, "a.dat");
    assert.match(msg, /a\.dat:2: sender 11 is outside every population's node-id range \(A 1–10\)/);
  });
});

Deno.test("bad input: time_in_steps recordings are explained", async () => {
  await withTempDir(async (dir) => {
    const msg = await readError(dir, { "a.dat": "sender time_step offset\n1 5001 0.0\n" }, "a.dat");
    assert.match(msg, /a\.dat:1: .*time_in_steps = True/);
  });
});

Deno.test("bad input: our format with a broken or foreign header", async () => {
  await withTempDir(async (dir) => {
    assert.match(
      await readError(dir, { "a.spikes": "{not json\nsender time_ms\n" }, "a.spikes"),
      /a\.spikes:1: header is not valid JSON/,
    );
    const header = (h: unknown) => `${JSON.stringify(h)}\nsender time_ms\n1 600\n`;
    const pops = [{ name: "A", first_id: 1, size: 3 }];
    assert.match(
      await readError(
        dir,
        { "b.spikes": header({ format: "spikebench-spikes", version: 2, populations: pops }) },
        "b.spikes",
      ),
      /b\.spikes:1: header\.version is 2/,
    );
    assert.match(
      await readError(
        dir,
        {
          "c.spikes": header({
            format: "spikebench-spikes",
            version: 1,
            populations: [{ name: "A", first_id: 1, size: 0 }],
          }),
        },
        "c.spikes",
      ),
      /header\.populations\[0\]\.size is 0/,
    );
    assert.match(
      await readError(
        dir,
        {
          "d.spikes": `${
            JSON.stringify({ format: "spikebench-spikes", version: 1, populations: pops })
          }\n1 600\n`,
        },
        "d.spikes",
      ),
      /d\.spikes:2: expected the column header 'sender time_ms'/,
    );
  });
});

Deno.test("bad input: corrupt gzip and empty file", async () => {
  await withTempDir(async (dir) => {
    const good = await gzip("sender time_ms\n1 600\n");
    assert.match(
      await readError(dir, { "a.dat.gz": good.slice(0, 12) }, "a.dat.gz"),
      /a\.dat\.gz: corrupt gzip data/,
    );
    assert.match(await readError(dir, { "e.dat": "\n\n" }, "e.dat"), /e\.dat: file is empty/);
  });
});

Deno.test("bad input: NEST GPU layout with a missing file or population_nodeids.dat", async () => {
  await withTempDir(async (dir) => {
    const body = "sender time_ms\n0 600\n";
    assert.match(
      await readError(dir, { "spike_times_0.dat": body }, ""),
      /population_nodeids\.dat is missing; NEST GPU's layout/,
    );
    assert.match(
      await readError(dir, { "population_nodeids.dat": "0 4\n5 9\n" }, ""),
      /spike_times_1\.dat is missing; .*\(i = 0\.\.1\)/,
    );
    assert.match(
      await readError(dir, { "spike_times_1.dat": "sender time_ms\n2 600\n" }, ""),
      /spike_times_1\.dat:2: sender 2 is outside population 1 \(pop1\), node ids 5–9/,
    );
    assert.match(
      await readError(dir, {}, "spike_times_0.dat"),
      /one file of NEST GPU's layout; pass the directory/,
    );
  });
});

Deno.test("bad input: a directory without spike files, or with several", async () => {
  await withTempDir(async (dir) => {
    assert.match(await readError(dir, { "notes.txt": "hi" }, ""), /no spike files found/);
    assert.match(
      await readError(dir, { "a.spikes": "x", "b.spikes.gz": "y" }, ""),
      /holds several spike files \(a\.spikes, b\.spikes\.gz\)/,
    );
  });
});

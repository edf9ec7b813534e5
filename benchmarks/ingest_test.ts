import assert from "node:assert/strict";
import { syntheticRun, syntheticValidation } from "../reports/test_util.ts";
import { checkBenchResult, ingestFolder, validationRecord } from "./ingest.ts";
import { History } from "./results_store.ts";
import { runScript } from "./cli_test_util.ts";

const INGEST = new URL("./ingest.ts", import.meta.url).pathname;

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(
    path,
    typeof value === "string" ? value : JSON.stringify(value, null, 2),
  );
}

/** A shared folder as two cluster tasks leave it, with three bad files among the good ones. */
async function sharedFolder(dir: string) {
  const a = syntheticRun({ id: "run_a" });
  const b = syntheticRun({ id: "run_b", drive: "dc" });
  const c = syntheticRun({ id: "run_c", scale: 0.05 });
  await write(`${dir}/job1/cell_0/run_a.json`, a);
  await write(
    `${dir}/job1/cell_0/run_a.validation.json`,
    validationRecord(syntheticValidation(a, false)),
  );
  await write(`${dir}/job1/cell_1/run_b.json`, b);
  await write(`${dir}/job1/cell_1/truncated.json`, JSON.stringify(c).slice(0, 200));
  await write(`${dir}/job1/cell_2/run_c.json`, c);
  await write(`${dir}/job1/cell_2/notes.json`, { hello: "world" });
  const { rtf: _drop, ...noRtf } = syntheticRun({ id: "run_d" });
  await write(`${dir}/job1/cell_3/run_d.json`, noRtf);
  await Deno.writeTextFile(`${dir}/job1/cell_3/history.sqlite`, "not read");
  return { a, b, c };
}

Deno.test("malformed files are reported by name and the rest is still ingested", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { a, b, c } = await sharedFolder(`${dir}/shared`);
    const history = new History(`${dir}/history.sqlite`);
    const summary = await ingestFolder(`${dir}/shared`, history);
    assert.equal(summary.files, 7);
    assert.equal(summary.runsAdded, 3);
    assert.equal(summary.validationsAdded, 1);
    assert.deepEqual(
      summary.malformed.map((m) => m.file.slice(dir.length + 1)),
      [
        "shared/job1/cell_1/truncated.json",
        "shared/job1/cell_2/notes.json",
        "shared/job1/cell_3/run_d.json",
      ],
    );
    assert.match(summary.malformed[0].reason, /not valid JSON/);
    assert.match(summary.malformed[1].reason, /not a spikebench result/);
    assert.match(summary.malformed[2].reason, /rtf/);
    assert.deepEqual(history.runs().map((r) => r.id).sort(), ["run_a", "run_b", "run_c"]);
    assert.deepEqual(history.runs().find((r) => r.id === "run_b"), b);
    assert.deepEqual(history.validations().map((v) => v.run_id), ["run_a"]);
    assert.ok(a && c);
    history.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingesting the same folder twice adds nothing the second time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await sharedFolder(`${dir}/shared`);
    const history = new History(`${dir}/history.sqlite`);
    await ingestFolder(`${dir}/shared`, history);
    const runs = history.runs();
    const validations = history.validations();
    const again = await ingestFolder(`${dir}/shared`, history);
    assert.equal(again.runsAdded, 0);
    assert.equal(again.validationsAdded, 0);
    assert.equal(again.duplicates.length, 4);
    assert.deepEqual(history.runs(), runs);
    assert.deepEqual(history.validations(), validations);
    history.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nothing in the history is lost or replaced: a conflicting file keeps the stored run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const history = new History(`${dir}/history.sqlite`);
    const old1 = syntheticRun({ id: "old_1", rtf: 3 });
    const old2 = syntheticRun({ id: "old_2", rtf: 4 });
    history.addRun(old1);
    history.addRun(old2);
    history.addValidation(syntheticValidation(old1, true));
    const before = { runs: history.runs(), validations: history.validations() };

    await write(`${dir}/shared/old_1.json`, { ...old1, rtf: 99 }); // same id, other content
    await write(`${dir}/shared/old_2.json`, old2); // same content: a duplicate
    await write(`${dir}/shared/new.json`, syntheticRun({ id: "new_1" }));
    await write(`${dir}/shared/broken.json`, "{");
    const summary = await ingestFolder(`${dir}/shared`, history);
    assert.equal(summary.runsAdded, 1);
    assert.deepEqual(summary.conflicts.map((c) => c.file.endsWith("old_1.json")), [true]);
    assert.match(summary.conflicts[0].reason, /kept the stored one/);
    assert.equal(summary.duplicates.length, 1);
    assert.equal(summary.malformed.length, 1);

    const after = history.runs();
    for (const run of before.runs) assert.deepEqual(after.find((r) => r.id === run.id), run);
    assert.deepEqual(history.validations(), before.validations);
    assert.equal(after.length, 3);
    history.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the CLI exits 1 naming the malformed file, 2 for a missing folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await write(`${dir}/shared/good.json`, syntheticRun({ id: "good" }));
    await write(`${dir}/shared/bad.json`, "[1, 2");
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", new URL("./ingest.ts", import.meta.url).pathname, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const out = await run([`${dir}/shared`, "--history", `${dir}/h.sqlite`]);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1);
    assert.match(stderr, /malformed: .*shared\/bad\.json: not valid JSON/);
    assert.match(new TextDecoder().decode(out.stdout), /1 run\(s\) and 0 validation\(s\) added/);
    const missing = await run([`${dir}/nowhere`, "--history", `${dir}/h.sqlite`]);
    assert.equal(missing.code, 2);
    assert.match(new TextDecoder().decode(missing.stderr), /nowhere: no such folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkBenchResult accepts a complete record and names bad fields", () => {
  checkBenchResult(syntheticRun());
  assert.throws(() => checkBenchResult({ ...syntheticRun(), timestamp: "yesterday" }), /timestamp/);
  assert.throws(() => checkBenchResult([]), /not a JSON object/);
});

Deno.test("ingest of a regular file says it is a file, not a folder (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await write(`${dir}/run_a.json`, syntheticRun({ id: "run_a" }));
    const r = await runScript(INGEST, [`${dir}/run_a.json`, "--history", `${dir}/h.sqlite`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /run_a\.json is a file, not a folder/);
    assert.doesNotMatch(r.stderr, /no such folder/);
    await assert.rejects(
      ingestFolder(`${dir}/run_a.json`, null as never),
      /is a file, not a folder/,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["run_a.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingest into a corrupt history exits 2 naming the file and leaves it unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await write(`${dir}/shared/run_a.json`, syntheticRun({ id: "run_a" }));
    const text = "not a database\n".repeat(100);
    await Deno.writeTextFile(`${dir}/history.sqlite`, text);
    const r = await runScript(INGEST, [`${dir}/shared`, "--history", `${dir}/history.sqlite`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: ${dir}/history.sqlite: not a spikebench history \\(SQLite says: file is not a database\\)$`,
        "m",
      ),
    );
    assert.doesNotMatch(r.stderr, /Uncaught|^\s+at /m);
    assert.equal(await Deno.readTextFile(`${dir}/history.sqlite`), text);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "history.sqlite",
      "shared",
    ]);
    // A folder given as --history, and a flag given twice: bad input too.
    const folder = await runScript(INGEST, [`${dir}/shared`, "--history", `${dir}/shared`]);
    assert.equal(folder.code, 2, folder.stderr);
    assert.match(folder.stderr, /shared is a folder, not a spikebench history file/);
    const twice = await runScript(INGEST, [
      `${dir}/shared`,
      "--history",
      `${dir}/a.sqlite`,
      "--history",
      `${dir}/b.sqlite`,
    ]);
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /--history: given more than once/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingest_nothing_found: a folder without result files exits 0 but says nothing was found", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/shared/job1/cell_0`, { recursive: true });
    await Deno.writeTextFile(`${dir}/shared/job1/cell_0/notes.txt`, "not a result");
    const r = await runScript(INGEST, [`${dir}/shared`, "--history", `${dir}/h.sqlite`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^nothing found: no result files \(\*\.json\) under .*\/shared \(subfolders included\); nothing was added to .*\/h\.sqlite$/m,
    );
    assert.doesNotMatch(r.stdout, /0 file\(s\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingest_bad_arguments: an empty FOLDER or --history and an unknown option are named clearly (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string[], RegExp][] = [
      [[""], /^error: FOLDER: got "", expected a folder path$/m],
      [[dir, "--history", ""], /^error: --history: got "", expected a file path$/m],
      [
        ["--bogus", dir],
        /^error: --bogus: unknown option; a positional argument that starts with "-" goes after --, as in: -- --bogus \(see --help\)$/m,
      ],
      [[dir, "--json=yes"], /^error: --json: an on\/off switch takes no value, got "--json=yes"/m],
    ];
    for (const [args, message] of cases) {
      const r = await runScript(INGEST, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      // Every quote the message opens, it closes.
      assert.equal((r.stderr.match(/'/g) ?? []).length % 2, 0, r.stderr);
      assert.equal((r.stderr.match(/"/g) ?? []).length % 2, 0, r.stderr);
    }
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

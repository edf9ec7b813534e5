// The results store: atomic writes that leave nothing behind when they fail, and a history
// that refuses (without touching) a file that is not a spikebench history.
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { History, HistoryError, writeFileAtomic } from "./results_store.ts";
import { syntheticRun } from "../reports/test_util.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("writeFileAtomic removes its temp file when the rename fails (target is a folder)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/index.html`);
    await Deno.writeTextFile(`${dir}/index.html/keep.txt`, "keep");
    await rejects(writeFileAtomic(`${dir}/index.html`, "x".repeat(300_000)));
    deepEqual(names(dir), ["index.html"], "no <target>.xxxx.tmp left beside the target");
    deepEqual(names(`${dir}/index.html`), ["keep.txt"]);
    // A write into a folder that does not exist fails before any file is made.
    await rejects(writeFileAtomic(`${dir}/nowhere/x.json`, "{}"), Deno.errors.NotFound);
    // And the normal case replaces the file, leaving only it.
    await writeFileAtomic(`${dir}/a.json`, "1");
    await writeFileAtomic(`${dir}/a.json`, "2");
    equal(await Deno.readTextFile(`${dir}/a.json`), "2");
    deepEqual(names(dir), ["a.json", "index.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt history is refused naming the file, and is neither modified nor overwritten", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/history.sqlite`;
    const text = "run 1: rtf 3.2\n".repeat(500);
    await Deno.writeTextFile(path, text);
    const before = await Deno.stat(path);
    for (const open of [() => new History(path), () => History.check(path)]) {
      throws(open, (e) =>
        e instanceof HistoryError && e.path === path &&
        e.message === `${path}: not a spikebench history (SQLite says: file is not a database)`);
    }
    equal(await Deno.readTextFile(path), text);
    equal((await Deno.stat(path)).mtime?.getTime(), before.mtime?.getTime());
    deepEqual(names(dir), ["history.sqlite"], "no -wal or -shm files");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("another program's SQLite database is not taken over as a history", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/other.sqlite`;
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
    db.close();
    const bytes = await Deno.readFile(path);
    throws(
      () => new History(path),
      (e) =>
        e instanceof HistoryError &&
        /other\.sqlite: not a spikebench history \(an SQLite database without a runs table; its tables: contacts\)/
          .test(e.message),
    );
    deepEqual(await Deno.readFile(path), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a folder or an unreachable path as the history is a HistoryError naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    throws(
      () => new History(dir),
      (e) =>
        e instanceof HistoryError &&
        e.message === `${dir} is a folder, not a spikebench history file`,
    );
    throws(
      () => new History(`${dir}/no/such/folder/h.sqlite`),
      (e) =>
        e instanceof HistoryError && /folder\/h\.sqlite: cannot open the history/.test(e.message),
    );
    // check() creates nothing; an empty history opens and works.
    History.check(`${dir}/h.sqlite`);
    deepEqual(names(dir), []);
    const h = new History(`${dir}/h.sqlite`);
    ok(h.addRun(syntheticRun({ id: "r1" })));
    h.close();
    History.check(`${dir}/h.sqlite`);
    const again = new History(`${dir}/h.sqlite`);
    deepEqual(again.runs().map((r) => r.id), ["r1"]);
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

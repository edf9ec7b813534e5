// `deno task report` on bad input: every path and date is checked before anything is read or
// written, exit 2 with a message naming the flag, no stack trace, nothing left behind.
import assert from "node:assert/strict";
import { runScript } from "../benchmarks/cli_test_util.ts";
import { History } from "../benchmarks/results_store.ts";

const REPORT = new URL("./main.ts", import.meta.url).pathname;
const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

/** Runs the report CLI and checks it refused `args` as bad input with `message`. */
async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await runScript(REPORT, args);
  assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at |Uncaught/m, `a stack trace: ${r.stderr}`);
}

Deno.test("report --out a folder exits 2 naming --out and leaves no temp file beside it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    new History(`${dir}/history.sqlite`).close();
    await Deno.mkdir(`${dir}/site`);
    await refused(
      ["--history", `${dir}/history.sqlite`, "--out", `${dir}/site`],
      new RegExp(`^error: --out: ${dir}/site is a folder; expected the path of a file`, "m"),
    );
    await Deno.writeTextFile(`${dir}/file`, "keep");
    await refused(
      ["--history", `${dir}/history.sqlite`, "--out", `${dir}/file/index.html`],
      /^error: --out: .*\/file is a file, not a folder \(the folder of .*\/file\/index\.html\)$/m,
    );
    assert.deepEqual(names(dir), ["file", "history.sqlite", "site"]);
    assert.deepEqual(names(`${dir}/site`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --history: a folder is called a folder, a corrupt file is named and kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await refused(
      ["--history", dir, "--out", `${dir}/index.html`],
      new RegExp(`^error: --history: ${dir} is a folder, not a history file$`, "m"),
    );
    const text = "not a database\n".repeat(100);
    await Deno.writeTextFile(`${dir}/history.sqlite`, text);
    await refused(
      ["--history", `${dir}/history.sqlite`, "--out", `${dir}/index.html`],
      new RegExp(
        `^error: ${dir}/history.sqlite: not a spikebench history \\(SQLite says: file is not a ` +
          "database\\)$",
        "m",
      ),
    );
    assert.equal(await Deno.readTextFile(`${dir}/history.sqlite`), text);
    assert.deepEqual(names(dir), ["history.sqlite"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --since refuses dates that do not exist instead of rolling over", async () => {
  const dir = await Deno.makeTempDir();
  try {
    new History(`${dir}/history.sqlite`).close();
    for (const since of ["2026-02-30", "2026-04-31", "2026-01-31T25:00"]) {
      await refused(
        ["--history", `${dir}/history.sqlite`, "--out", `${dir}/index.html`, "--since", since],
        new RegExp(`^error: --since: got "${since}", expected an ISO date`, "m"),
      );
    }
    assert.deepEqual(names(dir), ["history.sqlite"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report --spikes-dir must be an existing folder (exit 2 naming the flag and path)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    new History(`${dir}/history.sqlite`).close();
    const base = ["--history", `${dir}/history.sqlite`, "--out", `${dir}/index.html`];
    await refused(
      [...base, "--spikes-dir", `${dir}/nonexistent`],
      new RegExp(`^error: --spikes-dir: ${dir}/nonexistent: no such folder$`, "m"),
    );
    await refused(
      [...base, "--spikes-dir", dir, "--spikes-dir", `${dir}/history.sqlite`],
      /^error: --spikes-dir: .*history\.sqlite is a file, not a folder$/m,
    );
    await refused([...base, "--title", "a", "--title", "b"], /--title: given more than once/);
    assert.deepEqual(names(dir), ["history.sqlite"]);
    // With good input the report is written.
    const ok = await runScript(REPORT, [...base, "--spikes-dir", dir, "--since", "2024-02-29"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(names(dir), ["history.sqlite", "index.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report_empty_values: an empty --title, --history, --out or --spikes-dir is refused naming the flag", async () => {
  const dir = await Deno.makeTempDir();
  try {
    new History(`${dir}/history.sqlite`).close();
    const h = ["--history", `${dir}/history.sqlite`, "--out", `${dir}/site/index.html`];
    await refused(
      [...h, "--title", ""],
      /^error: --title: got "", expected a non-empty page title$/m,
    );
    await refused([...h, "--title", "  "], /^error: --title: got " {2}", expected a non-empty/m);
    await refused(
      ["--history", "", "--out", `${dir}/site/index.html`],
      /^error: --history: got "", expected the path of a history file$/m,
    );
    await refused(
      ["--history", `${dir}/history.sqlite`, "--out", ""],
      /^error: --out: got "", expected a file path$/m,
    );
    await refused(
      [...h, "--spikes-dir", ""],
      /^error: --spikes-dir: got "", expected a folder path$/m,
    );
    assert.deepEqual(names(dir), ["history.sqlite"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

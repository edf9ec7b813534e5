import assert from "node:assert/strict";
import { buildReport } from "./build_report.ts";
import { writeSyntheticHistory } from "./test_util.ts";

/**
 * Every src/href/action/srcset/poster/data attribute value of an HTML tag and every CSS
 * url()/@import in `html` (script bodies are skipped: they are code, not markup; what they
 * load is checked in the browser by report_e2e_test.ts).
 */
function references(page: string): string[] {
  const html = page.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, "$1$2");
  const out: string[] = [];
  for (
    const m of html.matchAll(
      /\b(?:src|href|action|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi,
    )
  ) {
    out.push(m[1].replace(/^["']|["']$/g, ""));
  }
  for (const m of html.matchAll(/url\(\s*([^)]*)\)|@import\s+([^;]+)/gi)) out.push(m[1] ?? m[2]);
  return out;
}

Deno.test("the report has no external src/href and no URL anywhere; scripts are inline", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSyntheticHistory(`${dir}/history.sqlite`, {
      overrides: { notes: ["note with <script>alert(1)</script> & an angle"] },
    });
    const built = await buildReport(`${dir}/history.sqlite`, { out: `${dir}/out/index.html` });
    const html = await Deno.readTextFile(built.path);
    const refs = references(html);
    const external = refs.filter((r) => !r.startsWith("#"));
    assert.deepEqual(external, [], `external references: ${external.join(", ")}`);
    assert.equal(refs.length, 7, "the seven navigation links are found (the check is looking)");
    assert.equal(/https?:\/\//i.test(html), false, "no http(s):// anywhere in the page");
    assert.equal(/<script[^>]*\bsrc\b/i.test(html), false);
    assert.equal(/<link\b/i.test(html), false);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    // Data from the history is escaped, never markup.
    assert.ok(html.includes("note with &lt;script&gt;alert(1)&lt;/script&gt; &amp; an angle"));
    assert.equal(html.includes("<script>alert(1)"), false);
    // Both libraries are inlined with their licences.
    assert.match(html, /\/\* chart\.js 4\.6\.1, inlined from npm/);
    assert.match(html, /\/\* @sgratzl\/chartjs-chart-boxplot 4\.4\.5, inlined from npm/);
    assert.match(html, /Permission is hereby granted/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the checker itself finds external references (it can fail)", () => {
  const bad =
    '<img src="https://x.org/a.png"><a href=//cdn.example/x>x</a><style>@import "y.css";' +
    "b{background:url(http://z)}</style>";
  assert.deepEqual(references(bad), [
    "https://x.org/a.png",
    "//cdn.example/x",
    '"y.css"',
    "http://z",
  ]);
});

Deno.test("report CLI: bad --since and a missing history exit 2 with a clear message", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", new URL("./main.ts", import.meta.url).pathname, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const since = await run(["--since", "yesterday", "--history", "/nonexistent.sqlite"]);
  assert.equal(since.code, 2);
  assert.match(
    new TextDecoder().decode(since.stderr),
    /--since: got "yesterday", expected an ISO date/,
  );
  const missing = await run(["--history", "/nonexistent.sqlite"]);
  assert.equal(missing.code, 2);
  assert.match(
    new TextDecoder().decode(missing.stderr),
    /\/nonexistent\.sqlite: no such history file/,
  );
});

Deno.test("spike files are found in subfolders of --spikes-dir (a SLURM shared folder)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const runs = await writeSyntheticHistory(`${dir}/history.sqlite`, { nights: 1 });
    const run = runs[runs.length - 1];
    const { writeSpikeFile } = await import("../validation/spike_io.ts");
    await Deno.mkdir(`${dir}/shared/job7/cell_3`, { recursive: true });
    await writeSpikeFile(`${dir}/shared/job7/cell_3/${run.id}.spikes.gz`, [{
      name: "E",
      size: 20,
      senders: Uint32Array.from([1, 2, 3]),
      timesMs: Float64Array.from([60, 70, 80]),
    }]);
    const built = await buildReport(`${dir}/history.sqlite`, {
      out: `${dir}/index.html`,
      spikesDirs: [`${dir}/shared`],
    });
    assert.deepEqual(built.model.activity.map((a) => a.run.id), [run.id]);
    assert.equal(built.model.activity[0].activity.populations[0].spikesInWindow, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

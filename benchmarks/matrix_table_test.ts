// `deno task bench:table` (the prepared GPU-machine script): bad flags exit 2 naming the flag,
// before any run, instead of an uncaught parseArgs trace (which --help used to give).
import { equal, match, ok } from "node:assert/strict";
import { runScript } from "./cli_test_util.ts";

const MAIN = new URL("./matrix_table.ts", import.meta.url).pathname;

Deno.test("bench_table_flags: --help, and bad flags exit 2 before any run", async () => {
  const help = await runScript(MAIN, ["--help"]);
  equal(help.code, 0, help.stderr);
  match(help.stdout, /Usage: deno task bench:table/);
  const dir = await Deno.makeTempDir();
  const cases: [string[], RegExp][] = [
    [["--scale", "0x1"], /--scale: got "0x1", expected a number in \[0\.00047, 1\]/],
    [["--t-sim", "-5"], /--t-sim: got "-5"/],
    [["--t-sim", "0.05"], /--t-sim: got "0\.05".*0\.1 ms/],
    [["--bogus"], /--bogus: unknown option/],
    [["--scale", "0.1", "--scale", "1"], /--scale: given more than once/],
  ];
  for (const [args, message] of cases) {
    const r = await runScript(MAIN, [...args, "--out", dir]);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    match(r.stderr, message, args.join(" "));
    ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
  }
  const file = `${dir}/a_file`;
  await Deno.writeTextFile(file, "");
  const out = await runScript(MAIN, ["--scale", "0.02", "--out", file]);
  equal(out.code, 2, out.stderr);
  match(out.stderr, /--out: .*a_file is a file, not a folder/);
  equal([...Deno.readDirSync(dir)].length, 1, "nothing written");
});

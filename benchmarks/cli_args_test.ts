// The shared flag parsing of the CLIs: strict numbers, negative values after a flag, repeated
// flags, calendar dates and output paths.
import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import {
  checkInputFolder,
  checkOutputFile,
  checkOutputFolder,
  isOnGrid,
  joinNegativeValues,
  numberFlag,
  parseCliArgs,
  parseDecimal,
  parseInteger,
  parseSinceFlag,
  UsageError,
} from "./cli_args.ts";

Deno.test("numbers in hex, binary, octal, exponent (integers) or other JS notations are refused", () => {
  for (
    const raw of ["0x1", "0X1", "0b11", "0o7", "Infinity", "-Infinity", "NaN", "", " ", "1_000"]
  ) {
    equal(parseDecimal(raw), null, raw);
    equal(parseInteger(raw), null, raw);
  }
  for (const raw of [" 1", "1 ", "+1", "1e", "e3", "1.2.3", "--1", "1e400"]) {
    equal(parseDecimal(raw), null, raw);
  }
  for (const raw of ["1e3", "1.0", "1.", ".5", "1E2", "9007199254740993", "+1"]) {
    equal(parseInteger(raw), null, raw);
  }
  deepEqual(
    ["0.1", "1e-1", "1E-1", ".5", "5.", "-3", "0", "100.3", "2e3"].map(parseDecimal),
    [0.1, 0.1, 0.1, 0.5, 5, -3, 0, 100.3, 2000],
  );
  deepEqual(["0", "42", "-1", "007", "4294967295"].map(parseInteger), [0, 42, -1, 7, 4294967295]);
});

Deno.test("numberFlag names the flag, the raw value and the range", () => {
  const spec = { integer: true, ok: (x: number) => x >= 0, range: "an integer ≥ 0" };
  equal(numberFlag("seed", "16", spec), 16);
  throws(
    () => numberFlag("seed", "0x10", spec),
    /^UsageError: --seed: got "0x10", expected an integer ≥ 0$/,
  );
  throws(() => numberFlag("seed", "-1", spec), /--seed: got "-1", expected an integer ≥ 0/);
  equal(numberFlag("seed", undefined, { ...spec, optional: true }), undefined);
  throws(() => numberFlag("seed", undefined, spec), /--seed: a value is required/);
});

Deno.test("a negative number after a string flag is joined to it; booleans, positionals and -- are not", () => {
  const options = {
    seed: { type: "string" },
    json: { type: "boolean" },
    history: { type: "string", short: "H" },
  } as const;
  deepEqual(
    joinNegativeValues(
      ["--seed", "-1", "--json", "-5", "-H", "-.5", "--", "--seed", "-2"],
      options,
    ),
    ["--seed=-1", "--json", "-5", "--history=-.5", "--", "--seed", "-2"],
  );
  // A flag after a string option is not a value.
  deepEqual(joinNegativeValues(["--seed", "--json"], options), ["--seed", "--json"]);
  deepEqual(joinNegativeValues(["--seed", "-x"], options), ["--seed", "-x"]);
  const args = ["--seed", "-1e3"];
  joinNegativeValues(args, options);
  deepEqual(args, ["--seed", "-1e3"], "the input is not modified");
  const { values } = parseCliArgs({ args: ["--seed", "-1"], options });
  equal(values.seed, "-1");
});

Deno.test("a flag given twice is refused naming the flag, --x and --no-x included", () => {
  const options = {
    scale: { type: "string" },
    record: { type: "boolean" },
    dir: { type: "string", multiple: true },
  } as const;
  throws(
    () => parseCliArgs({ args: ["--scale", "0.5", "--scale", "0.2"], options }),
    (e) => e instanceof UsageError && /^--scale: given more than once/.test(e.message),
  );
  throws(
    () => parseCliArgs({ args: ["--scale=0.5", "--scale", "-0.2"], options }),
    /--scale: given more than once/,
  );
  throws(
    () => parseCliArgs({ args: ["--record", "--no-record"], options, allowNegative: true }),
    /--record: given more than once \(as --record and --no-record\)/,
  );
  // Repeatable flags stay repeatable.
  deepEqual(parseCliArgs({ args: ["--dir", "a", "--dir", "b"], options }).values.dir, ["a", "b"]);
  // Parse errors are UsageErrors pointing to --help.
  throws(
    () => parseCliArgs({ args: ["--bogus"], options }),
    (e) => e instanceof UsageError && /bogus.*\(see --help\)$/.test(e.message),
  );
});

Deno.test("--since refuses dates that do not exist in the calendar instead of rolling over", () => {
  for (
    const bad of [
      "2026-02-30",
      "2026-02-29",
      "2025-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
    ]
  ) {
    throws(() => parseSinceFlag(bad), /^UsageError: --since: got ".*", expected an ISO date/, bad);
  }
  for (
    const bad of ["2026-01-31T24:00Z", "2026-01-31T23:60Z", "2026-01-31T23:59:60Z", "yesterday"]
  ) {
    throws(() => parseSinceFlag(bad), /--since: got/, bad);
  }
  match(
    String((() => {
      try {
        parseSinceFlag("2026-02-30");
      } catch (e) {
        return (e as Error).message;
      }
    })()),
    /2026-02 has 28 days/,
  );
  equal(parseSinceFlag("2024-02-29"), "2024-02-29T00:00:00.000Z");
  equal(parseSinceFlag("2026-01-31T18:00Z"), "2026-01-31T18:00:00.000Z");
  equal(parseSinceFlag("2026-01-31T18:00:30+01:00"), "2026-01-31T17:00:30.000Z");
});

Deno.test("isOnGrid: multiples of the step written in decimal", () => {
  ok(isOnGrid(100.3, 0.1) && isOnGrid(0.1, 0.1) && isOnGrid(0, 0.1) && isOnGrid(1e7, 0.1));
  ok(!isOnGrid(0.05, 0.1) && !isOnGrid(100.03, 0.1) && !isOnGrid(0.15, 0.1));
});

Deno.test("output folder checks: a file, a path under a file and an unwritable folder are refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "keep");
    await rejects(
      checkOutputFolder("out", `${dir}/file`),
      /^UsageError: --out: .*\/file is a file, not a folder$/,
    );
    await rejects(
      checkOutputFolder("out", `${dir}/file/sub`),
      /--out: .*\/file\/sub cannot be used as a folder/,
    );
    if ((await Deno.stat("/sys/kernel").catch(() => null))?.isDirectory) {
      await rejects(
        checkOutputFolder("out", "/sys/kernel"),
        /--out: \/sys\/kernel is not writable/,
      );
    }
    // A new folder is created; an existing one is left with no probe file in it.
    await checkOutputFolder("out", `${dir}/new/deeper`);
    deepEqual([...Deno.readDirSync(`${dir}/new/deeper`)], []);
    await checkOutputFolder("out", dir);
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["file", "new"]);
    await rejects(
      checkOutputFile("out", dir),
      /--out: .* is a folder; expected the path of a file/,
    );
    await rejects(checkOutputFile("out", `${dir}/file/x.html`), /--out: .*\(the folder of/);
    await checkOutputFile("out", `${dir}/file`);
    equal(await Deno.readTextFile(`${dir}/file`), "keep");
    await rejects(
      checkInputFolder("spikes-dir", `${dir}/nowhere`),
      /--spikes-dir: .*nowhere: no such folder/,
    );
    await rejects(
      checkInputFolder("spikes-dir", `${dir}/file`),
      /--spikes-dir: .*file is a file, not a folder/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The shared flag parsing of the CLIs: strict numbers, negative values after a flag, repeated
// flags, calendar dates and output paths.
import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import {
  checkInputFolder,
  checkOutputFile,
  checkOutputFolder,
  isOnGrid,
  joinNegativeValues,
  nonEmptyFlag,
  numberFlag,
  parseCliArgs,
  parseDecimal,
  parseInteger,
  parseSinceFlag,
  snapToGrid,
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

Deno.test("snapToGrid: a value within the grid tolerance becomes the grid point, without float noise", () => {
  deepEqual(
    [100.00000000001, 99.99999999999, 100.3, 0.30000000000000004, 0, 1e7, 20.000000000001].map(
      (x) => snapToGrid(x, 0.1),
    ),
    [100, 100, 100.3, 0.3, 0, 1e7, 20],
  );
  equal(snapToGrid(7000.000000001, 0.05), 7000);
  equal(snapToGrid(0.15000000000000002, 0.05), 0.15);
  equal(snapToGrid(3, 1), 3);
  equal(snapToGrid(3.0000000001e-7, 1e-7), 3e-7);
  ok(Object.is(snapToGrid(-0.00000000001, 0.1), 0), "no -0");
});

Deno.test("output_checks_without_creating: with create false a missing folder is checked, not made", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "keep");
    await checkOutputFolder("out", `${dir}/a/b/c`, { create: false });
    await checkOutputFile("report", `${dir}/x/y/index.html`, { create: false });
    await checkOutputFolder("out", dir, { create: false });
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["file"]);
    await rejects(
      checkOutputFolder("out", `${dir}/file/results`, { create: false }),
      /^UsageError: --out: .*\/file\/results cannot be used as a folder \(a path component is a file\)$/,
    );
    await rejects(
      checkOutputFile("report", `${dir}/file/x/index.html`, { create: false }),
      /^UsageError: --report: .*\/file\/x cannot be used as a folder .*\(the folder of .*\/file\/x\/index\.html\)$/,
    );
    await rejects(
      checkOutputFile("report", dir, { create: false }),
      /--report: .* is a folder; expected the path of a file/,
    );
    if ((await Deno.stat("/sys/kernel").catch(() => null))?.isDirectory) {
      await rejects(
        checkOutputFolder("out", "/sys/kernel/spikebench-x/y", { create: false }),
        /--out: \/sys\/kernel\/spikebench-x\/y cannot be created as a folder \(\/sys\/kernel is not writable/,
      );
    }
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["file"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('empty_path_values: an empty path or text says got "" instead of printing a bare colon', async () => {
  await rejects(
    checkOutputFolder("out", ""),
    /^UsageError: --out: got "", expected a folder path$/,
  );
  await rejects(checkOutputFolder("out", "", { create: false }), /--out: got ""/);
  await rejects(
    checkOutputFile("report", ""),
    /^UsageError: --report: got "", expected a file path$/,
  );
  await rejects(
    checkInputFolder("spikes-dir", ""),
    /^UsageError: --spikes-dir: got "", expected a folder path$/,
  );
  throws(
    () => nonEmptyFlag("title", " ", "a title"),
    /^UsageError: --title: got " ", expected a title$/,
  );
  equal(nonEmptyFlag("title", "x", "a title"), "x");
});

Deno.test("parse_error_messages: flag first, quotes balanced, a switch given a value is named as written", () => {
  const options = {
    out: { type: "string" },
    json: { type: "boolean" },
    report: { type: "boolean" },
  } as const;
  const message = (args: string[], extra: Record<string, unknown> = {}) => {
    try {
      parseCliArgs({ args, options, ...extra });
    } catch (e) {
      ok(e instanceof UsageError, String(e));
      return e.message;
    }
    throw new Error(`${args.join(" ")} was accepted`);
  };
  equal(message(["--bogus"]), "--bogus: unknown option (see --help)");
  equal(
    message(["--bogus"], { allowPositionals: true }),
    '--bogus: unknown option; a positional argument that starts with "-" goes after --, as in: ' +
      "-- --bogus (see --help)",
  );
  equal(message(["-x"]), "-x: unknown option (see --help)");
  equal(message(["--out"]), "--out: a value is required (see --help)");
  equal(
    message(["file"]),
    'unexpected argument "file": this command takes only flags (see --help)',
  );
  equal(
    message(["--json=1"]),
    '--json: an on/off switch takes no value, got "--json=1"; write --json (see --help)',
  );
  equal(
    message(["--no-report=1"], { allowNegative: true }),
    '--no-report: an on/off switch takes no value, got "--no-report=1"; write --report or ' +
      "--no-report (see --help)",
  );
  // Values of string flags may contain "=", and everything after -- is left alone.
  equal(parseCliArgs({ args: ["--out=a=b"], options }).values.out, "a=b");
  deepEqual(
    parseCliArgs({ args: ["--", "--json=1"], options, allowPositionals: true }).positionals,
    ["--json=1"],
  );
});

/**
 * Shared command-line parsing of the spikebench CLIs: strict number parsing (plain decimal
 * notation only), negative numbers after a flag, repeated flags, calendar-checked dates and
 * up-front checks of output paths. Every error is a {@linkcode UsageError} whose message names
 * the flag and what it accepts; the CLIs print it and exit with code 2, before any GPU work.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseSince } from "../reports/format.ts";

/** A bad flag: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Plain decimal notation, optionally with a decimal exponent: `0.1`, `.5`, `1e-1`, `-3`. */
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** Plain digits, optionally negative: `0`, `42`, `-1`. */
const INTEGER = /^-?\d+$/;
/** A token that is meant as a negative number (not a flag): `-1`, `-0.5`, `-.5`, `-1e3`. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * Parses `raw` as a number written in plain decimal notation (an optional `-`, digits, an
 * optional fraction, an optional decimal exponent). Returns null for anything else: hex
 * (`0x1`), binary (`0b11`), octal (`0o7`), `Infinity`, `NaN`, blanks, a leading `+`, or a
 * value that is not finite.
 *
 * @param raw the text of the flag's value
 */
export function parseDecimal(raw: string): number | null {
  if (!DECIMAL.test(raw)) return null;
  const v = Number(raw);
  return Number.isFinite(v) ? v : null;
}

/**
 * Parses `raw` as an integer written as plain digits (an optional `-`); null for anything
 * else, including `1e3`, `1.0`, `0x10` and integers beyond ±2^53.
 *
 * @param raw the text of the flag's value
 */
export function parseInteger(raw: string): number | null {
  if (!INTEGER.test(raw)) return null;
  const v = Number(raw);
  return Number.isSafeInteger(v) ? v : null;
}

/** How {@linkcode numberFlag} reads and checks one flag. */
export interface NumberFlagSpec {
  /** Only plain digits (no fraction, no exponent). */
  integer?: boolean;
  /** Whether a parsed value is in range. */
  ok: (v: number) => boolean;
  /** The accepted range in words, e.g. "an integer in [0, 4294967295]". */
  range: string;
}

/**
 * Reads the value of `--name`: undefined when the flag was not given, else a number in plain
 * decimal notation (digits only with `integer`) for which `ok` holds. Throws a
 * {@linkcode UsageError} `--name: got "raw", expected <range>` otherwise.
 *
 * @param name the flag without dashes
 * @param raw its value as given, or undefined
 * @param spec integer or not, the check and the range in words
 */
export function numberFlag(name: string, raw: string | undefined, spec: NumberFlagSpec): number;
export function numberFlag(
  name: string,
  raw: string | undefined,
  spec: NumberFlagSpec & { optional: true },
): number | undefined;
export function numberFlag(
  name: string,
  raw: string | undefined,
  spec: NumberFlagSpec & { optional?: boolean },
): number | undefined {
  if (raw === undefined) {
    if (spec.optional) return undefined;
    throw new UsageError(`--${name}: a value is required, expected ${spec.range}`);
  }
  const v = spec.integer ? parseInteger(raw) : parseDecimal(raw);
  if (v === null || !spec.ok(v)) {
    throw new UsageError(`--${name}: got ${JSON.stringify(raw)}, expected ${spec.range}`);
  }
  return v;
}

/**
 * Whether `value` is a whole multiple of `step` (up to floating-point rounding of values
 * written in decimal, e.g. 100.3 on a 0.1 grid).
 *
 * @param value the value, e.g. a time in ms
 * @param step the grid, e.g. the resolution in ms
 */
export function isOnGrid(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, Math.abs(n));
}

/**
 * The multiple of `step` nearest to `value`, without float noise: 100.00000000001 on a 0.1
 * grid is 100, 0.30000000000000004 is 0.3. Use it after {@linkcode isOnGrid} accepted a value,
 * so that values within the grid tolerance are stored as the grid point they stand for.
 *
 * @param value the value, e.g. a time in ms
 * @param step the grid, e.g. the resolution in ms
 */
export function snapToGrid(value: number, step: number): number {
  const n = Math.round(value / step);
  // As many decimals as the step has (0.1 → 1, 0.05 → 2, 1e-7 → 7), at most 20.
  const m = /^\d*\.?(\d*?)(?:e-(\d+))?$/i.exec(String(step));
  const decimals = m ? Math.min(20, m[1].length + Number(m[2] ?? 0)) : 20;
  return Number((n * step).toFixed(decimals)) + 0;
}

/**
 * Reads a flag whose value is a path or a text that must not be empty (`--history ''` would
 * otherwise print a bare colon); throws `--flag: got "", expected <what>`.
 *
 * @param flag the flag without dashes
 * @param value its value
 * @param what what it expects, e.g. "a file path"
 */
export function nonEmptyFlag(flag: string, value: string, what: string): string {
  if (value.trim() === "") {
    throw new UsageError(`--${flag}: got ${JSON.stringify(value)}, expected ${what}`);
  }
  return value;
}

/** Option definitions as node:util `parseArgs` takes them. */
type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Joins a string option and a following negative number into one token: `--seed -1` becomes
 * `--seed=-1` (a short alias `-s -1` becomes `--seed=-1` too). node:util `parseArgs` rejects
 * `--seed -1` as "ambiguous";
 * after this rewrite it parses, and the flag's own range check reports the value, e.g.
 * `--seed: got "-1", expected an integer in [0, 4294967295]`.
 *
 * A token counts as a negative number when it starts with `-` followed by a digit or by `.`
 * and a digit (`-1`, `-0.5`, `-.5`, `-1e3`, `-0x1`). Only the values of options of type
 * `"string"` are joined; everything after the `--` terminator is left alone.
 *
 * @param args the command-line arguments
 * @param options the option definitions passed to `parseArgs`
 * @returns a new array; `args` is not modified
 */
export function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const stringLong = new Set<string>();
  const shortToLong = new Map<string, string>();
  for (const [name, def] of Object.entries(options)) {
    if (def.type !== "string") continue;
    stringLong.add(name);
    if (def.short) shortToLong.set(def.short, name);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const long = a.startsWith("--") ? a.slice(2) : null;
    const short = /^-[^-]$/.test(a) ? shortToLong.get(a.slice(1)) : undefined;
    const name = long !== null && stringLong.has(long) ? long : short;
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * `parseArgs` as every spikebench CLI uses it: strict, negative numbers after a flag joined
 * ({@linkcode joinNegativeValues}), and a flag given twice rejected (its last value would
 * silently win) unless its definition has `multiple: true`; `--x` and `--no-x` count as the
 * same flag. Every parse error is a {@linkcode UsageError} ending in "(see --help)".
 *
 * @param config the `parseArgs` configuration (`strict` is forced on)
 */
export function parseCliArgs<T extends ParseArgsConfig & { allowNegative?: boolean }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const options = (config.options ?? {}) as Options;
  const args = joinNegativeValues(config.args ?? [], options);
  refuseSwitchValues(args, options, config.allowNegative === true);
  let parsed;
  try {
    parsed = parseArgs({ ...config, args, strict: true, tokens: true } as T);
  } catch (error) {
    throw new UsageError(`${parseErrorMessage(error as Error)} (see --help)`);
  }
  const seen = new Map<string, string>();
  const tokens = (parsed as { tokens?: ReturnType<typeof parseArgs>["tokens"] }).tokens ?? [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    let name = token.name;
    if (!(name in options) && name.startsWith("no-") && name.slice(3) in options) {
      name = name.slice(3);
    }
    if (options[name]?.multiple) continue;
    const first = seen.get(name);
    if (first !== undefined) {
      const both = first === token.rawName ? "" : ` (as ${first} and ${token.rawName})`;
      throw new UsageError(
        `--${name}: given more than once${both}; give it once (the last would silently win)`,
      );
    }
    seen.set(name, token.rawName);
  }
  return parsed as ReturnType<typeof parseArgs<T>>;
}

/**
 * Refuses `--switch=value` for a boolean flag (`--no-report=1`, `--json=true`) with a message
 * naming the flag as written and how to write it, instead of node's "Option '--report' does
 * not take an argument".
 */
function refuseSwitchValues(args: readonly string[], options: Options, negatable: boolean) {
  for (const a of args) {
    if (a === "--") return;
    const m = /^--([^=]+)=/.exec(a);
    if (!m) continue;
    const name = m[1];
    const base = name in options
      ? name
      : negatable && name.startsWith("no-") && name.slice(3) in options
      ? name.slice(3)
      : null;
    if (base === null || options[base].type !== "boolean") continue;
    const forms = negatable ? `--${base} or --no-${base}` : `--${base}`;
    throw new UsageError(
      `--${name}: an on/off switch takes no value, got ${JSON.stringify(a)}; write ${forms} ` +
        "(see --help)",
    );
  }
}

/**
 * node:util's parse errors in the words of the other messages: the flag first, no unbalanced
 * quotes (node's unknown-option hint ends in `'-- "--x"`, its quote never closed).
 */
function parseErrorMessage(error: Error): string {
  const message = error.message;
  let m = /^Unknown option '(.*?)'(\. To specify a positional argument)?/.exec(message);
  if (m) {
    return `${m[1]}: unknown option${
      m[2] ? `; a positional argument that starts with "-" goes after --, as in: -- ${m[1]}` : ""
    }`;
  }
  m = /^Option '(?:-\w, )?(--[^ ']+) <value>' argument missing/.exec(message);
  if (m) return `${m[1]}: a value is required`;
  m = /^Option '(?:-\w, )?(--[^ ']+)' does not take an argument/.exec(message);
  if (m) return `${m[1]}: an on/off switch takes no value`;
  m = /^Unexpected argument '(.*)'\. This command does not take positional arguments/s.exec(
    message,
  );
  if (m) return `unexpected argument ${JSON.stringify(m[1])}: this command takes only flags`;
  return message;
}

/**
 * Reads `--since`: an ISO date or date-time (`2026-01-31`, `2026-01-31T18:00Z`) that exists in
 * the calendar (`2026-02-30` and hour 24 are refused rather than rolled over). Returns the
 * time as an ISO string (UTC).
 *
 * @param value the flag's value
 * @param flag the flag's name, for the message (default "since")
 */
export function parseSinceFlag(value: string, flag = "since"): string {
  const fail = (why = ""): never => {
    throw new UsageError(
      `--${flag}: got ${JSON.stringify(value)}, expected an ISO date or date-time, e.g. ` +
        `2026-01-31 or 2026-01-31T18:00Z${why}`,
    );
  };
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/
      .exec(value.trim());
  if (!m) return fail();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return fail(` (there is no month ${m[2]})`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return fail(` (${m[1]}-${m[2]} has ${days} days)`);
  if (m[4] !== undefined) {
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) {
      return fail(" (hours run 00–23, minutes and seconds 00–59)");
    }
  }
  const zone = m[7];
  if (zone !== undefined && zone !== "Z") {
    const [h, min] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
    if (h > 23 || min > 59) return fail(" (bad time zone offset)");
  }
  try {
    return parseSince(value);
  } catch {
    return fail();
  }
}

function describe(error: unknown): string {
  const e = error as Error;
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "a path component is a file";
  return e.message.replace(/: (?:mkdir|open|remove|stat|lstat) '.*'$/, "");
}

/** The folder `path` is in: "a/b" → "a", "/a" → "/", "a" → ".". */
function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, "") || "/";
  const slash = trimmed.lastIndexOf("/");
  return slash > 0 ? trimmed.slice(0, slash) : slash === 0 ? "/" : ".";
}

/** How {@linkcode checkOutputFolder} and {@linkcode checkOutputFile} treat a missing folder. */
export interface OutputCheckOptions {
  /**
   * Create a missing folder (default true). With false nothing is created: a missing folder
   * passes when its nearest existing ancestor is a writable folder, so a CLI can check every
   * output path before it creates any of them.
   */
  create?: boolean;
}

/** Creates and removes a probe file in `dir`; throws the error when that fails. */
async function probeWrite(dir: string): Promise<void> {
  const probe = `${dir}/.spikebench-write-probe-${
    crypto.getRandomValues(new Uint32Array(1))[0].toString(16)
  }`;
  (await Deno.open(probe, { write: true, createNew: true })).close();
  await Deno.remove(probe).catch(() => {});
}

/**
 * Checks up front that `path` can be used as the output folder of flag `--flag`: it is a
 * folder, or it can be created (it is then created, unless `create` is false); and a file can
 * be created and removed in it. Throws a {@linkcode UsageError} naming the flag and the path
 * otherwise, e.g. `--out: /data/results is a file, not a folder`; an empty path is
 * `--out: got "", expected a folder path`.
 *
 * @param flag the flag without dashes, e.g. "out"
 * @param path the folder
 * @param options whether a missing folder is created (default) or only checked
 */
export async function checkOutputFolder(
  flag: string,
  path: string,
  options: OutputCheckOptions = {},
): Promise<void> {
  nonEmptyFlag(flag, path, "a folder path");
  const bad = (why: string): never => {
    throw new UsageError(`--${flag}: ${path} ${why}`);
  };
  const info = await Deno.stat(path).catch((e) => e as Error);
  let writable = path;
  if (info instanceof Deno.errors.NotFound) {
    if (options.create === false) {
      // The nearest existing ancestor decides whether the folder could be created.
      let ancestor = parentOf(path);
      for (;;) {
        const up = await Deno.stat(ancestor).catch((e) => e as Error);
        if (up instanceof Deno.errors.NotFound && ancestor !== parentOf(ancestor)) {
          ancestor = parentOf(ancestor);
          continue;
        }
        if (up instanceof Error) bad(`cannot be created as a folder (${describe(up)})`);
        else if (!up.isDirectory) bad(`cannot be created as a folder (${ancestor} is a file)`);
        break;
      }
      writable = ancestor;
    } else {
      try {
        await Deno.mkdir(path, { recursive: true });
      } catch (error) {
        bad(`cannot be created as a folder (${describe(error)})`);
      }
    }
  } else if (info instanceof Error) {
    bad(`cannot be used as a folder (${describe(info)})`);
  } else if (!info.isDirectory) {
    bad("is a file, not a folder");
  }
  try {
    await probeWrite(writable);
  } catch (error) {
    bad(
      writable === path
        ? `is not writable (${describe(error)})`
        : `cannot be created as a folder (${writable} is not writable: ${describe(error)})`,
    );
  }
}

/**
 * Checks up front that `path` can be written as the output file of flag `--flag`: it is not a
 * folder, and its folder can be created and written ({@linkcode checkOutputFolder}; with
 * `create` false nothing is created). Throws a {@linkcode UsageError} naming the flag and the
 * path otherwise.
 *
 * @param flag the flag without dashes, e.g. "out"
 * @param path the file to write
 * @param options whether a missing folder is created (default) or only checked
 */
export async function checkOutputFile(
  flag: string,
  path: string,
  options: OutputCheckOptions = {},
): Promise<void> {
  if (path.trim() === "" || path.endsWith("/")) {
    throw new UsageError(`--${flag}: got ${JSON.stringify(path)}, expected a file path`);
  }
  const info = await Deno.stat(path).catch(() => null);
  if (info?.isDirectory) {
    throw new UsageError(`--${flag}: ${path} is a folder; expected the path of a file to write`);
  }
  try {
    await checkOutputFolder(flag, parentOf(path), options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`${error.message} (the folder of ${path})`);
  }
}

/**
 * Checks that `path` is an existing folder, for an input flag such as `--spikes-dir`; throws a
 * {@linkcode UsageError} naming the flag and the path otherwise.
 *
 * @param flag the flag without dashes
 * @param path the folder
 */
export async function checkInputFolder(flag: string, path: string): Promise<void> {
  nonEmptyFlag(flag, path, "a folder path");
  const info = await Deno.stat(path).catch(() => null);
  if (info === null) throw new UsageError(`--${flag}: ${path}: no such folder`);
  if (!info.isDirectory) throw new UsageError(`--${flag}: ${path} is a file, not a folder`);
}

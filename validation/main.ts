/**
 * `deno task validate`: judges spike recordings (one per seed) against the NEST microcircuit
 * reference ensemble and prints a table; exit code 0 pass, 1 fail, 2 bad input.
 *
 * ```
 * deno task validate --spikes run1/ --spikes run2.spikes.gz --scale 0.1 [--json]
 * ```
 *
 * Engines call {@linkcode validateSpikeSets} with in-memory spikes instead.
 *
 * @module
 */

import {
  isOnGrid,
  nonEmptyFlag,
  numberFlag,
  parseCliArgs,
  parseDecimal,
  snapToGrid,
  UsageError,
} from "../benchmarks/cli_args.ts";
import { MICROCIRCUIT_DEFAULTS } from "../models/microcircuit_params.ts";
import {
  loadReferenceEnsemble,
  parseScale,
  type ReferenceEnsemble,
  referenceRanges,
  type ReferenceScale,
} from "./reference.ts";
import { readSpikes, SpikeInputError, type SpikeRecording } from "./spike_io.ts";
import type { PopulationSpikes } from "./spike_statistics.ts";
import { formatVerdict, validateEnsemble, type ValidationVerdict } from "./verdict.ts";

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
  /** One line to standard output. */
  stdout(line: string): void;
  /** One line to standard error. */
  stderr(line: string): void;
}

/** Options of {@linkcode validateSpikeSets}. */
export interface SpikeSetOptions {
  /** Which NEST ensemble: 0.1 / "small" or 1 / "full". */
  scale: ReferenceScale | number | string;
  /** Discarded transient (ms). Default 500. */
  tPresimMs?: number;
  /** Analysed simulation time after the presimulation (ms). Default 10 000. */
  tSimMs?: number;
  /** See {@linkcode VerdictOptions.spreadFactor}. */
  spreadFactor?: number;
  /** See {@linkcode VerdictOptions.alpha}. */
  alpha?: number;
}

/** The NEST reference's window: 500 ms discarded, then 10 000 ms analysed. */
export const REFERENCE_WINDOW = { tPresimMs: 500, tSimMs: 10_000 } as const;

/**
 * Grid of --t-presim and --t-sim (ms): the microcircuit's time step, the NEST reference's
 * resolution; the same rule as `deno task bench`.
 */
export const WINDOW_STEP_MS = MICROCIRCUIT_DEFAULTS.resolutionMs;

/** Longest --t-presim / --t-sim (ms), as `deno task bench`. */
export const WINDOW_MAX_MS = 1e7;

/**
 * Shortest --t-sim (ms): the correlation statistic bins the window in 2 ms bins, so a shorter
 * window cannot be analysed (`deno task bench` itself allows one time step).
 */
export const WINDOW_MIN_SIM_MS = 2;

/**
 * A spike recording without any spike for this long (ms) at an edge of the analysed window
 * did not cover that edge: the microcircuit fires thousands of spikes per second even at
 * 10 % scale (NEST's seed 1: ~21 000 spikes/s, one every ~0.05 ms), so 100 ms of silence
 * (about 2000 missing spikes) means the recording started late or stopped early.
 */
export const COVERAGE_GAP_MS = 100;

/** Window edges closer than this (ms) count as equal (float rounding of grid times). */
const EDGE_EPS_MS = 1e-6;

/** The flags of the `--spikes` CLI as node:util parseArgs options. */
export const SPIKES_CLI_FLAGS = {
  spikes: { type: "string", multiple: true },
  scale: { type: "string" },
  "t-presim": { type: "string" },
  "t-sim": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const USAGE = `Usage: deno task validate --spikes PATH [--spikes PATH ...] [options]

Compares spike recordings (one --spikes per seed; together an ensemble) with the NEST
microcircuit reference ensemble and prints a table of population × statistic with the
candidate-vs-NEST distance, the NEST-vs-NEST threshold and pass/FAIL.

Options:
  --spikes PATH     a spike recording; repeat for several seeds (each a different run:
                    the same file twice is refused). Accepted:
                      spikebench file (*.spikes, *.spikes.gz),
                      NEST spike recorder *.dat/*.gdf (file or directory, with
                        population_nodeids.dat beside it, else the reference ranges),
                      NEST GPU directory (spike_times_<i>.dat + population_nodeids.dat),
                      CSV with sender,time_ms columns
  --scale 0.1|1     reference ensemble: 0.1 = small (10 seeds), 1 = full (4 seeds);
                    default: inferred from the population sizes
  --t-presim MS     start of the analysed window: a multiple of the ${WINDOW_STEP_MS} ms time step in
                    [0, ${WINDOW_MAX_MS}] (default: the t_presim stored in spikebench files, else 500)
  --t-sim MS        length of the analysed window: a multiple of ${WINDOW_STEP_MS} ms in
                    [${WINDOW_MIN_SIM_MS}, ${WINDOW_MAX_MS}] (default: the t_sim stored in spikebench files, else
                    10000, as the reference)
                    The window must lie inside the recorded one of spikebench files.
  --json            print the verdict as one JSON object on stdout (the only stdout line;
                    the table goes to stderr); on bad input the error as a JSON object
  -h, --help        this text

Numbers are written in plain decimal notation (0.1, 1e-1); a flag other than --spikes given
twice is rejected.
Exit status: 0 every check passed, 1 a check failed, 2 bad input.`;

/** A time in ms as text, without float noise (`100.1`, not `100.10000000000001`). */
export function formatMs(ms: number): string {
  return String(Number(ms.toFixed(9)));
}

/** `start + length` (ms) without float noise: 500 + 100.1 is 600.1. */
function windowEnd(tPresimMs: number, tSimMs: number): number {
  return Number((tPresimMs + tSimMs).toFixed(9));
}

/**
 * Reads `--t-presim` or `--t-sim` with the checks and wording of `deno task bench`: a multiple
 * of the {@linkcode WINDOW_STEP_MS} time step in [0, 1e7] (--t-presim) or
 * [{@linkcode WINDOW_MIN_SIM_MS}, 1e7] (--t-sim); undefined when not given.
 *
 * @param name the flag without dashes
 * @param raw its value as given, or undefined
 */
export function windowFlag(
  name: "t-presim" | "t-sim",
  raw: string | undefined,
): number | undefined {
  const min = name === "t-presim" ? 0 : WINDOW_MIN_SIM_MS;
  const h = WINDOW_STEP_MS;
  const why = name === "t-sim" ? ` (at least one ${WINDOW_MIN_SIM_MS} ms correlation bin)` : "";
  const value = numberFlag(name, raw, {
    optional: true,
    ok: (x) => x >= min && x <= WINDOW_MAX_MS && isOnGrid(x, h),
    range: `a number of ms in [${min}, ${WINDOW_MAX_MS}] on the simulation grid: a multiple ` +
      `of the microcircuit's time step, ${h} ms${why}`,
  });
  // The grid point it stands for, as the bench stores it: 100.00000000001 is 100.
  return value === undefined ? undefined : snapToGrid(value, h);
}

/**
 * Reads `--scale`: a number in plain decimal notation equal to 0.1 (the small NEST ensemble)
 * or 1 (the full one), so `0.10`, `1.0` and `1e-1` are accepted; undefined when not given.
 *
 * @param raw the flag's value, or undefined
 */
export function referenceScaleFlag(raw: string | undefined): ReferenceScale | undefined {
  if (raw === undefined) return undefined;
  const v = parseDecimal(raw);
  if (v !== 0.1 && v !== 1) {
    throw new UsageError(
      `--scale: got ${JSON.stringify(raw)}, expected 0.1 or 1 (the NEST reference scales)`,
    );
  }
  return v === 1 ? "full" : "small";
}

/** Validated flags of the `--spikes` CLI. */
export interface SpikesCliOptions {
  /** The recordings, one per run, in the order given. */
  paths: string[];
  /** The reference ensemble; undefined: inferred from the population sizes. */
  scale?: ReferenceScale;
  /** --t-presim (ms), when given. */
  tPresimMs?: number;
  /** --t-sim (ms), when given. */
  tSimMs?: number;
}

/**
 * Checks the parsed `--spikes` flags (see {@linkcode SPIKES_CLI_FLAGS}); touches no file.
 * Throws a UsageError naming the flag and what it accepts.
 *
 * @param values the parsed flag values
 */
export function spikesCliOptions(
  values: { spikes?: string[]; scale?: string; "t-presim"?: string; "t-sim"?: string },
): SpikesCliOptions {
  const paths = values.spikes ?? [];
  if (paths.length === 0) throw new UsageError("no --spikes PATH given (see --help)");
  for (const path of paths) nonEmptyFlag("spikes", path, "the path of a spike file or folder");
  return {
    paths,
    scale: referenceScaleFlag(values.scale),
    tPresimMs: windowFlag("t-presim", values["t-presim"]),
    tSimMs: windowFlag("t-sim", values["t-sim"]),
  };
}

/**
 * Checks, before anything is read, that every `--spikes` path exists and that no recording is
 * given twice (compared by resolved real path, so `./a`, `a` and a link to it are the same):
 * the same run counted twice would inflate the ensemble's size n in the rate test.
 *
 * @param paths the --spikes values
 */
export async function checkSpikeInputs(paths: string[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const path of paths) {
    let real: string;
    try {
      real = await Deno.realPath(path);
    } catch (error) {
      const why = error instanceof Deno.errors.NotFound
        ? "no such file or directory"
        : `cannot be read (${(error as Error).message})`;
      throw new SpikeInputError(why, { file: path });
    }
    const first = seen.get(real);
    if (first !== undefined) throw sameRecording(path, first, real);
    seen.set(real, path);
  }
}

function sameRecording(path: string, first: string, real: string): UsageError {
  const which = path === first ? `${path} is given twice` : `${path} and ${first} are the same ` +
    `recording (${real})`;
  return new UsageError(
    `--spikes: ${which}; each --spikes must be a different run (the same spikes counted twice ` +
      "would pass for two seeds)",
  );
}

/** Refuses two recordings that read the same file (e.g. a folder and the file in it). */
async function requireDistinctFiles(recordings: SpikeRecording[], paths: string[]) {
  const readBy = new Map<string, number>();
  for (let i = 0; i < recordings.length; i++) {
    for (const file of recordings[i].files) {
      const real = await Deno.realPath(file).catch(() => file);
      const first = readBy.get(real);
      if (first !== undefined && first !== i) {
        throw new UsageError(
          `--spikes: ${paths[i]} and ${paths[first]} both contain ${file}; each --spikes must ` +
            "be a different run (the same spikes counted twice would pass for two seeds)",
        );
      }
      readBy.set(real, i);
    }
  }
}

/**
 * Validates in-memory spike sets (one PopulationSpikes[] per seed) against the NEST reference
 * of the given scale: loads the reference (checksums verified) and calls
 * {@linkcode validateEnsemble} on the window [tPresimMs, tPresimMs + tSimMs].
 *
 * @param runs one entry per seed
 * @param options scale, window and rule constants
 */
export async function validateSpikeSets(
  runs: PopulationSpikes[][],
  options: SpikeSetOptions,
): Promise<ValidationVerdict> {
  const reference = await loadReferenceEnsemble(parseScale(options.scale));
  return validateAgainst(runs, reference, options);
}

function validateAgainst(
  runs: PopulationSpikes[][],
  reference: ReferenceEnsemble,
  options: Omit<SpikeSetOptions, "scale">,
): ValidationVerdict {
  const tPresimMs = options.tPresimMs ?? REFERENCE_WINDOW.tPresimMs;
  const tSimMs = options.tSimMs ?? REFERENCE_WINDOW.tSimMs;
  return validateEnsemble(runs, reference, {
    tStartMs: tPresimMs,
    tStopMs: windowEnd(tPresimMs, tSimMs),
    spreadFactor: options.spreadFactor,
    alpha: options.alpha,
  });
}

/** A window as stored in a spikebench header: recorded from t_presim for t_sim ms. */
export interface RecordedWindow {
  /** Start of the recording (ms): spikes were saved from here on. */
  tPresimMs: number;
  /** Length of the recording (ms). */
  tSimMs: number;
}

/**
 * The window a spikebench file's header says was recorded (`t_presim_ms`, `t_sim_ms` in its
 * metadata, written by `deno task bench --save-spikes`, which saves the spikes of
 * [t_presim, t_presim + t_sim] only); null when the header has none. Throws a SpikeInputError
 * naming the file when the stored numbers are not a window.
 *
 * @param metadata the header metadata ({} for other formats)
 * @param path the file, for messages
 */
export function recordedWindow(
  metadata: Record<string, unknown>,
  path: string,
): RecordedWindow | null {
  const [presim, sim] = [metadata.t_presim_ms, metadata.t_sim_ms];
  if (typeof presim !== "number" || typeof sim !== "number") return null;
  if (!(presim >= 0 && presim <= WINDOW_MAX_MS && sim > 0 && sim <= WINDOW_MAX_MS)) {
    throw new SpikeInputError(
      `header metadata t_presim_ms ${presim}, t_sim_ms ${sim} is not a recorded window ` +
        `(expected t_presim_ms in [0, ${WINDOW_MAX_MS}] and t_sim_ms in (0, ${WINDOW_MAX_MS}])`,
      { file: path },
    );
  }
  return { tPresimMs: presim, tSimMs: sim };
}

/**
 * The analysis window stored in spikebench files (see {@linkcode recordedWindow}): the common
 * window of every recording that has one, with the files it came from; null when none has; a
 * UsageError when they disagree.
 */
export function storedWindow(
  recordings: { path: string; metadata: Record<string, unknown> }[],
): (RecordedWindow & { paths: string[] }) | null {
  let found: (RecordedWindow & { paths: string[] }) | null = null;
  for (const { path, metadata } of recordings) {
    const window = recordedWindow(metadata, path);
    if (!window) continue;
    if (found && (found.tPresimMs !== window.tPresimMs || found.tSimMs !== window.tSimMs)) {
      throw new UsageError(
        `${path} was recorded with ${formatMs(window.tPresimMs)} + ${formatMs(window.tSimMs)} ms ` +
          `but ${found.paths[0]} with ${formatMs(found.tPresimMs)} + ${formatMs(found.tSimMs)} ` +
          "ms; pass --t-presim and --t-sim for a common window",
      );
    }
    if (found) found.paths.push(path);
    else found = { ...window, paths: [path] };
  }
  return found;
}

/** The analysed window and where each of its two numbers came from. */
export interface AnalysedWindow {
  /** Start of the window (ms). */
  tPresimMs: number;
  /** Length of the window (ms). */
  tSimMs: number;
  /** Where tPresimMs came from: "--t-presim", a file's header, or the reference default. */
  tPresimFrom: string;
  /** Where tSimMs came from: "--t-sim", a file's header, or the reference default. */
  tSimFrom: string;
}

/**
 * The window to analyse: each of --t-presim and --t-sim from its flag, else from the window
 * stored in the spikebench files ({@linkcode storedWindow}), else the NEST reference's
 * 500 + 10 000 ms. The files' stored windows must agree only when one of the flags is missing.
 *
 * @param flags the --t-presim and --t-sim values, when given
 * @param recordings every recording with its path
 */
export function analysedWindow(
  flags: { tPresimMs?: number; tSimMs?: number },
  recordings: { path: string; metadata: Record<string, unknown> }[],
): AnalysedWindow {
  const stored = flags.tPresimMs === undefined || flags.tSimMs === undefined
    ? storedWindow(recordings)
    : null;
  const header = stored &&
    (stored.paths.length === 1
      ? `the header of ${stored.paths[0]}`
      : `the headers of ${stored.paths.length} spikebench files`);
  const fallback = `the NEST reference's default (${REFERENCE_WINDOW.tPresimMs} + ` +
    `${REFERENCE_WINDOW.tSimMs} ms)`;
  const pick = (flag: string, given: number | undefined, fromFile: number | undefined) =>
    given !== undefined
      ? { value: given, from: flag }
      : fromFile !== undefined && header
      ? { value: fromFile, from: header }
      : {
        value: flag === "--t-presim" ? REFERENCE_WINDOW.tPresimMs : REFERENCE_WINDOW.tSimMs,
        from: fallback,
      };
  const presim = pick("--t-presim", flags.tPresimMs, stored?.tPresimMs);
  const sim = pick("--t-sim", flags.tSimMs, stored?.tSimMs);
  return {
    tPresimMs: presim.value,
    tSimMs: sim.value,
    tPresimFrom: presim.from,
    tSimFrom: sim.from,
  };
}

/**
 * The line that states the analysed window and where its bounds came from, e.g.
 * `analysed window: 1000–3000 ms (t-presim 1000 ms from --t-presim; t-sim 2000 ms from the
 * header of run.spikes.gz)` or `analysed window: 500–10500 ms (t-presim 500 + t-sim 10000 ms,
 * both from the NEST reference's default (500 + 10000 ms))`.
 *
 * @param window the resolved window
 */
export function describeWindow(window: AnalysedWindow): string {
  const { tPresimMs, tSimMs } = window;
  const span = `${formatMs(tPresimMs)}–${formatMs(windowEnd(tPresimMs, tSimMs))} ms`;
  const [presim, sim] = [`t-presim ${formatMs(tPresimMs)}`, `t-sim ${formatMs(tSimMs)}`];
  return window.tPresimFrom === window.tSimFrom
    ? `analysed window: ${span} (${presim} + ${sim} ms, both from ${window.tSimFrom})`
    : `analysed window: ${span} (${presim} ms from ${window.tPresimFrom}; ${sim} ms from ` +
      `${window.tSimFrom})`;
}

/**
 * Refuses a recording that cannot be judged on the window [start, stop) ms, naming the file:
 *
 * - it has no spikes at all (no window can help);
 * - its header (spikebench files) stores the recorded window and the analysed one does not lie
 *   inside it (the part outside has no data: rates would come out too low);
 * - no spike in the window;
 * - no spike within {@linkcode COVERAGE_GAP_MS} of the window's start or end: the recording
 *   started late or ended early (the network is never silent that long; see there).
 *
 * @param recording the spikes and (spikebench files) the header metadata
 * @param path the recording, for messages
 * @param window the analysed window
 */
export function requireCoverage(
  recording: { populations: PopulationSpikes[]; metadata?: Record<string, unknown> },
  path: string,
  window: { startMs: number; stopMs: number },
): void {
  let inside = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const p of recording.populations) {
    for (const t of p.timesMs) {
      if (t < first) first = t;
      if (t > last) last = t;
      if (t >= window.startMs && t < window.stopMs) inside++;
    }
  }
  const asked = `[${formatMs(window.startMs)}, ${formatMs(window.stopMs)}) ms`;
  if (!Number.isFinite(first)) {
    throw new UsageError(
      `${path}: the recording has no spikes at all, so there is nothing to judge (was the ` +
        "run recorded, or did the network stay silent?)",
    );
  }
  const recorded = recordedWindow(recording.metadata ?? {}, path);
  if (recorded) {
    const start = recorded.tPresimMs;
    const end = windowEnd(recorded.tPresimMs, recorded.tSimMs);
    if (window.startMs < start - EDGE_EPS_MS || window.stopMs > end + EDGE_EPS_MS) {
      throw new UsageError(
        `${path}: the analysed window ${asked} does not lie inside the recorded one, ` +
          `[${formatMs(start)}, ${formatMs(end)}] ms (t_presim_ms ${formatMs(start)} + ` +
          `t_sim_ms ${formatMs(recorded.tSimMs)} in its header: no spikes were saved outside ` +
          `it); pass --t-presim ≥ ${formatMs(start)} with --t-presim + --t-sim ≤ ` +
          `${formatMs(end)}, or neither flag to analyse the recorded window`,
      );
    }
  }
  const span = `its spikes span ${formatMs(first)}–${formatMs(last)} ms`;
  const fix = "pass --t-presim and --t-sim to match the recording";
  const gap = `no spike within ${COVERAGE_GAP_MS} ms of its`;
  const why = "the microcircuit is never silent that long, so the recording";
  if (inside === 0) {
    throw new UsageError(`${path}: no spike in the analysed window ${asked} (${span}); ${fix}`);
  }
  if (first > window.startMs + COVERAGE_GAP_MS) {
    throw new UsageError(
      `${path}: the recording starts after the analysed window ${asked} does (${span}; ` +
        `${gap} start: ${why} began late); ${fix}`,
    );
  }
  if (last < window.stopMs - COVERAGE_GAP_MS) {
    throw new UsageError(
      `${path}: the recording ends before the analysed window ${asked} does (${span}; ` +
        `${gap} end: ${why} stopped early); ${fix}`,
    );
  }
}

function inferScale(recording: SpikeRecording, path: string): ReferenceScale {
  const total = recording.populations.reduce((n, p) => n + p.size, 0);
  if (total === 7717) return "small";
  if (total === 77169) return "full";
  throw new UsageError(
    `${path}: ${total} neurons match neither reference (small 7717, full 77169); pass --scale`,
  );
}

/**
 * Reads the recordings of `options`, checks them (every path exists, no recording twice, the
 * window covered) and judges them against the NEST reference. Writes the progress lines, the
 * analysed window and the table with `say`; returns the verdict with `inputs` (the paths).
 * Throws a UsageError or SpikeInputError naming the flag or file on bad input.
 *
 * @param options the validated flags ({@linkcode spikesCliOptions})
 * @param say where the human-readable lines go
 */
export async function validateRecordings(
  options: SpikesCliOptions,
  say: (line: string) => void,
): Promise<ValidationVerdict & { inputs: string[] }> {
  const { paths } = options;
  await checkSpikeInputs(paths);
  let scale = options.scale;
  let reference = scale ? await loadReferenceEnsemble(scale) : undefined;
  const recordings: SpikeRecording[] = [];
  for (const path of paths) {
    const recording = await readSpikes(path, {
      fallbackRanges: reference ? referenceRanges(reference) : undefined,
    });
    if (!reference) {
      scale = inferScale(recording, path);
      reference = await loadReferenceEnsemble(scale);
    }
    const spikes = recording.populations.reduce((n, p) => n + p.senders.length, 0);
    say(
      `read ${path}: ${recording.format}, ${recording.populations.length} populations, ` +
        `${spikes} spikes (node ids from ${recording.rangesSource})`,
    );
    recordings.push(recording);
  }
  await requireDistinctFiles(recordings, paths);
  const window = analysedWindow(options, recordings.map((r, i) => ({ path: paths[i], ...r })));
  say(describeWindow(window));
  const stopMs = windowEnd(window.tPresimMs, window.tSimMs);
  recordings.forEach((r, i) => requireCoverage(r, paths[i], { startMs: window.tPresimMs, stopMs }));
  const verdict = validateAgainst(recordings.map((r) => r.populations), reference!, {
    tPresimMs: window.tPresimMs,
    tSimMs: window.tSimMs,
  });
  say(formatVerdict(verdict));
  return { ...verdict, inputs: paths };
}

/**
 * Whether `error` is bad input (exit status 2, message only): a bad flag, a missing or
 * malformed file, or data that do not match the reference.
 *
 * @param error what was thrown
 */
export function isBadInput(error: unknown): boolean {
  return error instanceof SpikeInputError || error instanceof UsageError ||
    error instanceof RangeError || error instanceof TypeError ||
    ((error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS") ?? false);
}

/**
 * The JSON object `--json` prints on stdout instead of a verdict when the run fails.
 *
 * @param message the error message (as printed on stderr, without "error: ")
 * @param exitCode the exit status
 */
export function errorJson(message: string, exitCode: number): string {
  return JSON.stringify({ kind: "spikebench-validation-error", error: message, exitCode });
}

/**
 * Whether `args` ask for `--json` (checked before parsing, so that a flag error is reported
 * as JSON too).
 *
 * @param args command-line arguments
 */
export function wantsJson(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes("--json");
}

/**
 * Runs the CLI with `args` (without the program name); returns the exit status. With
 * `--json`, stdout carries only the verdict (or error) as one JSON object and every
 * human-readable line goes to stderr.
 *
 * @param args command-line arguments
 * @param io where to write (default: console)
 */
export async function runCli(
  args: string[],
  io: CliIo = { stdout: (l) => console.log(l), stderr: (l) => console.error(l) },
): Promise<number> {
  let json = wantsJson(args);
  try {
    const { values } = parseCliArgs({ args, allowPositionals: false, options: SPIKES_CLI_FLAGS });
    json = values.json;
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const options = spikesCliOptions(values);
    const verdict = await validateRecordings(options, json ? io.stderr : io.stdout);
    if (json) io.stdout(JSON.stringify(verdict));
    return verdict.pass ? 0 : 1;
  } catch (error) {
    const message = (error as Error).message;
    io.stderr(`error: ${message}`);
    if (!isBadInput(error)) io.stderr((error as Error).stack ?? "");
    if (json) io.stdout(errorJson(message, 2));
    return 2;
  }
}

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}

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

import { parseCliArgs, parseDecimal, UsageError as CliUsageError } from "../benchmarks/cli_args.ts";
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

const USAGE = `Usage: deno task validate --spikes PATH [--spikes PATH ...] [options]

Compares spike recordings (one --spikes per seed; together an ensemble) with the NEST
microcircuit reference ensemble and prints a table of population × statistic with the
candidate-vs-NEST distance, the NEST-vs-NEST threshold and pass/FAIL.

Options:
  --spikes PATH     a spike recording; repeat for several seeds. Accepted:
                      spikebench file (*.spikes, *.spikes.gz),
                      NEST spike recorder *.dat/*.gdf (file or directory, with
                        population_nodeids.dat beside it, else the reference ranges),
                      NEST GPU directory (spike_times_<i>.dat + population_nodeids.dat),
                      CSV with sender,time_ms columns
  --scale 0.1|1     reference ensemble: 0.1 = small (10 seeds), 1 = full (4 seeds);
                    default: inferred from the population sizes
  --t-presim MS     discarded transient (default: the window stored in spikebench files,
                    else 500)
  --t-sim MS        analysed time after it (default: as stored in spikebench files, else
                    10000, as the reference)
  --json            also print the verdict as one JSON object on the last stdout line
  -h, --help        this text

Exit status: 0 every check passed, 1 a check failed, 2 bad input.`;

/** A command-line mistake (exit status 2). */
class UsageError extends Error {}

function parseMs(
  flag: string,
  value: string | undefined,
  limits: { fallback: number; positive: boolean },
) {
  if (value === undefined) return limits.fallback;
  const x = parseDecimal(value) ?? NaN;
  const ok = Number.isFinite(x) && (limits.positive ? x > 0 : x >= 0);
  if (!ok) {
    throw new UsageError(
      `${flag} is '${value}'; it must be a number ${limits.positive ? "> 0" : "≥ 0"} (ms)`,
    );
  }
  return x;
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
  const tPresimMs = options.tPresimMs ?? 500;
  const tSimMs = options.tSimMs ?? 10_000;
  return validateEnsemble(runs, reference, {
    tStartMs: tPresimMs,
    tStopMs: tPresimMs + tSimMs,
    spreadFactor: options.spreadFactor,
    alpha: options.alpha,
  });
}

/**
 * The analysis window stored in spikebench files (`t_presim_ms`, `t_sim_ms` in the header
 * metadata, written by `deno task bench --save-spikes`): the common window of every recording
 * that has one, null when none has; a UsageError when they disagree.
 */
export function storedWindow(
  recordings: { path: string; metadata: Record<string, unknown> }[],
): { tPresimMs: number; tSimMs: number } | null {
  let found: { tPresimMs: number; tSimMs: number; path: string } | null = null;
  for (const { path, metadata } of recordings) {
    const [presim, sim] = [metadata.t_presim_ms, metadata.t_sim_ms];
    if (typeof presim !== "number" || typeof sim !== "number") continue;
    if (found && (found.tPresimMs !== presim || found.tSimMs !== sim)) {
      throw new UsageError(
        `${path} was recorded with ${presim} + ${sim} ms but ${found.path} with ` +
          `${found.tPresimMs} + ${found.tSimMs} ms; pass --t-presim and --t-sim for a common window`,
      );
    }
    found ??= { tPresimMs: presim, tSimMs: sim, path };
  }
  return found && { tPresimMs: found.tPresimMs, tSimMs: found.tSimMs };
}

/**
 * Refuses a recording that cannot be judged on the window [start, stop) ms: no spike in it, or
 * a last spike so far before `stop` that the recording evidently ended early (rates would be
 * underestimated and the verdict a false FAIL). A whole network of the microcircuit's size
 * fires every few microseconds, so 100 ms of silence before the end means the run was shorter.
 */
export function requireCoverage(
  recording: { populations: PopulationSpikes[] },
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
  const span = Number.isFinite(first) ? `its spikes span ${first}–${last} ms` : "it has no spikes";
  const fix = "pass --t-presim and --t-sim to match the recording";
  if (inside === 0) {
    throw new UsageError(
      `${path}: no spike in the analysed window [${window.startMs}, ${window.stopMs}) ms ` +
        `(${span}); ${fix}`,
    );
  }
  if (last < window.stopMs - 100) {
    throw new UsageError(
      `${path}: the recording ends before the analysed window [${window.startMs}, ` +
        `${window.stopMs}) ms does (${span}); ${fix}`,
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
 * Runs the CLI with `args` (without the program name); returns the exit status.
 *
 * @param args command-line arguments
 * @param io where to write (default: console)
 */
export async function runCli(
  args: string[],
  io: CliIo = { stdout: (l) => console.log(l), stderr: (l) => console.error(l) },
): Promise<number> {
  let json = args.includes("--json");
  try {
    const { values } = parseCliArgs({
      args,
      allowPositionals: false,
      options: {
        spikes: { type: "string", multiple: true },
        scale: { type: "string" },
        "t-presim": { type: "string" },
        "t-sim": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    json = values.json ?? false;
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const paths = values.spikes ?? [];
    if (paths.length === 0) throw new UsageError("no --spikes PATH given (see --help)");
    const givenPresim = values["t-presim"];
    const givenSim = values["t-sim"];
    parseMs("--t-presim", givenPresim, { fallback: 500, positive: false });
    parseMs("--t-sim", givenSim, { fallback: 10_000, positive: true });
    let scale: ReferenceScale | undefined;
    if (values.scale !== undefined) {
      try {
        scale = parseScale(values.scale);
      } catch {
        throw new UsageError(`--scale is '${values.scale}'; it must be 0.1 or 1`);
      }
    }
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
      io.stdout(
        `read ${path}: ${recording.format}, ${recording.populations.length} populations, ` +
          `${spikes} spikes (node ids from ${recording.rangesSource})`,
      );
      recordings.push(recording);
    }
    // Flags first, then the window the spikebench files were recorded with, then the
    // reference's 500 + 10 000 ms.
    const stored = storedWindow(recordings.map((r, i) => ({ path: paths[i], ...r })));
    const tPresimMs = parseMs("--t-presim", givenPresim, {
      fallback: stored?.tPresimMs ?? 500,
      positive: false,
    });
    const tSimMs = parseMs("--t-sim", givenSim, {
      fallback: stored?.tSimMs ?? 10_000,
      positive: true,
    });
    if (stored && (givenPresim === undefined || givenSim === undefined)) {
      io.stdout(`window ${tPresimMs}–${tPresimMs + tSimMs} ms (as recorded)`);
    }
    recordings.forEach((r, i) =>
      requireCoverage(r, paths[i], { startMs: tPresimMs, stopMs: tPresimMs + tSimMs })
    );
    const verdict = validateAgainst(recordings.map((r) => r.populations), reference!, {
      tPresimMs,
      tSimMs,
    });
    io.stdout(formatVerdict(verdict));
    if (json) io.stdout(JSON.stringify({ ...verdict, inputs: paths }));
    return verdict.pass ? 0 : 1;
  } catch (error) {
    const known = error instanceof SpikeInputError || error instanceof UsageError ||
      error instanceof CliUsageError ||
      error instanceof RangeError || error instanceof TypeError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const message = (error as Error).message;
    io.stderr(`error: ${message}`);
    if (!known) io.stderr((error as Error).stack ?? "");
    if (json) {
      io.stdout(
        JSON.stringify({ kind: "spikebench-validation-error", error: message, exitCode: 2 }),
      );
    }
    return 2;
  }
}

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}

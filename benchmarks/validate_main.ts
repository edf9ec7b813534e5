/**
 * `deno task validate`: with `--spikes PATH`, validates existing recordings (from any
 * simulator) with validation/main.ts; without it, runs the engine for each requested seed and
 * validates that ensemble. Either way the verdict goes into the results history.
 * Exit codes: 0 pass, 1 fail, 2 bad input.
 */
import { checkOutputFolder, nonEmptyFlag, parseCliArgs, parseInteger } from "./cli_args.ts";
import {
  checkSpikeInputs,
  errorJson,
  isBadInput,
  referenceScaleFlag,
  SPIKES_CLI_FLAGS,
  spikesCliOptions,
  validateRecordings,
  validateSpikeSets,
  wantsJson,
  WINDOW_MAX_MS,
  WINDOW_MIN_SIM_MS,
  WINDOW_STEP_MS,
  windowFlag,
} from "../validation/main.ts";
import { formatVerdict, type ValidationVerdict } from "../validation/verdict.ts";
import {
  type BenchOptions,
  checkBenchOutput,
  parseBenchArgs,
  UsageError,
} from "./bench_options.ts";
import { reportRunError } from "./cli_errors.ts";
import { appendToHistory, History, writeResult } from "./results_store.ts";
import { runMicrocircuit } from "./run_microcircuit.ts";
import { validateRewiringMain } from "./validate_rewiring.ts";
import { validateWorkingMemoryMain } from "./validate_working_memory.ts";
import { candidateDistributions } from "../reports/distributions.ts";
import type { PopulationSpikes } from "../validation/spike_statistics.ts";

const HELP =
  `Usage: deno task validate [--scale 0.1|1] [--seeds 1,2,3] [--t-sim MS] [--backend webgpu|cpu]
       deno task validate --spikes PATH [--spikes PATH ...] [--scale 0.1|1] [--t-presim MS] [--t-sim MS]
       deno task validate --model rewiring [...]   (see --model rewiring --help)
       deno task validate --model working_memory [...]   (see --model working_memory --help)

Without --spikes: runs the microcircuit on the engine once per seed (500 ms presimulation,
then --t-sim, default 10000 ms as the NEST reference), stores each run like \`deno task bench\`,
and validates the ensemble against NEST's (rates, CV ISI, correlations; rule in
validation/README.md). With --spikes: validates existing recordings (spikebench, NEST .dat,
NEST GPU layout, CSV), one per run. Either way the verdict goes into DIR/history.sqlite.

Flags (both modes):
  --scale 0.1|1        NEST reference ensemble (engine mode: also the microcircuit's scale;
                       default 0.1 there, inferred from the population sizes with --spikes)
  --t-presim MS        start of the analysed window: a multiple of the ${WINDOW_STEP_MS} ms time step in
                       [0, ${WINDOW_MAX_MS}] (engine mode: the discarded presimulation, default 500;
                       --spikes: default the t_presim stored in spikebench files, else 500)
  --t-sim MS           length of the analysed window: a multiple of ${WINDOW_STEP_MS} ms in
                       [${WINDOW_MIN_SIM_MS}, ${WINDOW_MAX_MS}] (default 10000, as the NEST reference; --spikes: the
                       t_sim stored in spikebench files, else 10000)
  --out DIR            results folder with history.sqlite, checked before any work
                       (default results)
  --json               stdout carries only the verdict as one JSON object (on bad input
                       {"kind":"spikebench-validation-error",...}); the text goes to stderr
  -h, --help           this text
Engine mode only:
  --seeds LIST         comma-separated distinct seeds (default 1,2,3)
  --backend webgpu|cpu engine backend (default webgpu)
--spikes mode only:
  --spikes PATH        a recording: spikebench *.spikes[.gz], NEST *.dat/*.gdf (file or
                       folder), NEST GPU folder, CSV with sender,time_ms; repeat it for
                       several runs (the same recording twice is refused). The analysed
                       window must lie inside the window stored in spikebench files.

Numbers are written in plain decimal notation (0.1, 1e-1); a flag other than --spikes given
twice is rejected.
Exit status: 0 every check passed, 1 a check failed, 2 bad input.`;

function parseSeeds(raw: string): number[] {
  const seeds = raw.split(",").map((s) => s.trim());
  const values = seeds.map((s) => parseInteger(s) ?? NaN);
  if (
    seeds.length === 0 || seeds.some((s) => s === "") ||
    values.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff) ||
    new Set(values).size !== values.length
  ) {
    throw new UsageError(
      `--seeds: got ${
        JSON.stringify(raw)
      }, expected distinct integers in [0, 4294967295] separated by commas`,
    );
  }
  return values;
}

function storeVerdict(
  out: string,
  verdict: ValidationVerdict & { distributions?: unknown },
  runIds: string[],
  scale: number,
) {
  const history = new History(`${out}/history.sqlite`);
  try {
    history.addValidation({
      id: `${new Date().toISOString().replace(/[-:]/g, "")}_validation_${
        crypto.randomUUID().slice(0, 8)
      }`,
      run_id: runIds.join(",") || null,
      timestamp: new Date().toISOString(),
      model: "microcircuit",
      scale,
      passed: verdict.pass,
      verdict,
    });
  } finally {
    history.close();
  }
}

/** The value of `--model` in `args` (either spelling, at most once) and the other arguments. */
function modelFlag(args: string[]): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") {
      rest.push(...args.slice(i));
      break;
    }
    let given: string | undefined;
    if (args[i] === "--model") given = args[++i] ?? "";
    else if (args[i].startsWith("--model=")) given = args[i].slice("--model=".length);
    else {
      rest.push(args[i]);
      continue;
    }
    if (value !== undefined) {
      throw new UsageError(
        "--model: given more than once; give it once (the last would silently win)",
      );
    }
    value = given;
  }
  return { value, rest };
}

/** Every flag of the microcircuit validation, both modes. */
const VALIDATE_FLAGS = {
  ...SPIKES_CLI_FLAGS,
  seeds: { type: "string" },
  backend: { type: "string" },
  out: { type: "string" },
} as const;

/** The parsed flags of the microcircuit validation. */
interface ValidateValues {
  spikes?: string[];
  scale?: string;
  seeds?: string;
  "t-presim"?: string;
  "t-sim"?: string;
  backend?: string;
  out?: string;
  json: boolean;
  help: boolean;
}

/**
 * Reports `error` (stderr, and with `--json` the error object on stdout) and returns the exit
 * status: 2 for bad input (`badInput`, or what reportRunError counts as such), else 1.
 */
function fail(error: unknown, json: boolean, badInput: (e: unknown) => boolean = () => false) {
  const message = error instanceof Error ? error.message : String(error);
  let code: number;
  if (badInput(error)) {
    console.error(`error: ${message}`);
    code = 2;
  } else {
    code = reportRunError(error);
  }
  if (json) console.log(errorJson(message, code));
  return code;
}

/** `--out`: a folder path, not blank (default results). */
function outFlag(raw: string | undefined): string {
  return nonEmptyFlag("out", raw ?? "results", "a folder path");
}

/** Runs the validate CLI; returns the exit code. */
export async function validateMain(args: string[]): Promise<number> {
  const json = wantsJson(args);
  let model: { value: string | undefined; rest: string[] };
  try {
    model = modelFlag(args);
    const models = ["microcircuit", "working_memory", "rewiring"];
    if (model.value !== undefined && !models.includes(model.value)) {
      throw new UsageError(
        `--model: got ${JSON.stringify(model.value)}, expected one of ${models.join(", ")}`,
      );
    }
  } catch (e) {
    return fail(e, json);
  }
  if (model.value === "rewiring") return await validateRewiringMain(args);
  if (model.value === "working_memory") return await validateWorkingMemoryMain(args);
  let values: ValidateValues;
  try {
    values = parseCliArgs({ args: model.rest, allowPositionals: false, options: VALIDATE_FLAGS })
      .values;
  } catch (e) {
    return fail(e, json);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  return values.spikes !== undefined ? await validateFiles(values) : await validateEngine(values);
}

/** Engine mode: runs the microcircuit once per seed and validates the ensemble. */
async function validateEngine(values: ValidateValues): Promise<number> {
  const json = values.json;
  let options: BenchOptions;
  let seeds: number[];
  try {
    const scale = referenceScaleFlag(values.scale) === "full" ? 1 : 0.1;
    seeds = parseSeeds(values.seeds ?? "1,2,3");
    // The window's own rules (the bench's, and --t-sim ≥ one correlation bin).
    windowFlag("t-presim", values["t-presim"]);
    windowFlag("t-sim", values["t-sim"]);
    const forward = ["--scale", String(scale), "--t-sim", values["t-sim"] ?? "10000"];
    if (values["t-presim"] !== undefined) forward.push("--t-presim", values["t-presim"]);
    if (values.backend !== undefined) forward.push("--backend", values.backend);
    forward.push("--out", outFlag(values.out));
    options = parseBenchArgs(forward);
    await checkBenchOutput({ out: options.out, report: false });
  } catch (e) {
    return fail(e, json);
  }
  const say = json ? (m: string) => console.error(m) : (m: string) => console.log(m);
  try {
    const runs: PopulationSpikes[][] = [];
    const runIds: string[] = [];
    for (const seed of seeds) {
      say(`running microcircuit scale ${options.scale}, seed ${seed}, ${options.tSimMs} ms ...`);
      const { result, spikes } = await runMicrocircuit({ ...options, seed }, {
        log: (m) => console.error(m),
      });
      await writeResult(options.out, result);
      appendToHistory(options.out, result);
      say(
        `  seed ${seed}: RTF ${result.rtf.toFixed(2)}, ${result.spikes} spikes, run ${result.id}`,
      );
      runs.push(spikes!);
      runIds.push(result.id);
    }
    const t0 = performance.now();
    const verdict = await validateSpikeSets(runs, {
      scale: options.scale,
      tPresimMs: options.tPresimMs,
      tSimMs: options.tSimMs,
    });
    say(formatVerdict(verdict));
    say(`analysis took ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    // The distributions go with the verdict so the report can draw its violins.
    const distributions = candidateDistributions(runs, verdict.window);
    storeVerdict(options.out, { ...verdict, distributions }, runIds, options.scale);
    if (json) console.log(JSON.stringify({ ...verdict, run_ids: runIds }));
    return verdict.pass ? 0 : 1;
  } catch (e) {
    return fail(e, json);
  }
}

/** Flags of engine mode that `--spikes` mode has no use for (the files are the ensemble). */
const ENGINE_ONLY_FLAGS = ["seeds", "backend"] as const;

/**
 * `--spikes` mode: every flag checked (values, the recordings exist and are distinct, --out
 * and its history) before any recording is read; then the recordings are judged
 * (validation/main.ts) and the verdict stored in `<out>/history.sqlite`.
 */
async function validateFiles(values: ValidateValues): Promise<number> {
  const json = values.json;
  try {
    const engineOnly = ENGINE_ONLY_FLAGS.filter((f) => values[f] !== undefined);
    if (engineOnly.length > 0) {
      throw new UsageError(
        `${engineOnly.map((f) => `--${f}`).join(", ")}: not used with --spikes ` +
          "(the recordings are the ensemble; without --spikes the engine runs one per seed)",
      );
    }
    const options = spikesCliOptions(values);
    const out = outFlag(values.out);
    await checkSpikeInputs(options.paths);
    // --out and its history are checked before any file is read, so a bad folder cannot lose
    // a verdict; a missing folder is only created for the verdict, so bad input writes nothing.
    await checkOutputFolder("out", out, { create: false });
    History.check(`${out}/history.sqlite`);
    const verdict = await validateRecordings(
      options,
      json ? (m) => console.error(m) : (m) => console.log(m),
    );
    await checkBenchOutput({ out, report: false });
    storeVerdict(out, verdict, [], verdict.reference.scale === "full" ? 1 : 0.1);
    if (json) console.log(JSON.stringify(verdict));
    return verdict.pass ? 0 : 1;
  } catch (e) {
    return fail(e, json, isBadInput);
  }
}

if (import.meta.main) {
  Deno.exit(await validateMain(Deno.args));
}

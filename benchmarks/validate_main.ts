/**
 * `deno task validate`: with `--spikes PATH`, validates existing recordings (from any
 * simulator) with validation/main.ts; without it, runs the engine for each requested seed and
 * validates that ensemble. Either way the verdict goes into the results history.
 * Exit codes: 0 pass, 1 fail, 2 bad input.
 */
import { parseCliArgs, parseInteger } from "./cli_args.ts";
import { runCli, validateSpikeSets } from "../validation/main.ts";
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
       deno task validate --spikes PATH [--spikes PATH ...] [--scale 0.1|1]
       deno task validate --model rewiring [...]   (see --model rewiring --help)
       deno task validate --model working_memory [...]   (see --model working_memory --help)

Without --spikes: runs the microcircuit on the engine once per seed (500 ms presimulation,
then --t-sim, default 10000 ms as the NEST reference), stores each run like \`deno task bench\`,
and validates the ensemble against NEST's (rates, CV ISI, correlations; rule in
validation/README.md). With --spikes: validates existing recordings (spikebench, NEST .dat,
NEST GPU layout, CSV).

Flags (engine mode):
  --scale 0.1|1        microcircuit scale and NEST reference ensemble (default 0.1)
  --seeds LIST         comma-separated seeds (default 1,2,3)
  --t-presim MS        discarded transient (default 500)
  --t-sim MS           analysed model time (default 10000)
  --backend webgpu|cpu engine backend (default webgpu)
  --out DIR            results folder with history.sqlite (default results)
  --json               print the verdict as one JSON object on the last stdout line
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

/** The value of `--model` in `args` (either spelling) and the other arguments. */
function modelFlag(args: string[]): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--model") value = args[++i] ?? "";
    else if (args[i].startsWith("--model=")) value = args[i].slice("--model=".length);
    else rest.push(args[i]);
  }
  return { value, rest };
}

/** Runs the validate CLI; returns the exit code. */
export async function validateMain(args: string[]): Promise<number> {
  const model = modelFlag(args);
  const models = ["microcircuit", "working_memory", "rewiring"];
  if (model.value !== undefined && !models.includes(model.value)) {
    console.error(
      `error: --model: got ${JSON.stringify(model.value)}, expected one of ${models.join(", ")}`,
    );
    return 2;
  }
  if (model.value === "rewiring") return await validateRewiringMain(args);
  if (model.value === "working_memory") return await validateWorkingMemoryMain(args);
  if (model.value === "microcircuit") args = model.rest;
  if (args.includes("--spikes")) return await validateFiles(args);
  let options: BenchOptions;
  let seeds: number[];
  let json = false;
  try {
    const { values } = parseCliArgs({
      args,
      options: {
        scale: { type: "string" },
        seeds: { type: "string" },
        "t-presim": { type: "string" },
        "t-sim": { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    json = values.json ?? false;
    const scale = values.scale ?? "0.1";
    if (scale !== "0.1" && scale !== "1") {
      throw new UsageError(
        `--scale: got ${JSON.stringify(scale)}, expected 0.1 or 1 (the NEST reference scales)`,
      );
    }
    seeds = parseSeeds(values.seeds ?? "1,2,3");
    const forward = ["--scale", scale, "--t-sim", values["t-sim"] ?? "10000"];
    if (values["t-presim"] !== undefined) forward.push("--t-presim", values["t-presim"]);
    if (values.backend !== undefined) forward.push("--backend", values.backend);
    if (values.out !== undefined) forward.push("--out", values.out);
    options = parseBenchArgs(forward);
    await checkBenchOutput({ out: options.out, report: false });
  } catch (e) {
    const message = (e as Error).message;
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${message}`);
      return 2;
    }
    return reportRunError(e);
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
    return reportRunError(e);
  }
}

/** Flags of engine mode that `--spikes` mode has no use for (the files are the ensemble). */
const ENGINE_ONLY_FLAGS = ["--seeds", "--backend"];

/** `--spikes` mode: delegates to validation/main.ts and stores the verdict it prints. */
async function validateFiles(args: string[]): Promise<number> {
  const engineOnly = args.filter((a) => ENGINE_ONLY_FLAGS.includes(a.split("=")[0]));
  if (engineOnly.length > 0) {
    console.error(
      `error: ${engineOnly.map((a) => a.split("=")[0]).join(", ")}: not used with --spikes ` +
        "(the recordings are the ensemble; without --spikes the engine runs one per seed)",
    );
    return 2;
  }
  const wantsJson = args.includes("--json");
  const outIndex = args.findIndex((a) => a === "--out" || a.startsWith("--out="));
  const outValue = (i: number) => args[i].startsWith("--out=") ? args[i].slice(6) : args[i + 1];
  const out = outIndex >= 0 ? outValue(outIndex) ?? "" : "results";
  try {
    // Checked before any file is read, so a bad folder cannot lose a verdict.
    await checkBenchOutput({ out, report: false });
  } catch (e) {
    return reportRunError(e);
  }
  const outArgs = outIndex < 0 ? 0 : args[outIndex].startsWith("--out=") ? 1 : 2;
  const forwarded = args.filter((_, i) => i < outIndex || i >= outIndex + outArgs || outIndex < 0);
  let verdict: ValidationVerdict | null = null;
  const code = await runCli(wantsJson ? forwarded : [...forwarded, "--json"], {
    stdout: (line) => {
      if (line.startsWith("{") && line.includes('"spikebench-validation"')) {
        verdict = JSON.parse(line) as ValidationVerdict;
        if (!wantsJson) return;
      }
      // The error object exists for --json; without it the message on stderr says it all.
      if (!wantsJson && line.startsWith("{") && line.includes('"spikebench-validation-error"')) {
        return;
      }
      console.log(line);
    },
    stderr: (line) => console.error(line),
  });
  if (verdict) {
    const v = verdict as ValidationVerdict;
    await Deno.mkdir(out, { recursive: true });
    storeVerdict(out, v, [], v.reference.scale === "full" ? 1 : 0.1);
  }
  return code;
}

if (import.meta.main) {
  Deno.exit(await validateMain(Deno.args));
}

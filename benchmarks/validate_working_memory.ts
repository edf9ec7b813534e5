/**
 * `deno task validate --model working_memory`: runs the working-memory model for each requested
 * regime and seed (default protocol, 7 s as NEST's reference runs), stores each run like
 * `deno task bench`, judges spec tests 6–11 against the NEST-measured bands
 * (validation/working_memory_checks.ts), prints the table and stores the verdict in the history.
 * Exit codes: 0 pass, 1 fail, 2 bad input.
 *
 * @module
 */
import { parseCliArgs, parseInteger } from "./cli_args.ts";
import {
  formatWorkingMemoryVerdict,
  judgeWorkingMemory,
  WORKING_MEMORY_RULE,
} from "../validation/working_memory_checks.ts";
import { loadWorkingMemoryReference, type Regime } from "../validation/working_memory_reference.ts";
import { checkBenchOutput, UsageError, WORKING_MEMORY_T_SIM } from "./bench_options.ts";
import { reportRunError } from "./cli_errors.ts";
import { appendToHistory, History, writeResult } from "./results_store.ts";
import { runWorkingMemory } from "./run_working_memory.ts";

const HELP = `Usage: deno task validate --model working_memory [--regimes A,B,C] [--seeds 1,2,3]
                              [--t-sim MS] [--backend webgpu|cpu] [--out DIR] [--json]

Runs the working-memory model (Tiddia et al. 2022) once per regime and seed with the default
protocol (cue to population 0 at 3000 ms; regime A readout at 4100 ms; offset at 5200 ms),
stores every run like \`deno task bench\`, and judges spec tests 6–11 against the bands measured
in NEST (validation/reference/working_memory). Rule: ${WORKING_MEMORY_RULE}

Flags:
  --regimes LIST       comma-separated subset of A,B,C (default A,B,C)
  --seeds LIST         comma-separated distinct integers in [0, 4294967295] (default 1,2,3)
  --t-sim MS           protocol length, integer in [${WORKING_MEMORY_T_SIM.min}, ${WORKING_MEMORY_T_SIM.max}] (default ${WORKING_MEMORY_T_SIM.default})
  --backend webgpu|cpu engine backend (default webgpu)
  --out DIR            results folder with history.sqlite (default results)
  --json               print the verdict as one JSON object on the last stdout line
Exit status: 0 every judged check passed, 1 a check failed, 2 bad input.`;

interface WmValidateOptions {
  regimes: Regime[];
  seeds: number[];
  tSimMs: number;
  backend: "webgpu" | "cpu";
  out: string;
  json: boolean;
}

function parseList(flag: string, raw: string, parse: (s: string) => boolean, range: string) {
  const items = raw.split(",").map((s) => s.trim());
  if (
    items.length === 0 || items.some((s) => s === "" || !parse(s)) ||
    new Set(items).size !== items.length
  ) {
    throw new UsageError(`--${flag}: got ${JSON.stringify(raw)}, expected ${range}`);
  }
  return items;
}

/** Parses the flags; throws UsageError naming the flag and its allowed range. */
export function parseWorkingMemoryValidateArgs(args: string[]): WmValidateOptions | "help" {
  let values;
  try {
    ({ values } = parseCliArgs({
      args,
      options: {
        model: { type: "string" },
        regimes: { type: "string" },
        seeds: { type: "string" },
        "t-sim": { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${(e as Error).message} (see --help)`);
  }
  if (values.help) return "help";
  const regimes = parseList(
    "regimes",
    values.regimes ?? "A,B,C",
    (s) => ["A", "B", "C"].includes(s),
    "distinct regimes among A, B, C separated by commas",
  ) as Regime[];
  const seeds = parseList(
    "seeds",
    values.seeds ?? "1,2,3",
    (s) => (parseInteger(s) ?? Infinity) <= 0xffffffff,
    "distinct integers in [0, 4294967295] separated by commas",
  ).map(Number);
  const rawT = values["t-sim"];
  const tSimMs = rawT === undefined ? WORKING_MEMORY_T_SIM.default : parseInteger(rawT) ?? NaN;
  if (
    !Number.isInteger(tSimMs) || tSimMs < WORKING_MEMORY_T_SIM.min ||
    tSimMs > WORKING_MEMORY_T_SIM.max
  ) {
    throw new UsageError(
      `--t-sim: got ${
        JSON.stringify(rawT)
      }, expected an integer number of ms in [${WORKING_MEMORY_T_SIM.min}, ${WORKING_MEMORY_T_SIM.max}]`,
    );
  }
  const backend = values.backend ?? "webgpu";
  if (backend !== "webgpu" && backend !== "cpu") {
    throw new UsageError(`--backend: got ${JSON.stringify(backend)}, expected one of webgpu, cpu`);
  }
  const out = values.out ?? "results";
  if (out.trim() === "") throw new UsageError(`--out: got "", expected a folder path`);
  return { regimes, seeds, tSimMs, backend, out, json: values.json as boolean };
}

/** Runs the working-memory validation CLI; returns the exit code. */
export async function validateWorkingMemoryMain(args: string[]): Promise<number> {
  let options: WmValidateOptions | "help";
  try {
    options = parseWorkingMemoryValidateArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options === "help") {
    console.log(HELP);
    return 0;
  }
  try {
    await checkBenchOutput({ out: options.out, report: false });
  } catch (e) {
    return reportRunError(e);
  }
  const say = options.json ? (m: string) => console.error(m) : (m: string) => console.log(m);
  try {
    const ref = await loadWorkingMemoryReference();
    const runs = [];
    const runIds: string[] = [];
    const t0 = performance.now();
    for (const regime of options.regimes) {
      for (const seed of options.seeds) {
        const { result } = await runWorkingMemory({
          regime,
          seed,
          backend: options.backend,
          tSimMs: options.tSimMs,
          log: (m) => console.error(m),
        });
        await writeResult(options.out, result);
        appendToHistory(options.out, result);
        runIds.push(result.id);
        console.error(
          `regime ${regime} seed ${seed}: RTF ${result.rtf.toFixed(2)}, ${result.behaviour}`,
        );
        runs.push({ regime, seed: String(seed), analysis: result.working_memory });
      }
    }
    const verdict = judgeWorkingMemory(runs, ref);
    const wallS = (performance.now() - t0) / 1000;
    const history = new History(`${options.out}/history.sqlite`);
    try {
      history.addValidation({
        id: `${new Date().toISOString().replace(/[-:]/g, "")}_validation_wm_${
          crypto.randomUUID().slice(0, 8)
        }`,
        run_id: runIds.join(","),
        timestamp: new Date().toISOString(),
        model: "working_memory",
        scale: 1,
        passed: verdict.pass,
        verdict,
      });
    } finally {
      history.close();
    }
    say(formatWorkingMemoryVerdict(verdict));
    say(`${runs.length} runs in ${wallS.toFixed(0)} s`);
    if (options.json) console.log(JSON.stringify({ ...verdict, run_ids: runIds, wall_s: wallS }));
    return verdict.pass ? 0 : 1;
  } catch (e) {
    return reportRunError(e);
  }
}

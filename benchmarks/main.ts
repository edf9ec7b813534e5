/**
 * `deno task bench`: runs a model, writes one result file per run and appends it to the
 * history. Exit codes: 0 success, 1 run failure, 2 bad input.
 */
import { writeSpikeFile } from "../validation/spike_io.ts";
import { reportRunError } from "./cli_errors.ts";
import {
  BENCH_HELP,
  type BenchOptions,
  checkBenchOutput,
  parseBenchArgs,
  UsageError,
} from "./bench_options.ts";
import { appendToHistory, HistoryError, writeResult } from "./results_store.ts";
import { runMicrocircuit } from "./run_microcircuit.ts";
import { formatRewiringSummary, runRewiring } from "./run_rewiring.ts";
import { formatWorkingMemorySummary, runWorkingMemory } from "./run_working_memory.ts";
import { formatSummary } from "./summary.ts";
import { buildReport } from "../reports/build_report.ts";
import { median } from "../reports/regression.ts";

/**
 * One line over the runs of `--repeat N` (N > 1): medians and ranges of RTF and construction
 * time, since one run's numbers on a shared machine say little.
 */
export function formatRepeatSummary(runs: { rtf: number; construction_s: number }[]): string {
  const stats = (values: number[]) =>
    `median ${median(values).toFixed(3)} (${Math.min(...values).toFixed(3)}–${
      Math.max(...values).toFixed(3)
    })`;
  return `repeat       ${runs.length} runs: RTF ${stats(runs.map((r) => r.rtf))}, ` +
    `construction ${stats(runs.map((r) => r.construction_s))} s`;
}

/**
 * Builds `<out>/report.html` from `<out>/history.sqlite` (spike files from `out`) and says
 * where it is; returns the exit code (1 when the report failed: the runs are stored anyway).
 */
async function writeReport(out: string, say: (m: string) => void): Promise<number> {
  try {
    const built = await buildReport(`${out}/history.sqlite`, {
      out: `${out}/report.html`,
      spikesDirs: [out],
    });
    say(`report       ${built.path}  (open it in a browser)`);
    return 0;
  } catch (e) {
    console.error(
      `error: the runs are stored, but the report could not be built: ${(e as Error).message}`,
    );
    return 1;
  }
}

/**
 * Appends `result` (already written to `resultPath`) to `<out>/history.sqlite`; when the
 * history cannot take it, says where the result file is so it can be ingested later.
 */
function appendOrExplain(
  out: string,
  result: Parameters<typeof appendToHistory>[1],
  resultPath: string,
) {
  try {
    return appendToHistory(out, result);
  } catch (e) {
    if (e instanceof HistoryError) {
      throw new HistoryError(
        e.path,
        `${e.message}; the run is kept in ${resultPath} (\`deno task ingest\` adds it once the ` +
          "history is fixed)",
      );
    }
    throw e;
  }
}

/** Runs the bench CLI with `args`; returns the exit code. */
export async function benchMain(args: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  // Output folder and history first: a bad --out or a corrupt history is reported before
  // anything is built or run, and nothing is written.
  try {
    await checkBenchOutput(options);
  } catch (e) {
    return reportRunError(e);
  }
  // Human-readable output goes to stderr when stdout carries JSON.
  const say = options.json ? (m: string) => console.error(m) : (m: string) => console.log(m);
  const interactive = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const onProgress = (phase: string, doneMs: number, totalMs: number, wall: number) => {
    if (!interactive) return;
    const rtf = doneMs > 0 ? wall / (doneMs / 1000) : 0;
    const eta = rtf * (totalMs - doneMs) / 1000;
    const line = `\r${phase}: ${doneMs.toFixed(0)}/${totalMs} ms  RTF ${rtf.toFixed(2)}  ETA ${
      eta.toFixed(0)
    } s   `;
    Deno.stderr.writeSync(encoder.encode(doneMs >= totalMs ? line + "\n" : line));
  };
  try {
    const done: { rtf: number; construction_s: number }[] = [];
    const finish = async () => {
      if (done.length > 1) say(formatRepeatSummary(done));
      return options.report ? await writeReport(options.out, say) : 0;
    };
    if (options.model === "working_memory") {
      for (let i = 0; i < options.repeat; i++) {
        const { result } = await runWorkingMemory({
          regime: options.regime,
          seed: options.seed,
          backend: options.backend,
          tSimMs: options.tSimMs,
          repeatIndex: i,
          log: (m) => console.error(m),
          onProgress: (done, total, wall) => onProgress("simulate", done, total, wall),
        });
        const path = await writeResult(options.out, result);
        const historyPath = appendOrExplain(options.out, result, path);
        say(formatWorkingMemorySummary(result, { result: path, history: historyPath }));
        if (options.json) console.log(JSON.stringify(result));
        done.push(result);
      }
      return await finish();
    }
    if (options.model === "rewiring") {
      for (let i = 0; i < options.repeat; i++) {
        const result = await runRewiring(options, { repeatIndex: i, log: (m) => console.error(m) });
        const path = await writeResult(options.out, result);
        const historyPath = appendOrExplain(options.out, result, path);
        say(formatRewiringSummary(result, { result: path, history: historyPath }));
        if (options.json) console.log(JSON.stringify(result));
      }
      return options.report ? await writeReport(options.out, say) : 0;
    }
    for (let i = 0; i < options.repeat; i++) {
      const { result, spikes } = await runMicrocircuit(options, {
        repeatIndex: i,
        onProgress,
        log: (m) => console.error(m),
      });
      const path = await writeResult(options.out, result);
      if (options.saveSpikes && spikes) {
        await writeSpikeFile(`${options.out}/${result.id}.spikes.gz`, spikes, {
          metadata: {
            model: result.model,
            scale: result.scale,
            seed: result.seed,
            run_id: result.id,
            t_presim_ms: result.t_presim_ms,
            t_sim_ms: result.t_sim_ms,
          },
        });
      }
      const historyPath = appendOrExplain(options.out, result, path);
      say(formatSummary(result, { result: path, history: historyPath }));
      if (options.json) console.log(JSON.stringify(result));
      done.push(result);
    }
    return await finish();
  } catch (e) {
    return reportRunError(e);
  }
}

if (import.meta.main) {
  Deno.exit(await benchMain(Deno.args));
}

/**
 * `deno task bench:engine`: engine micro-benchmarks on the default WebGPU adapter (neuron
 * update, synaptic event, dispatch overhead, construction rate); prints the adapter and a
 * table, or with `--json` one JSON document on stdout (the table then goes to stderr).
 * Exit codes: 0 success, 1 failure, 2 bad flags.
 */
import { parseCliArgs, parseInteger } from "./cli_args.ts";
import { acquireGpu } from "../engine/mod.ts";
import { type EngineMicroOptions, type EngineMicroResults, measureEngine } from "./engine_micro.ts";
import { environment, gitCommit } from "./metadata.ts";

const HELP = `Usage: deno task bench:engine [flags]

Measures the engine's parts on the default WebGPU adapter: ns per neuron update (Poisson
drive off and on), ns per delivered synaptic event, dispatch overhead per step, batch round
trip, and construction rate (fixed_total_number). See benchmarks/NOTES.md.

Flags:
  --json            print one JSON document on stdout (the table goes to stderr)
  --quick           small sizes (seconds; for tests and smoke runs)
  --neurons N       neurons of the update benchmark (default 100000)
  --synapses N      synapses of the construction benchmark (default 10000000)
  --repeat N        timed runs per measurement, median reported (default 3)
  -h, --help        this text`;

/** Linux clock ticks per second (USER_HZ) of /proc/stat and /proc/self/stat. */
const CLOCK_TICKS = 100;

/** CPU ticks spent by all processes (busy) and by this one (all threads), or null off Linux. */
function cpuTicks(): { busy: number; self: number } | null {
  try {
    const total = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/)
      .slice(1).map(Number);
    const idle = total[3] + (total[4] ?? 0);
    const busy = total.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
    return { busy, self: fields[11] + fields[12] };
  } catch {
    return null;
  }
}

/** Sizes used by `--quick`. */
export const QUICK: EngineMicroOptions = {
  neurons: 10000,
  updateSteps: 200,
  overheadSteps: 1000,
  eventSources: 200,
  outDegree: 100,
  eventTargets: 10000,
  eventSteps: 20,
  constructionSynapses: 100000,
  repeat: 1,
};

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = parseInteger(value) ?? NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`--${flag}: got ${JSON.stringify(value)}, expected an integer ≥ 1`);
  }
  return n;
}

function formatValue(value: number, unit: string): string {
  if (unit === "synapses/s") return `${(value / 1e6).toFixed(2)} M`;
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** The results as an aligned text table. */
export function formatTable(results: EngineMicroResults): string {
  const rows = results.measurements.map((m) => [
    m.name,
    formatValue(m.value, m.unit),
    m.unit,
    Object.entries(m.detail).map(([k, v]) =>
      `${k}=${typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(3) : v}`
    ).join(" "),
  ]);
  const header = ["measurement", "value", "unit", "detail"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])).join("  ")
      .trimEnd();
  const a = results.adapter;
  const p = results.construction.phases;
  return [
    `adapter: ${a.description || a.device || "(no description)"} (vendor ${a.vendor}, ` +
    `fallback ${a.isFallbackAdapter})`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    `construction phases (s): create ${p.create.toFixed(3)}, connect ${p.connect.toFixed(3)}, ` +
    `prepare ${p.prepare.toFixed(3)}, compile ${p.compile.toFixed(3)}, total ${
      results.construction.totalSeconds.toFixed(3)
    }`,
  ].join("\n");
}

/** Runs the engine micro-benchmark CLI with `args`; returns the exit code. */
export async function engineBenchMain(args: string[]): Promise<number> {
  let options: EngineMicroOptions;
  let json: boolean;
  try {
    const { values } = parseCliArgs({
      args,
      options: {
        json: { type: "boolean", default: false },
        quick: { type: "boolean", default: false },
        neurons: { type: "string" },
        synapses: { type: "string" },
        repeat: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    json = values.json;
    options = { ...(values.quick ? QUICK : {}) };
    const neurons = positiveInteger("neurons", values.neurons);
    const synapses = positiveInteger("synapses", values.synapses);
    const repeat = positiveInteger("repeat", values.repeat);
    if (neurons) options.neurons = neurons;
    if (synapses) options.constructionSynapses = synapses;
    if (repeat) options.repeat = repeat;
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const say = json ? (m: string) => console.error(m) : (m: string) => console.log(m);
  const gpu = await acquireGpu({ log: (m) => console.error(m) });
  try {
    // Other processes distort software-adapter timings: measure the CPU they used meanwhile.
    const before = cpuTicks();
    const t0 = performance.now();
    const results = await measureEngine({ ...options, gpu, log: (m) => console.error(m) });
    const after = cpuTicks();
    const seconds = (performance.now() - t0) / 1000;
    const otherCores = before && after
      ? (after.busy - before.busy - (after.self - before.self)) / CLOCK_TICKS / seconds
      : null;
    const env = environment();
    say(formatTable(results));
    if (otherCores !== null) {
      say(`other processes used ${otherCores.toFixed(2)} of ${env.cores} cores meanwhile`);
      if (otherCores > 0.2) say("warning: the machine was busy; timings are pessimistic");
    }
    if (json) {
      console.log(JSON.stringify({
        kind: "engine_micro",
        timestamp: new Date().toISOString(),
        commit: gitCommit(),
        environment: env,
        other_processes_cores: otherCores,
        ...results,
      }));
    }
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).stack ?? e}`);
    return 1;
  } finally {
    gpu.close();
  }
}

if (import.meta.main) Deno.exit(await engineBenchMain(Deno.args));

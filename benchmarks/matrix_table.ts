/**
 * `deno task bench:table`: runs the microcircuit for drive × recording (Poisson/DC, spikes on
 * and off) at one scale, each in its own process through `deno task bench --json`, stores the
 * runs like the bench does, and prints a short Markdown table next to NEST's timings. This is
 * the one prepared script for a GPU machine (full scale by default); it runs on a CPU adapter
 * too, so it can be tried before device time is spent.
 */
import { loadReferenceSummary } from "../validation/reference.ts";
import { checkBenchOutput, parseBenchArgs } from "./bench_options.ts";
import { parseCliArgs, UsageError } from "./cli_args.ts";
import { reportRunError } from "./cli_errors.ts";
import type { BenchResult } from "./result_record.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

/** One configuration of the table. */
interface Cell {
  drive: "poisson" | "dc";
  record: boolean;
}

const CELLS: Cell[] = [
  { drive: "poisson", record: true },
  { drive: "poisson", record: false },
  { drive: "dc", record: true },
  { drive: "dc", record: false },
];

async function runCell(cell: Cell, args: { scale: string; tSim: string; out: string }) {
  const flags = [
    "--scale",
    args.scale,
    "--t-sim",
    args.tSim,
    "--drive",
    cell.drive,
    cell.record ? "--record" : "--no-record",
    "--out",
    args.out,
    "--json",
    // One table, not one report per cell: `deno task report` builds it from the history.
    "--no-report",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...flags],
    stdout: "piped",
    stderr: "inherit",
  });
  const out = await child.output();
  if (out.code !== 0) throw new Error(`bench ${flags.join(" ")} exited with ${out.code}`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as BenchResult;
}

const f = (x: number, d = 2) => x.toFixed(d);

/** The help text. */
export const MATRIX_TABLE_HELP = `Usage: deno task bench:table [--scale X] [--t-sim MS] [--out DIR]

Runs the microcircuit for drive × recording (Poisson/DC, spikes on/off) at one scale, each in
its own \`deno task bench\` process, stores the runs in DIR/history.sqlite and prints a Markdown
table next to NEST's timings (for scale 1 and 0.1).

Flags (ranges as \`deno task bench\`):
  --scale X     N and K scaling (default 1: the full microcircuit)
  --t-sim MS    measured model time after the 500 ms presimulation (default 1000)
  --out DIR     results folder (default results)
  -h, --help    this text

Exit status: 0 done, 1 a run failed, 2 bad input.`;

/** The checked flags of the table. */
export interface MatrixTableOptions {
  scale: string;
  tSim: string;
  out: string;
}

/**
 * Parses and checks the flags (with the bench's own ranges, so every cell is a valid run);
 * "help" for --help. Throws a UsageError naming the flag otherwise.
 *
 * @param argv the command line
 */
export function parseMatrixTableArgs(argv: string[]): MatrixTableOptions | "help" {
  const { values } = parseCliArgs({
    args: argv,
    allowPositionals: false,
    options: {
      scale: { type: "string", default: "1" },
      "t-sim": { type: "string", default: "1000" },
      out: { type: "string", default: "results" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const options = { scale: values.scale!, tSim: values["t-sim"]!, out: values.out! };
  parseBenchArgs(["--scale", options.scale, "--t-sim", options.tSim, "--out", options.out]);
  return options;
}

/**
 * Runs the table; returns the Markdown it printed.
 *
 * @param options checked flags (see {@linkcode parseMatrixTableArgs})
 */
export async function matrixTable(options: MatrixTableOptions): Promise<string> {
  const values = { scale: options.scale, "t-sim": options.tSim, out: options.out };
  const scale = values.scale;
  const rows: string[] = [
    `| drive | spikes recorded | construction (s) | compile (s) | RTF | synaptic events/s | device MiB | peak RSS MiB | adapter |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---|`,
  ];
  for (const cell of CELLS) {
    const r = await runCell(cell, { scale, tSim: values["t-sim"], out: values.out });
    rows.push(
      `| ${cell.drive} | ${cell.record ? "on" : "off"} | ${f(r.construction_s)} | ${
        f(r.phases.compile)
      } | ` +
        `${f(r.rtf)} | ${r.synaptic_events_per_s.toExponential(2)} | ${
          f(r.gpu_bytes / 2 ** 20, 0)
        } | ` +
        `${f(r.peak_rss_bytes / 2 ** 20, 0)} | ${r.adapter.description} |`,
    );
  }
  const reference = scale === "1" ? "full" : scale === "0.1" ? "small" : null;
  if (reference) {
    const timings = (await loadReferenceSummary(reference)).timings as {
      aggregate: Record<string, { median: number }>;
    };
    const a = timings.aggregate;
    rows.push(
      `| NEST 3.8, 2 threads (poisson) | on | ${f(a.construction_total.median)} | — | ` +
        `${f(a.rtf_simulate.median)} | — | — | ${f(a.peak_rss_MiB.median, 0)} | 2 vCPU |`,
    );
  }
  const table = rows.join("\n");
  console.log(table);
  return table;
}

/** The CLI: returns the exit code. */
export async function matrixTableMain(argv: string[]): Promise<number> {
  let options: MatrixTableOptions | "help";
  try {
    options = parseMatrixTableArgs(argv);
    if (options === "help") {
      console.log(MATRIX_TABLE_HELP);
      return 0;
    }
    await checkBenchOutput({ out: options.out, report: false });
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    return reportRunError(e);
  }
  try {
    await matrixTable(options);
    return 0;
  } catch (e) {
    return reportRunError(e);
  }
}

if (import.meta.main) {
  Deno.exit(await matrixTableMain(Deno.args));
}

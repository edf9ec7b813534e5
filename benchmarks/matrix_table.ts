/**
 * `deno task bench:table`: runs the microcircuit for drive × recording (Poisson/DC, spikes on
 * and off) at one scale, each in its own process through `deno task bench --json`, stores the
 * runs like the bench does, and prints a short Markdown table next to NEST's timings. This is
 * the one prepared script for a GPU machine (full scale by default); it runs on a CPU adapter
 * too, so it can be tried before device time is spent.
 */
import { parseArgs } from "node:util";
import { loadReferenceSummary } from "../validation/reference.ts";
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

/** Runs the table; returns the Markdown it printed. */
export async function matrixTable(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "string", default: "1" },
      "t-sim": { type: "string", default: "1000" },
      out: { type: "string", default: "results" },
    },
  });
  const scale = values.scale!;
  const rows: string[] = [
    `| drive | spikes recorded | construction (s) | compile (s) | RTF | synaptic events/s | device MiB | peak RSS MiB | adapter |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---|`,
  ];
  for (const cell of CELLS) {
    const r = await runCell(cell, { scale, tSim: values["t-sim"]!, out: values.out! });
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

if (import.meta.main) {
  await matrixTable(Deno.args);
}

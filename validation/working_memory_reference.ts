/**
 * The NEST reference of the working-memory model (validation/reference/working_memory/, see its
 * README): per-regime bands and per-run analyses from `summary.json`, the selective-population
 * spike files and the population-mean u/x traces. Every file is checked against SHA256SUMS.
 *
 * @module
 */
import { readVerifiedText, type ReferenceOptions } from "./reference.ts";
import type { GroupSpikes } from "./working_memory_analysis.ts";

/** Regimes of the model. */
export type Regime = "A" | "B" | "C";

/** Statistics of one quantity over NEST's seeds. */
export interface ReferenceStat {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** mean ± max(3·std, 0.15·|mean|). */
  band: [number, number];
  values?: number[];
}

/** One checked quantity of a spec test in `summary.json` → `tests`. */
export interface ReferenceTestEntry {
  quantity: string;
  regime: Regime;
  spec_criterion: string;
  seeds: string[];
  stats: ReferenceStat;
  spec_satisfied_runs: string;
}

/** What the validator uses of `summary.json`. */
export interface WorkingMemoryReference {
  seeds: Record<Regime, string[]>;
  /** Spec test number → its checked quantities (all regimes). */
  tests: Record<string, ReferenceTestEntry[]>;
  /** Regime → quantity → statistics over seeds. */
  stats: Record<Regime, Record<string, ReferenceStat>>;
  /** Regime → seed → the full per-run analysis. */
  per_run: Record<Regime, Record<string, Record<string, unknown>>>;
}

/** Loads `working_memory/summary.json` from the reference folder. */
export async function loadWorkingMemoryReference(
  options: ReferenceOptions = {},
): Promise<WorkingMemoryReference> {
  const raw = JSON.parse(await readVerifiedText("working_memory/summary.json", options));
  for (const key of ["seeds", "tests", "stats", "per_run"]) {
    if (!(key in raw)) throw new Error(`working_memory/summary.json: missing key "${key}"`);
  }
  return raw as WorkingMemoryReference;
}

/** The band of `quantity` in test `test` for `regime`, or null when the reference has none. */
export function referenceBand(
  ref: WorkingMemoryReference,
  where: { test: string; regime: Regime; quantity: string },
): ReferenceStat | null {
  const entry = (ref.tests[where.test] ?? []).find((e) =>
    e.regime === where.regime && e.quantity === where.quantity
  );
  return entry ? entry.stats : null;
}

/**
 * Parses a spike CSV with header `neuron_id,time_ms,population` (the reference's selective
 * spikes; neuron ids 0-based, population k holds ids [k·size, (k+1)·size)). Throws naming the
 * file and line on malformed input.
 */
export function parseSelectiveSpikes(
  text: string,
  options: { file: string; populations: number; size: number },
): GroupSpikes[] {
  const lines = text.split("\n");
  if (lines[0].trim() !== "neuron_id,time_ms,population") {
    throw new Error(`${options.file}:1: expected the header neuron_id,time_ms,population`);
  }
  const times: number[][] = Array.from({ length: options.populations }, () => []);
  const ids: number[][] = Array.from({ length: options.populations }, () => []);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const [a, b, c] = line.split(",");
    const id = Number(a), t = Number(b), pop = Number(c);
    if (
      !Number.isInteger(id) || !Number.isFinite(t) || !Number.isInteger(pop) || pop < 0 ||
      pop >= options.populations || Math.floor(id / options.size) !== pop
    ) {
      throw new Error(`${options.file}:${i + 1}: malformed spike line "${line}"`);
    }
    times[pop].push(t);
    ids[pop].push(id - pop * options.size);
  }
  return times.map((ts, k) => {
    const order = ts.map((_, i) => i).sort((p, q) => ts[p] - ts[q] || ids[k][p] - ids[k][q]);
    return {
      name: `sel${k}`,
      size: options.size,
      timesMs: Float64Array.from(order, (i) => ts[i]),
      ids: Uint32Array.from(order, (i) => ids[k][i]),
    };
  });
}

/** NEST's selective spikes of `regime` and `seed` (only the stored runs). */
export async function loadReferenceSpikes(
  where: { regime: Regime; seed: string },
  options: ReferenceOptions = {},
): Promise<GroupSpikes[]> {
  const file = `working_memory/spikes_selective_${where.regime}_seed${where.seed}.csv.gz`;
  return parseSelectiveSpikes(await readVerifiedText(file, options), {
    file,
    populations: 5,
    size: 800,
  });
}

/** NEST's population-mean u/x trace of populations 0 and 1 every 5 ms (stored runs only). */
export async function loadReferenceUx(
  where: { regime: Regime; seed: string },
  options: ReferenceOptions = {},
): Promise<{ t: number[]; u0: number[]; x0: number[]; u1: number[]; x1: number[] }> {
  const file = `working_memory/ux_${where.regime}_seed${where.seed}.csv`;
  const lines = (await readVerifiedText(file, options)).trim().split("\n");
  const out = {
    t: [] as number[],
    u0: [] as number[],
    x0: [] as number[],
    u1: [] as number[],
    x1: [] as number[],
  };
  for (let i = 1; i < lines.length; i++) {
    const v = lines[i].split(",").map(Number);
    if (v.length !== 5 || v.some((x) => !Number.isFinite(x))) {
      throw new Error(`${file}:${i + 1}: malformed line "${lines[i]}"`);
    }
    out.t.push(v[0]);
    out.u0.push(v[1]);
    out.x0.push(v[2]);
    out.u1.push(v[3]);
    out.x1.push(v[4]);
  }
  return out;
}

/** The reference runs whose spikes and u/x traces are stored in this project. */
export const STORED_REFERENCE_RUNS: readonly { regime: Regime; seed: string; spikes: boolean }[] = [
  { regime: "A", seed: "143202461", spikes: true },
  { regime: "B", seed: "143202461", spikes: true },
  { regime: "C", seed: "143202461", spikes: false },
  { regime: "C", seed: "143202464", spikes: true },
];

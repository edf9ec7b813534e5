/**
 * Everything one report shows, gathered from the history and the files beside it: the runs,
 * the regression judgement, per-configuration trends, validations with their distributions,
 * activity from saved spike files, and the inlined chart libraries. The renderer
 * (render_html.ts) is pure and takes this model.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { History, ValidationRow } from "../benchmarks/results_store.ts";
import type { ValidationVerdict } from "../validation/verdict.ts";
import { readSpikes } from "../validation/spike_io.ts";
import { type Activity, sampleActivity } from "./activity.ts";
import {
  candidateDistributions,
  type DistributionSet,
  referenceDistributions,
  type StoredDistributions,
} from "./distributions.ts";
import {
  configurationLabel,
  groupByConfiguration,
  judgeAllSessions,
  judgeHistory,
  type RegressionOptions,
  type RegressionReport,
  type SessionVerdict,
  validatedRunIds,
} from "./regression.ts";
import { loadVendorScripts, type VendorScript } from "./vendor_scripts.ts";
import { collectWorkingMemory, type WorkingMemoryReport } from "./working_memory_section.ts";
import { collectRewiring, type RewiringReport } from "./rewiring_section.ts";

/** One configuration's runs over time and the rule applied to each of its sessions. */
export interface Trend {
  /** Configuration key. */
  key: string;
  /** Configuration in words. */
  label: string;
  /** Runs shown, oldest first. */
  runs: BenchResult[];
  /** Every session containing a shown run, judged against the runs before it. */
  sessions: SessionVerdict[];
}

/** A stored validation with what the report needs to draw it. */
export interface ValidationEntry {
  /** The history row. */
  row: ValidationRow;
  /** The validated run, when it is in the history. */
  run: BenchResult | null;
  /** Configuration in words. */
  label: string;
  /** The verdict, when it has the ValidationVerdict shape. */
  verdict: ValidationVerdict | null;
  /** Our distributions (pooled candidate runs), when stored or computable. */
  candidate: DistributionSet | null;
  /** NEST's distributions for the verdict's reference scale. */
  nest: DistributionSet | null;
  /** Where `candidate` came from, or why it is missing. */
  distributionsNote: string;
}

/** Activity of one run read from its spike file. */
export interface ActivityEntry {
  /** The run. */
  run: BenchResult;
  /** Configuration in words. */
  label: string;
  /** The spike file read. */
  path: string;
  /** Raster and rate traces. */
  activity: Activity;
}

/** The whole report. */
export interface ReportModel {
  /** Page title. */
  title: string;
  /** When the report was built (ISO). */
  generatedAt: string;
  /** The history file read. */
  historyPath: string;
  /** Only runs at or after this time are shown (ISO), or null for all. */
  since: string | null;
  /** Runs shown, oldest first. */
  runs: BenchResult[];
  /** The regression rule applied to the newest sessions. */
  regression: RegressionReport;
  /** One per configuration with shown runs. */
  trends: Trend[];
  /** Validations shown: the newest per configuration first, then older ones. */
  validations: ValidationEntry[];
  /** Validations shown in full (with violins); the rest are listed. */
  validationsInFull: number;
  /** Activity of the newest run with a spike file, per model, scale and drive. */
  activity: ActivityEntry[];
  /** Working-memory runs and verdict, or null when the history has none. */
  workingMemory: WorkingMemoryReport | null;
  /** Rewiring verdicts and bench runs, or null when the history has none. */
  rewiring: RewiringReport | null;
  /** Things the report could not show, and why. */
  warnings: string[];
  /** Chart libraries to inline. */
  vendor: VendorScript[];
}

/** Options of {@linkcode collectReport}. */
export interface CollectOptions {
  /** Show only runs at or after this ISO time. */
  since?: string;
  /** Folders searched (with subfolders, 3 levels) for `<run id>.spikes.gz` (default: the history's folder). */
  spikesDirs?: string[];
  /** Page title (default "spikebench report"). */
  title?: string;
  /** Constants of the regression rule. */
  regression?: RegressionOptions;
  /** The build time (default now); tests fix it. */
  now?: Date;
}

function isVerdict(value: unknown): value is ValidationVerdict {
  const v = value as Partial<ValidationVerdict> | null;
  return !!v && v.kind === "spikebench-validation" && Array.isArray(v.cells) &&
    Array.isArray(v.meanRates) && typeof v.reference === "object" && v.reference !== null;
}

function storedDistributions(value: unknown): StoredDistributions | null {
  const d = (value as { distributions?: StoredDistributions } | null)?.distributions;
  return d && d.kind === "spikebench-distribution-summary" && d.version === 1 ? d : null;
}

/** Spike files (`*.spikes.gz`, `*.spikes`) under some folders, by file name. */
type SpikeIndex = Map<string, string>;

/**
 * Indexes the spike files in `dirs` and their subfolders (3 levels: a SLURM shared folder is
 * `<shared>/<job>/cell_<i>/`); the first folder listed wins for a name found twice.
 */
async function indexSpikeFiles(dirs: string[]): Promise<SpikeIndex> {
  const index: SpikeIndex = new Map();
  const walk = async (dir: string, depth: number) => {
    let entries: Deno.DirEntry[] = [];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return; // missing or unreadable: nothing to index
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isFile && /\.spikes(\.gz)?$/.test(e.name) && !index.has(e.name)) {
        index.set(e.name, path);
      } else if (e.isDirectory && depth < 3) await walk(path, depth + 1);
    }
  };
  for (const dir of dirs) await walk(dir.replace(/\/+$/, "") || "/", 0);
  return index;
}

function findSpikeFile(runId: string, index: SpikeIndex): string | null {
  return index.get(`${runId}.spikes.gz`) ?? index.get(`${runId}.spikes`) ?? null;
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

async function validationEntry(
  row: ValidationRow,
  run: BenchResult | null,
  spikes: { dirs: string[]; index: SpikeIndex },
  warnings: string[],
): Promise<ValidationEntry> {
  const verdict = isVerdict(row.verdict) ? row.verdict : null;
  const label = run ? configurationLabel(run) : `${row.model} · scale ${row.scale}`;
  const entry: ValidationEntry = {
    row,
    run,
    label,
    verdict,
    candidate: null,
    nest: null,
    distributionsNote: "",
  };
  if (!verdict) {
    entry.distributionsNote = "the stored verdict is not a spikebench-validation verdict";
    return entry;
  }
  try {
    entry.nest = await referenceDistributions(verdict.reference.scale);
  } catch (error) {
    warnings.push(`NEST reference "${verdict.reference.scale}": ${(error as Error).message}`);
  }
  const stored = storedDistributions(row.verdict);
  if (stored) {
    entry.candidate = stored.candidate;
    entry.distributionsNote = "distributions stored with the verdict";
    return entry;
  }
  const ids = validatedRunIds(row);
  const paths: string[] = [];
  for (const id of ids) {
    const path = findSpikeFile(id, spikes.index);
    if (path) paths.push(path);
  }
  if (ids.length === 0 || paths.length < ids.length) {
    entry.distributionsNote = "no distributions stored with the verdict and no spike file " +
      `${ids.length ? ids.map((id) => `${id}.spikes.gz`).join(", ") : "(no run id)"} found in ` +
      `${spikes.dirs.join(", ")}; violins not drawn`;
    return entry;
  }
  try {
    const runs = [];
    for (const path of paths) runs.push((await readSpikes(path)).populations);
    entry.candidate = candidateDistributions(runs, verdict.window).candidate;
    entry.distributionsNote = `distributions computed from ${paths.join(", ")}`;
  } catch (error) {
    entry.distributionsNote = `${paths.join(", ")}: ${(error as Error).message}`;
    warnings.push(entry.distributionsNote);
  }
  return entry;
}

/**
 * Reads what the report shows from `history` (and spike files beside it).
 *
 * @param history an open history
 * @param options since, spike folders, title, rule constants
 */
export async function collectReport(
  history: History,
  options: CollectOptions = {},
): Promise<ReportModel> {
  const since = options.since ?? null;
  const allRuns = history.runs();
  const allValidations = history.validations();
  const runs = since ? allRuns.filter((r) => r.timestamp >= since) : allRuns;
  const spikesDirs = options.spikesDirs ?? [dirname(history.path)];
  const spikes = { dirs: spikesDirs, index: await indexSpikeFiles(spikesDirs) };
  const warnings: string[] = [];
  const regression = judgeHistory(allRuns, allValidations, {
    ...options.regression,
    since: since ?? undefined,
  });

  const shownIds = new Set(runs.map((r) => r.id));
  const trends: Trend[] = [];
  for (const [key, group] of groupByConfiguration(allRuns)) {
    const shown = group.filter((r) => shownIds.has(r.id));
    if (shown.length === 0) continue;
    const sessions = judgeAllSessions(group, options.regression).filter((s) =>
      s.candidateRunIds.some((id) => shownIds.has(id))
    );
    trends.push({ key, label: configurationLabel(shown[shown.length - 1]), runs: shown, sessions });
  }

  const runById = new Map(allRuns.map((r) => [r.id, r]));
  // Working-memory and rewiring verdicts have their own sections (reports/working_memory_section.ts,
  // reports/rewiring_section.ts).
  const validationRows = allValidations.filter((v) =>
    (!since || v.timestamp >= since) && v.model !== "working_memory" && v.model !== "rewiring"
  );
  const shownValidationIds = new Set(validationRows.map((v) => v.id));
  const newestIds = new Set(
    regression.validations.map((v) => v.validationId).filter((id) => shownValidationIds.has(id)),
  );
  const ordered = [
    ...validationRows.filter((v) => newestIds.has(v.id)).reverse(),
    ...validationRows.filter((v) => !newestIds.has(v.id)).reverse(),
  ];
  const validations: ValidationEntry[] = [];
  for (const [i, row] of ordered.entries()) {
    const run = validatedRunIds(row).map((id) => runById.get(id)).find((r) => r) ?? null;
    if (i < newestIds.size) {
      validations.push(await validationEntry(row, run, spikes, warnings));
    } else {
      const label = run ? configurationLabel(run) : `${row.model} · scale ${row.scale}`;
      const verdict = isVerdict(row.verdict) ? row.verdict : null;
      validations.push({
        row,
        run,
        label,
        verdict,
        candidate: null,
        nest: null,
        distributionsNote: "older verdict (listed only)",
      });
    }
  }

  const activity: ActivityEntry[] = [];
  const newestByShape = new Map<string, BenchResult[]>();
  for (const run of runs.toReversed()) {
    const shape = JSON.stringify([run.model, run.scale, run.k_scale, run.drive]);
    const list = newestByShape.get(shape) ?? [];
    list.push(run);
    newestByShape.set(shape, list);
  }
  for (const candidates of newestByShape.values()) {
    for (const run of candidates) {
      const path = findSpikeFile(run.id, spikes.index);
      if (!path) continue;
      try {
        const recording = await readSpikes(path);
        activity.push({
          run,
          label: configurationLabel(run),
          path,
          activity: sampleActivity(recording.populations, {
            tStartMs: run.t_presim_ms,
            windowMs: Math.min(run.t_sim_ms, 500),
            binMs: Math.max(1, Math.min(run.t_sim_ms, 500) / 50),
          }),
        });
      } catch (error) {
        warnings.push(`activity of ${run.id}: ${path}: ${(error as Error).message}`);
      }
      break;
    }
  }
  if (activity.length === 0 && runs.length > 0) {
    warnings.push(
      `no spike file (<run id>.spikes.gz) found in ${spikesDirs.join(", ")}; run the bench ` +
        "with --save-spikes to see rasters",
    );
  }

  return {
    title: options.title ?? "spikebench report",
    generatedAt: (options.now ?? new Date()).toISOString(),
    historyPath: history.path,
    since,
    runs,
    regression,
    trends,
    validations,
    validationsInFull: newestIds.size,
    activity,
    workingMemory: await collectWorkingMemory(
      runs,
      allValidations.filter((v) => !since || v.timestamp >= since),
    ),
    rewiring: collectRewiring(runs, allValidations.filter((v) => !since || v.timestamp >= since)),
    warnings,
    vendor: await loadVendorScripts(),
  };
}

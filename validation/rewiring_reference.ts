/**
 * The structural-plasticity reference tables of `validation/reference/structural_plasticity/`
 * (gmtiddia/structural_plasticity, `simulations/<set>/`; see the README there and
 * `docs/specs/rewiring.md` §5): parsers for `<set>__values.csv` (simulation means and
 * seed-to-seed standard deviations over 10 seeds) and `<set>__th_values.csv` (the authors'
 * theory), checksum-verified loaders, and the parameters of every set.
 *
 * @module
 */

import type { RewiringParams } from "./rewiring_theory.ts";
import { readVerifiedFile, type ReferenceOptions } from "./reference.ts";

/** The reference sets (folder names of the authors' `simulations/`). */
export type RewiringReferenceSet =
  | "no_noise_simulations"
  | "noise_1Hz_simulations"
  | "noise_1Hz_simulations_saturation"
  | "noise_2Hz_simulations"
  | "noise_5Hz_simulations"
  | "discr_rate_simulations"
  | "simulation_no_rewiring_continuo"
  | "variable_rewiring";

/** What a reference set simulated. */
export interface RewiringReferenceSetInfo {
  /** Theory parameters that differ between sets (all sets: spec §1.2 defaults otherwise). */
  params: Pick<RewiringParams, "rates" | "rewiringPeriod" | "noiseSigma">;
  /**
   * Test-time handling of negative noisy rates (`corr_neg_rate`): "keep" (0) or "saturate"
   * (2, set to 0). The theory models "keep" only.
   */
  negativeRates: "keep" | "saturate";
  /** Whether `<set>__th_values.csv` exists. */
  hasTheoryTable: boolean;
  /**
   * T of every row for the set whose rows are keyed by the rewiring period r instead of T
   * (variable_rewiring; its `__values.csv` has no T column).
   */
  trainingPatterns?: number;
  /** One line for reports. */
  description: string;
}

/** Every reference set and its parameters (read from the sets' `params.dat`). */
export const REWIRING_REFERENCE_SETS: Readonly<
  Record<RewiringReferenceSet, Readonly<RewiringReferenceSetInfo>>
> = Object.freeze({
  no_noise_simulations: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 0 },
    negativeRates: "keep",
    hasTheoryTable: true,
    description: "lognormal rates, rewiring r = 100, no test noise",
  },
  noise_1Hz_simulations: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 1 },
    negativeRates: "keep",
    hasTheoryTable: true,
    description: "lognormal rates, rewiring r = 100, test noise σ_n = 1 Hz",
  },
  noise_1Hz_simulations_saturation: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 1 },
    negativeRates: "saturate",
    hasTheoryTable: true,
    description: "as noise_1Hz_simulations, negative noisy rates set to 0 (not in the theory)",
  },
  noise_2Hz_simulations: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 2 },
    negativeRates: "keep",
    hasTheoryTable: true,
    description: "lognormal rates, rewiring r = 100, test noise σ_n = 2 Hz",
  },
  noise_5Hz_simulations: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 5 },
    negativeRates: "keep",
    hasTheoryTable: true,
    description: "lognormal rates, rewiring r = 100, test noise σ_n = 5 Hz",
  },
  discr_rate_simulations: {
    params: { rates: "discrete", rewiringPeriod: 100, noiseSigma: 1 },
    negativeRates: "keep",
    hasTheoryTable: true,
    description: "discrete rates, rewiring r = 100, test noise σ_n = 1 Hz",
  },
  simulation_no_rewiring_continuo: {
    params: { rates: "lognormal", rewiringPeriod: 0, noiseSigma: 0 },
    negativeRates: "keep",
    hasTheoryTable: false,
    description: "lognormal rates, no rewiring, no test noise",
  },
  variable_rewiring: {
    params: { rates: "lognormal", rewiringPeriod: 100, noiseSigma: 1 },
    negativeRates: "keep",
    hasTheoryTable: true,
    trainingPatterns: 10_000,
    description: "T = 10 000, test noise σ_n = 1 Hz, rewiring period r per row (0 = none)",
  },
});

/** One row of a `<set>__th_values.csv` table (the authors' theory). */
export interface RewiringTheoryRow {
  /** 1-based line number in the file. */
  line: number;
  /** T: number of training patterns. */
  trainingPatterns: number;
  /** r: rewiring period (from the r column, else the set's). */
  rewiringPeriod: number;
  /** ⟨S_b⟩ (pA·Hz), column Sb_th. */
  backgroundMean: number;
  /** σ_b² ((pA·Hz)²), column varSb_th. */
  backgroundVariance: number;
  /** ⟨S_c⟩ (pA·Hz), column Sc_th. */
  codingMean: number;
}

/** One row of a `<set>__values.csv` table: means over 10 seeds and their std over seeds. */
export interface RewiringSimulationRow {
  /** 1-based line number in the file. */
  line: number;
  /** T: number of training patterns (from the T column, else the set's). */
  trainingPatterns: number;
  /** r: rewiring period (from the r column, else the set's). */
  rewiringPeriod: number;
  /** ⟨S_b⟩ (pA·Hz), column Sb_av. */
  backgroundMean: number;
  /** Std over seeds of ⟨S_b⟩, column Sb_std. */
  backgroundMeanStd: number;
  /** σ_b² ((pA·Hz)²), column varSb_av. */
  backgroundVariance: number;
  /** Std over seeds of σ_b², column varSb_std. */
  backgroundVarianceStd: number;
  /** ⟨S_c⟩ (pA·Hz), column Sc_av. */
  codingMean: number;
  /** Std over seeds of ⟨S_c⟩, column Sc_std. */
  codingMeanStd: number;
  /** Mean over seeds of the per-seed SDNR (column SDNR_av), null where the table has none. */
  sdnr: number | null;
  /** Std over seeds of the SDNR (column SDNR_std), null where the table has none. */
  sdnrStd: number | null;
}

/** Malformed reference table; the message starts with `<file>:<line>:`. */
export class RewiringTableError extends Error {
  /** The file. */
  readonly file: string;
  /** 1-based line number (0: the file as a whole). */
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file}${line > 0 ? `:${line}` : ""}: ${message}`);
    this.name = "RewiringTableError";
    this.file = file;
    this.line = line;
  }
}

/** Options of the parsers. */
export interface RewiringTableOptions {
  /** Name of the file, for error messages. Default "<input>". */
  file?: string;
  /** T of every row when the table has no T column. */
  trainingPatterns?: number;
  /** r of every row when the table has no r column. */
  rewiringPeriod?: number;
}

interface CsvRow {
  line: number;
  get(column: string): number;
  has(column: string): boolean;
}

function parseCsv(
  text: string,
  file: string,
  columns: { required: string[]; optional: string[] },
): CsvRow[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const headerIndex = lines.findIndex((l) => l.trim().length > 0);
  if (headerIndex < 0) throw new RewiringTableError(file, 0, "empty file, expected a CSV header");
  const headerLine = headerIndex + 1;
  const header = lines[headerIndex].split(",").map((h) => h.trim());
  const allowed = [...columns.required, ...columns.optional];
  for (const [i, name] of header.entries()) {
    if (!allowed.includes(name)) {
      throw new RewiringTableError(
        file,
        headerLine,
        `unexpected column "${name}"; expected the columns ${allowed.join(", ")}`,
      );
    }
    if (header.indexOf(name) !== i) {
      throw new RewiringTableError(file, headerLine, `column "${name}" appears twice`);
    }
  }
  for (const name of columns.required) {
    if (!header.includes(name)) {
      throw new RewiringTableError(
        file,
        headerLine,
        `missing column "${name}" (header: ${header.join(",")})`,
      );
    }
  }
  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim().length === 0) continue;
    const line = i + 1;
    const fields = lines[i].split(",");
    if (fields.length !== header.length) {
      throw new RewiringTableError(
        file,
        line,
        `expected ${header.length} fields (${header.join(",")}), got ${fields.length}`,
      );
    }
    const values = new Map<string, number>();
    fields.forEach((raw, k) => {
      const field = raw.trim();
      const value = field.length === 0 ? NaN : Number(field);
      if (!Number.isFinite(value)) {
        throw new RewiringTableError(
          file,
          line,
          `column "${header[k]}" is "${field}", expected a finite number`,
        );
      }
      values.set(header[k], value);
    });
    rows.push({
      line,
      get: (column) => values.get(column) as number,
      has: (column) => values.has(column),
    });
  }
  if (rows.length === 0) throw new RewiringTableError(file, 0, "no data rows after the header");
  return rows;
}

function requireNonNegative(row: CsvRow, column: string, file: string): number {
  const value = row.get(column);
  if (value < 0) {
    throw new RewiringTableError(file, row.line, `column "${column}" is ${value}, expected ≥ 0`);
  }
  return value;
}

function integerColumn(
  row: CsvRow,
  column: "T" | "r",
  file: string,
  fallback: number | undefined,
): number {
  const min = column === "T" ? 1 : 0;
  if (!row.has(column)) {
    if (fallback === undefined) {
      const option = column === "T" ? "trainingPatterns" : "rewiringPeriod";
      throw new RewiringTableError(file, 0, `no ${column} column and no ${option} option given`);
    }
    return fallback;
  }
  const value = row.get(column);
  if (!Number.isInteger(value) || value < min) {
    throw new RewiringTableError(
      file,
      row.line,
      `column "${column}" is ${value}, expected an integer ≥ ${min}`,
    );
  }
  return value;
}

/**
 * Parses a `<set>__th_values.csv` table: header `T,Sb_th,varSb_th,Sc_th`, optionally with an
 * `r` column. Throws a {@linkcode RewiringTableError} naming the file and line of malformed
 * input.
 *
 * @param text the file's content
 * @param options file name for messages; T and r of rows that lack those columns
 */
export function parseRewiringTheoryTable(
  text: string,
  options: RewiringTableOptions = {},
): RewiringTheoryRow[] {
  const file = options.file ?? "<input>";
  const rows = parseCsv(text, file, {
    required: ["Sb_th", "varSb_th", "Sc_th"],
    optional: ["T", "r"],
  });
  return rows.map((row) => ({
    line: row.line,
    trainingPatterns: integerColumn(row, "T", file, options.trainingPatterns),
    rewiringPeriod: integerColumn(row, "r", file, options.rewiringPeriod),
    backgroundMean: row.get("Sb_th"),
    backgroundVariance: requireNonNegative(row, "varSb_th", file),
    codingMean: row.get("Sc_th"),
  }));
}

/**
 * Parses a `<set>__values.csv` table: header `T,Sb_av,Sb_std,varSb_av,varSb_std,Sc_av,Sc_std`,
 * optionally keyed by `r` instead of (or besides) `T` and with `SDNR_av,SDNR_std`. Throws a
 * {@linkcode RewiringTableError} naming the file and line of malformed input.
 *
 * @param text the file's content
 * @param options file name for messages; T and r of rows that lack those columns
 */
export function parseRewiringSimulationTable(
  text: string,
  options: RewiringTableOptions = {},
): RewiringSimulationRow[] {
  const file = options.file ?? "<input>";
  const rows = parseCsv(text, file, {
    required: ["Sb_av", "Sb_std", "varSb_av", "varSb_std", "Sc_av", "Sc_std"],
    optional: ["T", "r", "SDNR_av", "SDNR_std"],
  });
  if (rows[0].has("SDNR_av") !== rows[0].has("SDNR_std")) {
    throw new RewiringTableError(file, 0, "columns SDNR_av and SDNR_std must come together");
  }
  return rows.map((row) => {
    return {
      line: row.line,
      trainingPatterns: integerColumn(row, "T", file, options.trainingPatterns),
      rewiringPeriod: integerColumn(row, "r", file, options.rewiringPeriod),
      backgroundMean: row.get("Sb_av"),
      backgroundMeanStd: requireNonNegative(row, "Sb_std", file),
      backgroundVariance: requireNonNegative(row, "varSb_av", file),
      backgroundVarianceStd: requireNonNegative(row, "varSb_std", file),
      codingMean: row.get("Sc_av"),
      codingMeanStd: requireNonNegative(row, "Sc_std", file),
      sdnr: row.has("SDNR_av") ? row.get("SDNR_av") : null,
      sdnrStd: row.has("SDNR_std") ? requireNonNegative(row, "SDNR_std", file) : null,
    };
  });
}

function setInfo(set: RewiringReferenceSet): Readonly<RewiringReferenceSetInfo> {
  const info = REWIRING_REFERENCE_SETS[set];
  if (!info) {
    const known = Object.keys(REWIRING_REFERENCE_SETS).join(", ");
    throw new RangeError(`unknown structural-plasticity reference set "${set}" (known: ${known})`);
  }
  return info;
}

async function readTable(relativePath: string, options: ReferenceOptions): Promise<string> {
  return new TextDecoder().decode(await readVerifiedFile(relativePath, options));
}

/**
 * Loads the authors' theory table `<set>__th_values.csv` (checksum verified).
 *
 * @param set a reference set with a theory table
 * @param options the reference directory
 */
export async function loadRewiringTheoryTable(
  set: RewiringReferenceSet,
  options: ReferenceOptions = {},
): Promise<RewiringTheoryRow[]> {
  const info = setInfo(set);
  if (!info.hasTheoryTable) {
    throw new RangeError(`reference set "${set}" has no theory table (no __th_values.csv)`);
  }
  const file = `structural_plasticity/${set}__th_values.csv`;
  return parseRewiringTheoryTable(await readTable(file, options), {
    file,
    trainingPatterns: info.trainingPatterns,
    rewiringPeriod: info.params.rewiringPeriod,
  });
}

/**
 * Loads the simulation table `<set>__values.csv` (checksum verified).
 *
 * @param set a reference set
 * @param options the reference directory
 */
export async function loadRewiringSimulationTable(
  set: RewiringReferenceSet,
  options: ReferenceOptions = {},
): Promise<RewiringSimulationRow[]> {
  const info = setInfo(set);
  const file = `structural_plasticity/${set}__values.csv`;
  return parseRewiringSimulationTable(await readTable(file, options), {
    file,
    trainingPatterns: info.trainingPatterns,
    rewiringPeriod: info.params.rewiringPeriod,
  });
}

/**
 * SDNR derived from a row's means, |⟨S_c⟩ − ⟨S_b⟩| / √σ_b² (spec §5, last column).
 *
 * @param row a simulation or theory row
 */
export function sdnrFromMeans(
  row: Pick<RewiringSimulationRow, "backgroundMean" | "codingMean" | "backgroundVariance">,
): number {
  return Math.abs(row.codingMean - row.backgroundMean) / Math.sqrt(row.backgroundVariance);
}

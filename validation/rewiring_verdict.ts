/**
 * The verdict of a T-scan of the structural-plasticity (rewiring) model against the mean-field
 * theory (rewiring_theory.ts) and, where the configuration matches, the authors' published
 * simulations (rewiring_reference.ts): simulated SDNR per (T, r) as mean ± std over seeds, the
 * memory capacity (SDNR crossing of SDNR_thr, linearly interpolated) from theory and from the
 * simulated points, and the pass/fail rule of `docs/specs/rewiring.md` "How to validate"
 * items 7, 8, 10 (full size) and 11, 12 (CI size). Pure: no I/O; `deno task validate --model
 * rewiring` (benchmarks/validate_rewiring.ts) runs the scan and stores this verdict.
 *
 * The rule (also in validation/README.md):
 * 1. every (T, r): |⟨SDNR⟩_seeds − SDNR_ref| ≤ tol·SDNR_ref, SDNR_ref = the published value
 *    where the configuration matches a published set, else the theory; tol = 5 % at CI size
 *    (item 11), 2 % at full size (items 7, 8);
 * 2. every (T, r): |⟨S_b⟩ − S_b,ref| ≤ tol_b·S_b,ref (1 % at CI size, item 12; 0.2 % full, item 7);
 * 3. with r > 0 and r = 0 both scanned: SDNR(r) > SDNR(0) at every T for every seed (item 11);
 * 4. the mean SDNR falls strictly with T for every r (item 12);
 * 5. where both bracket the crossing: the simulated capacity is within tol_c of the theory's
 *    capacity interpolated on the same T grid (10 % at CI size, 5 % at full size; item 10 allows
 *    ±1500 of 31 900). Unbracketed: not judged, with a warning.
 *
 * @module
 */

import { ParameterError } from "../engine/errors.ts";
import {
  REWIRING_REFERENCE_SETS,
  type RewiringReferenceSet,
  type RewiringSimulationRow,
  sdnrFromMeans,
} from "./rewiring_reference.ts";
import {
  capacityFromScan,
  DEFAULT_PROBABILITY_CORRECT,
  DEFAULT_REWIRING_PARAMS,
  memoryCapacity,
  type RewiringParams,
  rewiringTheory,
  sdnrThreshold,
} from "./rewiring_theory.ts";

/** The scan size: spec §6 (CI) or spec §1.2 without noise (full). */
export type RewiringScanSize = "ci" | "full";

/** One seed's test statistics at one (T, r). */
export interface RewiringSeedPoint {
  /** The seed. */
  seed: number;
  /** |⟨S_c⟩ − ⟨S_b⟩| / σ_b. */
  sdnr: number;
  /** ⟨S_b⟩ (pA·Hz). */
  backgroundMean: number;
  /** ⟨S_c⟩ (pA·Hz). */
  codingMean: number;
  /** σ_b² ((pA·Hz)²). */
  backgroundVariance: number;
}

/** What a scan measured at one (T, r): one entry per seed. */
export interface RewiringScanMeasurement {
  /** T. */
  trainingPatterns: number;
  /** r (0 = no rewiring). */
  rewiringPeriod: number;
  /** One per seed. */
  seeds: RewiringSeedPoint[];
}

/** A published simulation value (mean over the authors' 10 seeds) at one (T, r). */
export interface PublishedRewiringPoint {
  /** T. */
  trainingPatterns: number;
  /** r. */
  rewiringPeriod: number;
  /** The reference set (file stem in validation/reference/structural_plasticity/). */
  set: string;
  /** The published SDNR (SDNR_av, or derived from the means). */
  sdnr: number;
  /** Its std over the authors' seeds, when published. */
  sdnrStd: number | null;
  /** The published ⟨S_b⟩. */
  backgroundMean: number;
}

/** The population sizes of every published set (spec §1.2). */
const PUBLISHED_POPULATION_SIZE = 100_000;

/**
 * The published points whose configuration equals `params`: spec §1.2 defaults (N1 = N2 =
 * 100 000, C = 5000, α = 10⁻³, …) with the set's rate distribution, r and σ_n and handling of
 * negative noisy rates. Rows keyed by r (variable_rewiring) match at the set's T.
 *
 * @param params the scan's model parameters (r is matched per row)
 * @param tables the loaded `__values.csv` tables
 */
export function matchPublishedPoints(
  params: RewiringParams & {
    populationSize1: number;
    populationSize2: number;
    negativeRates: string;
  },
  tables: readonly { set: RewiringReferenceSet; rows: readonly RewiringSimulationRow[] }[],
): PublishedRewiringPoint[] {
  if (
    params.populationSize1 !== PUBLISHED_POPULATION_SIZE ||
    params.populationSize2 !== PUBLISHED_POPULATION_SIZE
  ) return [];
  const out: PublishedRewiringPoint[] = [];
  for (const { set, rows } of tables) {
    const info = REWIRING_REFERENCE_SETS[set];
    const same = (Object.keys(DEFAULT_REWIRING_PARAMS) as (keyof RewiringParams)[]).every((k) =>
      k === "rewiringPeriod" ||
      params[k] === (k in info.params
          ? info.params[k as keyof typeof info.params]
          : DEFAULT_REWIRING_PARAMS[k])
    ) && params.negativeRates === info.negativeRates;
    if (!same) {
      continue;
    }
    for (const row of rows) {
      out.push({
        trainingPatterns: row.trainingPatterns,
        rewiringPeriod: row.rewiringPeriod,
        set,
        sdnr: row.sdnr ?? sdnrFromMeans(row),
        sdnrStd: row.sdnrStd,
        backgroundMean: row.backgroundMean,
      });
    }
  }
  return out;
}

/** Mean and sample standard deviation over seeds (std 0 for one seed). */
export interface SeedSummary {
  /** The per-seed values, in seed order. */
  values: number[];
  /** Mean. */
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  std: number;
  /** std/√n; null for one value. */
  stderr: number | null;
}

/** The verdict at one (T, r). */
export interface RewiringPointVerdict {
  /** T. */
  trainingPatterns: number;
  /** r. */
  rewiringPeriod: number;
  /** The seeds, in order. */
  seeds: number[];
  /** Simulated SDNR over seeds. */
  sdnr: SeedSummary;
  /** Simulated ⟨S_b⟩ over seeds. */
  backgroundMean: SeedSummary;
  /** Simulated ⟨S_c⟩ over seeds. */
  codingMean: SeedSummary;
  /** Simulated σ_b² over seeds. */
  backgroundVariance: SeedSummary;
  /** The mean-field theory at (T, r). */
  theory: { sdnr: number; backgroundMean: number; codingMean: number; backgroundVariance: number };
  /** The published simulation at (T, r), when the configuration matches one. */
  published: PublishedRewiringPoint | null;
  /** What the SDNR and ⟨S_b⟩ are judged against. */
  reference: "theory" | "published";
  /** (mean SDNR − reference) / reference. */
  sdnrDeviation: number;
  /** (mean SDNR − theory) / stderr (information only; null for one seed). */
  zTheory: number | null;
  /** (mean ⟨S_b⟩ − reference) / reference. */
  backgroundDeviation: number;
  /** Rules 1 and 2 hold here. */
  pass: boolean;
}

/** The memory capacity of one rewiring period. */
export interface RewiringCapacityVerdict {
  /** r. */
  rewiringPeriod: number;
  /** The theory's exact crossing (real T). */
  theory: number;
  /** The theory's crossing interpolated on the scan's T grid (null: not bracketed). */
  theoryOnGrid: number | null;
  /** The crossing of the mean simulated SDNR, interpolated (null: not bracketed). */
  simulated: number | null;
  /** The crossing of each seed's SDNR (null where not bracketed), in seed order. */
  perSeed: (number | null)[];
  /** Std over the seeds with a crossing (null with fewer than two). */
  simulatedStd: number | null;
  /** (simulated − theoryOnGrid) / theoryOnGrid, when both exist. */
  deviation: number | null;
  /** Rule 5; null when not judged. */
  pass: boolean | null;
}

/** The theory's SDNR(T) for one r, sampled for plots. */
export interface RewiringTheoryCurve {
  /** r. */
  rewiringPeriod: number;
  /** Points in increasing T. */
  points: { trainingPatterns: number; sdnr: number }[];
}

/** Tolerances of the rule (relative). */
export interface RewiringTolerances {
  /** Rule 1: SDNR. */
  sdnr: number;
  /** Rule 2: ⟨S_b⟩. */
  backgroundMean: number;
  /** Rule 5: capacity. */
  capacity: number;
}

/** The tolerances of each size (see the module documentation). */
export const REWIRING_TOLERANCES: Readonly<Record<RewiringScanSize, Readonly<RewiringTolerances>>> =
  Object.freeze({
    ci: Object.freeze({ sdnr: 0.05, backgroundMean: 0.01, capacity: 0.10 }),
    full: Object.freeze({ sdnr: 0.02, backgroundMean: 0.002, capacity: 0.05 }),
  });

/** The whole verdict (plain JSON). */
export interface RewiringValidationVerdict {
  /** Marks the object. */
  kind: "spikebench-rewiring-validation";
  /** Format version. */
  version: 1;
  /** Every judged check passed. */
  pass: boolean;
  /** One line per failed check, starting with "T <T> r <r>:", "capacity r <r>:", "gain" or "monotone". */
  failures: string[];
  /** Things not judged, and why. */
  warnings: string[];
  /** The rule in words and its tolerances. */
  rule: { text: string; tolerances: RewiringTolerances };
  /** CI or full size. */
  size: RewiringScanSize;
  /** P_c defining the capacity and SDNR_thr. */
  probabilityCorrect: number;
  /** SDNR_thr. */
  threshold: number;
  /** One per (T, r): r descending, then T ascending. */
  points: RewiringPointVerdict[];
  /** One per r, descending. */
  capacities: RewiringCapacityVerdict[];
  /** The theory per r, for plots. */
  theoryCurves: RewiringTheoryCurve[];
}

/** Options of {@linkcode judgeRewiringScan}. */
export interface JudgeRewiringOptions {
  /** The model parameters of the theory (rewiringPeriod is set per point). */
  theory: Partial<RewiringParams>;
  /** CI (default) or full size: selects the tolerances. */
  size?: RewiringScanSize;
  /** Published points matching the configuration (default none). */
  published?: readonly PublishedRewiringPoint[];
  /** P_c defining the capacity (default 0.95). */
  probabilityCorrect?: number;
}

/** The rule in words (help text, README, verdict). */
export function rewiringRuleText(tolerances: RewiringTolerances): string {
  const pct = (x: number) => `${+(x * 100).toFixed(2)} %`;
  return `every (T, r): mean SDNR over seeds within ${pct(tolerances.sdnr)} and mean S_b ` +
    `within ${pct(tolerances.backgroundMean)} of the published simulation where the ` +
    `configuration matches one, else of the mean-field theory; SDNR(r > 0) > SDNR(r = 0) at ` +
    `every T for every seed; mean SDNR strictly falling with T; memory capacity (SDNR crossing ` +
    `of SDNR_thr, linear interpolation) of the simulation within ${pct(tolerances.capacity)} of ` +
    `the theory's on the same T grid, where both bracket it`;
}

/**
 * Mean, sample std and standard error of `values`.
 *
 * @param values at least one finite number
 */
export function seedSummary(values: readonly number[]): SeedSummary {
  if (values.length === 0) throw new ParameterError("values", values, "at least one value");
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { values: [...values], mean, std, stderr: n > 1 ? std / Math.sqrt(n) : null };
}

/** A point of an SDNR curve. */
export interface CurvePoint {
  /** T. */
  trainingPatterns: number;
  /** SDNR at T. */
  sdnr: number;
}

/**
 * Memory capacities of one r from a scan: the crossing of SDNR_thr by the mean curve, by each
 * seed's curve, and by the theory sampled on the same T grid (all by linear interpolation,
 * {@linkcode capacityFromScan}), plus the theory's exact crossing.
 *
 * @param curves the mean curve, the per-seed curves (same T grid), and the theory's parameters
 * @param options P_c (default 0.95) and the capacity tolerance (default the CI one)
 */
export function scanCapacity(
  curves: { mean: CurvePoint[]; perSeed: CurvePoint[][]; theory: Partial<RewiringParams> },
  options: { probabilityCorrect?: number; tolerance?: number } = {},
): Omit<RewiringCapacityVerdict, "rewiringPeriod"> {
  const probability = options.probabilityCorrect ?? DEFAULT_PROBABILITY_CORRECT;
  const tolerance = options.tolerance ?? REWIRING_TOLERANCES.ci.capacity;
  const at = { probabilityCorrect: probability };
  const grid = curves.mean.map((p) => ({
    trainingPatterns: p.trainingPatterns,
    sdnr: rewiringTheory(p.trainingPatterns, curves.theory).sdnr,
  }));
  const theoryOnGrid = capacityFromScan(grid, at);
  const simulated = capacityFromScan(curves.mean, at);
  const perSeed = curves.perSeed.map((c) => capacityFromScan(c, at));
  const found = perSeed.filter((c): c is number => c !== null);
  const deviation = simulated !== null && theoryOnGrid !== null
    ? (simulated - theoryOnGrid) / theoryOnGrid
    : null;
  return {
    theory: memoryCapacity({ ...curves.theory, probabilityCorrect: probability }).crossing,
    theoryOnGrid,
    simulated,
    perSeed,
    simulatedStd: found.length > 1 ? seedSummary(found).std : null,
    deviation,
    pass: deviation === null ? null : Math.abs(deviation) <= tolerance,
  };
}

/** The theory's SDNR(T) at 80 evenly spaced T covering the scan and the capacity. */
function theoryCurve(
  ts: readonly number[],
  theory: Partial<RewiringParams>,
  capacity: number,
): CurvePoint[] {
  const hi = Math.max(ts[ts.length - 1], Math.min(capacity, 4 * ts[ts.length - 1])) * 1.1;
  const lo = Math.max(1, ts[0] / 2);
  const out: CurvePoint[] = [];
  for (let k = 0; k < 80; k++) {
    const t = lo + (hi - lo) * k / 79;
    out.push({ trainingPatterns: t, sdnr: rewiringTheory(t, theory).sdnr });
  }
  return out;
}

function requireMeasurements(measurements: readonly RewiringScanMeasurement[]): void {
  if (measurements.length === 0) {
    throw new ParameterError("measurements", measurements, "at least one (T, r) point");
  }
  const seeds = JSON.stringify(measurements[0].seeds.map((s) => s.seed));
  measurements.forEach((m, i) => {
    if (m.seeds.length === 0) {
      throw new ParameterError(`measurements[${i}].seeds`, m.seeds, "at least one seed");
    }
    if (JSON.stringify(m.seeds.map((s) => s.seed)) !== seeds) {
      throw new ParameterError(
        `measurements[${i}].seeds`,
        m.seeds.map((s) => s.seed),
        `the seeds of measurements[0] (${seeds}) in the same order`,
      );
    }
  });
}

const fmt = (x: number, d = 3) => Number.isFinite(x) ? x.toFixed(d) : "—";
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} %`;

/**
 * Judges a scan with the rule of the module documentation.
 *
 * @param measurements one per (T, r), every one with the same seeds in the same order
 * @param options the theory's parameters, the size, the published points, P_c
 */
export function judgeRewiringScan(
  measurements: readonly RewiringScanMeasurement[],
  options: JudgeRewiringOptions,
): RewiringValidationVerdict {
  requireMeasurements(measurements);
  const size = options.size ?? "ci";
  const tolerances = { ...REWIRING_TOLERANCES[size] };
  const probability = options.probabilityCorrect ?? DEFAULT_PROBABILITY_CORRECT;
  const threshold = sdnrThreshold(probability);
  const failures: string[] = [];
  const warnings: string[] = [];
  const sorted = [...measurements].sort((a, b) =>
    b.rewiringPeriod - a.rewiringPeriod || a.trainingPatterns - b.trainingPatterns
  );
  const seeds = sorted[0].seeds.map((s) => s.seed);

  const points: RewiringPointVerdict[] = sorted.map((m) => {
    const theoryOptions = { ...options.theory, rewiringPeriod: m.rewiringPeriod };
    const th = rewiringTheory(m.trainingPatterns, theoryOptions);
    const published = options.published?.find((p) =>
      p.trainingPatterns === m.trainingPatterns && p.rewiringPeriod === m.rewiringPeriod
    ) ?? null;
    const sdnr = seedSummary(m.seeds.map((s) =>
      s.sdnr
    ));
    const backgroundMean = seedSummary(m.seeds.map((s) => s.backgroundMean));
    const refSdnr = published?.sdnr ?? th.sdnr;
    const refBackground = published?.backgroundMean ?? th.backgroundMean;
    const sdnrDeviation = (sdnr.mean - refSdnr) / refSdnr;
    const backgroundDeviation = (backgroundMean.mean - refBackground) / refBackground;
    const reference = published ? "published" : "theory";
    const head = `T ${m.trainingPatterns} r ${m.rewiringPeriod}:`;
    const sdnrOk = Math.abs(sdnrDeviation) <= tolerances.sdnr;
    if (!sdnrOk) {
      failures.push(
        `${head} SDNR ${fmt(sdnr.mean)} ± ${fmt(sdnr.std)} vs ${reference} ${fmt(refSdnr)} ` +
          `(${pct(sdnrDeviation)}, tolerance ±${tolerances.sdnr * 100} %)`,
      );
    }
    const backgroundOk = Math.abs(backgroundDeviation) <= tolerances.backgroundMean;
    if (!backgroundOk) {
      failures.push(
        `${head} S_b ${fmt(backgroundMean.mean, 2)} vs ${reference} ${fmt(refBackground, 2)} ` +
          `(${pct(backgroundDeviation)}, tolerance ±${tolerances.backgroundMean * 100} %)`,
      );
    }
    return {
      trainingPatterns: m.trainingPatterns,
      rewiringPeriod: m.rewiringPeriod,
      seeds,
      sdnr,
      backgroundMean,
      codingMean: seedSummary(m.seeds.map((s) => s.codingMean)),
      backgroundVariance: seedSummary(m.seeds.map((s) => s.backgroundVariance)),
      theory: {
        sdnr: th.sdnr,
        backgroundMean: th.backgroundMean,
        codingMean: th.codingMean,
        backgroundVariance: th.backgroundVariance,
      },
      published,
      reference,
      sdnrDeviation,
      zTheory: sdnr.stderr ? (sdnr.mean - th.sdnr) / sdnr.stderr : null,
      backgroundDeviation,
      pass: sdnrOk && backgroundOk,
    };
  });

  const periods = [...new Set(points.map((p) => p.rewiringPeriod))];
  const ofPeriod = (r: number) => points.filter((p) => p.rewiringPeriod === r);

  // Rule 3: rewiring beats no rewiring, seed by seed.
  const without = ofPeriod(0);
  if (without.length > 0 && periods.some((r) => r > 0)) {
    for (const r of periods.filter((r) => r > 0)) {
      for (const p of ofPeriod(r)) {
        const q = without.find((w) => w.trainingPatterns === p.trainingPatterns);
        if (!q) continue;
        p.sdnr.values.forEach((v, i) => {
          if (!(v > q.sdnr.values[i])) {
            failures.push(
              `gain T ${p.trainingPatterns} seed ${seeds[i]}: SDNR r ${r} ${fmt(v)} ≤ r 0 ${
                fmt(q.sdnr.values[i])
              }`,
            );
          }
        });
      }
    }
  } else {
    warnings.push("rewiring gain not judged: the scan needs r = 0 and some r > 0");
  }

  // Rule 4: falling with T.
  for (const r of periods) {
    const list = ofPeriod(r);
    for (let i = 1; i < list.length; i++) {
      if (!(list[i].sdnr.mean < list[i - 1].sdnr.mean)) {
        failures.push(
          `monotone r ${r}: mean SDNR ${fmt(list[i].sdnr.mean)} at T ${
            list[i].trainingPatterns
          } ≥ ${fmt(list[i - 1].sdnr.mean)} at T ${list[i - 1].trainingPatterns}`,
        );
      }
    }
  }

  // Rule 5: capacity.
  const capacities: RewiringCapacityVerdict[] = periods.map((r) => {
    const list = ofPeriod(r);
    const theory = { ...options.theory, rewiringPeriod: r };
    const c = scanCapacity({
      mean: list.map((p) => ({ trainingPatterns: p.trainingPatterns, sdnr: p.sdnr.mean })),
      perSeed: seeds.map((_, i) =>
        list.map((p) => ({ trainingPatterns: p.trainingPatterns, sdnr: p.sdnr.values[i] }))
      ),
      theory,
    }, { probabilityCorrect: probability, tolerance: tolerances.capacity });
    if (c.pass === false) {
      failures.push(
        `capacity r ${r}: simulated ${fmt(c.simulated!, 0)} vs theory on the same grid ${
          fmt(c.theoryOnGrid!, 0)
        } (${pct(c.deviation!)}, tolerance ±${tolerances.capacity * 100} %)`,
      );
    } else if (c.pass === null) {
      warnings.push(
        `capacity r ${r} not judged: the scan (T ${list[0].trainingPatterns}–${
          list[list.length - 1].trainingPatterns
        }) does not bracket the SDNR crossing of ${fmt(threshold)} for ${
          c.simulated === null ? "the simulation" : "the theory"
        } (theory: T ≈ ${fmt(c.theory, 0)})`,
      );
    }
    return { rewiringPeriod: r, ...c };
  });

  const ts = [...new Set(points.map((p) => p.trainingPatterns))].sort((a, b) => a - b);
  const theoryCurves = periods.map((r) => {
    const theory = { ...options.theory, rewiringPeriod: r };
    const capacity = capacities.find((c) => c.rewiringPeriod === r)!.theory;
    return { rewiringPeriod: r, points: theoryCurve(ts, theory, capacity) };
  });

  return {
    kind: "spikebench-rewiring-validation",
    version: 1,
    pass: failures.length === 0,
    failures,
    warnings,
    rule: { text: rewiringRuleText(tolerances), tolerances },
    size,
    probabilityCorrect: probability,
    threshold,
    points,
    capacities,
    theoryCurves,
  };
}

/**
 * Whether `value` is a {@linkcode RewiringValidationVerdict} (as stored in the history).
 *
 * @param value anything
 */
export function isRewiringVerdict(value: unknown): value is RewiringValidationVerdict {
  const v = value as Partial<RewiringValidationVerdict> | null;
  return !!v && v.kind === "spikebench-rewiring-validation" && Array.isArray(v.points) &&
    Array.isArray(v.capacities) && Array.isArray(v.theoryCurves);
}

/**
 * The verdict as a terminal table: one row per (T, r), then the capacities and the failures.
 *
 * @param verdict the verdict
 */
export function formatRewiringVerdict(verdict: RewiringValidationVerdict): string {
  const pad = (s: string, n: number) => s.padStart(n);
  const n = verdict.points[0]?.seeds.length ?? 0;
  const lines = [
    `${pad("T", 7)} ${pad("r", 5)}  ${pad(`SDNR sim (${n} seeds)`, 20)} ${pad("theory", 8)} ${
      pad("published", 10)
    } ${pad("dev", 9)} ${pad("S_b sim", 9)} ${pad("S_b th", 9)}  result`,
  ];
  for (const p of verdict.points) {
    lines.push(
      `${pad(String(p.trainingPatterns), 7)} ${pad(String(p.rewiringPeriod), 5)}  ${
        pad(`${fmt(p.sdnr.mean)} ± ${fmt(p.sdnr.std)}`, 20)
      } ${pad(fmt(p.theory.sdnr), 8)} ${pad(p.published ? fmt(p.published.sdnr) : "—", 10)} ${
        pad(pct(p.sdnrDeviation), 9)
      } ${pad(fmt(p.backgroundMean.mean, 2), 9)} ${pad(fmt(p.theory.backgroundMean, 2), 9)}  ${
        p.pass ? "pass" : "FAIL"
      }`,
    );
  }
  lines.push(
    "",
    `memory capacity (SDNR crossing of ${
      fmt(verdict.threshold)
    }, P_c ${verdict.probabilityCorrect}):`,
  );
  for (const c of verdict.capacities) {
    const sim = c.simulated === null
      ? "not bracketed"
      : `${fmt(c.simulated, 0)}${c.simulatedStd !== null ? ` ± ${fmt(c.simulatedStd, 0)}` : ""}`;
    lines.push(
      `  r ${pad(String(c.rewiringPeriod), 4)}: theory ${fmt(c.theory, 0)} (on the scan grid ${
        c.theoryOnGrid === null ? "not bracketed" : fmt(c.theoryOnGrid, 0)
      }), simulated ${sim}${c.deviation !== null ? ` (${pct(c.deviation)})` : ""}  ${
        c.pass === null ? "not judged" : c.pass ? "pass" : "FAIL"
      }`,
    );
  }
  lines.push("", `rule: ${verdict.rule.text}`);
  for (const w of verdict.warnings) lines.push(`warning: ${w}`);
  for (const f of verdict.failures) lines.push(`FAIL ${f}`);
  lines.push(verdict.pass ? "PASS" : `FAIL: ${verdict.failures.length} failed check(s)`);
  return lines.join("\n");
}

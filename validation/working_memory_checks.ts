/**
 * Verdicts of the working-memory network tests (docs/specs/working_memory.md "How to validate" 6–11,
 * with the bands measured in NEST that supersede the spec's UNCONFIRMED ones:
 * validation/reference/working_memory/README.md §7 and summary.json). Rules:
 *
 * - Regimes A and B, every run: the spec criteria of tests 6–9 (test 6 with the NEST-measured
 *   spontaneous-rate bands) and the NEST comparison: each key quantity (spontaneous and cue
 *   rates, PS count and interval, u/x at the checkpoints) within NEST's seed band
 *   mean ± max(3·std, 0.15·|mean|).
 * - Regime C is not reliable per run in NEST itself (README §6), so it is judged on the seed
 *   ensemble: the ensemble mean of the loaded population's delay rate and PS count within NEST's
 *   mean ± 2 standard errors (NEST's seed std / √n of our seeds), and in every run the activity
 *   stops after the offset; a spontaneous ignition before the cue (any PS of a selective
 *   population in [550, 3000) ms; NEST: 1 of 7 seeds) is judged by how often it happens: the
 *   share of our runs with one against NEST's, Fisher's exact test, p ≥ 0.01. Test 10's per-run
 *   criteria and the per-run pre-cue PS count are reported, not judged.
 * - Test 11: delay-period rate of the loaded population A < B for every seed run in both.
 *
 * @module
 */
import type { WorkingMemoryAnalysis } from "./working_memory_analysis.ts";
import type { Regime, WorkingMemoryReference } from "./working_memory_reference.ts";

/** One checked value. */
export interface WorkingMemoryCheck {
  /** Spec test number ("6" … "11") or "NEST" for the band comparison. */
  test: string;
  regime: Regime;
  /** Seed of the run, or "ensemble". */
  seed: string;
  quantity: string;
  value: number | null;
  /** The rule in words. */
  criterion: string;
  /** NEST's mean ± std over its seeds for this quantity, when it has one. */
  nest: { mean: number; std: number; n: number } | null;
  /** false: reported only (not part of the verdict). */
  judged: boolean;
  pass: boolean;
}

/** The verdict over every run. */
export interface WorkingMemoryVerdict {
  kind: "working_memory";
  pass: boolean;
  checks: WorkingMemoryCheck[];
  /** Per-run behaviour in words (regime C especially). */
  behaviour: { regime: Regime; seed: string; text: string }[];
  rule: string;
}

/** The rule of this module in one paragraph (printed with every verdict). */
export const WORKING_MEMORY_RULE =
  "A and B: every run meets the spec criteria of tests 6–9 (test 6 with NEST-measured bands) and " +
  "its spontaneous/cue rates, PS count/interval and u/x checkpoints lie in NEST's seed band " +
  "mean ± max(3·std, 15 %). C (metastable in NEST too): ensemble mean of the loaded delay rate " +
  "and PS count within NEST mean ± 2·std/√n, runs with a spontaneous ignition before the cue " +
  "as frequent as in NEST (Fisher's exact test, p ≥ 0.01), activity stops after the offset in " +
  "every run; test 10 per-run criteria reported only. Test 11: loaded delay rate A < B for every shared seed.";

/** A run to judge: its regime, seed and analysis. */
export interface AnalysedRun {
  regime: Regime;
  seed: string;
  analysis: WorkingMemoryAnalysis;
}

/** Spontaneous-rate bands of test 6 measured in NEST (README §7; C: median over pops). */
const SPONT_BANDS: Record<Regime, [number, number]> = {
  A: [0.25, 0.4],
  B: [0.48, 0.81],
  C: [0.37, 1.03],
};
/** Inhibitory spontaneous-rate bands (README §7: spec_band_changes). */
const INH_BANDS: Record<Regime, [number, number]> = {
  A: [2.89, 3.9],
  B: [3.39, 4.58],
  C: [3.67, 4.97],
};

/** Key quantities compared with NEST's band per run: name in stats → value in our analysis. */
const NEST_QUANTITIES: {
  name: string;
  regimes: Regime[];
  value: (a: WorkingMemoryAnalysis) => number | null;
}[] = [
  {
    name: "spont_rate_selective_popmean",
    regimes: ["A", "B"],
    value: (a) => a.pops.reduce((s, p) => s + p.spont_rate, 0) / a.pops.length,
  },
  {
    name: "spont_rate_inhibitory",
    regimes: ["A", "B"],
    value: (a) => a.inhibitory?.spont_rate ?? null,
  },
  { name: "cue_rate_loaded", regimes: ["A", "B"], value: (a) => a.pops[a.loaded].cue_rate },
  { name: "loaded_u_3350", regimes: ["A", "B"], value: (a) => a.pops[a.loaded].u_3350 },
  { name: "loaded_x_3350", regimes: ["A", "B"], value: (a) => a.pops[a.loaded].x_3350 },
  { name: "loaded_u_4100", regimes: ["A", "B"], value: (a) => a.pops[a.loaded].u_4100 },
  { name: "loaded_x_4100", regimes: ["A"], value: (a) => a.pops[a.loaded].x_4100 },
  { name: "loaded_delay_rate", regimes: ["A", "B"], value: (a) => a.pops[a.loaded].delay_rate },
  {
    name: "loaded_ps_count_3400_5200",
    regimes: ["B"],
    value: (a) => a.pops[a.loaded].ps_count_3400_5200,
  },
  { name: "loaded_ips_mean_ms", regimes: ["B"], value: (a) => a.pops[a.loaded].ips_mean_ms },
];

function nestStat(ref: WorkingMemoryReference, regime: Regime, name: string) {
  const s = ref.stats[regime]?.[name];
  return s ? { mean: s.mean, std: s.std, n: s.n, band: s.band } : null;
}

/** The spec checks of one run (tests 6–10). */
function runChecks(run: AnalysedRun, ref: WorkingMemoryReference): WorkingMemoryCheck[] {
  const { regime, seed, analysis: a } = run;
  const lp = a.pops[a.loaded];
  const out: WorkingMemoryCheck[] = [];
  const add = (
    test: string,
    quantity: string,
    value: number | null,
    criterion: string,
    ok: (v: number) => boolean,
    options: { judged?: boolean; nest?: string } = {},
  ) => {
    const stat = options.nest ? nestStat(ref, regime, options.nest) : null;
    out.push({
      test,
      regime,
      seed,
      quantity,
      value,
      criterion,
      nest: stat ? { mean: stat.mean, std: stat.std, n: stat.n } : null,
      judged: options.judged ?? true,
      pass: value !== null && Number.isFinite(value) && ok(value),
    });
  };
  const spont = a.pops.map((p) => p.spont_rate);
  const [lo, hi] = SPONT_BANDS[regime];
  if (regime === "C") {
    const sorted = spont.slice().sort((x, y) => x - y);
    add(
      "6",
      "spontaneous rate, median over selective pops (Hz)",
      sorted[2],
      `in [${lo}, ${hi}]`,
      (v) => v >= lo && v <= hi,
    );
    // A spontaneous ignition is a metastable event in C (NEST: 1 of 7 seeds, and then a PS
    // train whose length depends on when it started): judged on the ensemble, see below.
    add(
      "6",
      "PS of all selective pops in [550, 3000)",
      a.all_ps_total_550_3000,
      "≤ 1 (reported; ignition judged on the ensemble)",
      (v) => v <= 1,
      { judged: false },
    );
  } else {
    add(
      "6",
      "spontaneous rate, min over selective pops (Hz)",
      Math.min(...spont),
      `≥ ${lo}`,
      (v) => v >= lo,
    );
    add(
      "6",
      "spontaneous rate, max over selective pops (Hz)",
      Math.max(...spont),
      `≤ ${hi}`,
      (v) => v <= hi,
    );
    add(
      "6",
      "PS of all selective pops in [550, 3000)",
      a.all_ps_total_550_3000,
      "= 0",
      (v) => v === 0,
    );
  }
  const [ilo, ihi] = INH_BANDS[regime];
  add(
    "6",
    "inhibitory spontaneous rate (Hz)",
    a.inhibitory?.spont_rate ?? null,
    `> 0.5, in [${ilo}, ${ihi}]`,
    (v) => v > 0.5 && v >= ilo && v <= ihi,
    { nest: "spont_rate_inhibitory" },
  );
  add("7", "loaded cue rate / spontaneous", lp.cue_over_spont, "≥ 5", (v) => v >= 5, {
    nest: "cue_over_spont_loaded",
  });
  add(
    "7",
    "non-loaded max cue rate / spontaneous",
    a.nonloaded_max_cue_over_spont,
    "≤ 2",
    (v) => v <= 2,
    { nest: "cue_over_spont_nonloaded_max" },
  );
  add("7", "loaded mean u at 3350 ms", lp.u_3350, "≥ 0.5", (v) => v >= 0.5, {
    nest: "loaded_u_3350",
  });
  add("7", "loaded mean x at 3350 ms", lp.x_3350, "≤ 0.6", (v) => v <= 0.6, {
    nest: "loaded_x_3350",
  });
  if (regime === "A") {
    add("8", "loaded PS in [3500, 4100)", lp.ps_count_3500_4100, "= 0", (v) => v === 0);
    add(
      "8",
      "loaded readout response in [4100, 4400): PS count (or peak/spont ≥ 10)",
      lp.ps_count_4100_4400 >= 1
        ? lp.ps_count_4100_4400
        : lp.peak5ms_over_spont_4100_4400 >= 10
        ? 1
        : 0,
      "≥ 1",
      (v) => v >= 1,
      { nest: "loaded_ps_count_4100_4400" },
    );
    add(
      "8",
      "non-loaded PS in [4100, 4400)",
      a.nonloaded_ps_total_4100_4400,
      "= 0",
      (v) => v === 0,
    );
    add(
      "8",
      "loaded u(4100) − max non-loaded u(4100)",
      a.loaded_u4100_minus_max_nonloaded,
      "≥ 0.1",
      (v) => v >= 0.1,
      { nest: "loaded_u4100_minus_max_nonloaded" },
    );
    add(
      "8",
      "u decay τ in [3400, 4100], spontaneous-u baseline (ms)",
      a.u_decay_tau_ms_3400_4100.base_spont,
      "1500 ± 30 % = [1050, 1950]",
      (v) => v >= 1050 && v <= 1950,
      { nest: "u_decay_tau_base_spont" },
    );
  }
  if (regime === "B") {
    add("9", "loaded PS in [3400, 5200)", lp.ps_count_3400_5200, "≥ 4", (v) => v >= 4, {
      nest: "loaded_ps_count_3400_5200",
    });
    add(
      "9",
      "non-loaded PS in [3400, 5200)",
      a.nonloaded_ps_total_3400_5200,
      "= 0",
      (v) => v === 0,
    );
    add(
      "9",
      "inter-PS interval mean (ms)",
      lp.ips_mean_ms,
      "in [195, 445] (NEST band)",
      (v) => v >= 195 && v <= 445,
      { nest: "loaded_ips_mean_ms" },
    );
    add("9", "inter-PS interval CV", lp.ips_cv, "< 0.5", (v) => v < 0.5, { nest: "loaded_ips_cv" });
    add("9", "loaded min mean u in [3350, 5200]", lp.u_min_3350_5200, "≥ 0.4", (v) => v >= 0.4, {
      nest: "loaded_u_min_3350_5200",
    });
    add(
      "9",
      "PS rate [5600, 6000) / PS rate [3400, 5200)",
      lp.ps_rate_3400_5200_per_s > 0
        ? lp.ps_rate_5600_6000_per_s / lp.ps_rate_3400_5200_per_s
        : null,
      "< 0.5",
      (v) => v < 0.5,
    );
    if (a.windows.endMs >= 7000) {
      add("9", "loaded PS in [6200, 7000)", lp.ps_count_6200_7000, "= 0", (v) => v === 0);
    }
  }
  if (regime === "C") {
    const info = { judged: false };
    add(
      "10",
      "loaded rate [3400, 5200) − spontaneous (Hz)",
      lp.rate_3400_5200 - lp.spont_rate,
      "≥ 3 (reported)",
      (v) => v >= 3,
      { ...info, nest: "loaded_delay_minus_spont_3400_5200" },
    );
    add(
      "10",
      "fraction of loaded neurons with delay > spontaneous",
      lp.neuron_diff_frac_positive,
      "> 0.7 (reported)",
      (v) => v > 0.7,
      { ...info, nest: "loaded_neuron_diff_frac_positive" },
    );
    add(
      "10",
      "longest gap below spontaneous in [3400, 5200) (ms)",
      lp.longest_gap_below_spont_3400_5200_ms,
      "≤ 200 (reported)",
      (v) => v <= 200,
      { ...info, nest: "loaded_longest_gap_below_spont_3400_5200_ms" },
    );
    add(
      "10",
      "non-loaded max |rate change| [3400, 5200) (Hz)",
      a.nonloaded_max_abs_rate_change_3400_5200,
      "≤ 1 (reported)",
      (v) => v <= 1,
      { ...info, nest: "nonloaded_max_abs_rate_change_3400_5200" },
    );
    const after = Math.max(...a.pops.map((p) => p.ps_count_5600_6000));
    add(
      "10",
      "PS of any selective pop in [5600, 6000)",
      after,
      "= 0 (activity stops after the offset)",
      (v) => v === 0,
    );
    add(
      "10",
      "loaded rate [5200, 6000) (Hz)",
      lp.rate_5200_6000,
      "< 1 (activity stops after the offset)",
      (v) => v < 1,
      { nest: "loaded_rate_5200_6000" },
    );
  }
  for (const q of NEST_QUANTITIES) {
    if (!q.regimes.includes(regime)) continue;
    const stat = nestStat(ref, regime, q.name);
    if (!stat) continue;
    const [blo, bhi] = stat.band;
    add(
      "NEST",
      q.name,
      q.value(a),
      `in NEST band [${blo.toPrecision(4)}, ${bhi.toPrecision(4)}]`,
      (v) => v >= blo && v <= bhi,
      { nest: q.name },
    );
  }
  return out;
}

/**
 * Two-sided p-value of Fisher's exact test for the 2×2 table [[a, b], [c, d]]: the sum of the
 * hypergeometric probabilities (margins fixed) of every table no more probable than the one seen.
 *
 * @param table a, b (first row), c, d (second row), non-negative integers
 */
export function fisherExactTwoSided(table: [number, number, number, number]): number {
  const [a, b, c, d] = table;
  if (![a, b, c, d].every((x) => Number.isInteger(x) && x >= 0)) {
    throw new RangeError(`fisherExactTwoSided: got [${table}], expected non-negative integers`);
  }
  const logFactorial = (n: number) => {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  };
  const [row1, row2, col1] = [a + b, c + d, a + c];
  const n = row1 + row2;
  const logP = (x: number) =>
    logFactorial(row1) + logFactorial(row2) + logFactorial(col1) + logFactorial(n - col1) -
    logFactorial(n) - logFactorial(x) - logFactorial(row1 - x) - logFactorial(col1 - x) -
    logFactorial(row2 - col1 + x);
  const seen = logP(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    // Relative tolerance as R's fisher.test, so that ties in probability count as "as extreme".
    if (logP(x) <= seen + 1e-7) p += Math.exp(logP(x));
  }
  return Math.min(1, p);
}

/**
 * Regime C on the ensemble: loaded delay rate and PS count against NEST's seed spread, and how
 * often a population ignites spontaneously before the cue against how often it did in NEST.
 */
function ensembleChecksC(runs: AnalysedRun[], ref: WorkingMemoryReference): WorkingMemoryCheck[] {
  if (runs.length === 0) return [];
  const out: WorkingMemoryCheck[] = [];
  const nestRuns = Object.values(ref.per_run.C ?? {}).map((r) =>
    Number((r as { all_ps_total_550_3000?: unknown }).all_ps_total_550_3000)
  ).filter(Number.isFinite);
  if (nestRuns.length > 0) {
    const ours = runs.filter((r) => r.analysis.all_ps_total_550_3000 > 0).length;
    const nest = nestRuns.filter((v) => v > 0).length;
    const p = fisherExactTwoSided([ours, runs.length - ours, nest, nestRuns.length - nest]);
    const share = nest / nestRuns.length;
    const std = Math.sqrt(share * (1 - share));
    out.push({
      test: "6",
      regime: "C",
      seed: "ensemble",
      quantity: `runs with a spontaneous ignition in [550, 3000): ${ours} of ${runs.length}`,
      value: p,
      criterion: `Fisher p ≥ 0.01 against NEST's ${nest} of ${nestRuns.length}`,
      nest: { mean: share, std, n: nestRuns.length },
      judged: true,
      pass: p >= 0.01,
    });
  }
  const quantities: [string, (a: WorkingMemoryAnalysis) => number][] = [
    ["loaded_rate_3400_5200", (a) => a.pops[a.loaded].rate_3400_5200],
    ["loaded_ps_count_3400_5200", (a) => a.pops[a.loaded].ps_count_3400_5200],
  ];
  for (const [name, f] of quantities) {
    const stat = nestStat(ref, "C", name);
    if (!stat) continue;
    const values = runs.map((r) => f(r.analysis));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const half = 2 * stat.std / Math.sqrt(values.length);
    out.push({
      test: "10",
      regime: "C",
      seed: "ensemble",
      quantity: `${name} (mean of ${values.length} runs)`,
      value: mean,
      criterion: `NEST ${stat.mean.toPrecision(3)} ± 2·${
        stat.std.toPrecision(3)
      }/√${values.length}`,
      nest: { mean: stat.mean, std: stat.std, n: stat.n },
      judged: true,
      pass: Math.abs(mean - stat.mean) <= half,
    });
  }
  return out;
}

/** What the loaded population did in a run, in words. */
export function describeBehaviour(a: WorkingMemoryAnalysis): string {
  const lp = a.pops[a.loaded];
  const others = a.pops
    .map((p, i) => ({ i, ps: p.ps_count_3400_5200, rate: p.rate_3400_5200 }))
    .filter((p) => p.i !== a.loaded);
  const rival = others.reduce((
    b,
    p,
  ) => (p.ps > b.ps || (p.ps === b.ps && p.rate > b.rate) ? p : b));
  const parts = [
    `loaded pop: ${lp.rate_3400_5200.toFixed(2)} Hz in [3400, 5200) (spont ${
      lp.spont_rate.toFixed(2)
    }), ${lp.ps_count_3400_5200} PS`,
  ];
  if (lp.ips_mean_ms !== null) parts.push(`interval ${lp.ips_mean_ms.toFixed(0)} ms`);
  let kind: string;
  if (rival.ps > lp.ps_count_3400_5200) kind = `pop ${rival.i} took over (${rival.ps} PS)`;
  else if (rival.ps > 0) kind = `PS train shared with pop ${rival.i} (${rival.ps} PS)`;
  else if (lp.ps_count_3400_5200 >= 3) kind = "PS train";
  else if (lp.rate_3400_5200 - lp.spont_rate >= 3) kind = "asynchronous elevated firing";
  else kind = "returned to spontaneous";
  if (a.all_ps_total_550_3000 > 0) kind = `a population ignited before the cue; ${kind}`;
  return `${kind}; ${parts.join(", ")}`;
}

/** Judges every run and the ensembles. */
export function judgeWorkingMemory(
  runs: AnalysedRun[],
  ref: WorkingMemoryReference,
): WorkingMemoryVerdict {
  const checks: WorkingMemoryCheck[] = [];
  for (const run of runs) checks.push(...runChecks(run, ref));
  checks.push(...ensembleChecksC(runs.filter((r) => r.regime === "C"), ref));
  const bySeed = (regime: Regime) =>
    new Map(runs.filter((r) => r.regime === regime).map((r) => [r.seed, r.analysis]));
  const a = bySeed("A"), b = bySeed("B");
  for (const [seed, ra] of a) {
    const rb = b.get(seed);
    if (!rb) continue;
    const da = ra.pops[ra.loaded].delay_rate, db = rb.pops[rb.loaded].delay_rate;
    checks.push({
      test: "11",
      regime: "B",
      seed,
      quantity: "loaded delay rate B − A (Hz)",
      value: db - da,
      criterion: "> 0 (A < B)",
      nest: null,
      judged: true,
      pass: db > da,
    });
  }
  const behaviour = runs.map((r) => ({
    regime: r.regime,
    seed: r.seed,
    text: describeBehaviour(r.analysis),
  }));
  const pass = checks.length > 0 && checks.every((c) => !c.judged || c.pass);
  return { kind: "working_memory", pass, checks, behaviour, rule: WORKING_MEMORY_RULE };
}

/** The verdict as a fixed-width table. */
export function formatWorkingMemoryVerdict(v: WorkingMemoryVerdict): string {
  const fmt = (x: number | null) =>
    x === null || !Number.isFinite(x) ? "—" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);
  const rows = v.checks.map((c) => [
    c.regime,
    c.seed,
    c.test,
    c.quantity,
    fmt(c.value),
    c.criterion,
    c.nest ? `${fmt(c.nest.mean)} ± ${fmt(c.nest.std)}` : "",
    c.judged ? (c.pass ? "pass" : "FAIL") : (c.pass ? "(yes)" : "(no)"),
  ]);
  const header = ["regime", "seed", "test", "quantity", "value", "criterion", "NEST", "verdict"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [line(header), ...rows.map(line), ""];
  for (const b of v.behaviour) lines.push(`${b.regime} seed ${b.seed}: ${b.text}`);
  lines.push("", `rule: ${v.rule}`, `verdict: ${v.pass ? "PASS" : "FAIL"}`);
  return lines.join("\n");
}

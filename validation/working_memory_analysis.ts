/**
 * Analysis of a working-memory run (docs/specs/working_memory.md §5, with the definitions of
 * validation/reference/working_memory/README.md §5): window rates, 5 ms population rates,
 * population-spike (PS) detection, per-neuron delay-minus-spontaneous differences, and the
 * population-mean facilitation state u, x reconstructed exactly from the spike trains (u and x
 * change only at presynaptic spikes, spec §2.2, so the reconstruction equals the engine state).
 * Works on spikes from any simulator (our engine or NEST's CSV files).
 *
 * @module
 */
import {
  facilitationAt,
  facilitationInitial,
  type FacilitationParams,
  facilitationSpike,
  type FacilitationState,
} from "../engine/facilitation.ts";

/** Spikes of one population: local neuron ids 0…size−1 and times (ms), sorted by time. */
export interface GroupSpikes {
  name: string;
  size: number;
  timesMs: Float64Array;
  ids: Uint32Array;
}

/** Windows of the default protocol (ms); README §5 of the reference. */
export interface AnalysisWindows {
  /** Spontaneous window [start, end). */
  spontaneous: [number, number];
  /** Cue window [start, end). */
  cue: [number, number];
  /** Delay window of spec §5.4 [start, end): A [3350, 4100), B/C [3350, 5200). */
  delay: [number, number];
  /** End of the analysed run (ms). */
  endMs: number;
}

/** The windows of regime `regime` for a run of `endMs` (default protocol, cue at 3000 ms). */
export function defaultWindows(regime: "A" | "B" | "C", endMs = 7000): AnalysisWindows {
  return {
    spontaneous: [550, 3000],
    cue: [3000, 3350],
    delay: [3350, regime === "A" ? 4100 : 5200],
    endMs,
  };
}

/** Width of the population-rate bins used for PS detection and gaps (ms). */
export const PS_BIN_MS = 5;

/** Per-population measures; names as in the NEST reference's `per_run` tables. */
export interface PopulationMeasures {
  spont_rate: number;
  cue_rate: number;
  delay_rate: number;
  rate_3400_5200: number;
  rate_3350_4100: number;
  rate_4100_4400: number;
  rate_5200_6000: number;
  rate_6200_7000: number;
  cue_over_spont: number;
  ps_times_ms: number[];
  ps_frac_active: number[];
  ps_count_550_3000: number;
  ps_count_cue_3000_3350: number;
  ps_count_3400_5200: number;
  ps_count_3500_4100: number;
  ps_count_4100_4400: number;
  ps_count_5600_6000: number;
  ps_count_6200_7000: number;
  ps_rate_3400_5200_per_s: number;
  ps_rate_5600_6000_per_s: number;
  ips_mean_ms: number | null;
  ips_cv: number | null;
  ips_intervals_ms: number[];
  last_ps_ms: number | null;
  peak5ms_rate_4100_4400: number;
  peak5ms_over_spont_4100_4400: number;
  longest_gap_below_spont_3400_5200_ms: number;
  longest_gap_zero_3400_5200_ms: number;
  neuron_diff_mean_hz: number;
  neuron_diff_frac_positive: number;
  neuron_diff_hist_40bins_m5_15: number[];
}

/** Facilitation measures of one selective population (population means). */
export interface FacilitationMeasures {
  u_3350: number;
  x_3350: number;
  u_4100: number;
  x_4100: number;
  u_spont_mean_550_3000: number;
  x_spont_mean_550_3000: number;
  u_max_cue: number;
  x_min_cue: number;
  u_delay_mean: number;
  u_delay_min: number;
  x_delay_mean: number;
  x_delay_min: number;
  u_min_3350_5200: number;
}

/** Rate of `g` in [t0, t1) (Hz): spikes / (neurons × duration). */
export function windowRate(g: GroupSpikes, t0: number, t1: number): number {
  return countIn(g.timesMs, t0, t1) / (g.size * (t1 - t0) / 1000);
}

/** Index of the first time ≥ t (times sorted). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countIn(times: Float64Array, t0: number, t1: number): number {
  return lowerBound(times, t1) - lowerBound(times, t0);
}

/** Population rate (Hz) in bins [k·bin, (k+1)·bin) from 0 to `endMs`. */
export function binnedRate(g: GroupSpikes, options: { binMs: number; endMs: number }): number[] {
  const n = Math.ceil(options.endMs / options.binMs - 1e-9);
  const counts = new Array<number>(n).fill(0);
  // Times lie on the simulation grid; the tiny offset keeps t = k·bin in bin k.
  for (const t of g.timesMs) {
    const k = Math.floor(t / options.binMs + 1e-9);
    if (k >= 0 && k < n) counts[k]++;
  }
  const scale = 1000 / (g.size * options.binMs);
  return counts.map((c) => c * scale);
}

/**
 * Population spikes (spec §5, README §5): local maxima of the 5 ms rate (≥ left neighbour,
 * > right neighbour; plateaus take the first bin) above 10× the spontaneous rate with ≥ 25 % of
 * the neurons firing within ±10 ms of the bin centre; candidates closer than 20 ms merged keeping
 * the higher bin (greedily from the highest, as the reference tooling does). Returns PS times (bin centres) and participating fractions.
 */
export function detectPopulationSpikes(
  g: GroupSpikes,
  options: { spontRate: number; endMs: number },
): { times: number[]; fractions: number[] } {
  const rate = binnedRate(g, { binMs: PS_BIN_MS, endMs: options.endMs });
  const candidates: { t: number; rate: number; frac: number }[] = [];
  for (let k = 0; k < rate.length; k++) {
    const r = rate[k];
    if (!(r > 0)) continue;
    const left = k > 0 ? rate[k - 1] : -Infinity;
    const right = k + 1 < rate.length ? rate[k + 1] : -Infinity;
    if (!(r >= left && r > right)) continue;
    if (!(r > 10 * options.spontRate)) continue;
    const centre = (k + 0.5) * PS_BIN_MS;
    const frac = activeFraction(g, centre - 10, centre + 10);
    if (frac < 0.25) continue;
    candidates.push({ t: centre, rate: r, frac });
  }
  // Merge by height: the highest candidate wins over every one closer than 20 ms to it.
  const byHeight = candidates.slice().sort((a, b) => b.rate - a.rate || a.t - b.t);
  const kept: { t: number; rate: number; frac: number }[] = [];
  for (const c of byHeight) {
    if (kept.every((k) => Math.abs(c.t - k.t) >= 20)) kept.push(c);
  }
  kept.sort((a, b) => a.t - b.t);
  return { times: kept.map((c) => c.t), fractions: kept.map((c) => c.frac) };
}

/** Fraction of the population's neurons with a spike in [t0, t1] (closed). */
function activeFraction(g: GroupSpikes, t0: number, t1: number): number {
  const seen = new Set<number>();
  const end = lowerBound(g.timesMs, t1 + 1e-9);
  for (let i = lowerBound(g.timesMs, t0 - 1e-9); i < end; i++) seen.add(g.ids[i]);
  return seen.size / g.size;
}

function perNeuronCounts(g: GroupSpikes, t0: number, t1: number): Float64Array {
  const counts = new Float64Array(g.size);
  const end = lowerBound(g.timesMs, t1);
  for (let i = lowerBound(g.timesMs, t0); i < end; i++) counts[g.ids[i]]++;
  return counts;
}

function longestRun(values: number[], predicate: (v: number) => boolean): number {
  let best = 0, run = 0;
  for (const v of values) {
    run = predicate(v) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

const inWindow = (times: number[], t0: number, t1: number) =>
  times.filter((t) => t >= t0 && t < t1);

/** Every per-population measure of `g` for the windows `w`. */
export function populationMeasures(g: GroupSpikes, w: AnalysisWindows): PopulationMeasures {
  const spont = windowRate(g, ...w.spontaneous);
  const ps = detectPopulationSpikes(g, { spontRate: spont, endMs: w.endMs });
  const count = (t0: number, t1: number) => inWindow(ps.times, t0, t1).length;
  const delayPs = inWindow(ps.times, 3400, 5200);
  const intervals = delayPs.slice(1).map((t, i) => t - delayPs[i]);
  let ipsMean: number | null = null, ipsCv: number | null = null;
  if (intervals.length > 0) {
    ipsMean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
    const m = ipsMean;
    const variance = intervals.reduce((a, b) => a + (b - m) ** 2, 0) / intervals.length;
    ipsCv = Math.sqrt(variance) / ipsMean;
  }
  const rate5 = binnedRate(g, { binMs: PS_BIN_MS, endMs: w.endMs });
  const bins = (t0: number, t1: number) =>
    rate5.slice(Math.round(t0 / PS_BIN_MS), Math.round(t1 / PS_BIN_MS));
  const peak = Math.max(0, ...bins(4100, 4400));
  const spontCounts = perNeuronCounts(g, ...w.spontaneous);
  const delayCounts = perNeuronCounts(g, ...w.delay);
  const spontS = (w.spontaneous[1] - w.spontaneous[0]) / 1000;
  const delayS = (w.delay[1] - w.delay[0]) / 1000;
  const diffs = Array.from(delayCounts, (c, i) => c / delayS - spontCounts[i] / spontS);
  const hist = new Array<number>(40).fill(0);
  for (const d of diffs) {
    const k = Math.floor((d + 5) / 0.5);
    if (d >= -5 && d <= 15) hist[Math.min(39, k)]++;
  }
  const delayRate = windowRate(g, ...w.delay);
  return {
    spont_rate: spont,
    cue_rate: windowRate(g, ...w.cue),
    delay_rate: delayRate,
    rate_3400_5200: windowRate(g, 3400, 5200),
    rate_3350_4100: windowRate(g, 3350, 4100),
    rate_4100_4400: windowRate(g, 4100, 4400),
    rate_5200_6000: windowRate(g, 5200, 6000),
    rate_6200_7000: w.endMs >= 7000 ? windowRate(g, 6200, 7000) : NaN,
    cue_over_spont: windowRate(g, ...w.cue) / spont,
    ps_times_ms: ps.times,
    ps_frac_active: ps.fractions,
    ps_count_550_3000: count(550, 3000),
    ps_count_cue_3000_3350: count(3000, 3350),
    ps_count_3400_5200: delayPs.length,
    ps_count_3500_4100: count(3500, 4100),
    ps_count_4100_4400: count(4100, 4400),
    ps_count_5600_6000: count(5600, 6000),
    ps_count_6200_7000: w.endMs >= 7000 ? count(6200, 7000) : NaN,
    ps_rate_3400_5200_per_s: delayPs.length / 1.8,
    ps_rate_5600_6000_per_s: count(5600, 6000) / 0.4,
    ips_mean_ms: ipsMean,
    ips_cv: ipsCv,
    ips_intervals_ms: intervals,
    last_ps_ms: ps.times.length > 0 ? ps.times[ps.times.length - 1] : null,
    peak5ms_rate_4100_4400: peak,
    peak5ms_over_spont_4100_4400: peak / spont,
    longest_gap_below_spont_3400_5200_ms: PS_BIN_MS *
      longestRun(bins(3400, 5200), (r) => r < spont),
    longest_gap_zero_3400_5200_ms: PS_BIN_MS * longestRun(bins(3400, 5200), (r) => r === 0),
    neuron_diff_mean_hz: diffs.reduce((a, b) => a + b, 0) / diffs.length,
    neuron_diff_frac_positive: diffs.filter((d) => d > 0).length / diffs.length,
    neuron_diff_hist_40bins_m5_15: hist,
  };
}

/**
 * Population-mean u and x of `g` on the grid 0, step, 2·step, … ≤ endMs, reconstructed from
 * its spikes with the event-driven update of engine/facilitation.ts (initial u0, x0, t_last 0)
 * and propagated analytically to each grid time; a spike exactly at a grid time counts.
 */
export function facilitationTrace(
  g: GroupSpikes,
  stp: FacilitationParams,
  options: { stepMs: number; endMs: number },
): { t: number[]; u: number[]; x: number[] } {
  const states: FacilitationState[] = Array.from(
    { length: g.size },
    () => facilitationInitial(stp),
  );
  const t: number[] = [], u: number[] = [], x: number[] = [];
  let next = 0;
  const points = Math.floor(options.endMs / options.stepMs + 1e-9);
  for (let k = 0; k <= points; k++) {
    const tk = k * options.stepMs;
    while (next < g.timesMs.length && g.timesMs[next] <= tk + 1e-9) {
      facilitationSpike(states[g.ids[next]], g.timesMs[next], stp);
      next++;
    }
    let su = 0, sx = 0;
    for (const s of states) {
      const at = facilitationAt(s, Math.max(tk, s.tLast), stp);
      su += at.u;
      sx += at.x;
    }
    t.push(tk);
    u.push(su / g.size);
    x.push(sx / g.size);
  }
  return { t, u, x };
}

/** The facilitation measures of one population from its 5 ms trace. */
export function facilitationMeasures(
  trace: { t: number[]; u: number[]; x: number[] },
  w: AnalysisWindows,
): FacilitationMeasures {
  const at = (series: number[], tMs: number) => series[Math.round(tMs / PS_BIN_MS)];
  const range = (series: number[], t0: number, t1: number, closed: boolean) =>
    series.filter((_, i) => trace.t[i] >= t0 && (closed ? trace.t[i] <= t1 : trace.t[i] < t1));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [d0, d1] = w.delay;
  return {
    u_3350: at(trace.u, 3350),
    x_3350: at(trace.x, 3350),
    u_4100: at(trace.u, 4100),
    x_4100: at(trace.x, 4100),
    u_spont_mean_550_3000: mean(range(trace.u, 550, 3000, false)),
    x_spont_mean_550_3000: mean(range(trace.x, 550, 3000, false)),
    u_max_cue: Math.max(...range(trace.u, w.cue[0], w.cue[1], true)),
    x_min_cue: Math.min(...range(trace.x, w.cue[0], w.cue[1], true)),
    u_delay_mean: mean(range(trace.u, d0, d1, true)),
    u_delay_min: Math.min(...range(trace.u, d0, d1, true)),
    x_delay_mean: mean(range(trace.x, d0, d1, true)),
    x_delay_min: Math.min(...range(trace.x, d0, d1, true)),
    u_min_3350_5200: Math.min(...range(trace.u, 3350, 5200, true)),
  };
}

/**
 * Time constant (ms) of the decay of mean u toward `base` in [t0, t1]: −1/slope of the
 * least-squares line through ln(u − base) (README §5: base = the spontaneous mean u).
 */
export function uDecayTau(
  trace: { t: number[]; u: number[] },
  options: { base: number; fromMs: number; toMs: number },
): number {
  const xs: number[] = [], ys: number[] = [];
  trace.t.forEach((t, i) => {
    const d = trace.u[i] - options.base;
    if (t >= options.fromMs && t <= options.toMs && d > 0) {
      xs.push(t);
      ys.push(Math.log(d));
    }
  });
  if (xs.length < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return -1 / (sxy / sxx);
}

/** Rates of a population that is not analysed in detail (non-selective, inhibitory). */
export interface GroupRates {
  spont_rate: number;
  cue_rate: number;
  delay_rate: number;
  rate_3400_5200: number;
}

/** The whole analysis of one run. */
export interface WorkingMemoryAnalysis {
  regime: "A" | "B" | "C";
  /** Index of the loaded (cued) selective population. */
  loaded: number;
  windows: AnalysisWindows;
  /** Per selective population (index = population number). */
  pops: (PopulationMeasures & FacilitationMeasures)[];
  /** Rates of the non-selective and inhibitory populations, when recorded. */
  nonselective: GroupRates | null;
  inhibitory: GroupRates | null;
  loaded_u4100_minus_max_nonloaded: number;
  nonloaded_max_cue_over_spont: number;
  nonloaded_ps_total_3400_5200: number;
  nonloaded_ps_total_4100_4400: number;
  nonloaded_max_abs_rate_change_3400_5200: number;
  all_ps_total_550_3000: number;
  /** Fitted u decay time constant of the loaded population in [3400, 4100] (ms). */
  u_decay_tau_ms_3400_4100: { base_spont: number; base_U: number };
  /** Traces for plots: mean u, x per selective population every 5 ms; 5 ms rates per group. */
  traces: {
    t_ms: number[];
    u: number[][];
    x: number[][];
    rate_bin_ms: number;
    rates_hz: Record<string, number[]>;
  };
}

function groupRates(g: GroupSpikes, w: AnalysisWindows): GroupRates {
  return {
    spont_rate: windowRate(g, ...w.spontaneous),
    cue_rate: windowRate(g, ...w.cue),
    delay_rate: windowRate(g, ...w.delay),
    rate_3400_5200: windowRate(g, 3400, 5200),
  };
}

/**
 * Analyses a run: `selective` are the selective populations in order; `others` may hold the
 * `nonsel` and `inh` groups. The loaded population is `options.loaded` (default 0).
 */
export function analyzeWorkingMemory(
  selective: GroupSpikes[],
  options: {
    regime: "A" | "B" | "C";
    stp: FacilitationParams;
    endMs: number;
    loaded?: number;
    others?: GroupSpikes[];
  },
): WorkingMemoryAnalysis {
  const w = defaultWindows(options.regime, options.endMs);
  const loaded = options.loaded ?? 0;
  const traceList = selective.map((g) =>
    facilitationTrace(g, options.stp, { stepMs: PS_BIN_MS, endMs: options.endMs })
  );
  const pops = selective.map((g, i) => ({
    ...populationMeasures(g, w),
    ...facilitationMeasures(traceList[i], w),
  }));
  const others = options.others ?? [];
  const find = (name: string) => others.find((g) => g.name === name) ?? null;
  const nonsel = find("nonsel"), inh = find("inh");
  const nonloaded = pops.filter((_, i) => i !== loaded);
  const lp = pops[loaded];
  const lt = traceList[loaded];
  const rates: Record<string, number[]> = {};
  for (const g of [...selective, ...others]) {
    rates[g.name] = binnedRate(g, { binMs: PS_BIN_MS, endMs: options.endMs });
  }
  return {
    regime: options.regime,
    loaded,
    windows: w,
    pops,
    nonselective: nonsel ? groupRates(nonsel, w) : null,
    inhibitory: inh ? groupRates(inh, w) : null,
    loaded_u4100_minus_max_nonloaded: lp.u_4100 - Math.max(...nonloaded.map((p) => p.u_4100)),
    nonloaded_max_cue_over_spont: Math.max(...nonloaded.map((p) => p.cue_over_spont)),
    nonloaded_ps_total_3400_5200: nonloaded.reduce((a, p) => a + p.ps_count_3400_5200, 0),
    nonloaded_ps_total_4100_4400: nonloaded.reduce((a, p) => a + p.ps_count_4100_4400, 0),
    nonloaded_max_abs_rate_change_3400_5200: Math.max(
      ...nonloaded.map((p) => Math.abs(p.rate_3400_5200 - p.spont_rate)),
    ),
    all_ps_total_550_3000: pops.reduce((a, p) => a + p.ps_count_550_3000, 0),
    u_decay_tau_ms_3400_4100: {
      base_spont: uDecayTau(lt, { base: lp.u_spont_mean_550_3000, fromMs: 3400, toMs: 4100 }),
      base_U: uDecayTau(lt, { base: options.stp.U, fromMs: 3400, toMs: 4100 }),
    },
    traces: {
      t_ms: lt.t,
      u: traceList.map((tr) => tr.u),
      x: traceList.map((tr) => tr.x),
      rate_bin_ms: PS_BIN_MS,
      rates_hz: rates,
    },
  };
}

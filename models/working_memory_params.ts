/**
 * Parameters, regimes, protocol and the pure conversions of the working-memory network of
 * Tiddia, Golosio, Fanti & Paolucci (2022) after Mongillo, Barak & Tsodyks (2008)
 * (docs/specs/working_memory.md). Nothing here simulates: these are the tables a builder and the
 * validation read, reproduced from the authors' code including its quirks (§1.3, §3.4).
 *
 * Group names used by the tables: `sel0` … `sel{p−1}` (selective excitatory populations),
 * `nonsel` (non-selective excitatory), `inh` (inhibitory).
 *
 * @module
 */
import {
  ParameterError,
  requireFinite,
  requireInteger,
  requirePositive,
} from "../engine/errors.ts";
import { type FacilitationParams, validateFacilitation } from "../engine/facilitation.ts";
import { pscOverPsp } from "../engine/iaf_psc_exp.ts";

/** The three background regimes of the paper's Fig. 2 (spec §3.3). */
export type WorkingMemoryRegime = "A" | "B" | "C";

/** eta_exc (mV) of each regime: A silent memory, B periodic population spikes, C persistent. */
export const REGIME_ETA_EXC_MV: Readonly<Record<WorkingMemoryRegime, number>> = Object.freeze({
  A: 22.7,
  B: 23.7,
  C: 24.1,
});

/** Neuron parameters of one group (spec §1.2; NEST defaults where the model sets none). */
export interface WorkingMemoryNeuron {
  tau_m: number;
  V_th: number;
  V_reset: number;
  E_L: number;
  t_ref: number;
  C_m: number;
  tau_syn: number;
  /** Membrane potential at t = 0 (mV). */
  V_0: number;
}

/** One item loading (cue): a selective population and its onset (ms). */
export interface CueLoading {
  population: number;
  onsetMs: number;
}

/** An interval [t0, t1] (ms) in which periodic readout pulses are given. */
export interface PeriodicReadoutInterval {
  startMs: number;
  endMs: number;
}

/** Every parameter of the model. All times in ms, PSPs and drives in mV. */
export interface WorkingMemoryParams {
  regime: WorkingMemoryRegime;
  /** Master seed of the engine's random streams. */
  seed: number;
  /** Simulation step h (ms); 0.05 in the model. */
  resolutionMs: number;
  /** Number of excitatory neurons N_E. */
  nExc: number;
  /** Number of inhibitory neurons N_I. */
  nInh: number;
  /** Number of memories p (selective populations). */
  memories: number;
  /** Coding level f (fraction of N_E per selective population). */
  codingLevel: number;
  /** Connection probability c. */
  connectivity: number;
  /** Fraction γ0 of non-selective → excitatory synapses that are potentiated. */
  gamma0: number;
  /** Selective populations drawn as random, possibly shared, exc neurons (Fig. 3B variant). */
  overlap: boolean;
  excitatory: WorkingMemoryNeuron;
  inhibitory: WorkingMemoryNeuron;
  /** PSP amplitudes (mV, positive; inhibitory signs are applied by the tables). */
  J_p: number;
  J_b: number;
  J_IE: number;
  J_EI: number;
  J_II: number;
  /** STP parameters of the E→E synapses (spec §2). */
  stp: Required<FacilitationParams>;
  /** Delays ~ Uniform[min, max] (ms), rounded to the resolution grid. */
  delayMinMs: number;
  delayMaxMs: number;
  /** Background mean drive of exc neurons (mV); the regime's value unless overridden. */
  etaExc: number;
  /** Background mean drive of inh neurons (mV). */
  etaInh: number;
  /** Background fluctuation σ (mV). */
  sigma: number;
  /** Refresh period of the noise generators (ms). */
  dtNoiseMs: number;
  /** Cue amplitude factor A_cue and duration T_cue. */
  aCue: number;
  tCueMs: number;
  /** Readout amplitude factor A_reac and duration T_reac. */
  aReac: number;
  tReacMs: number;
  /** Periodic readout amplitude factor, pulse length and period. */
  aPeriodReac: number;
  periodPulseMs: number;
  periodMs: number;
  /** Fraction of N_E receiving random nonspecific noise connections. */
  randomNoiseFraction: number;
  /** Total simulated time (ms) and spontaneous period before the first cue. */
  tSimMs: number;
  tPresimMs: number;
  cues: CueLoading[];
  /** Onsets of nonspecific readout signals (ms). */
  readoutOnsetsMs: number[];
  periodicReadouts: PeriodicReadoutInterval[];
  /** Onsets of random nonspecific noise stimuli (ms). */
  randomNoiseOnsetsMs: number[];
  /** Origin of the "return to spontaneous" offset (ms); default tSim − 800. */
  offsetOriginMs: number;
  /** Spike recording starts here (ms). */
  recordFromMs: number;
}

const EXC_NEURON: Readonly<WorkingMemoryNeuron> = Object.freeze({
  tau_m: 15.0,
  V_th: 20.0,
  V_reset: 16.0,
  E_L: 0.0,
  t_ref: 2.0,
  C_m: 250.0,
  tau_syn: 2.0,
  V_0: 0.0,
});

const INH_NEURON: Readonly<WorkingMemoryNeuron> = Object.freeze({
  tau_m: 10.0,
  V_th: 20.0,
  V_reset: 13.0,
  E_L: 0.0,
  t_ref: 2.0,
  C_m: 250.0,
  tau_syn: 2.0,
  V_0: 0.0,
});

/** The default parameters of regime `regime` (default protocol of `run_model.py`, spec §4). */
export function workingMemoryDefaults(regime: WorkingMemoryRegime = "B"): WorkingMemoryParams {
  if (!(regime in REGIME_ETA_EXC_MV)) {
    throw new ParameterError("regime", regime, '"A", "B" or "C"');
  }
  return {
    regime,
    seed: 143202461,
    resolutionMs: 0.05,
    nExc: 8000,
    nInh: 2000,
    memories: 5,
    codingLevel: 0.1,
    connectivity: 0.2,
    gamma0: 0.1,
    overlap: false,
    excitatory: { ...EXC_NEURON },
    inhibitory: { ...INH_NEURON },
    J_p: 0.45,
    J_b: 0.1,
    J_IE: 0.135,
    J_EI: 0.25,
    J_II: 0.2,
    stp: { U: 0.19, tauF: 1500, tauD: 200, u0: 0.19, x0: 1.0 },
    delayMinMs: 0.1,
    delayMaxMs: 1.0,
    etaExc: REGIME_ETA_EXC_MV[regime],
    etaInh: 20.5,
    sigma: 1.0,
    dtNoiseMs: 1.0,
    aCue: 1.15,
    tCueMs: 350,
    aReac: 1.05,
    tReacMs: 250,
    aPeriodReac: 1.075,
    periodPulseMs: 100,
    periodMs: 300,
    randomNoiseFraction: 0.15,
    tSimMs: 6000,
    tPresimMs: 3000,
    cues: [{ population: 0, onsetMs: 3000 }],
    readoutOnsetsMs: regime === "A" ? [4100] : [],
    periodicReadouts: [],
    randomNoiseOnsetsMs: [],
    offsetOriginMs: 5200,
    recordFromMs: 100,
  };
}

/** Overrides accepted by `workingMemoryParams` (neuron and STP tables may be partial). */
export type WorkingMemoryOverrides =
  & Partial<Omit<WorkingMemoryParams, "excitatory" | "inhibitory" | "stp">>
  & {
    excitatory?: Partial<WorkingMemoryNeuron>;
    inhibitory?: Partial<WorkingMemoryNeuron>;
    stp?: Partial<FacilitationParams>;
  };

/**
 * The validated parameters: the defaults of `overrides.regime` (default "B") with `overrides`
 * applied. `etaExc` follows the regime unless given; `offsetOriginMs` follows `tSimMs − 800`
 * unless given. Throws a ParameterError naming the first invalid parameter.
 */
export function workingMemoryParams(overrides: WorkingMemoryOverrides = {}): WorkingMemoryParams {
  const base = workingMemoryDefaults(overrides.regime ?? "B");
  for (const key of Object.keys(overrides)) {
    if (!(key in base)) {
      throw new ParameterError(key, key, `one of ${Object.keys(base).join(", ")}`);
    }
  }
  const p: WorkingMemoryParams = {
    ...base,
    ...overrides,
    excitatory: { ...base.excitatory, ...overrides.excitatory },
    inhibitory: { ...base.inhibitory, ...overrides.inhibitory },
    stp: { ...base.stp, ...overrides.stp } as Required<FacilitationParams>,
  } as WorkingMemoryParams;
  if (overrides.tSimMs !== undefined && overrides.offsetOriginMs === undefined) {
    p.offsetOriginMs = p.tSimMs - 800;
  }
  validateWorkingMemoryParams(p);
  return p;
}

function requireFraction(name: string, v: unknown, open = false): number {
  const value = requireFinite(name, v);
  if (!(open ? value > 0 && value < 1 : value >= 0 && value <= 1)) {
    throw new ParameterError(name, v, `a number in ${open ? "(0, 1)" : "[0, 1]"}`);
  }
  return value;
}

function validateNeuron(n: WorkingMemoryNeuron, where: string, h: number): void {
  for (const k of ["tau_m", "C_m", "tau_syn"] as const) requirePositive(`${where}.${k}`, n[k]);
  for (const k of ["V_th", "V_reset", "E_L", "V_0"] as const) requireFinite(`${where}.${k}`, n[k]);
  const refSteps = requireFinite(`${where}.t_ref`, n.t_ref) / h;
  if (!(n.t_ref >= 0) || Math.abs(refSteps - Math.round(refSteps)) > 1e-9 * Math.max(1, refSteps)) {
    throw new ParameterError(`${where}.t_ref`, n.t_ref, `a multiple ≥ 0 of the resolution (${h})`);
  }
  if (!(n.V_reset < n.V_th)) {
    throw new ParameterError(`${where}.V_reset`, n.V_reset, `a value < V_th (${n.V_th} mV)`);
  }
  if (Math.abs(n.tau_m - n.tau_syn) < 1e-12) {
    throw new ParameterError(`${where}.tau_syn`, n.tau_syn, `a value ≠ tau_m (${n.tau_m} ms)`);
  }
}

/** Throws a ParameterError naming the first invalid field of `p`. */
export function validateWorkingMemoryParams(p: WorkingMemoryParams): void {
  if (!(p.regime in REGIME_ETA_EXC_MV)) {
    throw new ParameterError("regime", p.regime, '"A", "B" or "C"');
  }
  requireInteger("seed", p.seed, { min: 0, max: 0xffffffff });
  const h = requirePositive("resolutionMs", p.resolutionMs);
  requireInteger("nExc", p.nExc, { min: 1, max: 1 << 24 });
  requireInteger("nInh", p.nInh, { min: 1, max: 1 << 24 });
  requireInteger("memories", p.memories, { min: 1, max: 250 });
  requireFraction("codingLevel", p.codingLevel, true);
  requireFraction("connectivity", p.connectivity);
  requireFraction("gamma0", p.gamma0);
  if (typeof p.overlap !== "boolean") throw new ParameterError("overlap", p.overlap, "a boolean");
  if (!p.overlap && p.memories * p.codingLevel > 1 + 1e-12) {
    throw new ParameterError(
      "memories",
      p.memories,
      `memories · codingLevel ≤ 1 without overlap (codingLevel ${p.codingLevel})`,
    );
  }
  if (selectiveSize(p) < 1) {
    throw new ParameterError("codingLevel", p.codingLevel, "a value giving ≥ 1 neuron per memory");
  }
  validateNeuron(p.excitatory, "excitatory", h);
  validateNeuron(p.inhibitory, "inhibitory", h);
  for (const k of ["J_p", "J_b", "J_IE", "J_EI", "J_II"] as const) {
    const v = requireFinite(k, p[k]);
    if (v < 0) throw new ParameterError(k, v, "a PSP amplitude ≥ 0 mV (signs are applied)");
  }
  validateFacilitation(p.stp, "stp");
  const dMin = requirePositive("delayMinMs", p.delayMinMs);
  if (dMin < h / 2) {
    throw new ParameterError("delayMinMs", dMin, `a delay ≥ half the resolution (${h / 2} ms)`);
  }
  const dMax = requireFinite("delayMaxMs", p.delayMaxMs);
  if (!(dMax >= dMin)) {
    throw new ParameterError("delayMaxMs", dMax, `a delay ≥ delayMinMs (${dMin})`);
  }
  requireFinite("etaExc", p.etaExc);
  requireFinite("etaInh", p.etaInh);
  const sigma = requireFinite("sigma", p.sigma);
  if (sigma < 0) throw new ParameterError("sigma", sigma, "a number ≥ 0 mV");
  const dtNoise = requirePositive("dtNoiseMs", p.dtNoiseMs);
  const noiseSteps = dtNoise / h;
  if (Math.abs(noiseSteps - Math.round(noiseSteps)) > 1e-9 * noiseSteps || noiseSteps < 1 - 1e-9) {
    throw new ParameterError("dtNoiseMs", dtNoise, `a multiple of the resolution (${h} ms)`);
  }
  for (const k of ["aCue", "aReac", "aPeriodReac"] as const) requireFinite(k, p[k]);
  for (const k of ["tCueMs", "tReacMs", "periodPulseMs", "periodMs"] as const) {
    requirePositive(k, p[k]);
  }
  requireFraction("randomNoiseFraction", p.randomNoiseFraction);
  const tSim = requirePositive("tSimMs", p.tSimMs);
  const tPre = requireFinite("tPresimMs", p.tPresimMs);
  if (!(tPre >= 0 && tPre <= tSim)) {
    throw new ParameterError("tPresimMs", tPre, `a time in [0, tSimMs = ${tSim}]`);
  }
  const time = (name: string, v: unknown) => {
    const t = requireFinite(name, v);
    if (!(t >= 0 && t <= tSim)) throw new ParameterError(name, v, `a time in [0, ${tSim}] ms`);
  };
  if (!Array.isArray(p.cues)) throw new ParameterError("cues", p.cues, "an array");
  p.cues.forEach((c, i) => {
    requireInteger(`cues[${i}].population`, c?.population, { min: 0, max: p.memories - 1 });
    time(`cues[${i}].onsetMs`, c.onsetMs);
  });
  for (const name of ["readoutOnsetsMs", "randomNoiseOnsetsMs"] as const) {
    if (!Array.isArray(p[name])) throw new ParameterError(name, p[name], "an array of times");
    p[name].forEach((t, i) => time(`${name}[${i}]`, t));
  }
  if (!Array.isArray(p.periodicReadouts)) {
    throw new ParameterError("periodicReadouts", p.periodicReadouts, "an array");
  }
  p.periodicReadouts.forEach((r, i) => {
    time(`periodicReadouts[${i}].startMs`, r?.startMs);
    time(`periodicReadouts[${i}].endMs`, r.endMs);
    if (!(r.endMs >= r.startMs)) {
      throw new ParameterError(`periodicReadouts[${i}].endMs`, r.endMs, `≥ startMs (${r.startMs})`);
    }
  });
  time("offsetOriginMs", p.offsetOriginMs);
  time("recordFromMs", p.recordFromMs);
}

// ---------------------------------------------------------------------------------------------
// Sizes and conversions

/** Neurons per selective population, int(f·N_E) (800). */
export function selectiveSize(p: WorkingMemoryParams): number {
  return Math.trunc(p.codingLevel * p.nExc);
}

/** Non-selective excitatory neurons, N_E − p·int(f·N_E) (4000); all of N_E with overlap. */
export function nonSelectiveSize(p: WorkingMemoryParams): number {
  return p.overlap ? p.nExc : p.nExc - p.memories * selectiveSize(p);
}

/**
 * PSP peak amplitude (mV) → PSC jump (pA) for a neuron with `tauM` (spec §1.3): the same
 * peak formula as the microcircuit, with C_m and tau_s of `options` (default 250 pF, 2 ms).
 */
export function pspToPsc(
  psp: number,
  tauM: number,
  options: { C_m?: number; tauSyn?: number } = {},
): number {
  return psp * pscOverPsp(options.C_m ?? 250, tauM, options.tauSyn ?? 2.0);
}

/** The synaptic weights (pA) of spec §1.3, with the code's tau_m quirks. */
export interface WorkingMemoryWeights {
  /** Potentiated E→E (J_p, tau 15). */
  potentiated: number;
  /** Baseline E→E (J_b, tau 15). */
  baseline: number;
  /** E→I from a selective source (J_IE, tau 10). */
  ieSelective: number;
  /** E→I from the non-selective source (J_IE, tau 15: code quirk). */
  ieNonSelective: number;
  /** I→E (−J_EI, tau 10 although the target is excitatory: code quirk). */
  ei: number;
  /** I→I (−J_II, tau 10). */
  ii: number;
}

/** Computes the weights of spec §1.3 from `p`. */
export function workingMemoryWeights(p: WorkingMemoryParams): WorkingMemoryWeights {
  const e = p.excitatory, i = p.inhibitory;
  const exc = (J: number) => pspToPsc(J, e.tau_m, { C_m: e.C_m, tauSyn: e.tau_syn });
  const inh = (J: number) => pspToPsc(J, i.tau_m, { C_m: i.C_m, tauSyn: i.tau_syn });
  return {
    potentiated: exc(p.J_p),
    baseline: exc(p.J_b),
    ieSelective: inh(p.J_IE),
    ieNonSelective: exc(p.J_IE),
    ei: inh(-p.J_EI),
    ii: inh(-p.J_II),
  };
}

/** Mean current (pA) of a drive μ (mV) for a neuron with `tauM`, C_m/tau_m·μ (spec §3.1). */
export function meanCurrent(mu: number, tauM: number, cM = 250): number {
  return cM / tauM * mu;
}

/** Std (pA) of a noise generator for fluctuation σ (mV): sqrt(2/(tau_m·dt))·C_m·σ (§3.1). */
export function noiseStd(
  sigma: number,
  tauM: number,
  options: { dtNoiseMs?: number; C_m?: number } = {},
): number {
  return Math.sqrt(2 / (tauM * (options.dtNoiseMs ?? 1.0))) * (options.C_m ?? 250) * sigma;
}

/** Mean and std (pA) of a Gaussian current. */
export interface CurrentStats {
  mean: number;
  std: number;
}

/** The background noise currents (pA) of exc and inh neurons (spec §3.3). */
export function backgroundCurrents(
  p: WorkingMemoryParams,
): { exc: CurrentStats; inh: CurrentStats } {
  const e = p.excitatory, i = p.inhibitory;
  return {
    exc: {
      mean: meanCurrent(p.etaExc, e.tau_m, e.C_m),
      std: noiseStd(p.sigma, e.tau_m, { dtNoiseMs: p.dtNoiseMs, C_m: e.C_m }),
    },
    inh: {
      mean: meanCurrent(p.etaInh, i.tau_m, i.C_m),
      std: noiseStd(p.sigma, i.tau_m, { dtNoiseMs: p.dtNoiseMs, C_m: i.C_m }),
    },
  };
}

/** The constant stimulus currents (pA) of spec §3.4–3.5. */
export interface StimulusCurrents {
  cue: number;
  readout: number;
  periodicReadout: number;
  randomNoise: number;
  /** "Return to spontaneous" offset (converted with tau_m 10: code quirk). */
  offset: number;
}

/** Computes the stimulus currents of `p`. */
export function stimulusCurrents(p: WorkingMemoryParams): StimulusCurrents {
  const e = p.excitatory;
  const exc = (mu: number) => meanCurrent(mu, e.tau_m, e.C_m);
  return {
    cue: exc(p.etaExc * (p.aCue - 1)),
    readout: exc(p.etaExc * (p.aReac - 1)),
    periodicReadout: exc(p.etaExc * (p.aPeriodReac - 1)),
    randomNoise: exc(p.etaExc * (p.aCue - 1)),
    offset: meanCurrent(REGIME_ETA_EXC_MV.A - p.etaExc, p.inhibitory.tau_m, e.C_m),
  };
}

// ---------------------------------------------------------------------------------------------
// Connectivity (spec §1.4)

/** One row of the connectivity table. */
export interface ConnectionRow {
  /** Target group (`sel{k}`, `nonsel`, `inh`). */
  target: string;
  /** Source group. */
  source: string;
  /** Sources drawn per target neuron (fixed_indegree, autapses and multapses allowed). */
  indegree: number;
  /** Which weight of `WorkingMemoryWeights`. */
  weight: keyof WorkingMemoryWeights;
  /** Whether the synapse is the STP (facilitation) synapse. */
  stp: boolean;
}

/** Names of the groups: sel0 … sel{p−1}, nonsel, inh. */
export function groupNames(p: WorkingMemoryParams): string[] {
  return [...Array.from({ length: p.memories }, (_, k) => `sel${k}`), "nonsel", "inh"];
}

/** The per-group indegrees (Python `int()` of the code's float products, spec §1.4). */
export function indegrees(p: WorkingMemoryParams): {
  selective: number;
  nonSelBaseline: number;
  nonSelPotentiated: number;
  nonSelTotal: number;
  inhibitory: number;
} {
  const f = p.codingLevel, c = p.connectivity, nE = p.nExc, g = p.gamma0;
  const nonFrac = 1 - f * p.memories;
  return {
    selective: Math.trunc(f * c * nE),
    nonSelBaseline: Math.trunc((1 - g) * c * nonFrac * nE),
    nonSelPotentiated: Math.trunc(g * c * nonFrac * nE),
    nonSelTotal: Math.trunc(c * nonFrac * nE),
    inhibitory: Math.trunc(c * p.nInh),
  };
}

/** The connectivity table of spec §1.4, one row per (target, source, weight). */
export function connectionTable(p: WorkingMemoryParams): ConnectionRow[] {
  const k = indegrees(p);
  const sel = Array.from({ length: p.memories }, (_, i) => `sel${i}`);
  const rows: ConnectionRow[] = [];
  for (const target of [...sel, "nonsel"]) {
    for (const source of sel) {
      const same = target === source;
      rows.push({
        target,
        source,
        indegree: k.selective,
        weight: same ? "potentiated" : "baseline",
        stp: true,
      });
    }
    rows.push({
      target,
      source: "nonsel",
      indegree: k.nonSelBaseline,
      weight: "baseline",
      stp: true,
    });
    rows.push({
      target,
      source: "nonsel",
      indegree: k.nonSelPotentiated,
      weight: "potentiated",
      stp: true,
    });
    rows.push({ target, source: "inh", indegree: k.inhibitory, weight: "ei", stp: false });
  }
  for (const source of sel) {
    rows.push({ target: "inh", source, indegree: k.selective, weight: "ieSelective", stp: false });
  }
  rows.push({
    target: "inh",
    source: "nonsel",
    indegree: k.nonSelTotal,
    weight: "ieNonSelective",
    stp: false,
  });
  rows.push({ target: "inh", source: "inh", indegree: k.inhibitory, weight: "ii", stp: false });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Protocol (spec §3.4–3.5, §4)

/** A constant-current stimulus of the protocol. */
export interface StimulusEvent {
  kind: "cue" | "readout" | "periodic_readout" | "random_noise" | "offset";
  /** `sel{k}` for a cue, `exc` for all exc neurons, `random_exc` for the random-noise stimulus. */
  targets: string;
  /** Active for simulation times in (startMs, stopMs] (NEST generator window). */
  startMs: number;
  stopMs: number;
  amplitudePa: number;
}

/** Pulse onsets of a periodic readout interval: t0 + n·period, n = 0..int((t1 − t0)/period). */
export function periodicPulseOnsets(
  interval: PeriodicReadoutInterval,
  periodMs: number,
): number[] {
  const n = Math.trunc((interval.endMs - interval.startMs) / periodMs);
  return Array.from({ length: n + 1 }, (_, i) => interval.startMs + i * periodMs);
}

/** Every constant-current stimulus of the protocol, in time order. */
export function protocolEvents(p: WorkingMemoryParams): StimulusEvent[] {
  const amp = stimulusCurrents(p);
  const events: StimulusEvent[] = [];
  for (const c of p.cues) {
    events.push({
      kind: "cue",
      targets: `sel${c.population}`,
      startMs: c.onsetMs,
      stopMs: c.onsetMs + p.tCueMs,
      amplitudePa: amp.cue,
    });
  }
  for (const t of p.readoutOnsetsMs) {
    events.push({
      kind: "readout",
      targets: "exc",
      startMs: t,
      stopMs: t + p.tReacMs,
      amplitudePa: amp.readout,
    });
  }
  for (const interval of p.periodicReadouts) {
    for (const t of periodicPulseOnsets(interval, p.periodMs)) {
      events.push({
        kind: "periodic_readout",
        targets: "exc",
        startMs: t,
        stopMs: t + p.periodPulseMs,
        amplitudePa: amp.periodicReadout,
      });
    }
  }
  for (const t of p.randomNoiseOnsetsMs) {
    events.push({
      kind: "random_noise",
      targets: "random_exc",
      startMs: t,
      stopMs: t + p.tCueMs,
      amplitudePa: amp.randomNoise,
    });
  }
  if (amp.offset !== 0) {
    events.push({
      kind: "offset",
      targets: "exc",
      startMs: p.offsetOriginMs,
      stopMs: p.tSimMs,
      amplitudePa: amp.offset,
    });
  }
  return events.sort((a, b) => a.startMs - b.startMs);
}

/** Number of random nonspecific noise connections, int(fraction · N_E) (1200). */
export function randomNoiseConnections(p: WorkingMemoryParams): number {
  return Math.trunc(p.randomNoiseFraction * p.nExc);
}

/**
 * The delay distribution on the resolution grid: Uniform[min, max] rounded to the nearest step
 * (NEST), as step values with their probabilities.
 */
export function delayGrid(p: WorkingMemoryParams): { steps: number[]; probabilities: number[] } {
  const h = p.resolutionMs, lo = p.delayMinMs, hi = p.delayMaxMs;
  const steps: number[] = [];
  const probabilities: number[] = [];
  if (hi === lo) return { steps: [Math.max(1, Math.round(lo / h))], probabilities: [1] };
  for (let k = Math.round(lo / h); k <= Math.round(hi / h); k++) {
    const a = Math.max(lo, (k - 0.5) * h), b = Math.min(hi, (k + 0.5) * h);
    if (b > a) {
      steps.push(Math.max(1, k));
      probabilities.push((b - a) / (hi - lo));
    }
  }
  return { steps, probabilities };
}

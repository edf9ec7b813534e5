/**
 * The `iaf_psc_exp` neuron model: parameters (NEST names and units) and the exact-integration
 * propagators of NEST's implementation (docs/specs/microcircuit.md §3).
 */
import { ParameterError, requireFinite, requireNonNegative, requirePositive } from "./errors.ts";

/** Parameters of one `iaf_psc_exp` population, in NEST's names and units (pF, ms, mV, pA). */
export interface IafPscExpParams {
  /** Membrane capacitance (pF). */
  C_m: number;
  /** Membrane time constant (ms). */
  tau_m: number;
  /** Excitatory synaptic current time constant (ms). */
  tau_syn_ex: number;
  /** Inhibitory synaptic current time constant (ms). */
  tau_syn_in: number;
  /** Absolute refractory period (ms). */
  t_ref: number;
  /** Resting potential (mV). */
  E_L: number;
  /** Spike threshold (mV). */
  V_th: number;
  /** Reset potential (mV). */
  V_reset: number;
  /** Constant input current (pA). */
  I_e: number;
}

/** NEST's defaults as used by the Potjans & Diesmann microcircuit (spec §3.1). */
export const IAF_PSC_EXP_DEFAULTS: Readonly<IafPscExpParams> = Object.freeze({
  C_m: 250.0,
  tau_m: 10.0,
  tau_syn_ex: 0.5,
  tau_syn_in: 0.5,
  t_ref: 2.0,
  E_L: -65.0,
  V_th: -50.0,
  V_reset: -65.0,
  I_e: 0.0,
});

/** Returns a validated parameter set: the defaults with `overrides` applied. */
export function iafPscExp(overrides: Partial<IafPscExpParams> = {}): IafPscExpParams {
  for (const key of Object.keys(overrides)) {
    if (!(key in IAF_PSC_EXP_DEFAULTS)) {
      throw new ParameterError(
        `iaf_psc_exp.${key}`,
        key,
        `one of ${Object.keys(IAF_PSC_EXP_DEFAULTS).join(", ")}`,
      );
    }
  }
  const p = { ...IAF_PSC_EXP_DEFAULTS, ...overrides };
  validateIafPscExp(p, "iaf_psc_exp");
  return p;
}

/** Throws a ParameterError naming the first invalid field of `p`. */
export function validateIafPscExp(p: IafPscExpParams, where: string): void {
  requirePositive(`${where}.C_m`, p.C_m);
  requirePositive(`${where}.tau_m`, p.tau_m);
  requirePositive(`${where}.tau_syn_ex`, p.tau_syn_ex);
  requirePositive(`${where}.tau_syn_in`, p.tau_syn_in);
  requireNonNegative(`${where}.t_ref`, p.t_ref);
  requireFinite(`${where}.E_L`, p.E_L);
  requireFinite(`${where}.V_th`, p.V_th);
  requireFinite(`${where}.V_reset`, p.V_reset);
  requireFinite(`${where}.I_e`, p.I_e);
  if (!(p.V_reset < p.V_th)) {
    throw new ParameterError(`${where}.V_reset`, p.V_reset, `a value < V_th (${p.V_th} mV)`);
  }
}

/** Exact-integration propagators for one time step h, computed in float64. */
export interface Propagators {
  /** exp(-h/tau_syn_ex): decay of the excitatory current. */
  P11ex: number;
  /** exp(-h/tau_syn_in): decay of the inhibitory current. */
  P11in: number;
  /** exp(-h/tau_m): decay of the membrane potential. */
  P22: number;
  /** Effect of the excitatory current on V over one step (mV/pA). */
  P21ex: number;
  /** Effect of the inhibitory current on V over one step (mV/pA). */
  P21in: number;
  /** Effect of a constant current on V over one step (mV/pA). */
  P20: number;
  /** Refractory period in steps, round(t_ref/h). */
  refractorySteps: number;
}

/**
 * P21 as NEST's `IAFPropagatorExp` evaluates it: gamma·exp(-h/tau_syn)·expm1(h(1/tau_syn −
 * 1/tau_m)), falling back to h/C_m·exp(-h/tau_m) when that is not a normal positive number
 * (tau_syn == tau_m).
 */
export function propagator21(tauSyn: number, tauM: number, cM: number, h: number): number {
  const gamma = tauSyn * tauM / (cM * (tauM - tauSyn));
  const p = gamma * Math.exp(-h / tauSyn) * Math.expm1(h * (1 / tauSyn - 1 / tauM));
  if (Number.isFinite(p) && p > 2.2250738585072014e-308) return p;
  return h / cM * Math.exp(-h / tauM);
}

/** Computes the propagators of `p` for resolution `h` (ms). */
export function propagators(p: IafPscExpParams, h: number): Propagators {
  const P22 = Math.exp(-h / p.tau_m);
  return {
    P11ex: Math.exp(-h / p.tau_syn_ex),
    P11in: Math.exp(-h / p.tau_syn_in),
    P22,
    P21ex: propagator21(p.tau_syn_ex, p.tau_m, p.C_m, h),
    P21in: propagator21(p.tau_syn_in, p.tau_m, p.C_m, h),
    // NEST: −tau_m/C_m·expm1(−h/tau_m); 1 − P22 would lose all digits when tau_m ≫ h.
    P20: -p.tau_m / p.C_m * Math.expm1(-h / p.tau_m),
    refractorySteps: Math.round(p.t_ref / h),
  };
}

/**
 * The PSC amplitude (pA) whose PSP peaks at 1 mV (spec §2.1); multiply a PSP (mV) by it.
 */
export function pscOverPsp(cM: number, tauM: number, tauSyn: number): number {
  const sub = 1 / (tauSyn - tauM);
  const pre = tauM * tauSyn / cM * sub;
  const frac = (tauM / tauSyn) ** sub;
  return 1 / (pre * (frac ** tauM - frac ** tauSyn));
}

/**
 * The Tsodyks–Markram synapse with facilitation in the form of Mongillo, Barak & Tsodyks
 * (2008), as NEST's custom `tsodyks3_synapse` implements it (docs/specs/working_memory.md §2.1).
 * State (u, x, t_last) changes only at presynaptic spikes, so it is a pure event-driven update;
 * both backends and the working-memory analysis use this one function.
 *
 * @module
 */
import { ParameterError, requireFinite, requirePositive } from "./errors.ts";

/** Parameters of the facilitation synapse (ms for times; U, u0, x0 dimensionless). */
export interface FacilitationParams {
  /** Utilization increment and resting utilization U (0 < U ≤ 1). */
  U: number;
  /** Facilitation (u decay) time constant (ms). */
  tauF: number;
  /** Recovery (x) time constant (ms). */
  tauD: number;
  /** Initial utilization (0 ≤ u0 ≤ 1); default U. */
  u0?: number;
  /** Initial available resources (0 ≤ x0 ≤ 1); default 1. */
  x0?: number;
}

/** Mutable synapse state. */
export interface FacilitationState {
  u: number;
  x: number;
  /** Time of the previous presynaptic spike (ms); 0 initially, as in NEST. */
  tLast: number;
}

/** What one presynaptic spike did. */
export interface FacilitationEvent {
  /** u after the spike's facilitation jump (used for the efficacy). */
  u: number;
  /** x before the spike's release. */
  xBefore: number;
  /** u·x: the fraction of W this spike transmits. */
  efficacy: number;
  /** x after the release. */
  xAfter: number;
}

/** Throws a ParameterError naming the first invalid field of `p` (prefix `where`). */
export function validateFacilitation(p: FacilitationParams, where: string): void {
  const unit = (name: string, v: unknown, lowOpen: boolean) => {
    const value = requireFinite(`${where}.${name}`, v);
    if (!(lowOpen ? value > 0 : value >= 0) || value > 1) {
      throw new ParameterError(`${where}.${name}`, v, `a number in ${lowOpen ? "(0" : "[0"}, 1]`);
    }
  };
  if (!p || typeof p !== "object") {
    throw new ParameterError(where, p, "an object { U, tauF, tauD, u0?, x0? }");
  }
  unit("U", p.U, true);
  requirePositive(`${where}.tauF`, p.tauF);
  requirePositive(`${where}.tauD`, p.tauD);
  if (p.u0 !== undefined) unit("u0", p.u0, false);
  if (p.x0 !== undefined) unit("x0", p.x0, false);
}

/** The initial state of a fresh synapse. */
export function facilitationInitial(p: FacilitationParams): FacilitationState {
  return { u: p.u0 ?? p.U, x: p.x0 ?? 1, tLast: 0 };
}

/**
 * Applies a presynaptic spike emitted at `tSpikeMs` (the emission stamp, not the arrival) to
 * `state` in place, in the order of spec §2.1: recovery of x, decay of u toward U, the
 * facilitation jump, release of u·x (this spike's efficacy), depletion, t_last update.
 */
export function facilitationSpike(
  state: FacilitationState,
  tSpikeMs: number,
  p: FacilitationParams,
): FacilitationEvent {
  const dt = tSpikeMs - state.tLast;
  const xBefore = 1 + (state.x - 1) * Math.exp(-dt / p.tauD);
  let u = p.U + (state.u - p.U) * Math.exp(-dt / p.tauF);
  u += p.U * (1 - u);
  const efficacy = u * xBefore;
  const xAfter = xBefore - efficacy;
  state.u = u;
  state.x = xAfter;
  state.tLast = tSpikeMs;
  return { u, xBefore, efficacy, xAfter };
}

/** u and x of `state` propagated analytically to time `tMs` ≥ t_last (spec §5.3). */
export function facilitationAt(
  state: FacilitationState,
  tMs: number,
  p: FacilitationParams,
): { u: number; x: number } {
  const dt = tMs - state.tLast;
  return {
    u: p.U + (state.u - p.U) * Math.exp(-dt / p.tauF),
    x: 1 + (state.x - 1) * Math.exp(-dt / p.tauD),
  };
}

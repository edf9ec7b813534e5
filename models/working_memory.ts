/**
 * The working-memory network of Tiddia et al. (2022) built with the engine's builder
 * (docs/specs/working_memory.md): five selective and one non-selective excitatory population, one
 * inhibitory population, fixed-indegree connectivity with facilitating E→E synapses,
 * Gaussian-noise background currents and the protocol's constant-current stimuli.
 *
 * Not yet supported: the `overlap` variant and the random nonspecific noise stimulus (both
 * throw a ParameterError).
 *
 * @module
 */
import { normal, type NormalDistribution } from "../engine/distributions.ts";
import { ParameterError } from "../engine/errors.ts";
import { iafPscExp } from "../engine/iaf_psc_exp.ts";
import { Network, type Population } from "../engine/network.ts";
import {
  backgroundCurrents,
  connectionTable,
  groupNames,
  nonSelectiveSize,
  protocolEvents,
  selectiveSize,
  type WorkingMemoryNeuron,
  type WorkingMemoryOverrides,
  type WorkingMemoryParams,
  workingMemoryParams,
  workingMemoryWeights,
} from "./working_memory_params.ts";

/**
 * Uniform[min, max] as the engine's redraw-truncated normal with a flat window (std 10^6 times
 * the width: the density varies by < 10^-12 across the window). Replace by a native uniform
 * distribution once the engine has one.
 */
export function uniformDelay(minMs: number, maxMs: number): NormalDistribution {
  if (minMs === maxMs) return normal(minMs, 0, { min: minMs, max: maxMs });
  return normal((minMs + maxMs) / 2, 1e6 * (maxMs - minMs), { min: minMs, max: maxMs });
}

/** The built model: the network, its population handles by group name, and the parameters. */
export interface WorkingMemoryModel {
  network: Network;
  /** `sel0` … `sel{p−1}`, `nonsel`, `inh`. */
  groups: Record<string, Population>;
  params: WorkingMemoryParams;
}

function neuron(n: WorkingMemoryNeuron) {
  return iafPscExp({
    C_m: n.C_m,
    tau_m: n.tau_m,
    tau_syn_ex: n.tau_syn,
    tau_syn_in: n.tau_syn,
    t_ref: n.t_ref,
    E_L: n.E_L,
    V_th: n.V_th,
    V_reset: n.V_reset,
  });
}

/** Builds the working-memory network with `overrides` applied to the defaults (regime B). */
export function buildWorkingMemory(overrides: WorkingMemoryOverrides = {}): WorkingMemoryModel {
  const p = workingMemoryParams(overrides);
  if (p.overlap) {
    throw new ParameterError("overlap", true, "false (the overlap variant is not built yet)");
  }
  if (p.randomNoiseOnsetsMs.length > 0) {
    throw new ParameterError(
      "randomNoiseOnsetsMs",
      p.randomNoiseOnsetsMs,
      "[] (the random nonspecific noise stimulus is not built yet)",
    );
  }
  const net = new Network({ resolutionMs: p.resolutionMs, seed: p.seed });
  const groups: Record<string, Population> = {};
  const exc = neuron(p.excitatory), inh = neuron(p.inhibitory);
  for (const name of groupNames(p)) {
    const isInh = name === "inh";
    const size = isInh ? p.nInh : name === "nonsel" ? nonSelectiveSize(p) : selectiveSize(p);
    groups[name] = net.population(name, {
      size,
      params: isInh ? inh : exc,
      v0: isInh ? p.inhibitory.V_0 : p.excitatory.V_0,
    });
  }
  const delay = uniformDelay(p.delayMinMs, p.delayMaxMs);
  const w = workingMemoryWeights(p);
  for (const row of connectionTable(p)) {
    net.connect(groups[row.source], groups[row.target], {
      rule: { kind: "fixed_indegree", k: row.indegree, allowAutapses: true, allowMultapses: true },
      weight: w[row.weight],
      delay,
      facilitation: row.stp ? p.stp : undefined,
    });
  }
  const excGroups = groupNames(p).filter((g) => g !== "inh");
  const bg = backgroundCurrents(p);
  const window = { startMs: 0, stopMs: p.tSimMs, dtMs: p.dtNoiseMs, delay };
  for (const g of excGroups) {
    net.current(groups[g], { meanPa: bg.exc.mean, stdPa: bg.exc.std, ...window });
  }
  net.current(groups.inh, { meanPa: bg.inh.mean, stdPa: bg.inh.std, ...window });
  for (const ev of protocolEvents(p)) {
    const targets = ev.targets === "exc" ? excGroups : [ev.targets];
    for (const g of targets) {
      net.current(groups[g], {
        meanPa: ev.amplitudePa,
        startMs: ev.startMs,
        stopMs: ev.stopMs,
        delay,
      });
    }
  }
  for (let k = 0; k < p.memories; k++) net.record(groups[`sel${k}`]);
  return { network: net, groups, params: p };
}

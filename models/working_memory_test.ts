import assert from "node:assert/strict";
import { ParameterError } from "../engine/errors.ts";
import {
  type FacilitationEvent,
  facilitationInitial,
  type FacilitationParams,
  facilitationSpike,
  type FacilitationState,
} from "../engine/facilitation.ts";
import { iafPscExp, propagators } from "../engine/iaf_psc_exp.ts";
import {
  backgroundCurrents,
  connectionTable,
  delayGrid,
  groupNames,
  nonSelectiveSize,
  periodicPulseOnsets,
  protocolEvents,
  pspToPsc,
  randomNoiseConnections,
  selectiveSize,
  stimulusCurrents,
  workingMemoryParams,
  workingMemoryWeights,
} from "./working_memory_params.ts";

/** Spec §2.3: t_s, u (after jump), x (before release), u·x, x (after release). */
const STP_TABLE: readonly (readonly number[])[] = [
  [10, 0.343900, 1.000000, 0.343900, 0.656100],
  [60, 0.464472, 0.732170, 0.340073, 0.392098],
  [110, 0.558934, 0.526565, 0.294315, 0.232250],
  [160, 0.632939, 0.402076, 0.254490, 0.147586],
  [210, 0.690919, 0.336139, 0.232245, 0.103894],
  [260, 0.736342, 0.302112, 0.222458, 0.079654],
  [310, 0.771929, 0.283234, 0.218637, 0.064597],
  [360, 0.799809, 0.271508, 0.217154, 0.054353],
  [410, 0.821652, 0.263530, 0.216530, 0.047000],
  [460, 0.838765, 0.257803, 0.216236, 0.041567],
  [1510, 0.604855, 0.994971, 0.601813, 0.393157],
];

type SpikeRule = (s: FacilitationState, t: number, p: FacilitationParams) => FacilitationEvent;

/** Mismatches of `rule` against table 2.3 beyond `tol` (empty = the rule reproduces it). */
function stpTableMismatches(rule: SpikeRule, tol = 1e-6): string[] {
  const p = workingMemoryParams().stp;
  const state = facilitationInitial(p);
  const out: string[] = [];
  for (const [t, u, xBefore, eff, xAfter] of STP_TABLE) {
    const ev = rule(state, t, p);
    const got = [ev.u, ev.xBefore, ev.efficacy, ev.xAfter];
    [u, xBefore, eff, xAfter].forEach((want, i) => {
      if (!(Math.abs(got[i] - want) <= tol)) out.push(`t=${t} col ${i}: ${got[i]} vs ${want}`);
    });
  }
  return out;
}

/** The regression trap: efficacy computed with u BEFORE the facilitation jump. */
const uBeforeJump: SpikeRule = (s, t, p) => {
  const dt = t - s.tLast;
  const xBefore = 1 + (s.x - 1) * Math.exp(-dt / p.tauD);
  const uDecayed = p.U + (s.u - p.U) * Math.exp(-dt / p.tauF);
  const efficacy = uDecayed * xBefore;
  const u = uDecayed + p.U * (1 - uDecayed);
  s.u = u;
  s.x = xBefore - efficacy;
  s.tLast = t;
  return { u, xBefore, efficacy, xAfter: s.x };
};

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}

function throwsParameter(fn: () => unknown, parameter: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ParameterError, `expected a ParameterError, got ${err}`);
    assert.equal(err.parameter, parameter);
    return true;
  });
}

Deno.test("working memory test 1: STP reproduces table 2.3; first spike transmits 0.3439·W", () => {
  assert.deepEqual(stpTableMismatches(facilitationSpike), []);
  const p = workingMemoryParams().stp;
  close(facilitationSpike(facilitationInitial(p), 5, p).efficacy, 0.3439, 1e-12, "first spike");
});

Deno.test("working memory test 1 trap: u before the facilitation jump fails the STP check", () => {
  const bad = stpTableMismatches(uBeforeJump);
  assert.ok(bad.length > 0, "the broken update order must be rejected");
  assert.ok(bad.some((m) => m.startsWith("t=10 col 2")), `first efficacy differs: ${bad[0]}`);
});

Deno.test("working memory test 2: PSP→PSC conversions and the 0.45 mV peak", () => {
  close(pspToPsc(1, 15), 170.4256, 1e-4, "factor tau 15");
  close(pspToPsc(1, 10), 186.9186, 1e-4, "factor tau 10");
  close(pspToPsc(0.45, 15), 76.6915, 1e-3, "W(0.45,15)");
  close(pspToPsc(0.10, 15), 17.0426, 1e-3, "W(0.10,15)");
  close(pspToPsc(0.135, 10), 25.2340, 1e-3, "W(0.135,10)");
  close(pspToPsc(0.135, 15), 23.0075, 1e-3, "W(0.135,15)");
  close(pspToPsc(-0.25, 10), -46.7296, 1e-3, "W(-0.25,10)");
  close(pspToPsc(-0.20, 10), -37.3837, 1e-3, "W(-0.20,10)");
  const w = workingMemoryWeights(workingMemoryParams());
  close(w.potentiated, 76.6915, 1e-3, "J_p");
  close(w.baseline, 17.0426, 1e-3, "J_b");
  close(w.ieSelective, 25.2340, 1e-3, "J_IE sel");
  close(w.ieNonSelective, 23.0075, 1e-3, "J_IE nonsel");
  close(w.ei, -46.7296, 1e-3, "J_EI");
  close(w.ii, -37.3837, 1e-3, "J_II");
  // Exact integration of one 76.6915 pA jump into a rest exc neuron (h = 0.05).
  const exc = workingMemoryParams().excitatory;
  const prop = propagators(
    iafPscExp({ tau_m: exc.tau_m, tau_syn_ex: 2, tau_syn_in: 2, E_L: 0, V_th: 20, V_reset: 16 }),
    0.05,
  );
  let y = 0, i = 76.6915, peak = 0;
  for (let s = 0; s < 400; s++) {
    y = prop.P22 * y + prop.P21ex * i;
    i *= prop.P11ex;
    peak = Math.max(peak, y);
  }
  close(peak, 0.45, 5e-4, "PSP peak");
});

Deno.test("working memory test 3: current conversions", () => {
  const b = workingMemoryParams({ regime: "B" });
  const bg = backgroundCurrents(b);
  close(bg.exc.mean, 395.0, 1e-3, "bkg exc mean B");
  close(bg.exc.std, 91.287, 1e-3, "bkg exc std");
  close(bg.inh.mean, 512.5, 1e-3, "bkg inh mean");
  close(bg.inh.std, 111.803, 1e-3, "bkg inh std");
  const sB = stimulusCurrents(b);
  close(sB.cue, 59.25, 1e-3, "cue B");
  close(sB.periodicReadout, 29.625, 1e-3, "periodic B");
  close(sB.offset, -25.0, 1e-3, "offset B");
  close(sB.readout, 19.75, 1e-3, "readout B");
  const sA = stimulusCurrents(workingMemoryParams({ regime: "A" }));
  close(sA.readout, 18.917, 1e-3, "readout A");
  assert.equal(sA.offset, 0);
  close(stimulusCurrents(workingMemoryParams({ regime: "C" })).offset, -35.0, 1e-3, "offset C");
  close(backgroundCurrents(workingMemoryParams({ regime: "A" })).exc.mean, 378.333, 1e-3, "A");
  close(backgroundCurrents(workingMemoryParams({ regime: "C" })).exc.mean, 401.667, 1e-3, "C");
});

Deno.test("working memory test 5: connectivity counts, weights and delays", () => {
  const p = workingMemoryParams();
  assert.equal(selectiveSize(p), 800);
  assert.equal(nonSelectiveSize(p), 4000);
  const rows = connectionTable(p);
  assert.equal(rows.length, 6 * 8 + 7);
  const inputs = new Map<string, { exc: number; inh: number }>();
  for (const r of rows) {
    const t = inputs.get(r.target) ?? { exc: 0, inh: 0 };
    if (r.source === "inh") t.inh += r.indegree;
    else t.exc += r.indegree;
    inputs.set(r.target, t);
    assert.equal(r.stp, r.source !== "inh" && r.target !== "inh", `${r.source}→${r.target} stp`);
  }
  for (const g of groupNames(p)) assert.deepEqual(inputs.get(g), { exc: 1600, inh: 400 }, g);
  const find = (target: string, source: string) =>
    rows.filter((r) => r.target === target && r.source === source)
      .map((r) => [r.indegree, r.weight]);
  assert.deepEqual(find("sel2", "sel2"), [[160, "potentiated"]]);
  assert.deepEqual(find("sel2", "sel3"), [[160, "baseline"]]);
  assert.deepEqual(find("sel0", "nonsel"), [[720, "baseline"], [80, "potentiated"]]);
  assert.deepEqual(find("nonsel", "nonsel"), [[720, "baseline"], [80, "potentiated"]]);
  assert.deepEqual(find("nonsel", "inh"), [[400, "ei"]]);
  assert.deepEqual(find("inh", "sel4"), [[160, "ieSelective"]]);
  assert.deepEqual(find("inh", "nonsel"), [[800, "ieNonSelective"]]);
  assert.deepEqual(find("inh", "inh"), [[400, "ii"]]);
  const d = delayGrid(p);
  assert.deepEqual(d.steps, Array.from({ length: 19 }, (_, i) => i + 2));
  close(d.probabilities.reduce((a, b) => a + b), 1, 1e-12, "delay mass");
  const mean = d.steps.reduce((a, s, i) => a + s * 0.05 * d.probabilities[i], 0);
  close(mean, 0.55, 0.01, "delay mean");
  assert.equal(randomNoiseConnections(p), 1200);
});

Deno.test("working memory protocol: default events per regime and periodic pulses", () => {
  const b = protocolEvents(workingMemoryParams({ regime: "B" }));
  assert.deepEqual(b.map((e) => [e.kind, e.targets, e.startMs, e.stopMs]), [
    ["cue", "sel0", 3000, 3350],
    ["offset", "exc", 5200, 6000],
  ]);
  const a = protocolEvents(workingMemoryParams({ regime: "A" }));
  assert.deepEqual(a.map((e) => [e.kind, e.startMs, e.stopMs]), [
    ["cue", 3000, 3350],
    ["readout", 4100, 4350],
  ]);
  assert.deepEqual(periodicPulseOnsets({ startMs: 3700, endMs: 4300 }, 300), [3700, 4000, 4300]);
  const fig3a = workingMemoryParams({
    tSimMs: 9000,
    cues: [{ population: 0, onsetMs: 3000 }, { population: 1, onsetMs: 6000 }],
    periodicReadouts: [{ startMs: 3700, endMs: 4300 }, { startMs: 5000, endMs: 5900 }],
    randomNoiseOnsetsMs: [4550],
  });
  assert.equal(fig3a.offsetOriginMs, 8200);
  const ev = protocolEvents(fig3a);
  assert.equal(ev.filter((e) => e.kind === "periodic_readout").length, 3 + 4);
  assert.equal(ev.filter((e) => e.kind === "random_noise").length, 1);
  assert.ok(ev.every((e, i) => i === 0 || ev[i - 1].startMs <= e.startMs));
});

Deno.test("working memory parameters: overrides and validation name the parameter", () => {
  const p = workingMemoryParams({ regime: "C", stp: { tauF: 1000 }, excitatory: { t_ref: 1 } });
  assert.equal(p.etaExc, 24.1);
  assert.equal(p.stp.tauF, 1000);
  assert.equal(p.stp.U, 0.19);
  assert.equal(p.excitatory.t_ref, 1);
  assert.equal(p.excitatory.tau_m, 15);
  assert.equal(workingMemoryParams({ etaExc: 23 }).etaExc, 23);
  throwsParameter(() => workingMemoryParams({ regime: "D" as "A" }), "regime");
  throwsParameter(() => workingMemoryParams({ stp: { U: 0 } }), "stp.U");
  throwsParameter(() => workingMemoryParams({ stp: { tauD: -1 } }), "stp.tauD");
  throwsParameter(() => workingMemoryParams({ codingLevel: 0.3 }), "memories");
  throwsParameter(() => workingMemoryParams({ connectivity: 1.5 }), "connectivity");
  throwsParameter(() => workingMemoryParams({ delayMinMs: 0.01 }), "delayMinMs");
  throwsParameter(() => workingMemoryParams({ delayMaxMs: 0.05 }), "delayMaxMs");
  throwsParameter(() => workingMemoryParams({ dtNoiseMs: 0.07 }), "dtNoiseMs");
  throwsParameter(() => workingMemoryParams({ sigma: -1 }), "sigma");
  throwsParameter(() => workingMemoryParams({ excitatory: { V_reset: 25 } }), "excitatory.V_reset");
  throwsParameter(() => workingMemoryParams({ inhibitory: { t_ref: 0.07 } }), "inhibitory.t_ref");
  throwsParameter(
    () => workingMemoryParams({ cues: [{ population: 5, onsetMs: 3000 }] }),
    "cues[0].population",
  );
  throwsParameter(() => workingMemoryParams({ readoutOnsetsMs: [7000] }), "readoutOnsetsMs[0]");
  throwsParameter(() => workingMemoryParams({ nExc: 0 }), "nExc");
  throwsParameter(() => workingMemoryParams({ bogus: 1 } as never), "bogus");
});

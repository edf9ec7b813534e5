// The working-memory analysis against the reference tooling: re-analysing NEST's stored spike
// files reproduces the per-run values in summary.json (rates, PS times, intervals, gaps,
// per-neuron differences, u/x checkpoints, the u-decay fit), and known answers on tiny inputs.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  analyzeWorkingMemory,
  detectPopulationSpikes,
  facilitationTrace,
  type GroupSpikes,
  uDecayTau,
} from "./working_memory_analysis.ts";
import {
  loadReferenceSpikes,
  loadReferenceUx,
  loadWorkingMemoryReference,
  parseSelectiveSpikes,
  type Regime,
} from "./working_memory_reference.ts";

const STP = { U: 0.19, tauF: 1500, tauD: 200, u0: 0.19, x0: 1 };

function close(actual: number, expected: number, tol: number, what: string) {
  ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs NEST tooling ${expected}`);
}

for (
  const [regime, seed] of [["A", "143202461"], ["B", "143202461"], ["C", "143202464"]] as [
    Regime,
    string,
  ][]
) {
  Deno.test(`re-analysing NEST's ${regime} run (seed ${seed}) reproduces its summary.json values`, async () => {
    const ref = await loadWorkingMemoryReference();
    const expected = ref.per_run[regime][seed] as {
      pops: Record<string, Record<string, unknown>>;
      loaded_u4100_minus_max_nonloaded: number;
      nonloaded_ps_total_3400_5200: number;
      u_decay_tau_ms_3400_4100: { base_spont: number; base_U: number };
    };
    const groups = await loadReferenceSpikes({ regime, seed });
    const a = analyzeWorkingMemory(groups, { regime, stp: STP, endMs: 7000 });
    for (let k = 0; k < 5; k++) {
      const e = expected.pops[String(k)];
      const p = a.pops[k] as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(e)) {
        if (typeof value === "number") {
          close(p[name] as number, value, 1e-9 * Math.max(1, Math.abs(value)), `pop ${k} ${name}`);
        } else if (value === null) {
          equal(p[name], null, `pop ${k} ${name}`);
        } else if (Array.isArray(value) && name !== "ps_frac_active") {
          deepEqual(p[name], value, `pop ${k} ${name}`);
        } else if (name === "ps_frac_active" && Array.isArray(value)) {
          const got = p[name] as number[];
          equal(got.length, value.length);
          value.forEach((f: number, i: number) => close(got[i], f, 1e-3, `pop ${k} frac ${i}`));
        }
      }
    }
    close(
      a.loaded_u4100_minus_max_nonloaded,
      expected.loaded_u4100_minus_max_nonloaded,
      1e-12,
      "du",
    );
    equal(a.nonloaded_ps_total_3400_5200, expected.nonloaded_ps_total_3400_5200);
    if (regime === "A") {
      close(
        a.u_decay_tau_ms_3400_4100.base_spont,
        expected.u_decay_tau_ms_3400_4100.base_spont,
        1e-6,
        "tau base spont",
      );
      close(
        a.u_decay_tau_ms_3400_4100.base_U,
        expected.u_decay_tau_ms_3400_4100.base_U,
        1e-6,
        "tau U",
      );
    }
    // The u/x trace of pop 0 and 1 equals the stored 5 ms trace (printed to 6 decimals).
    const ux = await loadReferenceUx({ regime, seed });
    for (let i = 0; i < ux.t.length; i += 7) {
      close(a.traces.u[0][i], ux.u0[i], 6e-7, `u0 at ${ux.t[i]}`);
      close(a.traces.x[0][i], ux.x0[i], 6e-7, `x0 at ${ux.t[i]}`);
      close(a.traces.u[1][i], ux.u1[i], 6e-7, `u1 at ${ux.t[i]}`);
    }
  });
}

function group(times: number[], ids: number[], size: number): GroupSpikes {
  return { name: "g", size, timesMs: Float64Array.from(times), ids: Uint32Array.from(ids) };
}

Deno.test("PS detector: a synchronous volley is one PS at its bin centre; a lone spike is none", () => {
  const times: number[] = [], ids: number[] = [];
  for (let i = 0; i < 40; i++) {
    times.push(1001 + (i % 3));
    ids.push(i);
  }
  times.push(1500);
  ids.push(3);
  const ps = detectPopulationSpikes(group(times, ids, 100), { spontRate: 0.5, endMs: 2000 });
  deepEqual(ps.times, [1002.5]);
  deepEqual(ps.fractions, [0.4]);
  // Fewer than 25 % of the neurons: not a PS however high the rate.
  const few = detectPopulationSpikes(group(times.slice(0, 20), ids.slice(0, 20), 100), {
    spontRate: 0.5,
    endMs: 2000,
  });
  deepEqual(few.times, []);
  // Two volleys 15 ms apart merge into the higher one.
  const t2 = [...times.slice(0, 40), ...Array.from({ length: 60 }, () => 1016)];
  const i2 = [...ids.slice(0, 40), ...Array.from({ length: 60 }, (_, i) => 40 + i)];
  const merged = detectPopulationSpikes(group(t2, i2, 100), { spontRate: 0.5, endMs: 2000 });
  deepEqual(merged.times, [1017.5]);
});

Deno.test("u/x trace: one spike at 10 ms gives u = 0.3439, x = 0.6561 and decays with tau_F, tau_D", () => {
  const tr = facilitationTrace(group([10], [0], 1), STP, { stepMs: 5, endMs: 1000 });
  close(tr.u[2], 0.3439, 1e-12, "u at 10 ms");
  close(tr.x[2], 0.6561, 1e-12, "x at 10 ms");
  close(tr.u[200], 0.19 + 0.1539 * Math.exp(-990 / 1500), 1e-12, "u at 1000 ms");
  close(tr.x[200], 1 - 0.3439 * Math.exp(-990 / 200), 1e-12, "x at 1000 ms");
  const tau = uDecayTau(tr, { base: 0.19, fromMs: 100, toMs: 900 });
  close(tau, 1500, 1e-6, "fitted tau");
});

Deno.test("selective spike CSV: malformed lines are reported with file and line", () => {
  throws(
    () =>
      parseSelectiveSpikes("neuron_id,time_ms,population\n1,2.5,0\n900,x,1\n", {
        file: "f.csv",
        populations: 5,
        size: 800,
      }),
    /f\.csv:3: malformed/,
  );
  throws(
    () => parseSelectiveSpikes("id,t\n", { file: "g.csv", populations: 5, size: 800 }),
    /g\.csv:1: expected the header/,
  );
  // A neuron id outside its population's block is malformed too.
  throws(
    () =>
      parseSelectiveSpikes("neuron_id,time_ms,population\n801,2.5,0\n", {
        file: "h.csv",
        populations: 5,
        size: 800,
      }),
    /h\.csv:2/,
  );
});

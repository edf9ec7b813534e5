// Every kind of bad input gives a ParameterError naming the parameter and the allowed range,
// before any GPU work (these tests never acquire a device).
import { ok, rejects as assertRejects, throws } from "node:assert/strict";
import { normal } from "./distributions.ts";
import { ParameterError } from "./errors.ts";
import { iafPscExp } from "./iaf_psc_exp.ts";
import { type ConnectionRule, Network } from "./network.ts";
import { createSimulator } from "./simulator.ts";

function rejects(fn: () => unknown, parameter: RegExp, range: RegExp) {
  throws(fn, (e: unknown) => {
    ok(e instanceof ParameterError, `expected a ParameterError, got ${e}`);
    ok(parameter.test(e.parameter), `parameter ${e.parameter} does not match ${parameter}`);
    ok(range.test(e.message), `message "${e.message}" does not state the range ${range}`);
    return true;
  });
}

function twoPops() {
  const net = new Network();
  return { net, a: net.population("a", { size: 10 }), b: net.population("b", { size: 10 }) };
}

Deno.test("negative or zero time constants are rejected", () => {
  rejects(() => iafPscExp({ tau_m: -10 }), /tau_m/, /> 0/);
  rejects(() => iafPscExp({ tau_syn_ex: 0 }), /tau_syn_ex/, /> 0/);
  rejects(() => iafPscExp({ C_m: 0 }), /C_m/, /> 0/);
  rejects(() => iafPscExp({ t_ref: -1 }), /t_ref/, /≥ 0/);
  rejects(() => new Network({ resolutionMs: 0 }), /resolutionMs/, /> 0/);
});

Deno.test("delays below the resolution or off the grid are rejected", () => {
  const { net, a, b } = twoPops();
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: 1, delay: 0.05 }),
    /delay/,
    /multiple of the resolution/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: 1, delay: 0.15 }),
    /delay/,
    /multiple of the resolution/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: 1, delay: normal(1, 0.5) }),
    /delay\.min/,
    /half the resolution/,
  );
  rejects(() => net.poisson(a, { rateHz: 10, weight: 1, delayMs: 0 }), /delayMs/, /> 0/);
});

Deno.test("probabilities outside [0, 1] are rejected", () => {
  const { net, a, b } = twoPops();
  for (const p of [-0.1, 1.5, NaN]) {
    rejects(
      () => net.connect(a, b, { rule: { kind: "pairwise_bernoulli", p }, weight: 1, delay: 1 }),
      /rule\.p/,
      /\[0, 1\]/,
    );
  }
});

Deno.test("empty populations are rejected", () => {
  const net = new Network();
  rejects(() => net.population("empty", { size: 0 }), /size/, /integer in \[1/);
  rejects(() => net.population("half", { size: 2.5 }), /size/, /integer/);
  rejects(() => new Network().spec(), /populations/, /at least one/);
});

Deno.test("unknown rules and backends are rejected", async () => {
  const { net, a, b } = twoPops();
  const rule = { kind: "fixed_probability" } as unknown as ConnectionRule;
  rejects(
    () => net.connect(a, b, { rule, weight: 1, delay: 1 }),
    /rule\.kind/,
    /one of one_to_one/,
  );
  // createSimulator returns a promise: a bad backend rejects it (before any device work).
  await assertRejects(
    createSimulator(net, { backend: "cuda" as "cpu" }),
    (e: unknown) => {
      ok(e instanceof ParameterError && e.parameter === "backend", `${e}`);
      ok(/webgpu, cpu/.test(e.message), e.message);
      return true;
    },
  );
});

Deno.test("NaN anywhere is rejected", () => {
  const { net, a, b } = twoPops();
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: NaN, delay: 1 }),
    /weight/,
    /finite/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: normal(NaN, 1), delay: 1 }),
    /weight\.mean/,
    /finite/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: 1, delay: NaN }),
    /delay/,
    /finite/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "fixed_indegree", k: NaN }, weight: 1, delay: 1 }),
    /rule\.k/,
    /integer/,
  );
  rejects(() => net.poisson(a, { rateHz: NaN, weight: 1, delayMs: 1 }), /rateHz/, /finite/);
  rejects(() => net.dc(a, NaN), /amplitudePa/, /finite/);
  rejects(() => net.population("c", { size: 3, v0: normal(-60, NaN) }), /v0\.std/, /finite/);
  rejects(() => iafPscExp({ V_th: NaN }), /V_th/, /finite/);
  rejects(() => new Network({ seed: NaN }), /seed/, /integer/);
});

Deno.test("impossible degrees and negative std are rejected", () => {
  const { net, a, b } = twoPops();
  rejects(
    () =>
      net.connect(a, b, {
        rule: { kind: "fixed_indegree", k: 11, allowMultapses: false },
        weight: 1,
        delay: 1,
      }),
    /rule\.k/,
    /\[0, 10\]/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "fixed_total_number", n: -1 }, weight: 1, delay: 1 }),
    /rule\.n/,
    /integer/,
  );
  rejects(
    () => net.connect(a, b, { rule: { kind: "all_to_all" }, weight: normal(1, -1), delay: 1 }),
    /weight\.std/,
    /≥ 0/,
  );
  const c = net.population("c", { size: 3 });
  rejects(
    () => net.connect(a, c, { rule: { kind: "one_to_one" }, weight: 1, delay: 1 }),
    /rule/,
    /equal size/,
  );
});

// Regression: the builder recognised its populations by name and index, so
// `netA.connect(netA.E, netB.I)` was accepted when netB's I had the same name and index as a
// population of netA (and silently wired netA's I). Every method taking a population (connect,
// poisson, dc, current, record) now accepts only the handles this network's population()
// returned, by identity; a foreign handle or a copy of one is a ParameterError.
import { ok, throws } from "node:assert/strict";
import { ParameterError } from "./errors.ts";
import { Network, type Population } from "./network.ts";

function twin() {
  const net = new Network();
  return { net, e: net.population("E", { size: 4 }), i: net.population("I", { size: 2 }) };
}

function foreign(fn: () => unknown, parameter: string) {
  throws(fn, (e: unknown) => {
    ok(e instanceof ParameterError, `expected a ParameterError, got ${e}`);
    ok(e.parameter === parameter, `parameter ${e.parameter}, expected ${parameter}`);
    ok(/a population handle returned by this network's population\(\)/.test(e.message), e.message);
    return true;
  });
}

const rule = { kind: "all_to_all" } as const;

Deno.test("populations of another network are rejected by every method", () => {
  const a = twin();
  const b = twin(); // same names, indices, sizes and first ids
  foreign(() => a.net.connect(a.e, b.i, { rule, weight: 1, delay: 1 }), "connect.post");
  foreign(() => a.net.connect(b.e, a.i, { rule, weight: 1, delay: 1 }), "connect.pre");
  foreign(() => a.net.poisson(b.e, { rateHz: 10, weight: 1, delayMs: 1 }), "poisson.target");
  foreign(() => a.net.dc(b.e, 5), "dc.target");
  foreign(() => a.net.current(b.e, { meanPa: 1 }), "current.target");
  foreign(() => a.net.record(b.e), "record.population");
  // Nothing was added to a.
  const spec = a.net.spec();
  ok(spec.projections.length === 0 && (spec.currents ?? []).length === 0);
  ok(spec.populations.every((p) => !p.poisson && !p.recorded && p.params.I_e === 0));
  // Each network still takes its own handles.
  a.net.connect(a.e, a.i, { rule, weight: 1, delay: 1 });
  b.net.connect(b.e, b.i, { rule, weight: 1, delay: 1 });
});

Deno.test("copies and look-alikes of a handle are rejected", () => {
  const { net, e } = twin();
  foreign(() => net.record({ ...e }), "record.population");
  foreign(() => net.record(structuredClone(e)), "record.population");
  const fake: Population = { index: 0, name: "E", size: 4, first: 0 };
  foreign(() => net.record(fake), "record.population");
  for (const bad of [null, undefined, 0, "E"]) {
    throws(() => net.record(bad as unknown as Population), ParameterError);
  }
  // Handles are frozen, so one cannot be edited into another population either.
  ok(Object.isFrozen(e));
});

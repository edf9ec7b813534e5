// Regression: a normal() delay without `min` whose lower tail reaches below the resolution was
// rejected with "delay.min: got -Infinity" (connect) or with the distribution printed as
// "min":null,"max":null (current), which says neither what is wrong nor how to fix it. Both
// now share one check: the message says the delay needs a lower bound via
// normal(mean, std, { min }) and gives the allowed range [h/2, 4095·h]. The check is the same
// for connect and current: the window [min, max] cut to mean ± 9 std (where the delay table
// ends) must lie in that range, so a normal without min (or max) whose tail cannot leave it is
// accepted on both (current used to demand an explicit max).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { normal } from "./distributions.ts";
import { ParameterError } from "./errors.ts";
import { Network } from "./network.ts";
import { build } from "./test_util.ts";

function pair() {
  const net = new Network({ resolutionMs: 0.1 });
  return { net, a: net.population("a", { size: 3 }), b: net.population("b", { size: 3 }) };
}

function rejectsWith(fn: () => unknown, parameter: string, message: RegExp) {
  throws(fn, (e: unknown) => {
    ok(e instanceof ParameterError, `expected a ParameterError, got ${e}`);
    equal(e.parameter, parameter);
    ok(message.test(e.message), `message "${e.message}" does not match ${message}`);
    ok(!/Infinity|null/.test(e.message), `message "${e.message}" shows an unset bound`);
    return true;
  });
}

const rule = { kind: "all_to_all" } as const;
const needsMin =
  /got no lower bound .*expected a lower bound in \[0\.05, 409\.5\] ms, as normal\(mean, std, \{ min \}\)/;

Deno.test("a normal delay without min is rejected with what to add", () => {
  const { net, a, b } = pair();
  const delay = normal(1, 0.5); // lower tail reaches 1 − 9·0.5 = −3.5 ms
  rejectsWith(
    () => net.connect(a, b, { rule, weight: 1, delay }),
    "connect(a→b).delay.min",
    needsMin,
  );
  rejectsWith(() => net.current(a, { meanPa: 1, delay }), "current(a).delay.min", needsMin);
  // A bound below half the resolution names the same range.
  const low = normal(1, 0.5, { min: 0 });
  const range =
    /got 0, expected a redraw lower bound in \[0\.05, 409\.5\] ms: min ≥ 0\.05 ms, half/;
  rejectsWith(
    () => net.connect(a, b, { rule, weight: 1, delay: low }),
    "connect(a→b).delay.min",
    range,
  );
  rejectsWith(() => net.current(a, { meanPa: 1, delay: low }), "current(a).delay.min", range);
  equal(net.spec().projections.length, 0);
});

Deno.test("connect and current accept the same normal delays", () => {
  const { net, a, b } = pair();
  // min given, max omitted (current used to reject this).
  const open = normal(1, 0.5, { min: 0.1 });
  // Neither bound, but mean ± 9 std lies in [0.05, 409.5] ms.
  const far = normal(20, 1);
  for (const delay of [open, far]) {
    net.connect(a, b, { rule, weight: 1, delay });
    net.current(a, { meanPa: 1, delay });
  }
  // Too long: the upper tail (no max) or max beyond 4095 steps, for both.
  const tooLong = [
    [normal(400, 5), /got no upper bound \(the upper tail of normal\(400, 5\) reaches 445 ms\)/],
    [normal(400, 20, { min: 0.1, max: 500 }), /got 500/],
  ] as const;
  for (const [delay, got] of tooLong) {
    const range = /delays of at most 409\.5 ms \(4095 steps\): a redraw upper bound in \[0\.05/;
    for (
      const [fn, parameter] of [
        [() => net.connect(a, b, { rule, weight: 1, delay }), "connect(a→b).delay.max"],
        [() => net.current(a, { meanPa: 1, delay }), "current(a).delay.max"],
      ] as const
    ) {
      rejectsWith(fn, parameter, got);
      rejectsWith(fn, parameter, range);
    }
  }
  // A max beyond the range is harmless when the tail ends before it.
  net.connect(a, b, { rule, weight: 1, delay: normal(1, 0.5, { min: 0.1, max: 500 }) });
  net.current(a, { meanPa: 1, delay: normal(1, 0.5, { min: 0.1, max: 500 }) });
});

Deno.test({
  name: "an unbounded normal delay far from zero builds the same on both backends",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const { net, a, b } = pair();
  net.connect(a, b, { rule, weight: 1, delay: normal(2, 0.2) });
  const cpu = await build(net, "cpu");
  const gpu = await build(net, "webgpu");
  try {
    const [c, g] = [await cpu.connectivity(), await gpu.connectivity()];
    deepEqual(g, c);
    ok(c.delaySteps.every((d) => d >= 2 && d <= 38), `delays ${c.delaySteps}`);
  } finally {
    cpu.close();
    gpu.close();
  }
});

// Regression: ParameterError printed a value with an omitted (infinite) bound through JSON,
// where ±Infinity and NaN become null: "got {"min":null,"max":null}" or "got [null,-10]". It
// now prints them as -Infinity, Infinity and NaN.
import { equal, throws } from "node:assert/strict";
import { normal, validateDistribution } from "./distributions.ts";
import { ParameterError } from "./errors.ts";

Deno.test("infinite and NaN numbers inside a value print as themselves", () => {
  equal(
    new ParameterError("w", normal(0, 1), "x").message,
    'w: got {"kind":"normal","mean":0,"std":1,"min":-Infinity,"max":Infinity}, expected x',
  );
  equal(
    new ParameterError("w", [NaN, -Infinity, 1], "x").message,
    "w: got [NaN,-Infinity,1], expected x",
  );
  throws(
    () => validateDistribution(normal(0, 1, { max: -10 }), "weight"),
    {
      message: "weight.min/max: got [-Infinity,-10], expected redraw bounds that keep some " +
        "probability mass (within 8 std of the mean)",
    },
  );
});

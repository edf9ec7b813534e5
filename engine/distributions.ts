/**
 * Value distributions for weights, delays and initial membrane potentials, in NEST's
 * vocabulary: a constant, or a normal distribution truncated by re-drawing (`nest.math.redraw`)
 * outside optional bounds.
 */
import { ParameterError, requireFinite, requireNonNegative } from "./errors.ts";

/** A constant value. */
export interface ConstantDistribution {
  kind: "constant";
  value: number;
}

/** A normal distribution, re-drawn (not clamped) until the value lies in [min, max]. */
export interface NormalDistribution {
  kind: "normal";
  mean: number;
  std: number;
  /** Lower redraw bound (inclusive); −∞ when absent. */
  min: number;
  /** Upper redraw bound (inclusive); +∞ when absent. */
  max: number;
}

/** Any distribution the builder accepts. */
export type Distribution = ConstantDistribution | NormalDistribution;

/** A constant value. */
export function constant(value: number): ConstantDistribution {
  return { kind: "constant", value };
}

/**
 * A normal distribution with redraw bounds, as `nest.math.redraw(nest.random.normal(mean, std),
 * min, max)`.
 */
export function normal(
  mean: number,
  std: number,
  bounds: { min?: number; max?: number } = {},
): NormalDistribution {
  return {
    kind: "normal",
    mean,
    std,
    min: bounds.min ?? -Infinity,
    max: bounds.max ?? Infinity,
  };
}

/** Accepts a number as shorthand for a constant. */
export function asDistribution(value: number | Distribution): Distribution {
  return typeof value === "number" ? constant(value) : value;
}

/** Throws a ParameterError naming `where` unless `d` is a well-formed distribution. */
export function validateDistribution(d: Distribution, where: string): void {
  if (d === null || typeof d !== "object") {
    throw new ParameterError(where, d, "a number, constant(v) or normal(mean, std, bounds)");
  }
  if (d.kind === "constant") {
    requireFinite(`${where}.value`, d.value);
    return;
  }
  if (d.kind !== "normal") {
    throw new ParameterError(
      `${where}.kind`,
      (d as { kind: unknown }).kind,
      '"constant" or "normal"',
    );
  }
  requireFinite(`${where}.mean`, d.mean);
  requireNonNegative(`${where}.std`, d.std);
  if (Number.isNaN(d.min) || d.min === Infinity) {
    throw new ParameterError(`${where}.min`, d.min, "a number < +∞ (or omitted)");
  }
  if (Number.isNaN(d.max) || d.max === -Infinity) {
    throw new ParameterError(`${where}.max`, d.max, "a number > −∞ (or omitted)");
  }
  if (!(d.min <= d.max)) {
    throw new ParameterError(`${where}.min`, d.min, `a bound ≤ max (${d.max})`);
  }
  if (d.std === 0 && !(d.mean >= d.min && d.mean <= d.max)) {
    throw new ParameterError(
      `${where}.mean`,
      d.mean,
      `a value in [${d.min}, ${d.max}] when std = 0`,
    );
  }
  if (d.std > 0) {
    // A window more than 8 std away from the mean has (numerically) no mass to redraw into.
    const lo = (d.min - d.mean) / d.std;
    const hi = (d.max - d.mean) / d.std;
    if (lo > 8 || hi < -8) {
      throw new ParameterError(
        `${where}.min/max`,
        [d.min, d.max],
        "redraw bounds that keep some probability mass (within 8 std of the mean)",
      );
    }
  }
}

/** The smallest and largest value a distribution can produce (bounds of its support). */
export function support(d: Distribution): { lo: number; hi: number } {
  if (d.kind === "constant") return { lo: d.value, hi: d.value };
  return { lo: d.min, hi: d.max };
}

/**
 * Errors raised for invalid model parameters, before any GPU work happens.
 *
 * Every message names the parameter, the value it got and the range that is allowed, so a
 * user can fix the input without reading the source.
 */
export class ParameterError extends Error {
  /** The dotted name of the offending parameter, e.g. `connect(L4E→L23E).rule.p`. */
  readonly parameter: string;

  constructor(parameter: string, got: unknown, expected: string) {
    super(`${parameter}: got ${formatValue(got)}, expected ${expected}`);
    this.name = "ParameterError";
    this.parameter = parameter;
  }
}

/**
 * A value that a ParameterError prints as this text, for inputs that are best described in
 * words (an omitted bound, say) rather than shown.
 */
export class DescribedValue {
  constructor(readonly text: string) {}
}

function formatValue(value: unknown): string {
  if (value instanceof DescribedValue) return value.text;
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  try {
    // JSON has no ±Infinity or NaN (it would print null): keep them readable, e.g. in a
    // distribution's omitted bounds.
    const json = JSON.stringify(
      value,
      (_key, v) => typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}\u0000` : v,
    );
    return json?.replace(/"\\u0000(-?Infinity|NaN)\\u0000"/g, "$1") ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Raised by every method of a simulator after `close()` (on both backends): the simulator's
 * buffers are gone, so nothing can be run or read back.
 */
export class SimulatorClosedError extends Error {
  /** The method that was called, e.g. `run`. */
  readonly method: string;

  constructor(method: string) {
    super(`simulator is closed: ${method}() was called after close(); build a new simulator`);
    this.name = "SimulatorClosedError";
    this.method = method;
  }
}

/**
 * A method of a simulator was called while an asynchronous one (`run`, `state`, ...) had not
 * finished: the device buffers it would read or free are in use.
 */
export class SimulatorBusyError extends Error {
  /** The method that was called. */
  readonly method: string;
  /** The method still in progress. */
  readonly busyWith: string;

  constructor(method: string, busyWith: string) {
    super(
      `simulator is busy: ${method}() was called while ${busyWith}() is in progress; await it first`,
    );
    this.name = "SimulatorBusyError";
    this.method = method;
    this.busyWith = busyWith;
  }
}

/** Throws a ParameterError unless `value` is a finite number. */
export function requireFinite(parameter: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ParameterError(parameter, value, "a finite number");
  }
  return value;
}

/** Throws unless `value` is a finite number strictly greater than zero. */
export function requirePositive(parameter: string, value: unknown): number {
  const v = requireFinite(parameter, value);
  if (!(v > 0)) throw new ParameterError(parameter, value, "a finite number > 0");
  return v;
}

/** Throws unless `value` is a finite number ≥ 0. */
export function requireNonNegative(parameter: string, value: unknown): number {
  const v = requireFinite(parameter, value);
  if (!(v >= 0)) throw new ParameterError(parameter, value, "a finite number ≥ 0");
  return v;
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(
  parameter: string,
  value: unknown,
  range: { min: number; max?: number },
): number {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > max
  ) {
    throw new ParameterError(parameter, value, `an integer in [${range.min}, ${max}]`);
  }
  return value;
}

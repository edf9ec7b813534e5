/**
 * Sampling tables: how a uniform u32 word becomes a weight, a delay or a Poisson count using
 * integer arithmetic only, so the GPU kernels and the CPU backend produce bit-identical
 * values from the same random word.
 *
 * - Discrete distributions (delay steps, Poisson counts) are exact: cumulative thresholds
 *   `c_j = round(2^32·F(j))`; the sample is the number of thresholds ≤ the word.
 * - Continuous distributions (weights) use the quantile function tabulated at
 *   `WEIGHT_TABLE_SIZE + 1` points and linear interpolation in fixed point. This is an
 *   approximation of the truncated normal: inside the table it is exact to the interpolation
 *   error; each end interval is given the endpoint that preserves the tail's conditional mean.
 */
import type { Distribution } from "./distributions.ts";

/** Intervals of the weight quantile table (a power of two: 12 index bits of the word). */
export const WEIGHT_TABLE_SIZE = 4096;
const WEIGHT_INDEX_SHIFT = 20; // 32 − log2(WEIGHT_TABLE_SIZE)

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF Φ(x), accurate to ~1e-15 relative (series / continued fraction). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (x < 0) return 0.5 * erfc(-x / Math.SQRT2);
  return 1 - 0.5 * erfc(x / Math.SQRT2);
}

/** Complementary error function for x ≥ 0. */
function erfc(x: number): number {
  if (x < 2) {
    // Taylor series of erf; terms alternate, cancellation is mild for x < 2.
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - 2 / Math.sqrt(Math.PI) * sum;
  }
  // Continued fraction (modified Lentz) for erfc.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

/** Standard normal quantile Φ⁻¹(p) (Acklam's approximation refined by Newton steps). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  for (let i = 0; i < 2; i++) {
    const err = normalCdf(x) - p;
    x -= err / Math.max(normalPdf(x), 1e-300);
  }
  return x;
}

/** Thresholds of a discrete distribution over `values` with probabilities `probs`. */
export interface DiscreteTable {
  /** values[i] is returned when exactly i thresholds are ≤ the word. */
  values: Int32Array;
  /** Cumulative thresholds round(2^32·F), length values.length − 1, non-decreasing. */
  thresholds: Uint32Array;
}

function discreteTable(values: number[], probs: number[]): DiscreteTable {
  const total = probs.reduce((s, p) => s + p, 0);
  const thresholds = new Uint32Array(values.length - 1);
  let cumulative = 0;
  for (let j = 0; j < values.length - 1; j++) {
    cumulative += probs[j] / total;
    thresholds[j] = Math.min(0xffffffff, Math.round(cumulative * 2 ** 32));
  }
  return { values: Int32Array.from(values), thresholds };
}

/** Draws from a discrete table with one uniform u32 word (the CPU twin of the WGSL loop). */
export function sampleDiscrete(table: DiscreteTable, word: number): number {
  let i = 0;
  const t = table.thresholds;
  while (i < t.length && word >= t[i]) i++;
  return table.values[i];
}

/**
 * Delay in steps, `max(1, round(d/h))` with d drawn from `dist` and redrawn outside its bounds,
 * as an exact discrete table.
 */
export function delayTable(dist: Distribution, resolutionMs: number): DiscreteTable {
  if (dist.kind === "constant" || dist.std === 0) {
    const v = dist.kind === "constant" ? dist.value : dist.mean;
    return discreteTable([Math.max(1, Math.round(v / resolutionMs))], [1]);
  }
  const { mean, std, min, max } = dist;
  const lo = Math.max(min, mean - 9 * std);
  const hi = Math.min(max, mean + 9 * std);
  const z = (v: number) => (v - mean) / std;
  const firstStep = Math.max(0, Math.floor(lo / resolutionMs - 0.5));
  const lastStep = Math.ceil(hi / resolutionMs + 0.5);
  const values: number[] = [];
  const probs: number[] = [];
  for (let k = firstStep; k <= lastStep; k++) {
    const a = Math.max(lo, (k - 0.5) * resolutionMs);
    const b = Math.min(hi, (k + 0.5) * resolutionMs);
    if (!(b > a)) continue;
    const p = normalCdf(z(b)) - normalCdf(z(a));
    if (p <= 0) continue;
    const step = Math.max(1, k);
    if (values.at(-1) === step) probs[probs.length - 1] += p;
    else {
      values.push(step);
      probs.push(p);
    }
  }
  return discreteTable(values, probs);
}

/** Poisson(λ) counts as an exact table, truncated where the tail mass is below 2^-40. */
export function poissonTable(lambda: number): DiscreteTable {
  if (lambda === 0) return discreteTable([0], [1]);
  const values: number[] = [];
  const probs: number[] = [];
  let p = Math.exp(-lambda);
  let cumulative = 0;
  for (let k = 0; k < 10000; k++) {
    values.push(k);
    probs.push(p);
    cumulative += p;
    if (1 - cumulative < 2 ** -40 && k >= lambda) break;
    p *= lambda / (k + 1);
  }
  return discreteTable(values, probs);
}

/** The quantile table of a weight distribution (pA), WEIGHT_TABLE_SIZE + 1 points. */
export function weightQuantileTable(dist: Distribution): Float64Array {
  const table = new Float64Array(WEIGHT_TABLE_SIZE + 1);
  if (dist.kind === "constant" || dist.std === 0) {
    return table.fill(dist.kind === "constant" ? dist.value : dist.mean);
  }
  const { mean, std } = dist;
  const alpha = Math.max((dist.min - mean) / std, -9);
  const beta = Math.min((dist.max - mean) / std, 9);
  const cdfA = normalCdf(alpha);
  const mass = normalCdf(beta) - cdfA;
  const quantile = (u: number) => {
    const z = normalQuantile(cdfA + u * mass);
    return Math.min(beta, Math.max(alpha, z));
  };
  // Conditional mean of the truncated standard normal on [lo, hi].
  const conditionalMean = (lo: number, hi: number) =>
    (normalPdf(lo) - normalPdf(hi)) / (normalCdf(hi) - normalCdf(lo));
  for (let i = 1; i < WEIGHT_TABLE_SIZE; i++) table[i] = quantile(i / WEIGHT_TABLE_SIZE);
  const first = table[1];
  const last = table[WEIGHT_TABLE_SIZE - 1];
  table[0] = Math.max(alpha, 2 * conditionalMean(alpha, first) - first);
  table[WEIGHT_TABLE_SIZE] = Math.min(beta, 2 * conditionalMean(last, beta) - last);
  for (let i = 0; i <= WEIGHT_TABLE_SIZE; i++) table[i] = mean + std * table[i];
  return table;
}

/** Converts a weight table to fixed-point units (`scale` units per pA), rounding to nearest. */
export function fixedPointTable(table: Float64Array, scale: number): Int32Array {
  const out = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = Math.round(table[i] * scale);
  return out;
}

/**
 * Draws a fixed-point weight from `table` (offset `base`) with one word, by integer linear
 * interpolation (the CPU twin of `sample_weight` in the WGSL kernels).
 */
export function sampleWeight(table: Int32Array, base: number, word: number): number {
  const index = word >>> WEIGHT_INDEX_SHIFT;
  const frac = (word >>> 4) & 0xffff;
  const lo = table[base + index];
  const diff = (table[base + index + 1] - lo) >>> 0;
  const a = diff >>> 16;
  const b = diff & 0xffff;
  const r = (a * frac + Math.floor((b * frac) / 65536)) >>> 0;
  return (lo + r) | 0;
}

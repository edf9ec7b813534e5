/**
 * Statistics for the engine's statistical tests, written independently of the engine's own
 * sampling code: the regularized incomplete gamma function and the chi-square survival
 * function built on it, a chi-square goodness-of-fit test for integer samples, binomial and
 * Poisson probabilities, the moments of a normal distribution truncated by redraw, and the
 * moments of such a delay after rounding to whole steps.
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x ≥ 0:
 * the series of P = 1 − Q for x < a + 1, Lentz's continued fraction otherwise (Numerical
 * Recipes §6.2).
 */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaQ(${a}, ${x}): need a > 0, x ≥ 0`);
  if (x === 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/** P(χ²_df > x): the chi-square survival function (p-value of a statistic x). */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Standard normal CDF Φ(z), from Q(1/2, z²/2) = erfc(|z|/√2). */
export function standardNormalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const tail = 0.5 * gammaQ(0.5, z * z / 2);
  return z < 0 ? tail : 1 - tail;
}

/** Standard normal density φ(z). */
export function standardNormalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** P(X = k) for X ~ binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) +
      (n - k) * Math.log1p(-p),
  );
}

/** P(X = k) for X ~ Poisson(λ). */
export function poissonPmf(k: number, lambda: number): number {
  if (k < 0) return 0;
  if (lambda === 0) return k === 0 ? 1 : 0;
  return Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1));
}

/** Result of `chiSquareGoodnessOfFit`. */
export interface ChiSquareResult {
  statistic: number;
  /** Degrees of freedom: bins after merging − 1 (no parameter is estimated from the data). */
  df: number;
  /** P(χ²_df > statistic). */
  p: number;
  /** Bins after merging, as [first value, last value, observed, expected]. */
  bins: [number, number, number, number][];
}

/**
 * Chi-square goodness of fit of integer `samples` to the distribution `pmf` on the values
 * `range` = [lo, hi] (which must hold all but ~1e-9 of the mass; samples outside it count in the
 * first or last bin). Adjacent values are merged from the left until every bin expects ≥ 5.
 */
export function chiSquareGoodnessOfFit(
  samples: ArrayLike<number>,
  options: { pmf: (k: number) => number; range: [number, number] },
): ChiSquareResult {
  const [lo, hi] = options.range;
  const n = samples.length;
  const observed = new Float64Array(hi - lo + 1);
  for (let i = 0; i < n; i++) {
    const k = Math.min(hi, Math.max(lo, samples[i]));
    observed[k - lo]++;
  }
  let mass = 0;
  const expected = new Float64Array(hi - lo + 1);
  for (let k = lo; k <= hi; k++) {
    expected[k - lo] = options.pmf(k);
    mass += expected[k - lo];
  }
  if (Math.abs(mass - 1) > 1e-9) {
    throw new RangeError(`the range [${lo}, ${hi}] holds mass ${mass}, not 1`);
  }
  const bins: [number, number, number, number][] = [];
  let start = lo, obs = 0, exp = 0;
  for (let k = lo; k <= hi; k++) {
    obs += observed[k - lo];
    exp += expected[k - lo] * n;
    if (exp >= 5) {
      bins.push([start, k, obs, exp]);
      start = k + 1;
      obs = 0;
      exp = 0;
    }
  }
  if (exp > 0 || obs > 0) {
    const last = bins.pop();
    if (last) bins.push([last[0], hi, last[2] + obs, last[3] + exp]);
    else bins.push([start, hi, obs, exp]);
  }
  let statistic = 0;
  for (const [, , o, e] of bins) statistic += (o - e) ** 2 / e;
  const df = bins.length - 1;
  return { statistic, df, p: df > 0 ? chiSquareSurvival(statistic, df) : 1, bins };
}

/** Mean and standard deviation. */
export interface Moments {
  mean: number;
  std: number;
}

/** Sample mean and (population, ddof = 0) standard deviation. */
export function sampleMoments(values: ArrayLike<number>, scale = 1): Moments {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] / scale;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] / scale - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/**
 * Analytic mean and std of normal(mean, std) truncated to [lo, hi] (redraw truncation):
 * with α = (lo − μ)/σ, β = (hi − μ)/σ, Z = Φ(β) − Φ(α):
 * E = μ + σ(φ(α) − φ(β))/Z, Var = σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²].
 */
export function truncatedNormalMoments(
  mean: number,
  std: number,
  bounds: { lo: number; hi: number },
): Moments {
  const a = (bounds.lo - mean) / std;
  const b = (bounds.hi - mean) / std;
  const pa = Number.isFinite(a) ? standardNormalPdf(a) : 0;
  const pb = Number.isFinite(b) ? standardNormalPdf(b) : 0;
  const z = standardNormalCdf(b) - standardNormalCdf(a);
  const shift = (pa - pb) / z;
  const apa = Number.isFinite(a) ? a * pa : 0;
  const bpb = Number.isFinite(b) ? b * pb : 0;
  return {
    mean: mean + std * shift,
    std: std * Math.sqrt(1 + (apa - bpb) / z - shift * shift),
  };
}

/**
 * Mean and std (in steps) of `max(1, round(d/h))` for d ~ normal(mean, std) redrawn outside
 * [lo, hi], by midpoint integration of the density (independent of the engine's tables).
 */
export function roundedDelayMoments(
  mean: number,
  std: number,
  options: { lo: number; hi: number; resolution: number },
): Moments {
  const lo = Math.max(options.lo, mean - 12 * std);
  const hi = Math.min(options.hi, mean + 12 * std);
  const n = 400000;
  const dx = (hi - lo) / n;
  let mass = 0, m1 = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = lo + (i + 0.5) * dx;
    const w = standardNormalPdf((d - mean) / std);
    const k = Math.max(1, Math.round(d / options.resolution));
    mass += w;
    m1 += w * k;
    m2 += w * k * k;
  }
  const m = m1 / mass;
  return { mean: m, std: Math.sqrt(m2 / mass - m * m) };
}

// The test statistics against known values (tables, closed forms), so the statistical engine
// tests rest on a checked chi-square survival function.
import { equal, ok } from "node:assert/strict";
import {
  binomialPmf,
  chiSquareGoodnessOfFit,
  chiSquareSurvival,
  gammaQ,
  logGamma,
  poissonPmf,
  roundedDelayMoments,
  standardNormalCdf,
  truncatedNormalMoments,
} from "./test_statistics.ts";

function close(actual: number, expected: number, relative: number, what: string) {
  ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what}: ${actual} vs ${expected}`,
  );
}

Deno.test("logGamma matches ln Γ at known points", () => {
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, "lnΓ(1/2)");
  ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14, "lnΓ(1) = lnΓ(2) = 0");
  close(logGamma(10), Math.log(362880), 1e-14, "lnΓ(10) = ln 9!");
  // ln 100! = 363.73937555556347 (Stirling series to many terms).
  close(logGamma(101), 363.73937555556347, 1e-14, "lnΓ(101)");
});

Deno.test("chi-square survival equals tabulated critical values", () => {
  // Upper quantiles of χ² (e.g. scipy.stats.chi2.ppf): P(χ²_df > x) = p.
  const table: [number, number, number][] = [
    [3.841458820694124, 1, 0.05],
    [6.6348966010212145, 1, 0.01],
    [18.307038053275146, 10, 0.05],
    [124.34211340400407, 100, 0.05],
  ];
  for (const [x, df, p] of table) close(chiSquareSurvival(x, df), p, 1e-9, `sf(${x}, ${df})`);
  // df = 1: P(χ²_1 > 2) = erfc(1) = 0.15729920705028513.
  close(chiSquareSurvival(2, 1), 0.15729920705028513, 1e-12, "sf(2, 1)");
  equal(chiSquareSurvival(0, 5), 1);
});

Deno.test("chi-square survival equals the closed form for even df (both algorithm branches)", () => {
  // For df = 2m: P(χ² > x) = e^{−x/2} Σ_{j<m} (x/2)^j / j!.
  const closedForm = (x: number, m: number) => {
    let term = 1, sum = 0;
    for (let j = 0; j < m; j++) {
      sum += term;
      term *= x / 2 / (j + 1);
    }
    return Math.exp(-x / 2) * sum;
  };
  for (const [x, df] of [[1, 2], [4, 10], [30, 10], [50, 60], [200, 60], [0.01, 4]]) {
    close(chiSquareSurvival(x, df), closedForm(x, df / 2), 1e-11, `sf(${x}, ${df})`);
  }
  close(gammaQ(1, 3), Math.exp(-3), 1e-13, "Q(1, 3) = e^-3");
});

Deno.test("the normal CDF from Q(1/2, ·) is accurate", () => {
  close(standardNormalCdf(1.959963984540054), 0.975, 1e-12, "Φ(1.96)");
  close(standardNormalCdf(-3), 0.0013498980316300933, 1e-10, "Φ(−3)");
  equal(standardNormalCdf(0), 0.5);
});

Deno.test("truncated normal moments: untruncated and half-normal cases", () => {
  const full = truncatedNormalMoments(2, 3, { lo: -Infinity, hi: Infinity });
  close(full.mean, 2, 1e-12, "mean");
  close(full.std, 3, 1e-12, "std");
  // Half-normal: mean μ + σ√(2/π), std σ√(1 − 2/π).
  const half = truncatedNormalMoments(2, 3, { lo: 2, hi: Infinity });
  close(half.mean, 2 + 3 * Math.sqrt(2 / Math.PI), 1e-12, "half-normal mean");
  close(half.std, 3 * Math.sqrt(1 - 2 / Math.PI), 1e-12, "half-normal std");
  // A narrow normal rounds to its mean: delay 1.5 ms ± 0.001 at h = 0.1 → 15 steps.
  const d = roundedDelayMoments(1.5, 0.001, { lo: 0, hi: Infinity, resolution: 0.1 });
  close(d.mean, 15, 1e-12, "rounded delay");
});

Deno.test("binomial and Poisson probabilities sum to one and match small cases", () => {
  close(binomialPmf(2, 4, 0.5), 6 / 16, 1e-13, "C(4,2)/16");
  close(poissonPmf(3, 2), Math.exp(-2) * 8 / 6, 1e-13, "Poisson(3; 2)");
  let sum = 0;
  for (let k = 0; k <= 1000; k++) sum += binomialPmf(k, 200000, 0.001);
  close(sum, 1, 1e-9, "Σ binomial");
});

Deno.test("chi-square goodness of fit accepts matching counts, rejects a shift, merges bins", () => {
  const lambda = 4;
  const pmf = (k: number) => poissonPmf(k, lambda);
  // Samples laid out exactly in proportion to the pmf: a near-perfect fit.
  const exact: number[] = [];
  for (let k = 0; k <= 30; k++) {
    for (let i = 0; i < Math.round(10000 * pmf(k)); i++) exact.push(k);
  }
  const good = chiSquareGoodnessOfFit(exact, { pmf, range: [0, 40] });
  ok(good.p > 0.99, `p = ${good.p}`);
  ok(good.bins.every(([, , , e]) => e >= 5), "every merged bin expects at least 5");
  equal(good.bins.at(-1)![1], 40, "the last bin reaches the end of the range");
  const shifted = exact.map((k) => k + 1);
  ok(chiSquareGoodnessOfFit(shifted, { pmf, range: [0, 40] }).p < 1e-10, "a shift is rejected");
});

import assert from "node:assert/strict";
import {
  kolmogorovSurvival,
  ksStatistic,
  ksTest,
  sortedSample,
  wassersteinDistance,
} from "./distances.ts";
import { seededRandom } from "./test_util.ts";

function normalSample(n: number, seed: number, mean = 0): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // Box–Muller
    const u = 1 - random();
    const v = random();
    out.push(mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

Deno.test("wassersteinDistance matches a hand computation with ties and unequal sizes", () => {
  // u = [1,2,3], v = [2,2,4,5]. |F_u - F_v| on the intervals between distinct values:
  // [1,2): |1/3 - 0| = 1/3; [2,3): |2/3 - 2/4| = 1/6; [3,4): |1 - 1/2| = 1/2;
  // [4,5): |1 - 3/4| = 1/4. Each interval has length 1, so EMD = 1/3+1/6+1/2+1/4 = 1.25
  // (scipy.stats.wasserstein_distance gives 1.25 as well).
  assert.equal(wassersteinDistance([1, 2, 3], [2, 2, 4, 5]), 1.25);
  assert.equal(wassersteinDistance([2, 2, 4, 5], [3, 1, 2]), 1.25);
  // u = [0,1], v = [0.5]: 0.5 * 0.5 + 0.5 * 0.5 = 0.5.
  assert.equal(wassersteinDistance([0, 1], [0.5]), 0.5);
});

Deno.test("wassersteinDistance of a sample and the same sample shifted by d equals d", () => {
  const sample = normalSample(1000, 7);
  for (const d of [0.001, 0.25, 3, 1000]) {
    const shifted = sample.map((x) => x + d);
    const emd = wassersteinDistance(sample, shifted);
    assert.ok(Math.abs(emd - d) <= 1e-9 * Math.max(1, d), `shift ${d}: EMD ${emd}`);
    assert.ok(Math.abs(wassersteinDistance(shifted, sample) - d) <= 1e-9 * Math.max(1, d));
  }
});

Deno.test("wassersteinDistance is 0 for identical samples and symmetric", () => {
  const a = normalSample(500, 1);
  const b = normalSample(700, 2);
  assert.equal(wassersteinDistance(a, [...a].reverse()), 0);
  assert.equal(wassersteinDistance(a, b), wassersteinDistance(b, a));
  assert.ok(wassersteinDistance(a, b) > 0);
});

Deno.test("wassersteinDistance with { sorted: true } equals the unsorted call", () => {
  const a = normalSample(300, 3);
  const b = normalSample(200, 4, 0.5);
  const sa = sortedSample(a);
  const sb = sortedSample(b);
  assert.equal(wassersteinDistance(sa, sb, { sorted: true }), wassersteinDistance(a, b));
  assert.equal(ksStatistic(sa, sb, { sorted: true }), ksStatistic(a, b));
});

Deno.test("ksStatistic matches a hand computation and is 0 for identical samples", () => {
  // Same CDF steps as above: the largest gap is |1 - 1/2| = 0.5 on [3,4).
  assert.equal(ksStatistic([1, 2, 3], [2, 2, 4, 5]), 0.5);
  // Disjoint samples: the CDFs differ by 1 between them.
  assert.equal(ksStatistic([0, 1], [2, 3, 4]), 1);
  const a = normalSample(400, 5);
  assert.equal(ksStatistic(a, a.slice().reverse()), 0);
  assert.equal(ksTest(a, a).statistic, 0);
  assert.equal(ksTest(a, a).pValue, 1);
});

Deno.test("kolmogorovSurvival matches the Kolmogorov distribution", () => {
  // Reference values: scipy.stats.kstwobign.sf at 0.5, 1.0, 1.36, 2.0.
  const cases: [number, number][] = [
    [0.5, 9.63945244e-1],
    [1.0, 2.69999672e-1],
    [1.36, 4.94858768e-2],
    [2.0, 6.70925256e-4],
  ];
  for (const [lambda, expected] of cases) {
    const got = kolmogorovSurvival(lambda);
    assert.ok(Math.abs(got - expected) <= 1e-8, `Q(${lambda}) = ${got}, expected ${expected}`);
  }
  // Both series agree where they switch (λ = 1.18).
  assert.ok(Math.abs(kolmogorovSurvival(1.18 - 1e-12) - kolmogorovSurvival(1.18)) < 1e-10);
  assert.equal(kolmogorovSurvival(0), 1);
  assert.throws(() => kolmogorovSurvival(-1), /lambda is -1/);
});

Deno.test("ksTest p-values are ~uniform under H0 and tiny for a shifted sample", () => {
  // 400 pairs of independent N(0,1) samples (n = 200, 150): the fraction with p < 0.05
  // should be 0.05; its binomial sd is sqrt(0.05*0.95/400) = 0.011, so allow 0.01..0.10
  // (about ±4 sd; the asymptotic p-value is slightly conservative).
  let below = 0;
  for (let k = 0; k < 400; k++) {
    const { pValue } = ksTest(normalSample(200, 1000 + k), normalSample(150, 5000 + k));
    if (pValue < 0.05) below++;
  }
  const fraction = below / 400;
  assert.ok(fraction >= 0.01 && fraction <= 0.1, `fraction with p < 0.05: ${fraction}`);
  // A shift of one standard deviation with 200 values each is detected overwhelmingly.
  const shifted = ksTest(normalSample(200, 11), normalSample(200, 12, 1));
  assert.ok(shifted.pValue < 1e-10, `p = ${shifted.pValue}`);
});

Deno.test("distances reject empty, non-finite and unsorted input with named parameters", () => {
  assert.throws(() => wassersteinDistance([], [1]), /u is empty/);
  assert.throws(() => ksStatistic([1], []), /v is empty/);
  assert.throws(() => wassersteinDistance([1, NaN], [1]), /u\[1\] is NaN/);
  assert.throws(() => ksTest([1], [Infinity]), /v\[0\] is Infinity/);
  assert.throws(
    () => wassersteinDistance([2, 1], [1], { sorted: true }),
    /u is not sorted ascending at index 1/,
  );
});

import assert from "node:assert/strict";
import { writeSpikeFile } from "../validation/spike_io.ts";
import { poissonPopulation } from "../validation/test_util.ts";
import {
  candidateDistributions,
  densitySummary,
  referenceDistributions,
  spikeFileDistributions,
} from "./distributions.ts";
import { normalDeviate, seededRandom } from "./test_util.ts";

function trapezoid(points: { v: number; estimate: number }[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    area += 0.5 * (points[i].estimate + points[i - 1].estimate) * (points[i].v - points[i - 1].v);
  }
  return area;
}

Deno.test("densitySummary: quartiles by linear interpolation, exact", () => {
  // Sorted 1..5: q1 at position 1 → 2, median 3, q3 at position 3 → 4 (numpy's default).
  const s = densitySummary([5, 1, 4, 2, 3])!;
  assert.deepEqual([s.min, s.q1, s.median, s.q3, s.max, s.mean, s.count], [1, 2, 3, 4, 5, 3, 5]);
  assert.equal(densitySummary([]), null);
  assert.throws(() => densitySummary([1, NaN]), /finite/);
});

Deno.test("densitySummary: the KDE of a normal sample integrates to ~1 and peaks near 1/(σ√2π)", () => {
  const random = seededRandom(3);
  for (const n of [2000, 50_000]) { // exact kernel sum, then the binned one
    const values = Array.from({ length: n }, () => 10 + 2 * normalDeviate(random));
    const s = densitySummary(values, { points: 96 })!;
    // Mass within the 0.5–99.5 % quantiles ≈ 0.99 (the KDE's tails beyond them add a little);
    // trapezoid error on 96 points is far smaller. Tolerance 3 %.
    assert.ok(Math.abs(trapezoid(s.coords) - 1) < 0.03, `n ${n}: area ${trapezoid(s.coords)}`);
    // Peak 1/(2·√(2π)) = 0.1995; the KDE smooths it by (1 + h²/σ²)^(-1/2) ≈ 0.98–0.99, and the
    // sample peak varies by a few %. Tolerance 8 %.
    assert.ok(Math.abs(s.maxEstimate / 0.1995 - 1) < 0.08, `n ${n}: peak ${s.maxEstimate}`);
    assert.equal(s.coords.length, 96);
    assert.equal(s.coords[0].v, s.lo);
    assert.equal(s.coords[95].v, s.hi);
    // 0.5 % and 99.5 % quantiles of N(10, 2): 10 ∓ 2.576·2; the sample's within 0.5.
    assert.ok(Math.abs(s.lo - (10 - 5.15)) < 0.5 && Math.abs(s.hi - (10 + 5.15)) < 0.5);
  }
});

Deno.test("densitySummary: a constant sample gives a flat two-point violin, not NaN", () => {
  const s = densitySummary([0, 0, 0])!;
  assert.deepEqual(s.coords, [{ v: 0, estimate: 1 }, { v: 0, estimate: 1 }]);
  assert.equal(s.maxEstimate, 1);
});

Deno.test("candidate distributions from a spike file match those from the same spikes in memory", async () => {
  const pops = [
    poissonPopulation("E", 200, { rateHz: 5, tStartMs: 0, tStopMs: 2000, seed: 1, gridMs: 0.1 }),
    poissonPopulation("I", 50, { rateHz: 12, tStartMs: 0, tStopMs: 2000, seed: 2, gridMs: 0.1 }),
  ];
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/run.spikes.gz`;
    await writeSpikeFile(path, pops);
    const window = { tStartMs: 500, tStopMs: 2000 };
    const fromFile = await spikeFileDistributions(path, window);
    const inMemory = candidateDistributions([pops], window);
    assert.deepEqual(fromFile, inMemory);
    assert.deepEqual(fromFile.populations, ["E", "I"]);
    const rate = fromFile.candidate.firing_rate.E!;
    assert.equal(rate.count, 200);
    // 5 Hz Poisson over 1.5 s: the mean rate is within 3 SE (SE = sqrt(5/1.5/200) = 0.13 Hz).
    assert.ok(Math.abs(rate.mean - 5) < 0.4, `mean rate ${rate.mean}`);
    assert.equal(fromFile.candidate.correlation.I!.count, (50 * 49) / 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NEST reference distributions pool every seed of the small ensemble", async () => {
  const nest = await referenceDistributions(0.1);
  // 2 068 L2/3E neurons × 10 seeds; rates ~0.47 Hz (validation/README.md).
  assert.equal(nest.firing_rate.L23E!.count, 20680);
  assert.ok(Math.abs(nest.firing_rate.L23E!.mean - 0.47) < 0.05);
  // At most 19 900 pairs per seed; pairs with a silent neuron are omitted (< 1 % in L4E).
  const pairs = nest.correlation.L4E!.count;
  assert.ok(pairs <= 199_000 && pairs > 197_000, `${pairs} L4E pairs`);
  assert.equal(await referenceDistributions("small"), nest); // cached
});

// The rewiring T-scan verdict: capacity interpolation on synthetic curves with known crossings,
// each rule of the module documentation failing when (and only when) it should, and the match
// of published points to a configuration.
import assert from "node:assert/strict";
import {
  judgeRewiringScan,
  matchPublishedPoints,
  REWIRING_TOLERANCES,
  type RewiringScanMeasurement,
  scanCapacity,
  seedSummary,
} from "./rewiring_verdict.ts";
import {
  DEFAULT_REWIRING_PARAMS,
  memoryCapacity,
  rewiringTheory,
  sdnrThreshold,
} from "./rewiring_theory.ts";
import { loadRewiringSimulationTable, type RewiringReferenceSet } from "./rewiring_reference.ts";

const CI_THEORY = { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, noiseSigma: 0 };
const THR = sdnrThreshold(); // 3.289707

Deno.test("scanCapacity: a linear SDNR curve crosses exactly where the interpolation says", () => {
  // SDNR(T) = 8 − T/1000 crosses THR at T = 1000·(8 − THR) = 4710.29; linear interpolation is
  // exact on a straight line. Seeds ±0.1 higher/lower cross at 1000·(8 ± 0.1 − THR).
  const ts = [1000, 2000, 3000, 4000, 5000, 6000];
  const line = (offset: number) =>
    ts.map((t) => ({ trainingPatterns: t, sdnr: 8 + offset - t / 1000 }));
  const c = scanCapacity({
    mean: line(0),
    perSeed: [line(0.1), line(-0.1)],
    theory: { ...CI_THEORY, rewiringPeriod: 100 },
  });
  assert.ok(Math.abs(c.simulated! - 1000 * (8 - THR)) < 1e-9, `${c.simulated}`);
  assert.ok(Math.abs(c.perSeed[0]! - 1000 * (8.1 - THR)) < 1e-9);
  assert.ok(Math.abs(c.perSeed[1]! - 1000 * (7.9 - THR)) < 1e-9);
  // Sample std of two values 200 apart: 200/√2.
  assert.ok(Math.abs(c.simulatedStd! - 200 / Math.SQRT2) < 1e-9);
  // The theory's exact crossing, and on the grid: the theory is convex in T, so the chord
  // between 4000 and 5000 crosses later than the curve.
  const exact = memoryCapacity({ ...CI_THEORY, rewiringPeriod: 100 }).crossing;
  assert.ok(Math.abs(c.theory - exact) < 1e-6);
  assert.ok(c.theoryOnGrid! > exact && c.theoryOnGrid! < 5000, `${c.theoryOnGrid}`);
  assert.ok(Math.abs(c.deviation! - (c.simulated! - c.theoryOnGrid!) / c.theoryOnGrid!) < 1e-12);
  assert.equal(c.pass, Math.abs(c.deviation!) <= REWIRING_TOLERANCES.ci.capacity);
});

Deno.test("scanCapacity: a/√T on a fine grid gives (a/THR)² to 0.1 %; unbracketed is null", () => {
  const a = 250; // crossing at (250/3.2897)² = 5775.2
  const curve = Array.from({ length: 200 }, (_, k) => {
    const t = 100 + 50 * k;
    return { trainingPatterns: t, sdnr: a / Math.sqrt(t) };
  });
  const c = scanCapacity({ mean: curve, perSeed: [curve], theory: CI_THEORY });
  const expected = (a / THR) ** 2;
  assert.ok(Math.abs(c.simulated! / expected - 1) < 1e-3, `${c.simulated} vs ${expected}`);
  assert.equal(c.simulatedStd, null, "one seed: no spread");
  const above = curve.slice(0, 10); // T ≤ 550: SDNR ≥ 10.7, no crossing
  const none = scanCapacity({ mean: above, perSeed: [above], theory: CI_THEORY });
  assert.equal(none.simulated, null);
  assert.equal(none.theoryOnGrid, null);
  assert.equal(none.pass, null);
});

Deno.test("seedSummary: mean, sample std, standard error", () => {
  const s = seedSummary([1, 2, 3, 6]);
  assert.equal(s.mean, 3);
  assert.ok(Math.abs(s.std - Math.sqrt(14 / 3)) < 1e-12);
  assert.ok(Math.abs(s.stderr! - Math.sqrt(14 / 3) / 2) < 1e-12);
  assert.deepEqual(seedSummary([5]), { values: [5], mean: 5, std: 0, stderr: null });
});

/** Measurements equal to the theory × (1 + eps(T, r, seed)); seeds 1–3. */
function synthetic(
  eps: (t: number, r: number, seed: number) => number,
  ts = [1000, 2000, 5000],
): RewiringScanMeasurement[] {
  const out: RewiringScanMeasurement[] = [];
  for (const r of [100, 0]) {
    for (const t of ts) {
      const th = rewiringTheory(t, { ...CI_THEORY, rewiringPeriod: r });
      out.push({
        trainingPatterns: t,
        rewiringPeriod: r,
        seeds: [1, 2, 3].map((seed) => ({
          seed,
          sdnr: th.sdnr * (1 + eps(t, r, seed)),
          backgroundMean: th.backgroundMean,
          codingMean: th.codingMean,
          backgroundVariance: th.backgroundVariance,
        })),
      });
    }
  }
  return out;
}

Deno.test("judgeRewiringScan passes a scan 1 % off the theory with the seed spread it has", () => {
  const spread = (seed: number) => (seed - 2) * 0.005;
  const v = judgeRewiringScan(synthetic((_t, _r, seed) => -0.01 + spread(seed)), {
    theory: CI_THEORY,
  });
  assert.deepEqual(v.failures, []);
  assert.equal(v.pass, true);
  assert.equal(v.points.length, 6);
  assert.deepEqual(v.points.map((p) => [p.trainingPatterns, p.rewiringPeriod]), [
    [1000, 100],
    [2000, 100],
    [5000, 100],
    [1000, 0],
    [2000, 0],
    [5000, 0],
  ]);
  for (const p of v.points) {
    assert.ok(Math.abs(p.sdnrDeviation + 0.01) < 1e-12);
    assert.equal(p.reference, "theory");
    assert.ok(p.zTheory! < 0);
  }
  assert.deepEqual(v.capacities.map((c) => c.pass), [true, true]);
  assert.ok(v.capacities[0].simulated! > v.capacities[1].simulated!, "rewiring holds more");
  assert.equal(v.theoryCurves.length, 2);
  assert.equal(v.theoryCurves[0].points.length, 80);
});

Deno.test("judgeRewiringScan fails each rule where it is broken, naming the point", () => {
  const off = judgeRewiringScan(synthetic((t, r) => (t === 2000 && r === 100 ? 0.06 : 0)), {
    theory: CI_THEORY,
  });
  assert.equal(off.pass, false);
  assert.equal(off.failures.length, 1, off.failures.join("\n"));
  assert.match(
    off.failures[0],
    /^T 2000 r 100: SDNR 4\.891 ± 0\.000 vs theory 4\.614 \(\+6\.00 %, tolerance ±5 %\)$/,
  );
  // 4 % off passes at CI size.
  assert.equal(judgeRewiringScan(synthetic(() => 0.04), { theory: CI_THEORY }).pass, true);
  // The same 4 % fails at full size (2 %).
  assert.equal(
    judgeRewiringScan(synthetic(() => 0.04), { theory: CI_THEORY, size: "full" }).pass,
    false,
  );

  // Seed 3 without rewiring beats seed 3 with rewiring at T = 1000 (r 100: 6.194, r 0: 5.533).
  const gain = judgeRewiringScan(
    synthetic((t, r, seed) => (t === 1000 && r === 0 && seed === 3 ? 0.13 : 0), [1000, 2000]),
    { theory: CI_THEORY },
  );
  assert.ok(gain.failures.some((f) => /^gain T 1000 seed 3: SDNR r 100 6\.194 ≤ r 0/.test(f)));

  // Not falling with T: at r = 0 the value at T = 2000 raised above T = 1000's.
  const flat = judgeRewiringScan(
    synthetic((t, r) => (t === 2000 && r === 0 ? 0.4 : 0)),
    { theory: CI_THEORY },
  );
  assert.ok(flat.failures.some((f) => f.startsWith("monotone r 0: mean SDNR")), flat.failures[0]);

  // S_b 2 % high at one point.
  const m = synthetic(() => 0);
  m[0].seeds.forEach((s) => s.backgroundMean *= 1.02);
  const sb = judgeRewiringScan(m, { theory: CI_THEORY });
  assert.deepEqual(sb.failures.map((f) => f.slice(0, 18)), ["T 1000 r 100: S_b "]);

  // Capacity: a curve 15 % low everywhere crosses the threshold ≈ 25 % earlier (SDNR ∝ T^−0.47
  // near the crossing): both the SDNR and the capacity rule fail.
  const low = judgeRewiringScan(synthetic(() => -0.15, [1000, 2000, 3000, 4000, 5000]), {
    theory: CI_THEORY,
  });
  const capacity = low.capacities.find((c) => c.rewiringPeriod === 100)!;
  assert.ok(capacity.deviation! < -0.2 && capacity.deviation! > -0.35, `${capacity.deviation}`);
  assert.equal(capacity.pass, false);
  assert.ok(low.failures.some((f) => /^capacity r 100: simulated \d+ vs theory/.test(f)));
});

Deno.test("judgeRewiringScan: one r only warns that the gain is not judged", () => {
  const only = synthetic(() => 0).filter((m) => m.rewiringPeriod === 100);
  const v = judgeRewiringScan(only, { theory: CI_THEORY });
  assert.equal(v.pass, true);
  assert.ok(v.warnings.some((w) => w.startsWith("rewiring gain not judged")));
});

Deno.test("published points match the full-size no-noise configuration only", async () => {
  const sets: RewiringReferenceSet[] = [
    "no_noise_simulations",
    "simulation_no_rewiring_continuo",
    "noise_1Hz_simulations",
  ];
  const tables = await Promise.all(
    sets.map(async (set) => ({ set, rows: await loadRewiringSimulationTable(set) })),
  );
  const full = {
    ...DEFAULT_REWIRING_PARAMS,
    noiseSigma: 0,
    populationSize1: 100_000,
    populationSize2: 100_000,
    negativeRates: "keep",
  };
  const points = matchPublishedPoints(full, tables);
  assert.deepEqual([...new Set(points.map((p) => p.set))], sets.slice(0, 2));
  const at = (t: number, r: number) =>
    points.find((p) => p.trainingPatterns === t && p.rewiringPeriod === r)!;
  // Spec §5: SDNR derived from the means, 6.375 (r = 100) and 5.711 (r = 0) at T = 5000.
  assert.ok(Math.abs(at(5000, 100).sdnr - 6.375) < 5e-4, `${at(5000, 100).sdnr}`);
  assert.ok(Math.abs(at(5000, 0).sdnr - 5.711) < 5e-4, `${at(5000, 0).sdnr}`);
  assert.ok(Math.abs(at(5000, 100).backgroundMean - 1069.9) < 0.01);
  // 1 Hz noise matches the noise set instead; CI size matches nothing.
  assert.ok(
    matchPublishedPoints({ ...full, noiseSigma: 1 }, tables).every((p) =>
      p.set === "noise_1Hz_simulations"
    ),
  );
  assert.deepEqual(
    matchPublishedPoints({
      ...full,
      ...CI_THEORY,
      populationSize1: 20_000,
      populationSize2: 20_000,
    }, tables),
    [],
  );
  assert.deepEqual(matchPublishedPoints({ ...full, inDegree: 4000 }, tables), []);
  // A scan on those points is judged against them.
  const v = judgeRewiringScan([{
    trainingPatterns: 5000,
    rewiringPeriod: 100,
    seeds: [{
      seed: 1,
      sdnr: 6.40,
      backgroundMean: 1070,
      codingMean: 1318,
      backgroundVariance: 1519,
    }],
  }], { theory: { noiseSigma: 0 }, size: "full", published: points });
  assert.equal(v.points[0].reference, "published");
  assert.ok(Math.abs(v.points[0].sdnrDeviation - (6.40 / at(5000, 100).sdnr - 1)) < 1e-12);
  assert.equal(v.pass, true);
});

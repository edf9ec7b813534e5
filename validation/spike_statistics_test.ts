import assert from "node:assert/strict";
import { mean, sampleCorrelation, standardDeviation } from "simple-statistics";
import {
  cvIsi,
  firingRates,
  pairwiseCorrelations,
  populationRateHistograms,
  type PopulationSpikes,
  spikeStatistics,
} from "./spike_statistics.ts";
import { poissonPopulation, regularPopulation, seededRandom } from "./test_util.ts";

function pop(name: string, size: number, spikes: [number, number][]): PopulationSpikes {
  return {
    name,
    size,
    senders: Uint32Array.from(spikes.map(([s]) => s)),
    timesMs: Float64Array.from(spikes.map(([, t]) => t)),
  };
}

Deno.test("statistics match a hand computation on a tiny example", () => {
  // Window [0, 10] ms, 2 ms bins -> 5 bins. Neuron 0 fires at 1, 3, 7 ms; neuron 1 at 1.5,
  // 2.5 ms; neuron 2 is silent.
  const p = pop("A", 3, [[0, 1], [1, 1.5], [1, 2.5], [0, 3], [0, 7]]);
  const s = spikeStatistics([p], { tStartMs: 0, tStopMs: 10, binMs: 2 }).populations[0];
  // Rates: 3 spikes / 0.01 s = 300 Hz, 200 Hz, 0 Hz.
  assert.deepEqual([...s.firingRate], [300, 200, 0]);
  assert.equal(s.meanRate, 500 / 3);
  assert.equal(s.silentFraction, 1 / 3);
  // CV: neuron 0 ISIs 2, 4 -> mean 3, std (ddof 0) 1 -> 1/3; neuron 1 one ISI -> 0.
  assert.equal(s.cvIsi.length, 2);
  assert.ok(Math.abs(s.cvIsi[0] - 1 / 3) < 1e-15);
  assert.equal(s.cvIsi[1], 0);
  // Binned counts: x0 = [1,1,0,1,0], x1 = [1,1,0,0,0]. cov = 2/5 - 0.6*0.4 = 0.16,
  // var0 = var1 = 0.24 -> r = 2/3. Pairs with the silent neuron 2 are skipped.
  assert.equal(s.correlation.length, 1);
  assert.ok(Math.abs(s.correlation[0] - 2 / 3) < 1e-15);
  // Population counts [2,2,0,1,0]: mean 1, variance 0.8 -> Fano 0.8; rate = count*1000/(3*2).
  assert.ok(Math.abs((s.fanoFactor ?? NaN) - 0.8) < 1e-15);
  assert.deepEqual([...s.rateHistogramHz].map((r) => Math.round(r * 1e6) / 1e6), [
    333.333333,
    333.333333,
    0,
    166.666667,
    0,
  ]);
  // χ² = (0.8 / 3²) / mean(0.24, 0.24, 0) = 0.0888.../0.16.
  assert.ok(Math.abs((s.synchrony ?? NaN) - Math.sqrt(0.8 / 9 / 0.16)) < 1e-15);
  assert.equal(s.spikesInWindow, 5);
});

Deno.test("window edges: t = tStart and t = tStop count for rates, t = tStop is outside the bins", () => {
  const p = pop("A", 2, [[0, 99.9], [0, 100], [0, 104], [0, 110], [1, 101], [1, 105]]);
  const opts = { tStartMs: 100, tStopMs: 110, binMs: 2 };
  // Neuron 0: spikes at 100, 104, 110 in the window (99.9 is before it) -> 300 Hz.
  assert.deepEqual([...firingRates([p], opts).A], [300, 200]);
  // Bins: neuron 0 -> [1,0,1,0,0] (110 is dropped), neuron 1 -> [1,0,1,0,0]: identical.
  assert.deepEqual([...pairwiseCorrelations([p], opts).A], [1]);
});

Deno.test("binning is exact on the 0.1 ms grid despite float rounding of spike times", () => {
  // 5020 * 0.1 = 502.00000000000006 and 501.99999999999994 are both the grid time 502.0,
  // which starts bin 1 of [500, 510).
  const below = 501.99999999999994;
  const above = 5020 * 0.1;
  const p = pop("A", 2, [[0, below], [1, above], [0, 507.3], [1, 507.3]]);
  const c = pairwiseCorrelations([p], { tStartMs: 500, tStopMs: 510, binMs: 2 }).A;
  assert.deepEqual([...c], [1]);
});

Deno.test("a regular spike train has CV 0", () => {
  const p = regularPopulation("R", 3, {
    periodMs: 25,
    tStartMs: 500,
    tStopMs: 10500,
    offsetMs: (i) => 0.1 * (i + 1),
  });
  const cv = cvIsi([p], { tStartMs: 500, tStopMs: 10500 }).R;
  assert.equal(cv.length, 3);
  for (const value of cv) assert.ok(Math.abs(value) < 1e-12, `CV ${value}`);
});

Deno.test("a long Poisson train has CV ≈ 1 and its rate within the standard error", () => {
  // 10 Hz for 1000 s: ~10 000 spikes. The rate estimate has SE sqrt(λ/T) = 0.1 Hz; with a
  // fixed seed we allow 3 SE. The CV of an exponential ISI sample of size n has SE ≈ 1/sqrt(n)
  // = 0.01; allow 0.04.
  const T = 1_000_000;
  const rate = 10;
  const p = poissonPopulation("P", 1, { rateHz: rate, tStartMs: 0, tStopMs: T, seed: 42 });
  const s = spikeStatistics([p], { tStartMs: 0, tStopMs: T }).populations[0];
  const se = Math.sqrt(rate / (T / 1000));
  assert.ok(Math.abs(s.firingRate[0] - rate) <= 3 * se, `rate ${s.firingRate[0]}`);
  assert.ok(Math.abs(s.cvIsi[0] - 1) < 0.04, `CV ${s.cvIsi[0]}`);
  // Cross-check the CV against simple-statistics on the ISIs (population std, ddof 0).
  const t = [...p.timesMs];
  const isi = t.slice(1).map((x, k) => x - t[k]);
  assert.ok(Math.abs(s.cvIsi[0] - standardDeviation(isi) / mean(isi)) < 1e-9);
});

Deno.test("identical trains correlate at 1, independent ones near 0", () => {
  const base = poissonPopulation("X", 1, {
    rateHz: 20,
    tStartMs: 500,
    tStopMs: 10500,
    seed: 1,
    gridMs: 0.1,
  });
  const twin = pop("T", 2, [
    ...[...base.timesMs].map((t): [number, number] => [0, t]),
    ...[...base.timesMs].map((t): [number, number] => [1, t]),
  ]);
  const opts = { tStartMs: 500, tStopMs: 10500 };
  const r = pairwiseCorrelations([twin], opts).T;
  assert.equal(r.length, 1);
  assert.ok(Math.abs(r[0] - 1) < 1e-12, `r = ${r[0]}`);

  // 60 independent 10 Hz neurons: each r has sd ≈ 1/sqrt(5000 bins) = 0.014. The mean of
  // 1770 pairs is within ±0.003 (≈ 5 sd of the mean of weakly dependent pairs), the largest
  // |r| below 0.08 (≈ 5.6 sd).
  const indep = poissonPopulation("I", 60, { rateHz: 10, ...opts, seed: 9, gridMs: 0.1 });
  const c = pairwiseCorrelations([indep], opts).I;
  assert.equal(c.length, (60 * 59) / 2);
  assert.ok(Math.abs(mean([...c])) < 0.003, `mean r = ${mean([...c])}`);
  assert.ok(Math.max(...c.map(Math.abs)) < 0.08);
});

Deno.test("correlations equal simple-statistics' sampleCorrelation of dense binned counts", () => {
  const opts = { tStartMs: 0, tStopMs: 1000, binMs: 5, corrNeurons: 6 };
  const p = poissonPopulation("D", 8, { rateHz: 40, ...opts, seed: 3 });
  const got = pairwiseCorrelations([p], opts).D;
  const dense: number[][] = Array.from({ length: 6 }, () => new Array(200).fill(0));
  p.senders.forEach((s, k) => {
    if (s < 6) dense[s][Math.floor(p.timesMs[k] / 5)]++;
  });
  const expected: number[] = [];
  for (let i = 0; i < 6; i++) {
    for (let j = i + 1; j < 6; j++) expected.push(sampleCorrelation(dense[i], dense[j]));
  }
  assert.equal(got.length, 15);
  got.forEach((r, k) => assert.ok(Math.abs(r - expected[k]) < 1e-12, `pair ${k}`));
});

Deno.test("spike order does not matter", () => {
  const opts = { tStartMs: 500, tStopMs: 1500 };
  const p = poissonPopulation("S", 30, { rateHz: 15, ...opts, seed: 5, gridMs: 0.1 });
  const random = seededRandom(77);
  const order = [...p.senders.keys()].sort(() => random() - 0.5);
  const shuffled: PopulationSpikes = {
    ...p,
    senders: Uint32Array.from(order.map((k) => p.senders[k])),
    timesMs: Float64Array.from(order.map((k) => p.timesMs[k])),
  };
  const a = spikeStatistics([p], opts).populations[0];
  const b = spikeStatistics([shuffled], opts).populations[0];
  assert.deepEqual(b.firingRate, a.firingRate);
  assert.deepEqual(b.cvIsi, a.cvIsi);
  assert.deepEqual(b.correlation, a.correlation);
  assert.deepEqual(populationRateHistograms([shuffled], opts).S, a.rateHistogramHz);
});

Deno.test("synchrony and Fano factor separate synchronous from asynchronous activity", () => {
  const opts = { tStartMs: 0, tStopMs: 2000, binMs: 2 };
  const async = poissonPopulation("A", 100, { rateHz: 10, ...opts, seed: 8 });
  const shared = poissonPopulation("X", 1, { rateHz: 10, ...opts, seed: 8 });
  const sync = pop(
    "S",
    100,
    [...shared.timesMs].flatMap((t) =>
      Array.from({ length: 100 }, (_, i): [number, number] => [i, t])
    ),
  );
  const [a, s] = spikeStatistics([async, sync], opts).populations;
  // Independent Poisson: Fano ≈ 1, χ ≈ 1/sqrt(100) = 0.1. Identical trains: χ = 1,
  // Fano = 100 (each population count is 0 or 100).
  assert.ok(Math.abs((a.fanoFactor ?? 0) - 1) < 0.1, `fano ${a.fanoFactor}`);
  assert.ok((a.synchrony ?? 1) < 0.15, `chi ${a.synchrony}`);
  assert.ok(Math.abs((s.synchrony ?? 0) - 1) < 1e-12);
  assert.ok((s.fanoFactor ?? 0) > 95);
});

Deno.test("bad inputs give errors naming the parameter and the allowed range", () => {
  const ok = pop("A", 2, [[0, 600]]);
  const opts = { tStopMs: 1000 };
  assert.throws(() => firingRates([ok], { tStopMs: 400 }), /tStopMs is 400; .*> tStartMs \(500/);
  assert.throws(() => firingRates([ok], { tStartMs: -1, tStopMs: 10 }), /tStartMs is -1/);
  assert.throws(() => firingRates([ok], { ...opts, binMs: 0 }), /binMs is 0/);
  assert.throws(() => firingRates([ok], { ...opts, corrNeurons: 1 }), /corrNeurons is 1/);
  assert.throws(() => firingRates([], opts), /non-empty array/);
  assert.throws(
    () => firingRates([pop("A", 2, [[2, 600]])], opts),
    /populations\[0\] "A": senders\[0\] is 2; it must be in \[0, 1\]/,
  );
  assert.throws(
    () => firingRates([{ ...ok, timesMs: new Float64Array(3) }], opts),
    /senders has 1 entries but timesMs has 3/,
  );
  assert.throws(() => firingRates([pop("A", 2, [[0, NaN]])], opts), /timesMs\[0\] is NaN/);
  assert.throws(() => firingRates([{ ...ok, size: 0 }], opts), /size is 0/);
  assert.throws(() => firingRates([ok, ok], opts), /"A" is used twice/);
  assert.throws(
    () => firingRates([{ ...ok, senders: [0] as unknown as Uint32Array }], opts),
    /senders must be a Uint32Array/,
  );
});

Deno.test("10 s of full-scale spikes (~2.5 M) are analysed in seconds", () => {
  // PD14 full-scale sizes with roughly the NEST mean rates: ~2.5 M spikes in [500, 10500].
  const sizes = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948];
  const ratesHz = [0.9, 3.0, 4.4, 5.9, 7.5, 8.6, 1.1, 7.8];
  const names = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"];
  const opts = { tStartMs: 500, tStopMs: 10500 };
  const pops = names.map((name, i) =>
    poissonPopulation(name, sizes[i], { rateHz: ratesHz[i], ...opts, seed: i + 1, gridMs: 0.1 })
  );
  const spikes = pops.reduce((n, p) => n + p.senders.length, 0);
  const t0 = performance.now();
  const stats = spikeStatistics(pops, opts);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`full-scale statistics: ${spikes} spikes in ${seconds.toFixed(2)} s`);
  assert.ok(spikes > 2_000_000);
  assert.ok(seconds < 20, `took ${seconds} s`);
  stats.populations.forEach((p, i) => {
    // Rate SE of the population mean: sqrt(rate / (N · 10 s)); allow 5 SE.
    const se = Math.sqrt(ratesHz[i] / (sizes[i] * 10));
    assert.ok(Math.abs(p.meanRate - ratesHz[i]) < 5 * se + 0.005, `${p.name} ${p.meanRate}`);
    assert.equal(p.correlation.length, (200 * 199) / 2 - countSilentPairs(p.firingRate, 200));
  });
});

/** Pairs among the first k neurons that involve at least one silent neuron. */
function countSilentPairs(rates: Float64Array, k: number): number {
  let silent = 0;
  for (let i = 0; i < k; i++) if (rates[i] === 0) silent++;
  return (silent * (silent - 1)) / 2 + silent * (k - silent);
}

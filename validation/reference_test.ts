import assert from "node:assert/strict";
import { mean, sampleStandardDeviation } from "simple-statistics";
import {
  loadExampleRates,
  loadReferenceEnsemble,
  loadReferenceSpikes,
  loadReferenceSummary,
  parseChecksums,
  parseScale,
  readVerifiedFile,
  type ReferenceScale,
  verifyReferenceChecksums,
} from "./reference.ts";
import { spikeStatistics, STATISTIC_NAMES, toDistributions } from "./spike_statistics.ts";
import { nestVsNestDistances } from "./verdict.ts";

/**
 * True when `ours` rounds to `stored`, a value written with 6 significant digits: the
 * difference is at most half a unit in the 6th digit (1 % slack for values on a tie), plus
 * 1e-12 absolute for float noise in the reference tooling (numpy's corrcoef returns e.g.
 * 4.7e-17 where the exact integer computation gives 0).
 */
function sameTo6Digits(ours: number, stored: number): boolean {
  const halfUnit = stored === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(stored))) - 5);
  return Math.abs(ours - stored) <= 1.01 * halfUnit + 1e-12;
}

/** Every file under validation/reference/ except the checksum list itself. */
async function shippedReferenceFiles(dir: URL, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      files.push(...await shippedReferenceFiles(new URL(`${entry.name}/`, dir), `${path}/`));
    } else if (path !== "SHA256SUMS") files.push(path);
  }
  return files;
}

Deno.test("every shipped reference file matches SHA256SUMS", async () => {
  const checked = await verifyReferenceChecksums();
  const shipped = await shippedReferenceFiles(new URL("./reference/", import.meta.url));
  // Every file on disk is listed (and verified), none listed is missing.
  assert.equal(checked, shipped.length);
  assert.ok(shipped.length >= 54, `only ${shipped.length} reference files shipped`);
});

Deno.test("altered, unlisted and missing reference files are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "spikebench_ref_" });
  try {
    const good = await readVerifiedFile("microcircuit/full/summary.json");
    const sums = await Deno.readTextFile(new URL("./reference/SHA256SUMS", import.meta.url));
    await Deno.mkdir(`${dir}/microcircuit/full`, { recursive: true });
    await Deno.writeTextFile(`${dir}/SHA256SUMS`, sums);
    const altered = good.slice();
    altered[100] ^= 1; // one flipped bit
    await Deno.writeFile(`${dir}/microcircuit/full/summary.json`, altered);
    await Deno.writeFile(`${dir}/extra.json`, good);
    await assert.rejects(
      () => readVerifiedFile("microcircuit/full/summary.json", { dir }),
      /summary\.json: SHA-256 [0-9a-f]{64} does not match SHA256SUMS/,
    );
    await assert.rejects(() => readVerifiedFile("extra.json", { dir }), /not listed in SHA256SUMS/);
    await assert.rejects(
      () => readVerifiedFile("microcircuit/full/seed1.json.gz", { dir }),
      /seed1\.json\.gz: cannot read reference file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(
    () => parseChecksums("abc  file\n", "SUMS"),
    /SUMS:1: expected '<sha256 hex> {2}<path>'/,
  );
});

for (const scale of ["small", "full"] as ReferenceScale[]) {
  Deno.test(`${scale}: NEST-vs-NEST EMDs recomputed from the seed files reproduce summary.json`, async () => {
    const ensemble = await loadReferenceEnsemble(scale);
    const summary = await loadReferenceSummary(scale);
    assert.deepEqual(ensemble.seeds, summary.seeds);
    let maxAbs = 0;
    let checked = 0;
    for (const statistic of STATISTIC_NAMES) {
      for (const population of ensemble.populations) {
        const stored = summary.emd_nest_vs_nest[statistic][population];
        const pairs = nestVsNestDistances(ensemble, { statistic, population });
        assert.equal(pairs.length, stored.n_pairs);
        pairs.forEach((p, k) => {
          const [a, b, emd] = stored.pairs[k];
          assert.deepEqual([p.seedA, p.seedB], [a, b]);
          assert.ok(
            sameTo6Digits(p.emd, emd),
            `${statistic} ${population} ${a}-${b}: ${p.emd} vs ${emd}`,
          );
          maxAbs = Math.max(maxAbs, Math.abs(p.emd - emd));
          checked++;
        });
        const emds = pairs.map((p) => p.emd);
        const ours = {
          mean: mean(emds),
          std: sampleStandardDeviation(emds),
          min: Math.min(...emds),
          max: Math.max(...emds),
        };
        for (const key of ["mean", "std", "min", "max"] as const) {
          assert.ok(
            sameTo6Digits(ours[key], stored[key]),
            `${statistic} ${population} ${key}: ${ours[key]} vs ${stored[key]}`,
          );
          maxAbs = Math.max(maxAbs, Math.abs(ours[key] - stored[key]));
        }
      }
    }
    assert.equal(checked, 24 * (scale === "small" ? 45 : 6));
    assert.ok(maxAbs <= 1e-6, `largest absolute difference ${maxAbs}`);
  });

  Deno.test(`${scale}: per-seed means recomputed from the distributions match summary.json`, async () => {
    const ensemble = await loadReferenceEnsemble(scale);
    const summary = await loadReferenceSummary(scale);
    for (const statistic of STATISTIC_NAMES) {
      for (const population of ensemble.populations) {
        ensemble.runs.forEach((run) => {
          const values = [...run.distributions[statistic][population]];
          const stored = summary.per_seed_means[statistic][population][String(run.seed)];
          assert.ok(sameTo6Digits(mean(values), stored), `${statistic} ${population} ${run.seed}`);
        });
      }
    }
    ensemble.populations.forEach((p, i) => {
      assert.equal(ensemble.runs[0].distributions.firing_rate[p].length, ensemble.numNeurons[i]);
    });
  });
}

Deno.test("statistics recomputed from NEST's raw spikes reproduce seed 1's distributions", async () => {
  const populations = await loadReferenceSpikes();
  assert.equal(populations.reduce((n, p) => n + p.senders.length, 0), 211_176);
  const [seed1] = (await loadReferenceEnsemble("small", { seeds: [1] })).runs;
  const ours = toDistributions(spikeStatistics(populations, { tStartMs: 500, tStopMs: 10_500 }));
  for (const statistic of STATISTIC_NAMES) {
    for (const p of populations) {
      const expected = seed1.distributions[statistic][p.name];
      const got = ours[statistic][p.name];
      assert.equal(got.length, expected.length, `${statistic} ${p.name} count`);
      for (let k = 0; k < got.length; k++) {
        if (!sameTo6Digits(got[k], expected[k])) {
          assert.fail(`${statistic} ${p.name}[${k}]: ${got[k]} vs stored ${expected[k]}`);
        }
      }
    }
  }
});

Deno.test("NEST's example reference rates (0.1 scale, 1 s) give the spec §7.2 table", async () => {
  // docs/specs/microcircuit.md §7.2: n neurons, mean rate (Hz), silent fraction.
  const table: [string, number, number, number][] = [
    ["L23E", 2068, 0.402, 0.701],
    ["L23I", 583, 2.017, 0.22],
    ["L4E", 2192, 3.88, 0.057],
    ["L4I", 548, 4.958, 0.053],
    ["L5E", 485, 6.575, 0.041],
    ["L5I", 106, 7.726, 0.019],
    ["L6E", 1440, 0.831, 0.535],
    ["L6I", 295, 6.986, 0.017],
  ];
  const rates = await loadExampleRates();
  for (const [name, n, meanRate, silent] of table) {
    const values = [...rates[name]];
    assert.equal(values.length, n, name);
    assert.ok(Math.abs(mean(values) - meanRate) < 5e-4, `${name} mean ${mean(values)}`);
    const silentFraction = values.filter((v) => v === 0).length / n;
    assert.ok(Math.abs(silentFraction - silent) < 5e-4, `${name} silent ${silentFraction}`);
  }
});

Deno.test("bad reference requests name the parameter and the allowed values", async () => {
  assert.throws(() => parseScale(0.5), /scale is 0.5; it must be 0.1 .* or 1/);
  assert.equal(parseScale("0.1"), "small");
  assert.equal(parseScale(1), "full");
  await assert.rejects(
    () => loadReferenceEnsemble("full", { seeds: [9] }),
    /seed 9 is not in the full reference \(seeds 1, 2, 3, 4\)/,
  );
});

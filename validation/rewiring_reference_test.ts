import assert from "node:assert/strict";
import {
  loadRewiringSimulationTable,
  loadRewiringTheoryTable,
  parseRewiringSimulationTable,
  parseRewiringTheoryTable,
  REWIRING_REFERENCE_SETS,
  type RewiringReferenceSet,
  RewiringTableError,
  sdnrFromMeans,
} from "./rewiring_reference.ts";

const T_SCAN = Array.from({ length: 20 }, (_, i) => 5000 * (i + 1));

Deno.test("every reference set loads with its T scan (checksums verified)", async () => {
  for (const [set, info] of Object.entries(REWIRING_REFERENCE_SETS)) {
    const name = set as RewiringReferenceSet;
    const simulation = await loadRewiringSimulationTable(name);
    const theory = info.hasTheoryTable ? await loadRewiringTheoryTable(name) : [];
    if (name === "variable_rewiring") {
      assert.equal(simulation.length, 13);
      assert.equal(theory.length, 13);
      assert.ok(simulation.every((r) => r.trainingPatterns === 10_000 && r.sdnr !== null));
      assert.deepEqual(
        theory.map((r) => r.rewiringPeriod),
        simulation.map((r) => r.rewiringPeriod),
      );
      continue;
    }
    assert.deepEqual(simulation.map((r) => r.trainingPatterns), T_SCAN, set);
    assert.ok(simulation.every((r) => r.rewiringPeriod === info.params.rewiringPeriod), set);
    assert.ok(simulation.every((r) => r.sdnr === null && r.sdnrStd === null), set);
    if (info.hasTheoryTable) assert.deepEqual(theory.map((r) => r.trainingPatterns), T_SCAN, set);
  }
  await assert.rejects(
    () => loadRewiringTheoryTable("simulation_no_rewiring_continuo"),
    /has no theory table/,
  );
  await assert.rejects(
    () => loadRewiringSimulationTable("no_such_set" as RewiringReferenceSet),
    /unknown structural-plasticity reference set "no_such_set"/,
  );
});

Deno.test("parsed rows carry the file's numbers and line numbers", async () => {
  const rows = await loadRewiringSimulationTable("no_noise_simulations");
  // Line 2 of no_noise_simulations__values.csv.
  assert.deepEqual(rows[0], {
    line: 2,
    trainingPatterns: 5000,
    rewiringPeriod: 100,
    backgroundMean: 1069.90003,
    backgroundMeanStd: 0.13001234595219108,
    backgroundVariance: 1519.2945499999998,
    backgroundVarianceStd: 2.9554796416994886,
    codingMean: 1318.37034,
    codingMeanStd: 0.5631223547329895,
    sdnr: null,
    sdnrStd: null,
  });
  // (1318.37034 − 1069.90003) / √1519.29455 = 6.374608… (spec §5: 6.375)
  assert.ok(Math.abs(sdnrFromMeans(rows[0]) - 6.374608) < 1e-6);
  const theory = await loadRewiringTheoryTable("variable_rewiring");
  assert.deepEqual(theory[0], {
    line: 2,
    trainingPatterns: 10000,
    rewiringPeriod: 0,
    backgroundMean: 1115.7007777918177,
    backgroundVariance: 2368.3980785252543,
    codingMean: 1338.4619892715095,
  });
});

Deno.test("parsers accept CRLF, blank lines and columns in any order", () => {
  const text = "Sc_th,T,varSb_th,Sb_th\r\n\r\n1318.3,5000,1518.6,1069.9\r\n\r\n";
  const rows = parseRewiringTheoryTable(text, { rewiringPeriod: 100 });
  assert.deepEqual(rows, [{
    line: 3,
    trainingPatterns: 5000,
    rewiringPeriod: 100,
    backgroundMean: 1069.9,
    backgroundVariance: 1518.6,
    codingMean: 1318.3,
  }]);
});

const THEORY_HEADER = "T,Sb_th,varSb_th,Sc_th";
const SIMULATION_HEADER = "T,Sb_av,Sb_std,varSb_av,varSb_std,Sc_av,Sc_std";

Deno.test("malformed tables are refused with file and line", () => {
  const file = "set__th_values.csv";
  const theory = (text: string) => () =>
    parseRewiringTheoryTable(text, { file, rewiringPeriod: 100 });
  const cases: [() => unknown, RegExp][] = [
    [theory(""), /^set__th_values\.csv: empty file/],
    [theory(`${THEORY_HEADER}\n`), /^set__th_values\.csv: no data rows/],
    [theory("T,Sb_th,Sc_th\n5000,1,2\n"), /^set__th_values\.csv:1: missing column "varSb_th"/],
    [theory(`${THEORY_HEADER},extra\n`), /^set__th_values\.csv:1: unexpected column "extra"/],
    [theory("T,T,Sb_th,varSb_th,Sc_th\n"), /^set__th_values\.csv:1: column "T" appears twice/],
    [theory(`${THEORY_HEADER}\n5000,1,2,3\n10000,1,2\n`), /:3: expected 4 fields .* got 3/],
    [
      theory(`${THEORY_HEADER}\n5000,1,abc,3\n`),
      /:2: column "varSb_th" is "abc", expected a finite/,
    ],
    [theory(`${THEORY_HEADER}\n5000,1,,3\n`), /:2: column "varSb_th" is "", expected a finite/],
    [
      theory(`${THEORY_HEADER}\n5000.5,1,2,3\n`),
      /:2: column "T" is 5000.5, expected an integer ≥ 1/,
    ],
    [theory(`${THEORY_HEADER}\n0,1,2,3\n`), /:2: column "T" is 0, expected an integer ≥ 1/],
    [theory(`${THEORY_HEADER}\n5000,1,-2,3\n`), /:2: column "varSb_th" is -2, expected ≥ 0/],
    [
      theory(`r,${THEORY_HEADER}\n-1,5000,1,2,3\n`),
      /:2: column "r" is -1, expected an integer ≥ 0/,
    ],
    [
      () => parseRewiringTheoryTable(`${THEORY_HEADER}\n5000,1,2,3\n`, { file }),
      /^set__th_values\.csv: no r column and no rewiringPeriod option given/,
    ],
  ];
  for (const [call, expected] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof RewiringTableError, String(error));
      assert.equal(error.file, file);
      assert.match(error.message, expected);
      return true;
    });
  }
});

Deno.test("malformed simulation tables are refused with file and line", () => {
  const file = "set__values.csv";
  const parse = (text: string, options = {}) => () =>
    parseRewiringSimulationTable(text, { file, rewiringPeriod: 0, ...options });
  assert.throws(
    parse(`${SIMULATION_HEADER}\n5000,1,0.1,2,0.2,3,-0.3\n`),
    /set__values\.csv:2: column "Sc_std" is -0.3, expected ≥ 0/,
  );
  assert.throws(
    parse(`${SIMULATION_HEADER},SDNR_av\n5000,1,0.1,2,0.2,3,0.3,4\n`),
    /set__values\.csv: columns SDNR_av and SDNR_std must come together/,
  );
  assert.throws(
    parse("r,Sb_av,Sb_std,varSb_av,varSb_std,Sc_av,Sc_std\n0,1,0.1,2,0.2,3,0.3\n"),
    /set__values\.csv: no T column and no trainingPatterns option given/,
  );
  assert.throws(
    parse("T,Sb_av,Sb_std,varSb_av,varSb_std,Sc_av\n5000,1,0.1,2,0.2,3\n"),
    /set__values\.csv:1: missing column "Sc_std"/,
  );
  const rows = parseRewiringSimulationTable(
    "r,Sb_av,Sb_std,varSb_av,varSb_std,Sc_av,Sc_std,SDNR_av,SDNR_std\n5,1,0.1,4,0.2,3,0.3,1,0.01\n",
    { trainingPatterns: 10_000 },
  );
  assert.equal(rows[0].trainingPatterns, 10_000);
  assert.equal(rows[0].rewiringPeriod, 5);
  assert.equal(rows[0].sdnr, 1);
  assert.equal(rows[0].sdnrStd, 0.01);
});

Deno.test("a reference table that does not match SHA256SUMS is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const relative = "structural_plasticity/no_noise_simulations__th_values.csv";
    const original = await Deno.readFile(new URL(`./reference/${relative}`, import.meta.url));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", original));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    await Deno.mkdir(`${dir}/structural_plasticity`);
    await Deno.writeTextFile(`${dir}/SHA256SUMS`, `${hex}  ${relative}\n`);
    const edited = new TextDecoder().decode(original).replace("1069.965", "1069.966");
    await Deno.writeTextFile(`${dir}/${relative}`, edited);
    await assert.rejects(
      () => loadRewiringTheoryTable("no_noise_simulations", { dir }),
      /no_noise_simulations__th_values\.csv: SHA-256 .* does not match SHA256SUMS/,
    );
    await Deno.writeFile(`${dir}/${relative}`, original);
    assert.equal((await loadRewiringTheoryTable("no_noise_simulations", { dir })).length, 20);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Connectivity statistics of every rule (spec microcircuit.md "How to validate" 6 and 7), on the
// network built by the GPU connect kernel, which must also equal the CPU build synapse for
// synapse. Exact properties are checked exactly; random ones by a stated tolerance:
// - counts that are sums of many independent draws: within 5 standard deviations of their mean
//   (a false alarm has probability < 1e-6 per check; the seed is fixed, so the tests are
//   deterministic, and the tolerance guards against a seed that merely happens to pass);
// - degree histograms: chi-square goodness of fit, p > 0.01 (bins merged to expect ≥ 5);
// - weight/delay samples of 200 000 synapses: mean within 0.5 % and std within 2 % of the
//   analytic moments of the redraw-truncated normal (the standard errors are ~0.02 % and ~0.2 %
//   for weights, ~0.1 % and ~0.2 % for delays: the spec's tolerances are ≥ 4.5 standard errors).
import { equal, ok } from "node:assert/strict";
import { connectivityEqual } from "./connectivity.ts";
import { normal } from "./distributions.ts";
import { type ConnectionRule, Network, type Population } from "./network.ts";
import type { Connectivity } from "./simulator_types.ts";
import {
  binomialPmf,
  chiSquareGoodnessOfFit,
  type Moments,
  roundedDelayMoments,
  sampleMoments,
  truncatedNormalMoments,
} from "./test_statistics.ts";
import { build } from "./test_util.ts";

const H = 0.1;
const W_EXC = 87.8085;
const W_INH = -351.234;
const EXC_WEIGHT = normal(W_EXC, 0.1 * W_EXC, { min: 0, max: 1.3 * W_EXC }); // NEST GPU clipping
const INH_WEIGHT = normal(W_INH, -0.1 * W_INH, { max: 0 }); // NEST redraw
const EXC_DELAY = normal(1.5, 0.75, { min: H, max: 1.5 + 3 * 0.75 }); // NEST GPU
const INH_DELAY = normal(0.75, 0.375, { min: H / 2 }); // NEST

interface Projection {
  pre: Population;
  post: Population;
}

/** One network holding one projection per rule variant, each between its own populations. */
function rulesNetwork() {
  const net = new Network({ resolutionMs: H, seed: 2024 });
  const pop = (name: string, size: number) => net.population(name, { size });
  const connect = (
    pre: Population,
    post: Population,
    rule: ConnectionRule,
    syn: { weight?: typeof EXC_WEIGHT | number; delay?: typeof EXC_DELAY | number } = {},
  ): Projection => {
    net.connect(pre, post, { rule, weight: syn.weight ?? 1, delay: syn.delay ?? 1 });
    return { pre, post };
  };
  const [a, b] = [pop("A", 1000), pop("B", 1000)];
  const [c, d, e, f] = [pop("C", 500), pop("D", 500), pop("E", 500), pop("F", 500)];
  const [g, h, i, j, k, l] = [
    pop("G", 500),
    pop("H", 300),
    pop("I", 50),
    pop("J", 60),
    pop("K", 100),
    pop("L", 100),
  ];
  return {
    net,
    totalExc: connect(a, a, { kind: "fixed_total_number", n: 200000 }, {
      weight: EXC_WEIGHT,
      delay: EXC_DELAY,
    }),
    totalInhNoAutapses: connect(b, b, {
      kind: "fixed_total_number",
      n: 200000,
      allowAutapses: false,
    }, { weight: INH_WEIGHT, delay: INH_DELAY }),
    indegree: connect(c, c, { kind: "fixed_indegree", k: 30 }),
    indegreeUnique: connect(d, d, {
      kind: "fixed_indegree",
      k: 30,
      allowAutapses: false,
      allowMultapses: false,
    }),
    outdegree: connect(e, e, { kind: "fixed_outdegree", k: 30 }),
    outdegreeUnique: connect(f, f, {
      kind: "fixed_outdegree",
      k: 30,
      allowAutapses: false,
      allowMultapses: false,
    }),
    bernoulliNoAutapses: connect(g, g, {
      kind: "pairwise_bernoulli",
      p: 0.05,
      allowAutapses: false,
    }),
    bernoulli: connect(h, h, { kind: "pairwise_bernoulli", p: 0.05 }),
    allToAll: connect(i, j, { kind: "all_to_all" }),
    allToAllNoAutapses: connect(j, j, { kind: "all_to_all", allowAutapses: false }),
    oneToOne: connect(k, l, { kind: "one_to_one" }),
  };
}

const NETWORK = rulesNetwork();
let built: Promise<Connectivity> | null = null;

/** The GPU-built connectivity, after checking that the CPU builds the same synapses. */
function connectivity(): Promise<Connectivity> {
  built ??= (async () => {
    const gpu = await build(NETWORK.net, "webgpu");
    const cpu = await build(NETWORK.net, "cpu");
    const [g, c] = [await gpu.connectivity(), await cpu.connectivity()];
    gpu.close();
    cpu.close();
    ok(connectivityEqual(g, c), "the GPU and CPU builds differ");
    return g;
  })();
  return built;
}

/** The synapses of one projection, with population-local source and target indices. */
interface Synapses {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  delays: Uint32Array;
  nPre: number;
  nPost: number;
}

async function synapsesOf(p: Projection): Promise<Synapses> {
  const conn = await connectivity();
  const s: number[] = [], t: number[] = [], w: number[] = [], d: number[] = [];
  for (let src = p.pre.first; src < p.pre.first + p.pre.size; src++) {
    for (let at = conn.rowStart[src]; at < conn.rowStart[src + 1]; at++) {
      const tgt = conn.targets[at];
      if (tgt < p.post.first || tgt >= p.post.first + p.post.size) continue;
      s.push(src - p.pre.first);
      t.push(tgt - p.post.first);
      w.push(conn.weights[at] / conn.scale);
      d.push(conn.delaySteps[at]);
    }
  }
  return {
    sources: Int32Array.from(s),
    targets: Int32Array.from(t),
    weights: Float64Array.from(w),
    delays: Uint32Array.from(d),
    nPre: p.pre.size,
    nPost: p.post.size,
  };
}

function degrees(ids: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (const i of ids) out[i]++;
  return out;
}

const autapses = (syn: Synapses) => syn.sources.filter((s, i) => s === syn.targets[i]).length;

/** Synapses beyond the first of each (source, target) pair. */
function duplicates(syn: Synapses): number {
  const keys = new Float64Array(syn.sources.length);
  for (let i = 0; i < keys.length; i++) keys[i] = syn.sources[i] * syn.nPost + syn.targets[i];
  keys.sort();
  let dup = 0;
  for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) dup++;
  return dup;
}

/**
 * Mean and variance of the number of repeats when `draws` independent uniform draws fall into
 * `cells` cells: D = draws − occupied cells, E[D] = S − M(1 − q1), Var D = Var(empty cells) =
 * M(M−1)q2 + Mq1 − M²q1², with q1 = (1 − 1/M)^S, q2 = (1 − 2/M)^S.
 */
function repeatStatistics(draws: number, cells: number): { mean: number; variance: number } {
  const q1 = Math.exp(draws * Math.log1p(-1 / cells));
  const q2 = Math.exp(draws * Math.log1p(-2 / cells));
  return {
    mean: draws - cells * (1 - q1),
    variance: cells * (cells - 1) * q2 + cells * q1 - cells * cells * q1 * q1,
  };
}

function within(actual: number, mean: number, variance: number, what: string, sigmas = 5) {
  const sd = Math.sqrt(variance);
  ok(
    Math.abs(actual - mean) <= sigmas * sd,
    `${what}: ${actual}, expected ${mean.toFixed(2)} ± ${sigmas}·${sd.toFixed(2)}`,
  );
}

/** Chi-square test of a degree sequence against binomial(n, p), p > 0.01. */
function binomialFit(deg: Int32Array, n: number, p: number, what: string) {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const range: [number, number] = [
    Math.max(0, Math.floor(mean - 12 * sd)),
    Math.min(n, Math.ceil(mean + 12 * sd)),
  ];
  const fit = chiSquareGoodnessOfFit(deg, { pmf: (k) => binomialPmf(k, n, p), range });
  ok(fit.df >= 5, `${what}: only ${fit.df} degrees of freedom`);
  ok(fit.p > 0.01, `${what}: chi-square ${fit.statistic.toFixed(1)} on ${fit.df} df, p = ${fit.p}`);
}

function momentsMatch(sample: Moments, expected: Moments, what: string) {
  const dm = Math.abs(sample.mean - expected.mean) / Math.abs(expected.mean);
  const ds = Math.abs(sample.std - expected.std) / expected.std;
  ok(dm <= 0.005, `${what} mean ${sample.mean} vs ${expected.mean} (${(dm * 100).toFixed(3)} %)`);
  ok(ds <= 0.02, `${what} std ${sample.std} vs ${expected.std} (${(ds * 100).toFixed(3)} %)`);
}

const gpuTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn });

gpuTest("the GPU and CPU backends build identical connectivity for every rule", async () => {
  const conn = await connectivity();
  ok(conn.targets.length > 450000, `synapses: ${conn.targets.length}`);
});

gpuTest(
  "fixed_total_number: exact total, binomial in/out-degrees, autapse and multapse rates",
  async () => {
    const syn = await synapsesOf(NETWORK.totalExc);
    const S = 200000, N = 1000;
    equal(syn.sources.length, S, "total synapses equal n exactly");
    const inDeg = degrees(syn.targets, N);
    equal(inDeg.reduce((a, b) => a + b, 0) / N, S / N, "mean in-degree S/N_post");
    binomialFit(inDeg, S, 1 / N, "in-degree");
    binomialFit(degrees(syn.sources, N), S, 1 / N, "out-degree");
    // Autapses: each draw hits s = t with probability 1/N → binomial(S, 1/N), mean S/N = 200.
    within(autapses(syn), S / N, S / N * (1 - 1 / N), "autapses");
    // Repeated pairs: S draws into M = N_pre·N_post cells (≈ 18 730 expected).
    const rep = repeatStatistics(S, N * N);
    within(duplicates(syn), rep.mean, rep.variance, "multapses");
  },
);

gpuTest("fixed_total_number without autapses: none, and pairs stay uniform", async () => {
  const syn = await synapsesOf(NETWORK.totalInhNoAutapses);
  const S = 200000, N = 1000;
  equal(syn.sources.length, S);
  equal(autapses(syn), 0, "no autapses when disallowed");
  // Redrawing s = t leaves every off-diagonal pair equally likely: each target still gets a
  // draw with probability 1/N, and repeats fall into M = N(N − 1) cells.
  binomialFit(degrees(syn.targets, N), S, 1 / N, "in-degree");
  const rep = repeatStatistics(S, N * (N - 1));
  within(duplicates(syn), rep.mean, rep.variance, "multapses");
});

gpuTest("fixed_indegree: exactly k per target; autapse and multapse rates", async () => {
  const syn = await synapsesOf(NETWORK.indegree);
  const k = 30, N = 500;
  ok(degrees(syn.targets, N).every((x) => x === k), "every target has exactly k sources");
  // N·k draws, each an autapse with probability 1/N → mean k.
  within(autapses(syn), k, N * k * (1 / N) * (1 - 1 / N), "autapses");
  // Per target, k draws into N cells; N independent targets.
  const rep = repeatStatistics(k, N);
  within(duplicates(syn), N * rep.mean, N * rep.variance, "multapses");
  binomialFit(degrees(syn.sources, N), N * k, 1 / N, "out-degree");
});

gpuTest("fixed_indegree without multapses and autapses: none, uniform subsets", async () => {
  const syn = await synapsesOf(NETWORK.indegreeUnique);
  const k = 30, N = 500;
  ok(degrees(syn.targets, N).every((x) => x === k), "every target has exactly k sources");
  equal(autapses(syn), 0, "no autapses");
  equal(duplicates(syn), 0, "no multapses");
  // Each target takes a uniform k-subset of the N − 1 others, so a source's out-degree is a
  // sum of N − 1 independent Bernoulli(k/(N − 1)).
  binomialFit(degrees(syn.sources, N), N - 1, k / (N - 1), "out-degree");
});

gpuTest("fixed_outdegree: exactly k per source; autapse and multapse rates", async () => {
  const syn = await synapsesOf(NETWORK.outdegree);
  const k = 30, N = 500;
  ok(degrees(syn.sources, N).every((x) => x === k), "every source has exactly k targets");
  within(autapses(syn), k, N * k * (1 / N) * (1 - 1 / N), "autapses");
  const rep = repeatStatistics(k, N);
  within(duplicates(syn), N * rep.mean, N * rep.variance, "multapses");
  binomialFit(degrees(syn.targets, N), N * k, 1 / N, "in-degree");
});

gpuTest("fixed_outdegree without multapses and autapses: none, uniform subsets", async () => {
  const syn = await synapsesOf(NETWORK.outdegreeUnique);
  const k = 30, N = 500;
  ok(degrees(syn.sources, N).every((x) => x === k), "every source has exactly k targets");
  equal(autapses(syn), 0, "no autapses");
  equal(duplicates(syn), 0, "no multapses");
  binomialFit(degrees(syn.targets, N), N - 1, k / (N - 1), "in-degree");
});

gpuTest("pairwise_bernoulli: binomial count, never multapses, autapses as allowed", async () => {
  const p = 0.05;
  const without = await synapsesOf(NETWORK.bernoulliNoAutapses);
  const N = 500;
  const pairs = N * (N - 1);
  within(without.sources.length, pairs * p, pairs * p * (1 - p), "count without autapses");
  equal(autapses(without), 0, "no autapses when disallowed");
  equal(duplicates(without), 0, "no multapses");
  binomialFit(degrees(without.targets, N), N - 1, p, "in-degree");

  const withAut = await synapsesOf(NETWORK.bernoulli);
  const M = 300;
  within(withAut.sources.length, M * M * p, M * M * p * (1 - p), "count ~ binomial(N², p)");
  within(autapses(withAut), M * p, M * p * (1 - p), "autapses ~ binomial(N, p)");
  equal(duplicates(withAut), 0, "no multapses");
});

gpuTest("all_to_all and one_to_one connect exactly the pairs they name", async () => {
  const full = await synapsesOf(NETWORK.allToAll);
  equal(full.sources.length, 50 * 60);
  equal(duplicates(full), 0, "every pair exactly once");
  const noAut = await synapsesOf(NETWORK.allToAllNoAutapses);
  equal(noAut.sources.length, 60 * 59);
  equal(duplicates(noAut), 0);
  equal(autapses(noAut), 0);
  const one = await synapsesOf(NETWORK.oneToOne);
  equal(one.sources.length, 100);
  ok(one.sources.every((s, i) => s === one.targets[i]), "i → i only");
  equal(new Set(one.sources).size, 100, "every neuron once");
});

gpuTest("excitatory weights and delays: signs, integral steps, truncated moments", async () => {
  const syn = await synapsesOf(NETWORK.totalExc);
  ok(syn.weights.every((w) => w >= 0), "no excitatory weight < 0");
  ok(syn.delays.every((d) => Number.isInteger(d) && d >= 1), "delays are whole steps ≥ 1");
  momentsMatch(
    sampleMoments(syn.weights),
    truncatedNormalMoments(W_EXC, 0.1 * W_EXC, { lo: 0, hi: 1.3 * W_EXC }),
    "weight (pA)",
  );
  momentsMatch(
    sampleMoments(syn.delays),
    roundedDelayMoments(1.5, 0.75, { lo: H, hi: 1.5 + 3 * 0.75, resolution: H }),
    "delay (steps)",
  );
});

gpuTest("inhibitory weights and delays: signs, integral steps, truncated moments", async () => {
  const syn = await synapsesOf(NETWORK.totalInhNoAutapses);
  ok(syn.weights.every((w) => w <= 0), "no inhibitory weight > 0");
  ok(syn.delays.every((d) => Number.isInteger(d) && d >= 1), "delays are whole steps ≥ 1");
  momentsMatch(
    sampleMoments(syn.weights),
    truncatedNormalMoments(W_INH, -0.1 * W_INH, { lo: -Infinity, hi: 0 }),
    "weight (pA)",
  );
  momentsMatch(
    sampleMoments(syn.delays),
    roundedDelayMoments(0.75, 0.375, { lo: H / 2, hi: Infinity, resolution: H }),
    "delay (steps)",
  );
});

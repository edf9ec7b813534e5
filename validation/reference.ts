/**
 * Loader for the NEST reference data shipped in `validation/reference/` (copied from the
 * project's shared reference folder; see validation/README.md). Every file read is checked
 * against `validation/reference/SHA256SUMS` first, so a truncated or edited reference fails
 * loudly instead of silently moving the baselines.
 *
 * @module
 */

import type { PopulationSpikes, RunDistributions, StatisticName } from "./spike_statistics.ts";
import { STATISTIC_NAMES } from "./spike_statistics.ts";
import { type PopulationRange, readSpikes } from "./spike_io.ts";

/** The two microcircuit reference ensembles: N_scaling = K_scaling = 0.1 and 1. */
export type ReferenceScale = "small" | "full";

/** One reference seed's distributions. */
export interface ReferenceRun {
  /** NEST rng_seed. */
  seed: number;
  /** firing_rate / cv_isi / correlation per population. */
  distributions: RunDistributions;
}

/** A NEST reference ensemble: the same model run with several seeds. */
export interface ReferenceEnsemble {
  /** Which ensemble. */
  scale: ReferenceScale;
  /** Simulator that produced it, e.g. "NEST 3.8.0". */
  simulator: string;
  /** Population names in order. */
  populations: string[];
  /** Neurons per population. */
  numNeurons: number[];
  /** NEST node-id ranges [first, last] per population (inclusive). */
  nodeIdRanges: [number, number][];
  /** The analysis window [start, stop] in ms. */
  windowMs: [number, number];
  /** Seeds, in the order of `runs`. */
  seeds: number[];
  /** Per-seed distributions. */
  runs: ReferenceRun[];
}

/** NEST-vs-NEST EMD summary of one (statistic, population) as stored in summary.json. */
export interface StoredBaseline {
  /** Number of seed pairs. */
  n_pairs: number;
  /** Mean EMD over pairs. */
  mean: number;
  /** Standard deviation over pairs (ddof = 1). */
  std: number;
  /** Smallest pair EMD. */
  min: number;
  /** Largest pair EMD. */
  max: number;
  /** [seedA, seedB, emd] for every pair. */
  pairs: [number, number, number][];
}

/** The parts of summary.json that the validation uses (the file has more). */
export interface ReferenceSummary {
  /** "small" or "full". */
  scale: string;
  /** Seeds of the ensemble. */
  seeds: number[];
  /** Population names. */
  populations: string[];
  /** Neurons per population. */
  num_neurons: number[];
  /** Per statistic, per population, per seed (as string): the mean of the distribution. */
  per_seed_means: Record<StatisticName, Record<string, Record<string, number>>>;
  /** Per statistic and population: mean, std_over_seeds (ddof 1), min, max of seed means. */
  means_over_seeds: Record<
    StatisticName,
    Record<string, { mean: number; std_over_seeds: number; min: number; max: number }>
  >;
  /** NEST-vs-NEST EMD over all seed pairs. */
  emd_nest_vs_nest: Record<StatisticName, Record<string, StoredBaseline>>;
  /** Everything else in the file. */
  [key: string]: unknown;
}

/** Options of the loaders. */
export interface ReferenceOptions {
  /** Directory holding SHA256SUMS and the data; default validation/reference beside this file. */
  dir?: string | URL;
}

const DEFAULT_DIR = new URL("./reference/", import.meta.url);

function baseUrl(options: ReferenceOptions): URL {
  const dir = options.dir ?? DEFAULT_DIR;
  if (dir instanceof URL) return dir.href.endsWith("/") ? dir : new URL(dir.href + "/");
  const abs = dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
  return new URL(`file://${abs.endsWith("/") ? abs : abs + "/"}`);
}

/**
 * Parses a sha256sum-style checksum list (`<64 hex>  <relative path>` per line).
 *
 * @param text the file's content
 * @param file its name, for error messages
 */
export function parseChecksums(text: string, file = "SHA256SUMS"): Map<string, string> {
  const out = new Map<string, string>();
  text.split("\n").forEach((raw, k) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) {
      throw new Error(`${file}:${k + 1}: expected '<sha256 hex>  <path>', got '${line}'`);
    }
    out.set(match[2], match[1]);
  });
  return out;
}

const checksumCache = new Map<string, Map<string, string>>();

async function checksums(base: URL): Promise<Map<string, string>> {
  const cached = checksumCache.get(base.href);
  if (cached) return cached;
  const url = new URL("SHA256SUMS", base);
  let text: string;
  try {
    text = await Deno.readTextFile(url);
  } catch (error) {
    throw new Error(
      `${url.pathname}: cannot read the reference checksum list (${(error as Error).message})`,
    );
  }
  const parsed = parseChecksums(text, url.pathname);
  checksumCache.set(base.href, parsed);
  return parsed;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads a reference file and verifies it against SHA256SUMS; throws naming the file when it
 * is missing, unlisted or altered. Returns the raw (possibly gzipped) bytes.
 *
 * @param relativePath path inside the reference directory, e.g. "microcircuit/full/summary.json"
 * @param options the reference directory
 */
export async function readVerifiedFile(
  relativePath: string,
  options: ReferenceOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const base = baseUrl(options);
  const sums = await checksums(base);
  const expected = sums.get(relativePath);
  const url = new URL(relativePath, base);
  if (!expected) {
    throw new Error(`${url.pathname} is not listed in SHA256SUMS; refusing to use it`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(url);
  } catch (error) {
    throw new Error(`${url.pathname}: cannot read reference file (${(error as Error).message})`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new Error(
      `${url.pathname}: SHA-256 ${actual} does not match SHA256SUMS (${expected}); ` +
        "the reference data was altered or truncated",
    );
  }
  return bytes;
}

/**
 * Verifies every file listed in SHA256SUMS; returns the number of files checked.
 *
 * @param options the reference directory
 */
export async function verifyReferenceChecksums(options: ReferenceOptions = {}): Promise<number> {
  const sums = await checksums(baseUrl(options));
  for (const path of sums.keys()) await readVerifiedFile(path, options);
  return sums.size;
}

async function gunzipIfNeeded(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Reads a verified reference file as text, gunzipped when it is gzip-compressed.
 *
 * @param relativePath path inside the reference directory
 * @param options the reference directory
 */
export async function readVerifiedText(
  relativePath: string,
  options: ReferenceOptions = {},
): Promise<string> {
  const bytes = await gunzipIfNeeded(await readVerifiedFile(relativePath, options));
  return new TextDecoder().decode(bytes);
}

async function readVerifiedJson(relativePath: string, options: ReferenceOptions): Promise<unknown> {
  return JSON.parse(await readVerifiedText(relativePath, options));
}

/**
 * Normalizes a scale given as "small"/"full", 0.1/1 or "0.1"/"1".
 *
 * @param value the scale
 */
export function parseScale(value: string | number): ReferenceScale {
  if (value === "small" || value === 0.1 || value === "0.1") return "small";
  if (value === "full" || value === 1 || value === "1" || value === "1.0") return "full";
  throw new RangeError(
    `scale is ${JSON.stringify(value)}; it must be 0.1 (the "small" reference) or 1 ("full")`,
  );
}

/**
 * Loads summary.json of a reference ensemble (means over seeds and the stored NEST-vs-NEST
 * EMD baselines).
 *
 * @param scale "small" / 0.1 or "full" / 1
 * @param options the reference directory
 */
export async function loadReferenceSummary(
  scale: ReferenceScale | number | string,
  options: ReferenceOptions = {},
): Promise<ReferenceSummary> {
  const s = parseScale(scale);
  return (await readVerifiedJson(`microcircuit/${s}/summary.json`, options)) as ReferenceSummary;
}

interface SeedFile {
  scale: string;
  seed: number;
  simulator: string;
  window_ms: [number, number];
  populations: string[];
  num_neurons: number[];
  node_id_ranges: [number, number][];
  firing_rate: Record<string, number[]>;
  cv_isi: Record<string, number[]>;
  correlation: Record<string, number[]>;
}

/**
 * Loads a NEST reference ensemble: every seed's firing-rate, CV ISI and correlation
 * distributions (checksums verified).
 *
 * @param scale "small" / 0.1 (10 seeds) or "full" / 1 (4 seeds)
 * @param options the reference directory and an optional subset of seeds
 */
export async function loadReferenceEnsemble(
  scale: ReferenceScale | number | string,
  options: ReferenceOptions & { seeds?: number[] } = {},
): Promise<ReferenceEnsemble> {
  const s = parseScale(scale);
  const summary = await loadReferenceSummary(s, options);
  const seeds = options.seeds ?? summary.seeds;
  for (const seed of seeds) {
    if (!summary.seeds.includes(seed)) {
      throw new RangeError(
        `seed ${seed} is not in the ${s} reference (seeds ${summary.seeds.join(", ")})`,
      );
    }
  }
  const files = await Promise.all(
    seeds.map((seed) =>
      readVerifiedJson(`microcircuit/${s}/seed${seed}.json.gz`, options) as Promise<SeedFile>
    ),
  );
  const first = files[0];
  const runs = files.map((file) => {
    const distributions = {} as RunDistributions;
    for (const stat of STATISTIC_NAMES) {
      distributions[stat] = {};
      for (const pop of first.populations) {
        distributions[stat][pop] = Float64Array.from(file[stat][pop]);
      }
    }
    return { seed: file.seed, distributions };
  });
  return {
    scale: s,
    simulator: first.simulator,
    populations: [...first.populations],
    numNeurons: [...first.num_neurons],
    nodeIdRanges: first.node_id_ranges.map(([a, b]) => [a, b] as [number, number]),
    windowMs: [first.window_ms[0], first.window_ms[1]],
    seeds: files.map((f) => f.seed),
    runs,
  };
}

/**
 * The NEST node-id ranges of a reference ensemble as {@linkcode PopulationRange}s (used as
 * fallback when a NEST recording has no population_nodeids.dat).
 *
 * @param ensemble a loaded ensemble
 */
export function referenceRanges(ensemble: ReferenceEnsemble): PopulationRange[] {
  return ensemble.populations.map((name, i) => ({
    name,
    firstId: ensemble.nodeIdRanges[i][0],
    size: ensemble.nodeIdRanges[i][1] - ensemble.nodeIdRanges[i][0] + 1,
  }));
}

/**
 * Loads every spike of the small-scale NEST seed 1 run (spikes_seed1.csv.gz, 500 < t ≤ 10 500
 * ms) as populations, for end-to-end tests.
 *
 * @param options the reference directory
 */
export async function loadReferenceSpikes(
  options: ReferenceOptions = {},
): Promise<PopulationSpikes[]> {
  const relative = "microcircuit/small/spikes_seed1.csv.gz";
  await readVerifiedFile(relative, options);
  const ensemble = await loadReferenceEnsemble("small", { ...options, seeds: [1] });
  const url = new URL(relative, baseUrl(options));
  const recording = await readSpikes(url.pathname, { fallbackRanges: referenceRanges(ensemble) });
  return recording.populations;
}

/**
 * Loads the per-neuron rates of NEST's own example reference run (0.1 scale, 1 s, seed 55;
 * `microcircuit_nest_0.1scale/rate<i>.dat`), keyed by population name.
 *
 * @param options the reference directory
 */
export async function loadExampleRates(
  options: ReferenceOptions = {},
): Promise<Record<string, Float64Array>> {
  const names = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"];
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < names.length; i++) {
    const path = `microcircuit_nest_0.1scale/rate${i}.dat`;
    const text = new TextDecoder().decode(await readVerifiedFile(path, options));
    const values: number[] = [];
    text.split("\n").forEach((line, k) => {
      if (line.trim().length === 0) return;
      const v = Number(line);
      if (!Number.isFinite(v)) throw new Error(`${path}:${k + 1}: '${line}' is not a number`);
      values.push(v);
    });
    out[names[i]] = Float64Array.from(values);
  }
  return out;
}

/**
 * Reading and writing spike recordings.
 *
 * Readers (see {@linkcode readSpikes}) accept:
 * - **spikebench spike files** (our format, written by {@linkcode writeSpikeFile}): line 1 a
 *   JSON header `{"format":"spikebench-spikes","version":1,"populations":[{"name","first_id",
 *   "size"}, ...],"metadata":{...}}`, line 2 `sender time_ms`, then one `sender time_ms` pair
 *   per line (sender = global node id = first_id + index). Gzipped when the file starts with
 *   the gzip magic bytes (the writer gzips when the name ends in `.gz`).
 * - **NEST** spike recorder ASCII files (`*.dat`, `*.gdf`; `#` comment lines, an optional
 *   `sender time_ms` header), one or many files per run (one per recorder and thread),
 *   with population node-id ranges from `population_nodeids.dat` beside them.
 * - **NEST GPU** microcircuit layout: a directory of `spike_times_<i>.dat` (population index
 *   i, one header line, `sender time_ms` pairs) and `population_nodeids.dat`.
 * - **CSV** with a header naming `sender` and `time_ms` columns (e.g. the NEST reference's
 *   `spikes_seed1.csv.gz`).
 *
 * Every malformed or missing input raises a {@linkcode SpikeInputError} naming the file and,
 * where it applies, the line.
 *
 * @module
 */

import type { PopulationSpikes } from "./spike_statistics.ts";

/** The eight microcircuit populations in NEST's order (population ids 0..7). */
export const PD14_POPULATIONS: readonly string[] = [
  "L23E",
  "L23I",
  "L4E",
  "L4I",
  "L5E",
  "L5I",
  "L6E",
  "L6I",
];

/** A population's contiguous global node-id range. */
export interface PopulationRange {
  /** Population name. */
  name: string;
  /** Node id of index 0. */
  firstId: number;
  /** Number of neurons; ids firstId .. firstId + size - 1. */
  size: number;
}

/** Which reader produced a {@linkcode SpikeRecording}. */
export type SpikeFormat = "spikebench" | "nest" | "nest-gpu" | "csv";

/** A run's spikes read from disk. */
export interface SpikeRecording {
  /** Spikes per population, in range order. */
  populations: PopulationSpikes[];
  /** The reader used. */
  format: SpikeFormat;
  /** Every file read. */
  files: string[];
  /** The node-id ranges used to assign senders to populations. */
  ranges: PopulationRange[];
  /** Where the ranges came from: a file path, "header" or "fallback". */
  rangesSource: string;
  /** Our format's header metadata; {} for the others. */
  metadata: Record<string, unknown>;
}

/** A missing, unreadable or malformed spike input; names the file and line when known. */
export class SpikeInputError extends Error {
  /** The file at fault. */
  readonly file?: string;
  /** 1-based line number, when the fault is on a line. */
  readonly line?: number;

  /**
   * Creates the error; the message is prefixed with "file:line: ".
   *
   * @param message what is wrong and what was expected
   * @param where the file and line, prepended to the message
   */
  constructor(message: string, where: { file?: string; line?: number } = {}) {
    const prefix = where.file ? `${where.file}${where.line ? `:${where.line}` : ""}: ` : "";
    super(prefix + message);
    this.name = "SpikeInputError";
    this.file = where.file;
    this.line = where.line;
  }
}

/** Options of {@linkcode readSpikes}. */
export interface ReadSpikesOptions {
  /**
   * Node-id ranges for NEST/CSV files that have no `population_nodeids.dat` beside them
   * (e.g. the reference's ranges for the chosen scale).
   */
  fallbackRanges?: PopulationRange[];
  /** Names for the lines of `population_nodeids.dat`; default PD14 names when there are 8. */
  populationNames?: string[];
}

/** Options of {@linkcode writeSpikeFile}. */
export interface WriteSpikeFileOptions {
  /** Global node id of each population's index 0; default contiguous from 1, like NEST. */
  firstIds?: number[];
  /** Free-form JSON metadata stored in the header (model, scale, seed, simulator, ...). */
  metadata?: Record<string, unknown>;
}

const FORMAT_NAME = "spikebench-spikes";
const FORMAT_VERSION = 1;
const NODE_IDS_FILE = "population_nodeids.dat";

// ---------------------------------------------------------------------------------------
// Bytes, gzip, paths

async function readBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new SpikeInputError("file not found", { file: path });
    }
    throw new SpikeInputError(`cannot read file (${(error as Error).message})`, { file: path });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (error) {
      throw new SpikeInputError(`corrupt gzip data (${(error as Error).message})`, { file: path });
    }
  }
  return bytes;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Line scanning and number parsing (byte level: ~3 M lines per second)

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;

function isSeparator(c: number): boolean {
  return c === SPACE || c === TAB || c === COMMA || c === CR;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const decoder = new TextDecoder();

/** Parses a non-negative decimal integer token; -1 if it is not one. */
function parseIdToken(b: Uint8Array, start: number, end: number): number {
  if (end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return end > start ? v : -1;
}

/**
 * Parses a decimal float token exactly (the fast path m·10^e is correctly rounded for
 * ≤ 15 significant digits and |e| ≤ 22; anything else goes through Number()). NaN if invalid.
 */
function parseTimeToken(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (b[i] === 45 || b[i] === 43) {
    negative = b[i] === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  let sawDigit = false;
  while (i < end && b[i] >= 48 && b[i] <= 57) {
    if (mantissa > 0 || b[i] !== 48) digits++;
    mantissa = mantissa * 10 + (b[i] - 48);
    sawDigit = true;
    i++;
  }
  if (i < end && b[i] === 46) {
    i++;
    while (i < end && b[i] >= 48 && b[i] <= 57) {
      if (mantissa > 0 || b[i] !== 48) digits++;
      mantissa = mantissa * 10 + (b[i] - 48);
      exponent--;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return NaN;
  if (i < end && (b[i] === 101 || b[i] === 69)) {
    i++;
    let expNegative = false;
    if (b[i] === 45 || b[i] === 43) {
      expNegative = b[i] === 45;
      i++;
    }
    let e = 0;
    let expDigits = 0;
    while (i < end && b[i] >= 48 && b[i] <= 57) {
      e = e * 10 + (b[i] - 48);
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    exponent += expNegative ? -e : e;
  }
  if (i !== end) return NaN;
  let value: number;
  if (digits <= 15 && exponent >= -22 && exponent <= 22) {
    value = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
  } else {
    value = Number(decoder.decode(b.subarray(start, end)));
  }
  return negative ? -value : value;
}

/** A growable pair of columns. */
class SpikeColumns {
  senders = new Uint32Array(1024);
  times = new Float64Array(1024);
  length = 0;

  push(sender: number, time: number): void {
    if (this.length === this.senders.length) {
      const senders = new Uint32Array(this.length * 2);
      senders.set(this.senders);
      this.senders = senders;
      const times = new Float64Array(this.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.senders[this.length] = sender;
    this.times[this.length] = time;
    this.length++;
  }

  toPopulation(name: string, size: number): PopulationSpikes {
    return {
      name,
      size,
      senders: this.senders.slice(0, this.length),
      timesMs: this.times.slice(0, this.length),
    };
  }
}

/** Tokens of one text line, decoded (used for headers only). */
function lineTokens(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t.length > 0);
}

/**
 * Receives one parsed row: global node id, time, 1-based line number, and the population id
 * from a `pop` column (-1 when the table has none).
 */
type RowHandler = (sender: number, time: number, line: number, pop: number) => void;

interface TableLayout {
  senderColumn: number;
  timeColumn: number;
  /** Optional `pop` column (population id 0..P-1), -1 when absent. */
  popColumn: number;
  columns: number;
}

/**
 * Scans `bytes` from `offset` (which starts line `firstLine`): skips blank and `#` lines,
 * reads an optional column header (first non-comment line starting with a letter; required
 * when `requireHeader`), then calls `onRow` for every data line.
 */
function scanTable(
  bytes: Uint8Array,
  file: string,
  onRow: RowHandler,
  opts: { offset?: number; firstLine?: number; requireHeader?: boolean } = {},
): void {
  let pos = opts.offset ?? 0;
  let line = (opts.firstLine ?? 1) - 1;
  let layout: TableLayout | null = null;
  const n = bytes.length;
  const starts: number[] = [];
  const ends: number[] = [];
  while (pos < n) {
    line++;
    let eol = bytes.indexOf(LF, pos);
    if (eol < 0) eol = n;
    let i = pos;
    const lineStart = pos;
    pos = eol + 1;
    while (i < eol && isSeparator(bytes[i])) i++;
    if (i === eol || bytes[i] === HASH) continue;
    const first = bytes[i];
    const isLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
    if (layout === null) {
      if (isLetter) {
        layout = headerLayout(decoder.decode(bytes.subarray(lineStart, eol)), file, line);
        continue;
      }
      if (opts.requireHeader) {
        throw new SpikeInputError("expected the column header 'sender time_ms'", { file, line });
      }
      layout = { senderColumn: 0, timeColumn: 1, popColumn: -1, columns: 2 };
    }
    starts.length = 0;
    ends.length = 0;
    while (i < eol) {
      const s = i;
      while (i < eol && !isSeparator(bytes[i])) i++;
      starts.push(s);
      ends.push(i);
      while (i < eol && isSeparator(bytes[i])) i++;
    }
    if (starts.length < layout.columns) {
      throw new SpikeInputError(
        `expected ${layout.columns} columns (sender time_ms), found ${starts.length}: ` +
          `'${decoder.decode(bytes.subarray(lineStart, eol)).trim()}'`,
        { file, line },
      );
    }
    const sc = layout.senderColumn;
    const tc = layout.timeColumn;
    const sender = parseIdToken(bytes, starts[sc], ends[sc]);
    if (sender < 0) {
      throw new SpikeInputError(
        `sender must be a non-negative integer node id, got ` +
          `'${decoder.decode(bytes.subarray(starts[sc], ends[sc]))}'`,
        { file, line },
      );
    }
    const time = parseTimeToken(bytes, starts[tc], ends[tc]);
    if (!Number.isFinite(time)) {
      throw new SpikeInputError(
        `time_ms must be a finite number, got ` +
          `'${decoder.decode(bytes.subarray(starts[tc], ends[tc]))}'`,
        { file, line },
      );
    }
    let pop = -1;
    if (layout.popColumn >= 0) {
      const pc = layout.popColumn;
      pop = parseIdToken(bytes, starts[pc], ends[pc]);
      if (pop < 0) {
        throw new SpikeInputError(
          `pop must be a non-negative integer population id, got ` +
            `'${decoder.decode(bytes.subarray(starts[pc], ends[pc]))}'`,
          { file, line },
        );
      }
    }
    onRow(sender, time, line, pop);
  }
}

function headerLayout(text: string, file: string, line: number): TableLayout {
  const names = lineTokens(text);
  const senderColumn = names.indexOf("sender");
  const timeColumn = names.indexOf("time_ms");
  if (senderColumn < 0 || timeColumn < 0) {
    const hint = names.includes("time_step")
      ? " (recorded with time_in_steps = True; record with time_in_steps = False)"
      : "";
    throw new SpikeInputError(
      `column header '${text.trim()}' must name the columns 'sender' and 'time_ms'${hint}`,
      { file, line },
    );
  }
  const popColumn = names.indexOf("pop");
  return {
    senderColumn,
    timeColumn,
    popColumn,
    columns: Math.max(senderColumn, timeColumn, popColumn) + 1,
  };
}

// ---------------------------------------------------------------------------------------
// Population ranges

function checkRanges(ranges: PopulationRange[], where: string): void {
  if (ranges.length === 0) throw new SpikeInputError(`${where} defines no populations`);
  const names = new Set<string>();
  const sorted = [...ranges].sort((a, b) => a.firstId - b.firstId);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    if (names.has(r.name)) throw new SpikeInputError(`${where}: population "${r.name}" twice`);
    names.add(r.name);
    if (i > 0 && r.firstId < sorted[i - 1].firstId + sorted[i - 1].size) {
      throw new SpikeInputError(
        `${where}: node ids of "${r.name}" overlap those of "${sorted[i - 1].name}"`,
      );
    }
  }
}

/** Maps global node ids to (population index, local index) by binary search. */
class RangeLookup {
  private readonly order: number[];
  private readonly firsts: number[];

  constructor(readonly ranges: PopulationRange[]) {
    this.order = ranges.map((_, i) => i).sort((a, b) => ranges[a].firstId - ranges[b].firstId);
    this.firsts = this.order.map((i) => ranges[i].firstId);
  }

  /** Population index of `id`, or -1. */
  find(id: number): number {
    let lo = 0;
    let hi = this.firsts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.firsts[mid] <= id) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return -1;
    const p = this.order[found];
    return id < this.ranges[p].firstId + this.ranges[p].size ? p : -1;
  }

  describe(): string {
    return this.ranges.map((r) => `${r.name} ${r.firstId}–${r.firstId + r.size - 1}`).join(", ");
  }
}

/**
 * Reads a `population_nodeids.dat` file: one line per population with its first and last
 * node id (inclusive), in population order.
 *
 * @param path the file
 * @param options names for the lines (default: PD14 names when there are 8 lines, else pop<i>)
 */
export async function readPopulationNodeIds(
  path: string,
  options: { names?: string[] } = {},
): Promise<PopulationRange[]> {
  const text = decoder.decode(await readBytes(path));
  const rows: [number, number][] = [];
  text.split("\n").forEach((raw, k) => {
    const tokens = lineTokens(raw);
    if (tokens.length === 0 || tokens[0].startsWith("#")) return;
    const [first, last] = tokens.map(Number);
    if (
      tokens.length !== 2 || !Number.isInteger(first) || !Number.isInteger(last) || first < 0 ||
      last < first
    ) {
      throw new SpikeInputError(
        `expected 'first_id last_id' (integers, first ≤ last), got '${raw.trim()}'`,
        { file: path, line: k + 1 },
      );
    }
    rows.push([first, last]);
  });
  if (rows.length === 0) throw new SpikeInputError("no populations listed", { file: path });
  const names = options.names ??
    (rows.length === PD14_POPULATIONS.length
      ? [...PD14_POPULATIONS]
      : rows.map((_, i) => `pop${i}`));
  if (names.length !== rows.length) {
    throw new SpikeInputError(
      `lists ${rows.length} populations but ${names.length} names were given`,
      { file: path },
    );
  }
  const ranges = rows.map(([first, last], i) => ({
    name: names[i],
    firstId: first,
    size: last - first + 1,
  }));
  checkRanges(ranges, path);
  return ranges;
}

// ---------------------------------------------------------------------------------------
// Readers

function assemble(ranges: PopulationRange[], columns: SpikeColumns[]): PopulationSpikes[] {
  return ranges.map((r, i) => columns[i].toPopulation(r.name, r.size));
}

/** Adds the rows of a table whose senders are global ids in `lookup`'s ranges. */
function globalIdHandler(lookup: RangeLookup, columns: SpikeColumns[], file: string): RowHandler {
  return (sender, time, line, pop) => {
    const p = lookup.find(sender);
    if (p < 0) {
      throw new SpikeInputError(
        `sender ${sender} is outside every population's node-id range (${lookup.describe()})`,
        { file, line },
      );
    }
    if (pop >= 0 && pop !== p) {
      throw new SpikeInputError(
        `sender ${sender} is marked pop ${pop} but lies in population ${p} ` +
          `(${lookup.ranges[p].name}) of the node-id ranges used (${lookup.describe()}); ` +
          "the ranges do not fit this recording (wrong --scale?)",
        { file, line },
      );
    }
    columns[p].push(sender - lookup.ranges[p].firstId, time);
  };
}

function parseHeader(bytes: Uint8Array, file: string): { header: SpikeFileHeader; offset: number } {
  let eol = bytes.indexOf(LF);
  if (eol < 0) eol = bytes.length;
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(0, eol)));
  } catch (error) {
    throw new SpikeInputError(`header is not valid JSON (${(error as Error).message})`, {
      file,
      line: 1,
    });
  }
  const h = header as Partial<SpikeFileHeader>;
  const bad = (what: string) => new SpikeInputError(what, { file, line: 1 });
  if (h?.format !== FORMAT_NAME) throw bad(`header.format must be "${FORMAT_NAME}"`);
  if (h.version !== FORMAT_VERSION) {
    throw bad(`header.version is ${h.version}; this reader understands version ${FORMAT_VERSION}`);
  }
  if (!Array.isArray(h.populations) || h.populations.length === 0) {
    throw bad("header.populations must be a non-empty array of {name, first_id, size}");
  }
  h.populations.forEach((p, i) => {
    if (typeof p?.name !== "string" || p.name.length === 0) {
      throw bad(`header.populations[${i}].name must be a non-empty string`);
    }
    if (!Number.isInteger(p.first_id) || p.first_id < 0) {
      throw bad(`header.populations[${i}].first_id is ${p.first_id}; it must be an integer ≥ 0`);
    }
    if (!Number.isInteger(p.size) || p.size < 1) {
      throw bad(`header.populations[${i}].size is ${p.size}; it must be an integer ≥ 1`);
    }
  });
  if (h.metadata !== undefined && (typeof h.metadata !== "object" || h.metadata === null)) {
    throw bad("header.metadata must be an object when present");
  }
  return { header: h as SpikeFileHeader, offset: Math.min(eol + 1, bytes.length) };
}

/** The JSON header of our spike file format (line 1). */
export interface SpikeFileHeader {
  /** Always "spikebench-spikes". */
  format: string;
  /** Format version, 1. */
  version: number;
  /** Populations: name, global id of index 0, number of neurons. */
  populations: { name: string; first_id: number; size: number }[];
  /** Free-form metadata. */
  metadata?: Record<string, unknown>;
}

function readSpikebenchFile(path: string, bytes: Uint8Array): SpikeRecording {
  const { header, offset } = parseHeader(bytes, path);
  const ranges = header.populations.map((p) => ({
    name: p.name,
    firstId: p.first_id,
    size: p.size,
  }));
  checkRanges(ranges, `${path}: header`);
  const columns = ranges.map(() => new SpikeColumns());
  scanTable(bytes, path, globalIdHandler(new RangeLookup(ranges), columns, path), {
    offset,
    firstLine: 2,
    requireHeader: true,
  });
  return {
    populations: assemble(ranges, columns),
    format: "spikebench",
    files: [path],
    ranges,
    rangesSource: "header",
    metadata: header.metadata ?? {},
  };
}

async function rangesFor(
  dir: string,
  options: ReadSpikesOptions,
  what: string,
): Promise<{ ranges: PopulationRange[]; source: string }> {
  const nodeIds = joinPath(dir, NODE_IDS_FILE);
  if (await exists(nodeIds)) {
    return {
      ranges: await readPopulationNodeIds(nodeIds, { names: options.populationNames }),
      source: nodeIds,
    };
  }
  if (options.fallbackRanges) {
    checkRanges(options.fallbackRanges, "fallbackRanges");
    return { ranges: options.fallbackRanges, source: "fallback" };
  }
  throw new SpikeInputError(
    `${nodeIds} is missing; ${what} needs it to assign node ids to populations ` +
      "(NEST's microcircuit example writes it), or pass fallback ranges (--scale)",
  );
}

async function readGlobalIdFiles(
  files: string[],
  format: "nest" | "csv",
  options: ReadSpikesOptions,
): Promise<SpikeRecording> {
  const { ranges, source } = await rangesFor(
    dirName(files[0]),
    options,
    format === "nest" ? "a NEST spike recording" : "a CSV spike file",
  );
  const lookup = new RangeLookup(ranges);
  const columns = ranges.map(() => new SpikeColumns());
  for (const file of files) {
    const bytes = await readBytes(file);
    scanTable(bytes, file, globalIdHandler(lookup, columns, file), {
      requireHeader: format === "csv",
    });
  }
  return {
    populations: assemble(ranges, columns),
    format,
    files,
    ranges,
    rangesSource: source,
    metadata: {},
  };
}

const NEST_GPU_FILE = /^spike_times_(\d+)\.dat$/;

async function readNestGpuDirectory(
  dir: string,
  names: string[],
  options: ReadSpikesOptions,
): Promise<SpikeRecording> {
  const nodeIds = joinPath(dir, NODE_IDS_FILE);
  if (!(await exists(nodeIds))) {
    throw new SpikeInputError(
      `${nodeIds} is missing; NEST GPU's layout (spike_times_<i>.dat) needs it to map node ids ` +
        "to populations",
    );
  }
  const ranges = await readPopulationNodeIds(nodeIds, { names: options.populationNames });
  const present = new Set(names.filter((n) => NEST_GPU_FILE.test(n)));
  const files: string[] = [];
  for (const name of present) {
    const index = Number(NEST_GPU_FILE.exec(name)![1]);
    if (index >= ranges.length) {
      throw new SpikeInputError(
        `${joinPath(dir, name)} has population index ${index}, but ${nodeIds} lists only ` +
          `${ranges.length} populations (indices 0..${ranges.length - 1})`,
      );
    }
  }
  const columns = ranges.map(() => new SpikeColumns());
  for (let p = 0; p < ranges.length; p++) {
    const file = joinPath(dir, `spike_times_${p}.dat`);
    if (!present.has(`spike_times_${p}.dat`)) {
      throw new SpikeInputError(
        `${file} is missing; NEST GPU's layout needs one spike_times_<i>.dat per population ` +
          `listed in ${NODE_IDS_FILE} (i = 0..${ranges.length - 1})`,
      );
    }
    files.push(file);
    const range = ranges[p];
    scanTable(await readBytes(file), file, (sender, time, line) => {
      const local = sender - range.firstId;
      if (local < 0 || local >= range.size) {
        throw new SpikeInputError(
          `sender ${sender} is outside population ${p} (${range.name}), node ids ` +
            `${range.firstId}–${range.firstId + range.size - 1}`,
          { file, line },
        );
      }
      columns[p].push(local, time);
    }, { requireHeader: true });
  }
  return {
    populations: assemble(ranges, columns),
    format: "nest-gpu",
    files,
    ranges,
    rangesSource: nodeIds,
    metadata: {},
  };
}

function firstContentLine(bytes: Uint8Array): string {
  let pos = 0;
  while (pos < bytes.length) {
    let eol = bytes.indexOf(LF, pos);
    if (eol < 0) eol = bytes.length;
    const text = decoder.decode(bytes.subarray(pos, Math.min(eol, pos + 4096))).trim();
    if (text.length > 0) return text;
    pos = eol + 1;
  }
  return "";
}

async function readSpikeFilePath(
  path: string,
  options: ReadSpikesOptions,
): Promise<SpikeRecording> {
  if (NEST_GPU_FILE.test(baseName(path))) {
    throw new SpikeInputError(
      `${path} is one file of NEST GPU's layout; pass the directory that holds every ` +
        `spike_times_<i>.dat and ${NODE_IDS_FILE}`,
    );
  }
  const bytes = await readBytes(path);
  const first = firstContentLine(bytes);
  if (first.length === 0) throw new SpikeInputError("file is empty", { file: path });
  if (first.startsWith("{")) return readSpikebenchFile(path, bytes);
  if (/\.spikes(\.gz)?$/.test(path)) {
    // Named as our format but not ours: reading it as NEST text would give a misleading error.
    throw new SpikeInputError(
      "not a spikebench spike file: line 1 must be its JSON header (written by " +
        "`deno task bench --save-spikes`)",
      { file: path, line: 1 },
    );
  }
  const isCsv = first.includes(",") && lineTokens(first).includes("sender");
  return readGlobalIdFiles([path], isCsv ? "csv" : "nest", options);
}

/**
 * Reads one run's spikes from a file or directory in any supported format (see the module
 * documentation). Directories: NEST GPU layout if `spike_times_<i>.dat` files are present,
 * else a single `*.spikes[.gz]` or `*.csv[.gz]` file, else every NEST `*.dat`/`*.gdf` file
 * (other than `population_nodeids.dat`) merged.
 *
 * @param path a file or directory
 * @param options fallback node-id ranges and population names
 */
export async function readSpikes(
  path: string,
  options: ReadSpikesOptions = {},
): Promise<SpikeRecording> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new SpikeInputError("no such file or directory", { file: path });
  }
  if (!info.isDirectory) return readSpikeFilePath(path, options);
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) if (entry.isFile) names.push(entry.name);
  names.sort();
  if (names.some((n) => NEST_GPU_FILE.test(n))) return readNestGpuDirectory(path, names, options);
  const ours = names.filter((n) => /\.spikes(\.gz)?$/.test(n));
  const csv = names.filter((n) => /\.csv(\.gz)?$/.test(n));
  const nest = names.filter((n) => /\.(dat|gdf)(\.gz)?$/.test(n) && n !== NODE_IDS_FILE);
  if (ours.length + csv.length > 1) {
    throw new SpikeInputError(
      `holds several spike files (${[...ours, ...csv].join(", ")}); pass one of them`,
      { file: path },
    );
  }
  if (ours.length === 1) return readSpikeFilePath(joinPath(path, ours[0]), options);
  if (csv.length === 1) return readGlobalIdFiles([joinPath(path, csv[0])], "csv", options);
  if (nest.length > 0) {
    return readGlobalIdFiles(nest.map((n) => joinPath(path, n)), "nest", options);
  }
  throw new SpikeInputError(
    "no spike files found (expected *.spikes[.gz], NEST *.dat/*.gdf, NEST GPU " +
      "spike_times_<i>.dat with population_nodeids.dat, or *.csv[.gz])",
    { file: path },
  );
}

// ---------------------------------------------------------------------------------------
// Writer

async function gzipBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Serializes populations in our format (see the module documentation). Times are written
 * with the shortest representation that reads back to the identical float64.
 *
 * @param populations the spikes (unique names)
 * @param options first ids and metadata
 */
export function formatSpikeFile(
  populations: PopulationSpikes[],
  options: WriteSpikeFileOptions = {},
): string {
  if (!Array.isArray(populations) || populations.length === 0) {
    throw new TypeError("populations must be a non-empty array of PopulationSpikes");
  }
  if (options.firstIds && options.firstIds.length !== populations.length) {
    throw new RangeError(
      `firstIds has ${options.firstIds.length} entries; it needs one per population ` +
        `(${populations.length})`,
    );
  }
  const firstIds: number[] = [];
  let next = 1;
  populations.forEach((p, i) => {
    const id = options.firstIds ? options.firstIds[i] : next;
    if (!Number.isInteger(id) || id < 0) {
      throw new RangeError(`firstIds[${i}] is ${id}; it must be an integer ≥ 0`);
    }
    firstIds.push(id);
    next = id + p.size;
  });
  const header: SpikeFileHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    populations: populations.map((p, i) => ({ name: p.name, first_id: firstIds[i], size: p.size })),
    metadata: options.metadata ?? {},
  };
  checkRanges(
    header.populations.map((p) => ({ name: p.name, firstId: p.first_id, size: p.size })),
    "populations",
  );
  const parts: string[] = [JSON.stringify(header), "\nsender time_ms\n"];
  populations.forEach((p, i) => {
    if (p.senders.length !== p.timesMs.length) {
      throw new RangeError(
        `populations[${i}] "${p.name}": senders and timesMs differ in length ` +
          `(${p.senders.length} vs ${p.timesMs.length})`,
      );
    }
    const chunk: string[] = [];
    for (let k = 0; k < p.senders.length; k++) {
      const s = p.senders[k];
      const t = p.timesMs[k];
      if (s >= p.size || !Number.isFinite(t)) {
        throw new RangeError(
          `populations[${i}] "${p.name}": spike ${k} (sender ${s}, time ${t}) needs ` +
            `sender in [0, ${p.size - 1}] and a finite time`,
        );
      }
      chunk.push(`${firstIds[i] + s} ${t}\n`);
      if (chunk.length === 65536) {
        parts.push(chunk.join(""));
        chunk.length = 0;
      }
    }
    parts.push(chunk.join(""));
  });
  return parts.join("");
}

/**
 * Writes populations to `path` in our format, atomically (temporary file + rename);
 * gzip-compressed when the name ends in `.gz`. Conventional names: `*.spikes`, `*.spikes.gz`.
 *
 * @param path destination file
 * @param populations the spikes
 * @param options first ids and metadata
 */
export async function writeSpikeFile(
  path: string,
  populations: PopulationSpikes[],
  options: WriteSpikeFileOptions = {},
): Promise<void> {
  let bytes: Uint8Array<ArrayBuffer> = new TextEncoder().encode(
    formatSpikeFile(populations, options),
  );
  if (path.endsWith(".gz")) bytes = await gzipBytes(bytes);
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

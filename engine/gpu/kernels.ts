/**
 * Assembles the WGSL kernels (connect, update, deliver, current) from their `.wgsl` files and
 * creates their pipelines. The synapse chunk bindings are generated here because their number
 * depends on the network (one storage binding per chunk of synapses), and so are the variants
 * of the update and deliver kernels for current generators and facilitating synapses (marker
 * comments in update.wgsl / deliver.wgsl replaced by the pieces below and the snippets
 * facilitation.wgsl, deliver_facilitation.wgsl).
 */
import { withValidation } from "./device.ts";

// Read once at import, so a running process never mixes kernels and host code of two versions.
const PHILOX = readKernel("../rng/philox.wgsl");
const CONNECT = readKernel("./connect.wgsl");
const UPDATE = readKernel("./update.wgsl");
const DELIVER = readKernel("./deliver.wgsl");
const CURRENT = readKernel("./current.wgsl");
const FACILITATION = readKernel("./facilitation.wgsl");
const DELIVER_FACILITATION = readKernel("./deliver_facilitation.wgsl");

function readKernel(relative: string): string {
  return Deno.readTextFileSync(new URL(relative, import.meta.url));
}

function chunkBindings(first: number, chunks: number, access: "read" | "read_write"): string {
  const lines: string[] = [];
  for (let c = 0; c < chunks; c++) {
    lines.push(
      `@group(0) @binding(${first + c}) var<storage, ${access}> chunk_${c}: array<vec2<u32>>;`,
    );
  }
  return lines.join("\n");
}

function chunkSwitch(chunks: number, body: (c: number) => string): string {
  if (chunks === 0) return "";
  const cases = Array.from({ length: chunks }, (_, c) => `case ${c}u: { ${body(c)} }`);
  return `switch chunk { ${cases.join(" ")} default: {} }`;
}

/** What a connect kernel is specialised for. */
export interface ConnectKernelOptions {
  /** Synapse chunks bound for writing; 0 gives the counting variant. */
  chunks: number;
  /** The rule (RULE_CODE of plan.ts). */
  rule: number;
  /** Slots of every delay threshold table (a power of two, more than any table's length). */
  delaySlots: number;
}

/** Unrolled binary search: adds to `i` the count of the `slots` entries at `table[t..]` ≤ word. */
export function binarySearchSource(table: string, slots: number): string {
  const lines: string[] = [];
  for (let size = slots / 2; size >= 1; size /= 2) {
    lines.push(`i = i + select(0u, ${size}u, ${table}[t + i + ${size - 1}u] <= word);`);
  }
  return lines.join("\n  ");
}

/** WGSL of the connect kernel for one rule and mode. */
export function connectSource(options: ConnectKernelOptions): string {
  const { chunks, rule, delaySlots } = options;
  const count = chunks === 0;
  const src = CONNECT
    .replace("//#CHUNK_BINDINGS", count ? "" : chunkBindings(6, chunks, "read_write"))
    .replace(
      "//#CHUNK_STORE",
      count ? "" : chunkSwitch(chunks, (c) => `chunk_${c}[offset] = value;`),
    )
    .replace("//#DELAY_SEARCH", binarySearchSource("delay_tables", delaySlots));
  return [
    `const MODE_COUNT: bool = ${count};`,
    `const RULE: u32 = ${rule}u;`,
    `const DELAY_SLOTS: u32 = ${delaySlots}u;`,
    PHILOX,
    src,
  ].join("\n");
}

/** Features that select a kernel variant (the plain network's kernels have neither). */
export interface KernelFeatures {
  /** Current generators feed the neurons (binding 10 of the update kernel). */
  currents?: boolean;
  /** Some synapses are facilitating (bindings 11, 12 of the update kernel). */
  facilitation?: boolean;
}

// Update-kernel pieces of the current-generator variant (see update.wgsl, bindings 10).
const STIM_BINDING = "@group(0) @binding(10) var<storage, read_write> stim: array<vec4<f32>>;";
const STIM_READ = "let i_0 = vec4<f32>(p.i_e) + stim[q];\n    stim[q] = vec4<f32>(0.0);";

function replaceOnce(src: string, marker: string, text: string): string {
  if (!src.includes(marker)) throw new Error(`internal error: kernel marker ${marker} missing`);
  return src.replace(marker, text);
}

/**
 * WGSL of the neuron update kernel; Poisson tables have `poissonSlots` entries each. With
 * `features`, the variant that adds the current-generator input and/or the facilitation update
 * at spikes; without, the plain kernel (no extra bindings or branches).
 */
export function updateSource(poissonSlots: number, features: KernelFeatures = {}): string {
  let src = UPDATE
    .replace("//#POISSON_SEARCH", binarySearchSource("poisson", poissonSlots));
  const bindings: string[] = [];
  if (features.currents) {
    bindings.push(STIM_BINDING);
    src = replaceOnce(src, "//#CURRENT_READ", STIM_READ);
    src = replaceOnce(src, "p.p20 * p.i_e", "p.p20 * i_0");
  }
  if (features.facilitation) {
    src = replaceOnce(src, "//#FACILITATION_SPIKE", "facilitate(q, fire, step + 1u, pop);");
  }
  src = replaceOnce(src, "//#EXTRA_BINDINGS", bindings.join("\n"));
  const parts = [`const POISSON_SLOTS: u32 = ${poissonSlots}u;`, PHILOX, src];
  if (features.facilitation) parts.push(FACILITATION);
  return parts.join("\n");
}

/** WGSL of the current-generator kernel (one dispatch for all generators per step). */
export function currentSource(): string {
  return `${PHILOX}\n${CURRENT}`;
}

/**
 * WGSL of the spike delivery kernel for `chunks` synapse chunks; with `facilitation`, the
 * variant that scales flagged synapses by the spiking neuron's efficacy (binding 6 + chunks).
 */
export function deliverSource(chunks: number, facilitation = false): string {
  const call = facilitation
    ? "deliver_facilitating(chunk_$[k - base], slot_base, target_mask, efficacy)"
    : "deliver_synapse(chunk_$[k - base], slot_base, target_mask)";
  const segments = Array.from({ length: chunks }, (_, c) => `
  {
    let base = ${c}u * chunk_size;
    if (row_hi > base && row_lo < base + min(chunk_size, row_hi - base)) {
      let hi = base + min(chunk_size, row_hi - base);
      for (var k = max(row_lo, base) + lid; k < hi; k = k + 64u) {
        ${call.replace("$", String(c))};
        delivered = delivered + 1u;
      }
    }
  }`).join("");
  let src = DELIVER
    .replace("//#CHUNK_BINDINGS", chunkBindings(6, chunks, "read"))
    .replace("//#CHUNK_SEGMENTS", segments);
  if (!facilitation) return src;
  src = replaceOnce(src, "/*#ROW_PARAMS*/", ", efficacy: f32");
  src = replaceOnce(src, "/*#ROW_ARGS*/", ", bitcast<f32>(stp[src].w)");
  const binding = `@group(0) @binding(${6 + chunks}) var<storage, read> stp: array<vec4<u32>>;`;
  return [src, binding, DELIVER_FACILITATION].join("\n");
}

/**
 * Number of storage bindings the kernels use besides the synapse chunks (the larger one:
 * connect, and deliver with facilitation).
 */
export const NON_CHUNK_STORAGE_BINDINGS = 5;

/** How a kernel binding is declared: the explicit layout kernels with dynamic offsets need. */
export type BindingKind = "uniform-dynamic" | "uniform" | "storage" | "read-only-storage";

function explicitLayout(device: GPUDevice, label: string, kinds: BindingKind[]): GPUPipelineLayout {
  const entries: GPUBindGroupLayoutEntry[] = kinds.map((kind, binding) => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: kind === "uniform-dynamic"
      ? { type: "uniform", hasDynamicOffset: true }
      : { type: kind },
  }));
  const group = device.createBindGroupLayout({ label, entries });
  return device.createPipelineLayout({ label, bindGroupLayouts: [group] });
}

/**
 * Compiles `code` into a compute pipeline; with `bindings` the layout is explicit (needed for
 * dynamic offsets), otherwise automatic. Throws on any compilation or validation error.
 */
export function createPipeline(
  device: GPUDevice,
  label: string,
  code: string,
  bindings?: BindingKind[],
): Promise<GPUComputePipeline> {
  return withValidation(device, `compiling ${label}`, async () => {
    const module = device.createShaderModule({ label, code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === "error");
    if (errors.length > 0) {
      throw new Error(
        `WGSL errors in ${label}:\n` +
          errors.map((m) => `  line ${m.lineNum}:${m.linePos} ${m.message}`).join("\n"),
      );
    }
    return device.createComputePipelineAsync({
      label,
      layout: bindings ? explicitLayout(device, label, bindings) : "auto",
      compute: { module, entryPoint: "main" },
    });
  });
}

/**
 * Assembles the WGSL kernels (connect, update, deliver) from their `.wgsl` files and creates
 * their pipelines. The synapse chunk bindings are generated here because their number depends
 * on the network (one storage binding per chunk of synapses).
 */
import { withValidation } from "./device.ts";

// Read once at import, so a running process never mixes kernels and host code of two versions.
const PHILOX = readKernel("../rng/philox.wgsl");
const CONNECT = readKernel("./connect.wgsl");
const UPDATE = readKernel("./update.wgsl");
const DELIVER = readKernel("./deliver.wgsl");

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

/** WGSL of the neuron update kernel; Poisson tables have `poissonSlots` entries each. */
export function updateSource(poissonSlots: number): string {
  const src = UPDATE
    .replace("//#POISSON_SEARCH", binarySearchSource("poisson", poissonSlots));
  return `const POISSON_SLOTS: u32 = ${poissonSlots}u;\n${PHILOX}\n${src}`;
}

/** WGSL of the spike delivery kernel for `chunks` synapse chunks. */
export function deliverSource(chunks: number): string {
  const segments = Array.from({ length: chunks }, (_, c) => `
  {
    let base = ${c}u * chunk_size;
    if (row_hi > base && row_lo < base + min(chunk_size, row_hi - base)) {
      let hi = base + min(chunk_size, row_hi - base);
      for (var k = max(row_lo, base) + lid; k < hi; k = k + 64u) {
        deliver_synapse(chunk_${c}[k - base], slot_base, target_mask);
        delivered = delivered + 1u;
      }
    }
  }`).join("");
  return DELIVER
    .replace("//#CHUNK_BINDINGS", chunkBindings(6, chunks, "read"))
    .replace("//#CHUNK_SEGMENTS", segments);
}

/** Number of storage bindings the kernels use besides the synapse chunks (the larger one). */
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

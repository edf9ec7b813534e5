/**
 * Connection construction on the device: compile the connect kernels (one per rule), count
 * synapses per source row and the in-degree bound per target, choose the fixed-point scale,
 * prefix-sum the row lengths on the host (per neuron, no per-synapse host work), and fill every
 * synapse into CSR-by-source chunks sized from the device limits.
 */
import type { BuildPhases } from "../simulator_types.ts";
import { fixedPointScale, fixedPointWeights, type NetworkPlan } from "../plan.ts";
import { WEIGHT_TABLE_SIZE } from "../sampling.ts";
import type { DeviceMemory } from "./device_memory.ts";
import { connectSource, createPipeline, NON_CHUNK_STORAGE_BINDINGS } from "./kernels.ts";
import {
  type ChunkLayout,
  chunkLayout,
  FACILITATION_FLAG,
  type NeuronLayout,
  type SynapseBits,
  synapseBits,
} from "./layout.ts";

const WORKGROUP = 64;
const STORAGE = GPUBufferUsage.STORAGE;
const COPY_SRC = GPUBufferUsage.COPY_SRC;

/** The built connectivity, resident on the device. */
export interface DeviceConnectivity {
  fixedPointScale: number;
  synapseCount: number;
  /** Row starts by device neuron id (host copy and device buffer). */
  rowStart: Uint32Array<ArrayBuffer>;
  rowStartBuffer: GPUBuffer;
  layout: ChunkLayout;
  chunks: GPUBuffer[];
  bits: SynapseBits;
}

/** What `buildConnectivity` needs besides the device memory. */
export interface ConnectivityInput {
  plan: NetworkPlan;
  nodes: NeuronLayout;
  /** Compile and connect times are added here. */
  phases: BuildPhases;
  maxChunkSynapses?: number;
}

/** Generates every projection of `input.plan` on the device. */
export async function buildConnectivity(
  memory: DeviceMemory,
  input: ConnectivityInput,
): Promise<DeviceConnectivity> {
  const { plan, nodes, phases } = input;
  const options = { maxChunkSynapses: input.maxChunkSynapses };
  const n = nodes.size;
  const device = memory.device;
  const limits = device.limits;
  // --- compile the counting kernel ----------------------------------------------------------
  let t0 = performance.now();
  const rules = [...new Set(plan.projections.map((p) => p.code))];
  const maxDelayThresholds = Math.max(
    0,
    ...plan.projections.map((p) => p.delay.thresholds.length),
  );
  const delaySlots = 2 ** Math.ceil(Math.log2(maxDelayThresholds + 1));
  const connectPipelines = async (chunks: number) => {
    const mode = chunks === 0 ? "count" : "fill";
    const pipelines = await Promise.all(
      rules.map((rule) =>
        createPipeline(
          device,
          `connect_${mode}_${rule}`,
          connectSource({ chunks, rule, delaySlots }),
        )
      ),
    );
    return new Map(rules.map((rule, i) => [rule, pipelines[i]]));
  };
  const countPipelines = await connectPipelines(0);
  phases.compile += (performance.now() - t0) / 1000;

  // --- connect: count, prefix sum, fill -----------------------------------------------------
  t0 = performance.now();
  const rows = memory.buffer("row_counts", 4 * n, STORAGE | COPY_SRC);
  // Bound units per target as 64-bit (lo, hi) pairs: 2^24 synapses of 256 units overflow u32.
  const inUnits = memory.buffer("in_units", 8 * n, STORAGE | COPY_SRC);
  const tableLen = WEIGHT_TABLE_SIZE + 1;
  const weightTables = memory.buffer(
    "weight_tables",
    4 * tableLen * Math.max(1, plan.projections.length),
    STORAGE,
  );
  const progress = memory.buffer("connect_progress", 16, STORAGE | COPY_SRC);
  const delayWords: number[] = [];
  const delayBase: number[] = [];
  for (const proj of plan.projections) {
    delayBase.push(delayWords.length);
    const thresholds = new Array(delaySlots).fill(0xffffffff);
    proj.delay.thresholds.forEach((t, j) => thresholds[j] = t);
    delayWords.push(...thresholds, ...proj.delay.values);
  }
  const delayTables = memory.buffer(
    "delay_tables",
    4 * Math.max(1, delayWords.length),
    STORAGE,
    Uint32Array.from(delayWords),
  );
  const bits = synapseBits(n, plan.maxDelaySteps, plan.hasFacilitation);
  const maxThreads = limits.maxComputeWorkgroupsPerDimension * WORKGROUP;
  const paramBuffers = plan.projections.map((proj, i) => {
    const threads = Math.min(maxThreads, Math.max(WORKGROUP, proj.items));
    const u = new Uint32Array(20);
    u.set([
      proj.code,
      nodes.first[proj.spec.pre],
      proj.preSize,
      nodes.first[proj.spec.post],
      proj.postSize,
      proj.excludeAutapses ? 1 : 0,
      proj.count,
      proj.bernoulliAlways ? 1 : 0,
      proj.items,
      proj.key[0],
      proj.key[1],
      proj.units,
      i * tableLen,
      delayBase[i],
      proj.delay.thresholds.length,
      bits.targetBits,
      0,
      Math.ceil(threads / WORKGROUP) * WORKGROUP,
      proj.spec.facilitation ? FACILITATION_FLAG : 0,
      0,
    ]);
    return {
      u,
      buffer: memory.buffer(`connect_params_${i}`, 80, GPUBufferUsage.UNIFORM, u),
      workgroups: Math.ceil(threads / WORKGROUP),
    };
  });
  const baseEntries = (i: number): GPUBindGroupEntry[] => [
    { binding: 0, resource: { buffer: paramBuffers[i].buffer } },
    { binding: 1, resource: { buffer: rows } },
    { binding: 2, resource: { buffer: inUnits } },
    { binding: 3, resource: { buffer: weightTables } },
    { binding: 4, resource: { buffer: delayTables } },
    { binding: 5, resource: { buffer: progress } },
  ];
  {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    plan.projections.forEach((proj, i) => {
      if (proj.items === 0) return;
      const countPipeline = countPipelines.get(proj.code)!;
      pass.setPipeline(countPipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: countPipeline.getBindGroupLayout(0),
          entries: baseEntries(i),
        }),
      );
      pass.dispatchWorkgroups(paramBuffers[i].workgroups);
    });
    pass.end();
    device.queue.submit([encoder.finish()]);
  }
  const totalItems = plan.projections.reduce((sum, p) => sum + p.items, 0);
  await checkProgress(memory, progress, totalItems, "counting connections");
  const counts = new Uint32Array(await memory.read(rows, 4 * n));
  const units = new Uint32Array(await memory.read(inUnits, 8 * n));
  let maxUnits = 0;
  for (let i = 0; i < n; i++) {
    maxUnits = Math.max(maxUnits, units[2 * i] + units[2 * i + 1] * 2 ** 32);
  }
  const scale = fixedPointScale(plan, maxUnits);
  const rowStart = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = total;
    total += counts[i];
  }
  if (total > 0xffffffff) {
    throw new Error(`the network has ${total} synapses; at most 2^32 − 1 are supported`);
  }
  rowStart[n] = total;
  device.queue.writeBuffer(rows, 0, rowStart, 0, n);
  const rowStartBuffer = memory.buffer("row_start", 4 * (n + 1), STORAGE, rowStart);
  const fixedTables = new Int32Array(tableLen * Math.max(1, plan.projections.length));
  plan.projections.forEach((proj, i) =>
    fixedTables.set(fixedPointWeights(plan, proj, scale), i * tableLen)
  );
  device.queue.writeBuffer(weightTables, 0, fixedTables);

  const maxChunkBindings = limits.maxStorageBuffersPerShaderStage - NON_CHUNK_STORAGE_BINDINGS;
  const layout = chunkLayout(total, {
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxChunks: maxChunkBindings,
    maxChunkSynapses: options.maxChunkSynapses,
  });
  const chunks = layout.sizes.map((size, c) =>
    memory.buffer(`synapses_${c}`, 8 * size, STORAGE | COPY_SRC)
  );
  paramBuffers.forEach((p) => {
    p.u[16] = layout.shift;
    device.queue.writeBuffer(p.buffer, 0, p.u);
  });
  phases.connect += (performance.now() - t0) / 1000;

  t0 = performance.now();
  const fillPipelines = await connectPipelines(layout.sizes.length);
  phases.compile += (performance.now() - t0) / 1000;

  t0 = performance.now();
  if (total > 0) {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    plan.projections.forEach((proj, i) => {
      if (proj.items === 0) return;
      const fillPipeline = fillPipelines.get(proj.code)!;
      pass.setPipeline(fillPipeline);
      const entries = baseEntries(i).concat(
        chunks.map((buffer, c) => ({ binding: 6 + c, resource: { buffer } })),
      );
      pass.setBindGroup(
        0,
        device.createBindGroup({ layout: fillPipeline.getBindGroupLayout(0), entries }),
      );
      pass.dispatchWorkgroups(paramBuffers[i].workgroups);
    });
    pass.end();
    device.queue.submit([encoder.finish()]);
  }
  await memory.finish();
  await checkProgress(memory, progress, 2 * totalItems, "writing connections");
  for (const b of [rows, inUnits, weightTables, delayTables, progress]) memory.release(b);
  for (const p of paramBuffers) memory.release(p.buffer);
  phases.connect += (performance.now() - t0) / 1000;
  return {
    fixedPointScale: scale,
    synapseCount: total,
    rowStart,
    rowStartBuffer,
    layout,
    chunks,
    bits,
  };
}

/** Throws unless the connect kernel reports `expected` work items completed in total. */
async function checkProgress(
  memory: DeviceMemory,
  progress: GPUBuffer,
  expected: number,
  what: string,
): Promise<void> {
  const done = new Uint32Array(await memory.read(progress, 4))[0];
  if (done !== expected % 2 ** 32) {
    throw new Error(
      `${what}: the device completed ${done} of ${expected} work items. Software adapters ` +
        `(llvmpipe) stop loops after 65 535 iterations per invocation; this projection is ` +
        `too large for a per-row rule on this adapter (split the target population, or use ` +
        `fixed_total_number / fixed_indegree with multapses)`,
    );
  }
}

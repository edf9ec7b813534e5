/**
 * WebGPU training of the structural-plasticity model (spec rewiring.md §1.5, §2): the kernels
 * rewiring_mask.wgsl (pattern masks), rewiring_stabilize.wgsl and rewiring_rewire.wgsl
 * (rewiring and initial connectivity), their pipelines, bind groups and dispatch sizes. The
 * kernels draw the same Philox counters as the CPU path (models/rewiring.ts), so the trained
 * connectivity and the stabilized set are identical to the CPU's.
 *
 * Testing: rewiring_signal.wgsl computes the input signals S_i of every population-2 neuron
 * for a pattern's rates, which the host draws (as the CPU path does) and uploads as f32.
 *
 * Connection slots (C_reserve u32 per population-2 neuron, for sources and for the stabilized
 * flags) are split into chunks of whole neurons, each small enough for one storage binding
 * (device.limits.maxStorageBufferBindingSize and maxBufferSize); every connection kernel is
 * dispatched once per chunk with the chunk's first neuron and size in its uniforms.
 *
 * @module
 */

import { ParameterError } from "../../engine/errors.ts";
import { type GpuContext, withValidation } from "../../engine/gpu/device.ts";
import {
  addTestNoise,
  inDegreeTable,
  materializeSources,
  patternHighMask,
  patternRates,
  patternStatistics,
  REWIRING_STREAM,
  type RewiringNetwork,
  type RewiringPatternResult,
  type RewiringTestResult,
  summarizeTest,
  testPatternOrder,
} from "../rewiring.ts";
import {
  resolveRewiringModelParams,
  rewiringDerived,
  type RewiringModelParams,
} from "../rewiring_params.ts";

const PHILOX = Deno.readTextFileSync(new URL("../../engine/rng/philox.wgsl", import.meta.url));
const MASK = Deno.readTextFileSync(new URL("./rewiring_mask.wgsl", import.meta.url));
const STABILIZE = Deno.readTextFileSync(new URL("./rewiring_stabilize.wgsl", import.meta.url));
const REWIRE = Deno.readTextFileSync(new URL("./rewiring_rewire.wgsl", import.meta.url));
const SIGNAL = Deno.readTextFileSync(new URL("./rewiring_signal.wgsl", import.meta.url));

const WORKGROUP = 64;
const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
const UNIFORM = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;

/** The trained connectivity read back from the device. */
export interface RewiringGpuState {
  /** d_i of every population-2 neuron. */
  inDegree: Uint32Array;
  /** Source of each slot (neuron i: slots [i·reserve, i·reserve + d_i)). */
  sources: Uint32Array;
  /** 1 for a stabilized slot. */
  stabilized: Uint8Array;
  /** Number of rewirings done. */
  epoch: number;
  /** Number of training patterns presented. */
  trained: number;
}

/** A 2-D dispatch grid for `items` invocations: [x, y] workgroups and invocations per row. */
function grid(items: number, maxPerDimension: number): { x: number; y: number; perRow: number } {
  const groups = Math.max(1, Math.ceil(items / WORKGROUP));
  const x = Math.min(groups, maxPerDimension);
  return { x, y: Math.ceil(groups / x), perRow: x * WORKGROUP };
}

/** Options of the WebGPU path. */
export interface RewiringGpuOptions {
  /**
   * Largest chunk of connection slots in bytes; default (and upper bound) the device's
   * maxStorageBufferBindingSize and maxBufferSize. Smaller values exercise the chunking.
   */
  maxChunkBytes?: number;
}

/** A chunk of population-2 neurons whose connection slots share one buffer. */
export interface RewiringChunk {
  /** The first neuron of the chunk. */
  first: number;
  /** The number of neurons in the chunk. */
  count: number;
}

/**
 * Splits population 2 into chunks whose C_reserve·4-byte slots fit one storage binding.
 *
 * @param populationSize2 N2
 * @param reserve C_reserve
 * @param options the device limits and an optional smaller bound
 */
export function planChunks(
  populationSize2: number,
  reserve: number,
  options: {
    limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
    maxChunkBytes?: number;
  },
): RewiringChunk[] {
  const bytes = Math.min(
    options.limits.maxStorageBufferBindingSize,
    options.limits.maxBufferSize,
    options.maxChunkBytes ?? Infinity,
  );
  const perChunk = Math.floor(bytes / (4 * reserve));
  if (perChunk < 1) {
    throw new ParameterError(
      "inDegree",
      reserve,
      `C_reserve·4 bytes ≤ the largest storage binding (${bytes} bytes)`,
    );
  }
  const chunks: RewiringChunk[] = [];
  for (let first = 0; first < populationSize2; first += perChunk) {
    chunks.push({ first, count: Math.min(perChunk, populationSize2 - first) });
  }
  return chunks;
}

/**
 * Builds the initial connectivity and presents T training patterns on the device (spec §2),
 * returning the trained connectivity.
 *
 * @param gpu the device ({@linkcode acquireGpu})
 * @param options the model parameters
 * @param backend chunk size (see {@linkcode RewiringGpuOptions})
 */
export async function trainRewiringGpu(
  gpu: GpuContext,
  options: Partial<RewiringModelParams> = {},
  backend: RewiringGpuOptions = {},
): Promise<RewiringGpuState> {
  const params = resolveRewiringModelParams(options);
  const derived = rewiringDerived(params);
  const { device } = gpu;
  const limits = device.limits;
  const n1 = params.populationSize1;
  const n2 = params.populationSize2;
  const reserve = derived.reserve;
  const chunks = planChunks(n2, reserve, { limits, maxChunkBytes: backend.maxChunkBytes });
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  const buffers: GPUBuffer[] = [];
  const buffer = (label: string, size: number, usage: number) => {
    const b = device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    buffers.push(b);
    return b;
  };
  try {
    const [maskPipeline, stabilizePipeline, rewirePipeline] = await withValidation(
      device,
      "rewiring kernels",
      () =>
        [MASK, STABILIZE, REWIRE].map((code, k) =>
          device.createComputePipeline({
            label: ["rewiring_mask", "rewiring_stabilize", "rewiring_rewire"][k],
            layout: "auto",
            compute: {
              module: device.createShaderModule({ code: PHILOX + "\n" + code }),
              entryPoint: "main",
            },
          })
        ),
    );
    const high1 = buffer("high1", 4 * n1, STORAGE);
    const high2 = buffer("high2", 4 * n2, STORAGE);
    const degree = buffer("degree", 4 * n2, STORAGE);
    const sources = chunks.map((c, k) => buffer(`sources_${k}`, 4 * c.count * reserve, STORAGE));
    const stabilized = chunks.map((c, k) =>
      buffer(`stabilized_${k}`, 4 * c.count * reserve, STORAGE)
    );
    const progress = buffer("progress", 4, STORAGE);
    const table = inDegreeTable(params.inDegree);
    const thresholds = buffer("thresholds", 4 * table.thresholds.length, STORAGE);
    device.queue.writeBuffer(thresholds, 0, Uint32Array.from(table.thresholds));
    if (params.inDegreeRule === "fixed_indegree") {
      device.queue.writeBuffer(degree, 0, new Uint32Array(n2).fill(params.inDegree));
    }

    // Mask kernel: one uniform buffer per population; the pattern index is rewritten per pattern.
    const maskGrids = [n1, n2].map((n) => grid(Math.ceil(n / 4), maxGroups));
    const maskUniforms = [1, 2].map((p) => buffer(`mask_params_${p}`, 32, UNIFORM));
    const maskGroups = [high1, high2].map((target, k) =>
      device.createBindGroup({
        layout: maskPipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: maskUniforms[k] } },
          { binding: 1, resource: { buffer: target } },
        ],
      })
    );
    const grids = chunks.map((c) => grid(c.count, maxGroups));
    const stabilizeGroups = chunks.map((c, k) => {
      const uniform = buffer(`stabilize_params_${k}`, 16, UNIFORM);
      device.queue.writeBuffer(
        uniform,
        0,
        Uint32Array.from([c.count, reserve, grids[k].perRow, c.first]),
      );
      return device.createBindGroup({
        layout: stabilizePipeline.getBindGroupLayout(0),
        entries: [uniform, high1, high2, degree, sources[k], stabilized[k], progress].map((
          b,
          j,
        ) => ({
          binding: j,
          resource: { buffer: b },
        })),
      });
    });
    const rewireUniforms = chunks.map((_, k) => buffer(`rewire_params_${k}`, 48, UNIFORM));
    const rewireGroups = chunks.map((_, k) =>
      device.createBindGroup({
        layout: rewirePipeline.getBindGroupLayout(0),
        entries: [rewireUniforms[k], degree, sources[k], stabilized[k], thresholds, progress].map((
          b,
          j,
        ) => ({ binding: j, resource: { buffer: b } })),
      })
    );

    const run = (
      pipeline: GPUComputePipeline,
      group: GPUBindGroup,
      g: { x: number; y: number },
    ) => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(g.x, g.y);
      pass.end();
      device.queue.submit([encoder.finish()]);
    };
    let epoch = 0;
    const rewire = () => {
      chunks.forEach((c, k) => {
        device.queue.writeBuffer(
          rewireUniforms[k],
          0,
          Uint32Array.from([
            params.seed,
            REWIRING_STREAM.source,
            REWIRING_STREAM.inDegree,
            epoch,
            n1,
            c.count,
            reserve,
            grids[k].perRow,
            params.inDegreeRule === "fixed_indegree" ? 1 : 0,
            table.first,
            table.thresholds.length,
            c.first,
          ]),
        );
        run(rewirePipeline, rewireGroups[k], grids[k]);
      });
    };
    let expected = n2;
    rewire(); // epoch 0: the initial connectivity
    const r = params.rewiringPeriod;
    for (let m = 0; m < params.trainingPatterns; m++) {
      [n1, n2].forEach((n, k) => {
        device.queue.writeBuffer(
          maskUniforms[k],
          0,
          Uint32Array.from([
            params.seed,
            REWIRING_STREAM.rates + k + 1,
            m,
            n,
            derived.highWord[k],
            maskGrids[k].perRow,
            0,
            0,
          ]),
        );
        run(maskPipeline, maskGroups[k], maskGrids[k]);
      });
      chunks.forEach((_, k) => run(stabilizePipeline, stabilizeGroups[k], grids[k]));
      expected += n2;
      if (r > 0 && (m + 1) % r === 0) {
        epoch++;
        rewire();
        expected += n2;
      }
    }
    const read = async (source: GPUBuffer, size: number) => {
      const staging = device.createBuffer({
        size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, 0, staging, 0, size);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const copy = new Uint32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      staging.destroy();
      gpu.check();
      return copy;
    };
    const done = (await read(progress, 4))[0];
    if (done !== expected % 2 ** 32) {
      throw new Error(
        `rewiring training: the device completed ${done} of ${expected} neuron updates ` +
          "(a loop cut by the adapter, or no admissible Poisson in-degree)",
      );
    }
    const allSources = new Uint32Array(n2 * reserve);
    const allStabilized = new Uint8Array(n2 * reserve);
    for (const [k, c] of chunks.entries()) {
      allSources.set(await read(sources[k], 4 * c.count * reserve), c.first * reserve);
      allStabilized.set(await read(stabilized[k], 4 * c.count * reserve), c.first * reserve);
    }
    return {
      inDegree: await read(degree, 4 * n2),
      sources: allSources,
      stabilized: allStabilized,
      epoch,
      trained: params.trainingPatterns,
    };
  } finally {
    for (const b of buffers) b.destroy();
  }
}

/**
 * A network object (as the CPU path's) holding a connectivity trained on the device, so that
 * it can be tested with testRewiringNetwork or {@linkcode testRewiringGpu}.
 *
 * @param options the model parameters the state was trained with
 * @param state the state returned by {@linkcode trainRewiringGpu}
 */
export function networkFromGpuState(
  options: Partial<RewiringModelParams>,
  state: RewiringGpuState,
): RewiringNetwork {
  const params = resolveRewiringModelParams(options);
  const derived = rewiringDerived(params);
  const slots = params.populationSize2 * derived.reserve;
  if (state.inDegree.length !== params.populationSize2 || state.sources.length !== slots) {
    throw new ParameterError(
      "state",
      `${state.inDegree.length} neurons, ${state.sources.length} slots`,
      `${params.populationSize2} neurons and ${slots} slots (the parameters it was trained with)`,
    );
  }
  return {
    params,
    derived,
    sources: state.sources,
    stabilized: state.stabilized,
    inDegree: state.inDegree,
    pendingEpoch: new Int32Array(params.populationSize2).fill(-1),
    epoch: state.epoch,
    trained: state.trained,
  };
}

/**
 * Tests a trained network (spec §3) with the input signals computed on the device: for each
 * tested pattern the host regenerates r1 (with the test noise) and the coding set as the CPU
 * path does, uploads r1 as f32, and the kernel returns S_i for every population-2 neuron.
 * Statistics agree with {@linkcode testRewiringNetwork} to f32 rounding.
 *
 * @param gpu the device
 * @param net a trained network (CPU state, e.g. from trainRewiringNetwork)
 * @param options `patterns` to test instead of the spec's order; chunk size
 */
export async function testRewiringGpu(
  gpu: GpuContext,
  net: RewiringNetwork,
  options: { patterns?: readonly number[] } & RewiringGpuOptions = {},
): Promise<RewiringTestResult> {
  const { device } = gpu;
  const { params, derived } = net;
  const n1 = params.populationSize1;
  const n2 = params.populationSize2;
  const reserve = derived.reserve;
  const chunks = planChunks(n2, reserve, {
    limits: device.limits,
    maxChunkBytes: options.maxChunkBytes,
  });
  const patterns = options.patterns ?? testPatternOrder(net);
  materializeSources(net);
  const buffers: GPUBuffer[] = [];
  const buffer = (label: string, size: number, usage: number) => {
    const b = device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    buffers.push(b);
    return b;
  };
  try {
    const pipeline = await withValidation(
      device,
      "rewiring_signal kernel",
      () =>
        device.createComputePipeline({
          label: "rewiring_signal",
          layout: "auto",
          compute: { module: device.createShaderModule({ code: SIGNAL }), entryPoint: "main" },
        }),
    );
    const rates = buffer("rates1", 4 * n1, STORAGE);
    const degree = buffer("degree", 4 * n2, STORAGE);
    const signal = buffer("signal", 4 * n2, STORAGE);
    const progress = buffer("progress", 4, STORAGE);
    device.queue.writeBuffer(degree, 0, Uint32Array.from(net.inDegree));
    const grids = chunks.map((c) => grid(c.count, device.limits.maxComputeWorkgroupsPerDimension));
    const groups = chunks.map((c, k) => {
      const uniform = buffer(`signal_params_${k}`, 32, UNIFORM);
      const header = new ArrayBuffer(32);
      new Uint32Array(header, 0, 4).set([c.count, reserve, grids[k].perRow, c.first]);
      new Float32Array(header, 16, 2).set([params.weightBaseline, params.weightStabilized]);
      device.queue.writeBuffer(uniform, 0, header);
      const from = c.first * reserve;
      const to = (c.first + c.count) * reserve;
      const sources = buffer(`sources_${k}`, 4 * c.count * reserve, STORAGE);
      const stabilized = buffer(`stabilized_${k}`, 4 * c.count * reserve, STORAGE);
      device.queue.writeBuffer(sources, 0, Uint32Array.from(net.sources.subarray(from, to)));
      device.queue.writeBuffer(stabilized, 0, Uint32Array.from(net.stabilized.subarray(from, to)));
      return device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [uniform, rates, degree, sources, stabilized, signal, progress].map((b, j) => ({
          binding: j,
          resource: { buffer: b },
        })),
      });
    });
    const staging = buffer(
      "signal_staging",
      4 * n2,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    const progressStaging = buffer(
      "progress_staging",
      4,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    const rates1 = new Float64Array(n1);
    const high2 = new Uint8Array(n2);
    const perPattern: RewiringPatternResult[] = [];
    for (const m of patterns) {
      patternRates(net, m, { population: 1, out: rates1 });
      addTestNoise(net, m, rates1);
      patternHighMask(net, m, { population: 2, out: high2 });
      device.queue.writeBuffer(rates, 0, Float32Array.from(rates1));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      groups.forEach((group, k) => {
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(grids[k].x, grids[k].y);
      });
      pass.end();
      encoder.copyBufferToBuffer(signal, 0, staging, 0, 4 * n2);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const values = new Float32Array(staging.getMappedRange().slice(0, 4 * n2));
      staging.unmap();
      gpu.check();
      perPattern.push(patternStatistics(net, m, { high2, signal: (i) => values[i] }));
    }
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(progress, 0, progressStaging, 0, 4);
    device.queue.submit([encoder.finish()]);
    await progressStaging.mapAsync(GPUMapMode.READ);
    const done = new Uint32Array(progressStaging.getMappedRange().slice(0))[0];
    progressStaging.unmap();
    const expected = patterns.length * n2;
    if (done !== expected % 2 ** 32) {
      throw new Error(`rewiring test: the device completed ${done} of ${expected} input signals`);
    }
    return summarizeTest(perPattern, net.trained);
  } finally {
    for (const b of buffers) b.destroy();
  }
}

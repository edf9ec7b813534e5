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
 * Limit of this first version: the connection slots (N2·C_reserve u32 values) must fit in one
 * storage binding (no chunking yet; a ParameterError says so).
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

/**
 * Builds the initial connectivity and presents T training patterns on the device (spec §2),
 * returning the trained connectivity.
 *
 * @param gpu the device ({@linkcode acquireGpu})
 * @param options the model parameters
 */
export async function trainRewiringGpu(
  gpu: GpuContext,
  options: Partial<RewiringModelParams> = {},
): Promise<RewiringGpuState> {
  const params = resolveRewiringModelParams(options);
  const derived = rewiringDerived(params);
  const { device } = gpu;
  const limits = device.limits;
  const n1 = params.populationSize1;
  const n2 = params.populationSize2;
  const slots = n2 * derived.reserve;
  if (4 * slots > limits.maxStorageBufferBindingSize) {
    throw new ParameterError(
      "populationSize2",
      n2,
      `N2·C_reserve·4 bytes ≤ maxStorageBufferBindingSize (${limits.maxStorageBufferBindingSize}); ` +
        "chunked connection buffers are not implemented yet",
    );
  }
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
    const sources = buffer("sources", 4 * slots, STORAGE);
    const stabilized = buffer("stabilized", 4 * slots, STORAGE);
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
    const neuronGrid = grid(n2, maxGroups);
    const stabilizeUniform = buffer("stabilize_params", 16, UNIFORM);
    device.queue.writeBuffer(
      stabilizeUniform,
      0,
      Uint32Array.from([n2, derived.reserve, neuronGrid.perRow, 0]),
    );
    const stabilizeGroup = device.createBindGroup({
      layout: stabilizePipeline.getBindGroupLayout(0),
      entries: [high1, high2, degree, sources, stabilized, progress].map((b, k) => ({
        binding: k + 1,
        resource: { buffer: b },
      })).concat([{ binding: 0, resource: { buffer: stabilizeUniform } }]),
    });
    const rewireUniform = buffer("rewire_params", 48, UNIFORM);
    const rewireGroup = device.createBindGroup({
      layout: rewirePipeline.getBindGroupLayout(0),
      entries: [degree, sources, stabilized, thresholds, progress].map((b, k) => ({
        binding: k + 1,
        resource: { buffer: b },
      })).concat([{ binding: 0, resource: { buffer: rewireUniform } }]),
    });

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
      device.queue.writeBuffer(
        rewireUniform,
        0,
        Uint32Array.from([
          params.seed,
          REWIRING_STREAM.source,
          REWIRING_STREAM.inDegree,
          epoch,
          n1,
          n2,
          derived.reserve,
          neuronGrid.perRow,
          params.inDegreeRule === "fixed_indegree" ? 1 : 0,
          table.first,
          table.thresholds.length,
          0,
        ]),
      );
      run(rewirePipeline, rewireGroup, neuronGrid);
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
      run(stabilizePipeline, stabilizeGroup, neuronGrid);
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
    return {
      inDegree: await read(degree, 4 * n2),
      sources: await read(sources, 4 * slots),
      stabilized: Uint8Array.from(await read(stabilized, 4 * slots)),
      epoch,
      trained: params.trainingPatterns,
    };
  } finally {
    for (const b of buffers) b.destroy();
  }
}

/**
 * Tests a trained network (spec §3) with the input signals computed on the device: for each
 * tested pattern the host regenerates r1 (with the test noise) and the coding set as the CPU
 * path does, uploads r1 as f32, and the kernel returns S_i for every population-2 neuron.
 * Statistics agree with {@linkcode testRewiringNetwork} to f32 rounding.
 *
 * @param gpu the device
 * @param net a trained network (CPU state, e.g. from trainRewiringNetwork)
 * @param options `patterns` to test instead of the spec's order
 */
export async function testRewiringGpu(
  gpu: GpuContext,
  net: RewiringNetwork,
  options: { patterns?: readonly number[] } = {},
): Promise<RewiringTestResult> {
  const { device } = gpu;
  const { params, derived } = net;
  const n1 = params.populationSize1;
  const n2 = params.populationSize2;
  const slots = n2 * derived.reserve;
  if (4 * slots > device.limits.maxStorageBufferBindingSize) {
    throw new ParameterError(
      "populationSize2",
      n2,
      `N2·C_reserve·4 bytes ≤ maxStorageBufferBindingSize (${device.limits.maxStorageBufferBindingSize}); ` +
        "chunked connection buffers are not implemented yet",
    );
  }
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
    const neuronGrid = grid(n2, device.limits.maxComputeWorkgroupsPerDimension);
    const uniform = buffer("signal_params", 32, UNIFORM);
    const header = new ArrayBuffer(32);
    new Uint32Array(header, 0, 4).set([n2, derived.reserve, neuronGrid.perRow, 0]);
    new Float32Array(header, 16, 2).set([params.weightBaseline, params.weightStabilized]);
    device.queue.writeBuffer(uniform, 0, header);
    const rates = buffer("rates1", 4 * n1, STORAGE);
    const degree = buffer("degree", 4 * n2, STORAGE);
    const sources = buffer("sources", 4 * slots, STORAGE);
    const stabilized = buffer("stabilized", 4 * slots, STORAGE);
    const signal = buffer("signal", 4 * n2, STORAGE);
    const progress = buffer("progress", 4, STORAGE);
    device.queue.writeBuffer(degree, 0, Uint32Array.from(net.inDegree));
    device.queue.writeBuffer(sources, 0, Uint32Array.from(net.sources.subarray(0, slots)));
    device.queue.writeBuffer(stabilized, 0, Uint32Array.from(net.stabilized.subarray(0, slots)));
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [uniform, rates, degree, sources, stabilized, signal, progress].map((b, k) => ({
        binding: k,
        resource: { buffer: b },
      })),
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
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(neuronGrid.x, neuronGrid.y);
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

/**
 * Helpers for engine tests: one shared WebGPU device per test file and a way to run the same
 * check on both backends.
 */
import { acquireGpu, type GpuContext } from "./gpu/device.ts";
import type { Network } from "./network.ts";
import { createSimulator, type SimulatorOptions } from "./simulator.ts";
import type { Simulator } from "./simulator_types.ts";

let shared: Promise<GpuContext> | null = null;

/** The test file's device (acquired once, quietly). */
export function testGpu(): Promise<GpuContext> {
  shared ??= acquireGpu({ log: () => {} });
  return shared;
}

/** Builds `net` on `backend`, on the shared device for WebGPU. */
export async function build(
  net: Network,
  backend: "webgpu" | "cpu",
  options: SimulatorOptions = {},
): Promise<Simulator> {
  const gpu = backend === "webgpu" ? await testGpu() : undefined;
  return createSimulator(net, { ...options, backend, gpu });
}

/** Registers `fn` as one test per backend; WebGPU tests skip the resource sanitizers. */
export function bothBackends(
  name: string,
  fn: (backend: "webgpu" | "cpu") => Promise<void>,
): void {
  for (const backend of ["cpu", "webgpu"] as const) {
    Deno.test({
      name: `${name} [${backend}]`,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: () => fn(backend),
    });
  }
}

/** Runs `sim` one step at a time, returning V, I_ex and refractory count after each step. */
export async function traceSteps(
  sim: Simulator,
  steps: number,
  neuron: number,
  resolutionMs: number,
): Promise<{ v: number[]; iEx: number[]; iIn: number[]; refractory: number[] }> {
  const out = {
    v: [] as number[],
    iEx: [] as number[],
    iIn: [] as number[],
    refractory: [] as number[],
  };
  for (let s = 0; s < steps; s++) {
    await sim.run(resolutionMs);
    const st = await sim.state();
    out.v.push(st.v[neuron]);
    out.iEx.push(st.iEx[neuron]);
    out.iIn.push(st.iIn[neuron]);
    out.refractory.push(st.refractory[neuron]);
  }
  return out;
}

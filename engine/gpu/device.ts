/**
 * The WebGPU device layer: acquires an adapter and a device with the adapter's own limits,
 * describes the adapter, warns about software (fallback) adapters, turns validation errors
 * into thrown errors, and watches for device loss.
 */
import type { AdapterDescription } from "../simulator_types.ts";

/** An acquired device and what is known about it. */
export interface GpuContext {
  device: GPUDevice;
  adapter: AdapterDescription;
  /** Throws the first uncaptured WebGPU error or the loss of the device, if any occurred. */
  check(): void;
  /** Destroys the device. */
  close(): void;
}

/** Options of `acquireGpu`. */
export interface AcquireOptions {
  /** Where adapter information and warnings go (default: console.error). */
  log?: (message: string) => void;
}

/** Raised when no WebGPU adapter exists; callers may fall back to the CPU backend. */
export class NoAdapterError extends Error {
  constructor() {
    super(
      "no WebGPU adapter found. Install a Vulkan driver (e.g. `apt-get install mesa-vulkan-drivers` " +
        "for a CPU adapter, or the GPU vendor's driver), or choose the CPU backend (--backend cpu).",
    );
    this.name = "NoAdapterError";
  }
}

const LIMIT_NAMES = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupsPerDimension",
  "maxComputeInvocationsPerWorkgroup",
  "maxUniformBufferBindingSize",
  "minUniformBufferOffsetAlignment",
  "minStorageBufferOffsetAlignment",
  "maxDynamicUniformBuffersPerPipelineLayout",
] as const;

/** Acquires the default adapter and a device that requests all of the adapter's limits. */
export async function acquireGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  const log = options.log ?? ((m: string) => console.error(m));
  if (typeof navigator === "undefined" || !("gpu" in navigator)) throw new NoAdapterError();
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new NoAdapterError();
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  const info = adapter.info;
  const fallback = info.isFallbackAdapter ?? false;
  const limits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) limits[name] = device.limits[name];
  const description: AdapterDescription = {
    backend: "webgpu",
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: fallback,
    limits,
  };
  log(
    `adapter: ${info.description || "(no description)"} vendor=${info.vendor} ` +
      `fallback=${fallback} maxStorageBufferBindingSize=${limits.maxStorageBufferBindingSize}`,
  );
  if (fallback || /llvmpipe|lavapipe|swiftshader|software/i.test(info.description)) {
    log(
      "warning: this is a software (CPU) WebGPU adapter; GPU performance numbers do not apply. " +
        "On a GPU machine check that the Vulkan loader and the vendor ICD are installed.",
    );
  }
  const errors: Error[] = [];
  let lost: string | null = null;
  let closing = false;
  device.addEventListener("uncapturederror", (event) => {
    const e = (event as GPUUncapturedErrorEvent).error;
    errors.push(new Error(`WebGPU error: ${e.message}`));
  });
  device.lost.then((info) => {
    if (!closing) lost = `WebGPU device lost (${info.reason}): ${info.message}`;
  });
  return {
    device,
    adapter: description,
    check() {
      if (lost) throw new Error(lost);
      if (errors.length > 0) throw errors[0];
    },
    close() {
      closing = true;
      device.destroy();
    },
  };
}

/** Runs `create` inside a validation error scope and throws the error it produced, if any. */
export async function withValidation<T>(
  device: GPUDevice,
  what: string,
  create: () => T | Promise<T>,
): Promise<T> {
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  let value: T | undefined;
  let thrown: unknown = null;
  try {
    value = await create();
  } catch (e) {
    thrown = e;
  }
  const oom = await device.popErrorScope();
  const validation = await device.popErrorScope();
  if (oom) throw new Error(`${what}: out of device memory: ${oom.message}`);
  if (validation) throw new Error(`${what}: ${validation.message}`);
  if (thrown !== null) throw thrown;
  return value as T;
}

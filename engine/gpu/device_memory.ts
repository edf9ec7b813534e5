/**
 * Device buffers of one simulator: allocation with a running byte count, read-back, release,
 * and waiting for submitted work. Every buffer the backend makes goes through here, so the
 * reported device memory and the clean-up on close cover all of them.
 */
import type { GpuContext } from "./device.ts";

const COPY_DST = GPUBufferUsage.COPY_DST;

/** Allocates and tracks the buffers of one simulator on one device. */
export class DeviceMemory {
  readonly gpu: GpuContext;
  /** Bytes currently allocated. */
  bytes = 0;
  #buffers: GPUBuffer[] = [];

  constructor(gpu: GpuContext) {
    this.gpu = gpu;
  }

  get device(): GPUDevice {
    return this.gpu.device;
  }

  /** A buffer of at least `size` bytes (rounded up to 16), optionally filled with `data`. */
  buffer(label: string, size: number, usage: number, data?: ArrayBufferView): GPUBuffer {
    const device = this.device;
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    if (bytes > device.limits.maxBufferSize) {
      throw new Error(
        `buffer ${label} needs ${bytes} bytes; the adapter allows ${device.limits.maxBufferSize}`,
      );
    }
    const buffer = device.createBuffer({ label, size: bytes, usage: usage | COPY_DST });
    if (data && data.byteLength > 0) {
      device.queue.writeBuffer(
        buffer,
        0,
        data.buffer as ArrayBuffer,
        data.byteOffset,
        data.byteLength,
      );
    }
    this.#buffers.push(buffer);
    this.bytes += bytes;
    return buffer;
  }

  /** Destroys `buffer` now (construction scratch space). */
  release(buffer: GPUBuffer): void {
    const i = this.#buffers.indexOf(buffer);
    if (i >= 0) this.#buffers.splice(i, 1);
    this.bytes -= buffer.size;
    buffer.destroy();
  }

  /** Copies `size` bytes of `source` (from `offset`) back to the host. */
  async read(source: GPUBuffer, size: number, offset = 0): Promise<ArrayBuffer> {
    const device = this.device;
    const staging = device.createBuffer({
      size: Math.ceil(size / 4) * 4,
      usage: GPUBufferUsage.MAP_READ | COPY_DST,
    });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, offset, staging, 0, staging.size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0, size);
    staging.unmap();
    staging.destroy();
    this.gpu.check();
    return copy;
  }

  /** Waits for all submitted work and throws any device error it caused. */
  async finish(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    this.gpu.check();
  }

  /** Destroys every buffer still allocated. */
  destroyAll(): void {
    for (const b of this.#buffers) b.destroy();
    this.#buffers = [];
    this.bytes = 0;
  }
}

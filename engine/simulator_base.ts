/**
 * What every backend shares at its public surface: the checks of `run`'s arguments and the
 * closed state. Backends extend `SimulatorBase` and implement the protected `do*` methods,
 * which are only ever called with checked arguments on an open simulator.
 */
import { ParameterError, SimulatorBusyError, SimulatorClosedError } from "./errors.ts";
import type {
  AdapterDescription,
  BuildPhases,
  Connectivity,
  FacilitationArrays,
  NeuronState,
  ProgressCallback,
  RecordedSpikes,
  RunStats,
  Simulator,
} from "./simulator_types.ts";

/**
 * Most steps a simulator can advance in its lifetime: spike stamps are i32 and the step
 * counters of the random streams and GPU kernels are u32.
 */
export const MAX_TOTAL_STEPS = 2 ** 31 - 1;

/** Relative tolerance (in steps) for a duration to count as a multiple of the resolution. */
const GRID_TOLERANCE = 1e-9;

/** `k · h` without the floating-point tail (0.30000000000000004 → 0.3). */
function gridValue(k: number, resolutionMs: number): number {
  return Number((k * resolutionMs).toPrecision(12));
}

/**
 * The number of steps `durationMs` spans, or a ParameterError unless it is a finite,
 * non-negative multiple of `resolutionMs` (within a floating-point tolerance, so 0.3 with
 * h = 0.1 is 3 steps) that keeps the total below `MAX_TOTAL_STEPS`. 0 is valid (no steps).
 */
export function runSteps(durationMs: unknown, resolutionMs: number, stepsDone: number): number {
  const where = "run.durationMs";
  const grid = `a multiple of the resolution (${resolutionMs} ms)`;
  if (typeof durationMs !== "number" || !Number.isFinite(durationMs)) {
    throw new ParameterError(where, durationMs, `a finite duration ≥ 0 ms, ${grid}`);
  }
  const exact = durationMs / resolutionMs;
  const tolerance = GRID_TOLERANCE * Math.max(1, Math.abs(exact));
  if (exact < -tolerance) {
    throw new ParameterError(where, durationMs, `a duration ≥ 0 ms (0 runs no step), ${grid}`);
  }
  const steps = Math.max(0, Math.round(exact));
  if (Math.abs(exact - steps) > tolerance) {
    const below = gridValue(Math.floor(exact), resolutionMs);
    const above = gridValue(Math.ceil(exact), resolutionMs);
    throw new ParameterError(
      where,
      durationMs,
      `${grid}; the nearest are ${below} and ${above} ms`,
    );
  }
  const left = MAX_TOTAL_STEPS - stepsDone;
  if (steps > left) {
    throw new ParameterError(
      where,
      durationMs,
      `at most ${gridValue(left, resolutionMs)} ms (${left} steps): a simulator advances at ` +
        `most 2^31 − 1 steps in all and ${stepsDone} are done`,
    );
  }
  return steps;
}

/** Checks `run`'s options; returns the progress callback, if any. */
export function runProgress(options: unknown): ProgressCallback | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    throw new ParameterError("run.options", options, "an object { onProgress? } or undefined");
  }
  const onProgress = (options as { onProgress?: unknown }).onProgress;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new ParameterError(
      "run.options.onProgress",
      onProgress,
      "a function (stepsDone, stepsTotal) => void or undefined",
    );
  }
  return onProgress as ProgressCallback | undefined;
}

/** The public surface of a backend: argument checks and the closed state, in one place. */
export abstract class SimulatorBase implements Simulator {
  abstract readonly backend: "webgpu" | "cpu";
  abstract readonly adapter: AdapterDescription;
  abstract readonly phases: BuildPhases;
  abstract readonly synapseCount: number;
  abstract readonly fixedPointScale: number;
  abstract readonly deviceBytes: number;
  /** Steps simulated so far (advanced by the backend). */
  stepsDone = 0;

  readonly #resolutionMs: number;
  #closed = false;
  /** The asynchronous method in progress, if any (its buffers must not be read or freed). */
  #busy: string | null = null;

  constructor(resolutionMs: number) {
    this.#resolutionMs = resolutionMs;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Advances the network by `durationMs`, a non-negative multiple of the resolution (0 runs
   * nothing). Rejects with a ParameterError for any other duration, before any work.
   */
  run(durationMs: number, options?: { onProgress?: ProgressCallback }): Promise<RunStats> {
    try {
      this.#open("run");
      const steps = runSteps(durationMs, this.#resolutionMs, this.stepsDone);
      const onProgress = runProgress(options);
      return this.#exclusive("run", async () => {
        // A callback that throws must not cut a run short half-way (the backends would keep
        // different step counts): the run completes, then the callback's error is raised.
        let callbackError: { error: unknown } | null = null;
        const guarded = onProgress &&
          ((done: number, total: number) => {
            if (callbackError) return;
            try {
              onProgress(done, total);
            } catch (error) {
              callbackError = { error };
            }
          });
        const stats = await this.doRun(steps, guarded);
        if (callbackError) throw (callbackError as { error: unknown }).error;
        return stats;
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  takeSpikes(): RecordedSpikes {
    this.#open("takeSpikes");
    return this.doTakeSpikes();
  }

  connectivity(): Promise<Connectivity> {
    return this.#openAsync("connectivity") ??
      this.#exclusive("connectivity", () => this.doConnectivity());
  }

  state(): Promise<NeuronState> {
    return this.#openAsync("state") ?? this.#exclusive("state", () => this.doState());
  }

  facilitationState(): Promise<FacilitationArrays> {
    return this.#openAsync("facilitationState") ??
      this.#exclusive("facilitationState", () => this.doFacilitationState());
  }

  /**
   * Releases the backend's resources; later calls of any method throw. Closing twice is a no-op;
   * closing while `run` (or another asynchronous method) is in progress throws
   * SimulatorBusyError: await it first.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#busy) throw new SimulatorBusyError("close", this.#busy);
    this.#closed = true;
    this.doClose();
  }

  /** Runs `steps` (checked: ≥ 0, within the step limit) steps. */
  protected abstract doRun(steps: number, onProgress?: ProgressCallback): Promise<RunStats>;
  protected abstract doTakeSpikes(): RecordedSpikes;
  protected abstract doConnectivity(): Promise<Connectivity>;
  protected abstract doState(): Promise<NeuronState>;
  protected abstract doFacilitationState(): Promise<FacilitationArrays>;
  /** Frees the backend's resources (called once). */
  protected abstract doClose(): void;

  #open(method: string): void {
    if (this.#closed) throw new SimulatorClosedError(method);
  }

  /** Runs the asynchronous `work` of `method`, refusing to overlap another one. */
  async #exclusive<T>(method: string, work: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new SimulatorBusyError(method, this.#busy);
    this.#busy = method;
    try {
      return await work();
    } finally {
      this.#busy = null;
    }
  }

  #openAsync(method: string): Promise<never> | null {
    return this.#closed ? Promise.reject(new SimulatorClosedError(method)) : null;
  }
}

/**
 * Engine micro-benchmarks: the cost of the engine's parts, each isolated by a network built
 * to exercise one of them (see benchmarks/NOTES.md for the per-kernel byte and operation
 * bounds these numbers are compared with):
 *
 * - dispatch overhead per step: one neuron, many steps (wall time / steps), and the round trip
 *   of one batch (one step per command buffer);
 * - neuron update: N neurons without synapses, Poisson drive off and on, net of the per-step
 *   overhead;
 * - synaptic event: sources firing in every step into many synapses, minus the same network
 *   without synapses, per delivered event;
 * - construction: fixed_total_number with many synapses, phases and synapses per second.
 *
 * Every timed run follows a warm-up run on the same simulator; the median of `repeat` runs is
 * reported.
 */
import {
  type AdapterDescription,
  type BuildPhases,
  createSimulator,
  type GpuContext,
  iafPscExp,
  Network,
  normal,
  type Simulator,
} from "../engine/mod.ts";

const H = 0.1;
/** Never reached: neurons that must not spike. */
const SILENT = iafPscExp({ V_th: 1e9 });
/** t_ref = 0 and I_e far above rheobase: fires in every step. */
const EVERY_STEP = iafPscExp({ t_ref: 0, I_e: 1e6 });

/** Sizes of the micro-benchmarks. */
export interface EngineMicroOptions {
  /** Neurons of the update benchmark (default 100 000). */
  neurons?: number;
  /** Timed steps of the update benchmark (default 300). */
  updateSteps?: number;
  /** Poisson rate per neuron when the drive is on (Hz; default 12 800, λ = 1.28 per step). */
  poissonRateHz?: number;
  /** Steps of the dispatch-overhead benchmark (default 5000). */
  overheadSteps?: number;
  /** Sources firing in every step in the event benchmark (default 2000). */
  eventSources?: number;
  /** Out-degree of each source (default 500). */
  outDegree?: number;
  /** Targets of the event benchmark (default 100 000). */
  eventTargets?: number;
  /** Timed steps of the event benchmark (default 50). */
  eventSteps?: number;
  /** Synapses of the construction benchmark (default 10^7). */
  constructionSynapses?: number;
  /** Timed runs per measurement; the median is reported (default 3). */
  repeat?: number;
  /** Device to use (one is acquired per simulator otherwise). */
  gpu?: GpuContext;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** One measured quantity. */
export interface Measurement {
  /** Stable key, e.g. "update_poisson_off". */
  key: string;
  /** What was measured, for the table. */
  name: string;
  value: number;
  unit: string;
  /** Sizes and raw numbers behind the value. */
  detail: Record<string, number | string>;
}

/** Everything the engine micro-benchmark measured. */
export interface EngineMicroResults {
  adapter: AdapterDescription;
  measurements: Measurement[];
  construction: { synapses: number; phases: BuildPhases; totalSeconds: number };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Timed {
  /** Median wall seconds of the timed runs. */
  seconds: number;
  steps: number;
  spikes: number;
  synapticEvents: number;
}

/** Warms `sim` up, then times `repeat` runs of `steps` steps each (median wall time). */
async function timeRuns(sim: Simulator, steps: number, repeat: number): Promise<Timed> {
  await sim.run(Math.min(steps, 100) * H);
  const walls: number[] = [];
  let last = { spikes: 0, synapticEvents: 0 };
  for (let r = 0; r < repeat; r++) {
    const stats = await sim.run(steps * H);
    walls.push(stats.wallSeconds);
    last = stats;
  }
  return { seconds: median(walls), steps, ...last };
}

/** Runs every micro-benchmark and returns the measurements. */
export async function measureEngine(options: EngineMicroOptions = {}): Promise<EngineMicroResults> {
  const o = {
    neurons: options.neurons ?? 100000,
    updateSteps: options.updateSteps ?? 300,
    poissonRateHz: options.poissonRateHz ?? 12800,
    overheadSteps: options.overheadSteps ?? 5000,
    eventSources: options.eventSources ?? 2000,
    outDegree: options.outDegree ?? 500,
    eventTargets: options.eventTargets ?? 100000,
    eventSteps: options.eventSteps ?? 50,
    constructionSynapses: options.constructionSynapses ?? 1e7,
    repeat: options.repeat ?? 3,
  };
  const log = options.log ?? (() => {});
  const measurements: Measurement[] = [];
  let adapter: AdapterDescription | null = null;
  const withSim = async <T>(
    net: Network,
    fn: (sim: Simulator) => Promise<T>,
    extra: { stepsPerBatch?: number; deliverWorkgroups?: number } = {},
  ): Promise<T> => {
    const sim = await createSimulator(net, { backend: "webgpu", gpu: options.gpu, log, ...extra });
    adapter ??= sim.adapter;
    try {
      return await fn(sim);
    } finally {
      sim.close();
    }
  };

  // --- dispatch overhead: one neuron, many steps ---------------------------------------------
  log("dispatch overhead ...");
  const tiny = new Network({ resolutionMs: H });
  tiny.population("one", { size: 1, params: SILENT });
  const overhead = await withSim(tiny, (sim) => timeRuns(sim, o.overheadSteps, o.repeat));
  const overheadPerStep = overhead.seconds / overhead.steps;
  // The same with one delivery workgroup instead of 256: the cost of idle workgroups.
  const oneGroup = await withSim(
    tiny,
    (sim) => timeRuns(sim, o.overheadSteps, o.repeat),
    { deliverWorkgroups: 1 },
  );
  measurements.push({
    key: "dispatch_overhead_per_step",
    name: "dispatch overhead per step",
    value: overheadPerStep * 1e6,
    unit: "µs/step",
    detail: {
      neurons: 1,
      steps: overhead.steps,
      stepsPerBatch: 1000,
      us_with_1_deliver_workgroup: oneGroup.seconds / oneGroup.steps * 1e6,
    },
  });
  const roundTripSteps = Math.max(10, Math.round(o.overheadSteps / 100));
  const roundTrip = await withSim(
    tiny,
    (sim) => timeRuns(sim, roundTripSteps, o.repeat),
    { stepsPerBatch: 1 },
  );
  measurements.push({
    key: "batch_round_trip",
    name: "batch round trip (submit + readback)",
    value: roundTrip.seconds / roundTrip.steps * 1e3,
    unit: "ms/batch",
    detail: { neurons: 1, steps: roundTrip.steps, stepsPerBatch: 1 },
  });

  // --- neuron update: N neurons, no synapses, Poisson off and on ------------------------------
  for (const poisson of [false, true]) {
    log(`neuron update, Poisson ${poisson ? "on" : "off"} ...`);
    const net = new Network({ resolutionMs: H });
    const pop = net.population("neurons", { size: o.neurons, params: SILENT });
    if (poisson) net.poisson(pop, { rateHz: o.poissonRateHz, weight: 1, delayMs: H });
    const t = await withSim(net, (sim) => timeRuns(sim, o.updateSteps, o.repeat));
    const updates = o.neurons * t.steps;
    const net_ = Math.max(0, t.seconds - overheadPerStep * t.steps);
    measurements.push({
      key: poisson ? "update_poisson_on" : "update_poisson_off",
      name: poisson
        ? `neuron update, Poisson on (λ = ${(o.poissonRateHz * H * 1e-3).toFixed(2)}/step)`
        : "neuron update, Poisson off",
      value: net_ / updates * 1e9,
      unit: "ns/neuron/step",
      detail: {
        neurons: o.neurons,
        steps: t.steps,
        raw_ns: t.seconds / updates * 1e9,
        wall_s: t.seconds,
      },
    });
  }

  // --- synaptic events: sources firing every step, minus the same network without synapses ----
  log("synaptic events ...");
  const eventNet = (connect: boolean) => {
    const net = new Network({ resolutionMs: H });
    const src = net.population("sources", { size: o.eventSources, params: EVERY_STEP });
    const tgt = net.population("targets", { size: o.eventTargets, params: SILENT });
    // Without synapses: k = 0 with the same delays, so the ring has the same size and only
    // the deliveries differ.
    net.connect(src, tgt, {
      rule: { kind: "fixed_outdegree", k: connect ? o.outDegree : 0 },
      weight: normal(87.8, 8.78, { min: 0 }),
      delay: normal(1.5, 0.75, { min: H }),
    });
    return net;
  };
  const withEvents = await withSim(eventNet(true), (sim) => timeRuns(sim, o.eventSteps, o.repeat));
  const without = await withSim(eventNet(false), (sim) => timeRuns(sim, o.eventSteps, o.repeat));
  const events = withEvents.synapticEvents;
  measurements.push({
    key: "synaptic_event",
    name: "synaptic event (delivery)",
    value: Math.max(0, withEvents.seconds - without.seconds) / events * 1e9,
    unit: "ns/event",
    detail: {
      sources: o.eventSources,
      out_degree: o.outDegree,
      targets: o.eventTargets,
      steps: withEvents.steps,
      events,
      wall_s: withEvents.seconds,
      wall_without_synapses_s: without.seconds,
    },
  });

  // --- construction: fixed_total_number --------------------------------------------------------
  log(`construction of ${o.constructionSynapses} synapses ...`);
  const built = new Network({ resolutionMs: H });
  const size = Math.max(1, Math.min(100000, Math.round(o.constructionSynapses / 100)));
  const pop = built.population("pop", { size, params: SILENT });
  built.connect(pop, pop, {
    rule: { kind: "fixed_total_number", n: o.constructionSynapses },
    weight: normal(87.8, 8.78, { min: 0 }),
    delay: normal(1.5, 0.75, { min: H }),
  });
  const t0 = performance.now();
  const construction = await withSim(built, (sim) => {
    const totalSeconds = (performance.now() - t0) / 1000;
    return Promise.resolve({ synapses: sim.synapseCount, phases: { ...sim.phases }, totalSeconds });
  });
  const p = construction.phases;
  measurements.push({
    key: "construction_rate",
    name: "construction, fixed_total_number (connect phase)",
    value: construction.synapses / p.connect,
    unit: "synapses/s",
    detail: {
      synapses: construction.synapses,
      neurons: pop.size,
      create_s: p.create,
      connect_s: p.connect,
      prepare_s: p.prepare,
      compile_s: p.compile,
      total_s: construction.totalSeconds,
    },
  });
  return { adapter: adapter!, measurements, construction };
}

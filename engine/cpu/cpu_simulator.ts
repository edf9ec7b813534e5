/**
 * The float64 CPU backend: the same plan, random streams, fixed-point input and update order
 * as the WebGPU backend, in plain TypeScript. It is the oracle of the tests and a fallback
 * where no WebGPU adapter exists; it is meant for small networks.
 */
import { rowStarts, sortRows } from "../connectivity.ts";
import { facilitationSpike, type FacilitationState } from "../facilitation.ts";
import {
  currentDelaySteps,
  currentSample,
  fixedPointScale,
  fixedPointWeights,
  initialPotentials,
  type NetworkPlan,
  planNetwork,
  poissonCount,
} from "../plan.ts";
import type { NetworkSpec } from "../network.ts";
import { sampleDiscrete, sampleWeight } from "../sampling.ts";
import { SimulatorBase } from "../simulator_base.ts";
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
} from "../simulator_types.ts";
import { generateProjection } from "./generate.ts";

const CPU_ADAPTER: AdapterDescription = {
  backend: "cpu",
  vendor: "cpu",
  architecture: Deno.build.arch,
  device: "float64 reference backend",
  description: `spikebench CPU backend (float64, ${Deno.build.os}/${Deno.build.arch})`,
  isFallbackAdapter: false,
  limits: {},
};

/** Builds `spec` on the CPU backend. */
export function createCpuSimulator(spec: NetworkSpec): Simulator {
  return new CpuSimulator(spec);
}

/** Steps between two progress reports of `run` (the WebGPU backend reports once per batch). */
const PROGRESS_STEPS = 1000;

class CpuSimulator extends SimulatorBase {
  readonly backend = "cpu" as const;
  readonly adapter = CPU_ADAPTER;
  readonly phases: BuildPhases = { create: 0, connect: 0, prepare: 0, compile: 0 };
  readonly deviceBytes = 0;
  readonly fixedPointScale: number;
  readonly synapseCount: number;

  #plan: NetworkPlan;
  #y: Float64Array;
  #iEx: Float64Array;
  #iIn: Float64Array;
  #refractory: Int32Array;
  #conn: Connectivity;
  #ring: Float64Array;
  #spikeSteps: number[] = [];
  #spikeNeurons: number[] = [];
  /** Per synapse: 1 when it belongs to a facilitating projection (null without any). */
  #plastic: Uint8Array | null = null;
  /** Facilitation state per neuron (null for neurons without facilitating out-synapses). */
  #stp: (FacilitationState | null)[] = [];
  /** Per current generator: delay (steps) of each target neuron. */
  #currentDelays: Int32Array[] = [];
  /** Per current generator: last evaluated block (−1 outside the window, −2 never) and value. */
  #currentCache: { block: Float64Array; value: Float64Array }[] = [];

  constructor(spec: NetworkSpec) {
    super(spec.resolutionMs);
    let t0 = performance.now();
    const plan = planNetwork(spec);
    this.#plan = plan;
    const n = spec.neuronCount;
    const v0 = initialPotentials(spec);
    this.#y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.#y[i] = v0[i] - plan.populations[plan.neuronPopulation[i]].spec.params.E_L;
    }
    this.#iEx = new Float64Array(n);
    this.#iIn = new Float64Array(n);
    this.#refractory = new Int32Array(n);
    this.phases.create = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const rowCount = new Uint32Array(n);
    const inUnits = new Float64Array(n);
    for (const proj of plan.projections) {
      generateProjection(proj, (s, t) => {
        rowCount[s]++;
        inUnits[t] += proj.units;
      });
    }
    let maxIn = 0;
    for (let i = 0; i < n; i++) maxIn = Math.max(maxIn, inUnits[i]);
    const scale = fixedPointScale(plan, maxIn);
    this.fixedPointScale = scale;
    const rowStart = rowStarts(rowCount);
    const total = rowStart[n];
    this.synapseCount = total;
    const targets = new Uint32Array(total);
    const delaySteps = new Uint32Array(total);
    const weights = new Int32Array(total);
    const cursor = rowStart.slice(0, n);
    const plastic = plan.hasFacilitation ? new Uint8Array(total) : null;
    for (const proj of plan.projections) {
      const table = fixedPointWeights(plan, proj, scale);
      const isPlastic = proj.spec.facilitation !== null;
      generateProjection(proj, (s, t, delayWord, weightWord) => {
        const at = cursor[s]++;
        if (plastic && isPlastic) plastic[at] = 1;
        targets[at] = t;
        delaySteps[at] = sampleDiscrete(proj.delay, delayWord);
        weights[at] = sampleWeight(table, 0, weightWord);
      });
    }
    this.#conn = { rowStart, targets, delaySteps, weights, scale };
    this.#plastic = plastic;
    this.#stp = Array.from({ length: n }, (_, i) => {
      const f = plan.populations[plan.neuronPopulation[i]].facilitation;
      return f ? { u: f.u0, x: f.x0, tLast: 0 } : null;
    });
    this.phases.connect = (performance.now() - t0) / 1000;

    t0 = performance.now();
    this.#ring = new Float64Array(plan.ringSlots * n * 2);
    this.#currentDelays = plan.currents.map((gen) =>
      Int32Array.from({ length: gen.size }, (_, local) => currentDelaySteps(gen, local))
    );
    this.#currentCache = plan.currents.map((gen) => ({
      block: new Float64Array(gen.size).fill(-2),
      value: new Float64Array(gen.size),
    }));
    this.phases.prepare = (performance.now() - t0) / 1000;
  }

  protected doRun(steps: number, onProgress?: ProgressCallback): Promise<RunStats> {
    const t0 = performance.now();
    const plan = this.#plan;
    const n = plan.spec.neuronCount;
    const scale = this.fixedPointScale;
    const slots = plan.ringSlots;
    const { rowStart, targets, delaySteps, weights } = this.#conn;
    const scratch = new Uint32Array(4);
    const y = this.#y, iEx = this.#iEx, iIn = this.#iIn, refr = this.#refractory, ring = this.#ring;
    const pops = plan.populations;
    const poissonFixed = pops.map((p) => p.poisson ? Math.round(p.poisson.weight * scale) : 0);
    const spiking: number[] = [];
    const h = plan.spec.resolutionMs;
    const plastic = this.#plastic, stp = this.#stp;
    const currents = plan.currents, currentDelays = this.#currentDelays;
    const stim = new Float64Array(currents.length > 0 ? n : 0);
    let spikes = 0;
    let events = 0;
    for (let s = 0; s < steps; s++) {
      const step = this.stepsDone;
      const base = (step % slots) * n * 2;
      spiking.length = 0;
      if (currents.length > 0) {
        // NEST's i_0: the value emitted for step m reaches the neuron in step m + delay + 1.
        stim.fill(0);
        currents.forEach((gen, g) => {
          const delays = currentDelays[g];
          const cache = this.#currentCache[g];
          for (let local = 0; local < gen.size; local++) {
            const m = step - delays[local] - 1;
            if (m < 0) continue;
            // The sample only changes at block boundaries and window edges: cache per block.
            const key = m < gen.startStep || m >= gen.stopStep ? -1 : Math.floor(m / gen.dtSteps);
            if (cache.block[local] !== key) {
              cache.block[local] = key;
              cache.value[local] = currentSample(gen, { local, step: m }, { scratch });
            }
            stim[gen.first + local] += cache.value[local];
          }
        });
      }
      for (let i = 0; i < n; i++) {
        const pi = plan.neuronPopulation[i];
        const pop = pops[pi];
        const p = pop.prop;
        if (refr[i] === 0) {
          const iE = currents.length > 0 ? pop.spec.params.I_e + stim[i] : pop.spec.params.I_e;
          y[i] = p.P22 * y[i] + p.P21ex * iEx[i] + p.P21in * iIn[i] + p.P20 * iE;
        } else {
          refr[i]--;
        }
        iEx[i] *= p.P11ex;
        iIn[i] *= p.P11in;
        let inEx = ring[base + 2 * i];
        let inIn = ring[base + 2 * i + 1];
        ring[base + 2 * i] = 0;
        ring[base + 2 * i + 1] = 0;
        const poisson = pop.poisson;
        if (poisson && step >= poisson.delaySteps) {
          const count = poissonCount(plan, { neuron: i, step: step - poisson.delaySteps }, {
            scratch,
          });
          const input = count * poissonFixed[pi];
          if (input >= 0) inEx += input;
          else inIn += input;
        }
        iEx[i] += inEx / scale;
        iIn[i] += inIn / scale;
        if (y[i] >= pop.thetaY) {
          refr[i] = p.refractorySteps;
          y[i] = pop.resetY;
          spiking.push(i);
          if (pop.spec.recorded) {
            this.#spikeSteps.push(step + 1);
            this.#spikeNeurons.push(i);
          }
        }
      }
      for (const src of spiking) {
        const end = rowStart[src + 1];
        events += end - rowStart[src];
        const state = stp[src];
        // Facilitation: one update per presynaptic spike at its stamp (step + 1)·h (spec §2).
        const efficacy = state && plastic
          ? facilitationSpike(state, (step + 1) * h, pops[plan.neuronPopulation[src]].facilitation!)
            .efficacy
          : 1;
        for (let k = rowStart[src]; k < end; k++) {
          const w = plastic && plastic[k] ? Math.round(weights[k] * efficacy) : weights[k];
          const slot = (step + delaySteps[k]) % slots;
          ring[(slot * n + targets[k]) * 2 + (w < 0 ? 1 : 0)] += w;
        }
      }
      spikes += spiking.length;
      this.stepsDone++;
      if (onProgress && ((s + 1) % PROGRESS_STEPS === 0 || s + 1 === steps)) {
        onProgress(s + 1, steps);
      }
    }
    return Promise.resolve({
      steps,
      spikes,
      synapticEvents: events,
      wallSeconds: (performance.now() - t0) / 1000,
    });
  }

  protected doTakeSpikes(): RecordedSpikes {
    const out = {
      steps: Int32Array.from(this.#spikeSteps),
      neurons: Uint32Array.from(this.#spikeNeurons),
    };
    this.#spikeSteps = [];
    this.#spikeNeurons = [];
    return out;
  }

  protected doConnectivity(): Promise<Connectivity> {
    const c = this.#conn;
    return Promise.resolve(sortRows({
      rowStart: c.rowStart.slice(),
      targets: c.targets.slice(),
      delaySteps: c.delaySteps.slice(),
      weights: c.weights.slice(),
      scale: c.scale,
    }));
  }

  protected doState(): Promise<NeuronState> {
    const n = this.#plan.spec.neuronCount;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      v[i] = this.#y[i] + this.#plan.populations[this.#plan.neuronPopulation[i]].spec.params.E_L;
    }
    return Promise.resolve({
      v,
      iEx: this.#iEx.slice(),
      iIn: this.#iIn.slice(),
      refractory: this.#refractory.slice(),
    });
  }

  protected doFacilitationState(): Promise<FacilitationArrays> {
    const n = this.#plan.spec.neuronCount;
    const out = {
      u: new Float64Array(n).fill(NaN),
      x: new Float64Array(n).fill(NaN),
      tLastMs: new Float64Array(n).fill(NaN),
    };
    this.#stp.forEach((s, i) => {
      if (!s) return;
      out.u[i] = s.u;
      out.x[i] = s.x;
      out.tLastMs[i] = s.tLast;
    });
    return Promise.resolve(out);
  }

  protected doClose(): void {
    // Drops the big arrays (the base class refuses every later call).
    this.#ring = new Float64Array(0);
    this.#conn = {
      rowStart: new Uint32Array(0),
      targets: new Uint32Array(0),
      delaySteps: new Uint32Array(0),
      weights: new Int32Array(0),
      scale: this.#conn.scale,
    };
    this.#spikeSteps = [];
    this.#spikeNeurons = [];
  }
}

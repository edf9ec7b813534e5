/**
 * The float64 CPU backend: the same plan, random streams, fixed-point input and update order
 * as the WebGPU backend, in plain TypeScript. It is the oracle of the tests and a fallback
 * where no WebGPU adapter exists; it is meant for small networks.
 */
import { rowStarts, sortRows } from "../connectivity.ts";
import {
  fixedPointScale,
  fixedPointWeights,
  initialPotentials,
  type NetworkPlan,
  planNetwork,
  poissonCount,
} from "../plan.ts";
import type { NetworkSpec } from "../network.ts";
import { sampleDiscrete, sampleWeight } from "../sampling.ts";
import type {
  AdapterDescription,
  BuildPhases,
  Connectivity,
  NeuronState,
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

class CpuSimulator implements Simulator {
  readonly backend = "cpu" as const;
  readonly adapter = CPU_ADAPTER;
  readonly phases: BuildPhases = { create: 0, connect: 0, prepare: 0, compile: 0 };
  readonly deviceBytes = 0;
  readonly fixedPointScale: number;
  readonly synapseCount: number;
  stepsDone = 0;

  #plan: NetworkPlan;
  #y: Float64Array;
  #iEx: Float64Array;
  #iIn: Float64Array;
  #refractory: Int32Array;
  #conn: Connectivity;
  #ring: Float64Array;
  #spikeSteps: number[] = [];
  #spikeNeurons: number[] = [];

  constructor(spec: NetworkSpec) {
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
    for (const proj of plan.projections) {
      const table = fixedPointWeights(plan, proj, scale);
      generateProjection(proj, (s, t, delayWord, weightWord) => {
        const at = cursor[s]++;
        targets[at] = t;
        delaySteps[at] = sampleDiscrete(proj.delay, delayWord);
        weights[at] = sampleWeight(table, 0, weightWord);
      });
    }
    this.#conn = { rowStart, targets, delaySteps, weights, scale };
    this.phases.connect = (performance.now() - t0) / 1000;

    t0 = performance.now();
    this.#ring = new Float64Array(plan.ringSlots * n * 2);
    this.phases.prepare = (performance.now() - t0) / 1000;
  }

  run(durationMs: number): Promise<RunStats> {
    const t0 = performance.now();
    const plan = this.#plan;
    const steps = Math.round(durationMs / plan.spec.resolutionMs);
    const n = plan.spec.neuronCount;
    const scale = this.fixedPointScale;
    const slots = plan.ringSlots;
    const { rowStart, targets, delaySteps, weights } = this.#conn;
    const scratch = new Uint32Array(4);
    const y = this.#y, iEx = this.#iEx, iIn = this.#iIn, refr = this.#refractory, ring = this.#ring;
    const pops = plan.populations;
    const poissonFixed = pops.map((p) => p.poisson ? Math.round(p.poisson.weight * scale) : 0);
    const spiking: number[] = [];
    let spikes = 0;
    let events = 0;
    for (let s = 0; s < steps; s++) {
      const step = this.stepsDone;
      const base = (step % slots) * n * 2;
      spiking.length = 0;
      for (let i = 0; i < n; i++) {
        const pi = plan.neuronPopulation[i];
        const pop = pops[pi];
        const p = pop.prop;
        if (refr[i] === 0) {
          y[i] = p.P22 * y[i] + p.P21ex * iEx[i] + p.P21in * iIn[i] + p.P20 * pop.spec.params.I_e;
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
        for (let k = rowStart[src]; k < end; k++) {
          const w = weights[k];
          const slot = (step + delaySteps[k]) % slots;
          ring[(slot * n + targets[k]) * 2 + (w < 0 ? 1 : 0)] += w;
        }
      }
      spikes += spiking.length;
      this.stepsDone++;
    }
    return Promise.resolve({
      steps,
      spikes,
      synapticEvents: events,
      wallSeconds: (performance.now() - t0) / 1000,
    });
  }

  takeSpikes(): RecordedSpikes {
    const out = {
      steps: Int32Array.from(this.#spikeSteps),
      neurons: Uint32Array.from(this.#spikeNeurons),
    };
    this.#spikeSteps = [];
    this.#spikeNeurons = [];
    return out;
  }

  connectivity(): Promise<Connectivity> {
    const c = this.#conn;
    return Promise.resolve(sortRows({
      rowStart: c.rowStart.slice(),
      targets: c.targets.slice(),
      delaySteps: c.delaySteps.slice(),
      weights: c.weights.slice(),
      scale: c.scale,
    }));
  }

  state(): Promise<NeuronState> {
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

  close(): void {}
}

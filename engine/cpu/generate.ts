/**
 * The connection generator on the CPU: for each synapse of a projection it yields the global
 * source and target ids and the two random words that pick its delay and weight. It is the
 * exact twin of the WGSL kernel `engine/gpu/connect.wgsl` (same counters, same order of draws),
 * so both backends build the same synapses.
 */
import { type ProjectionPlan, RULE_CODE } from "../plan.ts";
import { mulhi32, philox4x32 } from "../rng/philox.ts";

/** Receives one synapse: global ids and the delay and weight words. */
export type SynapseSink = (
  source: number,
  target: number,
  delayWord: number,
  weightWord: number,
) => void;

/** Upper limit on autapse redraws; with ≥ 2 neurons the chance of reaching it is 2^-64. */
const MAX_ATTEMPTS = 64;

/** Calls `sink` once per synapse of `proj`. */
export function generateProjection(proj: ProjectionPlan, sink: SynapseSink): void {
  const r = new Uint32Array(4);
  const key = proj.key;
  const { preSize, postSize, preFirst, postFirst, count } = proj;
  switch (proj.code) {
    case RULE_CODE.fixed_total_number:
      for (let k = 0; k < proj.items; k++) {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          philox4x32([k, attempt, 0, 0], key, r);
          const s = mulhi32(r[0], preSize);
          const t = mulhi32(r[1], postSize);
          if (proj.excludeAutapses && s === t && attempt + 1 < MAX_ATTEMPTS) continue;
          sink(preFirst + s, postFirst + t, r[2], r[3]);
          break;
        }
      }
      return;
    case RULE_CODE.fixed_indegree:
    case RULE_CODE.fixed_outdegree: {
      const perTarget = proj.code === RULE_CODE.fixed_indegree;
      const rowSize = perTarget ? postSize : preSize;
      const poolSize = perTarget ? preSize : postSize;
      const tag = perTarget ? 1 : 3;
      for (let row = 0; row < rowSize; row++) {
        for (let j = 0; j < count; j++) {
          for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            philox4x32([row, j, attempt, tag], key, r);
            const other = mulhi32(r[0], poolSize);
            if (proj.excludeAutapses && other === row && attempt + 1 < MAX_ATTEMPTS) continue;
            if (perTarget) sink(preFirst + other, postFirst + row, r[2], r[3]);
            else sink(preFirst + row, postFirst + other, r[2], r[3]);
            break;
          }
        }
      }
      return;
    }
    case RULE_CODE.fixed_indegree_unique:
    case RULE_CODE.fixed_outdegree_unique: {
      // Selection sampling (Knuth's algorithm S): a uniformly random k-subset of the pool.
      const perTarget = proj.code === RULE_CODE.fixed_indegree_unique;
      const rowSize = perTarget ? postSize : preSize;
      const poolSize = perTarget ? preSize : postSize;
      const tag = perTarget ? 2 : 4;
      for (let row = 0; row < rowSize; row++) {
        let remaining = poolSize - (proj.excludeAutapses ? 1 : 0);
        let needed = count;
        for (let i = 0; i < poolSize && needed > 0; i++) {
          if (proj.excludeAutapses && i === row) continue;
          philox4x32([row, i, 0, tag], key, r);
          if (mulhi32(r[0], remaining) < needed) {
            needed--;
            if (perTarget) sink(preFirst + i, postFirst + row, r[2], r[3]);
            else sink(preFirst + row, postFirst + i, r[2], r[3]);
          }
          remaining--;
        }
      }
      return;
    }
    case RULE_CODE.pairwise_bernoulli:
    case RULE_CODE.all_to_all: {
      const bernoulli = proj.code === RULE_CODE.pairwise_bernoulli;
      const tag = bernoulli ? 5 : 6;
      for (let s = 0; s < preSize; s++) {
        for (let t = 0; t < postSize; t++) {
          if (proj.excludeAutapses && s === t) continue;
          philox4x32([s, t, 0, tag], key, r);
          if (bernoulli && !proj.bernoulliAlways && r[0] >= count) continue;
          sink(preFirst + s, postFirst + t, r[2], r[3]);
        }
      }
      return;
    }
    case RULE_CODE.one_to_one:
      for (let i = 0; i < preSize; i++) {
        philox4x32([i, 0, 0, 7], key, r);
        sink(preFirst + i, postFirst + i, r[2], r[3]);
      }
      return;
  }
  throw new Error(`unknown rule code ${proj.code}`);
}

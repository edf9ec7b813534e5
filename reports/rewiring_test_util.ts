/**
 * Test support for the report's rewiring section: a stored `validate --model rewiring` verdict
 * built from theory-like measurements (seeds 1–3, r = 100 and 0, T = 1000, 2000, 5000), and
 * rewiring bench records. Used only by tests.
 *
 * @module
 */

import type { BenchResult } from "../benchmarks/result_record.ts";
import type { ValidationRow } from "../benchmarks/results_store.ts";
import { CI_REWIRING_PARAMS, resolveRewiringModelParams } from "../models/rewiring_params.ts";
import { rewiringTheory } from "../validation/rewiring_theory.ts";
import { judgeRewiringScan, type RewiringScanMeasurement } from "../validation/rewiring_verdict.ts";
import { syntheticRun } from "./test_util.ts";

/** The theory parameters of spec §6. */
export const CI_THEORY = { inDegree: 1000, alpha1: 5e-3, alpha2: 5e-3, noiseSigma: 0 };

/**
 * A validation row holding a rewiring verdict: SDNR = theory × (1 + offset + 0.01·(seed − 2)).
 *
 * @param options the timestamp and a relative offset of every simulated SDNR (default −0.005)
 */
export function syntheticRewiringValidation(
  options: { timestamp?: string; offset?: number; id?: string } = {},
): ValidationRow {
  const offset = options.offset ?? -0.005;
  const measurements: RewiringScanMeasurement[] = [];
  for (const r of [100, 0]) {
    for (const t of [1000, 2000, 5000]) {
      const th = rewiringTheory(t, { ...CI_THEORY, rewiringPeriod: r });
      measurements.push({
        trainingPatterns: t,
        rewiringPeriod: r,
        seeds: [1, 2, 3].map((seed) => ({
          seed,
          sdnr: th.sdnr * (1 + offset + 0.01 * (seed - 2)),
          backgroundMean: th.backgroundMean,
          codingMean: th.codingMean,
          backgroundVariance: th.backgroundVariance,
        })),
      });
    }
  }
  const verdict = judgeRewiringScan(measurements, { theory: CI_THEORY });
  const timestamp = options.timestamp ?? "2026-01-02T00:00:00.000Z";
  return {
    id: options.id ?? `rewiring_validation_${timestamp}`,
    run_id: null,
    timestamp,
    model: "rewiring",
    scale: 0.2,
    passed: verdict.pass,
    verdict: {
      ...verdict,
      config: {
        backend: "cpu",
        adapter: { description: "CPU path (models/rewiring.ts, float64)" },
        seeds: [1, 2, 3],
        patterns: [1000, 2000, 5000],
        periods: [100, 0],
        testPatterns: 100,
        params: resolveRewiringModelParams({ ...CI_REWIRING_PARAMS, trainingPatterns: 5000 }),
        commit: "bbbbbbbbbbbb",
      },
      timing: { total_s: 118, train_s: 45, test_s: 73, patterns_per_s: 675 },
    },
  };
}

/**
 * A rewiring bench record at CI size (SDNR 1 % below the theory).
 *
 * @param options T, r, seed, timestamp
 */
export function syntheticRewiringRun(
  options: { patterns: number; period: number; seed?: number; timestamp?: string },
): BenchResult {
  const params = resolveRewiringModelParams({
    ...CI_REWIRING_PARAMS,
    trainingPatterns: options.patterns,
    rewiringPeriod: options.period,
    seed: options.seed ?? 55,
  });
  const theory = rewiringTheory(options.patterns, { ...CI_THEORY, rewiringPeriod: options.period })
    .sdnr;
  return {
    ...syntheticRun({
      model: "rewiring",
      params: { ...params, size: "ci" } as unknown as Record<string, unknown>,
      seed: options.seed ?? 55,
      drive: "none",
      scale: 0.2,
      k_scale: 0.2,
      record: false,
      neurons: 40_000,
      synapses: 20_000_000,
      t_presim_ms: 0,
      t_sim_ms: 0,
      rates_hz: {},
      spikes: 0,
      synaptic_events: 0,
      synaptic_events_per_s: 0,
      rtf: 0.004,
      timestamp: options.timestamp,
    }),
    training_patterns: options.patterns,
    test_patterns: 200,
    rewiring_period: options.period,
    sdnr: theory * 0.99,
    sdnr_theory: theory,
    train_s: options.patterns / 400,
    test_s: 7,
    patterns_per_s: 400,
  } as BenchResult;
}

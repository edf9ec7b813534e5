/** The one-screen text summary of a benchmark run. */
import type { BenchResult } from "./result_record.ts";

const fmt = (x: number, digits = 3) => Number.isFinite(x) ? x.toFixed(digits) : "—";
const sci = (x: number) => x.toExponential(2);

/** Formats `r` for a terminal (≤ 30 lines). */
export function formatSummary(
  r: BenchResult,
  paths: { result?: string; history?: string } = {},
): string {
  const p = r.phases;
  const a = r.adapter;
  const lines = [
    `spikebench · ${r.model} · scale ${r.scale} (K ${r.k_scale}) · ${r.drive} drive · seed ${r.seed} · ${r.backend}`,
    `adapter      ${a.description || a.device}${
      a.isFallbackAdapter ? "  [software fallback adapter]" : ""
    }`,
    `network      ${r.neurons.toLocaleString("en")} neurons, ${
      r.synapses.toLocaleString("en")
    } synapses, fixed point ${r.fixed_point_scale}/pA`,
    `construction ${fmt(r.construction_s)} s  (create ${fmt(p.create)}, connect ${
      fmt(p.connect)
    }, prepare ${fmt(p.prepare)}) + compile ${fmt(p.compile)} s`,
    `presimulate  ${r.t_presim_ms} ms in ${fmt(p.presimulate)} s`,
    `simulate     ${r.t_sim_ms} ms in ${fmt(p.simulate)} s  →  RTF ${fmt(r.rtf)}`,
    `activity     ${r.spikes.toLocaleString("en")} spikes, ${
      sci(r.synaptic_events)
    } synaptic events (${sci(r.synaptic_events_per_s)} /s wall)`,
    `memory       ${(r.gpu_bytes / 2 ** 20).toFixed(1)} MiB device buffers, peak RSS ${
      (r.peak_rss_bytes / 2 ** 20).toFixed(0)
    } MiB`,
  ];
  const names = Object.keys(r.rates_hz);
  if (names.length > 0) {
    const ref = r.reference?.rates_hz ?? {};
    lines.push("", `rates (Hz)   ours     NEST     ours/NEST`);
    for (const name of names) {
      const ours = r.rates_hz[name];
      const theirs = ref[name];
      const ratio = theirs ? fmt(ours / theirs, 2) : "—";
      lines.push(
        `  ${name.padEnd(9)}  ${fmt(ours).padStart(6)}   ${
          theirs === undefined ? "   —  " : fmt(theirs).padStart(6)
        }   ${ratio}`,
      );
    }
    lines.push(
      r.reference
        ? `  NEST: ${r.reference.source}`
        : "  (no NEST reference for this configuration)",
    );
  } else {
    lines.push("", "rates        not recorded (--no-record)");
  }
  lines.push(
    "",
    `spike digest ${r.spike_digest ? r.spike_digest.slice(0, 16) + "…" : "—"}  commit ${r.commit}`,
  );
  if (paths.result) lines.push(`result       ${paths.result}`);
  if (paths.history) lines.push(`history      ${paths.history}`);
  return lines.join("\n");
}

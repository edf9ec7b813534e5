/** Helpers on CSR-by-source connectivity shared by both backends. */
import type { Connectivity } from "./simulator_types.ts";

/** Sorts every row by (target, delay, weight) in place, so connectivities compare equal. */
export function sortRows(conn: Connectivity): Connectivity {
  const n = conn.rowStart.length - 1;
  for (let i = 0; i < n; i++) {
    const start = conn.rowStart[i];
    const end = conn.rowStart[i + 1];
    if (end - start < 2) continue;
    const order = Array.from({ length: end - start }, (_, j) => start + j);
    order.sort((a, b) =>
      conn.targets[a] - conn.targets[b] || conn.delaySteps[a] - conn.delaySteps[b] ||
      conn.weights[a] - conn.weights[b]
    );
    const t = order.map((j) => conn.targets[j]);
    const d = order.map((j) => conn.delaySteps[j]);
    const w = order.map((j) => conn.weights[j]);
    conn.targets.set(t, start);
    conn.delaySteps.set(d, start);
    conn.weights.set(w, start);
  }
  return conn;
}

/** Exclusive prefix sum of row lengths: row i spans [start[i], start[i+1]). */
export function rowStarts(counts: Uint32Array): Uint32Array {
  const start = new Uint32Array(counts.length + 1);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    start[i] = total;
    total += counts[i];
    if (total > 0xffffffff) throw new Error(`more than 2^32 − 1 synapses (${total})`);
  }
  start[counts.length] = total;
  return start;
}

/** True when two sorted connectivities hold the same synapses (fixed-point weights compared). */
export function connectivityEqual(a: Connectivity, b: Connectivity): boolean {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
  return a.scale === b.scale && same(a.rowStart, b.rowStart) && same(a.targets, b.targets) &&
    same(a.delaySteps, b.delaySteps) && same(a.weights, b.weights);
}

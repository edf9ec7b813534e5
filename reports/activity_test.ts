import assert from "node:assert/strict";
import { sampleActivity } from "./activity.ts";

const spikes = (name: string, size: number, list: [number, number][]) => ({
  name,
  size,
  senders: Uint32Array.from(list.map((s) => s[0])),
  timesMs: Float64Array.from(list.map((s) => s[1])),
});

Deno.test("rate traces count every neuron; the raster shows evenly spaced sampled neurons", () => {
  const e = spikes("E", 100, [[0, 100], [1, 101], [50, 104.9], [99, 105], [3, 99.9], [3, 110]]);
  const i = spikes("I", 10, [[9, 100]]);
  const a = sampleActivity([e, i], { tStartMs: 100, windowMs: 10, binMs: 5, maxNeurons: 22 });
  assert.deepEqual(a.windowMs, [100, 110]);
  assert.deepEqual(a.binStartsMs, [100, 105]);
  // E: round(100 · 22 / 110) = 20 of 100 (indices 0, 5, ... 95 → rows 0..19); I: at least 15,
  // so all 10 (rows 20..29).
  assert.deepEqual(a.populations.map((p) => [p.sampled, p.firstRow]), [[20, 0], [10, 20]]);
  assert.equal(a.rows, 30);
  // In the window [100, 110): E spikes at 100, 101, 104.9 (bin 0) and 105 (bin 1); 99.9 and
  // 110 are outside. Rate = count / (5 ms · 100 neurons) = count · 2 Hz.
  assert.deepEqual(a.populations[0].rateHz, [6, 2]);
  assert.equal(a.populations[0].spikesInWindow, 4);
  // Sampled E neurons: 0 (row 0) and 50 (row 10); 1 and 99 are not sampled.
  assert.deepEqual(a.populations[0].t, [100, 104.9]);
  assert.deepEqual(a.populations[0].row, [0, 10]);
  // I: every neuron is shown; neuron 9 is row 29.
  assert.deepEqual(a.populations[1].row, [29]);
  assert.deepEqual(a.populations[1].rateHz, [1000 / 50, 0]);
});

Deno.test("a bad window is rejected with the numbers", () => {
  assert.throws(() => sampleActivity([], { tStartMs: 0, windowMs: 0 }), /length > 0/);
  assert.throws(() => sampleActivity([], { tStartMs: 0, windowMs: 5, binMs: 10 }), /bin/);
});

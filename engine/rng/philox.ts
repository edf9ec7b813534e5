/**
 * Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"), the
 * counter-based generator behind every random number in the engine. The WGSL twin is
 * `philox.wgsl`; both must give identical words for the same (counter, key).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32 values, by 16-bit pieces (as in WGSL). */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const t = aHi * bLo + ((aLo * bLo) >>> 16);
  const u = aLo * bHi + (t & 0xffff);
  return (aHi * bHi + Math.floor(t / 65536) + Math.floor(u / 65536)) >>> 0;
}

/**
 * Philox4x32-10 of counter (c0..c3) and key (k0, k1); writes four u32 words into `out`.
 * `out` is reused by callers in hot loops to avoid allocation.
 */
export function philox4x32(
  counter: readonly [number, number, number, number],
  key: readonly [number, number],
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let c0 = counter[0] >>> 0, c1 = counter[1] >>> 0, c2 = counter[2] >>> 0, c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Maps a uniform u32 to [0, n) by multiply-high (bias ≤ n/2^32, negligible for n ≪ 2^32). */
export function uniformIndex(word: number, n: number): number {
  return mulhi32(word >>> 0, n >>> 0);
}

/** Stream identifiers: the second key word, so that each purpose draws independent numbers. */
export const STREAM = Object.freeze({
  /** Connection generation; the projection index is added. */
  connect: 0x10000,
  /** Initial membrane potentials. */
  v0: 0x20000,
  /** Poisson drive. */
  poisson: 0x30000,
  /** Current-generator samples; the generator index is added. */
  current: 0x40000,
  /** Per-target delays of current generators; the generator index is added. */
  currentDelay: 0x50000,
});

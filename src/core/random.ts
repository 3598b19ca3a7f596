/**
 * Seeded pseudo-random numbers for reproducible bootstraps and simulations.
 * Generator: mulberry32 (32-bit state; period 2^32) seeded through splitmix32 — small, fast and
 * adequate for resampling; not for cryptography.
 *
 * @module
 */

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Create a seeded uniform generator. The same seed gives the same sequence on every platform.
 *
 * @example
 * const rnd = seededRandom(42); rnd() === seededRandom(42)() //=> true
 */
export function seededRandom(seed: number): Random {
  // splitmix32 scramble of the seed so nearby seeds give unrelated streams.
  let z = (Math.trunc(seed) + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  let a = (z ^ (z >>> 16)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Uniform integer in [0, n) from a generator: ⌊rnd() · n⌋.
 *
 * @example
 * const k = randomInt(seededRandom(7), 6); k >= 0 && k < 6 && Number.isInteger(k) //=> true
 */
export function randomInt(rnd: Random, n: number): number {
  return Math.floor(rnd() * n);
}

/**
 * Simulate customer summaries from the BG/NBD process, for checking fits (parameter recovery),
 * planning sample sizes and benchmarks. Seeded and platform-independent.
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";
import { type Random, seededRandom } from "../core/random.js";
import type { BgNbdParams } from "./bg-nbd.js";

/** Options of {@link simulateBgNbd}. */
export interface SimulateBgNbdOptions {
  /** Number of customers (integer ≥ 0). */
  customers: number;
  /** Observation length T per customer: a number, or `[min, max]` drawn uniformly (cohorts of different age). */
  T: number | readonly [number, number];
  /** Seed of the generator (default 1). */
  seed?: number;
  /**
   * Round times to this grid (e.g. 1/7 for whole days when time is in weeks); `recency` and `T` are
   * floored to it, as a daily transaction log would give. Default: no rounding (continuous time).
   */
  resolution?: number;
}

/** Simulated summaries as columns. */
export interface SimulatedRfm {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

function normal(rnd: Random): number {
  let u = rnd();
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Gamma(shape k, scale 1) by Marsaglia & Tsang (2000), with the u^(1/k) boost for k < 1. */
export function sampleGamma(rnd: Random, k: number): number {
  if (k < 1) {
    let u = rnd();
    while (u === 0) u = rnd();
    return sampleGamma(rnd, k + 1) * u ** (1 / k);
  }
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  while (true) {
    const x = normal(rnd);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = rnd();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Draw customers from the BG/NBD process of Fader, Hardie & Lee (2005): λ ~ Gamma(r, rate α),
 * p ~ Beta(a, b); purchases arrive at rate λ from the first purchase at time 0; after each repeat
 * purchase the customer drops out with probability p. Returns (frequency, recency, T) per customer.
 *
 * @example
 * const sim = simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, { customers: 10_000, T: [27, 39], seed: 7 });
 * sim.frequency.length //=> 10000
 * fitBgNbd(sim).params //=> ≈ { r: 0.2, alpha: 3.8, a: 0.7, b: 2.0 }
 */
export function simulateBgNbd(params: BgNbdParams, options: SimulateBgNbdOptions): SimulatedRfm {
  const fn = "simulateBgNbd";
  const n = options.customers;
  if (!Number.isInteger(n) || n < 0) invalidOption(fn, "customers", "an integer ≥ 0", n);
  const [tMin, tMax] = typeof options.T === "number" ? [options.T, options.T] : options.T;
  if (!(tMin >= 0 && tMax >= tMin && Number.isFinite(tMax)))
    invalidOption(fn, "T", "a number ≥ 0 or [min, max] with 0 ≤ min ≤ max", options.T);
  const res = options.resolution;
  if (res !== undefined && !(res > 0 && Number.isFinite(res)))
    invalidOption(fn, "resolution", "a positive time step", res);
  const rnd = seededRandom(options.seed ?? 1);
  const { r, alpha, a, b } = params;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let Ti = tMin + (tMax - tMin) * rnd();
    if (res !== undefined) Ti = Math.floor(Ti / res) * res;
    const lambda = sampleGamma(rnd, r) / alpha;
    const ga = sampleGamma(rnd, a);
    const p = ga / (ga + sampleGamma(rnd, b));
    let t = 0;
    let x = 0;
    let tx = 0;
    while (lambda > 0) {
      let u = rnd();
      while (u === 0) u = rnd();
      t += -Math.log(u) / lambda;
      const tr = res !== undefined ? Math.floor(t / res) * res : t;
      if (tr > Ti) break;
      // on a grid, several purchases in one cell are one purchase (as same-day purchases merge)
      if (res === undefined || tr > tx || x === 0) {
        if (res !== undefined && tr === 0) continue;
        x++;
        tx = tr;
      }
      if (rnd() < p) break;
    }
    frequency[i] = x;
    recency[i] = tx;
    T[i] = Ti;
  }
  return { frequency, recency, T };
}

/**
 * parallelFold on Node worker_threads: the merged result equals `fold` on the whole input, errors
 * thrown in a worker come back with the index in the whole input, small inputs stay on the calling
 * thread. Workers load TypeScript sources here, so each worker first calls tsx's `register`
 * (the `preload` option); a built package needs no preload.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../src/core/accumulator.js";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  PARALLEL_THRESHOLD,
  createWorkerPool,
  parallelFold,
  parallelFoldState,
} from "../../src/parallel/index.js";
import { scaledSum } from "./fixture-accumulators.js";

const FIXTURE = new URL("./fixture-accumulators.ts", import.meta.url).href;
const preload = { module: "tsx/esm/api", accumulator: "register" };
const ref = { module: FIXTURE, accumulator: "scaledSum", args: [2] };
const opts = { workers: 2, threshold: 0, preload };

describe("parallelFold (worker_threads)", () => {
  it("Float64Array: equals fold on the whole input", async () => {
    const v = Float64Array.from({ length: 50_000 }, (_, i) => (i % 11) - 3);
    expect(await parallelFold(v, ref, opts)).toEqual(fold(v, scaledSum(2)));
  });

  it("Uint8Array and SharedArrayBuffer-backed input (shared as is)", async () => {
    const u = Uint8Array.from({ length: 30_001 }, (_, i) => i % 11);
    expect(await parallelFold(u, ref, opts)).toEqual(fold(u, scaledSum(2)));
    const sab = new Float64Array(new SharedArrayBuffer(8 * 20_000)).fill(1.5);
    expect(await parallelFold(sab, ref, { ...opts, workers: 3 })).toEqual({ sum: 60_000, n: 20_000 });
  });

  it("a view into a larger buffer reads only its own elements", async () => {
    const big = Float64Array.from({ length: 40_000 }, (_, i) => i);
    const view = big.subarray(10_000, 30_000);
    expect(await parallelFold(view, ref, opts)).toEqual(fold(view, scaledSum(2)));
  });

  it("plain arrays are sliced to the workers", async () => {
    const a = Array.from({ length: 20_000 }, (_, i) => i / 7);
    const r = (await parallelFold(a, ref, opts)) as { sum: number; n: number };
    expect(r.n).toBe(20_000);
    expect(Math.abs(r.sum - fold(a, scaledSum(2)).sum)).toBeLessThanOrEqual(1e-6);
  });

  it("returns the merged state with parallelFoldState", async () => {
    const v = new Float64Array(10_000).fill(1);
    expect(await parallelFoldState(v, ref, opts)).toEqual({ sum: 20_000, n: 10_000 });
  });

  it("re-throws a worker's InvalidInputError with the index in the whole input", async () => {
    const v = new Float64Array(40_000).fill(1);
    v[31_234] = Number.NaN;
    try {
      await parallelFold(v, ref, opts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).code).toBe("non_finite_value");
      expect((e as InvalidInputError).issues[0]!.index).toBe(31_234);
    }
  });

  it("below the threshold it folds on the calling thread (a failing preload is never loaded)", async () => {
    const v = new Float64Array(1000).fill(1);
    const bad = {
      module: "data:text/javascript,export function boom(){ throw new Error('worker started') }",
      accumulator: "boom",
    };
    expect(await parallelFold(v, ref, { workers: 2, preload: bad })).toEqual({ sum: 2000, n: 1000 });
    expect(await parallelFold(v, ref, { workers: 1, threshold: 0, preload: bad })).toEqual({
      sum: 2000,
      n: 1000,
    });
    expect(PARALLEL_THRESHOLD).toBeGreaterThan(100_000);
  });

  it("bad options: invalid_option", async () => {
    const v = new Float64Array(10);
    await expect(parallelFold(v, ref, { workers: -1 })).rejects.toMatchObject({ code: "invalid_option" });
    await expect(parallelFold(v, { module: FIXTURE, accumulator: "nope" }, opts)).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(parallelFold(42 as unknown as Float64Array, ref, opts)).rejects.toMatchObject({
      code: "invalid_option",
    });
  });

  it("property: any split into 1–3 workers equals fold (integer values: exact)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2048, maxLength: 6000 }),
        fc.integer({ min: 1, max: 3 }),
        async (xs, workers) => {
          const v = Float64Array.from(xs);
          expect(await parallelFold(v, ref, { ...opts, workers })).toEqual(fold(v, scaledSum(2)));
        },
      ),
      { seed: 42, numRuns: 6 },
    );
  }, 30_000);
});

describe("createWorkerPool", () => {
  it("folds repeatedly on long-lived workers; equals fold; errors keep the pool usable", async () => {
    const pool = await createWorkerPool({ workers: 2, preload });
    try {
      expect(pool.size).toBe(2);
      for (const n of [5000, 20_000]) {
        const v = Float64Array.from({ length: n }, (_, i) => i % 13);
        expect(await pool.fold(v, ref, { threshold: 0 })).toEqual(fold(v, scaledSum(2)));
      }
      const bad = new Float64Array(10_000).fill(1);
      bad[9000] = Number.POSITIVE_INFINITY;
      await expect(pool.fold(bad, ref, { threshold: 0 })).rejects.toMatchObject({ code: "non_finite_value" });
      const [a, b] = await Promise.all([
        pool.foldState(new Float64Array(8000).fill(1), ref, { threshold: 0 }),
        pool.foldState(new Float64Array(6000).fill(2), ref, { threshold: 0 }),
      ]);
      expect([a, b]).toEqual([
        { sum: 16_000, n: 8000 },
        { sum: 24_000, n: 6000 },
      ]);
    } finally {
      await pool.close();
    }
    await expect(pool.fold(new Float64Array(5000), ref, { threshold: 0 })).rejects.toMatchObject({
      code: "invalid_option",
    });
  });
});

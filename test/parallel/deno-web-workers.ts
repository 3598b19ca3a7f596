/**
 * Run by web-workers.test.ts under Deno (`deno run --unstable-sloppy-imports`): parallelFold and a
 * worker pool on Web Workers (Deno has `globalThis.Worker`, so the Web Worker path is taken).
 * Prints one JSON line with the results.
 */
import { createWorkerPool, parallelFold } from "../../src/parallel/index.js";

const ref = {
  module: new URL("./fixture-accumulators.ts", import.meta.url).href,
  accumulator: "scaledSum",
  args: [2],
};
const v = new Float64Array(50_000).fill(1);
v[3] = 5;
const out: Record<string, unknown> = { runtime: "Deno" in globalThis ? "deno" : "other" };
out.fold = await parallelFold(v, ref, { workers: 2, threshold: 0 });
const bad = new Float64Array(50_000).fill(1);
bad[40_000] = Number.NaN;
try {
  await parallelFold(bad, ref, { workers: 2, threshold: 0 });
} catch (e) {
  const err = e as { name: string; code: string; issues?: { index: number }[] };
  out.error = { name: err.name, code: err.code, index: err.issues?.[0]?.index };
}
const pool = await createWorkerPool({ workers: 2 });
out.pool = [
  await pool.fold(v, ref, { threshold: 0 }),
  await pool.fold(
    Array.from({ length: 5000 }, (_, i) => i),
    ref,
    { threshold: 0 },
  ),
];
await pool.close();
console.log(JSON.stringify(out));

/**
 * Streaming folds: the same accumulators over async iterables (file streams, database cursors,
 * paginated APIs), in bounded memory.
 *
 * @module
 */
import type { Accumulator } from "./accumulator.js";

/**
 * Fold an async (or sync) iterable into an accumulator and return its result.
 *
 * @example
 * async function* readScores() { yield 10; yield 9; yield 3; }
 * (await foldAsync(readScores(), momentsAccumulator())).mean //=> 7.33…
 */
export async function foldAsync<In, S, Out>(
  values: AsyncIterable<In> | Iterable<In>,
  acc: Accumulator<In, S, Out>,
): Promise<Out> {
  return acc.result(await foldStateAsync(values, acc));
}

/**
 * Like {@link foldAsync} but returns the state, for merging.
 *
 * @example
 * (await foldStateAsync([1, 2, 3], momentsAccumulator())).n //=> 3
 */
export async function foldStateAsync<In, S, Out>(
  values: AsyncIterable<In> | Iterable<In>,
  acc: Accumulator<In, S, Out>,
): Promise<S> {
  let state = acc.init();
  let i = 0;
  for await (const x of values) state = acc.add(state, x, i++);
  return state;
}

/**
 * Group an async iterable by key into a `Map` of results (insertion order of first appearance).
 *
 * @example
 * const byParity = await groupByAsync([1, 2, 3, 4], (x) => (x % 2 === 0 ? "even" : "odd"), momentsAccumulator());
 * byParity.get("odd")?.mean //=> 2
 */
export async function groupByAsync<T, K, S, Out>(
  rows: AsyncIterable<T> | Iterable<T>,
  key: (row: T, index: number) => K,
  acc: Accumulator<T, S, Out>,
): Promise<Map<K, Out>> {
  const states = new Map<K, S>();
  let i = 0;
  for await (const row of rows) {
    const k = key(row, i);
    const s = states.get(k) ?? acc.init();
    states.set(k, acc.add(s, row, i));
    i++;
  }
  const out = new Map<K, Out>();
  for (const [k, s] of states) out.set(k, acc.result(s));
  return out;
}

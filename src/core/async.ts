/**
 * Streaming folds: the same accumulators over async iterables (file streams, database cursors,
 * paginated APIs), in bounded memory.
 *
 * @module
 */
import { type Accumulator, type GroupByOptions, compareKeys } from "./accumulator.js";
import { type ByPeriodOptions, type PeriodResult, resolveByPeriod, rowInstant } from "./by-period.js";
import { StreamingPeriods } from "./streaming-periods.js";

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
 * Group an async iterable by key into a `Map` of results — `groupBy` for streams, with the same
 * options (`order: "key"` for code-point key order, `keys` to list groups with no rows). Keys go into
 * a `Map`, so a segment named `__proto__` is plain data.
 *
 * @example
 * const byParity = await groupByAsync([1, 2, 3, 4], (x) => (x % 2 === 0 ? "even" : "odd"), momentsAccumulator());
 * byParity.get("odd")?.mean //=> 2
 */
export async function groupByAsync<T, K, S, Out>(
  rows: AsyncIterable<T> | Iterable<T>,
  key: (row: T, index: number) => K,
  acc: Accumulator<T, S, Out>,
  options?: GroupByOptions<K>,
): Promise<Map<K, Out>> {
  const states = await groupByStateAsync(rows, key, acc, options);
  const out = new Map<K, Out>();
  for (const [k, s] of states) out.set(k, acc.result(s));
  return out;
}

/**
 * Like {@link groupByAsync} but returns the states, for merging.
 *
 * @example
 * (await groupByStateAsync([1, 2, 3], (x) => x % 2, momentsAccumulator())).get(1)?.n //=> 2
 */
export async function groupByStateAsync<T, K, S, Out>(
  rows: AsyncIterable<T> | Iterable<T>,
  key: (row: T, index: number) => K,
  acc: Accumulator<T, S, Out>,
  options?: GroupByOptions<K>,
): Promise<Map<K, S>> {
  const states = new Map<K, S>();
  if (options?.keys) for (const k of options.keys) states.set(k, acc.init());
  let i = 0;
  for await (const row of rows) {
    const k = key(row, i);
    let s = states.get(k);
    if (s === undefined) {
      s = acc.init();
      states.set(k, s);
    }
    const next = acc.add(s, row, i);
    if (next !== s) states.set(k, next);
    i++;
  }
  if (options?.order === "key") return new Map([...states].sort((a, b) => compareKeys(a[0], b[0])));
  return states;
}

/**
 * Fold an async iterable per calendar period — `byPeriod` for streams, in one pass and bounded
 * memory (one state per period seen). The result equals `byPeriod` on the same rows: every period
 * from the first to the last present (or `from`/`to`), empty ones included, half-open local periods
 * in `timeZone`; rows outside an explicit `from`/`to` are left out. One difference: `byPeriod` reads
 * every instant before folding, so a bad instant is reported before any error the accumulator
 * raises; here rows are checked in order.
 *
 * @throws {InvalidInputError} `invalid_time` naming the row; `invalid_option` (period, timeZone,
 *   weekStartsOn, from after to).
 * @example
 * async function* rows() {
 *   yield { at: "2026-01-31T23:30:00Z", nps: 10 }; // February in Berlin
 *   yield { at: "2026-04-02T10:00:00Z", nps: 3 };
 * }
 * const series = await byPeriodAsync(rows(), { at: (r) => r.at, period: "month", timeZone: "Europe/Berlin" },
 *   mapInput(npsAccumulator(), (r) => r.nps));
 * series.map((p) => [p.label, p.result.n]) //=> [["2026-02", 1], ["2026-03", 0], ["2026-04", 1]]
 */
export async function byPeriodAsync<T, S, Out>(
  rows: AsyncIterable<T> | Iterable<T>,
  options: ByPeriodOptions<T>,
  acc: Accumulator<T, S, Out>,
): Promise<PeriodResult<Out>[]> {
  const states = await byPeriodStateAsync(rows, options, acc);
  return states.map((p) => ({ start: p.start, end: p.end, label: p.label, result: acc.result(p.state) }));
}

/**
 * Like {@link byPeriodAsync} but returns the states, for merging.
 *
 * @example
 * (await byPeriodStateAsync([{ at: "2026-01-05T00:00:00Z", x: 1 }], { at: (r) => r.at, period: "year" },
 *   mapInput(momentsAccumulator(), (r) => r.x))).map((p) => [p.label, p.state.n]) //=> [["2026", 1]]
 */
export async function byPeriodStateAsync<T, S, Out>(
  rows: AsyncIterable<T> | Iterable<T>,
  options: ByPeriodOptions<T>,
  acc: Accumulator<T, S, Out>,
): Promise<{ start: Date; end: Date; label: string; state: S }[]> {
  const fn = "byPeriodAsync";
  const { period, cal, from, to } = resolveByPeriod(fn, options);
  const periods = new StreamingPeriods(acc, period, cal);
  let i = 0;
  for await (const row of rows) {
    periods.add(rowInstant(fn, options, row, i), row, i);
    i++;
  }
  return periods.periodStates({
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  });
}

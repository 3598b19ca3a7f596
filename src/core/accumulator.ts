/**
 * The one shape every aggregate in cxmetrics has: a mergeable state (Beam's CombineFn,
 * Algebird's Aggregator). From one definition come the array function, group-by, period series,
 * streaming and parallel evaluation, and SQL pushdown.
 *
 * @module
 */

/**
 * A mergeable aggregate.
 *
 * Laws (property-tested for every accumulator in the library):
 * - `merge` is associative and commutative on results: `result(merge(a, b)) = result(merge(b, a))`;
 * - `merge(init(), s)` equals `s`;
 * - folding parts and merging equals folding the concatenation.
 *
 * States are plain JSON-serialisable data so they cross worker, process and service boundaries.
 * `add` and `merge` may mutate and return their first argument; never share a state you still need.
 */
export interface Accumulator<In, State, Out> {
  /** A fresh, empty state. */
  init(): State;
  /** Fold one observation into the state; `index` is the observation's position, for error messages. */
  add(state: State, x: In, index: number): State;
  /** Combine two states (may mutate and return `a`). */
  merge(a: State, b: State): State;
  /** The rich result for a state. Does not mutate the state. */
  result(state: State): Out;
}

/** Input type of an accumulator (`AccumulatorInput<typeof acc>`). */
// biome-ignore lint/suspicious/noExplicitAny: inference over any accumulator
export type AccumulatorInput<A> = A extends Accumulator<infer I, any, any> ? I : never;
/** State type of an accumulator (what `init`, `add` and `merge` return). */
// biome-ignore lint/suspicious/noExplicitAny: inference over any accumulator
export type AccumulatorState<A> = A extends Accumulator<any, infer S, any> ? S : never;
/** Output type of an accumulator (what `result` returns). */
// biome-ignore lint/suspicious/noExplicitAny: inference over any accumulator
export type AccumulatorOutput<A> = A extends Accumulator<any, any, infer O> ? O : never;

/**
 * Fold values (an array, typed array, or any iterable) into an accumulator's state and return its result.
 *
 * @example
 * fold([10, 9, 3], npsAccumulator()).score //=> 33.33…
 */
export function fold<In, S, Out>(values: Iterable<In> | ArrayLike<In>, acc: Accumulator<In, S, Out>): Out {
  return acc.result(foldState(values, acc));
}

/**
 * Like {@link fold} but returns the state, for merging later.
 *
 * @example
 * foldState([1, 2, 3], momentsAccumulator()).n //=> 3
 */
export function foldState<In, S, Out>(values: Iterable<In> | ArrayLike<In>, acc: Accumulator<In, S, Out>): S {
  let state = acc.init();
  if (isArrayLike(values)) {
    for (let i = 0; i < values.length; i++) state = acc.add(state, values[i] as In, i);
  } else {
    let i = 0;
    for (const x of values) state = acc.add(state, x, i++);
  }
  return state;
}

/**
 * Merge any number of states (left fold over `merge`, starting from `init()`).
 *
 * @example
 * const acc = momentsAccumulator();
 * acc.result(mergeStates(acc, [foldState([1, 2], acc), foldState([3, 4], acc)])).mean //=> 2.5
 */
export function mergeStates<In, S, Out>(acc: Accumulator<In, S, Out>, states: Iterable<S>): S {
  let out = acc.init();
  for (const s of states) out = acc.merge(out, s);
  return out;
}

/**
 * Map an accumulator's input: `mapInput(npsAccumulator(), (r) => r.nps)` folds records.
 * The mapper receives the record and its index.
 *
 * @example
 * fold([{ score: 4 }, { score: 6 }], mapInput(momentsAccumulator(), (r: { score: number }) => r.score)).mean //=> 5
 */
export function mapInput<T, In, S, Out>(
  acc: Accumulator<In, S, Out>,
  f: (row: T, index: number) => In,
): Accumulator<T, S, Out> {
  return {
    init: () => acc.init(),
    add: (s, row, i) => acc.add(s, f(row, i), i),
    merge: (a, b) => acc.merge(a, b),
    result: (s) => acc.result(s),
  };
}

/** Options for {@link groupBy}. */
export interface GroupByOptions<K> {
  /** Order of the returned Map: `"firstSeen"` (default) or `"key"` (code-point order for strings, numeric for numbers). */
  order?: "firstSeen" | "key";
  /** Keys to include even when no row has them (their result is the accumulator's empty result). */
  keys?: Iterable<K>;
}

/**
 * Fold rows per group. Keys go into a `Map` (so a segment named `__proto__` is plain data).
 * The accumulator receives the whole row; use {@link mapInput} to pick a field.
 * The index passed to `add` is the row's index in the whole input.
 *
 * @example
 * const rows = [{ segment: "smb", nps: 10 }, { segment: "ent", nps: 3 }, { segment: "smb", nps: 9 }];
 * const bySegment = groupBy(rows, (r) => r.segment, mapInput(npsAccumulator(), (r) => r.nps));
 * [...bySegment.keys()] //=> ["smb", "ent"]
 * bySegment.get("smb")?.score //=> 100
 */
export function groupBy<T, K, S, Out>(
  rows: Iterable<T> | ArrayLike<T>,
  key: (row: T, index: number) => K,
  acc: Accumulator<T, S, Out>,
  options?: GroupByOptions<K>,
): Map<K, Out> {
  const states = groupByState(rows, key, acc, options);
  const out = new Map<K, Out>();
  for (const [k, s] of states) out.set(k, acc.result(s));
  return out;
}

/**
 * Like {@link groupBy} but returns the states, for merging later.
 *
 * @example
 * groupByState([1, 2, 3], (x) => x % 2, momentsAccumulator()).get(1)?.n //=> 2
 */
export function groupByState<T, K, S, Out>(
  rows: Iterable<T> | ArrayLike<T>,
  key: (row: T, index: number) => K,
  acc: Accumulator<T, S, Out>,
  options?: GroupByOptions<K>,
): Map<K, S> {
  const states = new Map<K, S>();
  if (options?.keys) for (const k of options.keys) states.set(k, acc.init());
  const visit = (row: T, i: number) => {
    const k = key(row, i);
    let s = states.get(k);
    if (s === undefined) {
      s = acc.init();
      states.set(k, s);
    }
    const next = acc.add(s, row, i);
    if (next !== s) states.set(k, next);
  };
  if (isArrayLike(rows)) for (let i = 0; i < rows.length; i++) visit(rows[i] as T, i);
  else {
    let i = 0;
    for (const r of rows) visit(r, i++);
  }
  if (options?.order === "key") return new Map([...states].sort((a, b) => compareKeys(a[0], b[0])));
  return states;
}

/**
 * Code-point order for strings (not locale order), numeric for numbers, strings before others.
 *
 * @example
 * ["b", "a", "B"].sort(compareKeys) //=> ["B", "a", "b"]
 */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = typeof a === "string" ? a : JSON.stringify(a);
  const sb = typeof b === "string" ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * A stable composite key for multi-key groups: JSON of the parts (`["smb","2026-03"]`).
 *
 * @example
 * compositeKey("smb", "2026-03") //=> '["smb","2026-03"]'
 */
export function compositeKey(...parts: (string | number | boolean | null)[]): string {
  return JSON.stringify(parts);
}

/**
 * True for arrays, typed arrays and other objects with a numeric `length` that are not strings.
 *
 * @example
 * isArrayLike(new Float64Array(2)) //=> true
 * isArrayLike(new Set([1])) //=> false
 */
export function isArrayLike<T>(x: Iterable<T> | ArrayLike<T>): x is ArrayLike<T> {
  return typeof x === "object" && x !== null && typeof (x as ArrayLike<T>).length === "number";
}

// biome-ignore lint/suspicious/noExplicitAny: states and outputs of the parts are inferred per key
type AnyAccumulator<In> = Accumulator<In, any, any>;

/**
 * Run several accumulators over the same input in one pass (Algebird's product aggregator):
 * `combine({ nps: mapInput(npsAccumulator(), (r) => r.nps), csat: … })` folds rows into
 * `{ nps: NpsResult, csat: CsatResult }`. The state is an object of the parts' states.
 *
 * @example
 * const rows = [{ nps: 10, wait: 3 }, { nps: 6, wait: 5 }];
 * const both = combine({
 *   nps: mapInput(npsAccumulator(), (r: { nps: number; wait: number }) => r.nps),
 *   wait: mapInput(momentsAccumulator(), (r: { nps: number; wait: number }) => r.wait),
 * });
 * const out = fold(rows, both);
 * [out.nps.score, out.wait.mean] //=> [0, 4]
 */
export function combine<In, A extends Record<string, AnyAccumulator<In>>>(
  parts: A & Record<string, AnyAccumulator<In>>,
): Accumulator<In, { [K in keyof A]: AccumulatorState<A[K]> }, { [K in keyof A]: AccumulatorOutput<A[K]> }> {
  const keys = Object.keys(parts) as (keyof A & string)[];
  type S = { [K in keyof A]: AccumulatorState<A[K]> };
  type O = { [K in keyof A]: AccumulatorOutput<A[K]> };
  const each = <R>(f: (k: keyof A & string, acc: Accumulator<In, unknown, unknown>) => R) => {
    const out: Record<string, R> = {};
    for (const k of keys) out[k] = f(k, parts[k]!);
    return out;
  };
  return {
    init: () => each((_, acc) => acc.init()) as S,
    add: (s, x, i) => {
      for (const k of keys)
        (s as Record<string, unknown>)[k] = parts[k]!.add((s as Record<string, unknown>)[k], x, i);
      return s;
    },
    merge: (a, b) => {
      for (const k of keys)
        (a as Record<string, unknown>)[k] = parts[k]!.merge(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
        );
      return a;
    },
    result: (s) => each((k, acc) => acc.result((s as Record<string, unknown>)[k])) as O,
  };
}

/**
 * Brand awareness pushed down: the respondent counts of `brandAwarenessAccumulator` (unaided,
 * aided = total awareness, top-of-mind) counted by the engine from BOOLEAN answer columns.
 *
 * @module
 */
import { InvalidInputError } from "../core/errors.js";
import {
  type BrandAwarenessOptions,
  type BrandAwarenessResult,
  type BrandAwarenessState,
  brandAwarenessAccumulator,
} from "../acquisition/brand-awareness.js";
import { bigintCast, countIf } from "./dialect.js";
import { type AggregateSqlMetric, countValue } from "./metric.js";

/**
 * Brand awareness as SQL: the state of `brandAwarenessAccumulator(options)` counted by the engine and
 * finalised by its own `result` — the same object as folding the responses in memory (with `by` /
 * `period` through `runMetric`).
 *
 * Per respondent (one row), as in memory: top-of-mind implies unaided, and an unaided recaller is aware
 * in the aided (total) sense: unaided = `u OR t`, aided = `u OR t OR a`, top-of-mind = `t`. Columns are
 * BOOLEAN answers (roles `unaided`, `aided`, default columns `unaided`, `aided`); with
 * `topOfMind: true` the metric also reads `top_of_mind` (a NULL there = not asked of that respondent,
 * as an absent `topOfMind` is in memory; the top-of-mind share is reported when any row has it).
 * Dialects: all six.
 *
 * @throws {InvalidInputError} from the finaliser `invalid_type` when `unaided` or `aided` is NULL (in
 *   memory: not true or false), with the count and the group.
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const byMonth = await runMetric(duckdbEngine(con), brandAwarenessSql({ topOfMind: true }), {
 *   table: readParquet("awareness.parquet"), columns: { at: "answered_at" }, period: "month" });
 * byMonth[0]?.result.aided.share
 */
export function brandAwarenessSql(
  options?: Omit<BrandAwarenessOptions, "aidedIncludesUnaided"> & { topOfMind?: boolean },
): AggregateSqlMetric<BrandAwarenessState, BrandAwarenessResult> {
  const { topOfMind = false, ...accOptions } = options ?? {};
  const acc = brandAwarenessAccumulator(accOptions);
  return {
    kind: "aggregate",
    name: "brandAwareness",
    inputs: topOfMind
      ? { unaided: "unaided", aided: "aided", topOfMind: "top_of_mind" }
      : { unaided: "unaided", aided: "aided" },
    aggregates(d, input) {
      const u = input("unaided");
      const a = input("aided");
      const yes = (x: string) => `coalesce(${x}, FALSE)`;
      const t = topOfMind ? yes(input("topOfMind")) : "FALSE";
      const count = (alias: string, cond: string) => ({ alias, sql: bigintCast(d, countIf(d, cond)) });
      return [
        count("null_unaided", `${u} IS NULL`),
        count("null_aided", `${a} IS NULL`),
        count("b_unaided", `${yes(u)} OR ${t}`),
        count("b_aided", `${yes(u)} OR ${t} OR ${yes(a)}`),
        count("b_top", t),
        count("b_asked", topOfMind ? `${input("topOfMind")} IS NOT NULL` : "FALSE"),
      ];
    },
    state(row, where) {
      const issues = (["unaided", "aided"] as const).flatMap((k) => {
        const c = countValue(row[`null_${k}`], `null_${k}`);
        return c === 0
          ? []
          : [
              {
                index: null,
                path: [k],
                code: "invalid_type" as const,
                message: `${c} ${k} answer(s)${where} are NULL; expected true or false`,
              },
            ];
      });
      if (issues.length > 0)
        throw new InvalidInputError(issues, { context: "brandAwareness (sql)", code: "invalid_type" });
      return {
        respondents: countValue(row.n_rows, "n_rows"),
        unaided: countValue(row.b_unaided, "b_unaided"),
        aided: countValue(row.b_aided, "b_aided"),
        topOfMind: countValue(row.b_top, "b_top"),
        topOfMindAsked: countValue(row.b_asked, "b_asked") > 0,
      };
    },
    accumulator: acc,
  };
}

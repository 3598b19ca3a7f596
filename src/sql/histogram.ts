/**
 * Score metrics on a bounded integer scale (NPS 0–10, CSAT 1–5, CES 1–7) pushed down as a
 * histogram: one `count` per scale point, plus the missing and invalid counts. From the histogram the
 * finaliser rebuilds the accumulator's state and calls its `result`.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { InvalidInputError, invalidOption } from "../core/errors.js";
import { type Dialect, bigintCast, countIf } from "./dialect.js";
import { type AggregateSqlMetric, type SqlAggregate, countValue } from "./metric.js";

/** Counts per scale point (`counts[k]` for the score `min + k`), missing values and invalid values. */
export interface ScoreHistogram {
  min: number;
  max: number;
  counts: number[];
  missing: number;
}

/** How missing (NULL) scores are treated: `"throw"` (default, like the in-memory functions) or `"omit"`. */
export type MissingPolicy = "throw" | "omit";

/**
 * The aggregate expressions of a score histogram: `n_missing` (NULL scores), `n_invalid` (not an
 * integer in `[min, max]`: out of range, fractional, NaN or ±Infinity) and `c_<k>` (count of score k).
 *
 * @example
 * histogramAggregates("postgres", '"in_value"', 0, 2).map((a) => a.sql)
 * //=> ['CAST(count(*) FILTER (WHERE "in_value" IS NULL) AS BIGINT)', …, 'CAST(count(*) FILTER (WHERE "in_value" = 2) AS BIGINT)']
 */
export function histogramAggregates(
  dialect: Dialect,
  value: string,
  min: number,
  max: number,
): SqlAggregate[] {
  const out: SqlAggregate[] = [
    { alias: "n_missing", sql: bigintCast(dialect, countIf(dialect, `${value} IS NULL`)) },
    {
      alias: "n_invalid",
      sql: bigintCast(
        dialect,
        countIf(
          dialect,
          `${value} IS NOT NULL AND NOT (${value} >= ${min} AND ${value} <= ${max} AND ${value} = floor(${value}))`,
        ),
      ),
    },
  ];
  for (let k = min; k <= max; k++)
    out.push({ alias: `c_${k - min}`, sql: bigintCast(dialect, countIf(dialect, `${value} = ${k}`)) });
  return out;
}

/**
 * Throw for invalid scores (`out_of_range`) and, unless omitted, missing ones (`missing_value`),
 * naming the column role and the group (no row index: the engine only counted them).
 */
export function checkScoreCounts(
  name: string,
  invalid: number,
  nMissing: number,
  missing: MissingPolicy,
  min: number,
  max: number,
  where: string,
): void {
  if (invalid > 0) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["value"],
          code: "out_of_range",
          message: `${invalid} score(s)${where} are not integers from ${min} to ${max}`,
        },
      ],
      { context: `${name} (sql)`, code: "out_of_range" },
    );
  }
  if (nMissing > 0 && missing === "throw") {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["value"],
          code: "missing_value",
          message: `${nMissing} score(s)${where} are NULL; pass missing: "omit" to skip them`,
        },
      ],
      { context: `${name} (sql)`, code: "missing_value" },
    );
  }
}

/** Read a histogram from a result row; throws for invalid or (unless omitted) missing scores. */
export function readHistogram(
  name: string,
  row: Readonly<Record<string, unknown>>,
  min: number,
  max: number,
  missing: MissingPolicy,
  where: string,
): ScoreHistogram {
  const nMissing = countValue(row.n_missing, "n_missing");
  checkScoreCounts(name, countValue(row.n_invalid, "n_invalid"), nMissing, missing, min, max, where);
  const counts: number[] = [];
  for (let k = min; k <= max; k++) counts.push(countValue(row[`c_${k - min}`], `c_${k - min}`));
  return { min, max, counts, missing: nMissing };
}

/**
 * A score metric as histogram aggregates, with a finaliser `toState(histogram)` that builds the
 * accumulator's state.
 */
export function histogramMetric<S, Out>(spec: {
  name: string;
  column: string;
  min: number;
  max: number;
  missing: MissingPolicy;
  accumulator: Accumulator<never, S, Out>;
  toState: (h: ScoreHistogram) => S;
}): AggregateSqlMetric<S, Out> {
  const { name, min, max, missing } = spec;
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 100) {
    invalidOption(name, "scale", "integer bounds with at most 101 points", `${min}–${max}`);
  }
  if (missing !== "throw" && missing !== "omit") invalidOption(name, "missing", '"throw" or "omit"', missing);
  return {
    kind: "aggregate",
    name,
    inputs: { value: spec.column },
    aggregates: (dialect, input) => histogramAggregates(dialect, input("value"), min, max),
    state: (row, where) => spec.toState(readHistogram(name, row, min, max, missing, where)),
    accumulator: spec.accumulator,
  };
}

/**
 * Survey scores pushed down: NPS (and eNPS), CSAT and CES as SQL aggregates of their accumulator
 * states, finalised by the survey accumulators' own `result`.
 *
 * - NPS state `{ promoters, passives, detractors, missing }`: `count_if(v >= 9)`, `count_if(v <= 6)`,
 *   passives = rows − missing − promoters − detractors, plus the missing and invalid counts.
 * - CSAT / CES state `{ min, max, counts, missing }`: one `count_if(v = k)` per scale point.
 *
 * Intervals are the analytic ones (Wald, adjusted Wald; Wilson, Agresti–Coull, Clopper–Pearson,
 * Jeffreys, Wald; Student t for means): they need only the counts. The NPS bootstrap needs the rows
 * and is refused (`invalid_option`).
 *
 * @module
 */
import { InvalidInputError, invalidOption } from "../core/errors.js";
import { type CesOptions, type CesResult, cesAccumulator } from "../survey/ces.js";
import { type CsatOptions, type CsatResult, csatAccumulator } from "../survey/csat.js";
import { enpsAccumulator } from "../survey/enps.js";
import { type NpsOptions, type NpsResult, type NpsState, npsAccumulator } from "../survey/nps.js";
import type { RatingState } from "../survey/rating-scale.js";
import { bigintCast, countIf } from "./dialect.js";
import { checkScoreCounts, histogramMetric } from "./histogram.js";
import { type AggregateSqlMetric, countValue } from "./metric.js";

/** Options of the survey SQL metrics: the accumulator's options plus the default score column. */
export interface ScoreColumnOption {
  /** Default column of the score (override per query with `columns: { value }`). */
  column?: string;
}

function checkMissing(fn: string, missing: unknown): "throw" | "omit" {
  const m = missing ?? "throw";
  if (m !== "throw" && m !== "omit") invalidOption(fn, "missing", '"throw" or "omit"', m);
  return m as "throw" | "omit";
}

/**
 * NPS as SQL: the aggregates of {@link NpsState} and the finaliser `npsAccumulator(options).result`.
 * Same result object as `nps` / `npsAccumulator` on the same scores (counts are exact, so the score,
 * shares, variance, standard error and interval are the same floats).
 *
 * Aggregates (DuckDB shown): `count_if(v IS NULL)` (missing), `count_if(v IS NOT NULL AND NOT (v >= 0
 * AND v <= 10 AND v = floor(v)))` (invalid: throws `out_of_range` naming the group), `count_if(v >= 9)`
 * (promoters), `count_if(v <= 6)` (detractors); passives = `count(*)` − the others.
 *
 * @throws {InvalidInputError} `invalid_option` for `ci: "bootstrap"` (it resamples rows; compute it in
 *   memory) and bad options; from the finaliser `out_of_range` (scores outside 0–10 or fractional) and
 *   `missing_value` (NULL scores unless `missing: "omit"`), without a row index.
 * @example
 * const bySegment = await runMetric(duckdbEngine(con), npsSql({ ci: "adjustedWald" }), {
 *   table: readCsv("responses.csv"), columns: { value: "nps" }, by: "segment" });
 * bySegment.get("smb")?.ci
 */
export function npsSql(options?: NpsOptions & ScoreColumnOption): AggregateSqlMetric<NpsState, NpsResult> {
  return npsLike("nps", options, (o) => npsAccumulator(o));
}

/** eNPS as SQL (the NPS computation on employee answers); see {@link npsSql}. */
export function enpsSql(options?: NpsOptions & ScoreColumnOption): AggregateSqlMetric<NpsState, NpsResult> {
  return npsLike("enps", options, (o) => enpsAccumulator(o));
}

function npsLike(
  name: string,
  options: (NpsOptions & ScoreColumnOption) | undefined,
  make: (o: NpsOptions) => ReturnType<typeof npsAccumulator>,
): AggregateSqlMetric<NpsState, NpsResult> {
  const fn = `${name}Sql`;
  if (options?.ci === "bootstrap") {
    invalidOption(
      fn,
      "ci",
      '"wald" or "adjustedWald" (the bootstrap resamples rows; compute it in memory)',
      options.ci,
    );
  }
  const { column, ...accOptions } = options ?? {};
  const acc = make(accOptions);
  const missing = checkMissing(fn, options?.missing);
  return {
    kind: "aggregate",
    name,
    inputs: { value: column ?? "nps" },
    aggregates(d, input) {
      const v = input("value");
      return [
        { alias: "n_missing", sql: bigintCast(d, countIf(d, `${v} IS NULL`)) },
        {
          alias: "n_invalid",
          sql: bigintCast(
            d,
            countIf(d, `${v} IS NOT NULL AND NOT (${v} >= 0 AND ${v} <= 10 AND ${v} = floor(${v}))`),
          ),
        },
        { alias: "promoters", sql: bigintCast(d, countIf(d, `${v} >= 9`)) },
        { alias: "detractors", sql: bigintCast(d, countIf(d, `${v} <= 6`)) },
      ];
    },
    state(row, where) {
      const invalid = countValue(row.n_invalid, "n_invalid");
      const nMissing = countValue(row.n_missing, "n_missing");
      checkScoreCounts(name, invalid, nMissing, missing, 0, 10, where);
      const rows = countValue(row.n_rows, "n_rows");
      const promoters = countValue(row.promoters, "promoters");
      const detractors = countValue(row.detractors, "detractors");
      const passives = rows - nMissing - promoters - detractors;
      if (passives < 0) {
        throw new InvalidInputError(
          [{ index: null, path: ["value"], code: "invalid_type", message: `inconsistent counts${where}` }],
          { context: `${name} (sql)` },
        );
      }
      return { promoters, passives, detractors, missing: nMissing };
    },
    accumulator: acc,
  };
}

/**
 * CSAT as SQL: one count per scale point (the {@link RatingState} of `csatAccumulator`) and the
 * finaliser `csatAccumulator(options).result` — satisfied share with its interval (Wilson by default),
 * distribution, mean with its t interval; the same result object as `csat`.
 *
 * @example
 * await runMetric(postgresEngine(pool), csatSql({ missing: "omit" }), { table: "responses", columns: { value: "csat" } })
 */
export function csatSql(
  options?: CsatOptions & ScoreColumnOption,
): AggregateSqlMetric<RatingState, CsatResult> {
  const { column, ...accOptions } = options ?? {};
  const acc = csatAccumulator(accOptions);
  const { min, max } = acc.init();
  return histogramMetric({
    name: "csat",
    column: column ?? "csat",
    min,
    max,
    missing: checkMissing("csatSql", options?.missing),
    accumulator: acc,
    toState: (h) => ({ min, max, counts: h.counts, missing: h.missing }),
  });
}

/**
 * CES as SQL: one count per scale point (default 1–7, higher = easier) and the finaliser
 * `cesAccumulator(options).result` — mean with its t interval, easy share with its interval; the same
 * result object as `ces`.
 */
export function cesSql(options?: CesOptions & ScoreColumnOption): AggregateSqlMetric<RatingState, CesResult> {
  const { column, ...accOptions } = options ?? {};
  const acc = cesAccumulator(accOptions);
  const { min, max } = acc.init();
  return histogramMetric({
    name: "ces",
    column: column ?? "ces",
    min,
    max,
    missing: checkMissing("cesSql", options?.missing),
    accumulator: acc,
    toState: (h) => ({ min, max, counts: h.counts, missing: h.missing }),
  });
}

/**
 * Response and resolution times pushed down to DuckDB and PostgreSQL: n, the exact sum, min and max,
 * and the few order statistics each requested quantile needs, found by the engine; the finaliser
 * interpolates them as the in-memory code does and builds `responseTimes`' result.
 *
 * @module
 */
import { CxMetricsError, invalidOption } from "../core/errors.js";
import { FUZZ, type QuantileMethod, lerp, positionOffset, quantilePosition } from "../service/quantile.js";
import {
  type ResponseTimesAccumulatorOptions,
  type ResponseTimesResult,
  type ResponseTimesState,
  responseTimesParts,
} from "../service/response-times.js";
import {
  TICKET_PROBLEMS,
  type TicketSqlOptions,
  checkListed,
  checkProblems,
  checkServiceDialect,
  classAggregates,
  invalidListSql,
  readClasses,
  readInvalid,
  ticketCheckAggregates,
  ticketInputs,
  ticketRowSql,
} from "./_tickets.js";
import type { Dialect } from "./dialect.js";
import type { AggregateSqlMetric, SqlAggregate } from "./metric.js";

/** What the engine returns for one group: the summary state and the quantiles (ms) of `probabilities`. */
export interface ResponseTimesSqlState {
  state: ResponseTimesState;
  quantilesMs: (number | null)[];
}

/** A float the SQL text reads back as the same double (shortest round-trip decimal, parsed by the engine). */
function doubleLiteral(d: Dialect, x: number): string {
  return `CAST('${String(x)}' AS ${d === "duckdb" ? "DOUBLE" : "double precision"})`;
}

/** An integer from the driver (number, bigint or numeric text) as a double, rounded once. */
function exactToNumber(v: unknown, what: string): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(BigInt(v));
  throw new CxMetricsError(
    "internal_error",
    `responseTimesSql: unexpected ${what} ${String(v)} from the engine`,
  );
}

/**
 * Response or resolution times as SQL: the same result object as `responseTimes(tickets, options)`
 * (with `by` / `period` through `runMetric`; periods by `columns.at`, which should be the
 * `created_at` column). Exact quantiles of every Hyndman–Fan type 1–9 (default 7).
 *
 * Per group the engine computes, over the valid tickets with the end instant (times
 * `end − created` in integer ms, as `Date`s hold them): n; the exact integer sum (the mean is that
 * sum rounded once to a double, divided by n: equal to the in-memory compensated sum whenever the total
 * is below 2^53 ms, ≈ 285,000 years); min; max; and for each requested probability p the order
 * statistics x[lo] and x[hi] at the positions of Hyndman & Fan's definition, computed in SQL with
 * the same float64 operations as `quantilePosition` (type 7: lo = ⌊(n − 1)p⌋; others: j = ⌊np + m + 4ε⌋
 * clamped to [1, n]). The finaliser interpolates x[lo] and x[hi] with numpy's formula, as in memory,
 * so every quantile is the in-memory double. Unanswered tickets (no end instant) and invalid tickets
 * (listed by `indexColumn`) are counted as in memory.
 *
 * The order statistics are read from the group's sorted values (DuckDB `list(v ORDER BY v)`,
 * PostgreSQL `array_agg(v ORDER BY v)`): like any exact quantile, this holds one group's times in the
 * engine's memory (8 bytes a ticket). `quantileMethod: "tdigest"` is not pushed down.
 *
 * @throws {InvalidInputError} `invalid_option` (measure, unit, quantiles, quantileMethod, dialect); from
 *   the finaliser the ticket errors of `ticketFcrSql`.
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const byChannel = await runMetric(duckdbEngine(con), responseTimesSql({ unit: "minutes", quantiles: [0.5, 0.9] }), {
 *   table: readCsv("tickets.csv"), by: "channel" });
 * byChannel.get("chat")?.quantiles["0.9"]
 */
export function responseTimesSql(
  options?: ResponseTimesAccumulatorOptions & TicketSqlOptions,
): AggregateSqlMetric<ResponseTimesSqlState, ResponseTimesResult> {
  const fn = "responseTimesSql";
  const { indexColumn, ...accOptions } = options ?? {};
  const parts = responseTimesParts(accOptions);
  if (parts.method === "tdigest") {
    invalidOption(
      fn,
      "quantileMethod",
      "a Hyndman–Fan type 1–9 (exact quantiles in the engine); t-digests are merged in memory",
      "tdigest",
    );
  }
  const method = parts.method as QuantileMethod;
  const ps = parts.probabilities;
  const measure = accOptions.measure ?? "firstResponse";
  return {
    kind: "aggregate",
    name: "responseTimes",
    inputs: ticketInputs(indexColumn),
    aggregates(d, input) {
      checkServiceDialect(fn, d);
      const t = ticketRowSql(d, input, indexColumn === undefined ? undefined : input("index"));
      const e = measure === "firstResponse" ? t.f : t.r;
      // one class per row: 0 not counted (no createdAt: thrown), 1 invalid, 2 no end instant, 3 timed
      const code = `(CASE WHEN ${t.missing} THEN 0 WHEN ${t.bad} THEN 1 WHEN ${e} IS NULL THEN 2 ELSE 3 END)`;
      const v = `(CASE WHEN NOT ${t.missing} AND NOT ${t.bad} AND ${e} IS NOT NULL THEN ${e} - ${t.c} END)`;
      const n = `count(${v})`;
      const big = d === "duckdb" ? "BIGINT" : "bigint";
      const sorted =
        d === "duckdb"
          ? `list(${v} ORDER BY ${v}) FILTER (WHERE ${v} IS NOT NULL)`
          : `array_agg(${v} ORDER BY ${v}) FILTER (WHERE ${v} IS NOT NULL)`;
      const at = (index0: string) =>
        d === "duckdb" ? `(${sorted})[${index0} + 1]` : `(${sorted})[CAST(${index0} AS integer) + 1]`;
      const nd = (x: string) => `CAST(${x} AS ${d === "duckdb" ? "DOUBLE" : "double precision"})`;
      const out: SqlAggregate[] = [
        ...ticketCheckAggregates(d, t, input),
        { alias: "r_list", sql: invalidListSql(d, t, `NOT ${t.missing} AND ${t.bad}`) },
        ...classAggregates(d, "r_", code, 4),
        { alias: "r_sum", sql: d === "duckdb" ? `CAST(sum(${v}) AS VARCHAR)` : `CAST(sum(${v}) AS text)` },
        { alias: "r_min", sql: `min(${v})` },
        { alias: "r_max", sql: `max(${v})` },
      ];
      ps.forEach((p, k) => {
        let lo: string;
        let hi: string;
        if (method === 7) {
          lo = `CAST(floor(${nd(`${n} - 1`)} * ${doubleLiteral(d, p)}) AS ${big})`;
          hi = `least(${lo} + 1, ${n} - 1)`;
        } else {
          const np = `(${nd(n)} * ${doubleLiteral(d, p)} + ${doubleLiteral(d, positionOffset(p, method))})`;
          const j = `least(greatest(CAST(floor(${np} + ${doubleLiteral(d, FUZZ)}) AS ${big}), 1), ${n})`;
          lo = `(${j} - 1)`;
          hi = `least(${j}, ${n} - 1)`;
        }
        out.push({ alias: `r_lo_${k}`, sql: at(lo) }, { alias: `r_hi_${k}`, sql: at(hi) });
      });
      return out;
    },
    state(row, where) {
      checkProblems(fn, row, where, TICKET_PROBLEMS);
      const invalid = readInvalid(fn, row.r_list, indexColumn !== undefined, where);
      const [, nInvalid, unanswered, n] = readClasses(row, "r_", 4) as [number, number, number, number];
      checkListed(fn, invalid.length, nInvalid, where);
      const num = (v: unknown, what: string) => exactToNumber(v, what);
      const quantilesMs = ps.map((p, k) => {
        if (n === 0) return null;
        const { gamma } = quantilePosition(n, p, method);
        return lerp(
          num(row[`r_lo_${k}`], "order statistic"),
          num(row[`r_hi_${k}`], "order statistic"),
          gamma,
        );
      });
      const state: ResponseTimesState = {
        values: null,
        digest: null,
        n,
        sum: num(row.r_sum, "sum"),
        compensation: 0,
        min: n === 0 ? Number.POSITIVE_INFINITY : num(row.r_min, "min"),
        max: n === 0 ? Number.NEGATIVE_INFINITY : num(row.r_max, "max"),
        unanswered,
        invalid,
      };
      return { state, quantilesMs };
    },
    accumulator: {
      init: () => ({ state: parts.accumulator.init(), quantilesMs: ps.map(() => null) }),
      add: (s) => s,
      merge: () => {
        throw new CxMetricsError(
          "internal_error",
          `${fn}: states of exact quantiles from SQL cannot be merged`,
        );
      },
      result: (s) => parts.finish(s.state, s.quantilesMs),
    },
  };
}

/**
 * `cohortRetention` from activity events pushed down: a CTE pipeline (events → epoch ms → period
 * index on the grid → each user's first (cohort) period → distinct (user, period) activity → counts
 * per (cohort, offset)) for DuckDB and PostgreSQL, finalised into the same result object as the
 * in-memory `cohortRetention(events, options)`.
 *
 * @module
 */
import { CxMetricsError, formatValue, invalidOption } from "../core/errors.js";
import { type CalendarOptions, type Period, checkPeriod, checkTimeZone, periodRange } from "../core/time.js";
import { instantAt, upperBound } from "../retention/_subscription-timeline.js";
import {
  type CohortMode,
  type CohortRetentionOptions,
  type CohortRetentionResult,
  buildCohortTable,
} from "../retention/cohort-retention.js";
import { epochLiteral, gridIndexSql } from "./_grid.js";
import { checkCounts, checkPipelineDialect, epochMs } from "./_subscriptions.js";
import { type Dialect, ParamBinder, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import { countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { type TableSource, tableSql } from "./table.js";

/** Column names of the activity-event table (defaults in snake_case). */
export interface ActivityColumns {
  /** Default `user_id` (text or integer; NULL and empty text are rejected). */
  userId?: string;
  /** Default `occurred_at` (a zoned timestamp, or ISO-8601 text with an offset). */
  occurredAt?: string;
  /** Default `event_type` (read only with `cohortBy` set to an event type or `returnEvent`). */
  eventType?: string;
}

/** Options of {@link cohortRetentionSql}: those of `cohortRetention` for events, plus the table. */
export interface CohortRetentionSqlOptions extends CohortRetentionOptions {
  table: TableSource;
  columns?: ActivityColumns;
}

/** The two statements of the pipeline (for review). */
export interface CohortRetentionSqlQueries {
  /** Row count, first instant before asOf, last instant, invalid-row counts. */
  range: { sql: string; params: unknown[] };
  /** Per (kind, cohort index q, offset k) user counts, given the grid boundaries and horizon. */
  cells(boundaries: readonly number[], horizon: number): { sql: string; params: unknown[] };
}

const PROBLEMS: [string, string, string, string][] = [
  ["no_user", "userId", "missing_value", "have no user id"],
  ["empty_user", "userId", "invalid_type", "have an empty user id"],
  ["no_time", "occurredAt", "missing_value", "have no occurredAt"],
];

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL. `asOf` (epoch ms, or NaN when it defaults to
 * the last event + 1 ms) and the grid boundaries are numbers computed by cxmetrics, inlined as integer
 * literals; column names are quoted; event types and file paths are bound as parameters.
 */
export function cohortRetentionQueries(
  dialect: Dialect,
  options: CohortRetentionSqlOptions,
  asOf: number,
): CohortRetentionSqlQueries {
  const fn = "cohortRetention (sql)";
  checkPipelineDialect(fn, dialect);
  const d = dialect;
  const q = (s: string) => quoteIdent(d, s);
  const cols = { userId: "user_id", occurredAt: "occurred_at", eventType: "event_type", ...options.columns };
  const cohortEvent =
    options.cohortBy === undefined || options.cohortBy === "firstEvent" ? null : options.cohortBy;
  const returnEvent = options.returnEvent ?? null;
  const needType = cohortEvent !== null || returnEvent !== null;
  const text = d === "duckdb" ? "VARCHAR" : "text";
  const rowsCte = (b: ParamBinder) =>
    `e0 AS (SELECT ${q(cols.userId)} AS u, ${epochMs(d, q(cols.occurredAt))} AS t` +
    (needType ? `, CAST(${q(cols.eventType)} AS ${text}) AS ty` : "") +
    ` FROM ${tableSql(d, b, options.table)} AS ${q("t")})`;
  const asOfLit = Number.isFinite(asOf) ? String(Math.trunc(asOf)) : null;
  const range = () => {
    const b = new ParamBinder(d);
    const lo = asOfLit === null ? "min(t)" : `min(CASE WHEN t < ${asOfLit} THEN t END)`;
    const sql =
      `WITH ${rowsCte(b)} SELECT CAST(count(*) AS BIGINT) AS n, ${lo} AS lo, max(t) AS hi, ` +
      `${countIf(d, "u IS NULL")} AS no_user, ${countIf(d, `CAST(u AS ${text}) = ''`)} AS empty_user, ` +
      `${countIf(d, "t IS NULL")} AS no_time FROM e0`;
    return { sql, params: b.params };
  };
  const cells = (boundaries: readonly number[], horizon: number) => {
    const b = new ParamBinder(d);
    const rows = rowsCte(b);
    const cohortWhere = cohortEvent === null ? "" : ` WHERE ty = ${b.text(cohortEvent)}`;
    const returnWhere = returnEvent === null ? "" : ` AND ty = ${b.text(returnEvent)}`;
    const end = Math.trunc(boundaries[boundaries.length - 1]!);
    const limit = asOfLit === null ? String(end) : asOfLit;
    const sql =
      `WITH ${rows}, ` +
      // OFFSET 0 keeps PostgreSQL from inlining the epoch expression into every comparison of the
      // tree below (≈ 1.5× faster on text instants; no effect in DuckDB, which computes it once)
      `e AS (SELECT u, t${needType ? ", ty" : ""} FROM e0 WHERE t < ${limit}${d === "postgres" ? " OFFSET 0" : ""}), ` +
      `eg AS (SELECT u, ${gridIndexSql("t", boundaries, epochLiteral, { below: -1, above: boundaries.length - 1 })} AS j${needType ? ", ty" : ""} FROM e), ` +
      // q = first cohort-event period (−1: before the grid, in no cohort shown)
      `co AS (SELECT u, min(j) AS q FROM eg${cohortWhere} GROUP BY u), ` +
      `act AS (SELECT DISTINCT u, j FROM eg WHERE j >= 0${returnWhere}), ` +
      `lst AS (SELECT u, max(j) AS l FROM act GROUP BY u) ` +
      `SELECT 'act' AS kind, co.q AS q, act.j - co.q AS k, CAST(count(*) AS BIGINT) AS n FROM co JOIN act ON act.u = co.u ` +
      `WHERE co.q >= 0 AND act.j >= co.q AND act.j - co.q <= ${horizon} GROUP BY co.q, act.j - co.q ` +
      // m = last active offset (capped at the horizon; < 0: none at or after the cohort period)
      `UNION ALL SELECT 'last', x.q, x.m, CAST(count(*) AS BIGINT) FROM (SELECT co.q AS q, ` +
      `LEAST(COALESCE(lst.l, -1) - co.q, ${horizon}) AS m FROM co LEFT JOIN lst ON lst.u = co.u WHERE co.q >= 0) x GROUP BY x.q, x.m`;
    return { sql, params: b.params };
  };
  return { range: range(), cells };
}

/**
 * The options both cohort pipelines check first, in the order of the in-memory function: period,
 * time zone (with the week start), horizon and mode. Internal.
 */
export function cohortTableOptions(
  fn: string,
  options: {
    period?: Period;
    timeZone?: string;
    weekStartsOn?: CalendarOptions["weekStartsOn"];
    horizon?: number;
    mode?: CohortMode;
  },
): {
  period: Period;
  cal: Required<Pick<CalendarOptions, "timeZone" | "weekStartsOn">>;
  horizon: number;
  mode: CohortMode;
} {
  const period = checkPeriod(fn, options.period ?? "month");
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const cal = { timeZone, weekStartsOn: options.weekStartsOn ?? 1 };
  const horizon = options.horizon ?? 12;
  if (!Number.isInteger(horizon) || horizon < 0 || horizon > 10_000)
    invalidOption(fn, "horizon", "an integer from 0 to 10000", horizon);
  const mode = options.mode ?? "active";
  if (mode !== "active" && mode !== "onOrAfter") invalidOption(fn, "mode", '"active" or "onOrAfter"', mode);
  return { period, cal, horizon, mode };
}

/** The cohort table with no cohort (both cohort pipelines). Internal. */
export function emptyCohortResult(
  period: CohortRetentionResult["period"],
  mode: CohortMode,
  horizon: number,
  asOf: number,
): CohortRetentionResult {
  return { period, mode, horizon, asOf: new Date(asOf), rows: [], nullReasons: [] };
}

/**
 * Cohort retention from activity events computed in the engine (DuckDB, PostgreSQL): Amplitude's
 * N-period retention ("on": `mode: "active"`; "on or after": `mode: "onOrAfter"`), day/week/month
 * (any calendar period) in a time zone. Same definitions and the same result object as the in-memory
 * `cohortRetention(events, options)` (rows, size, active[], share[] = active / size, incomplete[],
 * nullReasons; see its documentation).
 *
 * Pipeline: a first query reads the row count, the data range and invalid-row counts; the period grid
 * (from `from`, or the first event before asOf, to the period containing asOf − 1 ms) is computed in
 * JavaScript with the in-memory code and inlined as a VALUES table; a second query counts distinct
 * (user, period) activity per (cohort, offset) and users per (cohort, last active offset), from which
 * the finaliser builds `active` and the cumulative `onOrAfter` cells.
 *
 * Differences from the in-memory function: invalid rows (NULL or empty user id, NULL instant) are
 * counted and reported without a row index; user ids are compared as the column's SQL type (the
 * in-memory function tells `7` from `"7"`); instants are truncated to whole milliseconds by the engine.
 * Subscriptions are not accepted here: use `subscriptionCohortRetentionSql` (same result as in memory).
 *
 * @throws {InvalidInputError} `invalid_option`, `invalid_time`, `missing_value`, `invalid_type`
 * @example
 * const table = await runMetric(duckdbEngine(con), cohortRetentionSql(), {
 *   table: readParquet("events/*.parquet"), period: "week", timeZone: "Europe/Berlin",
 *   horizon: 8, mode: "onOrAfter", asOf: "2026-03-01T00:00:00Z" });
 * table.rows[0]?.share
 */
export function cohortRetentionSql(): PipelineSqlMetric<
  CohortRetentionResult,
  never,
  CohortRetentionSqlOptions
> {
  const fn = "cohortRetention (sql)";
  return {
    kind: "pipeline",
    name: "cohortRetention",
    async run(engine: SqlEngine, options: CohortRetentionSqlOptions) {
      const { period, cal, horizon, mode } = cohortTableOptions(fn, options);
      for (const o of ["cohortBy", "returnEvent"] as const) {
        const v = options[o];
        if (v !== undefined && (typeof v !== "string" || v === "")) invalidOption(fn, o, "an event type", v);
      }
      const asOfOpt = options.asOf === undefined ? Number.NaN : instantAt(fn, options.asOf, null, "asOf");
      const fromOpt = options.from === undefined ? Number.NaN : instantAt(fn, options.from, null, "from");
      const toOpt = options.to === undefined ? Number.NaN : instantAt(fn, options.to, null, "to");
      const queries = cohortRetentionQueries(engine.dialect, options, asOfOpt);
      const [info] = await engine.query(queries.range.sql, queries.range.params, {});
      checkCounts(fn, info ?? {}, PROBLEMS);
      const n = countValue(info?.n, "n");
      const num = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
      const hi = num(info?.hi);
      const asOf = Number.isNaN(asOfOpt) ? (n === 0 ? Number.NEGATIVE_INFINITY : hi + 1) : asOfOpt;
      if (n === 0 || !Number.isFinite(asOf)) return emptyCohortResult(period, mode, horizon, asOf);
      let fromMs: number;
      if (!Number.isNaN(fromOpt)) {
        if (!(fromOpt < asOf)) return emptyCohortResult(period, mode, horizon, asOf);
        fromMs = fromOpt;
      } else {
        const lo = num(info?.lo);
        if (Number.isNaN(lo)) return emptyCohortResult(period, mode, horizon, asOf);
        fromMs = lo;
      }
      const { starts, labels } = periodRange(fromMs, asOf - 1, period, cal);
      const P = labels.length;
      const H = horizon + 1;
      const cellsQ = queries.cells(starts, horizon);
      const rows = await engine.query(cellsQ.sql, cellsQ.params, {});
      const size = new Float64Array(P);
      const active = new Float64Array(P * H);
      const lastAt = new Float64Array(P * (H + 1)); // users per (cohort, last offset + 1), 0 = none
      let dataFirst = P;
      for (const row of rows) {
        const qi = Number(row.q);
        const k = Number(row.k);
        const c = countValue(row.n, "n");
        const ok = Number.isInteger(qi) && qi >= 0 && qi < P && Number.isInteger(k) && k <= horizon;
        if (!ok || (row.kind === "act" && k < 0) || (row.kind !== "act" && row.kind !== "last")) {
          throw new CxMetricsError(
            "internal_error",
            `${fn}: internal error (please report): cell ${formatValue(row.kind)} ${formatValue(qi)}, ${formatValue(k)}`,
          );
        }
        if (row.kind === "act") active[qi * H + k]! += c;
        else {
          size[qi]! += c;
          if (qi < dataFirst) dataFirst = qi;
          lastAt[qi * (H + 1) + (k < 0 ? 0 : k + 1)]! += c;
        }
      }
      let first = dataFirst;
      if (!Number.isNaN(fromOpt)) first = Math.max(0, upperBound(starts, fromOpt) - 1);
      let last = P - 1;
      if (!Number.isNaN(toOpt)) last = Math.min(P - 1, upperBound(starts, toOpt) - 1);
      // onOrAfter[k] = members whose last active offset is ≥ k
      const onOrAfter = new Float64Array(P * H);
      for (let qi = first; qi <= last; qi++) {
        let remaining = size[qi]!;
        for (let k = 0; k < H; k++) {
          remaining -= lastAt[qi * (H + 1) + k]!;
          onOrAfter[qi * H + k] = remaining;
        }
      }
      return buildCohortTable({ period, mode, horizon }, starts, labels, asOf, first, last, {
        size,
        active,
        onOrAfter,
      });
    },
  };
}

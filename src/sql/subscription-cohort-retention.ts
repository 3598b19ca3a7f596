/**
 * `cohortRetention` from subscription rows pushed down: a CTE pipeline (rows → epoch ms → valid paid
 * rows → each customer's cohort period (first paid start or sign-up) → the period ranges each paid row
 * covers, merged per customer and clipped to the horizon → counts per (cohort, offset)) for DuckDB and
 * PostgreSQL, finalised with `buildCohortTable` into the same result object as the in-memory
 * `cohortRetention(subscriptions, options)`.
 *
 * @module
 */
import { CxMetricsError, formatValue, invalidOption } from "../core/errors.js";
import { periodRange } from "../core/time.js";
import { instantAt, upperBound } from "../retention/_subscription-timeline.js";
import {
  type CohortRetentionOptions,
  type CohortRetentionResult,
  buildCohortTable,
} from "../retention/cohort-retention.js";
import {
  POS_INF,
  SUBSCRIPTION_DEFAULTS,
  SUBSCRIPTION_ROW_PROBLEMS,
  type SubscriptionColumns,
  checkCounts,
  checkPipelineDialect,
  epochMs,
  gridCte,
  validRow,
} from "./_subscriptions.js";
import { type Dialect, ParamBinder, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import { countValue } from "./metric.js";
import { cohortTableOptions, emptyCohortResult } from "./cohort-retention.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { runProbed } from "./_probes.js";
import { type TableSource, tableSql } from "./table.js";

/**
 * Options of {@link subscriptionCohortRetentionSql}: those of `cohortRetention` for subscriptions
 * (period, time zone, week start, horizon, mode, asOf, from, to, cohortBy), plus the table and its
 * columns. Only `customerId`, `startedAt`, `endedAt` and `trialEnd` of `columns` are read, so one
 * `columns` object serves `customerRetentionSql`, `mrrMovementsSql` and this metric.
 */
export interface SubscriptionCohortRetentionSqlOptions
  extends Omit<CohortRetentionOptions, "cohortBy" | "returnEvent"> {
  table: TableSource;
  columns?: SubscriptionColumns;
  /**
   * `"firstPaid"` (default): the period of the customer's first paid start (trialEnd, else
   * startedAt, of a valid row). `"signup"`: the period of their first `startedAt` (trial included;
   * customers who never paid are members, so share[0] can be < 1).
   */
  cohortBy?: "firstPaid" | "signup";
}

/** The statements of the pipeline (for review, or to run with another driver). */
export interface SubscriptionCohortRetentionSqlQueries {
  /**
   * Data range (first paid start, first sign-up, last instant, last sign-up) and invalid-row counts.
   * In DuckDB instants are read with `TRY_CAST`, so unreadable instants are counted too.
   */
  range: { sql: string; params: unknown[] };
  /**
   * PostgreSQL has no `TRY_CAST`: when the range query fails with a data exception (SQLSTATE class
   * 22), these one-column queries find the instant column that cannot be read (`path` names it).
   */
  probes: { path: string; sql: string; params: unknown[] }[];
  /**
   * Per (kind, cohort index q, offset k) customer counts, given the grid boundaries and the horizon:
   * `on` / `off` mark where a customer's merged active offset range starts / ends + 1; `last` counts
   * members by their last active offset capped at the horizon (−1 or less: never active).
   */
  cells(boundaries: readonly number[], horizon: number): { sql: string; params: unknown[] };
}

const fn = "cohortRetention (sql, subscriptions)";

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL. `asOf` is epoch ms (+∞ when not given: no
 * row is then excluded for starting after it); grid boundaries and the horizon are numbers computed
 * by cxmetrics, inlined as integer literals; column names are quoted; file paths are bound; no other
 * value enters the SQL.
 *
 * @example
 * const q = subscriptionCohortRetentionQueries("duckdb", { table: "subscriptions" }, Number.POSITIVE_INFINITY);
 * q.cells([Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)], 3).sql.startsWith("WITH r0 AS") //=> true
 */
export function subscriptionCohortRetentionQueries(
  dialect: Dialect,
  options: SubscriptionCohortRetentionSqlOptions,
  asOf: number,
): SubscriptionCohortRetentionSqlQueries {
  checkPipelineDialect(fn, dialect);
  const d = dialect;
  const q = (s: string) => quoteIdent(d, s);
  const cols = { ...SUBSCRIPTION_DEFAULTS, ...(options.columns ?? {}) };
  const text = d === "duckdb" ? "VARCHAR" : "text";
  const signup = options.cohortBy === "signup";
  const raw = (b: ParamBinder) =>
    `r0 AS (SELECT ${q(cols.customerId)} AS c, ${q(cols.startedAt)} AS s0, ${q(cols.trialEnd)} AS t0, ` +
    `${q(cols.endedAt)} AS e0 FROM ${tableSql(d, b, options.table)} AS ${q("t")})`;
  // The range query reads instants with TRY_CAST in DuckDB (unreadable ones are counted, not fatal).
  const ms = (col: string, tryCast: boolean) =>
    tryCast && d === "duckdb" ? `epoch_ms(TRY_CAST(${col} AS TIMESTAMPTZ))` : epochMs(d, col);
  const rows = (b: ParamBinder, tryCast: boolean) =>
    `${raw(b)}, r AS (SELECT c, s0, t0, e0, ${ms("s0", tryCast)} AS st, ` +
    `COALESCE(${ms("t0", tryCast)}, ${ms("s0", tryCast)}) AS ps, ${ms("t0", tryCast)} AS te, ` +
    `${ms("e0", tryCast)} AS en FROM r0)`;
  const valid = validRow(asOf);
  // the last sign-up only matters for the default asOf
  const lastSignup = !Number.isFinite(asOf);
  const range = () => {
    const b = new ParamBinder(d);
    const unreadable = (col: string, v: string) =>
      d === "duckdb" ? countIf(d, `${col} IS NOT NULL AND ${v} IS NULL`) : "0";
    const sql =
      `WITH ${rows(b, true)}${lastSignup ? ", sg AS (SELECT min(st) AS s FROM r GROUP BY c)" : ""} ` +
      `SELECT min(CASE WHEN ${valid} THEN ps END) AS lo_paid, min(st) AS lo_signup, ` +
      `max(CASE WHEN ${valid} THEN (CASE WHEN en IS NOT NULL AND en > ps THEN en ELSE ps END) END) AS hi, ` +
      `${lastSignup ? "(SELECT max(s) FROM sg)" : "NULL"} AS hi_signup, ` +
      `${countIf(d, "c IS NULL")} AS no_customer, ${countIf(d, `CAST(c AS ${text}) = ''`)} AS empty_customer, ` +
      `${countIf(d, "s0 IS NULL")} AS no_start, ${unreadable("s0", "st")} AS bad_start, ` +
      `${unreadable("e0", "en")} AS bad_end, ${unreadable("t0", "te")} AS bad_trial, ` +
      `${countIf(d, "en < st")} AS end_before_start, ${countIf(d, "te < st")} AS trial_before_start FROM r`;
    return { sql, params: b.params };
  };
  const probes = (
    [
      ["startedAt", cols.startedAt],
      ["endedAt", cols.endedAt],
      ["trialEnd", cols.trialEnd],
    ] as const
  ).map(([path, col]) => {
    const b = new ParamBinder(d);
    const sql = `SELECT min(${epochMs(d, q(col))}) AS m FROM ${tableSql(d, b, options.table)} AS ${q("t")}`;
    return { path, sql, params: b.params };
  });
  const cells = (boundaries: readonly number[], horizon: number) => {
    const b = new ParamBinder(d);
    const P = boundaries.length - 1;
    const key = signup
      ? "ck AS (SELECT c, min(st) AS k FROM r GROUP BY c)"
      : "ck AS (SELECT c, min(ps) AS k FROM v GROUP BY c)";
    // The grid period of an instant t (the index j with starts[j] <= t < starts[j + 1]; -1 before the
    // grid, P after it). DuckDB: ASOF JOIN with the grid table (a sort-merge; 2–3× faster than a range
    // join at 1M rows). PostgreSQL: width_bucket over the boundaries array (a binary search per row; a
    // range join there is a nested loop). For a paid end en the last period starting before en is
    // the period of en − 1 (instants are integer ms).
    let cohorts: string;
    let ranges: string;
    if (d === "duckdb") {
      cohorts =
        `${gridCte(boundaries)}, co AS (SELECT ck.c AS c, g.j AS q FROM ck ASOF JOIN grid g ON ck.k >= g.a ` +
        `WHERE g.j >= 0 AND g.j < ${P})`;
      ranges =
        "pr0 AS (SELECT v.c AS c, gs.j AS ja, ge.j AS jb FROM v ASOF JOIN grid gs ON v.ps >= gs.a " +
        "ASOF JOIN grid ge ON v.en > ge.a)";
    } else {
      const bounds = `CAST(ARRAY[${boundaries.map((t) => String(Math.trunc(t))).join(", ")}] AS bigint[])`;
      cohorts =
        `co AS (SELECT c, q FROM (SELECT c, width_bucket(k, ${bounds}) - 1 AS q FROM ck) x ` +
        `WHERE q >= 0 AND q < ${P})`;
      ranges = `pr0 AS (SELECT c, width_bucket(ps, ${bounds}) - 1 AS ja, width_bucket(en - 1, ${bounds}) - 1 AS jb FROM v)`;
    }
    const sql =
      `WITH ${rows(b, false)}, ` +
      `v AS (SELECT c, ps, COALESCE(en, ${POS_INF}) AS en FROM r WHERE ${valid}), ${key}, ` +
      // q = cohort period (members only: the key lies in the grid)
      `${cohorts}, ${ranges}, ` +
      // [a, b] = the periods a paid row [ps, en) intersects: a holds ps, b is the last period starting before en
      `pr AS (SELECT c, CASE WHEN ja < 0 THEN 0 ELSE ja END AS a, CASE WHEN jb > ${P - 1} THEN ${P - 1} ELSE jb END AS b ` +
      `FROM pr0 WHERE ja < ${P}), ` +
      `cr AS (SELECT DISTINCT pr.c AS c, co.q AS q, GREATEST(pr.a, co.q) AS a, LEAST(pr.b, co.q + ${horizon}) AS b FROM pr JOIN co ON co.c = pr.c), ` +
      // merge each customer's overlapping or adjacent ranges (gaps and islands over a running max)
      `cr1 AS (SELECT c, q, a, b, CASE WHEN max(b) OVER (PARTITION BY c ORDER BY a, b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1 >= a THEN 0 ELSE 1 END AS fresh FROM cr WHERE a <= b), ` +
      `cr2 AS (SELECT c, q, a, b, sum(fresh) OVER (PARTITION BY c ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS m FROM cr1), ` +
      `rng AS (SELECT c, q, min(a) AS a, max(b) AS b FROM cr2 GROUP BY c, q, m), ` +
      `lst AS (SELECT c, max(b) AS l FROM pr GROUP BY c) ` +
      `SELECT 'on' AS kind, q, a - q AS k, CAST(count(*) AS BIGINT) AS n FROM rng GROUP BY q, a - q ` +
      `UNION ALL SELECT 'off', q, b - q + 1, CAST(count(*) AS BIGINT) FROM rng GROUP BY q, b - q + 1 ` +
      `UNION ALL SELECT 'last', x.q, x.m, CAST(count(*) AS BIGINT) FROM (SELECT co.q AS q, ` +
      `LEAST(COALESCE(lst.l, -1) - co.q, ${horizon}) AS m FROM co LEFT JOIN lst ON lst.c = co.c) x GROUP BY x.q, x.m`;
    return { sql, params: b.params };
  };
  return { range: range(), probes, cells };
}

/**
 * Cohort retention from subscription rows computed in the engine (DuckDB, PostgreSQL): customers
 * grouped by the period of their first paid start (`cohortBy: "firstPaid"`, default) or of their
 * first `startedAt` (`"signup"`), and the members active in each later period. Same definitions and
 * the same result object as the in-memory `cohortRetention(subscriptions, options)` (rows, size,
 * active[], share[] = active / size, incomplete[], nullReasons; see its documentation):
 *
 * - a row is paid time `[trialEnd ?? startedAt, endedAt)` unless it is zero-length, trial-only or
 *   (with `asOf`) starts paying at or after asOf;
 * - `active[k]` ("on", `mode: "active"`) counts members with paid time in period cohort + k (a paid
 *   row with paidStart < period end and endedAt > period start); `"onOrAfter"` counts members with
 *   paid time in that period or a later one up to asOf;
 * - periods are calendar periods in `timeZone` (week start `weekStartsOn`), computed in JavaScript
 *   by the in-memory code and inlined, so the engine only compares epoch milliseconds; asOf defaults
 *   to 1 ms after the last instant in the data; `from` / `to` choose the cohorts shown.
 *
 * Pipeline: a first query reads the data range and invalid-row counts; the grid (from the first
 * cohort key, or `from` if earlier, to the period containing asOf − 1 ms) is computed in JavaScript
 * and inlined (DuckDB: a VALUES table located with `ASOF JOIN`; PostgreSQL: a bigint array located
 * with `width_bucket`, a binary search per row); a second query maps each valid row to the range of
 * periods it covers, clips it to the customer's cohort period .. + horizon, merges each customer's
 * ranges (gaps and islands), and counts range starts and ends per (cohort, offset) and members per
 * (cohort, last active offset); the finaliser sums those into `active` and the cumulative
 * `onOrAfter` cells and calls `buildCohortTable`, as the in-memory function does. The output is at
 * most 3 × cohorts × (horizon + 2) rows whatever the number of subscriptions.
 *
 * Invalid rows are counted in the first query and thrown with the codes of `customerRetentionSql`:
 * NULL customer id or startedAt `missing_value`, an empty customer id `invalid_type`, an instant the
 * engine cannot read `invalid_time`, endedAt or trialEnd before startedAt `out_of_range`.
 * Differences from the in-memory function: errors name the column, not a row index; amounts, billing
 * intervals and currencies are not read (cohorts count customers); customer ids compare by the
 * column's SQL type; instants are truncated to whole milliseconds; text instants are read by the
 * engine's cast (write them with an offset: a value without one is read in the session time zone);
 * `returnEvent` and `by` are refused (`invalid_option`).
 *
 * @throws {InvalidInputError} `invalid_option`, `invalid_time`, `missing_value`, `invalid_type`, `out_of_range`
 * @example
 * const table = await runMetric(duckdbEngine(con), subscriptionCohortRetentionSql(), {
 *   table: readCsv("subscriptions.csv"), period: "month", timeZone: "Europe/Berlin",
 *   horizon: 12, mode: "active", asOf: "2026-07-01T00:00:00Z" });
 * table.rows[0]?.share
 */
export function subscriptionCohortRetentionSql(): PipelineSqlMetric<
  CohortRetentionResult,
  never,
  SubscriptionCohortRetentionSqlOptions
> {
  return {
    kind: "pipeline",
    name: "cohortRetention",
    async run(engine: SqlEngine, options: SubscriptionCohortRetentionSqlOptions) {
      // options checked in the order of the in-memory function
      const { period, cal, horizon, mode } = cohortTableOptions(fn, options);
      const cohortBy = options.cohortBy ?? "firstPaid";
      if (cohortBy !== "firstPaid" && cohortBy !== "signup")
        invalidOption(fn, "cohortBy", '"firstPaid" or "signup" for subscriptions', cohortBy);
      const extra = options as { returnEvent?: unknown; by?: unknown };
      if (extra.returnEvent !== undefined)
        invalidOption(
          fn,
          "returnEvent",
          "no value (activity events only; see cohortRetentionSql)",
          extra.returnEvent,
        );
      if (extra.by !== undefined) invalidOption(fn, "by", "no value (one table per query)", extra.by);
      const asOfOpt = options.asOf === undefined ? Number.NaN : instantAt(fn, options.asOf, null, "asOf");
      const fromOpt = options.from === undefined ? Number.NaN : instantAt(fn, options.from, null, "from");
      const toOpt = options.to === undefined ? Number.NaN : instantAt(fn, options.to, null, "to");
      const queries = subscriptionCohortRetentionQueries(
        engine.dialect,
        { ...options, cohortBy },
        Number.isNaN(asOfOpt) ? Number.POSITIVE_INFINITY : asOfOpt,
      );
      const [info] = await runProbed(engine, queries.range, queries.probes, fn);
      checkCounts(fn, info ?? {}, SUBSCRIPTION_ROW_PROBLEMS);
      const num = (v: unknown, none: number) => (v === null || v === undefined ? none : Number(v));
      const inf = Number.POSITIVE_INFINITY;
      const minKey = num(cohortBy === "signup" ? info?.lo_signup : info?.lo_paid, inf);
      // asOf defaults to 1 ms after the last paid start, end or sign-up (as in memory)
      const maxInstant = Math.max(num(info?.hi, -inf), num(info?.hi_signup, -inf));
      const asOf = Number.isNaN(asOfOpt) ? maxInstant + 1 : asOfOpt;
      const fromMs = Number.isNaN(fromOpt) ? minKey : Math.min(minKey, fromOpt);
      if (!Number.isFinite(fromMs) || !Number.isFinite(asOf) || fromMs >= asOf)
        return emptyCohortResult(period, mode, horizon, asOf);
      const { starts, labels } = periodRange(fromMs, asOf - 1, period, cal);
      const P = labels.length;
      const H = horizon + 1;
      const cellsQ = queries.cells(starts, horizon);
      const rows = await engine.query(cellsQ.sql, cellsQ.params, {});
      const size = new Float64Array(P);
      const edges = new Float64Array(P * (H + 1)); // +1 where a merged range starts, −1 after it ends
      const lastAt = new Float64Array(P * (H + 1)); // members per (cohort, last offset + 1), 0 = none
      let dataFirst = P;
      for (const row of rows) {
        const qi = Number(row.q);
        const k = Number(row.k);
        const c = countValue(row.n, "n");
        const kind = row.kind;
        const ok =
          Number.isInteger(qi) &&
          qi >= 0 &&
          qi < P &&
          Number.isInteger(k) &&
          k <= H &&
          ((kind === "on" && k >= 0 && k < H) || (kind === "off" && k >= 1) || (kind === "last" && k < H));
        if (!ok) {
          throw new CxMetricsError(
            "internal_error",
            `${fn}: internal error (please report): cell ${formatValue(kind)} ${formatValue(qi)}, ${formatValue(k)}`,
          );
        }
        if (kind === "on") edges[qi * (H + 1) + k]! += c;
        else if (kind === "off") edges[qi * (H + 1) + k]! -= c;
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
      const active = new Float64Array(P * H);
      const onOrAfter = new Float64Array(P * H);
      for (let qi = 0; qi < P; qi++) {
        let on = 0;
        let remaining = size[qi]!;
        for (let k = 0; k < H; k++) {
          on += edges[qi * (H + 1) + k]!;
          active[qi * H + k] = on;
          // onOrAfter[k] = members whose last active offset is ≥ k
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

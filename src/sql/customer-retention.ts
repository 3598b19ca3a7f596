/**
 * `customerRetention` pushed down: a CTE pipeline (rows → paid spells → boundary ranges → first
 * period and reactivations → per-period event counts) for DuckDB and PostgreSQL, finalised by the
 * retention domain's own accumulator, so the rows equal `customerRetention`'s.
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import { CxMetricsError, formatValue, invalidOption } from "../core/errors.js";
import type { CalendarOptions, InstantInput, Period } from "../core/time.js";
import { instantAt, makeGrid } from "../retention/_subscription-timeline.js";
import {
  type ChurnDenominator,
  type CustomerRetentionRow,
  type CustomerRetentionState,
  customerRetentionAccumulator,
} from "../retention/customer-retention.js";
import {
  type SubscriptionColumns,
  POS_INF,
  checkCounts,
  checkPipelineDialect,
  gridCte,
  groupKeyOf,
  subscriptionRowsCte,
  validRow,
} from "./_subscriptions.js";
import { type Dialect, ParamBinder, countIf } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import { type GroupKey, countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import type { TableSource } from "./table.js";

/** Options of {@link customerRetentionSql} (those of `customerRetention`, plus the table). */
export interface CustomerRetentionSqlOptions extends CalendarOptions {
  table: TableSource;
  columns?: SubscriptionColumns;
  /** Group customers by this column of their first row (by startedAt, then subscription id), e.g. `"segment"`. */
  by?: string;
  period?: Period;
  from?: InstantInput;
  to?: InstantInput;
  asOf?: InstantInput;
  churnDenominator?: ChurnDenominator;
}

/** The two statements of the pipeline (for review): the range/validation query and the event-count query. */
export interface CustomerRetentionSql {
  /** Data range and invalid-row counts (run first: the period grid depends on it unless from/to are given). */
  range: { sql: string; params: unknown[] };
  /** Per (group key, event kind, boundary or period index) customer counts, given grid boundaries. */
  events(boundaries: readonly number[]): { sql: string; params: unknown[] };
}

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL. The grid boundaries (epoch ms, computed in
 * JavaScript from the calendar options exactly as `customerRetention` does) are inlined as integer
 * literals; column names are quoted; file paths in table expressions are bound.
 */
export function customerRetentionQueries(
  dialect: Dialect,
  options: CustomerRetentionSqlOptions,
  asOf: number,
): CustomerRetentionSql {
  checkPipelineDialect("customerRetention (sql)", dialect);
  const d = dialect;
  const rowsCte = (b: ParamBinder) =>
    subscriptionRowsCte(d, b, options.table, options.columns, options.by, false);
  const valid = validRow(asOf);
  const range = () => {
    const b = new ParamBinder(d);
    const sql =
      `WITH ${rowsCte(b)} SELECT min(CASE WHEN ${valid} THEN ps END) AS lo, ` +
      `max(CASE WHEN ${valid} THEN (CASE WHEN en IS NOT NULL AND en > ps THEN en ELSE ps END) END) AS hi, ` +
      `${countIf(d, "c IS NULL")} AS no_customer, ${countIf(d, "st IS NULL")} AS no_start, ` +
      `${countIf(d, "en < st")} AS end_before_start, ${countIf(d, "te < st")} AS trial_before_start FROM r`;
    return { sql, params: b.params };
  };
  const events = (boundaries: readonly number[]) => {
    const b = new ParamBinder(d);
    const P = boundaries.length - 1;
    const keyed = options.by !== undefined;
    const segCte = keyed
      ? `, seg AS (SELECT c, key FROM (SELECT c, key, row_number() OVER (PARTITION BY c ORDER BY st, sid NULLS LAST) AS rn FROM r) x WHERE rn = 1)`
      : "";
    const covered = (cust: string, at: string) =>
      `NOT EXISTS (SELECT 1 FROM ranges rg WHERE rg.c = ${cust} AND rg.lo <= ${at} AND ${at} <= rg.hi)`;
    const sql =
      `WITH ${rowsCte(b)}${segCte}, ` +
      `v AS (SELECT c, ps, COALESCE(en, ${POS_INF}) AS en, row_number() OVER (PARTITION BY c ORDER BY ps, sid, en) AS rn FROM r WHERE ${valid}), ` +
      `f AS (SELECT c, ps, en, rn, CASE WHEN max(en) OVER (PARTITION BY c ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) >= ps THEN 0 ELSE 1 END AS fresh FROM v), ` +
      `g AS (SELECT c, ps, en, sum(fresh) OVER (PARTITION BY c ORDER BY rn ROWS UNBOUNDED PRECEDING) AS k FROM f), ` +
      `spells AS (SELECT c, k, min(ps) AS s, max(en) AS e FROM g GROUP BY c, k), ` +
      `${gridCte(boundaries)}, ` +
      // lo = first boundary after the spell start; hi = last boundary at or before its end; pidx = period of the start
      `sb AS (SELECT sp.c, sp.k, gs.j + 1 AS lo, ge.j AS hi, CASE WHEN gs.j >= 0 AND gs.j < ${P} THEN gs.j ELSE -1 END AS pidx ` +
      `FROM spells sp JOIN grid gs ON sp.s >= gs.a AND sp.s < gs.z JOIN grid ge ON sp.e >= ge.a AND sp.e < ge.z), ` +
      `rg1 AS (SELECT c, k, lo, hi, CASE WHEN max(hi) OVER (PARTITION BY c ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1 >= lo THEN 0 ELSE 1 END AS fresh FROM sb WHERE lo <= hi), ` +
      `rg2 AS (SELECT c, lo, hi, sum(fresh) OVER (PARTITION BY c ORDER BY k ROWS UNBOUNDED PRECEDING) AS m FROM rg1), ` +
      `ranges AS (SELECT c, min(lo) AS lo, max(hi) AS hi FROM rg2 GROUP BY c, m), ` +
      `firsts AS (SELECT c, pidx AS p0 FROM sb WHERE k = 1), ` +
      `re AS (SELECT DISTINCT sb.c, sb.pidx AS p FROM sb JOIN firsts fi ON fi.c = sb.c WHERE sb.k > 1 AND sb.pidx >= 0 AND sb.pidx <> fi.p0 AND ${covered("sb.c", "sb.pidx")}), ` +
      `ev AS (SELECT c, 'plus' AS kind, lo AS j FROM ranges ` +
      `UNION ALL SELECT c, 'minus', hi + 1 FROM ranges ` +
      `UNION ALL SELECT c, 'cfs', hi FROM ranges WHERE hi < ${P} ` +
      `UNION ALL SELECT c, 'new', p0 FROM firsts WHERE p0 >= 0 ` +
      `UNION ALL SELECT fi.c, 'cnew', fi.p0 FROM firsts fi WHERE fi.p0 >= 0 AND ${covered("fi.c", "fi.p0 + 1")} ` +
      `UNION ALL SELECT c, 'react', p FROM re ` +
      `UNION ALL SELECT re.c, 'creact', re.p FROM re WHERE ${covered("re.c", "re.p + 1")}) ` +
      (keyed
        ? `SELECT seg.key AS k0, ev.kind AS kind, ev.j AS j, CAST(count(*) AS BIGINT) AS n FROM ev JOIN seg ON seg.c = ev.c GROUP BY seg.key, ev.kind, ev.j ` +
          `UNION ALL SELECT key, NULL, NULL, CAST(0 AS BIGINT) FROM seg GROUP BY key`
        : "SELECT kind, j, CAST(count(*) AS BIGINT) AS n FROM ev GROUP BY kind, j");
    return { sql, params: b.params };
  };
  return { range: range(), events };
}

const FIELD: Record<string, keyof CustomerRetentionState | null> = {
  plus: "coverage",
  minus: "coverage",
  cfs: "churnedFromStart",
  new: "newCustomers",
  cnew: "churnedNew",
  react: "reactivated",
  creact: "churnedReactivated",
};

const PROBLEMS: [string, string, string, string][] = [
  ["no_customer", "customerId", "missing_value", "have no customer id"],
  ["no_start", "startedAt", "missing_value", "have no startedAt"],
  ["end_before_start", "endedAt", "out_of_range", "end before they start"],
  ["trial_before_start", "trialEnd", "out_of_range", "have a trial end before their start"],
];

/**
 * Customer retention and churn per period computed in the engine (DuckDB, PostgreSQL). Same
 * definitions and the same result rows as `customerRetention` (see its documentation); the finaliser
 * is `customerRetentionAccumulator(grid).result`.
 *
 * Differences from the in-memory function: rows are checked for missing customer ids and start
 * instants and for ends/trial ends before starts (counted, reported without a row index); amounts and
 * currencies are not read (counts do not use them); ties in a customer's first row by startedAt are
 * broken by subscription id only (not input order); `by` is a column name, not a function.
 *
 * @example
 * const rows = await runMetric(duckdbEngine(con), customerRetentionSql(), {
 *   table: readCsv("subscriptions.csv"), period: "month", asOf: "2026-07-01T00:00:00Z" });
 */
export function customerRetentionSql(): PipelineSqlMetric<
  CustomerRetentionRow[],
  Map<GroupKey, CustomerRetentionRow[]>,
  CustomerRetentionSqlOptions
> {
  const fn = "customerRetention (sql)";
  return {
    kind: "pipeline",
    name: "customerRetention",
    async run(engine: SqlEngine, options: CustomerRetentionSqlOptions) {
      const denominator = options.churnDenominator ?? "start";
      if (!["start", "startPlusNew", "allExposed"].includes(denominator)) {
        invalidOption(fn, "churnDenominator", "one of start, startPlusNew, allExposed", denominator);
      }
      if (options.by !== undefined && typeof options.by !== "string")
        invalidOption(fn, "by", "a column name", options.by);
      const asOf =
        options.asOf === undefined ? Number.POSITIVE_INFINITY : instantAt(fn, options.asOf, null, "asOf");
      const queries = customerRetentionQueries(engine.dialect, options, asOf);
      const [info] = await engine.query(queries.range.sql, queries.range.params, {});
      checkCounts(fn, info ?? {}, PROBLEMS);
      const lo = info?.lo === null || info?.lo === undefined ? Number.POSITIVE_INFINITY : Number(info.lo);
      const hi = info?.hi === null || info?.hi === undefined ? Number.NEGATIVE_INFINITY : Number(info.hi);
      // makeGrid validates period, time zone, from and to exactly as customerRetention does.
      const grid = makeGrid(fn, options, lo, hi);
      const acc = customerRetentionAccumulator(grid, { churnDenominator: denominator });
      const P = Math.max(0, grid.starts.length - 1);
      if (P === 0 && options.by === undefined) return acc.result(acc.init());
      const ev = queries.events(grid.starts.length > 0 ? grid.starts : [0]);
      const rows = await engine.query(ev.sql, ev.params, {});
      const states = new Map<GroupKey, CustomerRetentionState>();
      const stateOf = (key: GroupKey) => {
        let s = states.get(key);
        if (s === undefined) states.set(key, (s = acc.init()));
        return s;
      };
      for (const row of rows) {
        const key = options.by === undefined ? null : groupKeyOf(row.k0);
        const s = stateOf(key);
        if (row.kind === null || row.kind === undefined || P === 0) continue;
        const field = FIELD[String(row.kind)];
        const j = Number(row.j);
        const n = countValue(row.n, "n");
        if (!field || !Number.isInteger(j) || j < 0 || j >= s[field].length) {
          throw new CxMetricsError(
            "internal_error",
            `${fn}: internal error (please report): event ${formatValue(row.kind)} at ${formatValue(j)}`,
          );
        }
        s[field][j]! += row.kind === "minus" ? -n : n;
      }
      if (options.by === undefined) return acc.result(states.get(null) ?? acc.init());
      const out = [...states].sort((a, b) => compareKeys(a[0], b[0]));
      return new Map(out.map(([k, s]) => [k, acc.result(s)]));
    },
  };
}

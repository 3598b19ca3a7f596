/**
 * `mrrMovements` pushed down: a CTE pipeline (rows → exact integer MRR units → per-customer level
 * changes at period boundaries → movement kinds) for DuckDB and PostgreSQL, finalised by the
 * retention domain's own accumulator, so the rows (exact `Decimal` money) equal `mrrMovements`'s.
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import { CxMetricsError, InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import type { CalendarOptions, InstantInput, Period } from "../core/time.js";
import { instantAt, makeGrid } from "../retention/_subscription-timeline.js";
import {
  type MrrMovementKind,
  type MrrMovementsRow,
  type MrrMovementsState,
  mrrMovementsAccumulator,
} from "../retention/mrr-movements.js";
import {
  POS_INF,
  type SubscriptionColumns,
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

/** Options of {@link mrrMovementsSql} (those of `mrrMovements`, plus the table; no currency conversion). */
export interface MrrMovementsSqlOptions extends CalendarOptions {
  table: TableSource;
  columns?: SubscriptionColumns;
  /** Group customers by this column of their first row (by startedAt, then subscription id), e.g. `"segment"`. */
  by?: string;
  period?: Period;
  from?: InstantInput;
  to?: InstantInput;
  asOf?: InstantInput;
}

const PER_YEAR: Record<string, number> = { day: 365, week: 52, month: 12, quarter: 4, year: 1 };
const KINDS: readonly MrrMovementKind[] = ["new", "expansion", "contraction", "churn", "reactivation"];
/** DuckDB reads amounts as DECIMAL(38, 10): ten decimal places. */
const DUCKDB_SCALE = 10;

const PROBLEMS: [string, string, string, string][] = [
  ["no_customer", "customerId", "missing_value", "have no customer id"],
  ["no_start", "startedAt", "missing_value", "have no startedAt"],
  ["end_before_start", "endedAt", "out_of_range", "end before they start"],
  ["trial_before_start", "trialEnd", "out_of_range", "have a trial end before their start"],
  ["no_amount", "amount", "missing_value", "have no amount"],
  ["negative_amount", "amount", "out_of_range", "have a negative amount; expected a value >= 0"],
  [
    "bad_interval",
    "billingInterval",
    "invalid_value",
    "have a billing interval other than day, week, month, quarter, year",
  ],
  ["bad_count", "intervalCount", "out_of_range", "have an interval count that is not a positive integer"],
];

function decimalOf(d: Dialect, col: string): string {
  return d === "duckdb" ? `CAST(${col} AS DECIMAL(38, ${DUCKDB_SCALE}))` : `CAST(${col} AS numeric)`;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/**
 * The pipeline's statements for DuckDB or PostgreSQL (exposed for review and for other drivers).
 * `events` takes the grid boundaries, the decimal scale S of the amounts and the distinct interval
 * counts; MRR units are `amount × 10^S × perYear(interval) × (L / intervalCount)` with L their lcm,
 * so one unit is `1 / (12 × 10^S × L)` of the currency per month, exactly.
 */
export function mrrMovementsQueries(dialect: Dialect, options: MrrMovementsSqlOptions, asOf: number) {
  checkPipelineDialect("mrrMovements (sql)", dialect);
  const d = dialect;
  const rowsCte = (b: ParamBinder) =>
    subscriptionRowsCte(d, b, options.table, options.columns, options.by, true);
  const valid = validRow(asOf);
  const text = d === "duckdb" ? "VARCHAR" : "text";
  const range = () => {
    const b = new ParamBinder(d);
    const scale = d === "postgres" ? `max(scale(${decimalOf(d, "amt")}))` : String(DUCKDB_SCALE);
    const sql =
      `WITH ${rowsCte(b)} SELECT min(CASE WHEN ${valid} THEN ps END) AS lo, ` +
      `max(CASE WHEN ${valid} THEN (CASE WHEN en IS NOT NULL AND en > ps THEN en ELSE ps END) END) AS hi, ` +
      `${countIf(d, "c IS NULL")} AS no_customer, ${countIf(d, "st IS NULL")} AS no_start, ` +
      `${countIf(d, "en < st")} AS end_before_start, ${countIf(d, "te < st")} AS trial_before_start, ` +
      `${countIf(d, "amt IS NULL")} AS no_amount, ${countIf(d, `${decimalOf(d, "amt")} < 0`)} AS negative_amount, ` +
      `${countIf(d, `bi IS NULL OR bi NOT IN ('day', 'week', 'month', 'quarter', 'year')`)} AS bad_interval, ` +
      `${countIf(d, "COALESCE(ic, 1) < 1 OR COALESCE(ic, 1) <> floor(COALESCE(ic, 1))")} AS bad_count, ` +
      `count(DISTINCT cur) AS currencies, ${scale} AS scale FROM r`;
    return { sql, params: b.params };
  };
  const counts = () => {
    const b = new ParamBinder(d);
    return {
      sql: `WITH ${rowsCte(b)} SELECT DISTINCT CAST(COALESCE(ic, 1) AS BIGINT) AS ic FROM r`,
      params: b.params,
    };
  };
  const events = (boundaries: readonly number[], scale: number, intervalCounts: readonly number[]) => {
    const b = new ParamBinder(d);
    const P = boundaries.length - 1;
    let L = 1n;
    for (const ic of intervalCounts) {
      const x = BigInt(ic);
      L = (L / gcd(L, x)) * x;
    }
    const perYear = `CASE bi ${Object.entries(PER_YEAR)
      .map(([k, v]) => `WHEN '${k}' THEN ${v}`)
      .join(" ")} END`;
    const perCount = `CASE CAST(COALESCE(ic, 1) AS BIGINT) ${intervalCounts.map((ic) => `WHEN ${ic} THEN ${L / BigInt(ic)}`).join(" ")} END`;
    const big = d === "duckdb" ? "HUGEINT" : "numeric";
    const scaled =
      d === "duckdb"
        ? `CAST(${decimalOf(d, "amt")} * CAST(1${"0".repeat(scale)} AS HUGEINT) AS HUGEINT)`
        : `trunc(${decimalOf(d, "amt")} * CAST(1${"0".repeat(scale)} AS numeric))`;
    const units = `${scaled} * CAST(${perYear} AS ${big}) * CAST(${perCount} AS ${big})`;
    const keyed = options.by !== undefined;
    const segCte = keyed
      ? `, seg AS (SELECT c, key FROM (SELECT c, key, row_number() OVER (PARTITION BY c ORDER BY st, sid NULLS LAST) AS rn FROM r) x WHERE rn = 1)`
      : "";
    const sql =
      `WITH ${rowsCte(b)}${segCte}, ` +
      `v AS (SELECT c, ps, COALESCE(en, ${POS_INF}) AS en, ${units} AS u FROM r WHERE ${valid}), ` +
      `fp AS (SELECT c, min(ps) AS fps FROM v GROUP BY c), ` +
      `${gridCte(boundaries)}, ` +
      `rb AS (SELECT v.c, gs.j + 1 AS lo, ge.j AS hi, v.u FROM v JOIN grid gs ON v.ps >= gs.a AND v.ps < gs.z ` +
      `JOIN grid ge ON v.en >= ge.a AND v.en < ge.z WHERE v.u <> 0), ` +
      `ev AS (SELECT c, lo AS j, u AS du FROM rb WHERE lo <= hi UNION ALL SELECT c, hi + 1, -u FROM rb WHERE lo <= hi), ` +
      `ce AS (SELECT c, j, sum(du) AS du FROM ev GROUP BY c, j), ` +
      `cw AS (SELECT c, j, du, sum(du) OVER (PARTITION BY c ORDER BY j ROWS UNBOUNDED PRECEDING) AS after FROM ce), ` +
      `mv AS (SELECT cw.c, cw.j - 1 AS m, cw.after - cw.du AS before, cw.after AS after, ` +
      `CASE WHEN gf.j >= 0 AND gf.j < ${P} THEN gf.j ELSE -1 END AS newin ` +
      `FROM cw JOIN fp ON fp.c = cw.c JOIN grid gf ON fp.fps >= gf.a AND fp.fps < gf.z WHERE cw.j >= 1 AND cw.j <= ${P} AND cw.du <> 0), ` +
      `mk AS (SELECT c, m, CASE WHEN before = 0 THEN (CASE WHEN newin = m THEN 'new' ELSE 'reactivation' END) ` +
      `WHEN after = 0 THEN 'churn' WHEN after > before THEN 'expansion' ELSE 'contraction' END AS kind, ` +
      `CASE WHEN before = 0 THEN after WHEN after = 0 THEN before WHEN after > before THEN after - before ELSE before - after END AS amount FROM mv), ` +
      `outv AS (SELECT c, 'level' AS kind, j, du AS amount FROM ce UNION ALL SELECT c, kind, m, amount FROM mk) ` +
      (keyed
        ? `SELECT seg.key AS k0, outv.kind AS kind, outv.j AS j, CAST(sum(outv.amount) AS ${text}) AS amount, CAST(count(*) AS BIGINT) AS n ` +
          `FROM outv JOIN seg ON seg.c = outv.c GROUP BY seg.key, outv.kind, outv.j ` +
          `UNION ALL SELECT key, NULL, NULL, NULL, CAST(0 AS BIGINT) FROM seg GROUP BY key`
        : `SELECT kind, j, CAST(sum(amount) AS ${text}) AS amount, CAST(count(*) AS BIGINT) AS n FROM outv GROUP BY kind, j`);
    return { sql, params: b.params, unitsPerCurrency: 12n * 10n ** BigInt(scale) * L };
  };
  return { range: range(), counts: counts(), events };
}

/**
 * MRR movements per period computed in the engine (DuckDB, PostgreSQL): the same rows as
 * `mrrMovements` (exact `Decimal` money, ratios as correctly rounded float64), finalised by
 * `mrrMovementsAccumulator(grid, unitsPerCurrency).result`.
 *
 * Money: DuckDB reads amounts as DECIMAL(38, 10) (a DOUBLE column is rounded to 10 decimals, which is
 * exact for prices written with up to 10 decimals); PostgreSQL as `numeric` (exact). Units are summed
 * as HUGEINT / numeric. Rows in more than one currency are rejected (`invalid_currency`; the
 * in-memory `exchangeRates` option has no SQL counterpart yet). Otherwise as `customerRetentionSql`:
 * invalid rows are counted and reported without a row index; `by` is a column name.
 *
 * @example
 * const rows = await runMetric(postgresEngine(pool), mrrMovementsSql(), { table: "subscriptions", asOf: "2026-07-01T00:00:00Z" });
 * rows[0].startingMrr.toFixed(2)
 */
export function mrrMovementsSql(): PipelineSqlMetric<
  MrrMovementsRow[],
  Map<GroupKey, MrrMovementsRow[]>,
  MrrMovementsSqlOptions
> {
  const fn = "mrrMovements (sql)";
  return {
    kind: "pipeline",
    name: "mrrMovements",
    async run(engine: SqlEngine, options: MrrMovementsSqlOptions) {
      if (options.by !== undefined && typeof options.by !== "string")
        invalidOption(fn, "by", "a column name", options.by);
      const asOf =
        options.asOf === undefined ? Number.POSITIVE_INFINITY : instantAt(fn, options.asOf, null, "asOf");
      const queries = mrrMovementsQueries(engine.dialect, options, asOf);
      const [info] = await engine.query(queries.range.sql, queries.range.params, {});
      checkCounts(fn, info ?? {}, PROBLEMS);
      if (countValue(info?.currencies, "currencies") > 1) {
        throw new InvalidInputError(
          [
            {
              index: null,
              path: ["currency"],
              code: "invalid_currency",
              message: `rows are in ${countValue(info?.currencies, "currencies")} currencies; convert amounts to one currency first`,
            },
          ],
          { context: fn, code: "invalid_currency" },
        );
      }
      const scale = info?.scale === null || info?.scale === undefined ? 0 : Number(info.scale);
      const counts =
        options.columns?.intervalCount === undefined
          ? [1]
          : (await engine.query(queries.counts.sql, queries.counts.params, {})).map((r) => Number(r.ic));
      const lo = info?.lo === null || info?.lo === undefined ? Number.POSITIVE_INFINITY : Number(info.lo);
      const hi = info?.hi === null || info?.hi === undefined ? Number.NEGATIVE_INFINITY : Number(info.hi);
      // makeGrid validates period, time zone, from and to exactly as mrrMovements does.
      const grid = makeGrid(fn, options, lo, hi);
      const ev = queries.events(grid.starts.length > 0 ? grid.starts : [0], scale, counts);
      const acc = mrrMovementsAccumulator(grid, ev.unitsPerCurrency);
      const P = Math.max(0, grid.starts.length - 1);
      if (P === 0 && options.by === undefined) return acc.result(acc.init());
      const rows = await engine.query(ev.sql, ev.params, {});
      const states = new Map<GroupKey, MrrMovementsState>();
      for (const row of rows) {
        const key = options.by === undefined ? null : groupKeyOf(row.k0);
        let s = states.get(key);
        if (s === undefined) states.set(key, (s = acc.init()));
        if (row.kind === null || row.kind === undefined || P === 0) continue;
        const kind = String(row.kind);
        const j = Number(row.j);
        const amount = BigInt(String(row.amount));
        if (kind === "level" && Number.isInteger(j) && j >= 0 && j < s.level.length) s.level[j]! += amount;
        else if (KINDS.includes(kind as MrrMovementKind) && Number.isInteger(j) && j >= 0 && j < P) {
          s.movement[kind as MrrMovementKind][j]! += amount;
          s.customers[kind as MrrMovementKind][j]! += countValue(row.n, "n");
        } else {
          throw new CxMetricsError(
            "internal_error",
            `${fn}: internal error (please report): event ${formatValue(kind)} at ${formatValue(j)}`,
          );
        }
      }
      if (options.by === undefined) return acc.result(states.get(null) ?? acc.init());
      const out = [...states].sort((a, b) => compareKeys(a[0], b[0]));
      return new Map(out.map(([k, s]) => [k, acc.result(s)]));
    },
  };
}

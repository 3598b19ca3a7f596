/**
 * `acquisition` pushed down: a CTE pipeline (rows → epoch ms → per customer: sign-up, first paid
 * start, Σ acquisition cost, channel or segment of the first row, MRR × 12 at the first paid start →
 * counts and exact sums per (group, period)) for DuckDB and PostgreSQL, finalised with the
 * acquisition domain's own accumulator into the same result object as the in-memory
 * `acquisition(subscriptions, options)`.
 *
 * @module
 */
import {
  type AcquisitionOptions,
  type AcquisitionResult,
  type AcquisitionState,
  acquisitionAccumulator,
  acquisitionFromStates,
} from "../acquisition/acquisition.js";
import {
  CxMetricsError,
  type ErrorCode,
  InvalidInputError,
  formatValue,
  invalidOption,
} from "../core/errors.js";
import { Decimal, toDecimal } from "../core/money.js";
import {
  type CalendarOptions,
  checkPeriod,
  checkTimeZone,
  locatePeriod,
  parseInstant,
  periodRange,
} from "../core/time.js";
import { epochLiteral, gridIndexSql } from "./_grid.js";
import {
  SUBSCRIPTION_DEFAULTS,
  SUBSCRIPTION_ROW_PROBLEMS,
  type SubscriptionColumns,
  checkCounts,
  checkPipelineDialect,
  epochMs,
  validRow,
} from "./_subscriptions.js";
import { type Dialect, ParamBinder, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import { countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { runProbed } from "./_probes.js";
import { type TableSource, tableSql } from "./table.js";

/**
 * Column names of {@link acquisitionSql}'s table: those of the subscription pipelines plus the
 * first-row attributes and the acquisition cost (defaults in snake_case, as in the shared CSV).
 */
export interface AcquisitionColumns extends SubscriptionColumns {
  /** Default `segment` (read only with `by: "segment"`). */
  segment?: string;
  /** Default `acquisition_channel` (read only with `by: "channel"`, the default). */
  acquisitionChannel?: string;
  /** Default `acquisition_cost` (DECIMAL, or a number/text with at most 10 decimals in DuckDB; NULL = 0). */
  acquisitionCost?: string;
}

/**
 * Options of {@link acquisitionSql}: those of `acquisition` (period, time zone, week start,
 * grossMargin, from, to, asOf, costs) plus the table and its columns; `by` is `"channel"` (default),
 * `"segment"` or `null` (grouping functions are not pushed down).
 */
export interface AcquisitionSqlOptions extends Omit<AcquisitionOptions, "by"> {
  table: TableSource;
  columns?: AcquisitionColumns;
  /** Group customers by the channel (default) or segment of their first row; `null` for none. */
  by?: "channel" | "segment" | null;
}

/** The statements of the pipeline (for review, or to run with another driver). */
export interface AcquisitionSqlQueries {
  /**
   * Data range (first sign-up; last sign-up or first paid start) and invalid-row counts. In DuckDB
   * instants and amounts are read with `TRY_CAST`, so unreadable values are counted too.
   */
  range: { sql: string; params: unknown[] };
  /**
   * PostgreSQL has no `TRY_CAST`: when the range query fails with a data exception (SQLSTATE class
   * 22), these one-column queries find the column that cannot be read (`path` names it).
   */
  probes: { path: string; code: ErrorCode; sql: string; params: unknown[] }[];
  /**
   * Given the grid boundaries (epoch ms, `boundaries.length − 1` periods): rows `kind` `signup` /
   * `new` (customers `n` and Σ acquisition cost `amount` per group `key` and period `j`), `mrr`
   * (Σ amount × periods-per-year over the rows billing at the first paid start, per interval count
   * `ic`), `never` (customers who never paid) and `key` (every group key seen).
   */
  events(boundaries: readonly number[]): { sql: string; params: unknown[] };
}

const FN = "acquisition (sql)";
const D40 = Decimal.clone({ precision: 40 });
/** Billing periods per year (MRR × 12 = amount × perYear / intervalCount), as in `acquisition`. */
const PER_YEAR: Record<string, number> = { day: 365, week: 52, month: 12, quarter: 4, year: 1 };
const DEFAULTS = {
  ...SUBSCRIPTION_DEFAULTS,
  segment: "segment",
  acquisitionChannel: "acquisition_channel",
  acquisitionCost: "acquisition_cost",
} as const;

/** Invalid-row counts of the range query: [alias, path, code, what]. */
const PROBLEMS: [string, string, string, string][] = [
  ...SUBSCRIPTION_ROW_PROBLEMS,
  ["no_amount", "amount", "missing_value", "have no amount"],
  ["bad_amount", "amount", "invalid_type", "have an amount that is not a number"],
  ["negative_amount", "amount", "out_of_range", "have a negative amount; expected a value >= 0"],
  [
    "bad_interval",
    "billingInterval",
    "invalid_value",
    "have a billing interval other than day, week, month, quarter, year",
  ],
  ["bad_count_type", "intervalCount", "invalid_type", "have an interval count that is not a number"],
  ["bad_count", "intervalCount", "out_of_range", "have an interval count that is not a positive integer"],
  ["bad_cost", "acquisitionCost", "invalid_type", "have an acquisition cost that is not a number"],
  ["negative_cost", "acquisitionCost", "out_of_range", "have a negative acquisition cost; expected >= 0"],
];

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL. `asOf` is epoch ms (+∞ when not given);
 * grid boundaries are numbers computed by cxmetrics, inlined as integer literals; column names are
 * quoted; file paths in table expressions are bound; no other value enters the SQL.
 *
 * Per customer the engine derives what `acquisition` derives: sign-up = min `startedAt`; first paid
 * start = min paid start (`trialEnd ?? startedAt`) over the paid rows (not zero-length, not
 * trial-only, paid start before `asOf`); cost = Σ `acquisitionCost` (NULL = 0); group = the column of
 * the first row by `startedAt`, then subscription id (text, code-point order; blank = none); MRR × 12
 * at the first paid start = Σ amount × periods-per-year / interval count over the paid rows starting
 * to pay then (summed per interval count, divided in the finaliser).
 *
 * @example
 * const q = acquisitionQueries("duckdb", { table: "subscriptions", grossMargin: 0.8 }, Number.POSITIVE_INFINITY);
 * q.events([Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)]).sql.startsWith("WITH r0 AS") //=> true
 */
export function acquisitionQueries(
  dialect: Dialect,
  options: AcquisitionSqlOptions,
  asOf: number,
): AcquisitionSqlQueries {
  checkPipelineDialect(FN, dialect);
  const d = dialect;
  const q = (s: string) => quoteIdent(d, s);
  const cols = { ...DEFAULTS, ...(options.columns ?? {}) };
  const by = options.by === undefined ? "channel" : options.by;
  const keyCol = by === "channel" ? cols.acquisitionChannel : by === "segment" ? cols.segment : null;
  const text = d === "duckdb" ? "VARCHAR" : "text";
  const dbl = d === "duckdb" ? "DOUBLE" : "double precision";
  const decType = d === "duckdb" ? "DECIMAL(38, 10)" : "numeric";
  const ic = cols.intervalCount !== undefined ? q(cols.intervalCount) : "1";
  const raw = (b: ParamBinder) =>
    `r0 AS (SELECT ${q(cols.customerId)} AS c, ` +
    (keyCol === null ? "" : `${q(cols.subscriptionId)} AS i0, ${q(keyCol)} AS k0, `) +
    `${q(cols.startedAt)} AS s0, ${q(cols.trialEnd)} AS t0, ${q(cols.endedAt)} AS e0, ` +
    `${q(cols.amount)} AS a0, ${q(cols.billingInterval)} AS b0, ${ic} AS n0, ${q(cols.currency)} AS u0, ` +
    `${q(cols.acquisitionCost)} AS x0 FROM ${tableSql(d, b, options.table)} AS ${q("t")})`;
  // The range query reads instants and amounts with TRY_CAST in DuckDB (unreadable ones are counted).
  const ms = (col: string, tryCast: boolean) =>
    tryCast && d === "duckdb" ? `epoch_ms(TRY_CAST(${col} AS TIMESTAMPTZ))` : epochMs(d, col);
  const dec = (col: string, tryCast: boolean) =>
    `${tryCast && d === "duckdb" ? "TRY_CAST" : "CAST"}(${col} AS ${decType})`;
  const rows = (b: ParamBinder, tryCast: boolean) => {
    const icr = `${tryCast && d === "duckdb" ? "TRY_CAST" : "CAST"}(n0 AS ${dbl})`;
    return (
      `${raw(b)}, r AS (SELECT c, ` +
      (keyCol === null ? "" : `CAST(i0 AS ${text}) AS sid, NULLIF(CAST(k0 AS ${text}), '') AS key, `) +
      `${ms("s0", tryCast)} AS st, COALESCE(${ms("t0", tryCast)}, ${ms("s0", tryCast)}) AS ps, ` +
      `${ms("t0", tryCast)} AS te, ${ms("e0", tryCast)} AS en, s0, t0, e0, a0, x0, ` +
      `${dec("a0", tryCast)} AS amt, CAST(b0 AS ${text}) AS bi, n0, ${icr} AS icr, COALESCE(${icr}, 1) AS ic, ` +
      `upper(CAST(u0 AS ${text})) AS cur, ${dec("x0", tryCast)} AS cost FROM r0)`
    );
  };
  const valid = validRow(asOf);
  const range = () => {
    const b = new ParamBinder(d);
    const unreadable = (col: string, v: string) =>
      d === "duckdb" ? countIf(d, `${col} IS NOT NULL AND ${v} IS NULL`) : "0";
    const sql =
      `WITH ${rows(b, true)}, ` +
      `cu AS (SELECT c, min(st) AS s, min(CASE WHEN ${valid} THEN ps END) AS f FROM r GROUP BY c) ` +
      "SELECT (SELECT min(s) FROM cu) AS lo, " +
      "(SELECT max(CASE WHEN f IS NOT NULL AND f > s THEN f ELSE s END) FROM cu) AS hi, " +
      `${countIf(d, "c IS NULL")} AS no_customer, ${countIf(d, `CAST(c AS ${text}) = ''`)} AS empty_customer, ` +
      `${countIf(d, "s0 IS NULL")} AS no_start, ${unreadable("s0", "st")} AS bad_start, ` +
      `${unreadable("e0", "en")} AS bad_end, ${unreadable("t0", "te")} AS bad_trial, ` +
      `${countIf(d, "en < st")} AS end_before_start, ${countIf(d, "te < st")} AS trial_before_start, ` +
      `${countIf(d, "a0 IS NULL")} AS no_amount, ${unreadable("a0", "amt")} AS bad_amount, ` +
      `${countIf(d, "amt < 0")} AS negative_amount, ` +
      `${countIf(d, `bi IS NULL OR bi NOT IN ('day', 'week', 'month', 'quarter', 'year')`)} AS bad_interval, ` +
      `${unreadable("n0", "icr")} AS bad_count_type, ${countIf(d, "ic < 1 OR ic <> floor(ic)")} AS bad_count, ` +
      `${unreadable("x0", "cost")} AS bad_cost, ${countIf(d, "cost < 0")} AS negative_cost, ` +
      "count(DISTINCT cur) AS currencies FROM r";
    return { sql, params: b.params };
  };
  const probe = (path: string, code: ErrorCode, expr: string) => {
    const b = new ParamBinder(d);
    const sql = `SELECT min(${expr}) AS m FROM ${tableSql(d, b, options.table)} AS ${q("t")}`;
    return { path, code, sql, params: b.params };
  };
  const probes = [
    probe("startedAt", "invalid_time", epochMs(d, q(cols.startedAt))),
    probe("endedAt", "invalid_time", epochMs(d, q(cols.endedAt))),
    probe("trialEnd", "invalid_time", epochMs(d, q(cols.trialEnd))),
    probe("amount", "invalid_type", `CAST(${q(cols.amount)} AS ${decType})`),
    probe("acquisitionCost", "invalid_type", `CAST(${q(cols.acquisitionCost)} AS ${decType})`),
    probe("intervalCount", "invalid_type", `CAST(${ic} AS ${dbl})`),
  ];
  const events = (boundaries: readonly number[]) => {
    const b = new ParamBinder(d);
    const P = boundaries.length - 1;
    const idx = (v: string) =>
      P >= 1 ? gridIndexSql(v, boundaries, epochLiteral, { below: -1, above: -1 }) : "-1";
    const perYear = `CASE bi ${Object.entries(PER_YEAR)
      .map(([k, v]) => `WHEN '${k}' THEN ${v}`)
      .join(" ")} END`;
    const sidOrder = d === "postgres" ? 'sid COLLATE "C"' : "sid";
    const first =
      keyCol === null
        ? ""
        : `fk AS (SELECT c, key FROM (SELECT c, key, row_number() OVER (PARTITION BY c ORDER BY st, ${sidOrder} NULLS LAST) AS rn FROM r) z WHERE rn = 1), `;
    const nul = (type: string) => `CAST(NULL AS ${type})`;
    const sql =
      `WITH ${rows(b, false)}, ` +
      `cu AS (SELECT c, min(st) AS s, min(CASE WHEN ${valid} THEN ps END) AS f, sum(COALESCE(cost, 0)) AS x FROM r GROUP BY c), ` +
      first +
      `cg AS (SELECT cu.c AS c, ${keyCol === null ? nul(text) : "fk.key"} AS key, cu.f AS f, cu.x AS x, ` +
      `${idx("cu.s")} AS js, ${idx("cu.f")} AS jn FROM cu${keyCol === null ? "" : " JOIN fk ON fk.c = cu.c"}), ` +
      // the rows that bill at the customer's first paid start (a valid row with ps = f is still open then)
      `cm AS (SELECT r.c AS c, CAST(r.ic AS BIGINT) AS ic, sum(r.amt * ${perYear}) AS m FROM r JOIN cu ON cu.c = r.c ` +
      `WHERE ${valid} AND r.ps = cu.f GROUP BY r.c, CAST(r.ic AS BIGINT)) ` +
      `SELECT CAST('signup' AS ${text}) AS kind, key, js AS j, ${nul("BIGINT")} AS ic, CAST(count(*) AS BIGINT) AS n, ` +
      `CAST(sum(x) AS ${text}) AS amount FROM cg WHERE js >= 0 GROUP BY key, js ` +
      `UNION ALL SELECT 'new', key, jn, ${nul("BIGINT")}, CAST(count(*) AS BIGINT), CAST(sum(x) AS ${text}) ` +
      "FROM cg WHERE jn >= 0 GROUP BY key, jn " +
      `UNION ALL SELECT 'mrr', cg.key, cg.jn, cm.ic, CAST(count(*) AS BIGINT), CAST(sum(cm.m) AS ${text}) ` +
      "FROM cm JOIN cg ON cg.c = cm.c WHERE cg.jn >= 0 GROUP BY cg.key, cg.jn, cm.ic " +
      `UNION ALL SELECT 'never', ${nul(text)}, ${nul("INTEGER")}, ${nul("BIGINT")}, CAST(count(*) AS BIGINT), ${nul(text)} ` +
      "FROM cg WHERE f IS NULL" +
      (keyCol === null
        ? ""
        : ` UNION ALL SELECT 'key', key, ${nul("INTEGER")}, ${nul("BIGINT")}, CAST(count(*) AS BIGINT), ${nul(text)} ` +
          "FROM cg WHERE key IS NOT NULL GROUP BY key");
    return { sql, params: b.params };
  };
  return { range: range(), probes, events };
}

function internalError(message: string): never {
  throw new CxMetricsError("internal_error", `${FN}: internal error (please report): ${message}`);
}

/**
 * Customer acquisition per calendar period and per channel (or segment) computed in the engine
 * (DuckDB, PostgreSQL): the same definitions and the same result object as the in-memory
 * `acquisition(subscriptions, options)` (new customers by first paid start, sign-ups, CAC, blended
 * CAC, spend-based CAC, average new MRR, CAC payback, `total`, `neverPaid`; see its documentation).
 *
 * Pipeline: a first query checks the rows and reads the data range (first sign-up; last sign-up or
 * first paid start); the period grid is computed in JavaScript with the in-memory calendar code (so
 * time zones and DST are exact) and inlined as a comparison tree; a second query derives each
 * customer (sign-up, first paid start, Σ acquisition cost, first row's channel or segment, MRR at the
 * first paid start) and returns counts and exact DECIMAL/numeric sums per (group, period), a few rows
 * per period and group whatever the number of subscriptions. The finaliser builds the
 * `AcquisitionState` of every period and group, folds the `costs` spend list in (JavaScript, as in
 * memory), pools the window into `total`, and calls `acquisitionAccumulator(grossMargin).result`.
 *
 * Money: DuckDB reads amounts and costs as DECIMAL(38, 10) (a DOUBLE column is rounded to 10
 * decimals, exact for prices written with up to 10 decimals), PostgreSQL as `numeric`; sums are read
 * as text into `Decimal`. MRR × 12 is summed per interval count and divided in the finaliser, so it
 * is exact whenever amount × periods-per-year / interval count is a terminating decimal (the
 * in-memory function rounds other quotients to 20 significant digits per customer).
 *
 * Invalid rows are counted in the first query and thrown without a row index: NULL customer id,
 * startedAt or amount `missing_value`; empty customer id, unreadable amount or cost `invalid_type`;
 * unreadable instant `invalid_time`; endedAt or trialEnd before startedAt, negative amount or cost,
 * interval count not a positive integer `out_of_range`; unknown billing interval `invalid_value`;
 * more than one currency `invalid_currency`. Differences from the in-memory function: errors name the
 * column, not a row index; `by` is `"channel"`, `"segment"` or `null` (a function is
 * `invalid_option`); ties in a customer's first `startedAt` are broken by subscription id (compared
 * as text in code-point order, NULL last), not input order; instants are truncated to whole
 * milliseconds; the currency column is required. With `by: null`, call
 * `acquisitionSql().run(engine, options)` (the overloads of `runMetric` type `by` as absent or a string).
 *
 * @throws {InvalidInputError} `invalid_option`, `invalid_time`, `missing_value`, `invalid_type`,
 *   `invalid_value`, `out_of_range`, `invalid_currency`
 * @example
 * const r = await runMetric(duckdbEngine(con), acquisitionSql(), {
 *   table: readCsv("subscriptions.csv"), period: "month", timeZone: "Europe/Berlin", grossMargin: 0.8,
 *   asOf: "2026-07-01T00:00:00Z", costs: [{ at: "2025-01-15T00:00:00Z", amount: "1000", group: "paid_search" }] });
 * r.total.groups.get("paid_search")?.cac?.toString()
 */
export function acquisitionSql(): PipelineSqlMetric<
  AcquisitionResult,
  AcquisitionResult,
  AcquisitionSqlOptions
> {
  return {
    kind: "pipeline",
    name: "acquisition",
    async run(engine: SqlEngine, options: AcquisitionSqlOptions): Promise<AcquisitionResult> {
      // options checked in the order of the in-memory function
      const acc = acquisitionAccumulator(options?.grossMargin);
      const gm = options.grossMargin;
      const period = checkPeriod(FN, options.period ?? "month");
      const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
      const cal: CalendarOptions = { timeZone, weekStartsOn: options.weekStartsOn ?? 1 };
      const by = options.by === undefined ? "channel" : options.by;
      if (by !== null && by !== "channel" && by !== "segment") {
        invalidOption(
          FN,
          "by",
          typeof by === "function"
            ? '"channel", "segment" or null (grouping functions are not pushed down; use acquisition in memory)'
            : '"channel", "segment" or null',
          by,
        );
      }
      const asOf =
        options.asOf === undefined
          ? Number.POSITIVE_INFINITY
          : parseInstant(options.asOf, { path: ["asOf"], fn: FN });
      const bound = (v: unknown, name: string) =>
        v === undefined ? undefined : parseInstant(v, { timeZone, path: [name], fn: FN });
      const from = bound(options.from, "from");
      const to = bound(options.to, "to");
      const spends = readCosts(options.costs, timeZone);

      const queries = acquisitionQueries(engine.dialect, { ...options, by }, asOf);
      const [info] = await runProbed(engine, queries.range, queries.probes, FN);
      checkCounts(FN, info ?? {}, PROBLEMS);
      const currencies = countValue(info?.currencies, "currencies");
      if (currencies > 1) {
        throw new InvalidInputError(
          [
            {
              index: null,
              path: ["currency"],
              code: "invalid_currency",
              message: `rows are in ${currencies} currencies; convert amounts to one currency first`,
            },
          ],
          { context: FN, code: "invalid_currency" },
        );
      }
      const num = (v: unknown, none: number) => (v === null || v === undefined ? none : Number(v));
      const min = from ?? num(info?.lo, Number.POSITIVE_INFINITY);
      const max = to ?? num(info?.hi, Number.NEGATIVE_INFINITY);
      const { starts, labels } = min <= max ? periodRange(min, max, period, cal) : { starts: [], labels: [] };
      const P = labels.length;

      const ev = queries.events(P > 0 ? starts : [0]);
      const rows = await engine.query(ev.sql, ev.params, {});
      const all = labels.map(() => acc.init());
      const grouped = labels.map(() => new Map<string, AcquisitionState>());
      const groupKeys = new Set<string>();
      let neverPaid = 0;
      for (const row of rows) {
        const kind = row.kind;
        const n = countValue(row.n, "n");
        if (kind === "never") {
          neverPaid += n;
          continue;
        }
        const key = row.key === null || row.key === undefined ? null : String(row.key);
        if (kind === "key") {
          if (key === null) internalError("a NULL group key");
          groupKeys.add(key);
          continue;
        }
        const j = Number(row.j);
        if (
          !(kind === "signup" || kind === "new" || kind === "mrr") ||
          !Number.isInteger(j) ||
          j < 0 ||
          j >= P
        ) {
          internalError(`event ${formatValue(kind)} at ${formatValue(row.j)}`);
        }
        const amount = toDecimal(row.amount, { path: ["amount"], fn: FN });
        let mrr12 = amount;
        if (kind === "mrr") {
          const ic = Number(row.ic);
          if (!Number.isSafeInteger(ic) || ic < 1) internalError(`interval count ${formatValue(row.ic)}`);
          if (ic !== 1) mrr12 = new Decimal(new D40(amount).div(ic));
        }
        const apply = (st: AcquisitionState) => {
          if (kind === "signup") {
            st.signups += n;
            st.costOfSignups = st.costOfSignups.plus(amount);
          } else if (kind === "new") {
            st.newCustomers += n;
            st.costOfNew = st.costOfNew.plus(amount);
          } else st.newMrr12 = st.newMrr12.plus(mrr12);
        };
        apply(all[j]!);
        if (key !== null) {
          const g = grouped[j]!;
          let st = g.get(key);
          if (st === undefined) g.set(key, (st = acc.init()));
          apply(st);
        }
      }
      // marketing spend: folded in here exactly as acquisition() folds it
      for (const s of spends) {
        // (locatePeriod answers 0 on an empty grid: no period, no spend)
        const k = P > 0 ? locatePeriod(starts, s.at) : -1;
        if (k < 0) continue;
        acc.add(all[k]!, { kind: "spend", amount: s.amount }, 0);
        if (s.group === null) continue;
        groupKeys.add(s.group);
        const g = grouped[k]!;
        g.set(s.group, acc.add(g.get(s.group) ?? acc.init(), { kind: "spend", amount: s.amount }, 0));
      }
      return acquisitionFromStates(
        { period, timeZone, grossMargin: gm },
        { starts, labels, all, grouped, groupKeys },
        { costsGiven: options.costs !== undefined, neverPaid },
      );
    },
  };
}

interface Spend {
  at: number;
  amount: Decimal;
  group: string | null;
}

/** The `costs` option read and checked as `acquisition` reads it. */
function readCosts(costs: AcquisitionSqlOptions["costs"], timeZone: string): Spend[] {
  if (costs === undefined) return [];
  if (!Array.isArray(costs)) invalidOption(FN, "costs", "an array of { at, amount, group? }", costs);
  return costs.map((s, i) => {
    const at = parseInstant(s?.at, { timeZone, index: i, path: ["costs", i, "at"], fn: FN });
    const amount = toDecimal(s.amount, { index: i, path: ["costs", i, "amount"], fn: FN });
    if (amount.isNegative()) {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: ["costs", i, "amount"],
            code: "out_of_range",
            message: `spend is ${amount}; expected ≥ 0`,
          },
        ],
        { context: FN, code: "out_of_range" },
      );
    }
    return { at, amount, group: s.group ?? null };
  });
}

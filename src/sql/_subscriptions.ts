/**
 * Shared SQL of the subscription pipelines (customerRetentionSql, mrrMovementsSql): reading rows
 * into epoch milliseconds, the paid-interval validity rule, the period grid as a VALUES table.
 * Internal (not re-exported).
 *
 * @module
 */
import { CxMetricsError, InvalidInputError } from "../core/errors.js";
import { type Dialect, type ParamBinder, quoteIdent } from "./dialect.js";
import type { SqlRow } from "./engine.js";
import { type GroupKey, countValue } from "./metric.js";
import { type TableSource, tableSql } from "./table.js";

/** Column names of the subscription table (defaults in snake_case, as in the shared CSV). */
export interface SubscriptionColumns {
  /** Default `customer_id`. */
  customerId?: string;
  /** Default `subscription_id`. */
  subscriptionId?: string;
  /** Default `started_at` (a zoned timestamp, or ISO-8601 text with an offset). */
  startedAt?: string;
  /** Default `ended_at` (NULL while active). */
  endedAt?: string;
  /** Default `trial_end` (NULL without a trial). */
  trialEnd?: string;
  /** Default `amount` (MRR metrics only; DECIMAL, or a number/text with at most 10 decimals). */
  amount?: string;
  /** Default `billing_interval`: `day`, `week`, `month`, `quarter` or `year` (MRR metrics only). */
  billingInterval?: string;
  /** Interval count column (MRR metrics only); default: none (every row bills once per interval). */
  intervalCount?: string;
  /** Default `currency` (MRR metrics only; rows in different currencies are rejected). */
  currency?: string;
}

export const SUBSCRIPTION_DEFAULTS = {
  customerId: "customer_id",
  subscriptionId: "subscription_id",
  startedAt: "started_at",
  endedAt: "ended_at",
  trialEnd: "trial_end",
  amount: "amount",
  billingInterval: "billing_interval",
  currency: "currency",
} as const;

/** Sentinels for ±infinity in epoch milliseconds (outside any real instant, exact as BIGINT). */
export const NEG_INF = "-9007199254740992";
export const POS_INF = "9007199254740991";
const TOP = "9007199254740992";

/** Only DuckDB and PostgreSQL have the pipelines; other dialects are refused with a clear error. */
export function checkPipelineDialect(fn: string, d: Dialect): void {
  if (d !== "duckdb" && d !== "postgres") {
    throw new CxMetricsError(
      "invalid_option",
      `${fn}: dialect ${d} is not supported for this pipeline yet (DuckDB and PostgreSQL are)`,
    );
  }
}

/** Epoch milliseconds of an instant column (BIGINT). */
export function epochMs(d: Dialect, col: string): string {
  return d === "duckdb"
    ? `epoch_ms(CAST(${col} AS TIMESTAMPTZ))`
    : `CAST(floor(extract(epoch FROM CAST(${col} AS timestamptz)) * 1000) AS bigint)`;
}

/**
 * The CTE `r` with one row per subscription: c (customer), sid, key (the `by` column), st (startedAt),
 * ps (paid start = trialEnd ?? startedAt), te (trialEnd), en (endedAt), all instants in epoch ms;
 * with `money`: amt, bi (billing interval), ic (interval count), cur (currency).
 */
export function subscriptionRowsCte(
  d: Dialect,
  b: ParamBinder,
  table: TableSource,
  columns: SubscriptionColumns | undefined,
  by: string | undefined,
  money: boolean,
): string {
  const q = (s: string) => quoteIdent(d, s);
  const c = { ...SUBSCRIPTION_DEFAULTS, ...(columns ?? {}) };
  const parts = [
    `${q(c.customerId)} AS c`,
    `${q(c.subscriptionId)} AS sid`,
    ...(by === undefined ? [] : [`${q(by)} AS key`]),
    `${epochMs(d, q(c.startedAt))} AS st`,
    `COALESCE(${epochMs(d, q(c.trialEnd))}, ${epochMs(d, q(c.startedAt))}) AS ps`,
    `${epochMs(d, q(c.trialEnd))} AS te`,
    `${epochMs(d, q(c.endedAt))} AS en`,
  ];
  if (money) {
    parts.push(
      `${q(c.amount)} AS amt`,
      `CAST(${q(c.billingInterval)} AS ${d === "duckdb" ? "VARCHAR" : "text"}) AS bi`,
      `${c.intervalCount === undefined ? "1" : q(c.intervalCount)} AS ic`,
      `upper(CAST(${q(c.currency)} AS ${d === "duckdb" ? "VARCHAR" : "text"})) AS cur`,
    );
  }
  return `r AS (SELECT ${parts.join(", ")} FROM ${tableSql(d, b, table)} AS ${q("t")})`;
}

/** The paid-interval rule of the retention domain: not zero-length, not trial-only, paid start before asOf. */
export function validRow(asOf: number): string {
  const a = Number.isFinite(asOf) ? String(Math.trunc(asOf)) : POS_INF;
  return `(en IS NULL OR (en > ps AND en <> st)) AND ps < ${a}`;
}

/**
 * The grid as a VALUES table `grid(j, a, z)`: j = −1 … P with `[a, z)` the instants whose
 * upper bound among the boundaries is j + 1 (so `upperBound(t) = j + 1` for `a ≤ t < z`).
 * Boundaries are numbers computed by cxmetrics (never user text), inlined as integer literals.
 */
export function gridCte(boundaries: readonly number[]): string {
  const P = boundaries.length - 1;
  const rows: string[] = [];
  for (let j = -1; j <= P; j++) {
    const a = j < 0 ? NEG_INF : String(Math.trunc(boundaries[j]!));
    const z = j < P ? String(Math.trunc(boundaries[j + 1]!)) : TOP;
    rows.push(`(${j}, CAST(${a} AS BIGINT), CAST(${z} AS BIGINT))`);
  }
  return `grid (j, a, z) AS (VALUES ${rows.join(", ")})`;
}

/** Throw for invalid-row counts returned by a range query: [alias, path, code, what]. */
export function checkCounts(
  fn: string,
  row: SqlRow,
  problems: readonly [string, string, string, string][],
): void {
  for (const [alias, path, code, what] of problems) {
    const n = countValue(row[alias], alias);
    if (n > 0) {
      throw new InvalidInputError([{ index: null, path: [path], code, message: `${n} row(s) ${what}` }], {
        context: fn,
      });
    }
  }
}

/** A group key as the driver returned it (bigint → number). */
export function groupKeyOf(v: unknown): GroupKey {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

/**
 * Invalid-row counts every subscription pipeline's first query reports, as [alias, path, code, what]
 * for {@link checkCounts} (the codes of `parseSubscriptions`, without a row index).
 */
export const SUBSCRIPTION_ROW_PROBLEMS: [string, string, string, string][] = [
  ["no_customer", "customerId", "missing_value", "have no customer id"],
  ["empty_customer", "customerId", "invalid_type", "have an empty customer id"],
  ["no_start", "startedAt", "missing_value", "have no startedAt"],
  ["bad_start", "startedAt", "invalid_time", "have a startedAt that is not an instant"],
  ["bad_end", "endedAt", "invalid_time", "have an endedAt that is not an instant"],
  ["bad_trial", "trialEnd", "invalid_time", "have a trialEnd that is not an instant"],
  ["end_before_start", "endedAt", "out_of_range", "end before they start"],
  ["trial_before_start", "trialEnd", "out_of_range", "have a trial end before their start"],
];

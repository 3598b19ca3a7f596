/**
 * Shared machinery of the subscription metrics (customerRetention, mrrMovements, cohortRetention):
 * reading subscription rows into paid intervals, exact MRR in integer units, grouping rows by
 * customer, the period grid and the boundary ranges a paid interval covers.
 *
 * Internal (the `_sub` prefix): not re-exported from `cxmetrics/retention`.
 *
 * @module
 */
import { CxMetricsError, InvalidInputError, formatValue } from "../core/errors.js";
import { Decimal, type MoneyInput } from "../core/money.js";
import {
  type CalendarOptions,
  type InstantInput,
  type Period,
  checkPeriod,
  checkTimeZone,
  periodRange,
  tryParseInstant,
} from "../core/time.js";
import type { BillingInterval } from "../schemas/subscription.js";

/**
 * A subscription row as the retention functions accept it: a parsed {@link Subscription} (Dates,
 * Decimals) or a raw record with ISO strings (with offsets), epoch ms, numbers or decimal strings.
 */
export interface SubscriptionLike {
  subscriptionId?: string | null;
  customerId: string;
  segment?: string | null;
  billingInterval: BillingInterval | string;
  intervalCount?: number | null;
  amount: MoneyInput;
  currency?: string | null;
  startedAt: InstantInput;
  endedAt?: InstantInput | null;
  trialEnd?: InstantInput | null;
}

/** Why a row takes no part in the metrics (definitions: paid interval). */
export type ExcludedReason = "zero_length" | "trial_only" | "paid_start_at_or_after_as_of";

/** One row read into numbers. */
export interface PaidRow {
  /** Position in the input. */
  index: number;
  subscriptionId: string | null;
  /** Paid interval start (epoch ms): trialEnd if present, else startedAt. */
  paidStart: number;
  /** Paid interval end (epoch ms), +Infinity while active. */
  end: number;
  /** startedAt (epoch ms), trial included. */
  startedAt: number;
  /** MRR in integer units of `1 / unitsPerCurrency`. */
  units: bigint;
  /** Excluded from every metric (still used for segment and sign-up). */
  excluded: ExcludedReason | null;
}

/** One customer's rows, sorted by (paidStart, subscriptionId, index). */
export interface CustomerHistory<R = SubscriptionLike> {
  customerId: string;
  /** Every row of the customer (excluded ones flagged), sorted. */
  rows: PaidRow[];
  /** The customer's first row by (startedAt, subscriptionId, index): defines segment and sign-up. */
  firstRow: R;
  /** startedAt of the first row (sign-up, trial included), epoch ms. */
  signup: number;
}

/** Options shared by the subscription metrics. */
export interface SubscriptionMetricOptions extends CalendarOptions {
  /** First reporting period: the period containing this instant (default: the first paid start). */
  from?: InstantInput;
  /** Last reporting period: the period containing this instant (default: the period before `asOf`, else the last instant in the data). */
  to?: InstantInput;
  /** Calendar period (default `"month"`). */
  period?: Period;
  /**
   * Data as-of instant (export time). Rows whose paid interval starts at or after it are excluded
   * (still trialling); periods ending after it are flagged `incomplete`. Default: none (+∞).
   */
  asOf?: InstantInput;
  /**
   * Convert amounts in other currencies: `{ to: "USD", rates: { EUR: "1.08" } }` multiplies an EUR
   * amount by 1.08. Without it, rows in different currencies throw `invalid_currency`.
   */
  exchangeRates?: { to: string; rates: Record<string, MoneyInput> | Map<string, MoneyInput> };
}

/** Period grid: boundaries `starts[0..P]` (epoch ms) and labels of the P periods. */
export interface PeriodGrid {
  period: Period;
  timeZone: string;
  weekStartsOn: NonNullable<CalendarOptions["weekStartsOn"]>;
  starts: number[];
  labels: string[];
  asOf: number;
}

const MONTHS_PER: Record<BillingInterval, [number, number]> = {
  // MRR × 12 = amount × num / (den × intervalCount)
  day: [365, 1],
  week: [52, 1],
  month: [12, 1],
  quarter: [4, 1],
  year: [1, 1],
};

/** Read an instant or throw `invalid_time` naming index and path. */
export function instantAt(fn: string, value: unknown, index: number | null, path: string): number {
  const r = tryParseInstant(value);
  if ("ms" in r) return r.ms;
  throw new InvalidInputError(
    [{ index, path: [path], code: "invalid_time", message: `instant ${r.error}` }],
    {
      context: fn,
      code: "invalid_time",
    },
  );
}

function optionalInstant(fn: string, value: unknown, index: number, path: string): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (value instanceof Date) {
    const t = value.getTime();
    if (!Number.isNaN(t)) return t;
  }
  return instantAt(fn, value, index, path);
}

function bad(fn: string, index: number, path: string, code: string, message: string): never {
  throw new InvalidInputError([{ index, path: [path], code, message }], { context: fn });
}

const DEC_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function toDec(fn: string, v: unknown, index: number, path: string): Decimal {
  if (Decimal.isDecimal(v) && (v as Decimal).isFinite()) return v as Decimal;
  if (typeof v === "number" && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === "string" && DEC_RE.test(v.trim())) return new Decimal(v.trim());
  return bad(
    fn,
    index,
    path,
    typeof v === "number"
      ? "non_finite_value"
      : v === null || v === undefined
        ? "missing_value"
        : "invalid_type",
    `amount is ${formatValue(v)}; expected a finite number or a decimal string such as "19.99"`,
  );
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/** The rows read into numbers, grouped by customer. */
export interface Timeline<R = SubscriptionLike> {
  customers: CustomerHistory<R>[];
  /** MRR of a row = units / unitsPerCurrency. */
  unitsPerCurrency: bigint;
  /** Rows excluded, by reason (definitions: paid interval). */
  excluded: { index: number; subscriptionId: string | null; reason: ExcludedReason }[];
  /** First and last finite instants seen (paid starts and ends), for default ranges. */
  minPaidStart: number;
  maxInstant: number;
}

/**
 * Read rows (one pass), check them, convert MRR to exact integer units with one common scale
 * (10^decimals × lcm of the interval denominators), and group by customer.
 */
export function readSubscriptions<R extends SubscriptionLike>(
  fn: string,
  rows: readonly R[],
  options: SubscriptionMetricOptions,
): Timeline<R> {
  if (!Array.isArray(rows)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of subscriptions, found ${formatValue(rows)}`,
        },
      ],
      { context: fn },
    );
  }
  const asOf =
    options.asOf === undefined ? Number.POSITIVE_INFINITY : instantAt(fn, options.asOf, null, "asOf");
  const n = rows.length;
  const amounts: string[] = new Array(n);
  const nums = new Int32Array(n);
  const dens = new Int32Array(n);
  let maxDp = 0;
  let lcmDen = 1n;
  let currency: string | null = null;
  const rates = options.exchangeRates;
  const rateOf = (c: string, index: number): Decimal | null => {
    if (!rates) return null;
    if (c === rates.to.toUpperCase()) return null;
    const r =
      rates.rates instanceof Map
        ? rates.rates.get(c)
        : Object.hasOwn(rates.rates, c)
          ? rates.rates[c]
          : undefined;
    if (r === undefined) {
      throw new InvalidInputError(
        [
          {
            index,
            path: ["currency"],
            code: "invalid_currency",
            message: `no exchange rate from ${c} to ${rates.to}`,
          },
        ],
        { context: fn, code: "invalid_currency" },
      );
    }
    return toDec(fn, r, index, "currency");
  };
  const read: PaidRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (typeof r !== "object" || r === null)
      bad(fn, i, "", "invalid_type", `row is ${formatValue(r)}; expected a subscription record`);
    const cid = r.customerId;
    if (typeof cid !== "string" || cid === "") {
      bad(
        fn,
        i,
        "customerId",
        cid == null ? "missing_value" : "invalid_type",
        `customerId is ${formatValue(cid)}; expected a non-empty string`,
      );
    }
    const bi = r.billingInterval as BillingInterval;
    const np = Object.hasOwn(MONTHS_PER, bi) ? MONTHS_PER[bi] : undefined;
    if (np === undefined)
      bad(
        fn,
        i,
        "billingInterval",
        "invalid_value",
        `billing interval is ${formatValue(bi)}; expected one of day, week, month, quarter, year`,
      );
    const count = r.intervalCount ?? 1;
    if (!Number.isInteger(count) || count < 1)
      bad(
        fn,
        i,
        "intervalCount",
        "out_of_range",
        `intervalCount is ${formatValue(count)}; expected a positive integer`,
      );
    let amt = plainAmount(r.amount);
    if (amt === null) {
      const d = toDec(fn, r.amount, i, "amount");
      if (d.isNegative())
        bad(fn, i, "amount", "out_of_range", `amount is ${d.toString()}; expected a value >= 0`);
      amt = d.toFixed();
    }
    const cur = r.currency == null || r.currency === "" ? null : String(r.currency).toUpperCase();
    if (cur !== null) {
      const rate = rateOf(cur, i);
      if (rate !== null) amt = new Decimal(amt).times(rate).toFixed();
      else if (!rates) {
        if (currency === null) currency = cur;
        else if (cur !== currency) {
          throw new InvalidInputError(
            [
              {
                index: i,
                path: ["currency"],
                code: "invalid_currency",
                message: `currency is ${cur} but earlier rows are in ${currency}; pass exchangeRates to convert`,
              },
            ],
            { context: fn, code: "invalid_currency" },
          );
        }
      }
    }
    const startedAt =
      r.startedAt instanceof Date && !Number.isNaN(r.startedAt.getTime())
        ? r.startedAt.getTime()
        : instantAt(fn, r.startedAt, i, "startedAt");
    const endedAt = optionalInstant(fn, r.endedAt, i, "endedAt");
    const trialEnd = optionalInstant(fn, r.trialEnd, i, "trialEnd");
    if (endedAt !== null && endedAt < startedAt)
      bad(
        fn,
        i,
        "endedAt",
        "out_of_range",
        `endedAt ${new Date(endedAt).toISOString()} is before startedAt ${new Date(startedAt).toISOString()}`,
      );
    if (trialEnd !== null && trialEnd < startedAt)
      bad(
        fn,
        i,
        "trialEnd",
        "out_of_range",
        `trialEnd ${new Date(trialEnd).toISOString()} is before startedAt ${new Date(startedAt).toISOString()}`,
      );
    const paidStart = trialEnd ?? startedAt;
    const end = endedAt ?? Number.POSITIVE_INFINITY;
    let excluded: ExcludedReason | null = null;
    if (endedAt !== null && endedAt === startedAt) excluded = "zero_length";
    else if (end <= paidStart) excluded = "trial_only";
    else if (paidStart >= asOf) excluded = "paid_start_at_or_after_as_of";
    amounts[i] = amt;
    const dot = amt.indexOf(".");
    const dp = dot < 0 ? 0 : amt.length - dot - 1;
    if (dp > maxDp) maxDp = dp;
    nums[i] = np[0];
    const den = np[1] * count;
    dens[i] = den;
    if (den !== 1) {
      const d = BigInt(den);
      lcmDen = (lcmDen / gcd(lcmDen, d)) * d;
    }
    const sid = r.subscriptionId;
    read[i] = {
      index: i,
      subscriptionId: sid == null ? null : String(sid),
      paidStart,
      end,
      startedAt,
      units: 0n,
      excluded,
    };
  }
  // units: MRR × 12 × 10^maxDp × lcmDen, an integer for every row; unitsPerCurrency = 12 × 10^maxDp × lcmDen.
  const pow = 10n ** BigInt(maxDp);
  const unitsPerCurrency = 12n * pow * lcmDen;
  const excluded: Timeline<R>["excluded"] = [];
  let minPaidStart = Number.POSITIVE_INFINITY;
  let maxInstant = Number.NEGATIVE_INFINITY;
  const byCustomer = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const scaled = scaledInteger(amounts[i]!, maxDp);
    const den = dens[i]!;
    read[i]!.units = (scaled * BigInt(nums[i]!) * lcmDen) / BigInt(den);
    const x = read[i]!;
    if (x.excluded) excluded.push({ index: i, subscriptionId: x.subscriptionId, reason: x.excluded });
    else {
      if (x.paidStart < minPaidStart) minPaidStart = x.paidStart;
      if (x.paidStart > maxInstant) maxInstant = x.paidStart;
      if (x.end !== Number.POSITIVE_INFINITY && x.end > maxInstant) maxInstant = x.end;
    }
    const cid = rows[i]!.customerId;
    let list = byCustomer.get(cid);
    if (list === undefined) byCustomer.set(cid, (list = []));
    list.push(i);
  }
  const customers: CustomerHistory<R>[] = [];
  for (const [customerId, idx] of byCustomer) {
    let first = idx[0]!;
    for (const i of idx) {
      const a = read[i]!;
      const b = read[first]!;
      if (a.startedAt < b.startedAt || (a.startedAt === b.startedAt && compareSid(a, b) < 0)) first = i;
    }
    const list = idx.map((i) => read[i]!);
    list.sort(compareRows);
    customers.push({ customerId, rows: list, firstRow: rows[first]!, signup: read[first]!.startedAt });
  }
  return { customers, unitsPerCurrency, excluded, minPaidStart, maxInstant };
}

function compareSid(a: PaidRow, b: PaidRow): number {
  if (a.subscriptionId !== null && b.subscriptionId !== null && a.subscriptionId !== b.subscriptionId) {
    return a.subscriptionId < b.subscriptionId ? -1 : 1;
  }
  return a.index - b.index;
}

/** Order of a customer's rows: paid start, then subscription id, then input position. */
export function compareRows(a: PaidRow, b: PaidRow): number {
  return a.paidStart - b.paidStart || compareSid(a, b);
}

const PLAIN_RE = /^\d+(?:\.\d+)?$/;

/** A non-negative amount as a plain decimal string (no exponent, no sign), or null when another path is needed. */
function plainAmount(v: unknown): string | null {
  if (typeof v === "string") return PLAIN_RE.test(v) ? v : null;
  if (typeof v === "number") {
    if (!(v >= 0) || !Number.isFinite(v)) return null;
    const s = String(v);
    return PLAIN_RE.test(s) ? s : null;
  }
  if (Decimal.isDecimal(v)) {
    const d = v as Decimal;
    return d.isFinite() && !d.isNegative() ? d.toFixed() : null;
  }
  return null;
}

/** "12.5" with dp 3 → 12500n. */
function scaledInteger(amount: string, dp: number): bigint {
  const dot = amount.indexOf(".");
  if (dot < 0) return dp === 0 ? BigInt(amount) : BigInt(amount + "0".repeat(dp));
  const frac = amount.slice(dot + 1);
  return BigInt(amount.slice(0, dot) + frac + "0".repeat(dp - frac.length));
}

/** Build the period grid from the options and the data's range. */
export function makeGrid(
  fn: string,
  options: SubscriptionMetricOptions,
  dataMin: number,
  dataMax: number,
): PeriodGrid {
  const period = checkPeriod(fn, options.period ?? "month");
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const weekStartsOn = options.weekStartsOn ?? 1;
  const asOf =
    options.asOf === undefined ? Number.POSITIVE_INFINITY : instantAt(fn, options.asOf, null, "asOf");
  const from = options.from === undefined ? dataMin : instantAt(fn, options.from, null, "from");
  const to =
    options.to !== undefined
      ? instantAt(fn, options.to, null, "to")
      : Number.isFinite(asOf)
        ? asOf - 1
        : dataMax;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
    return { period, timeZone, weekStartsOn, starts: [], labels: [], asOf };
  }
  const { starts, labels } = periodRange(from, to, period, { timeZone, weekStartsOn });
  return { period, timeZone, weekStartsOn, starts, labels, asOf };
}

/** First index j with `starts[j] > t` (0..starts.length). */
export function upperBound(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Boundaries covered by the paid interval `(paidStart, end]` (the snapshot rule): j from `lo` to
 * `hi` inclusive (empty when lo > hi). Boundaries are `starts[0..P]`.
 */
export function boundaryRange(starts: readonly number[], paidStart: number, end: number): [number, number] {
  return [upperBound(starts, paidStart), upperBound(starts, end) - 1];
}

/** Period index containing t (−1 outside the grid). */
export function periodIndex(starts: readonly number[], t: number): number {
  const j = upperBound(starts, t) - 1;
  return j >= 0 && j < starts.length - 1 ? j : -1;
}

/** A customer's paid spells: rows merged while the next paid start ≤ the current end. */
export function spellsOf(rows: readonly PaidRow[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const r of rows) {
    if (r.excluded) continue;
    const last = out[out.length - 1];
    if (last !== undefined && r.paidStart <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ start: r.paidStart, end: r.end });
  }
  return out;
}

/** Exact ratio of two integers as the correctly rounded float64 (null when den = 0). */
export function bigRatio(num: bigint, den: bigint): number | null {
  if (den === 0n) return null;
  const LIM = 9007199254740992n;
  if (num < LIM && num > -LIM && den < LIM && den > -LIM) return Number(num) / Number(den);
  const D = Decimal.clone({ precision: 60 });
  return new D(num.toString()).div(den.toString()).toNumber();
}

/** Units → Decimal currency amount (exact when it terminates, else 40 significant digits). */
export function unitsToDecimal(units: bigint, unitsPerCurrency: bigint): Decimal {
  const D = HIGH;
  return new Decimal(new D(units.toString()).div(unitsPerCurrency.toString()).toString());
}
const HIGH = Decimal.clone({ precision: 40 });

/** A broken internal invariant: a bug in cxmetrics, not in the input. */
export function internalError(fn: string, message: string): never {
  throw new CxMetricsError("internal_error", `${fn}: internal error (please report): ${message}`);
}

/** Key of a customer for `by`: a field name of the first row or a function of it. */
export type CustomerKey<R, K> = "segment" | ((firstRow: R) => K);

/** Resolve the `by` option to a function of the customer's first row. */
export function keyFunction<R extends SubscriptionLike, K>(
  by: CustomerKey<R, K>,
): (c: CustomerHistory<R>) => K {
  if (by === "segment") return (c) => (c.firstRow.segment ?? null) as K;
  if (typeof by === "function") return (c) => by(c.firstRow);
  throw new InvalidInputError(
    [
      {
        index: null,
        path: ["by"],
        code: "invalid_option",
        message: `expected "segment" or a function of the customer's first row, found ${formatValue(by)}`,
      },
    ],
    { context: "by", code: "invalid_option" },
  );
}

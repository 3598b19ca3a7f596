/**
 * Subscription lifetimes as right-censored durations, the input of {@link kaplanMeier}.
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { type InstantInput, tryParseInstant } from "../core/time.js";
import type { Subscription } from "../schemas/subscription.js";

/** Unit of the durations. `month` = 30.4375 days (365.25/12), `year` = 365.25 days; the others are exact. */
export type LifetimeUnit = "second" | "minute" | "hour" | "day" | "week" | "month" | "year";

/** What one lifetime is. */
export type LifetimeSpells = "all" | "first" | "rows";

/** Options for {@link subscriptionLifetimes}. */
export interface SubscriptionLifetimesOptions {
  /** Data cut-off (export time): lifetimes still running are censored here. Required. */
  asOf: InstantInput;
  /** Unit of the durations (default `"day"` = 86 400 s). */
  unit?: LifetimeUnit;
  /**
   * - `"all"` (default): every spell of every customer. A spell is a customer's paid rows merged while
   *   the next row's paid start is at or before the current end (plan changes do not end a lifetime; a
   *   gap starts a new spell, so a win-back is a new lifetime).
   * - `"first"`: only each customer's first spell (one lifetime per customer; no repeated subjects).
   * - `"rows"`: every paid row on its own (plan changes count as ends).
   */
  spells?: LifetimeSpells;
}

/** Result of {@link subscriptionLifetimes}: parallel columns, ready for `kaplanMeier(result)`. */
export interface SubscriptionLifetimes {
  /** Lifetime in `unit`: (end or asOf) − paid start. */
  durations: number[];
  /** 1 = ended at or before `asOf`; 0 = censored at `asOf`. */
  events: (0 | 1)[];
  /** Customer of each lifetime. */
  customerIds: string[];
  /** Paid start of each lifetime (trial excluded). */
  starts: Date[];
  /** End of each lifetime; `null` when still running at `asOf`. */
  ends: (Date | null)[];
  /** Number of lifetimes. */
  n: number;
  unit: LifetimeUnit;
  spells: LifetimeSpells;
  asOf: Date;
  /** Rows left out because they have no paid time before `asOf`, by reason. */
  excluded: {
    /** `endedAt == startedAt`. */
    zeroLength: number;
    /** `endedAt <= trialEnd`: cancelled during (or at the end of) the trial, never paid. */
    trialOnly: number;
    /** Paid start at or after `asOf` (still trialling, or starting later). */
    notPayingAtAsOf: number;
  };
}

const FN = "subscriptionLifetimes";
const DAY = 86_400_000;
const UNIT_MS: Record<LifetimeUnit, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: DAY,
  week: 7 * DAY,
  month: 30.4375 * DAY,
  year: 365.25 * DAY,
};

interface PaidRow {
  start: number;
  end: number | null;
  sid: string | null;
  index: number;
}

/**
 * Turn subscription rows into lifetimes (durations and event flags) for survival analysis.
 *
 * Definitions (cxmetrics retention spec, `survival`): a row's paid interval is
 * `[trialEnd ?? startedAt, endedAt)`; trial time is not lifetime. Rows with an empty paid interval
 * (`endedAt == startedAt`, or `endedAt <= trialEnd`) or whose paid start is at or after `asOf` are
 * excluded and counted in `excluded`. A lifetime that ends after `asOf` (or has no end) is censored
 * at `asOf`. Rows of a customer are ordered by paid start, then `subscriptionId`, then input order.
 *
 * Not an accumulator: spells merge a customer's whole history, so all rows are needed at once.
 *
 * @throws {InvalidInputError} `invalid_option` (missing or bad `asOf`, unknown unit or spells),
 *   `invalid_type` (input not an array).
 * @example
 * const subs = parseSubscriptions([
 *   { customerId: "c1", billingInterval: "month", amount: "30", startedAt: "2025-01-01T00:00:00Z", endedAt: "2025-02-15T00:00:00Z" },
 *   { customerId: "c2", billingInterval: "month", amount: "50", startedAt: "2025-01-01T00:00:00Z" },
 *   { customerId: "c3", billingInterval: "year", amount: "600", startedAt: "2025-02-10T00:00:00Z" },
 * ]);
 * const life = subscriptionLifetimes(subs, { asOf: "2025-04-01T00:00:00Z" });
 * [life.durations, life.events]; //=> [[45, 90, 50], [1, 0, 0]]
 * kaplanMeier(life).at(60).survival //=> 0.6666666666666667
 */
export function subscriptionLifetimes(
  subscriptions: readonly Subscription[],
  options: SubscriptionLifetimesOptions,
): SubscriptionLifetimes {
  if (!Array.isArray(subscriptions)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of parsed subscriptions, found ${formatValue(subscriptions)}`,
        },
      ],
      { context: FN, code: "invalid_type" },
    );
  }
  const asOfR = tryParseInstant(options?.asOf);
  if ("error" in asOfR)
    invalidOption(FN, "asOf", "an instant with an offset (the data cut-off)", options?.asOf);
  const asOf = asOfR.ms;
  const unit = options.unit ?? "day";
  if (!Object.hasOwn(UNIT_MS, unit)) invalidOption(FN, "unit", Object.keys(UNIT_MS).join(", "), unit);
  const spells = options.spells ?? "all";
  if (spells !== "all" && spells !== "first" && spells !== "rows")
    invalidOption(FN, "spells", '"all", "first" or "rows"', spells);
  const perMs = UNIT_MS[unit];

  const excluded = { zeroLength: 0, trialOnly: 0, notPayingAtAsOf: 0 };
  const byCustomer = new Map<string, PaidRow[]>();
  for (let i = 0; i < subscriptions.length; i++) {
    const r = subscriptions[i]!;
    const started = r.startedAt.getTime();
    const end = r.endedAt === null ? null : r.endedAt.getTime();
    const paidStart = r.trialEnd === null ? started : r.trialEnd.getTime();
    if (end !== null && end === started) excluded.zeroLength++;
    else if (end !== null && end <= paidStart) excluded.trialOnly++;
    else if (paidStart >= asOf) excluded.notPayingAtAsOf++;
    else {
      let list = byCustomer.get(r.customerId);
      if (list === undefined) byCustomer.set(r.customerId, (list = []));
      list.push({ start: paidStart, end, sid: r.subscriptionId, index: i });
    }
  }

  const out: SubscriptionLifetimes = {
    durations: [],
    events: [],
    customerIds: [],
    starts: [],
    ends: [],
    n: 0,
    unit,
    spells,
    asOf: new Date(asOf),
    excluded,
  };
  const emit = (customer: string, start: number, end: number | null) => {
    const event = end !== null && end <= asOf;
    const stop = event ? end : asOf;
    out.durations.push((stop - start) / perMs);
    out.events.push(event ? 1 : 0);
    out.customerIds.push(customer);
    out.starts.push(new Date(start));
    out.ends.push(event ? new Date(end) : null);
  };

  for (const [customer, rows] of byCustomer) {
    if (spells === "rows") {
      for (const x of rows) emit(customer, x.start, x.end);
      continue;
    }
    rows.sort(
      (a, b) =>
        a.start - b.start ||
        (a.sid === null || b.sid === null ? 0 : a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0) ||
        a.index - b.index,
    );
    let curStart = rows[0]!.start;
    let curEnd = rows[0]!.end;
    let done = false;
    for (let k = 1; k < rows.length && !done; k++) {
      const x = rows[k]!;
      if (curEnd === null) continue; // overlaps an open spell
      if (x.start <= curEnd) {
        curEnd = x.end === null ? null : Math.max(curEnd, x.end);
      } else {
        emit(customer, curStart, curEnd);
        if (spells === "first") done = true;
        curStart = x.start;
        curEnd = x.end;
      }
    }
    if (!done) emit(customer, curStart, curEnd);
  }
  out.n = out.durations.length;
  return out;
}

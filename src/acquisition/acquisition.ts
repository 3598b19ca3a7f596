/**
 * New customers and what they cost: customer acquisition cost (CAC, two definitions plus spend-based),
 * average new MRR and CAC payback, per calendar period and per channel (or any grouping).
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";
import {
  type CalendarOptions,
  type InstantInput,
  type Period,
  checkPeriod,
  checkTimeZone,
  locatePeriod,
  parseInstant,
  periodRange,
} from "../core/time.js";
import type { Subscription } from "../schemas/subscription.js";

/** One acquired customer, as derived from their subscription rows (what the grouping function sees). */
export interface AcquiredCustomer {
  customerId: string;
  /** `acquisitionChannel` of the customer's first row (by `startedAt`, then `subscriptionId`); `null` if blank. */
  channel: string | null;
  /** `segment` of the first row; `null` if blank. */
  segment: string | null;
  /** Sign-up: `startedAt` of the first row (trial included). */
  signupAt: Date;
  /** First paid start over the customer's paying rows; `null` when the customer never paid (before `asOf`). */
  firstPaidAt: Date | null;
  /** Σ `acquisitionCost` over all the customer's rows (blank = 0). */
  acquisitionCost: Decimal;
  /** MRR at the instant of the first paid start (rows with paid start ≤ t < end); 0 when never paid. */
  initialMrr: Decimal;
}

/** Grouping of {@link acquisition}: a field of the first row, or a function of the customer. */
export type AcquisitionBy = "channel" | "segment" | ((customer: AcquiredCustomer) => string | null);

/** Marketing spend to attribute to periods (and groups) for the spend-based CAC. */
export interface AcquisitionSpend {
  /** When the money was spent (the period containing it gets it). */
  at: InstantInput;
  /** Amount (≥ 0), exact. */
  amount: MoneyInput;
  /** Group (e.g. channel) the spend belongs to; omitted = counted only in the all-groups figures. */
  group?: string;
}

/** Options for {@link acquisition}. */
export interface AcquisitionOptions extends CalendarOptions {
  /** Calendar period (default `"month"`). */
  period?: Period;
  /** Gross margin in (0, 1] for the payback (e.g. 0.8). Required. */
  grossMargin: number;
  /** Grouping (default `"channel"`); `null` for none. */
  by?: AcquisitionBy | null;
  /** First period of the reporting window (instant, or local date in `timeZone`); default the first sign-up. */
  from?: InstantInput;
  /** Last period of the window (the period containing it is included); default the last paid start or sign-up. */
  to?: InstantInput;
  /** Data cut-off: rows whose paid start is at or after it (still trialling) do not make a customer new. Default: none. */
  asOf?: InstantInput;
  /** Marketing spend per period (and group): adds `spend` and `cacFromSpend`. */
  costs?: readonly AcquisitionSpend[];
}

/** Acquisition figures for one period (and group). Money is `Decimal`; `null` means a zero denominator (see `reasons`). */
export interface AcquisitionFigures {
  /** Customers whose first paid start lies in the period. */
  newCustomers: number;
  /** Σ acquisition cost of those new customers. */
  acquisitionCostOfNew: Decimal;
  /** CAC (primary) = acquisitionCostOfNew / newCustomers. */
  cac: Decimal | null;
  /** Customers whose sign-up (first `startedAt`, trial included) lies in the period, paying or not. */
  signups: number;
  /** Σ acquisition cost of those sign-ups (converted or not). */
  acquisitionCostOfSignups: Decimal;
  /** Blended CAC = acquisitionCostOfSignups / newCustomers: the cost of everyone acquired in the period per paying new customer. */
  cacBlendedSignupSpend: Decimal | null;
  /** Marketing spend given in `costs` for the period (and group); `null` when `costs` was not given. */
  spend: Decimal | null;
  /** spend / newCustomers; `null` without `costs` or new customers. */
  cacFromSpend: Decimal | null;
  /** Mean MRR of the new customers at their first paid start. */
  averageNewMrr: Decimal | null;
  /** cac / (averageNewMrr × grossMargin), in months (float64 of the exact ratio). */
  cacPaybackMonths: number | null;
  /** Why figures are `null`: `no_new_customers`, `zero_new_mrr`, `no_costs_given`. */
  reasons: string[];
}

/** One period of {@link acquisition}. */
export interface AcquisitionPeriod extends AcquisitionFigures {
  label: string;
  start: Date;
  end: Date;
  /** The same figures per group (key order: code points); every group seen anywhere is present. */
  groups: Map<string, AcquisitionFigures>;
}

/** Result of {@link acquisition}. */
export interface AcquisitionResult {
  period: Period;
  timeZone: string;
  grossMargin: number;
  periods: AcquisitionPeriod[];
  /** All periods of the window pooled (all groups, and per group). */
  total: AcquisitionFigures & { groups: Map<string, AcquisitionFigures> };
  /** Customers with no paid time before `asOf` (trial-only, zero-length, still trialling). */
  neverPaid: number;
}

/** Mergeable state of {@link acquisitionAccumulator}. */
export interface AcquisitionState {
  newCustomers: number;
  costOfNew: Decimal;
  /** Σ 12 × initial MRR of the new customers (kept ×12 so annual plans stay exact). */
  newMrr12: Decimal;
  signups: number;
  costOfSignups: Decimal;
  spend: Decimal | null;
}

/** Input of {@link acquisitionAccumulator}: a customer acquired (`new`), signed up (`signup`), or spend. */
export type AcquisitionEvent =
  | { kind: "new"; acquisitionCost: Decimal; initialMrr12: Decimal }
  | { kind: "signup"; acquisitionCost: Decimal }
  | { kind: "spend"; amount: Decimal };

const D40 = Decimal.clone({ precision: 40 });
const FN = "acquisition";
/** 12 × months per billing interval⁻¹: MRR × 12 = amount × factor / intervalCount. */
const MRR12_FACTOR: Record<string, number> = { day: 365, week: 52, month: 12, quarter: 4, year: 1 };

/**
 * The per-period state behind {@link acquisition}: counts and exact sums; merge = concatenation.
 * Deriving each customer's first paid start and initial MRR needs their whole history (done by
 * {@link acquisition} before folding).
 *
 * @example
 * const events: AcquisitionEvent[] = [
 *   { kind: "new", acquisitionCost: new Decimal(300), initialMrr12: new Decimal(1200) },
 *   { kind: "signup", acquisitionCost: new Decimal(300) },
 *   { kind: "new", acquisitionCost: new Decimal(100), initialMrr12: new Decimal(600) },
 * ];
 * const figures = fold(events, acquisitionAccumulator(0.8));
 * [figures.cac?.toString(), figures.averageNewMrr?.toString(), figures.cacPaybackMonths] //=> ["200", "75", 3.3333333333333335]
 */
export function acquisitionAccumulator(
  grossMargin: number,
): Accumulator<AcquisitionEvent, AcquisitionState, AcquisitionFigures> {
  checkMargin(grossMargin);
  return {
    init: () => ({
      newCustomers: 0,
      costOfNew: new Decimal(0),
      newMrr12: new Decimal(0),
      signups: 0,
      costOfSignups: new Decimal(0),
      spend: null,
    }),
    add: (st, x) => {
      if (x.kind === "new") {
        st.newCustomers++;
        st.costOfNew = st.costOfNew.plus(x.acquisitionCost);
        st.newMrr12 = st.newMrr12.plus(x.initialMrr12);
      } else if (x.kind === "signup") {
        st.signups++;
        st.costOfSignups = st.costOfSignups.plus(x.acquisitionCost);
      } else st.spend = (st.spend ?? new Decimal(0)).plus(x.amount);
      return st;
    },
    merge: (a, b) => {
      a.newCustomers += b.newCustomers;
      a.costOfNew = a.costOfNew.plus(b.costOfNew);
      a.newMrr12 = a.newMrr12.plus(b.newMrr12);
      a.signups += b.signups;
      a.costOfSignups = a.costOfSignups.plus(b.costOfSignups);
      if (b.spend !== null) a.spend = (a.spend ?? new Decimal(0)).plus(b.spend);
      return a;
    },
    result: (st) => figures(st, grossMargin),
  };
}

function checkMargin(gm: unknown): number {
  if (typeof gm !== "number" || !(gm > 0 && gm <= 1))
    invalidOption(FN, "grossMargin", "a number in (0, 1], e.g. 0.8", gm);
  return gm;
}

const div = (a: Decimal, b: Decimal | number): Decimal => new Decimal(new D40(a).div(b));

function figures(st: AcquisitionState, gm: number, costsGiven = st.spend !== null): AcquisitionFigures {
  const n = st.newCustomers;
  const reasons: string[] = [];
  if (n === 0) reasons.push("no_new_customers");
  else if (st.newMrr12.isZero()) reasons.push("zero_new_mrr");
  if (!costsGiven) reasons.push("no_costs_given");
  const spend = costsGiven ? (st.spend ?? new Decimal(0)) : null;
  return {
    newCustomers: n,
    acquisitionCostOfNew: st.costOfNew,
    cac: n === 0 ? null : div(st.costOfNew, n),
    signups: st.signups,
    acquisitionCostOfSignups: st.costOfSignups,
    cacBlendedSignupSpend: n === 0 ? null : div(st.costOfSignups, n),
    spend,
    cacFromSpend: n === 0 || spend === null ? null : div(spend, n),
    averageNewMrr: n === 0 ? null : div(st.newMrr12, 12 * n),
    cacPaybackMonths:
      n === 0 || st.newMrr12.isZero()
        ? null
        : new D40(st.costOfNew)
            .times(12)
            .div(new D40(st.newMrr12).times(new D40(gm)))
            .toNumber(),
    reasons,
  };
}

interface Row {
  start: number;
  end: number | null;
  paidStart: number;
  sid: string | null;
  index: number;
  rec: Subscription;
}

/**
 * Derive one {@link AcquiredCustomer} per customer from subscription rows (the whole history is
 * needed: first row, first paid start, initial MRR).
 *
 * Paid interval of a row: `[trialEnd ?? startedAt, endedAt)`; rows with an empty paid interval or a
 * paid start at or after `asOf` do not count as paying. MRR of a row: amount per month (annual / 12,
 * quarterly / 3, weekly × 52/12, daily × 365/12, divided by `intervalCount`), exact.
 *
 * @example
 * const subs = parseSubscriptions([
 *   { customerId: "c1", billingInterval: "month", amount: "29", startedAt: "2025-01-05T00:00:00Z", acquisitionChannel: "organic" },
 *   { customerId: "c2", billingInterval: "month", amount: "49", startedAt: "2025-01-10T00:00:00Z",
 *     trialEnd: "2025-01-24T00:00:00Z", acquisitionChannel: "paid_search", acquisitionCost: "120" },
 *   { customerId: "c3", billingInterval: "year", amount: "290", startedAt: "2025-02-03T00:00:00Z",
 *     acquisitionChannel: "paid_search", acquisitionCost: "200" },
 * ]);
 * const c2 = acquiredCustomers(subs).get("c2");
 * [c2?.channel, c2?.firstPaidAt?.toISOString(), c2?.initialMrr.toString()] //=> ["paid_search", "2025-01-24T00:00:00.000Z", "49"]
 */
export function acquiredCustomers(
  subscriptions: readonly Subscription[],
  options?: { asOf?: InstantInput },
): Map<string, AcquiredCustomer> {
  const out = new Map<string, AcquiredCustomer>();
  for (const [id, d] of deriveCustomers(subscriptions, options?.asOf)) out.set(id, d.customer);
  return out;
}

function deriveCustomers(
  subscriptions: readonly Subscription[],
  asOfInput: InstantInput | undefined,
): Map<string, { customer: AcquiredCustomer; mrr12: Decimal }> {
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
  const asOf =
    asOfInput === undefined ? Number.POSITIVE_INFINITY : parseInstant(asOfInput, { path: ["asOf"], fn: FN });
  const byCustomer = new Map<string, Row[]>();
  let currency: string | null = null;
  for (let i = 0; i < subscriptions.length; i++) {
    const r = subscriptions[i]!;
    if (!(r?.startedAt instanceof Date) || (r.endedAt !== null && !(r.endedAt instanceof Date))) {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: [r?.startedAt instanceof Date ? "endedAt" : "startedAt"],
            code: "invalid_type",
            message:
              "expected a parsed subscription record (instants as Date); pass the rows through parseSubscriptions first",
          },
        ],
        { context: FN, code: "invalid_type" },
      );
    }
    if (r.currency !== null) {
      if (currency === null) currency = r.currency;
      else if (r.currency !== currency) {
        throw new InvalidInputError(
          [
            {
              index: i,
              path: ["currency"],
              code: "invalid_currency",
              message: `currency is ${r.currency} but earlier rows are in ${currency}; convert to one currency first`,
            },
          ],
          { context: FN, code: "invalid_currency" },
        );
      }
    }
    const start = r.startedAt.getTime();
    const row: Row = {
      start,
      end: r.endedAt === null ? null : r.endedAt.getTime(),
      paidStart: r.trialEnd === null ? start : r.trialEnd.getTime(),
      sid: r.subscriptionId,
      index: i,
      rec: r,
    };
    let list = byCustomer.get(r.customerId);
    if (list === undefined) byCustomer.set(r.customerId, (list = []));
    list.push(row);
  }
  const out = new Map<string, { customer: AcquiredCustomer; mrr12: Decimal }>();
  for (const [customerId, rows] of byCustomer) {
    let first = rows[0]!;
    let cost = new Decimal(0);
    let firstPaid = Number.POSITIVE_INFINITY;
    const paying: Row[] = [];
    for (const x of rows) {
      if (
        x.start < first.start ||
        (x.start === first.start && x.sid !== null && first.sid !== null && x.sid < first.sid)
      )
        first = x;
      if (x.rec.acquisitionCost !== null) cost = cost.plus(x.rec.acquisitionCost);
      const isPaying = !(x.end !== null && (x.end === x.start || x.end <= x.paidStart)) && x.paidStart < asOf;
      if (isPaying) {
        paying.push(x);
        if (x.paidStart < firstPaid) firstPaid = x.paidStart;
      }
    }
    let mrr12 = new Decimal(0);
    for (const x of paying) {
      if (x.paidStart <= firstPaid && (x.end === null || firstPaid < x.end)) {
        const factor = MRR12_FACTOR[x.rec.billingInterval] ?? Number.NaN;
        mrr12 = mrr12.plus(new D40(x.rec.amount).times(factor).div(x.rec.intervalCount));
      }
    }
    const customer: AcquiredCustomer = {
      customerId,
      channel: first.rec.acquisitionChannel,
      segment: first.rec.segment,
      signupAt: new Date(first.start),
      firstPaidAt: paying.length > 0 ? new Date(firstPaid) : null,
      acquisitionCost: cost,
      initialMrr: div(mrr12, 12),
    };
    out.set(customerId, { customer, mrr12 });
  }
  return out;
}

/**
 * Customer acquisition per calendar period and per group (channel by default).
 *
 * Definitions (cxmetrics retention spec, `acquisition`): new customers N = customers whose first paid
 * start (trial excluded) lies in the period. A customer's acquisition cost = Σ `acquisitionCost` over
 * their rows; their channel = that of their first row. CAC = Σ cost of the period's new customers / N
 * (cost follows the customer to the month they start paying). Blended CAC (`cacBlendedSignupSpend`) =
 * Σ cost of the customers who **signed up** in the period (trials that never converted included) / N:
 * it charges the period with the cost of its failed trials too. Spend-based CAC = marketing spend of the
 * period (`costs`) / N, the textbook "sales and marketing spend / new customers". Average new MRR =
 * mean MRR of the new customers at their first paid start. CAC payback (months) =
 * CAC / (average new MRR × gross margin). Every figure is `null` when N = 0 (payback also when the new
 * MRR is 0), with the reason in `reasons`.
 *
 * `total` pools the window's periods. The per-period figures are an accumulator over customers
 * ({@link acquisitionAccumulator}); deriving each customer needs all their rows.
 *
 * @see Skok, "SaaS Metrics 2.0" (CAC, months to recover CAC); Klipfolio/ChartMogul CAC payback definitions.
 * @throws {InvalidInputError} `invalid_option` (grossMargin, period, by), `invalid_time` (time zone,
 *   window bounds), `invalid_currency` (rows in different currencies).
 * @example
 * const subs = parseSubscriptions([
 *   { customerId: "c1", billingInterval: "month", amount: "29", startedAt: "2025-01-05T00:00:00Z", acquisitionChannel: "organic" },
 *   { customerId: "c2", billingInterval: "month", amount: "49", startedAt: "2025-01-10T00:00:00Z",
 *     trialEnd: "2025-01-24T00:00:00Z", acquisitionChannel: "paid_search", acquisitionCost: "120" },
 *   { customerId: "c3", billingInterval: "year", amount: "290", startedAt: "2025-02-03T00:00:00Z",
 *     acquisitionChannel: "paid_search", acquisitionCost: "200" },
 * ]);
 * const r = acquisition(subs, { period: "month", grossMargin: 0.8 });
 * r.periods.map((p) => [p.label, p.newCustomers, p.cac?.toString()]) //=> [["2025-01", 2, "60"], ["2025-02", 1, "200"]]
 * // January: CAC 60 / (average new MRR 39 × 0.8) months
 * r.periods[0]?.cacPaybackMonths //=> 1.9230769230769231
 * r.total.groups.get("paid_search")?.cac?.toString() //=> "160"
 */
export function acquisition(
  subscriptions: readonly Subscription[],
  options: AcquisitionOptions,
): AcquisitionResult {
  const gm = checkMargin(options?.grossMargin);
  const period = checkPeriod(FN, options.period ?? "month");
  const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
  const cal: CalendarOptions = { timeZone, weekStartsOn: options.weekStartsOn ?? 1 };
  const by = options.by === undefined ? "channel" : options.by;
  if (by !== null && by !== "channel" && by !== "segment" && typeof by !== "function") {
    invalidOption(FN, "by", '"channel", "segment", a function or null', by);
  }
  const derived = deriveCustomers(subscriptions, options.asOf);
  const keyOf = (c: AcquiredCustomer): string | null =>
    by === null ? null : by === "channel" ? c.channel : by === "segment" ? c.segment : by(c);

  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { customer: c } of derived.values()) {
    const s = c.signupAt.getTime();
    if (s < min) min = s;
    if (s > max) max = s;
    if (c.firstPaidAt !== null && c.firstPaidAt.getTime() > max) max = c.firstPaidAt.getTime();
  }
  const bound = (v: InstantInput | undefined, name: string) =>
    v === undefined ? undefined : parseInstant(v, { timeZone, path: [name], fn: FN });
  const from = bound(options.from, "from");
  const to = bound(options.to, "to");
  if (from !== undefined) min = from;
  if (to !== undefined) max = to;
  const { starts, labels } = min <= max ? periodRange(min, max, period, cal) : { starts: [], labels: [] };

  const acc = acquisitionAccumulator(gm);
  const all = labels.map(() => acc.init());
  const grouped = labels.map(() => new Map<string, AcquisitionState>());
  const groupKeys = new Set<string>();
  const costsGiven = options.costs !== undefined;
  const add = (k: number, key: string | null, ev: AcquisitionEvent) => {
    all[k] = acc.add(all[k]!, ev, 0);
    if (key === null) return;
    groupKeys.add(key);
    const g = grouped[k]!;
    g.set(key, acc.add(g.get(key) ?? acc.init(), ev, 0));
  };
  for (const { customer: c, mrr12 } of derived.values()) {
    const key = keyOf(c);
    if (key !== null && typeof key !== "string")
      invalidOption(FN, "by", "a function returning a string or null", key);
    if (key !== null) groupKeys.add(key);
    const ks = locatePeriod(starts, c.signupAt.getTime());
    if (ks >= 0) add(ks, key, { kind: "signup", acquisitionCost: c.acquisitionCost });
    if (c.firstPaidAt !== null) {
      const kn = locatePeriod(starts, c.firstPaidAt.getTime());
      if (kn >= 0) add(kn, key, { kind: "new", acquisitionCost: c.acquisitionCost, initialMrr12: mrr12 });
    }
  }
  if (options.costs !== undefined) {
    if (!Array.isArray(options.costs))
      invalidOption(FN, "costs", "an array of { at, amount, group? }", options.costs);
    options.costs.forEach((s, i) => {
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
          {
            context: FN,
            code: "out_of_range",
          },
        );
      }
      const k = locatePeriod(starts, at);
      if (k < 0) return;
      add(k, s.group ?? null, { kind: "spend", amount });
    });
  }
  let neverPaid = 0;
  for (const { customer: c } of derived.values()) if (c.firstPaidAt === null) neverPaid++;
  return acquisitionFromStates(
    { period, timeZone, grossMargin: gm },
    { starts, labels, all, grouped, groupKeys },
    { costsGiven, neverPaid },
  );
}

/**
 * The {@link acquisition} result from per-period states (all groups, and per group) on a period grid:
 * the figures of each period and group, every group key listed everywhere (code-point order), and the
 * pooled total. For states counted elsewhere — `acquisitionSql` (`cxmetrics/sql`) finalises with it.
 * `costsGiven`: report spend (0 where none fell) and `cacFromSpend`; otherwise `no_costs_given`.
 *
 * @example
 * const acc = acquisitionAccumulator(0.8);
 * const jan = fold([{ kind: "new", acquisitionCost: new Decimal(300), initialMrr12: new Decimal(1200) }], {
 *   ...acc, result: (s) => s });
 * const r = acquisitionFromStates({ period: "month", timeZone: "UTC", grossMargin: 0.8 },
 *   { starts: [Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)], labels: ["2025-01"], all: [jan], grouped: [new Map()],
 *     groupKeys: new Set() }, { costsGiven: false, neverPaid: 0 });
 * r.periods[0]?.cac?.toString() //=> "300"
 */
export function acquisitionFromStates(
  head: Pick<AcquisitionResult, "period" | "timeZone" | "grossMargin">,
  grid: {
    starts: readonly number[];
    labels: readonly string[];
    all: readonly AcquisitionState[];
    grouped: readonly Map<string, AcquisitionState>[];
    groupKeys: ReadonlySet<string>;
  },
  extra: { costsGiven: boolean; neverPaid: number },
): AcquisitionResult {
  const gm = head.grossMargin;
  const acc = acquisitionAccumulator(gm);
  const { starts, labels, all, grouped } = grid;
  const keys = [...grid.groupKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const groupFigures = (g: Map<string, AcquisitionState>) => {
    const m = new Map<string, AcquisitionFigures>();
    for (const key of keys) m.set(key, figures(g.get(key) ?? acc.init(), gm, extra.costsGiven));
    return m;
  };
  const periods: AcquisitionPeriod[] = labels.map((label, k) => ({
    label,
    start: new Date(starts[k]!),
    end: new Date(starts[k + 1]!),
    ...figures(all[k]!, gm, extra.costsGiven),
    groups: groupFigures(grouped[k]!),
  }));
  const totalAll = acc.init();
  const totalGroups = new Map<string, AcquisitionState>();
  for (let k = 0; k < labels.length; k++) {
    acc.merge(totalAll, all[k]!);
    for (const [key, st] of grouped[k]!)
      totalGroups.set(key, acc.merge(totalGroups.get(key) ?? acc.init(), st));
  }
  return {
    ...head,
    periods,
    total: { ...figures(totalAll, gm, extra.costsGiven), groups: groupFigures(totalGroups) },
    neverPaid: extra.neverPaid,
  };
}

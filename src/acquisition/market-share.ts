/**
 * Market share: own sales over total market sales, in units or revenue, per period with its change.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";

/** One observation: own and market sales in one period (several rows per period are summed). */
export interface MarketShareRow {
  /** Period label, e.g. `"2026-Q1"` (any string; rows with the same label are added up). */
  period: string;
  /** Own sales (units or revenue), ≥ 0. */
  own: MoneyInput;
  /** Whole-market sales including own, ≥ own. */
  market: MoneyInput;
  /** Sales of the largest competitor (optional), for the relative market share. */
  largestCompetitor?: MoneyInput;
}

/** Options for {@link marketShare}. */
export interface MarketShareOptions {
  /** `"revenue"` (default; money, any decimals) or `"units"` (counts: must be integers). */
  measure?: "units" | "revenue";
  /** Period order: `"firstSeen"` (default) or `"key"` (code-point order of labels, right for ISO labels). */
  order?: "firstSeen" | "key";
}

/** Accumulator state: exact sums. */
export interface MarketShareState {
  own: Decimal;
  market: Decimal;
  /** `null` until a row gives it. */
  largestCompetitor: Decimal | null;
  rows: number;
}

/** Market share of one period. */
export interface MarketSharePeriod {
  period: string;
  /** Rows added up. */
  n: number;
  own: Decimal;
  market: Decimal;
  /** own / market (share 0–1); `null` when the market is 0. */
  share: number | null;
  /** own / largest competitor (Buzzell & Gale's relative share; > 1 = leader); `null` if not given or 0. */
  relativeShare: number | null;
  /** share − previous period's share, in share points (0.01 = one percentage point); `null` for the first period or when either share is null. */
  change: number | null;
  /** share / previous share − 1; `null` when undefined (first period, or a previous share of 0). */
  relativeChange: number | null;
  /** Why something is null: `zero_market`, `first_period`, `previous_share_missing`, `previous_share_zero`. */
  reasons: string[];
}

/** Result of {@link marketShare}. */
export interface MarketShareResult {
  measure: "units" | "revenue";
  periods: MarketSharePeriod[];
  /** All periods pooled (share of the summed sales). */
  total: Omit<MarketSharePeriod, "change" | "relativeChange">;
}

const D40 = Decimal.clone({ precision: 40 });
const FN = "marketShare";

function amount(v: unknown, index: number, path: string, units: boolean): Decimal {
  const d = toDecimal(v, { index, path: [path], fn: FN });
  if (d.isNegative() || (units && !d.isInteger())) {
    const code = d.isNegative() ? "out_of_range" : "not_an_integer";
    throw new InvalidInputError(
      [
        {
          index,
          path: [path],
          code,
          message: `${path} is ${formatValue(v)}; expected ${units ? "a whole number of units ≥ 0" : "an amount ≥ 0"}`,
        },
      ],
      { context: FN, code },
    );
  }
  return d;
}

/**
 * Mergeable state of one period's sums (merge = concatenation of rows). Validates `own ≤ market` per row.
 *
 * @example
 * fold([{ period: "2026", own: 30, market: 120 }], marketShareAccumulator({ measure: "units" })).share //=> 0.25
 */
export function marketShareAccumulator(
  options?: MarketShareOptions,
): Accumulator<
  MarketShareRow,
  MarketShareState,
  Omit<MarketSharePeriod, "change" | "relativeChange" | "period">
> {
  const units = (options?.measure ?? "revenue") === "units";
  return {
    init: () => ({ own: new Decimal(0), market: new Decimal(0), largestCompetitor: null, rows: 0 }),
    add: (st, r, index) => {
      const own = amount(r?.own, index, "own", units);
      const market = amount(r?.market, index, "market", units);
      if (own.gt(market)) {
        throw new InvalidInputError(
          [
            {
              index,
              path: ["own"],
              code: "out_of_range",
              message: `own sales ${own} exceed market sales ${market}; the market must include own sales`,
            },
          ],
          { context: FN, code: "out_of_range" },
        );
      }
      st.own = st.own.plus(own);
      st.market = st.market.plus(market);
      if (r.largestCompetitor !== undefined) {
        const c = amount(r.largestCompetitor, index, "largestCompetitor", units);
        st.largestCompetitor = (st.largestCompetitor ?? new Decimal(0)).plus(c);
      }
      st.rows++;
      return st;
    },
    merge: (a, b) => {
      a.own = a.own.plus(b.own);
      a.market = a.market.plus(b.market);
      if (b.largestCompetitor !== null)
        a.largestCompetitor = (a.largestCompetitor ?? new Decimal(0)).plus(b.largestCompetitor);
      a.rows += b.rows;
      return a;
    },
    result: (st) => {
      const reasons: string[] = [];
      if (st.market.isZero()) reasons.push("zero_market");
      const lc = st.largestCompetitor;
      return {
        n: st.rows,
        own: st.own,
        market: st.market,
        share: st.market.isZero() ? null : new D40(st.own).div(st.market).toNumber(),
        relativeShare: lc === null || lc.isZero() ? null : new D40(st.own).div(lc).toNumber(),
        reasons,
      };
    },
  };
}

/**
 * Market share per period: share = own sales / total market sales (units or revenue), with the change
 * from the previous period in share points and relative terms, and the relative market share
 * (own / largest competitor) when given. Shares are the float64 of the exact decimal ratio.
 *
 * Unit share and revenue share differ when prices differ (a premium brand has a higher revenue share
 * than unit share); report the one that matches the decision.
 *
 * @see Farris, Bendle, Pfeifer & Reibstein (2010), Marketing Metrics, ch. 2 (market share, relative market share).
 * @throws {InvalidInputError} `out_of_range` (negative sales, own > market), `not_an_integer`
 *   (fractional units), `invalid_type`, `invalid_option`.
 * @example
 * marketShare([{ period: "2025", own: 20, market: 100 }, { period: "2026", own: 30, market: 120 }], { measure: "units" })
 *   .periods[1] //=> { share: 0.25, change: 0.05, relativeChange: 0.25, … }
 */
export function marketShare(
  rows: readonly MarketShareRow[],
  options?: MarketShareOptions,
): MarketShareResult {
  const measure = options?.measure ?? "revenue";
  if (measure !== "units" && measure !== "revenue")
    invalidOption(FN, "measure", '"units" or "revenue"', measure);
  const order = options?.order ?? "firstSeen";
  if (order !== "firstSeen" && order !== "key") invalidOption(FN, "order", '"firstSeen" or "key"', order);
  if (!Array.isArray(rows)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of rows, found ${formatValue(rows)}`,
        },
      ],
      {
        context: FN,
        code: "invalid_type",
      },
    );
  }
  const acc = marketShareAccumulator({ measure });
  const states = new Map<string, MarketShareState>();
  const total = acc.init();
  rows.forEach((r, i) => {
    const label = r?.period;
    if (typeof label !== "string") {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: ["period"],
            code: "invalid_type",
            message: `period is ${formatValue(label)}; expected a label string`,
          },
        ],
        {
          context: FN,
          code: "invalid_type",
        },
      );
    }
    let st = states.get(label);
    if (st === undefined) states.set(label, (st = acc.init()));
    acc.add(st, r, i);
    acc.add(total, r, i);
  });
  const labels = [...states.keys()];
  if (order === "key") labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const periods: MarketSharePeriod[] = [];
  let prev: Decimal | null | undefined;
  for (const label of labels) {
    const st = states.get(label)!;
    const res = acc.result(st);
    const share = st.market.isZero() ? null : new D40(st.own).div(st.market);
    const reasons = [...res.reasons];
    let change: number | null = null;
    let relativeChange: number | null = null;
    if (prev === undefined) reasons.push("first_period");
    else if (prev === null) reasons.push("previous_share_missing");
    else if (share !== null) {
      change = share.minus(prev).toNumber();
      if (prev.isZero()) reasons.push("previous_share_zero");
      else relativeChange = share.div(prev).minus(1).toNumber();
    }
    periods.push({ period: label, ...res, change, relativeChange, reasons });
    prev = share;
  }
  return { measure, periods, total: { period: "total", ...acc.result(total) } };
}

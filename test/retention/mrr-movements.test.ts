/**
 * mrrMovements against ../shared/reference/retention.json (mrr_movements, by_segment MRR), generated
 * by ../shared/reference/retention_reference.py with exact rationals. Money: |lib − ref| ≤ 1e-9
 * (the reference prints 12 fraction digits; values that terminate are compared exactly);
 * GRR / NRR / quick ratio: exact float64 (correctly rounded ratio of exact rationals).
 */
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/core/money.js";
import { mrrMovements } from "../../src/retention/mrr-movements.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

const WINDOW = {
  from: "2025-01-01T00:00:00Z",
  to: "2026-06-30T00:00:00Z",
  period: "month",
  asOf: "2026-07-01T00:00:00Z",
} as const;
type Kind = "new" | "expansion" | "contraction" | "churn" | "reactivation";
interface RefMrr {
  month: string;
  start_mrr: string;
  new: string;
  expansion: string;
  contraction: string;
  churn: string;
  reactivation: string;
  end_mrr: string;
  net_change: string;
  customers: Record<Kind, number>;
  grr: number | null;
  nrr: number | null;
  quick_ratio: number | null;
}

function expectMoney(lib: Decimal, ref: string) {
  expect(lib).toBeInstanceOf(Decimal);
  const exact = new Decimal(ref);
  // ref has 12 fraction digits, rounded half-even: exact when lib rounds to the same string
  if (lib.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN).equals(exact)) return;
  expect(lib.minus(exact).abs().toNumber()).toBeLessThanOrEqual(1e-9);
}

describeShared("mrrMovements: reference values (retention.json)", () => {
  const ref = readSharedJson<{
    mrr_movements: RefMrr[];
    by_segment: Record<string, { month: string; start_mrr: string; end_mrr: string }[]>;
  }>("reference", "retention.json");
  const subs = parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")));

  it("reproduces every movement, ratio and customer count", () => {
    const rows = mrrMovements(subs, WINDOW);
    expect(rows.map((r) => r.label)).toEqual(ref.mrr_movements.map((r) => r.month));
    rows.forEach((r, i) => {
      const e = ref.mrr_movements[i]!;
      expectMoney(r.startingMrr, e.start_mrr);
      expectMoney(r.new, e.new);
      expectMoney(r.expansion, e.expansion);
      expectMoney(r.contraction, e.contraction);
      expectMoney(r.churn, e.churn);
      expectMoney(r.reactivation, e.reactivation);
      expectMoney(r.endingMrr, e.end_mrr);
      expectMoney(r.netChange, e.net_change);
      expect(r.customers).toEqual(e.customers);
      expect(r.grossRevenueRetention).toBe(e.grr);
      expect(r.netRevenueRetention).toBe(e.nrr);
      expect(r.quickRatio).toBe(e.quick_ratio);
      // the identity (exact on the library's integer units, checked inside; here on 40-digit Decimals)
      expect(
        r.startingMrr
          .plus(r.new)
          .plus(r.expansion)
          .minus(r.contraction)
          .minus(r.churn)
          .plus(r.reactivation)
          .minus(r.endingMrr)
          .abs()
          .toNumber(),
      ).toBeLessThan(1e-12);
    });
  });

  it("per segment (incl. __proto__) start and end MRR", () => {
    const bySeg = mrrMovements(subs, { ...WINDOW, by: "segment" });
    expect(bySeg.has("__proto__")).toBe(true);
    for (const [seg, rows] of bySeg) {
      const e = ref.by_segment[seg as string]!;
      rows.forEach((r, i) => {
        expect(r.label).toBe(e[i]!.month);
        expectMoney(r.startingMrr, e[i]!.start_mrr);
        expectMoney(r.endingMrr, e[i]!.end_mrr);
      });
    }
  });
});

describe("mrrMovements: units and edge cases", () => {
  const base = { customerId: "c", currency: "USD" };
  const at = (m: number, d = 1) => new Date(Date.UTC(2025, m, d));
  const opts = { from: "2025-01-01T00:00:00Z", to: "2025-04-30T00:00:00Z" };

  it("normalises intervals to a month: annual /12, quarter /3, week ×52/12, day ×365/12, intervalCount", () => {
    const mk = (billingInterval: string, amount: string, intervalCount = 1) => [
      { ...base, billingInterval, amount, intervalCount, startedAt: at(0, 15) },
    ];
    const end = (rows: ReturnType<typeof mk>) => mrrMovements(rows, opts)[0]!.endingMrr;
    expect(
      end(mk("year", "290.00")).minus("24.16666666666666666666666666666666").abs().toNumber(),
    ).toBeLessThan(1e-30);
    expect(end(mk("quarter", "90")).toString()).toBe("30");
    expect(end(mk("week", "12")).toString()).toBe("52");
    expect(end(mk("day", "1.2")).toString()).toBe("36.5");
    expect(end(mk("month", "100", 4)).toString()).toBe("25");
    expect(
      end(mk("month", "100", 7))
        .minus(new Decimal(100).div(7))
        .abs()
        .toNumber(),
    ).toBeLessThan(1e-15);
  });

  it("classifies new, expansion, contraction, churn, reactivation; cancelling intra-month changes give nothing", () => {
    const rows = mrrMovements(
      [
        { ...base, customerId: "n", billingInterval: "month", amount: 10, startedAt: at(0, 5) },
        {
          ...base,
          customerId: "u",
          billingInterval: "month",
          amount: 10,
          startedAt: at(0, 5),
          endedAt: at(1, 10),
        },
        {
          ...base,
          customerId: "u",
          billingInterval: "month",
          amount: 30,
          startedAt: at(1, 10),
          endedAt: at(1, 20),
        },
        { ...base, customerId: "u", billingInterval: "month", amount: 10, startedAt: at(1, 20) },
        {
          ...base,
          customerId: "d",
          billingInterval: "month",
          amount: 50,
          startedAt: at(0, 5),
          endedAt: at(2, 1),
        },
        {
          ...base,
          customerId: "d",
          billingInterval: "month",
          amount: 20,
          startedAt: at(2, 1),
          endedAt: at(2, 9),
        },
        { ...base, customerId: "d", billingInterval: "month", amount: 20, startedAt: at(3, 9) },
      ],
      opts,
    );
    const pick = (i: number) =>
      ["new", "expansion", "contraction", "churn", "reactivation"].map((k) =>
        (rows[i] as never as Record<string, Decimal>)[k]!.toNumber(),
      );
    expect(pick(0)).toEqual([70, 0, 0, 0, 0]);
    expect(pick(1)).toEqual([0, 0, 0, 0, 0]);
    expect(pick(2)).toEqual([0, 0, 0, 50, 0]); // d: 50 at Mar 1 (ends exactly at boundary: counted), gone by Apr 1
    expect(pick(3)).toEqual([0, 0, 0, 0, 20]);
    expect(rows[2]!.grossRevenueRetention).toBe(20 / 70);
  });

  it("zero starting MRR and no losses give null ratios with reasons", () => {
    const [r] = mrrMovements([{ ...base, billingInterval: "month", amount: 10, startedAt: at(0, 5) }], opts);
    expect(r!.grossRevenueRetention).toBeNull();
    expect(r!.netRevenueRetention).toBeNull();
    expect(r!.quickRatio).toBeNull();
    expect(r!.nullReasons.map((x) => x.field).sort()).toEqual([
      "grossRevenueRetention",
      "netRevenueRetention",
      "quickRatio",
    ]);
  });

  it("converts currencies with exchangeRates; rejects a currency without a rate", () => {
    const rows = [
      { ...base, billingInterval: "month", amount: "10", currency: "EUR", startedAt: at(0, 5) },
      {
        ...base,
        customerId: "d",
        billingInterval: "month",
        amount: "5",
        currency: "USD",
        startedAt: at(0, 5),
      },
    ];
    const [r] = mrrMovements(rows, { ...opts, exchangeRates: { to: "USD", rates: { EUR: "1.08" } } });
    expect(r!.endingMrr.toString()).toBe("15.8");
    expect(() => mrrMovements(rows, { ...opts, exchangeRates: { to: "USD", rates: new Map() } })).toThrow(
      expect.objectContaining({ code: "invalid_currency" }),
    );
  });
});

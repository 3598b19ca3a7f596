import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, foldState, mergeStates } from "../../src/core/accumulator.js";
import { CxMetricsError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";
import { repeatPurchase, repeatPurchaseAccumulator } from "../../src/retention/repeat-purchase.js";

const T0 = Date.UTC(2025, 0, 1);
const orderArb = fc.record({
  customerId: fc.constantFrom("a", "b", "c", "__proto__", "constructor"),
  orderedAt: fc.integer({ min: 0, max: 400 * 86_400_000 }).map((ms) => new Date(T0 + ms)),
  amount: fc.integer({ min: 0, max: 100_000 }).map((c) => new Decimal(c).div(100)),
});

function plain(s: ReturnType<ReturnType<typeof repeatPurchaseAccumulator>["result"]>) {
  return { ...s, revenue: s.revenue.toString(), averageOrderValue: s.averageOrderValue?.toString() ?? null };
}

describe("repeatPurchase: worked example", () => {
  it("counts orders, buyers and repeat buyers (hand-computed)", () => {
    const r = fold(
      [
        { customerId: "a", orderedAt: new Date(T0), amount: "10.10" },
        { customerId: "a", orderedAt: new Date(T0), amount: "0.20" },
        { customerId: "b", orderedAt: new Date(T0), amount: 5 },
      ],
      repeatPurchaseAccumulator(),
    );
    // 3 orders, 2 buyers, 1 repeat buyer; revenue 15.30; AOV 5.10
    expect(r).toMatchObject({
      orders: 3,
      buyers: 2,
      repeatBuyers: 1,
      repeatPurchaseRate: 0.5,
      purchaseFrequency: 1.5,
      reason: null,
    });
    expect(r.revenue.toString()).toBe("15.3");
    expect(r.averageOrderValue!.toString()).toBe("5.1");
  });

  it("empty input and empty periods give n = 0 and null ratios with a reason", () => {
    const r = repeatPurchase([], { period: "month" });
    expect(r.periods).toEqual([]);
    expect(r.total).toMatchObject({
      orders: 0,
      buyers: 0,
      repeatPurchaseRate: null,
      purchaseFrequency: null,
      averageOrderValue: null,
      reason: "no_orders",
    });
    const gap = repeatPurchase(
      [
        { customerId: "a", orderedAt: new Date(Date.UTC(2025, 0, 5)), amount: 1 },
        { customerId: "a", orderedAt: new Date(Date.UTC(2025, 2, 5)), amount: 1 },
      ],
      { period: "month" },
    );
    expect(gap.periods.map((p) => p.label)).toEqual(["2025-01", "2025-02", "2025-03"]);
    expect(gap.periods[1]).toMatchObject({ orders: 0, repeatPurchaseRate: null, reason: "no_orders" });
    expect(gap.total.repeatBuyers).toBe(1);
  });
});

describe("repeatPurchase: properties", () => {
  it("merge of parts equals the whole", () => {
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 60 }), fc.nat(), (xs, cut) => {
        const acc = repeatPurchaseAccumulator();
        const k = xs.length === 0 ? 0 : cut % (xs.length + 1);
        const merged = acc.result(
          mergeStates(acc, [foldState(xs.slice(0, k), acc), foldState(xs.slice(k), acc)]),
        );
        expect(plain(merged)).toEqual(plain(fold(xs, acc)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("order invariance and bounds (per period and total)", () => {
    fc.assert(
      fc.property(fc.array(orderArb, { minLength: 1, maxLength: 60 }), (xs) => {
        const a = repeatPurchase(xs, { period: "month" });
        const b = repeatPurchase([...xs].reverse(), { period: "month" });
        expect(a.periods.map((p) => plain(p))).toEqual(b.periods.map((p) => plain(p)));
        expect(plain(a.total)).toEqual(plain(b.total));
        expect(a.periods.reduce((s, p) => s + p.orders, 0)).toBe(xs.length);
        for (const p of [...a.periods, a.total]) {
          if (p.orders === 0) continue;
          expect(p.repeatPurchaseRate!).toBeGreaterThanOrEqual(0);
          expect(p.repeatPurchaseRate!).toBeLessThanOrEqual(1);
          expect(p.purchaseFrequency!).toBeGreaterThanOrEqual(1);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("repeatPurchase: shifting every order by whole periods shifts the table", () => {
  it("k weeks later (UTC weeks): same figures, labels k weeks on", () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -20, max: 20 }),
        (xs, k) => {
          const shift = k * 7 * 86_400_000;
          const moved = xs.map((o) => ({ ...o, orderedAt: new Date(o.orderedAt.getTime() + shift) }));
          const a = repeatPurchase(xs, { period: "week" });
          const b = repeatPurchase(moved, { period: "week" });
          expect(b.periods.map((p) => p.start.getTime() - shift)).toEqual(
            a.periods.map((p) => p.start.getTime()),
          );
          const strip = ({ label: _l, start: _s, end: _e, ...rest }: (typeof a.periods)[number]) =>
            plain(rest);
          expect(b.periods.map(strip)).toEqual(a.periods.map(strip));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("repeatPurchase: bad input", () => {
  const ok = { customerId: "a", orderedAt: new Date(T0), amount: "1.00" };
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CxMetricsError);
      return (e as CxMetricsError).code;
    }
    return "no error";
  };
  it("rejects bad options and records with stable codes", () => {
    expect(code(() => repeatPurchase([ok], { period: "fortnight" as "month" }))).toBe("invalid_option");
    expect(code(() => repeatPurchase([ok], { timeZone: "Mars/Olympus" }))).toBe("invalid_time");
    expect(
      code(() => repeatPurchase([ok, { ...ok, orderedAt: "2025-01-01T10:00:00" as unknown as Date }])),
    ).toBe("invalid_time");
    expect(code(() => repeatPurchase([ok, { ...ok, amount: Number.NaN }]))).toBe("non_finite_value");
    expect(code(() => repeatPurchase([ok, { ...ok, amount: "ten" }]))).toBe("invalid_type");
    expect(code(() => repeatPurchase([{ ...ok, customerId: 7 as unknown as string }]))).toBe("invalid_type");
    expect(code(() => repeatPurchase("orders" as unknown as []))).toBe("invalid_type");
  });
  it("names the offending index", () => {
    try {
      repeatPurchase([ok, ok, { ...ok, amount: "x" }]);
    } catch (e) {
      expect((e as { issues: { index: number }[] }).issues[0]!.index).toBe(2);
    }
  });
});

/** repeatPurchaseFromCounts: the figures repeatPurchase reports, from counts made elsewhere; bad counts are typed errors. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/core/money.js";
import { repeatPurchase, repeatPurchaseFromCounts } from "../../src/retention/repeat-purchase.js";

describe("repeatPurchaseFromCounts", () => {
  it("equals repeatPurchase's total on random order logs (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customerId: fc.constantFrom("a", "b", "c", "__proto__"),
            day: fc.integer({ min: 0, max: 60 }),
            cents: fc.integer({ min: 0, max: 100_000 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (rows) => {
          const orders = rows.map((r) => ({
            customerId: r.customerId,
            orderedAt: new Date(Date.UTC(2025, 0, 1) + r.day * 86_400_000),
            amount: new Decimal(r.cents).div(100),
          }));
          const total = repeatPurchase(orders).total;
          const per = new Map<string, number>();
          for (const o of orders) per.set(o.customerId, (per.get(o.customerId) ?? 0) + 1);
          const revenue = orders.reduce((s, o) => s.plus(o.amount), new Decimal(0));
          const got = repeatPurchaseFromCounts({
            orders: orders.length,
            buyers: per.size,
            repeatBuyers: [...per.values()].filter((k) => k >= 2).length,
            revenue,
          });
          expect({
            ...got,
            revenue: got.revenue.toString(),
            averageOrderValue: got.averageOrderValue?.toString(),
          }).toEqual({
            ...total,
            revenue: total.revenue.toString(),
            averageOrderValue: total.averageOrderValue?.toString(),
          });
        },
      ),
      { seed: 5, numRuns: 100 },
    );
  });

  it("no orders: null ratios with reason no_orders", () => {
    const s = repeatPurchaseFromCounts({ orders: 0, buyers: 0, repeatBuyers: 0, revenue: new Decimal(0) });
    expect([s.repeatPurchaseRate, s.purchaseFrequency, s.averageOrderValue, s.reason]).toEqual([
      null,
      null,
      null,
      "no_orders",
    ]);
  });

  it("inconsistent or non-integer counts are invalid_option", () => {
    const zero = new Decimal(0);
    for (const bad of [
      { orders: 1, buyers: 0, repeatBuyers: 0, revenue: zero },
      { orders: 2, buyers: 3, repeatBuyers: 0, revenue: zero },
      { orders: 3, buyers: 2, repeatBuyers: 3, revenue: zero },
      { orders: 1.5, buyers: 1, repeatBuyers: 0, revenue: zero },
      { orders: -1, buyers: 0, repeatBuyers: 0, revenue: zero },
      { orders: 1, buyers: 1, repeatBuyers: 0, revenue: 5 as unknown as Decimal },
    ]) {
      expect(() => repeatPurchaseFromCounts(bad)).toThrow(
        expect.objectContaining({ code: "invalid_option" }),
      );
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customerProfitability } from "../../src/clv/customer-profitability.js";
import { InvalidInputError } from "../../src/core/errors.js";

describe("customerProfitability", () => {
  it("profit per customer, ranking, whale curve peak and share unprofitable (hand-computed)", () => {
    const revenues = [
      { customerId: "a", amount: 100 },
      { customerId: "b", amount: 50 },
      { customerId: "c", amount: "30.10" },
      { customerId: "a", amount: 20 },
    ];
    const costs = [
      { customerId: "b", amount: 80 },
      { customerId: "c", amount: "0.10" },
      { customerId: "d", amount: 10 },
    ];
    const r = customerProfitability(revenues, costs);
    expect(r.n).toBe(4);
    expect(r.customers.map((c) => [c.customerId, c.profit.toString(), c.rank])).toEqual([
      ["a", "120", 1],
      ["c", "30", 2],
      ["d", "-10", 3],
      ["b", "-30", 4],
    ]);
    expect(r.totalProfit.toString()).toBe("110");
    expect(r.whaleCurve.map((p) => p.cumulativeProfit.toNumber())).toEqual([0, 120, 150, 140, 110]);
    expect(r.peakShareOfProfit).toBe(150 / 110);
    expect(r.peakShareOfCustomers).toBe(0.5);
    expect(r.unprofitable).toBe(2);
    expect(r.shareUnprofitable).toBe(0.5);
    expect(r.whaleCurve.at(-1)!.shareOfProfit).toBe(1);
  });
  it("empty input: n = 0 and null shares; non-positive total: null shares with a warning", () => {
    const e = customerProfitability([], []);
    expect(e).toMatchObject({ n: 0, shareUnprofitable: null, peakShareOfProfit: null });
    const neg = customerProfitability([{ customerId: 1, amount: 1 }], [{ customerId: 1, amount: 2 }]);
    expect(neg.peakShareOfProfit).toBeNull();
    expect(neg.whaleCurve[1]!.shareOfProfit).toBeNull();
    expect(neg.warnings[0]!.code).toBe("non_positive_total");
  });
  it("whale curve ends at total profit, peaks at the last profitable customer (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customerId: fc.integer({ min: 0, max: 20 }),
            amount: fc.integer({ min: -500, max: 1000 }),
          }),
        ),
        (rows) => {
          const r = customerProfitability(rows, []);
          expect(r.whaleCurve).toHaveLength(r.n + 1);
          expect(r.whaleCurve.at(-1)!.cumulativeProfit.equals(r.totalProfit)).toBe(true);
          for (let i = 1; i < r.customers.length; i++)
            expect(r.customers[i]!.profit.lessThanOrEqualTo(r.customers[i - 1]!.profit)).toBe(true);
          if (r.peakShareOfProfit !== null) expect(r.peakShareOfProfit).toBeGreaterThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
  it("rejects bad records naming index and path", () => {
    try {
      customerProfitability([{ customerId: "a", amount: 1 }], [{ customerId: "a", amount: Number.NaN }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        index: 0,
        path: ["costs", "amount"],
        code: "non_finite_value",
      });
    }
    expect(() => customerProfitability([{ customerId: undefined as never, amount: 1 }], [])).toThrow(
      expect.objectContaining({ code: "missing_value" }),
    );
    expect(() => customerProfitability(null as never, [])).toThrow(
      expect.objectContaining({ code: "invalid_type" }),
    );
  });
});

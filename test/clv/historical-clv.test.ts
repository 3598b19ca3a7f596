import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historicalClv } from "../../src/clv/historical-clv.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";

describe("historicalClv", () => {
  const tx = [
    { customerId: "a", date: "2026-01-05", amount: "0.10" },
    { customerId: "b", date: "2026-01-06", amount: 5 },
    { customerId: "a", date: "2026-02-01", amount: 0.2 },
    { customerId: "a", date: "2026-03-01", amount: new Decimal("100") },
  ];
  it("sums margins exactly per customer (0.1 + 0.2 = 0.3)", () => {
    const r = historicalClv(tx.slice(0, 3));
    expect(r.n).toBe(2);
    expect(r.customers[0]!.value.toString()).toBe("0.3");
    expect(r.customers[0]!.transactions).toBe(2);
    expect(r.total.toString()).toBe("5.3");
    expect(r.mean!.toString()).toBe("2.65");
  });
  it("margin as a share or as a function; asOf is inclusive", () => {
    expect(historicalClv(tx, { margin: 0.25 }).customers[0]!.value.toString()).toBe("25.075");
    const f = historicalClv(tx, { margin: (t) => new Decimal(t.amount.toString()).minus(0.1) });
    expect(f.customers[0]!.value.toString()).toBe("100");
    const asOf = historicalClv(tx, { asOf: "2026-02-01" });
    expect(asOf.customers[0]!.value.toString()).toBe("0.3");
    expect(asOf.excluded.afterAsOf).toBe(1);
  });
  it("empty input: n = 0, mean null", () => {
    const r = historicalClv([]);
    expect(r).toMatchObject({ n: 0, mean: null, customers: [] });
    expect(r.total.isZero()).toBe(true);
  });
  it("total is the sum over any split of the log (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customerId: fc.constantFrom("x", "y", "z", "__proto__"),
            date: fc.constant("2026-01-01"),
            amount: fc.integer({ min: -1000, max: 100000 }).map((c) => (c / 100).toFixed(2)),
          }),
        ),
        fc.nat(),
        (rows, cut) => {
          const k = rows.length === 0 ? 0 : cut % rows.length;
          const whole = historicalClv(rows).total;
          const parts = historicalClv(rows.slice(0, k)).total.plus(historicalClv(rows.slice(k)).total);
          expect(parts.equals(whole)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
  it("rejects bad records and options", () => {
    expect(() => historicalClv([{ customerId: "", date: "2026-01-01", amount: 1 }])).toThrow(
      expect.objectContaining({ code: "invalid_type" }),
    );
    expect(() => historicalClv([{ customerId: "a", date: "2026-01-01", amount: "x" }])).toThrow(
      InvalidInputError,
    );
    expect(() =>
      historicalClv([{ customerId: "a", date: "2026-13-01", amount: 1 }], { asOf: "2026-01-01" }),
    ).toThrow(expect.objectContaining({ code: "invalid_time" }));
    expect(() => historicalClv(tx, { margin: "lots" })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => historicalClv(tx, { asOf: "soon" })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });
});

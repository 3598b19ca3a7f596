import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { orderSchema, parseOrders, safeParseOrders } from "../../src/schemas/order.js";

const good = { order_id: "o1", customer_id: "c1", ordered_at: "2025-03-01T00:00:00-05:00", amount: "19.99" };

describe("order schema", () => {
  it("parses snake_case CSV rows: instant → Date, amount → Decimal, blanks → null", () => {
    const [o] = parseOrders([{ ...good, currency: "" }]);
    expect(o!.orderId).toBe("o1");
    expect(o!.customerId).toBe("c1");
    expect(o!.orderedAt.toISOString()).toBe("2025-03-01T05:00:00.000Z");
    expect(o!.amount.toString()).toBe("19.99");
    expect(o!.currency).toBeNull();
  });

  it("accepts camelCase, Date, epoch ms, numbers and Decimals; keeps milliseconds", () => {
    const r = orderSchema.parse({
      customerId: 5,
      orderedAt: "2026-01-01T04:59:59.999Z",
      amount: 0.1,
      currency: "usd",
    });
    expect(r.customerId).toBe("5");
    expect(r.orderedAt.getTime()).toBe(Date.UTC(2026, 0, 1, 4, 59, 59, 999));
    expect(r.amount.toString()).toBe("0.1");
    expect(r.currency).toBe("USD");
    expect(orderSchema.parse({ customerId: "x", orderedAt: 0, amount: "0" }).orderId).toBeNull();
  });

  it("does not mutate its input", () => {
    const input = [{ ...good }];
    const copy = JSON.parse(JSON.stringify(input));
    parseOrders(input);
    expect(input).toEqual(copy);
  });

  it("reports every bad record with index, path and code", () => {
    const r = safeParseOrders([
      good,
      { ...good, ordered_at: "2025-03-01T10:00:00" },
      { ...good, amount: "-1.00" },
      { ...good, amount: Number.POSITIVE_INFINITY },
      { ...good, amount: "1,00" },
      { ...good, customer_id: "" },
      { ...good, currency: "dollars" },
    ]);
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error).toBeInstanceOf(InvalidInputError);
    expect(r.error.code).toBe("invalid_record");
    const issues = r.error.issues.map((i) => [i.index, i.path.join("."), i.code]);
    expect(issues).toEqual([
      [1, "orderedAt", "invalid_time"],
      [2, "amount", "out_of_range"],
      [3, "amount", "non_finite_value"],
      [4, "amount", "invalid_type"],
      [5, "customerId", expect.any(String)],
      [6, "currency", expect.any(String)],
    ]);
  });

  it("a bad record is invalid_record with its specific code on the issue; non-arrays are invalid_type", () => {
    expect(() => parseOrders([{ ...good, ordered_at: "2025-03-01" }])).toThrow(
      expect.objectContaining({
        code: "invalid_record",
        issues: [expect.objectContaining({ code: "invalid_time" })],
      }),
    );
    expect(() => parseOrders({ rows: [] })).toThrow(expect.objectContaining({ code: "invalid_type" }));
    expect(() => parseOrders([{ ...good, amount: undefined }])).toThrow(InvalidInputError);
  });

  it("rejects mixed currencies unless allowed", () => {
    const rows = [
      { ...good, currency: "USD" },
      { ...good, currency: "" },
      { ...good, currency: "EUR" },
    ];
    const r = safeParseOrders(rows);
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.error.issues[0]).toMatchObject({ index: 2, path: ["currency"], code: "invalid_currency" });
    expect(parseOrders(rows, { mixedCurrencies: "allow" }).length).toBe(3);
  });
});

import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/core/money.js";
import {
  parseTransactions,
  safeParseTransactions,
  transactionSchema,
} from "../../src/schemas/transaction.js";
import type { Transaction } from "../../src/schemas/transaction.js";

describe("transactionSchema / parseTransactions", () => {
  it("accepts a date or an instant; keeps amounts as given; `at` becomes a Date", () => {
    const input = [
      { customerId: "c1", date: "1997-01-01", amount: "29.33" },
      { customerId: 2, at: "1997-01-01T10:00:00+01:00", amount: 12 },
      { customerId: "__proto__", at: new Date("2024-02-29T00:00:00Z"), amount: new Decimal("1.10") },
      { customerId: 3, at: 0, amount: -5 },
    ];
    const out: Transaction[] = parseTransactions(input);
    expect(out[0]).toEqual({ customerId: "c1", date: "1997-01-01", amount: "29.33" });
    expect(out[1]!.at).toEqual(new Date("1997-01-01T09:00:00Z"));
    expect(out[2]!.customerId).toBe("__proto__");
    expect((out[2]!.amount as Decimal).toString()).toBe("1.1");
    expect(out[3]!.at!.getTime()).toBe(0);
    expect(out[1]).not.toBe(input[1]); // new objects
    expect(input[1]!.at).toBe("1997-01-01T10:00:00+01:00"); // input not mutated
  });
  it("reports every issue with index and path", () => {
    const r = safeParseTransactions([
      { customerId: "", date: "2023-02-29", amount: Number.NaN },
      { customerId: 2, amount: 1 },
      { customerId: 3, at: "2024-01-01", amount: 1 },
      { customerId: 4, at: "2024-01-01T00:00:00Z", date: "2024-01-01", amount: 1 },
      { customerId: 1.5, date: "2024-01-01", amount: "1,5" },
    ]);
    expect(r.success).toBe(false);
    if (r.success) return;
    const issues = r.error.issues.map((i) => [i.index, i.path.join(".")]);
    expect(issues).toEqual([
      [0, "customerId"],
      [0, "date"],
      [0, "amount"],
      [1, "date"],
      [2, "at"],
      [3, "at"],
      [4, "customerId"],
      [4, "amount"],
    ]);
    expect(r.error.code).toBe("invalid_record");
    expect(r.error.issues[4]!.message).toMatch(/no UTC offset/);
    expect(() => parseTransactions([{ customerId: 2, amount: 1 }])).toThrow(/found neither/);
  });
  it("rejects a non-array and non-objects", () => {
    expect(() => parseTransactions({})).toThrow(expect.objectContaining({ code: "invalid_type" }));
    expect(safeParseTransactions([null]).success).toBe(false);
    expect(transactionSchema.safeParse({ customerId: "a", date: "2024-1-01", amount: 1 }).success).toBe(
      false,
    );
  });
});

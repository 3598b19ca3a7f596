/**
 * Subscription schema: the shared CSV parses (../shared/data/subscriptions, SOURCE.md), and every
 * bad input is reported with its record index, path and code.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";
import {
  parseSubscriptions,
  safeParseSubscriptions,
  subscriptionSchema,
} from "../../src/schemas/subscription.js";
import { describeShared, parseCsv, readShared } from "../helpers/shared.js";

const ok = {
  subscriptionId: "s1",
  customerId: "c1",
  segment: "smb",
  billingInterval: "year",
  amount: "290.00",
  currency: "USD",
  startedAt: "2025-01-01T00:00:00Z",
};

function issuesOf(input: unknown[]) {
  const r = safeParseSubscriptions(input);
  if (r.success) throw new Error("expected failure");
  return r.error;
}

describe("subscriptionSchema", () => {
  it("parses amounts to Decimal, instants to Date, blanks to null", () => {
    const [s] = parseSubscriptions([{ ...ok, endedAt: "", trialEnd: null }]);
    expect(s!.amount).toBeInstanceOf(Decimal);
    expect(s!.amount.toString()).toBe("290");
    expect(s!.startedAt.getTime()).toBe(Date.UTC(2025, 0, 1));
    expect(s!.endedAt).toBeNull();
    expect(s!.trialEnd).toBeNull();
    expect(s!.intervalCount).toBe(1);
    expect(s!.acquisitionCost).toBeNull();
  });

  it("accepts snake_case CSV names, numbers and Dates", () => {
    const [s] = parseSubscriptions([
      {
        customer_id: 7,
        billing_interval: "month",
        amount: 29.5,
        started_at: new Date(0),
        ended_at: "1970-01-02T01:00:00+01:00",
      },
    ]);
    expect(s!.customerId).toBe("7");
    expect(s!.amount.toString()).toBe("29.5");
    expect(s!.endedAt!.getTime()).toBe(86_400_000);
  });

  it("keeps __proto__ as a segment value", () => {
    const [s] = parseSubscriptions([{ ...ok, segment: "__proto__" }]);
    expect(s!.segment).toBe("__proto__");
    expect(
      subscriptionSchema.parse(
        JSON.parse(
          '{"customerId":"c","billingInterval":"month","amount":"1","startedAt":"2025-01-01T00:00:00Z","__proto__":{"x":1}}',
        ),
      ).customerId,
    ).toBe("c");
  });

  it("rejects an instant without offset (invalid_time) naming index and path", () => {
    const e = issuesOf([ok, { ...ok, startedAt: "2025-01-01T00:00:00" }]);
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.code).toBe("invalid_record");
    expect(e.issues).toEqual([
      expect.objectContaining({ index: 1, path: ["startedAt"], code: "invalid_time" }),
    ]);
  });

  it("rejects end before start and trial end before start (out_of_range)", () => {
    const e = issuesOf([
      { ...ok, endedAt: "2024-12-31T23:59:59Z" },
      { ...ok, trialEnd: "2024-12-01T00:00:00Z" },
    ]);
    expect(e.code).toBe("invalid_record");
    expect(e.issues.map((i) => [i.index, i.path, i.code])).toEqual([
      [0, ["endedAt"], "out_of_range"],
      [1, ["trialEnd"], "out_of_range"],
    ]);
  });

  it("rejects an unknown billing interval", () => {
    const e = issuesOf([{ ...ok, billingInterval: "fortnight" }]);
    expect(e.issues[0]).toMatchObject({ index: 0, path: ["billingInterval"], code: "invalid_value" });
    expect(e.message).toContain("fortnight");
  });

  it("rejects bad amounts: negative (out_of_range), NaN (non_finite_value), text (invalid_type)", () => {
    const e = issuesOf([
      { ...ok, amount: "-1" },
      { ...ok, amount: Number.NaN },
      { ...ok, amount: "12,50" },
    ]);
    expect(e.issues.map((i) => [i.index, i.path[0], i.code])).toEqual([
      [0, "amount", "out_of_range"],
      [1, "amount", "non_finite_value"],
      [2, "amount", "invalid_type"],
    ]);
  });

  it("rejects a missing customer id and a non-array input", () => {
    const e = issuesOf([{ ...ok, customerId: undefined }]);
    expect(e.issues[0]).toMatchObject({ index: 0, path: ["customerId"] });
    const r = safeParseSubscriptions({ rows: [] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]).toMatchObject({ index: null, code: "invalid_type" });
  });

  it("rejects mixed currencies (invalid_currency) unless allowed", () => {
    const rows = [ok, { ...ok, currency: "EUR" }];
    const e = issuesOf(rows);
    expect(e.code).toBe("invalid_currency");
    expect(e.issues[0]).toMatchObject({ index: 1, path: ["currency"] });
    expect(parseSubscriptions(rows, { mixedCurrencies: "allow" })).toHaveLength(2);
    expect(() => parseSubscriptions(rows)).toThrow(InvalidInputError);
  });
});

describeShared("subscriptions.csv (../shared/data/subscriptions)", () => {
  it("parses all 1,914 rows; offsets are converted to instants", () => {
    const subs = parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")));
    expect(subs).toHaveLength(1914);
    expect(subs.filter((s) => s.segment === "__proto__").length).toBe(49);
    const c1507 = subs.find((s) => s.customerId === "cus_01507")!;
    // 2025-07-31T22:30:00-04:00 is 2025-08-01T02:30Z (SOURCE.md)
    expect(c1507.startedAt.toISOString()).toBe("2025-08-01T02:30:00.000Z");
    expect(c1507.endedAt!.toISOString()).toBe("2025-11-30T23:30:00.000Z");
    expect(subs.filter((s) => s.billingInterval === "year").length).toBe(397);
  });
});

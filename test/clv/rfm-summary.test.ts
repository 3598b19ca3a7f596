import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rfmSummary } from "../../src/clv/rfm-summary.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";
import { describeShared } from "../helpers/shared.js";
import { cdnowSummary, cdnowTransactions, clvRef, roundHalfUp } from "./cdnow.js";

describeShared("rfmSummary rebuilds the CDNOW summary from CDNOW_sample.txt", () => {
  // Tolerance (clv.json tolerances.derived_summary_vs_csv): x exact; t_x and T equal after rounding to 2
  // decimals (half up); zbar within 0.005 (the CSV is rounded to cents).
  const rows = rfmSummary(cdnowTransactions(), {
    calibrationEnd: "1997-09-30",
    timeUnit: "week",
    holdoutEnd: "1998-06-30",
  });
  const byId = new Map(rows.map((r) => [r.customerId, r]));
  it("has all 2357 customers with identical x and rounded t_x, T; zbar within 0.005", () => {
    expect(rows).toHaveLength(clvRef.inputs.summary_check.customers);
    let maxZ = 0;
    for (const ref of cdnowSummary()) {
      const r = byId.get(ref.id)!;
      expect(r.frequency, `x of ${ref.id}`).toBe(ref.frequency);
      expect(roundHalfUp(r.recency, 2), `t_x of ${ref.id}`).toBe(ref.recency);
      expect(roundHalfUp(r.T, 2), `T of ${ref.id}`).toBe(ref.T);
      maxZ = Math.max(maxZ, Math.abs(r.monetaryValue - ref.monetaryValue));
    }
    expect(maxZ).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(Math.abs(maxZ - clvRef.inputs.summary_check.max_abs_zbar_difference)).toBeLessThanOrEqual(1e-9);
  });
  it("holdout counts equal the reference's observed purchases in the next 39 weeks", () => {
    for (const c of clvRef.cdnow_customers) {
      const r = byId.get(c.id)!;
      expect(r.holdoutFrequency, `customer ${c.id}`).toBe(c.observed_purchases_next_39_weeks);
      expect(r.holdoutDuration).toBe(39);
    }
  });
  it("customer 1: x = 2, t_x = 213/7, T = 272/7, zbar = 22.345 (unrounded)", () => {
    const r = byId.get(1)!;
    expect(r.recency).toBe(213 / 7);
    expect(r.T).toBe(272 / 7);
    expect(Math.abs(r.monetaryValue - 22.345)).toBeLessThanOrEqual(1e-12);
  });
});

describe("rfmSummary definitions", () => {
  const tx = [
    { customerId: "a", date: "2024-01-01", amount: 10 },
    { customerId: "a", date: "2024-01-01", amount: 5 }, // same day: merged into the first purchase
    { customerId: "b", date: "2024-01-10", amount: 7 },
    { customerId: "a", date: "2024-01-15", amount: "20.5" },
    { customerId: "a", date: "2024-01-15", amount: new Decimal(4.5) }, // same repeat day: summed (25)
    { customerId: "a", date: "2024-01-29", amount: 15 },
    { customerId: "a", date: "2024-02-10", amount: 100 }, // after calibration end → holdout
    { customerId: "c", date: "2024-02-05", amount: 1 }, // first purchase after calibration end → excluded
  ];
  it("merges same-day purchases; frequency, recency, T, monetary value as lifetimes (daily)", () => {
    const rows = rfmSummary(tx, { calibrationEnd: "2024-01-31" });
    expect(rows).toEqual([
      { customerId: "a", frequency: 2, recency: 28, T: 30, monetaryValue: 20 },
      { customerId: "b", frequency: 0, recency: 0, T: 21, monetaryValue: 0 },
    ]);
  });
  it("time units: week = days/7, month = days/(365.25/12)", () => {
    const w = rfmSummary(tx, { calibrationEnd: "2024-01-31", timeUnit: "week" });
    expect(w[0]!.recency).toBe(4);
    expect(w[0]!.T).toBe(30 / 7);
    const m = rfmSummary(tx, { calibrationEnd: "2024-01-31", timeUnit: "month" });
    expect(m[0]!.T).toBe(30 / 30.4375);
  });
  it("holdout: purchase days and their mean value in (calibrationEnd, holdoutEnd]", () => {
    const rows = rfmSummary(tx, { calibrationEnd: "2024-01-31", holdoutEnd: "2024-02-29" });
    expect(rows[0]).toMatchObject({ holdoutFrequency: 1, holdoutMonetaryValue: 100, holdoutDuration: 29 });
    expect(rows[1]).toMatchObject({ holdoutFrequency: 0, holdoutMonetaryValue: 0 });
  });
  it("a first purchase on the calibration end day gives T = 0; the end day is inclusive", () => {
    const rows = rfmSummary([{ customerId: 1, date: "2024-03-01", amount: 1 }], {
      calibrationEnd: "2024-03-01",
    });
    expect(rows).toEqual([{ customerId: 1, frequency: 0, recency: 0, T: 0, monetaryValue: 0 }]);
  });
  it("columns give the same rows as records", () => {
    const cols = {
      customerId: tx.map((t) => t.customerId),
      date: tx.map((t) => t.date),
      amount: tx.map((t) => Number(t.amount.toString())),
    };
    expect(rfmSummary(cols, { calibrationEnd: "2024-01-31" })).toEqual(
      rfmSummary(tx, { calibrationEnd: "2024-01-31" }),
    );
  });
  it("treats __proto__ as an ordinary customer id", () => {
    const rows = rfmSummary(
      [
        { customerId: "__proto__", date: "2024-01-01", amount: 1 },
        { customerId: "__proto__", date: "2024-01-02", amount: 3 },
      ],
      { calibrationEnd: "2024-01-02" },
    );
    expect(rows).toEqual([{ customerId: "__proto__", frequency: 1, recency: 1, T: 1, monetaryValue: 3 }]);
  });
  it("is invariant to the order of transactions except for row order (fast-check)", () => {
    const arb = fc.array(
      fc.record({
        customerId: fc.integer({ min: 1, max: 8 }),
        date: fc
          .integer({ min: 0, max: 60 })
          .map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)),
        amount: fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.func(fc.integer()), (txs, key) => {
        const shuffled = [...txs].sort((x, y) => key(x) - key(y));
        const sort = (rows: ReturnType<typeof rfmSummary>) =>
          [...rows].sort((x, y) => Number(x.customerId) - Number(y.customerId));
        const a = sort(rfmSummary(txs, { calibrationEnd: "2024-02-15" }));
        const b = sort(rfmSummary(shuffled, { calibrationEnd: "2024-02-15" }));
        expect(b.length).toBe(a.length);
        for (let i = 0; i < a.length; i++) {
          expect(b[i]!.frequency).toBe(a[i]!.frequency);
          expect(b[i]!.recency).toBe(a[i]!.recency);
          expect(b[i]!.T).toBe(a[i]!.T);
          expect(Math.abs(b[i]!.monetaryValue - a[i]!.monetaryValue)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, a[i]!.monetaryValue),
          );
          expect(a[i]!.recency).toBeLessThanOrEqual(a[i]!.T);
          expect(a[i]!.frequency === 0 ? a[i]!.recency === 0 : true).toBe(true);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("does not mutate its input", () => {
    const copy = structuredClone(tx.map((t) => ({ ...t, amount: t.amount.toString() })));
    rfmSummary(tx, { calibrationEnd: "2024-01-31" });
    expect(tx.map((t) => ({ ...t, amount: t.amount.toString() }))).toEqual(copy);
  });
});

describe("rfmSummary bad input", () => {
  const end = { calibrationEnd: "2024-01-31" };
  const issue = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as InvalidInputError).issues[0]!;
    }
    throw new Error("did not throw");
  };
  it("names the index and field of bad records", () => {
    expect(
      issue(() =>
        rfmSummary(
          [
            { customerId: "a", date: "2024-01-01", amount: 1 },
            { customerId: "", date: "2024-01-01", amount: 1 },
          ],
          end,
        ),
      ),
    ).toMatchObject({ index: 1, path: ["customerId"], code: "invalid_type" });
    expect(
      issue(() => rfmSummary([{ customerId: null as never, date: "2024-01-01", amount: 1 }], end)),
    ).toMatchObject({ index: 0, code: "missing_value" });
    expect(issue(() => rfmSummary([{ customerId: "a", date: "2024-02-30", amount: 1 }], end))).toMatchObject({
      index: 0,
      path: ["date"],
      code: "invalid_time",
    });
    expect(
      issue(() => rfmSummary([{ customerId: "a", at: "2024-01-01T10:00", amount: 1 }], end)),
    ).toMatchObject({ index: 0, path: ["at"], code: "invalid_time" });
    expect(issue(() => rfmSummary([{ customerId: "a", amount: 1 }], end))).toMatchObject({
      index: 0,
      path: ["date"],
      code: "missing_value",
    });
    expect(
      issue(() =>
        rfmSummary([{ customerId: "a", date: "2024-01-01", amount: Number.POSITIVE_INFINITY }], end),
      ),
    ).toMatchObject({ index: 0, path: ["amount"], code: "non_finite_value" });
    expect(
      issue(() => rfmSummary([{ customerId: "a", date: "2024-01-01", amount: "12,50" }], end)),
    ).toMatchObject({ index: 0, path: ["amount"], code: "invalid_type" });
    expect(
      issue(() => rfmSummary({ customerId: ["a", "b"], date: ["2024-01-01"], amount: [1, 2] }, end)),
    ).toMatchObject({ code: "length_mismatch" });
  });
  it("checks Float64Array amount columns (used without a copy)", () => {
    const cols = {
      customerId: Int32Array.of(1, 2, 3),
      at: Float64Array.of(0, 0, 0),
      amount: Float64Array.of(1, Number.NaN, 2),
    };
    expect(issue(() => rfmSummary(cols, { calibrationEnd: "1970-01-01" }))).toMatchObject({
      index: 1,
      path: ["amount"],
      code: "non_finite_value",
    });
  });
  it("rejects bad options", () => {
    expect(issue(() => rfmSummary([], { calibrationEnd: "31/01/2024" }))).toMatchObject({
      code: "invalid_option",
    });
    expect(
      issue(() => rfmSummary([], { calibrationEnd: "2024-01-31", timeUnit: "year" as never })),
    ).toMatchObject({ code: "invalid_option" });
    expect(
      issue(() => rfmSummary([], { calibrationEnd: "2024-01-31", timeZone: "Mars/Olympus" })),
    ).toMatchObject({ code: "invalid_time" });
    expect(
      issue(() => rfmSummary([], { calibrationEnd: "2024-01-31", holdoutEnd: "2024-01-01" })),
    ).toMatchObject({ code: "invalid_option" });
  });
  it("returns no rows for an empty log", () => {
    expect(rfmSummary([], end)).toEqual([]);
  });
});

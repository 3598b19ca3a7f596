import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { marketShare, marketShareAccumulator } from "../../src/acquisition/market-share.js";
import { fold, foldState, mergeStates } from "../../src/core/accumulator.js";
import type { CxMetricsError } from "../../src/core/errors.js";

describe("marketShare", () => {
  it("share, change in points and relative change (hand-computed)", () => {
    const r = marketShare(
      [
        { period: "2025", own: 20, market: 100, largestCompetitor: 40 },
        { period: "2026", own: 30, market: 120, largestCompetitor: 25 },
      ],
      { measure: "units" },
    );
    expect(r.periods[0]).toMatchObject({
      share: 0.2,
      relativeShare: 0.5,
      change: null,
      relativeChange: null,
      reasons: ["first_period"],
    });
    // 0.25 − 0.20 = 0.05 exactly in decimal (float subtraction would give 0.04999999999999999)
    expect(r.periods[1]).toMatchObject({
      share: 0.25,
      relativeShare: 1.2,
      change: 0.05,
      relativeChange: 0.25,
      reasons: [],
    });
    expect(r.total).toMatchObject({ n: 2, share: 50 / 220 });
  });

  it("revenue: exact decimal sums, several rows per period, key order", () => {
    const r = marketShare(
      [
        { period: "2026-Q1", own: "0.1", market: "0.3" },
        { period: "2025-Q4", own: "0", market: "0" },
        { period: "2026-Q1", own: "0.2", market: "0.3" },
      ],
      { order: "key" },
    );
    expect(r.periods.map((p) => p.period)).toEqual(["2025-Q4", "2026-Q1"]);
    expect(r.periods[0]).toMatchObject({ share: null, reasons: ["zero_market", "first_period"] });
    expect(r.periods[1]).toMatchObject({ share: 0.5, change: null, reasons: ["previous_share_missing"] });
    expect(r.periods[1]!.own.toString()).toBe("0.3");
  });

  it("merge of parts equals the whole; shares within [0, 1]", () => {
    const rowArb = fc
      .tuple(fc.nat(1000), fc.nat(1000))
      .map(([a, b]) => ({ period: "p", own: Math.min(a, b), market: Math.max(a, b) }));
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), fc.nat(), (xs, cut) => {
        const acc = marketShareAccumulator({ measure: "units" });
        const k = xs.length === 0 ? 0 : cut % (xs.length + 1);
        const merged = acc.result(
          mergeStates(acc, [foldState(xs.slice(0, k), acc), foldState(xs.slice(k), acc)]),
        );
        const whole = fold(xs, acc);
        expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
        if (whole.share !== null) {
          expect(whole.share).toBeGreaterThanOrEqual(0);
          expect(whole.share).toBeLessThanOrEqual(1);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("bad input names the row", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as CxMetricsError).code, (e as { issues: { index: number | null }[] }).issues?.[0]?.index];
      }
      return ["no error"];
    };
    expect(
      err(() =>
        marketShare([
          { period: "a", own: 1, market: 2 },
          { period: "a", own: 3, market: 2 },
        ]),
      ),
    ).toEqual(["out_of_range", 1]);
    expect(err(() => marketShare([{ period: "a", own: -1, market: 2 }]))).toEqual(["out_of_range", 0]);
    expect(err(() => marketShare([{ period: "a", own: 1.5, market: 2 }], { measure: "units" }))).toEqual([
      "not_an_integer",
      0,
    ]);
    expect(err(() => marketShare([{ period: "a", own: "x", market: 2 }]))).toEqual(["invalid_type", 0]);
    expect(err(() => marketShare([{ period: 3 as unknown as string, own: 1, market: 2 }]))).toEqual([
      "invalid_type",
      0,
    ]);
    expect(err(() => marketShare([], { measure: "kg" as "units" }))[0]).toBe("invalid_option");
  });
});

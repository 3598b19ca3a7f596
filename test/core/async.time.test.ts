/**
 * byPeriodAsync / groupByAsync over async iterables equal byPeriod / groupBy on the same rows
 * (property: random instants around DST changes, every period, zones, week starts, from/to windows),
 * and report bad instants and options with the same typed errors. Re-run under other process TZs (CI).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupBy, mapInput } from "../../src/core/accumulator.js";
import { byPeriodAsync, byPeriodStateAsync, groupByAsync } from "../../src/core/async.js";
import { byPeriod, byPeriodState } from "../../src/core/by-period.js";
import { StreamingPeriods } from "../../src/core/streaming-periods.js";
import type { Period } from "../../src/core/time.js";
import { npsAccumulator } from "../../src/survey/nps.js";

async function* stream<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

interface Row {
  at: number | string;
  seg: string;
  nps: number;
}
const acc = mapInput(npsAccumulator(), (r: Row) => r.nps);
// around the 2025 DST changes in Europe and the US, and across a year
const T0 = Date.UTC(2025, 2, 28);
const instant = fc.oneof(
  fc.integer({ min: T0 - 5 * 86_400_000, max: T0 + 5 * 86_400_000 }),
  fc.integer({ min: Date.UTC(2024, 11, 20), max: Date.UTC(2025, 11, 31) }),
);
const rowArb = fc.record({
  at: fc.oneof(
    instant,
    instant.map((ms) => new Date(ms).toISOString()),
  ),
  seg: fc.constantFrom("a", "b", "__proto__", "Z"),
  nps: fc.integer({ min: 0, max: 10 }),
});

describe("byPeriodAsync and groupByAsync", () => {
  it("equal byPeriod and groupBy on the same rows (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 60 }),
        fc.constantFrom<Period>("day", "week", "month", "quarter", "year"),
        fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"),
        fc.constantFrom<0 | 1 | 6>(0, 1, 6),
        fc.option(instant, { nil: undefined }),
        fc.option(instant, { nil: undefined }),
        async (rows, period, timeZone, weekStartsOn, a, b) => {
          const [from, to] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
          const options = {
            at: (r: Row) => r.at,
            period,
            timeZone,
            weekStartsOn,
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
          };
          expect(await byPeriodAsync(stream(rows), options, acc)).toEqual(byPeriod(rows, options, acc));
          expect(await byPeriodStateAsync(rows, options, acc)).toEqual(byPeriodState(rows, options, acc));
          for (const order of ["firstSeen", "key"] as const) {
            const got = await groupByAsync(stream(rows), (r) => r.seg, acc, { order, keys: ["none"] });
            expect([...got]).toEqual([...groupBy(rows, (r) => r.seg, acc, { order, keys: ["none"] })]);
          }
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });

  it("merging StreamingPeriods of two halves equals one pass", () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      at: T0 + i * 7_200_000 * 3.7,
      seg: "a",
      nps: i % 11,
    }));
    const whole = new StreamingPeriods(acc, "week", { timeZone: "Europe/Berlin" });
    const left = new StreamingPeriods(acc, "week", { timeZone: "Europe/Berlin" });
    const right = new StreamingPeriods(acc, "week", { timeZone: "Europe/Berlin" });
    rows.forEach((r, i) => {
      whole.add(r.at, r, i);
      (i % 2 === 0 ? left : right).add(r.at, r, i);
    });
    left.mergeEntries(right.entries());
    expect(left.results()).toEqual(whole.results());
    expect(whole.results()).toEqual(
      byPeriod(rows, { at: (r) => r.at, period: "week", timeZone: "Europe/Berlin" }, acc),
    );
  });

  it("bad instants and options are the typed errors of byPeriod", async () => {
    const rows: Row[] = [
      { at: "2025-01-01T00:00:00Z", seg: "a", nps: 9 },
      { at: "2025-01-02", seg: "a", nps: 9 },
    ];
    await expect(
      byPeriodAsync(stream(rows), { at: (r) => r.at, period: "month" }, acc),
    ).rejects.toMatchObject({
      code: "invalid_time",
      issues: [{ index: 1, path: ["at"] }],
    });
    await expect(
      byPeriodAsync(stream(rows), { at: (r) => r.at, period: "fortnight" as Period }, acc),
    ).rejects.toMatchObject({ code: "invalid_option" });
    await expect(
      byPeriodAsync(
        stream(rows),
        { at: (r) => r.at, period: "month", from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" },
        acc,
      ),
    ).rejects.toMatchObject({ code: "invalid_option" });
    // a zone reads local dates, as in byPeriod
    const local = await byPeriodAsync(
      stream(rows),
      { at: (r) => r.at, period: "day", timeZone: "Asia/Tokyo" },
      acc,
    );
    expect(local).toEqual(byPeriod(rows, { at: (r) => r.at, period: "day", timeZone: "Asia/Tokyo" }, acc));
  });
});

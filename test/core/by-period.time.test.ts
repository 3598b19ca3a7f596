import { describe, expect, it } from "vitest";
import { mapInput } from "../../src/core/accumulator.js";
import { byPeriod } from "../../src/core/by-period.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { parseInstant, periodLabel, periodStart } from "../../src/core/time.js";

const count = {
  init: () => 0,
  add: (s: number) => s + 1,
  merge: (a: number, b: number) => a + b,
  result: (s: number) => s,
};

describe("calendar periods (independent of the process TZ)", () => {
  it("assigns instants to local months with DST handled by the zone", () => {
    const rows = [
      { at: "2026-01-31T23:30:00Z" }, // Berlin: 2026-02-01 00:30 → February; UTC: January
      { at: "2026-03-29T00:59:59Z" }, // just before the DST switch (01:00Z)
      { at: "2026-03-31T22:00:00Z" }, // Berlin: 2026-04-01 00:00 CEST → April (half-open)
      { at: "2026-03-31T21:59:59.999Z" }, // Berlin: 23:59:59.999 → March
    ];
    const berlin = byPeriod(
      rows,
      { at: (r) => r.at, period: "month", timeZone: "Europe/Berlin" },
      mapInput(count, () => 0),
    );
    expect(berlin.map((p) => [p.label, p.result])).toEqual([
      ["2026-02", 1],
      ["2026-03", 2],
      ["2026-04", 1],
    ]);
    expect(berlin[1]!.start.toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(berlin[1]!.end.toISOString()).toBe("2026-03-31T22:00:00.000Z");
    const utc = byPeriod(
      rows,
      { at: (r) => r.at, period: "month" },
      mapInput(count, () => 0),
    );
    expect(utc.map((p) => [p.label, p.result])).toEqual([
      ["2026-01", 1],
      ["2026-02", 0],
      ["2026-03", 3],
    ]);
  });

  it("labels ISO weeks, quarters, years and days", () => {
    const ms = Date.parse("2026-03-18T12:00:00Z");
    expect(periodLabel(periodStart(ms, "week"), "week")).toBe("2026-W12");
    expect(periodLabel(periodStart(Date.parse("2027-01-01T12:00:00Z"), "week"), "week")).toBe("2026-W53");
    expect(periodLabel(periodStart(ms, "quarter"), "quarter")).toBe("2026-Q1");
    expect(periodLabel(periodStart(ms, "year"), "year")).toBe("2026");
    expect(
      periodLabel(periodStart(ms, "day", { timeZone: "Asia/Kolkata" }), "day", { timeZone: "Asia/Kolkata" }),
    ).toBe("2026-03-18");
    expect(new Date(periodStart(ms, "week", { weekStartsOn: 0 })).toISOString()).toBe(
      "2026-03-15T00:00:00.000Z",
    );
  });

  it("rejects instants without an offset unless a zone is given", () => {
    expect(() => parseInstant("2026-03-01T10:00:00")).toThrow(/no UTC offset/);
    expect(parseInstant("2026-03-01T10:00:00", { timeZone: "Europe/Berlin" })).toBe(
      Date.parse("2026-03-01T09:00:00Z"),
    );
    expect(parseInstant("2026-07-01", { timeZone: "America/New_York" })).toBe(
      Date.parse("2026-07-01T04:00:00Z"),
    );
    try {
      byPeriod(
        [{ at: "2026-01-01T00:00:00Z" }, { at: "2026-01-02 10:00" }],
        { at: (r) => r.at, period: "day" },
        count,
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({ index: 1, code: "invalid_time" });
    }
    expect(() => byPeriod([], { at: () => 0, period: "month", timeZone: "Mars/Olympus" }, count)).toThrow(
      /unknown time zone/,
    );
    expect(() => byPeriod([], { at: () => 0, period: "fortnight" as "month" }, count)).toThrow(
      /expected one of/,
    );
  });

  it("fills empty periods and honours from/to", () => {
    const rows = [{ at: "2026-01-10T00:00:00Z" }, { at: "2026-04-10T00:00:00Z" }];
    const out = byPeriod(rows, { at: (r) => r.at, period: "month", to: "2026-06-01T00:00:00Z" }, count);
    expect(out.map((p) => [p.label, p.result])).toEqual([
      ["2026-01", 1],
      ["2026-02", 0],
      ["2026-03", 0],
      ["2026-04", 1],
      ["2026-05", 0],
      ["2026-06", 0],
    ]);
    expect(byPeriod([], { at: () => 0, period: "month" }, count)).toEqual([]);
  });
});

describe("epoch milliseconds outside the Date range", () => {
  it("are rejected, not turned into Invalid Dates", () => {
    expect(() => parseInstant(8.64e15 + 1)).toThrow(/Date range/);
    expect(parseInstant(-8.64e15)).toBe(-8.64e15);
  });
});

describe("impossible calendar values", () => {
  it("are rejected instead of rolled into the next month or day", () => {
    expect(() => parseInstant("2026-02-30T10:00:00Z")).toThrow(/2026-02 has 28 days/);
    expect(() => parseInstant("2026-04-31T00:00:00+02:00")).toThrow(/has day 31/);
    expect(() => parseInstant("2026-02-31", { timeZone: "UTC" })).toThrow(/has day 31/);
    expect(() => parseInstant("2026-13-01T00:00:00Z")).toThrow(/month 13/);
    expect(() => parseInstant("2026-03-01T24:30:00Z")).toThrow(/hours 00–23/);
    expect(parseInstant("2028-02-29T00:00:00Z")).toBe(Date.parse("2028-02-29T00:00:00Z"));
  });
  it("accept an hour-only offset as ISO-8601 allows", () => {
    expect(parseInstant("2026-03-01T10:00:00+01")).toBe(Date.parse("2026-03-01T10:00:00+01:00"));
  });
});

describe("byPeriod options", () => {
  it("rejects from after to and an invalid weekStartsOn", () => {
    const rows = [{ at: "2026-03-10T00:00:00Z" }];
    expect(() =>
      byPeriod(
        rows,
        { at: (r) => r.at, period: "month", from: "2026-04-01T00:00:00Z", to: "2026-03-01T00:00:00Z" },
        count,
      ),
    ).toThrow(/from .* is after to/);
    expect(() => byPeriod(rows, { at: (r) => r.at, period: "week", weekStartsOn: 7 as 0 }, count)).toThrow(
      /weekStartsOn/,
    );
  });
});

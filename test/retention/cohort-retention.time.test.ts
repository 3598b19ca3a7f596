/**
 * Time-zone-dependent cohort tables (re-run under TZ=America/New_York and Asia/Kolkata by
 * `npm run test:tz`; results must not depend on the process TZ): periods are calendar periods
 * in the `timeZone` option, across DST changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodLabel } from "../../src/core/time.js";
import { cohortRetention } from "../../src/retention/cohort-retention.js";
import { customerRetention } from "../../src/retention/customer-retention.js";

describe("cohortRetention in a time zone", () => {
  it("an event late on Jan 31 in New York belongs to January there, February in UTC", () => {
    const events = [
      { userId: "a", occurredAt: "2026-01-31T22:30:00-05:00" },
      { userId: "a", occurredAt: "2026-02-10T12:00:00-05:00" },
    ];
    const ny = cohortRetention(events, {
      timeZone: "America/New_York",
      horizon: 1,
      asOf: "2026-03-01T05:00:00Z",
    });
    const utc = cohortRetention(events, { timeZone: "UTC", horizon: 1, asOf: "2026-03-01T00:00:00Z" });
    expect(ny.rows.map((r) => [r.cohort, r.active])).toEqual([
      ["2026-01", [1, 1]],
      ["2026-02", [0, null]],
    ]);
    expect(utc.rows.map((r) => [r.cohort, r.active])).toEqual([["2026-02", [1, null]]]);
  });

  it("daily periods across the DST change (23-hour day) match a label-based transcription", () => {
    const tz = "America/New_York";
    const T0 = Date.parse("2026-03-01T05:00:00Z");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ u: fc.integer({ min: 0, max: 6 }), t: fc.integer({ min: 0, max: 20 * 86_400_000 }) }),
          { maxLength: 40 },
        ),
        fc.constantFrom("active", "onOrAfter"),
        (raw, mode) => {
          const evs = raw.map((r) => ({ userId: r.u, occurredAt: new Date(T0 + r.t) }));
          const asOf = T0 + 15 * 86_400_000;
          const t = cohortRetention(evs, {
            period: "day",
            timeZone: tz,
            mode,
            horizon: 4,
            asOf: new Date(asOf),
          });
          const labels = t.rows.map((r) => r.cohort);
          const per = new Map<number, number[]>();
          for (const e of evs) {
            const ms = e.occurredAt.getTime();
            if (ms >= asOf) continue;
            // local calendar day via Intl, independent of the library's period code
            const label = new Intl.DateTimeFormat("en-CA", {
              timeZone: tz,
              year: "numeric",
              month: "2-digit",
              day: "2-digit",
            }).format(e.occurredAt);
            const p = labels.indexOf(label);
            if (p >= 0) per.set(e.userId, [...(per.get(e.userId) ?? []), p]);
          }
          const P = labels.length;
          const expected = labels.map((_, q) => {
            const members = [...per.values()].filter((ps) => Math.min(...ps) === q);
            return [
              members.length,
              Array.from({ length: 5 }, (_, k) =>
                q + k >= P
                  ? null
                  : members.filter((ps) =>
                      mode === "active" ? ps.includes(q + k) : ps.some((p) => p >= q + k),
                    ).length,
              ),
            ];
          });
          expect(t.rows.map((r) => [r.size, r.active])).toEqual(expected);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it("weekly cohorts: shifting every event by whole weeks shifts the table (zone with DST)", () => {
    const tz = "Europe/Berlin";
    const base = [
      { userId: "a", occurredAt: "2026-03-02T00:30:00+01:00" },
      { userId: "a", occurredAt: "2026-03-30T10:00:00+02:00" },
      { userId: "b", occurredAt: "2026-03-10T23:59:00+01:00" },
      { userId: "b", occurredAt: "2026-03-17T08:00:00+01:00" },
    ];
    const WEEK = 7 * 86_400_000;
    const a = cohortRetention(base, {
      period: "week",
      timeZone: tz,
      horizon: 4,
      asOf: "2026-05-01T00:00:00Z",
    });
    // shift by 3 weeks in wall-clock time: 7-day steps keep the local time except across DST; events stay inside their local week
    const moved = base.map((e) => ({ ...e, occurredAt: new Date(Date.parse(e.occurredAt) + 3 * WEEK) }));
    const b = cohortRetention(moved, {
      period: "week",
      timeZone: tz,
      horizon: 4,
      asOf: new Date(Date.parse("2026-05-01T00:00:00Z") + 3 * WEEK),
    });
    expect(b.rows.map((r) => [r.size, r.active])).toEqual(a.rows.map((r) => [r.size, r.active]));
    expect(b.rows[0]!.cohort).toBe(
      periodLabel(a.rows[0]!.start.getTime() + 3 * WEEK, "week", { timeZone: tz }),
    );
  });

  it("customerRetention months in a zone: a row ending at local midnight churns in the earlier local month", () => {
    const rows = customerRetention(
      [
        {
          customerId: "c",
          billingInterval: "month",
          amount: 10,
          startedAt: "2026-01-10T00:00:00Z",
          endedAt: "2026-03-01T00:00:00+01:00",
        },
      ],
      {
        period: "month",
        timeZone: "Europe/Berlin",
        from: "2026-01-15T00:00:00Z",
        to: "2026-03-15T00:00:00Z",
      },
    );
    expect(rows.map((r) => [r.label, r.startingCustomers, r.churnedCustomers, r.endingCustomers])).toEqual([
      ["2026-01", 0, 0, 1],
      ["2026-02", 1, 0, 1],
      ["2026-03", 1, 1, 0],
    ]);
  });
});

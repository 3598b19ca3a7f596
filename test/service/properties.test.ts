/**
 * Properties of the service metrics (fast-check, seeded): FCR per ticket vs per issue, SLA counts
 * adding up, quantiles monotone in p, merge of parts = whole for every accumulator, order invariance.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Accumulator, fold, foldState } from "../../src/core/accumulator.js";
import type { Ticket } from "../../src/schemas/ticket.js";
import {
  firstContactResolution,
  groupIssues,
  issueFcrAccumulator,
  onTimeRateAccumulator,
  responseTimes,
  responseTimesAccumulator,
  slaAdherence,
  slaAdherenceAccumulator,
  ticketFcrAccumulator,
} from "../../src/service/index.js";
import { ticketsArb } from "./arbitraries.js";

const run = { seed: 42, numRuns: 200 };
const asOf = "2026-03-01T00:00:00Z";

/** Fold two parts separately (with their original indices) and merge; compare with the whole. */
function mergeEqualsWhole<T, S, O>(acc: Accumulator<T, S, O>, rows: T[], cut: number): void {
  const k = Math.min(cut, rows.length);
  let a = acc.init();
  for (let i = 0; i < k; i++) a = acc.add(a, rows[i]!, i);
  let b = acc.init();
  for (let i = k; i < rows.length; i++) b = acc.add(b, rows[i]!, i);
  const whole = acc.result(foldState(rows, acc));
  expect(acc.result(acc.merge(structuredClone(a), structuredClone(b)))).toEqual(whole);
  expect(acc.result(acc.merge(structuredClone(b), structuredClone(a)))).toEqual(whole);
  expect(acc.result(acc.merge(acc.init(), structuredClone(a)))).toEqual(acc.result(a));
}

describe("first-contact resolution", () => {
  it("the ticket-level numerator is never below the issue-level one (each FCR issue's only ticket counts)", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), (ts) => {
        const i = firstContactResolution(ts, { level: "issue" });
        const t = firstContactResolution(ts, { level: "ticket" });
        expect(t.resolvedFirstContact).toBeGreaterThanOrEqual(i.resolvedFirstContact);
        expect(i.resolvedFirstContact).toBeLessThanOrEqual(i.resolved);
        expect(i.resolved + i.unresolved).toBe(i.n);
      }),
      run,
    );
  });

  it("FCR per ticket ≥ per issue when repeat contacts are not reopened (the usual case: each repeat contact is a ticket-level success)", () => {
    fc.assert(
      fc.property(ticketsArb({ repeatsNeverReopen: true }), (ts) => {
        const i = firstContactResolution(ts, { level: "issue" }).rate;
        const t = firstContactResolution(ts, { level: "ticket" }).rate;
        if (i !== null) expect(t!).toBeGreaterThanOrEqual(i);
      }),
      run,
    );
  });

  it("…but not in general: a counterexample where repeat contacts are reopened", () => {
    const d = (h: number) => new Date(Date.UTC(2025, 0, 1) + h * 3_600_000);
    const base = { customerId: null, channel: "chat", priority: null, firstResponseAt: null };
    const ts: Ticket[] = [
      { ...base, ticketId: "A", issueId: "single", createdAt: d(0), resolvedAt: d(1), reopenedAt: null },
      { ...base, ticketId: "B", issueId: "repeat", createdAt: d(0), resolvedAt: d(1), reopenedAt: d(2) },
      { ...base, ticketId: "C", issueId: "repeat", createdAt: d(3), resolvedAt: d(4), reopenedAt: d(5) },
    ];
    expect(firstContactResolution(ts, { level: "issue" }).rate).toBe(0.5);
    expect(firstContactResolution(ts, { level: "ticket" }).rate).toBe(1 / 3);
  });

  it("merge = concatenation: ticket level in any split, issue level in any split by issue", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), fc.nat(200), (ts, cut) => {
        mergeEqualsWhole(ticketFcrAccumulator({ asOf }), ts, cut);
        mergeEqualsWhole(issueFcrAccumulator({ asOf, reopenWindow: "P3D" }), groupIssues(ts), cut);
      }),
      run,
    );
  });

  it("order invariance (issue level)", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), (ts) => {
        const a = firstContactResolution(ts, { asOf });
        const rev = firstContactResolution([...ts].reverse(), { asOf });
        expect({ ...rev, invalid: rev.invalid.map((x) => x.ticketId).sort() }).toEqual({
          ...a,
          invalid: a.invalid.map((x) => x.ticketId).sort(),
        });
      }),
      run,
    );
  });

  it("groups add up to the whole (by channel)", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), (ts) => {
        const all = firstContactResolution(ts, { asOf });
        const by = firstContactResolution(ts, { asOf, by: "channel" });
        let resolved = 0;
        let first = 0;
        let invalid = 0;
        for (const r of by.values()) {
          resolved += r.resolved;
          first += r.resolvedFirstContact;
          invalid += r.invalid.length;
        }
        expect([resolved, first, invalid]).toEqual([
          all.resolved,
          all.resolvedFirstContact,
          all.invalid.length,
        ]);
      }),
      run,
    );
  });
});

describe("SLA adherence", () => {
  it("met + breached + pending + noTarget + invalid = tickets; rate in [0, 1]; per priority groups add up", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), (ts) => {
        const target = { byPriority: { urgent: { hours: 1 }, high: "PT2H", normal: 4 } };
        const r = slaAdherence(ts, { target, asOf });
        expect(r.met + r.breached + r.pending + r.excluded.noTarget + r.excluded.invalid).toBe(ts.length);
        if (r.rate !== null) {
          expect(r.rate).toBeGreaterThanOrEqual(0);
          expect(r.rate).toBeLessThanOrEqual(1);
        }
        const by = slaAdherence(ts, { target, asOf, by: "priority" });
        let met = 0;
        for (const g of by.values()) met += g.met;
        expect(met).toBe(r.met);
      }),
      run,
    );
  });

  it("a longer target never lowers adherence; merge = concatenation", () => {
    fc.assert(
      fc.property(
        ticketsArb({ invalidRate: 0.1 }),
        fc.integer({ min: 0, max: 20 }),
        fc.nat(200),
        (ts, h, cut) => {
          const a = slaAdherence(ts, { target: h, asOf });
          const b = slaAdherence(ts, { target: h + 1, asOf });
          expect(b.met).toBeGreaterThanOrEqual(a.met);
          expect(b.breached).toBeLessThanOrEqual(a.breached);
          mergeEqualsWhole(
            slaAdherenceAccumulator({ target: { hours: h }, asOf, measure: "resolution" }),
            ts,
            cut,
          );
        },
      ),
      run,
    );
  });
});

describe("response times", () => {
  it("quantiles are monotone in p (every Hyndman–Fan type and t-digest) and within [min, max]", () => {
    const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
    fc.assert(
      fc.property(
        ticketsArb(),
        fc.constantFrom<1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | "tdigest">(1, 2, 3, 4, 5, 6, 7, 8, 9, "tdigest"),
        (ts, m) => {
          const r = responseTimes(ts, { quantiles: ps, quantileMethod: m, unit: "minutes" });
          if (r.n === 0) {
            expect(r.median).toBeNull();
            expect(r.mean).toBeNull();
            return;
          }
          const qs = ps.map((p) => r.quantiles[String(p)]!);
          for (let k = 1; k < qs.length; k++) expect(qs[k]!).toBeGreaterThanOrEqual(qs[k - 1]!);
          expect(qs[0]).toBe(r.min);
          expect(qs.at(-1)).toBe(r.max);
          expect(r.mean!).toBeGreaterThanOrEqual(r.min!);
          expect(r.mean!).toBeLessThanOrEqual(r.max! * (1 + 1e-12));
        },
      ),
      run,
    );
  });

  it("merge = concatenation (exact; t-digest: same n, min, max, mean)", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), fc.nat(200), (ts, cut) => {
        mergeEqualsWhole(responseTimesAccumulator({ measure: "resolution", quantiles: [0.1, 0.9] }), ts, cut);
        const acc = responseTimesAccumulator({ quantileMethod: "tdigest" });
        const k = Math.min(cut, ts.length);
        const merged = acc.result(acc.merge(foldState(ts.slice(0, k), acc), foldState(ts.slice(k), acc)));
        const whole = fold(ts, acc);
        expect([merged.n, merged.min, merged.max, merged.unanswered]).toEqual([
          whole.n,
          whole.min,
          whole.max,
          whole.unanswered,
        ]);
        if (whole.mean !== null)
          expect(Math.abs(merged.mean! - whole.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, whole.mean));
      }),
      run,
    );
  });

  it("n + unanswered + invalid = tickets; units scale", () => {
    fc.assert(
      fc.property(ticketsArb({ invalidRate: 0.1 }), (ts) => {
        const h = responseTimes(ts, { unit: "hours" });
        const m = responseTimes(ts, { unit: "minutes" });
        expect(h.n + h.unanswered + h.invalid.length).toBe(ts.length);
        if (h.n > 0)
          expect(Math.abs(m.median! - 60 * h.median!)).toBeLessThanOrEqual(1e-9 * Math.max(1, m.median!));
      }),
      run,
    );
  });
});

describe("on-time rate", () => {
  it("merge = concatenation; counts add up", () => {
    const appt = fc.record({
      appointmentId: fc.constant(null),
      customerId: fc.constant(null),
      channel: fc.constantFrom("phone", "video"),
      scheduledAt: fc.integer({ min: 0, max: 1e6 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000)),
      startedAt: fc.option(fc.integer({ min: -600, max: 3600 }), { nil: null }),
      canceled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(appt, { maxLength: 80 }), fc.nat(80), (raw, cut) => {
        const rows = raw.map((a) => ({
          ...a,
          startedAt: a.startedAt === null ? null : new Date(a.scheduledAt.getTime() + a.startedAt * 1000),
        }));
        const acc = onTimeRateAccumulator({ grace: 5, asOf: "2026-01-10T00:00:00Z" });
        mergeEqualsWhole(acc, rows, cut);
        const r = fold(rows, acc);
        expect(r.onTime + r.late + r.missed + r.pending + r.canceled).toBe(rows.length);
      }),
      run,
    );
  });
});

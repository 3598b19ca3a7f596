/**
 * Properties of customerRetention and mrrMovements on random subscription histories (fast-check,
 * seeded): agreement with a direct transcription of the definitions in
 * ../shared/reference/retention.json (snapshot sets per boundary, as retention_reference.py does),
 * the flow identities, merge = concatenation of accumulator states, order invariance, and shifting
 * every instant by whole periods shifts the table.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, foldState } from "../../src/core/accumulator.js";
import {
  type SubscriptionLike,
  makeGrid,
  readSubscriptions,
} from "../../src/retention/_subscription-timeline.js";
import { customerRetention, customerRetentionAccumulator } from "../../src/retention/customer-retention.js";
import { mrrMovements, mrrMovementsAccumulator } from "../../src/retention/mrr-movements.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const MONTHS = Array.from({ length: 10 }, (_, k) => Date.UTC(2024, 10 + k, 1)); // 2024-11 .. 2025-08
const OPTS = { from: "2025-01-01T00:00:00Z", to: "2025-06-30T00:00:00Z", period: "month" } as const;
const AMOUNTS = ["0", "29.00", "79.50", "290.00", "1499.99"];

const instant = fc.oneof(
  fc.constantFrom(...MONTHS),
  fc
    .tuple(fc.integer({ min: -60, max: 240 }), fc.integer({ min: 0, max: 23 }))
    .map(([d, h]) => T0 + d * DAY + h * 3_600_000),
);
const rowArb = fc.record({
  start: instant,
  len: fc.oneof(
    fc.constant(null),
    fc.constant(0),
    fc.integer({ min: 1, max: 120 }).map((d) => d * DAY),
    fc.constantFrom(14 * DAY, 31 * DAY),
  ),
  consecutive: fc.boolean(),
  trial: fc.boolean(),
  amount: fc.constantFrom(...AMOUNTS),
  interval: fc.constantFrom("month", "year"),
});
const historiesArb = fc.array(fc.array(rowArb, { minLength: 1, maxLength: 4 }), {
  minLength: 0,
  maxLength: 8,
});

type Histories = typeof historiesArb extends fc.Arbitrary<infer T> ? T : never;

function toSubs(hist: Histories): SubscriptionLike[] {
  const out: SubscriptionLike[] = [];
  hist.forEach((rows, c) => {
    let prevEnd: number | null = null;
    rows.forEach((r, k) => {
      const start = r.consecutive && prevEnd !== null ? prevEnd : r.start;
      const end = r.len === null ? null : start + r.len;
      out.push({
        subscriptionId: `s${c}-${k}`,
        customerId: `c${c}`,
        segment: c % 2 ? "__proto__" : "smb",
        billingInterval: r.interval,
        amount: r.amount,
        currency: "USD",
        startedAt: new Date(start),
        endedAt: end === null ? null : new Date(end),
        trialEnd: r.trial ? new Date(start + 14 * DAY) : null,
      });
      prevEnd = end;
    });
  });
  return out;
}

/** Direct transcription of the definitions (retention_reference.py customer_flows), money in integer 1/1200 units. */
function naive(subs: SubscriptionLike[], starts: number[]) {
  const rows = subs
    .map((s) => {
      const st = (s.startedAt as Date).getTime();
      const end = s.endedAt ? (s.endedAt as Date).getTime() : Number.POSITIVE_INFINITY;
      const ps = s.trialEnd ? (s.trialEnd as Date).getTime() : st;
      const cents = Math.round(Number(s.amount) * 100);
      return { cid: s.customerId, ps, end, st, mrr: s.billingInterval === "month" ? cents * 12 : cents };
    })
    .filter((x) => !(x.end === x.st) && !(x.end <= x.ps));
  const firstPaid = new Map<string, number>();
  for (const x of rows)
    firstPaid.set(x.cid, Math.min(firstPaid.get(x.cid) ?? Number.POSITIVE_INFINITY, x.ps));
  const snap = (b: number) => {
    const m = new Map<string, number>();
    for (const x of rows) if (x.ps < b && b <= x.end) m.set(x.cid, (m.get(x.cid) ?? 0) + x.mrr);
    return m;
  };
  const out = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const ms = starts[i]!;
    const me = starts[i + 1]!;
    const A = snap(ms);
    const B = snap(me);
    const started = new Set(rows.filter((x) => ms <= x.ps && x.ps < me).map((x) => x.cid));
    const nw = new Set([...started].filter((c) => ms <= firstPaid.get(c)! && firstPaid.get(c)! < me));
    const re = new Set([...started].filter((c) => !A.has(c) && !nw.has(c)));
    const cfs = [...A.keys()].filter((c) => !B.has(c)).length;
    const cn = [...nw].filter((c) => !B.has(c)).length;
    const cr = [...re].filter((c) => !B.has(c)).length;
    const mv = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
    const cnt = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
    for (const c of new Set([...A.keys(), ...B.keys()])) {
      const m0 = A.get(c) ?? 0;
      const m1 = B.get(c) ?? 0;
      if (m0 === 0 && m1 > 0) {
        const k = nw.has(c) ? "new" : "reactivation";
        mv[k] += m1;
        cnt[k]++;
      } else if (m0 > 0 && m1 === 0) {
        mv.churn += m0;
        cnt.churn++;
      } else if (m1 > m0) {
        mv.expansion += m1 - m0;
        cnt.expansion++;
      } else if (m1 < m0) {
        mv.contraction += m0 - m1;
        cnt.contraction++;
      }
    }
    let s0 = 0;
    let s1 = 0;
    for (const v of A.values()) s0 += v;
    for (const v of B.values()) s1 += v;
    out.push({
      S: A.size,
      E: B.size,
      N: nw.size,
      R: re.size,
      C: cfs + cn + cr,
      cfs,
      cn,
      cr,
      mv,
      cnt,
      s0,
      s1,
    });
  }
  return out;
}

const units = (d: { times: (x: number) => { toNumber: () => number } }) =>
  Math.round(d.times(1200).toNumber());
const RUNS = { seed: 42, numRuns: 200 };

describe("customerRetention / mrrMovements: properties on random histories", () => {
  it("agree with a direct transcription of the definitions", () => {
    fc.assert(
      fc.property(historiesArb, (h) => {
        const subs = toSubs(h);
        const cr = customerRetention(subs, OPTS);
        const mr = mrrMovements(subs, OPTS);
        const starts = [...cr.map((r) => r.start.getTime()), cr[cr.length - 1]!.end.getTime()];
        const ref = naive(subs, starts);
        cr.forEach((r, i) => {
          const e = ref[i]!;
          expect([
            r.startingCustomers,
            r.endingCustomers,
            r.newCustomers,
            r.reactivatedCustomers,
            r.churnedCustomers,
            r.churnedFromStart,
            r.churnedNew,
            r.churnedReactivated,
          ]).toEqual([e.S, e.E, e.N, e.R, e.C, e.cfs, e.cn, e.cr]);
          const m = mr[i]!;
          expect([
            units(m.startingMrr),
            units(m.endingMrr),
            units(m.new),
            units(m.expansion),
            units(m.contraction),
            units(m.churn),
            units(m.reactivation),
          ]).toEqual([e.s0, e.s1, e.mv.new, e.mv.expansion, e.mv.contraction, e.mv.churn, e.mv.reactivation]);
          expect(m.customers).toEqual(e.cnt);
        });
      }),
      RUNS,
    );
  });

  it("identities: E = S + N + R − C, S(m+1) = E(m), end MRR = start + movements, CRR = 1 − C/S + R/S", () => {
    fc.assert(
      fc.property(historiesArb, (h) => {
        const subs = toSubs(h);
        const cr = customerRetention(subs, OPTS);
        const mr = mrrMovements(subs, OPTS);
        cr.forEach((r, i) => {
          expect(r.endingCustomers).toBe(
            r.startingCustomers + r.newCustomers + r.reactivatedCustomers - r.churnedCustomers,
          );
          if (i > 0) expect(r.startingCustomers).toBe(cr[i - 1]!.endingCustomers);
          if (r.startingCustomers > 0) {
            expect(
              Math.abs(
                r.retentionRate! -
                  (1 -
                    r.churnedCustomers / r.startingCustomers +
                    r.reactivatedCustomers / r.startingCustomers),
              ),
            ).toBeLessThan(1e-12);
          }
          if (r.churnRates.allExposed !== null) expect(r.churnRates.allExposed).toBeLessThanOrEqual(1);
          const m = mr[i]!;
          expect(
            units(m.startingMrr) +
              units(m.new) +
              units(m.expansion) -
              units(m.contraction) -
              units(m.churn) +
              units(m.reactivation),
          ).toBe(units(m.endingMrr));
          if (i > 0) expect(m.startingMrr.equals(mr[i - 1]!.endingMrr)).toBe(true);
          // with free (amount 0) rows a customer can churn without MRR; otherwise the counts agree
          if (!subs.some((x) => x.amount === "0")) {
            expect(m.customers.churn).toBe(r.churnedFromStart);
            expect(m.customers.new).toBe(r.newCustomers - r.churnedNew);
            expect(m.customers.reactivation).toBe(r.reactivatedCustomers - r.churnedReactivated);
          }
        });
      }),
      RUNS,
    );
  });

  it("merge of states over disjoint customers = fold of all (both accumulators)", () => {
    fc.assert(
      fc.property(historiesArb, fc.integer({ min: 0, max: 8 }), (h, cut) => {
        const tl = readSubscriptions("test", toSubs(h), {});
        const grid = makeGrid("test", OPTS, tl.minPaidStart, tl.maxInstant);
        const a = tl.customers.slice(0, cut);
        const b = tl.customers.slice(cut);
        for (const acc of [
          customerRetentionAccumulator(grid),
          mrrMovementsAccumulator(grid, tl.unitsPerCurrency),
        ] as const) {
          const whole = fold(tl.customers, acc as never);
          const merged = (
            acc as never as { merge: (x: unknown, y: unknown) => unknown; result: (s: unknown) => unknown }
          ).result(
            (acc as never as { merge: (x: unknown, y: unknown) => unknown }).merge(
              foldState(a, acc as never),
              foldState(b, acc as never),
            ),
          );
          expect(merged).toEqual(whole);
        }
      }),
      RUNS,
    );
  });

  it("order of rows does not matter", () => {
    fc.assert(
      fc.property(historiesArb, fc.integer(), (h, seed) => {
        const subs = toSubs(h);
        const shuffled = [...subs]
          .sort(
            (x, y) =>
              ((x.subscriptionId!.length * 31 + seed) % 7) - ((y.subscriptionId!.length * 17 + seed) % 5),
          )
          .reverse();
        expect(customerRetention(shuffled, OPTS)).toEqual(customerRetention(subs, OPTS));
        expect(mrrMovements(shuffled, OPTS)).toEqual(mrrMovements(subs, OPTS));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("shifting every instant by whole weeks shifts the weekly table", () => {
    const WEEK = 7 * DAY;
    fc.assert(
      fc.property(historiesArb, fc.integer({ min: -10, max: 10 }), (h, k) => {
        const subs = toSubs(h);
        const shift = (d: unknown) => (d instanceof Date ? new Date(d.getTime() + k * WEEK) : d);
        const moved = subs.map((s) => ({
          ...s,
          startedAt: shift(s.startedAt) as Date,
          endedAt: shift(s.endedAt) as Date | null,
          trialEnd: shift(s.trialEnd) as Date | null,
        }));
        const o = {
          period: "week" as const,
          from: new Date(Date.UTC(2025, 0, 6)),
          to: new Date(Date.UTC(2025, 4, 1)),
        };
        const o2 = {
          ...o,
          from: new Date(o.from.getTime() + k * WEEK),
          to: new Date(o.to.getTime() + k * WEEK),
        };
        const strip = (rows: { label: string; start: Date; end: Date }[]) =>
          rows.map(({ label, start, end, ...rest }) => rest);
        expect(strip(customerRetention(moved, o2))).toEqual(strip(customerRetention(subs, o)));
        expect(strip(mrrMovements(moved, o2))).toEqual(strip(mrrMovements(subs, o)));
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

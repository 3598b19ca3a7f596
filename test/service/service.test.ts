/**
 * Hand-computed cases of the service metrics (each expected value worked out in the comment next
 * to it; exact integers and ratios) and bad input for every option.
 */
import { describe, expect, it } from "vitest";
import { fold, groupBy } from "../../src/core/accumulator.js";
import { InvalidInputError } from "../../src/core/errors.js";
import type { Ticket } from "../../src/schemas/ticket.js";
import {
  durationMs,
  firstContactResolution,
  onTimeRate,
  responseTimes,
  responseTimesAccumulator,
  slaAdherence,
  ticketValidity,
} from "../../src/service/index.js";

const T0 = Date.UTC(2026, 2, 2, 9);
const H = 3_600_000;
const at = (h: number) => new Date(T0 + h * H);
function ticket(
  id: string,
  o: Partial<Ticket> & { created?: number; response?: number; resolved?: number; reopened?: number },
): Ticket {
  return {
    ticketId: id,
    issueId: o.issueId ?? id,
    customerId: null,
    channel: o.channel ?? "chat",
    priority: o.priority ?? "normal",
    createdAt: at(o.created ?? 0),
    firstResponseAt: o.response === undefined ? null : at(o.response),
    resolvedAt: o.resolved === undefined ? null : at(o.resolved),
    reopenedAt: o.reopened === undefined ? null : at(o.reopened),
  };
}

describe("first-contact resolution: worked example", () => {
  // I1: one ticket, resolved, never reopened → FCR.
  // I2: one ticket, resolved, reopened exactly 7 days later → FCR (7 days is not within 7 days).
  // I3: one ticket, resolved, reopened 7 days − 1 s later → not FCR.
  // I4: two tickets, both resolved → resolved, not FCR (repeat contact).
  // I5: one ticket, open → unresolved.
  // Issue level: resolved 4 (I1–I4), FCR 2 → 0.5. Ticket level: resolved 5 (I4 has 2), not
  // reopened within 7 d: I1, I2, both of I4 → 4/5.
  const ts = [
    ticket("a", { issueId: "I1", resolved: 1 }),
    ticket("b", { issueId: "I2", resolved: 1, reopened: 1 + 7 * 24 }),
    ticket("c", { issueId: "I3", resolved: 1, reopened: 1 + 7 * 24 - 1 / 3600 }),
    ticket("d", { issueId: "I4", resolved: 1 }),
    ticket("e", { issueId: "I4", created: 30, resolved: 31, channel: "email" }),
    ticket("f", { issueId: "I5" }),
  ];
  it("issue and ticket level", () => {
    const i = firstContactResolution(ts, { level: "issue", reopenWindow: { days: 7 }, asOf: at(40) });
    expect(i).toMatchObject({
      level: "issue",
      rate: 0.5,
      resolved: 4,
      resolvedFirstContact: 2,
      n: 5,
      unresolved: 1,
      multiContact: 1,
      reopenedWithinWindow: 1,
    });
    // every resolved issue's last resolution + 7 d > asOf (hour 40)
    expect(i.windowOpenAtAsOf).toBe(4);
    expect(i.warnings[0]!.code).toBe("window_open_at_as_of");
    const t = firstContactResolution(ts, { level: "ticket", reopenWindow: 7 });
    expect(t).toMatchObject({
      rate: 4 / 5,
      resolved: 5,
      resolvedFirstContact: 4,
      n: 6,
      windowOpenAtAsOf: null,
    });
    // a 1-day window lets c count too
    expect(firstContactResolution(ts, { reopenWindow: "P1D" }).rate).toBe(3 / 4);
  });
  it("groups by the issue's first ticket (I4 is chat although its second ticket is email)", () => {
    const by = firstContactResolution(ts, { by: "channel" });
    expect([...by.keys()]).toEqual(["chat"]);
    const t = firstContactResolution(ts, { by: "channel", level: "ticket" });
    expect([...t.keys()]).toEqual(["chat", "email"]);
    const fnKey = firstContactResolution(ts, { by: (x) => x.priority === "normal" });
    expect(fnKey.get(true)!.n).toBe(5);
  });
  it("an invalid ticket removes its issue and is listed", () => {
    const bad = [...ts, ticket("g", { issueId: "I4", created: 50, response: 49 })];
    const r = firstContactResolution(bad);
    expect(r.invalid).toEqual([
      { index: 6, ticketId: "g", issueId: "I4", reasons: ["first_response_before_created"] },
    ]);
    expect(r.excluded).toEqual({ invalidTickets: 1, invalidIssues: 1, ticketsOfInvalidIssues: 2 });
    expect(r).toMatchObject({ resolved: 3, resolvedFirstContact: 2, multiContact: 0 });
  });
  it("empty input: n 0, rate null with a reason", () => {
    const r = firstContactResolution([]);
    expect(r).toMatchObject({ n: 0, rate: null, resolved: 0 });
    expect(r.nullReason).toMatch(/no resolved issues/);
  });
});

describe("ticket validity", () => {
  it("each reason; equal instants are valid", () => {
    expect(ticketValidity(ticket("x", { response: 0, resolved: 0, reopened: 0 }))).toEqual([]);
    expect(ticketValidity(ticket("x", { created: 1, response: 0, resolved: 0.5 }))).toEqual([
      "first_response_before_created",
      "resolved_before_created",
    ]);
    expect(ticketValidity(ticket("x", { reopened: 2 }))).toEqual(["reopened_without_resolution"]);
    expect(ticketValidity(ticket("x", { resolved: 3, reopened: 2 }))).toEqual([
      "reopened_without_resolution",
    ]);
  });
});

describe("response times", () => {
  // Response times (h): 0, 1, 2, 4, 10; one unanswered. Type 7: median 2, p90 = 4 + 0.6·6 = 7.6.
  const ts = [0, 1, 2, 4, 10]
    .map((h, i) => ticket(`r${i}`, { response: h, resolved: 20 + i }))
    .concat(ticket("u", {}));
  it("type 7 by default, other types, units", () => {
    const r = responseTimes(ts, { quantiles: [0.5, 0.9] });
    expect(r).toMatchObject({
      n: 5,
      mean: 17 / 5,
      median: 2,
      min: 0,
      max: 10,
      unanswered: 1,
      quantileMethod: 7,
      unit: "hours",
    });
    expect(Math.abs(r.quantiles[0.9]! - 7.6)).toBeLessThanOrEqual(1e-12);
    // type 1 at 0.9: np = 4.5 → x_5 = 10
    expect(responseTimes(ts, { quantiles: [0.9], quantileMethod: 1 }).quantiles["0.9"]).toBe(10);
    expect(responseTimes(ts, { unit: "minutes" }).median).toBe(120);
    const res = responseTimes(ts, { measure: "resolution", unit: "days" });
    expect(res).toMatchObject({ n: 5, unanswered: 1, median: 22 / 24 });
  });
  it("t-digest mode reports the bound and agrees on small data", () => {
    const r = responseTimes(ts, { quantileMethod: "tdigest", compression: 50 });
    expect(r.median).toBe(2);
    expect(r.rankErrorBound!["0.5"]).toBeGreaterThan(0);
    expect(r.warnings[0]!.code).toBe("approximate");
  });
  it("composes with core groupBy", () => {
    const g = groupBy(ts, (t) => t.channel, responseTimesAccumulator());
    expect(g.get("chat")!.n).toBe(5);
    expect(fold([], responseTimesAccumulator())).toMatchObject({
      n: 0,
      mean: null,
      median: null,
      quantiles: { "0.5": null, "0.9": null },
    });
  });
});

describe("SLA adherence", () => {
  // Target 4 h. a: 4 h exactly → met; b: 4 h + 1 s → breached; c: unanswered, created 5 h before asOf
  // → breached; d: unanswered, created exactly 4 h before asOf → pending. Rate 1/3.
  const asOf = at(100);
  const ts = [
    ticket("a", { response: 4, priority: "urgent" }),
    ticket("b", { response: 4 + 1 / 3600 }),
    ticket("c", { created: 95 }),
    ticket("d", { created: 96, priority: "low" }),
  ];
  it("boundaries and asOf", () => {
    expect(slaAdherence(ts, { target: { hours: 4 }, asOf })).toMatchObject({
      met: 1,
      breached: 2,
      pending: 1,
      rate: 1 / 3,
      n: 3,
    });
    const noAsOf = slaAdherence(ts, { target: "PT4H" });
    expect(noAsOf).toMatchObject({ met: 1, breached: 1, pending: 2 });
    expect(noAsOf.warnings[0]!.code).toBe("as_of_missing");
  });
  it("targets per priority; no target → excluded", () => {
    const r = slaAdherence(ts, {
      target: { byPriority: { urgent: { hours: 1 }, normal: { hours: 5 } } },
      asOf,
    });
    // a urgent 4 h > 1 h → breached; b, c normal (5 h): b met, c 5 h = target → pending; d low → no target
    expect(r).toMatchObject({
      met: 1,
      breached: 1,
      pending: 1,
      excluded: { noTarget: 1, pending: 1, invalid: 0 },
    });
    const m = slaAdherence(ts, { target: new Map([["low", 10]]), asOf });
    expect(m).toMatchObject({ pending: 1, excluded: { noTarget: 3 } });
    const o = slaAdherence(ts, { target: { byPriority: {}, otherwise: 4 }, asOf, by: "priority" });
    expect([...o.keys()]).toEqual(["low", "normal", "urgent"]);
  });
  it("resolution measure", () => {
    const r = slaAdherence([ticket("x", { resolved: 8 }), ticket("y", { resolved: 9 })], {
      target: 8,
      measure: "resolution",
    });
    expect(r).toMatchObject({ met: 1, breached: 1, rate: 0.5 });
  });
});

describe("on-time rate", () => {
  // scheduled 10:00; starts at +0, +5 min (= grace, on time), +6 min (late), −10 min (early = on time);
  // not started and overdue at asOf → missed; not started, future → pending; canceled → left out.
  const s = (m: number | null, canceled = false, dh = 0) => ({
    scheduledAt: new Date(T0 + dh * H),
    startedAt: m === null ? null : new Date(T0 + dh * H + m * 60_000),
    canceled,
  });
  const rows = [s(0), s(5), s(6), s(-10), s(null), s(null, false, 1000), s(3, true)];
  it("counts and rate", () => {
    const r = onTimeRate(rows, { grace: 5, asOf: at(10) });
    expect(r).toMatchObject({
      onTime: 3,
      late: 1,
      missed: 1,
      pending: 1,
      canceled: 1,
      n: 5,
      rate: 3 / 5,
      meanDelayMinutes: 1 / 4,
    });
    expect(onTimeRate(rows, { grace: { minutes: 5 } })).toMatchObject({ missed: 0, pending: 2, rate: 3 / 4 });
    expect(onTimeRate(rows).onTime).toBe(2);
    expect(onTimeRate([])).toMatchObject({ n: 0, rate: null });
  });
  it("bad input", () => {
    expect(() => onTimeRate([{ scheduledAt: "soon" }])).toThrow(
      expect.objectContaining({ code: "invalid_time" }),
    );
    expect(() => onTimeRate(rows, { grace: -1 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => onTimeRate(rows, { by: "priority" as "channel" })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });
});

describe("bad input", () => {
  const ts = [ticket("a", { response: 1 })];
  const opt = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: "invalid_option" }));
  it("invalid_option for every option", () => {
    opt(() => firstContactResolution(ts, { level: "customer" as "issue" }));
    opt(() => firstContactResolution(ts, { reopenWindow: -1 }));
    opt(() => firstContactResolution(ts, { reopenWindow: "7 days" }));
    opt(() => firstContactResolution(ts, { by: "segment" as "channel" }));
    opt(() => firstContactResolution(ts, { period: "fortnight" as "week" }));
    opt(() => responseTimes(ts, { measure: "close" as "resolution" }));
    opt(() => responseTimes(ts, { unit: "weeks" as "days" }));
    opt(() => responseTimes(ts, { quantiles: [1.2] }));
    opt(() => responseTimes(ts, { quantileMethod: 0 as 1 }));
    opt(() => responseTimes(ts, { compression: 50 }));
    opt(() => responseTimes(ts, { quantileMethod: "tdigest", compression: 1 }));
    opt(() => slaAdherence(ts, {} as { target: number }));
    opt(() => slaAdherence(ts, { target: { hours: Number.NaN } }));
    opt(() => slaAdherence(ts, { target: { weeks: 1 } as unknown as { hours: number } }));
    opt(() => slaAdherence(ts, { target: 4, measure: "x" as "resolution" }));
    opt(() => slaAdherence(ts, { target: { byPriority: [] as unknown as Record<string, number> } }));
  });
  it("invalid_time for asOf without an offset or bad period bounds", () => {
    expect(() => slaAdherence(ts, { target: 4, asOf: "2026-07-01" })).toThrow(
      expect.objectContaining({ code: "invalid_time" }),
    );
    expect(() => firstContactResolution(ts, { asOf: "2026-07-01T00:00" })).toThrow(
      expect.objectContaining({ code: "invalid_time" }),
    );
    expect(() => responseTimes(ts, { period: "month", by: "channel", from: "2026-01-01" })).toThrow(
      expect.objectContaining({ code: "invalid_time" }),
    );
    expect(() => responseTimes(ts, { period: "month", timeZone: "Mars/Olympus" })).toThrow(
      expect.objectContaining({ code: "invalid_time" }),
    );
  });
  it("raw records are validated (index and path); non-arrays are invalid_type", () => {
    try {
      responseTimes([
        { ticket_id: "a", created_at: "2026-01-01T00:00:00Z" },
        { ticket_id: "b", created_at: "2026-01-01 00:00" },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        index: 1,
        path: ["createdAt"],
        code: "invalid_time",
      });
    }
    expect(() => slaAdherence(42 as unknown as Ticket[], { target: 4 })).toThrow(
      expect.objectContaining({ code: "invalid_type" }),
    );
  });
  it("durations", () => {
    expect(durationMs("f", "d", "PT1H30M", "hours")).toBe(5_400_000);
    expect(durationMs("f", "d", "P1DT0.5S", "hours")).toBe(86_400_500);
    expect(durationMs("f", "d", { minutes: 1, seconds: 2 }, "hours")).toBe(62_000);
    opt(() => durationMs("f", "d", "P", "hours"));
    opt(() => durationMs("f", "d", "PT", "hours"));
    opt(() => durationMs("f", "d", {}, "hours"));
    opt(() => durationMs("f", "d", null, "hours"));
  });
  it("inputs are not mutated", () => {
    const input = [ticket("a", { response: 1, resolved: 2 }), ticket("b", { issueId: "a", created: 3 })];
    const copy = structuredClone(input);
    firstContactResolution(input, { asOf: at(5) });
    responseTimes(input, { quantileMethod: "tdigest" });
    slaAdherence(input, { target: 1, asOf: at(5), by: "channel", period: "day" });
    expect(input).toEqual(copy);
  });
});

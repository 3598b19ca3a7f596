/**
 * Calendar periods of the service metrics in explicit time zones (re-run by CI under
 * TZ=America/New_York and TZ=Asia/Kolkata: results must not depend on the process TZ).
 */
import { describe, expect, it } from "vitest";
import type { Ticket } from "../../src/schemas/ticket.js";
import { firstContactResolution, onTimeRate, responseTimes, slaAdherence } from "../../src/service/index.js";

function t(id: string, created: string, o: Partial<Ticket> = {}): Ticket {
  return {
    ticketId: id,
    issueId: id,
    customerId: null,
    channel: "chat",
    priority: null,
    createdAt: new Date(created),
    firstResponseAt: null,
    resolvedAt: null,
    reopenedAt: null,
    ...o,
  };
}

// 2026-03-01T03:00Z is 2026-02-28 22:00 in New York and 2026-03-01 08:30 in Kolkata.
const edge = t("e", "2026-03-01T03:00:00Z", { firstResponseAt: new Date("2026-03-01T04:00:00Z") });
const feb = t("f", "2026-02-10T12:00:00Z", {
  firstResponseAt: new Date("2026-02-10T12:30:00Z"),
  channel: "email",
});
const mar = t("m", "2026-03-20T12:00:00Z", { firstResponseAt: new Date("2026-03-20T20:00:00Z") });
const ts = [edge, feb, mar];

describe("service metrics by calendar period", () => {
  it("months in UTC vs America/New_York move the edge ticket", () => {
    const utc = responseTimes(ts, { period: "month" });
    expect(utc.map((p) => [p.label, p.result.n])).toEqual([
      ["2026-02", 1],
      ["2026-03", 2],
    ]);
    const ny = responseTimes(ts, { period: "month", timeZone: "America/New_York" });
    expect(ny.map((p) => [p.label, p.result.n, p.result.median])).toEqual([
      ["2026-02", 2, 0.75],
      ["2026-03", 1, 8],
    ]);
    expect(ny[1]!.start.toISOString()).toBe("2026-03-01T05:00:00.000Z");
    const kol = slaAdherence(ts, { period: "month", timeZone: "Asia/Kolkata", target: 4 });
    expect(kol.map((p) => [p.label, p.result.met, p.result.breached])).toEqual([
      ["2026-02", 1, 0],
      ["2026-03", 1, 1],
    ]);
  });

  it("by + period: every group has the same periods, empty ones included", () => {
    const r = slaAdherence(ts, { by: "channel", period: "month", target: 4, from: "2026-01-15T00:00:00Z" });
    expect([...r.keys()]).toEqual(["chat", "email"]);
    expect(r.get("email")!.map((p) => [p.label, p.result.n])).toEqual([
      ["2026-01", 0],
      ["2026-02", 1],
      ["2026-03", 0],
    ]);
    expect(r.get("chat")!.map((p) => p.label)).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(r.get("chat")![1]!.result.rate).toBeNull();
  });

  it("weeks follow weekStartsOn; issues go to their first ticket's period", () => {
    const a = t("a1", "2026-03-01T10:00:00Z", { issueId: "A", resolvedAt: new Date("2026-03-01T11:00:00Z") }); // Sunday
    const b = t("a2", "2026-03-03T10:00:00Z", { issueId: "A", resolvedAt: new Date("2026-03-03T11:00:00Z") });
    const monday = firstContactResolution([a, b], { period: "week" });
    expect(monday.map((p) => [p.label, p.result.n])).toEqual([["2026-W09", 1]]);
    const sunday = firstContactResolution([a, b], { period: "week", weekStartsOn: 0 });
    expect(sunday.map((p) => [p.start.toISOString(), p.result.n])).toEqual([["2026-03-01T00:00:00.000Z", 1]]);
    const tickets = firstContactResolution([a, b], { period: "week", level: "ticket" });
    expect(tickets.map((p) => p.result.n)).toEqual([1, 1]);
  });

  it("appointments by their scheduled day in a time zone", () => {
    const rows = [
      { scheduledAt: "2026-03-01T03:00:00Z", startedAt: "2026-03-01T03:01:00Z" },
      { scheduledAt: "2026-03-01T12:00:00Z", startedAt: "2026-03-01T12:30:00Z" },
    ];
    const r = onTimeRate(rows, { period: "day", timeZone: "America/New_York", grace: 5 });
    expect(r.map((p) => [p.label, p.result.onTime, p.result.late])).toEqual([
      ["2026-02-28", 1, 0],
      ["2026-03-01", 0, 1],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  appointmentSchema,
  parseAppointments,
  parseTickets,
  safeParseAppointments,
  safeParseTickets,
  ticketSchema,
} from "../../src/schemas/ticket.js";

const good = {
  ticket_id: "T1",
  customer_id: "c1",
  issue_id: "I1",
  channel: "chat",
  created_at: "2026-03-01T09:00:00+01:00",
  first_response_at: "2026-03-01T08:05:00Z",
  resolved_at: "",
  reopened_at: "",
  priority: "high",
};

describe("ticket schema", () => {
  it("parses snake_case CSV rows: instants → Date (UTC), blanks → null", () => {
    const [t] = parseTickets([good]);
    expect(t).toEqual({
      ticketId: "T1",
      issueId: "I1",
      customerId: "c1",
      channel: "chat",
      priority: "high",
      createdAt: new Date("2026-03-01T08:00:00Z"),
      firstResponseAt: new Date("2026-03-01T08:05:00Z"),
      resolvedAt: null,
      reopenedAt: null,
    });
  });

  it("accepts camelCase, Dates, epoch ms, numeric ids, null and absent optional fields", () => {
    const t = ticketSchema.parse({
      ticketId: 7,
      createdAt: 0,
      firstResponseAt: new Date(1000),
      issueId: null,
    });
    expect(t.ticketId).toBe("7");
    expect(t.createdAt.getTime()).toBe(0);
    expect(t.firstResponseAt!.getTime()).toBe(1000);
    expect([t.issueId, t.channel, t.priority, t.resolvedAt, t.reopenedAt]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("instant order is not a schema error (metrics report such tickets as invalid)", () => {
    expect(parseTickets([{ ...good, first_response_at: "2020-01-01T00:00:00Z" }])).toHaveLength(1);
  });

  it("does not mutate its input", () => {
    const input = [{ ...good }];
    const copy = structuredClone(input);
    parseTickets(input);
    expect(input).toEqual(copy);
  });

  it("reports every bad record with index, path and code", () => {
    const r = safeParseTickets([
      good,
      { ...good, created_at: "2026-03-01T09:00:00" },
      { ...good, resolved_at: "yesterday" },
      { ...good, ticket_id: "" },
      { ...good, created_at: undefined },
      { ...good, channel: 5 },
    ]);
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error).toBeInstanceOf(InvalidInputError);
    expect(r.error.code).toBe("invalid_record");
    expect(r.error.issues.map((i) => [i.index, i.path.join("."), i.code])).toEqual([
      [1, "createdAt", "invalid_time"],
      [2, "resolvedAt", "invalid_time"],
      [3, "ticketId", expect.any(String)],
      [4, "createdAt", "invalid_time"],
      [5, "channel", "invalid_type"],
    ]);
  });

  it("a bad record is invalid_record with its specific code on the issue; non-arrays are invalid_type", () => {
    expect(() => parseTickets([{ ...good, created_at: "2026-03-01" }])).toThrow(
      expect.objectContaining({
        code: "invalid_record",
        issues: [expect.objectContaining({ code: "invalid_time" })],
      }),
    );
    expect(() => parseTickets({ rows: [] })).toThrow(expect.objectContaining({ code: "invalid_type" }));
  });

  it("a segment named __proto__ is data", () => {
    expect(parseTickets([{ ...good, channel: "__proto__" }])[0]!.channel).toBe("__proto__");
  });
});

describe("appointment schema", () => {
  it("parses snake_case rows; canceled from text", () => {
    const [a] = parseAppointments([
      {
        appointment_id: "A1",
        scheduled_at: "2026-03-02T10:00:00Z",
        started_at: "2026-03-02T10:03:00Z",
        canceled: "false",
      },
    ]);
    expect(a).toEqual({
      appointmentId: "A1",
      customerId: null,
      channel: null,
      scheduledAt: new Date("2026-03-02T10:00:00Z"),
      startedAt: new Date("2026-03-02T10:03:00Z"),
      canceled: false,
    });
    expect(appointmentSchema.parse({ scheduledAt: 0, canceled: 1 }).canceled).toBe(true);
    expect(appointmentSchema.parse({ scheduledAt: 0, startedAt: "" }).startedAt).toBeNull();
  });

  it("reports bad records", () => {
    const r = safeParseAppointments([{ scheduledAt: "tomorrow" }, { scheduledAt: 0, canceled: "maybe" }]);
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.error.issues.map((i) => [i.index, i.path.join("."), i.code])).toEqual([
        [0, "scheduledAt", "invalid_time"],
        [1, "canceled", "invalid_type"],
      ]);
    expect(() => parseAppointments("x")).toThrow(expect.objectContaining({ code: "invalid_type" }));
  });
});

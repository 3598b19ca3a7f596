import { describe, expect, it } from "vitest";
import { parseActivityEvents, safeParseActivityEvents } from "../../src/schemas/activity.js";

describe("activityEventSchema", () => {
  it("parses ids, instants with offsets and optional event types (snake_case accepted)", () => {
    const e = parseActivityEvents([
      { userId: "u1", occurredAt: "2026-01-05T09:00:00+01:00", eventType: "login" },
      { user_id: 42, occurred_at: new Date(Date.UTC(2026, 0, 1)), event_type: "" },
    ]);
    expect(e[0]).toEqual({ userId: "u1", occurredAt: new Date(Date.UTC(2026, 0, 5, 8)), eventType: "login" });
    expect(e[1]).toEqual({ userId: "42", occurredAt: new Date(Date.UTC(2026, 0, 1)), eventType: null });
  });

  it("rejects instants without offset and missing users, naming index and path", () => {
    const r = safeParseActivityEvents([
      { userId: "u", occurredAt: "2026-01-05 09:00" },
      { occurredAt: "2026-01-05T09:00:00Z" },
    ]);
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.issues[0]).toMatchObject({ index: 0, path: ["occurredAt"], code: "invalid_time" });
      expect(r.error.issues[1]).toMatchObject({ index: 1, path: ["userId"] });
    }
    expect(() => parseActivityEvents("nope")).toThrow(/expected an array/);
  });
});

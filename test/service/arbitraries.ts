/** fast-check generators of tickets for the service property tests (not a test file). */
import fc from "fast-check";
import type { Ticket } from "../../src/schemas/ticket.js";

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

/**
 * Tickets with small id pools (so issues have repeat contacts), instants on whole seconds, optional
 * response / resolution / reopening; `invalidRate` > 0 lets some instants come before creation.
 */
export function ticketsArb(
  options: { invalidRate?: number; maxLength?: number; repeatsNeverReopen?: boolean } = {},
) {
  const allowInvalid = (options.invalidRate ?? 0) > 0;
  const offset = (maxH: number) =>
    fc.option(
      fc.integer({ min: allowInvalid ? -2 * 3600 : 0, max: maxH * 3600 }).map((s) => s * 1000),
      { nil: null, freq: 4 },
    );
  const one = fc.record({
    issue: fc.integer({ min: 0, max: 30 }),
    channel: fc.constantFrom("email", "chat", "phone", "web_form"),
    priority: fc.option(fc.constantFrom("low", "normal", "high", "urgent"), { nil: null, freq: 8 }),
    created: fc.integer({ min: 0, max: 400 * 24 * 3600 }).map((s) => T0 + s * 1000),
    response: offset(10),
    resolved: offset(500),
    reopen: fc.option(
      fc.integer({ min: allowInvalid ? -3600 : 0, max: 14 * 24 * 3600 }).map((s) => s * 1000),
      { nil: null, freq: 3 },
    ),
  });
  return fc.array(one, { maxLength: options.maxLength ?? 120 }).map((rows) => {
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.issue, (counts.get(r.issue) ?? 0) + 1);
    return rows.map((r, i): Ticket => {
      const resolvedAt = r.resolved === null ? null : new Date(r.created + r.resolved);
      let reopenedAt =
        resolvedAt === null || r.reopen === null ? null : new Date(resolvedAt.getTime() + r.reopen);
      if (allowInvalid && resolvedAt === null && r.reopen !== null && r.reopen < 0)
        reopenedAt = new Date(r.created + H);
      if (options.repeatsNeverReopen && (counts.get(r.issue) ?? 0) > 1) reopenedAt = null;
      return {
        ticketId: `T${String(i).padStart(4, "0")}`,
        issueId: `I${r.issue}`,
        customerId: null,
        channel: r.channel,
        priority: r.priority,
        createdAt: new Date(r.created),
        firstResponseAt: r.response === null ? null : new Date(r.created + r.response),
        resolvedAt,
        reopenedAt,
      };
    });
  });
}

/**
 * Which tickets the service metrics can use: the order of a ticket's instants must make sense.
 * Invalid tickets are never dropped silently: every metric lists them (id, index, reasons) in its
 * `invalid` field and counts them in `excluded`.
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import { type Ticket, ticketSchema } from "../schemas/ticket.js";
import { readRecords } from "./read-records.js";

/** Why a ticket is invalid. */
export type TicketInvalidReason =
  | "first_response_before_created"
  | "resolved_before_created"
  | "reopened_without_resolution";

/**
 * Plain-words description of each {@link TicketInvalidReason} (the wording of the reference data).
 *
 * @example
 * TICKET_INVALID_REASONS.resolved_before_created //=> "resolved_at before created_at"
 */
export const TICKET_INVALID_REASONS: Readonly<Record<TicketInvalidReason, string>> = {
  first_response_before_created: "first_response_at before created_at",
  resolved_before_created: "resolved_at before created_at",
  reopened_without_resolution: "reopened_at without an earlier resolved_at",
};

/** An invalid ticket as reported by every service metric. */
export interface InvalidTicket {
  /** Position of the ticket in the input. */
  index: number;
  /** The ticket's id. */
  ticketId: string;
  /** Its issue (`null` when the ticket has none). */
  issueId: string | null;
  /** Every reason that applies, in the order of {@link TICKET_INVALID_REASONS}. */
  reasons: TicketInvalidReason[];
}

/**
 * The reasons a ticket is invalid (empty when it is valid):
 * - `first_response_before_created`: firstResponseAt < createdAt;
 * - `resolved_before_created`: resolvedAt < createdAt;
 * - `reopened_without_resolution`: reopenedAt present without a resolvedAt at or before it.
 *
 * Equal instants are valid (a response time of 0).
 *
 * @example
 * const [ticket] = parseTickets([{ ticketId: "T1", createdAt: "2026-03-02T10:00:00Z" }]);
 * ticketValidity(ticket!) //=> []
 * ticketValidity({ ...ticket!, firstResponseAt: new Date(ticket!.createdAt.getTime() - 1) })
 * //=> ["first_response_before_created"]
 */
export function ticketValidity(t: Ticket): TicketInvalidReason[] {
  const reasons: TicketInvalidReason[] = [];
  const c = t.createdAt.getTime();
  if (t.firstResponseAt !== null && t.firstResponseAt.getTime() < c)
    reasons.push("first_response_before_created");
  if (t.resolvedAt !== null && t.resolvedAt.getTime() < c) reasons.push("resolved_before_created");
  if (t.reopenedAt !== null && (t.resolvedAt === null || t.reopenedAt.getTime() < t.resolvedAt.getTime()))
    reasons.push("reopened_without_resolution");
  return reasons;
}

/**
 * The {@link InvalidTicket} entry of a ticket, or `null` when it is valid.
 *
 * @example
 * const [t] = parseTickets([{ ticketId: "T9", createdAt: "2026-03-02T10:00:00Z", resolvedAt: "2026-03-02T09:00:00Z" }]);
 * invalidTicket(t!, 4) //=> { index: 4, ticketId: "T9", issueId: null, reasons: ["resolved_before_created"] }
 */
export function invalidTicket(t: Ticket, index: number): InvalidTicket | null {
  const reasons = ticketValidity(t);
  return reasons.length === 0 ? null : { index, ticketId: t.ticketId, issueId: t.issueId, reasons };
}

/**
 * Merge two lists of invalid tickets, ordered by input index (then ticket id).
 *
 * @example
 * const a = [{ index: 3, ticketId: "T3", issueId: null, reasons: [] }];
 * const b = [{ index: 1, ticketId: "T1", issueId: null, reasons: [] }];
 * mergeInvalid(a, b).map((x) => x.index) //=> [1, 3]
 */
export function mergeInvalid(a: InvalidTicket[], b: InvalidTicket[]): InvalidTicket[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b.slice();
  return [...a, ...b].sort((x, y) => x.index - y.index || compareKeys(x.ticketId, y.ticketId));
}

/** A ticket record: parsed ({@link Ticket}) or raw (validated with `ticketSchema` on the way in). */
export type TicketInput = Ticket | Readonly<Record<string, unknown>>;

function isParsed(r: Record<string, unknown>): boolean {
  return (
    r.createdAt instanceof Date &&
    typeof r.ticketId === "string" &&
    (r.firstResponseAt === null || r.firstResponseAt instanceof Date) &&
    (r.resolvedAt === null || r.resolvedAt instanceof Date) &&
    (r.reopenedAt === null || r.reopenedAt instanceof Date) &&
    (r.issueId === null || typeof r.issueId === "string") &&
    (r.channel === null || typeof r.channel === "string") &&
    (r.priority === null || typeof r.priority === "string") &&
    !Number.isNaN((r.createdAt as Date).getTime())
  );
}

/**
 * Read tickets: parsed ones are used as they are; raw records (CSV rows, JSON) go through
 * `ticketSchema`. Throws `InvalidInputError` listing every bad record (index and path).
 *
 * @example
 * readTickets("responseTimes", [{ ticket_id: "T1", created_at: "2026-03-02T10:00:00Z" }])[0]?.createdAt.toISOString()
 * //=> "2026-03-02T10:00:00.000Z"
 */
export function readTickets(fn: string, input: unknown): Ticket[] {
  return readRecords(fn, input, ticketSchema, "tickets", isParsed);
}

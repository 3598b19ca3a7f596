/**
 * Help-desk records: support tickets (the input of first-contact resolution, response and
 * resolution times, SLA adherence) and appointments (the input of the on-time rate).
 *
 * Parsed records keep instants as `Date` (the UTC instant; the offset written in the input is not
 * kept — every service metric compares instants, and reporting periods take an explicit
 * `timeZone`). Field names are camelCase; the snake_case names of a CSV export (`ticket_id`,
 * `customer_id`, `issue_id`, `created_at`, `first_response_at`, `resolved_at`, `reopened_at`,
 * `appointment_id`, `scheduled_at`, `started_at`) are accepted as aliases, and a blank (`""`) or
 * `null` optional cell means "absent".
 *
 * The schemas check each field on its own. The order of a ticket's instants (a response before
 * creation, a reopening without a resolution) is **not** a schema error: such a ticket is a valid
 * record of an invalid ticket, which every service metric reports by id and reason in its
 * `invalid` list and excludes (see `ticketValidity` in `cxmetrics/service`).
 *
 * @module
 */
import { z } from "zod";
import { type SafeParseResult, safeParseRecords } from "./parse.js";
import { instantSchema } from "./subscription.js";

/** Optional field: `undefined`, `null` and `""` (a blank CSV cell) all mean absent. */
const blankToNull = (v: unknown) => (v === undefined || v === null || v === "" ? null : v);
const idSchema = z.union([z.string().min(1), z.number().int().transform(String)]);
const optionalId = z
  .preprocess(blankToNull, idSchema.nullable())
  .optional()
  .transform((v) => v ?? null);
const optionalText = z
  .preprocess(blankToNull, z.string().nullable())
  .optional()
  .transform((v) => v ?? null);
const optionalInstant = z
  .preprocess(blankToNull, instantSchema.nullable())
  .optional()
  .transform((v) => v ?? null);

function aliaser(aliases: readonly (readonly [string, string])[]) {
  return (v: unknown): unknown => {
    if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) return v;
    const o = v as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const [snake, camel] of aliases) {
      if (Object.hasOwn(o, snake) && !Object.hasOwn(o, camel)) {
        copy ??= { ...o };
        copy[camel] = o[snake];
      }
    }
    return copy ?? v;
  };
}

const TICKET_ALIASES: readonly (readonly [string, string])[] = [
  ["ticket_id", "ticketId"],
  ["customer_id", "customerId"],
  ["issue_id", "issueId"],
  ["created_at", "createdAt"],
  ["first_response_at", "firstResponseAt"],
  ["resolved_at", "resolvedAt"],
  ["reopened_at", "reopenedAt"],
];

/**
 * zod schema of one support ticket.
 *
 * Fields:
 * - `ticketId` (string or integer → string; required: invalid tickets are reported by it);
 * - `issueId` (optional; tickets sharing it are repeat contacts about one issue; `null` = the ticket
 *   is an issue of its own);
 * - `customerId`, `channel` (`email`, `chat`, … free text), `priority` (`low` … `urgent`, free text):
 *   optional, `null` when absent;
 * - `createdAt` (required), `firstResponseAt` (`null` = never answered), `resolvedAt` (the **first**
 *   resolution; `null` = open), `reopenedAt` (the first reopening after it; `null` = never): an ISO-8601
 *   string **with an offset**, a `Date` or epoch ms → `Date`.
 *
 * Issue codes: `invalid_time` (instant without offset or unparsable), zod's own codes for a missing
 * or mistyped id or text field.
 *
 * @example
 * ticketSchema.parse({ ticket_id: "T1", created_at: "2026-03-01T09:00:00+01:00",
 *   first_response_at: "", channel: "chat" }).firstResponseAt //=> null
 */
export const ticketSchema = z.preprocess(
  aliaser(TICKET_ALIASES),
  z.object({
    /** Ticket id; invalid tickets are reported by it. */
    ticketId: idSchema,
    /** Issue id: tickets sharing it are repeat contacts about one issue (`null` = its own issue). */
    issueId: optionalId,
    /** The customer (optional; not used by the metrics). */
    customerId: optionalId,
    /** Contact channel (free text: `email`, `chat`, `phone`, `web_form`, …). */
    channel: optionalText,
    /** Priority (free text: `low`, `normal`, `high`, `urgent`, …); SLA targets may depend on it. */
    priority: optionalText,
    /** When the customer made contact. */
    createdAt: instantSchema,
    /** First agent response; `null` = never answered. */
    firstResponseAt: optionalInstant,
    /** First resolution; `null` = still open. */
    resolvedAt: optionalInstant,
    /** First reopening after the resolution; `null` = never reopened. */
    reopenedAt: optionalInstant,
  }),
);

/** A validated ticket (output of {@link ticketSchema}): instants as `Date`, absent fields `null`. */
export type Ticket = z.output<typeof ticketSchema>;

/**
 * Validate an array of ticket records; returns `{ success: true, data }` or `{ success: false, error }`
 * with an `InvalidInputError` listing every issue with its record index and path.
 *
 * @example
 * safeParseTickets([{ ticketId: "T1", createdAt: "2026-03-01 09:00" }]).success //=> false (no offset)
 */
export function safeParseTickets(input: unknown): SafeParseResult<Ticket> {
  return safeParseRecords(ticketSchema, input, "tickets");
}

/**
 * Validate an array of ticket records (see {@link ticketSchema}); throws `InvalidInputError` listing
 * every issue with its record index and path.
 *
 * @throws {InvalidInputError} `invalid_time` (instant without offset), `invalid_type` (not an array),
 *   `invalid_record` (several issues at once).
 * @example
 * parseTickets([{ ticket_id: "T1", issue_id: "I1", channel: "chat", priority: "high",
 *   created_at: "2026-03-01T10:00:00Z", first_response_at: "2026-03-01T10:05:00Z",
 *   resolved_at: "", reopened_at: "" }])[0]?.resolvedAt //=> null
 */
export function parseTickets(input: unknown): Ticket[] {
  const r = safeParseTickets(input);
  if (!r.success) throw r.error;
  return r.data;
}

const APPOINTMENT_ALIASES: readonly (readonly [string, string])[] = [
  ["appointment_id", "appointmentId"],
  ["customer_id", "customerId"],
  ["scheduled_at", "scheduledAt"],
  ["started_at", "startedAt"],
];

const optionalBoolean = z
  .preprocess((v) => {
    const b = blankToNull(v);
    if (b === "true" || b === "1" || b === 1) return true;
    if (b === "false" || b === "0" || b === 0) return false;
    return b;
  }, z.boolean().nullable())
  .optional()
  .transform((v) => v ?? false);

/**
 * zod schema of one appointment (a meeting, call-back or visit promised for a time).
 *
 * Fields: `appointmentId` (optional), `customerId`, `channel` (optional free text), `scheduledAt`
 * (required), `startedAt` (actual start; `null` = has not started / did not happen), `canceled`
 * (optional boolean, also `"true"`/`"false"`/`1`/`0`; canceled appointments are left out of the
 * on-time rate). Instants: ISO-8601 with an offset, `Date` or epoch ms → `Date`.
 *
 * @example
 * appointmentSchema.parse({ scheduled_at: "2026-03-02T10:00:00Z", started_at: "2026-03-02T10:03:00Z" })
 *   .canceled //=> false
 */
export const appointmentSchema = z.preprocess(
  aliaser(APPOINTMENT_ALIASES),
  z.object({
    /** Appointment id (optional; used in reports). */
    appointmentId: optionalId,
    /** The customer (optional). */
    customerId: optionalId,
    /** Channel or kind (free text, optional). */
    channel: optionalText,
    /** The promised start. */
    scheduledAt: instantSchema,
    /** The actual start; `null` = not started (missed, or still in the future). */
    startedAt: optionalInstant,
    /** Canceled ahead of time (not counted). Default `false`. */
    canceled: optionalBoolean,
  }),
);

/** A validated appointment (output of {@link appointmentSchema}). */
export type Appointment = z.output<typeof appointmentSchema>;

/**
 * Validate an array of appointment records; returns `{ success, data }` or `{ success: false, error }`.
 *
 * @example
 * safeParseAppointments([{ scheduledAt: "tomorrow" }]).success //=> false
 */
export function safeParseAppointments(input: unknown): SafeParseResult<Appointment> {
  return safeParseRecords(appointmentSchema, input, "appointments");
}

/**
 * Validate an array of appointment records (see {@link appointmentSchema}); throws `InvalidInputError`
 * listing every issue with its record index and path.
 *
 * @example
 * parseAppointments([{ scheduledAt: "2026-03-02T10:00:00Z", startedAt: "" }])[0]?.startedAt //=> null
 */
export function parseAppointments(input: unknown): Appointment[] {
  const r = safeParseAppointments(input);
  if (!r.success) throw r.error;
  return r.data;
}

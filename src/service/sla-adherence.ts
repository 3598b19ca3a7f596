/**
 * SLA adherence: the share of tickets answered (or resolved) within their target time.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import { type InstantInput, parseInstant } from "../core/time.js";
import type { Warning } from "../core/values.js";
import type { Ticket } from "../schemas/ticket.js";
import { type Duration, durationMs } from "./duration.js";
import { type GroupedFunction, type GroupingOptions, runGrouped, ticketKeyFunction } from "./grouping.js";
import type { ResponseMeasure } from "./response-times.js";
import {
  type InvalidTicket,
  type TicketInput,
  invalidTicket,
  mergeInvalid,
  readTickets,
} from "./ticket-validity.js";

/**
 * Targets per priority: `byPriority` maps a ticket's `priority` (a plain object or a `Map`; a `Map`
 * may also hold `null` for tickets without one) to a target; `otherwise` applies to the rest. Tickets
 * with no target are left out (`excluded.noTarget`).
 */
export interface SlaTargets {
  byPriority: Readonly<Record<string, Duration>> | ReadonlyMap<string | null, Duration>;
  otherwise?: Duration | undefined;
}

/** Options of {@link slaAdherenceAccumulator}. */
export interface SlaAdherenceAccumulatorOptions {
  /** The target: one {@link Duration} for all tickets (a bare number is hours), {@link SlaTargets}, or a `Map` priority → duration. */
  target: Duration | SlaTargets | ReadonlyMap<string | null, Duration>;
  /** `"firstResponse"` (default) or `"resolution"`. */
  measure?: ResponseMeasure | undefined;
  /**
   * When the data were exported. A ticket without the end instant is breached when asOf − createdAt >
   * target, else pending (left out). Without `asOf` every such ticket is pending (with a warning).
   */
  asOf?: InstantInput | undefined;
}

/** Options for {@link slaAdherence}. */
export interface SlaAdherenceOptions extends SlaAdherenceAccumulatorOptions, GroupingOptions {}

/** Result of {@link slaAdherence}. Counts are tickets. */
export interface SlaAdherenceResult {
  measure: ResponseMeasure;
  /** Answered (resolved) within the target: end − createdAt ≤ target (exactly the target is met). */
  met: number;
  /** Answered later, or not answered and asOf − createdAt > target. */
  breached: number;
  /** Not answered and still within the target at asOf (or no asOf): in neither numerator nor denominator. */
  pending: number;
  /** met / (met + breached), a share 0–1; `null` when both are 0 (see `nullReason`). */
  rate: number | null;
  /** met + breached. */
  n: number;
  /** Left out, by reason. met + breached + pending + noTarget + invalid = tickets. */
  excluded: { pending: number; noTarget: number; invalid: number };
  /** Every invalid ticket (id, index, reasons). */
  invalid: InvalidTicket[];
  /** Why `rate` is `null`, else `null`. */
  nullReason: string | null;
  warnings: Warning[];
}

/** State of {@link slaAdherenceAccumulator} (plain JSON). */
export interface SlaState {
  met: number;
  breached: number;
  pending: number;
  noTarget: number;
  invalid: InvalidTicket[];
}

function targetFunction(fn: string, target: unknown): (t: Ticket) => number | null {
  if (target === undefined)
    return invalidOption(fn, "target", "a duration or { byPriority, otherwise }", target);
  const isTargets =
    target instanceof Map ||
    (typeof target === "object" &&
      target !== null &&
      !Array.isArray(target) &&
      Object.hasOwn(target, "byPriority"));
  if (!isTargets) {
    const ms = durationMs(fn, "target", target, "hours");
    return () => ms;
  }
  const t = (target instanceof Map ? { byPriority: target } : target) as SlaTargets;
  const map = new Map<string | null, number>();
  const src = t.byPriority;
  if (src instanceof Map)
    for (const [k, v] of src) map.set(k, durationMs(fn, `target.byPriority.${String(k)}`, v, "hours"));
  else if (typeof src === "object" && src !== null && !Array.isArray(src)) {
    for (const k of Object.keys(src)) {
      map.set(k, durationMs(fn, `target.byPriority.${k}`, (src as Record<string, unknown>)[k], "hours"));
    }
  } else return invalidOption(fn, "target.byPriority", "an object or Map of priority → duration", src);
  const otherwise =
    t.otherwise === undefined ? null : durationMs(fn, "target.otherwise", t.otherwise, "hours");
  return (ticket) => {
    const v = map.get(ticket.priority);
    return v === undefined ? otherwise : v;
  };
}

/**
 * SLA adherence as an accumulator of tickets (merge = concatenation in any partition).
 *
 * @example
 * const tickets = parseTickets([
 *   { ticketId: "T1", issueId: "I1", channel: "chat", priority: "high", createdAt: "2026-03-02T10:00:00Z",
 *     firstResponseAt: "2026-03-02T10:05:00Z", resolvedAt: "2026-03-02T11:00:00Z" },
 *   { ticketId: "T2", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-02T09:00:00Z",
 *     firstResponseAt: "2026-03-02T15:00:00Z", resolvedAt: "2026-03-03T09:00:00Z" },
 *   { ticketId: "T3", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-04T09:00:00Z",
 *     firstResponseAt: "2026-03-04T10:00:00Z", resolvedAt: "2026-03-04T12:00:00Z" },
 *   { ticketId: "T4", issueId: "I3", channel: "chat", priority: "urgent", createdAt: "2026-03-05T12:00:00Z" },
 * ]);
 * // T2 answered after 6 h, T4 not answered 12 h after creation at asOf: both breached
 * fold(tickets, slaAdherenceAccumulator({ target: { hours: 4 }, asOf: "2026-03-06T00:00:00Z" }))
 * //=> { measure: "firstResponse", met: 2, breached: 2, pending: 0, rate: 0.5, … }
 */
export function slaAdherenceAccumulator(
  options: SlaAdherenceAccumulatorOptions,
): Accumulator<Ticket, SlaState, SlaAdherenceResult> {
  const fn = "slaAdherence";
  if (typeof options !== "object" || options === null)
    return invalidOption(fn, "options", "{ target, … }", options);
  const measure = options.measure ?? "firstResponse";
  if (measure !== "firstResponse" && measure !== "resolution")
    invalidOption(fn, "measure", `"firstResponse" or "resolution"`, measure);
  const targetOf = targetFunction(fn, options.target);
  const asOfMs = options.asOf === undefined ? null : parseInstant(options.asOf, { fn, path: ["asOf"] });
  const end = measure === "firstResponse" ? (t: Ticket) => t.firstResponseAt : (t: Ticket) => t.resolvedAt;
  return {
    init: () => ({ met: 0, breached: 0, pending: 0, noTarget: 0, invalid: [] }),
    add: (s, t, index) => {
      const bad = invalidTicket(t, index);
      if (bad) {
        s.invalid.push(bad);
        return s;
      }
      const target = targetOf(t);
      if (target === null) {
        s.noTarget++;
        return s;
      }
      const created = t.createdAt.getTime();
      const e = end(t);
      if (e !== null) {
        if (e.getTime() - created <= target) s.met++;
        else s.breached++;
      } else if (asOfMs !== null && asOfMs - created > target) s.breached++;
      else s.pending++;
      return s;
    },
    merge: (a, b) => {
      a.met += b.met;
      a.breached += b.breached;
      a.pending += b.pending;
      a.noTarget += b.noTarget;
      a.invalid = mergeInvalid(a.invalid, b.invalid);
      return a;
    },
    result: (s) => {
      const n = s.met + s.breached;
      const warnings: Warning[] = [];
      if (asOfMs === null && s.pending > 0)
        warnings.push({
          code: "as_of_missing",
          message: `${s.pending} ticket(s) without ${measure === "firstResponse" ? "a response" : "a resolution"} counted as pending; pass asOf to count the overdue ones as breached`,
        });
      if (s.noTarget > 0)
        warnings.push({
          code: "no_target",
          message: `${s.noTarget} ticket(s) have a priority with no target and were left out`,
        });
      return {
        measure,
        met: s.met,
        breached: s.breached,
        pending: s.pending,
        rate: n === 0 ? null : s.met / n,
        n,
        excluded: { pending: s.pending, noTarget: s.noTarget, invalid: s.invalid.length },
        invalid: s.invalid.slice(),
        nullReason: n === 0 ? "no ticket met or breached its target: the rate has a zero denominator" : null,
        warnings,
      };
    },
  };
}

/**
 * SLA adherence: met / (met + breached), per ticket against its target (one for all, or per priority).
 *
 * - met: end − createdAt ≤ target (exactly the target is met);
 * - breached: end − createdAt > target, or no end yet and asOf − createdAt > target;
 * - pending: no end yet and asOf − createdAt ≤ target — still inside the target, left out of both
 *   numerator and denominator.
 *
 * `end` is the first response (`measure: "firstResponse"`, default) or the first resolution.
 * Elapsed wall-clock time (no business-hours calendar). Invalid tickets are listed and left out.
 * met + breached + pending + excluded.noTarget + excluded.invalid = tickets.
 *
 * @see ITIL 4, "Service level management" practice guide (AXELOS, 2020): SLA attainment as the
 *   share of measured items within target.
 * @throws {InvalidInputError} `invalid_option` (target missing or not a duration, measure), `invalid_time` (asOf).
 * @example
 * const tickets = parseTickets([
 *   { ticketId: "T1", issueId: "I1", channel: "chat", priority: "high", createdAt: "2026-03-02T10:00:00Z",
 *     firstResponseAt: "2026-03-02T10:05:00Z", resolvedAt: "2026-03-02T11:00:00Z" },
 *   { ticketId: "T2", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-02T09:00:00Z",
 *     firstResponseAt: "2026-03-02T15:00:00Z", resolvedAt: "2026-03-03T09:00:00Z" },
 *   { ticketId: "T3", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-04T09:00:00Z",
 *     firstResponseAt: "2026-03-04T10:00:00Z", resolvedAt: "2026-03-04T12:00:00Z" },
 *   { ticketId: "T4", issueId: "I3", channel: "chat", priority: "urgent", createdAt: "2026-03-05T12:00:00Z" },
 * ]);
 * slaAdherence(tickets, { target: { hours: 4 }, measure: "firstResponse", asOf: "2026-03-06T00:00:00Z" })
 * //=> { met: 2, breached: 2, pending: 0, rate: 0.5, … }
 * slaAdherence(tickets, { target: { byPriority: { urgent: "PT1H", high: "PT2H" }, otherwise: "PT4H" },
 *   asOf: "2026-03-06T00:00:00Z" }).rate //=> 0.5
 */
export const slaAdherence = function slaAdherence(
  tickets: readonly TicketInput[],
  options: SlaAdherenceOptions,
): unknown {
  const fn = "slaAdherence";
  const acc = slaAdherenceAccumulator(options);
  const list = readTickets(fn, tickets);
  const keyFn = options.by === undefined ? () => null : ticketKeyFunction(fn, options.by);
  return runGrouped(fn, list, acc, options, keyFn, (t) => t.createdAt);
} as GroupedFunction<
  Ticket,
  "channel" | "priority",
  Omit<SlaAdherenceOptions, "by" | "period">,
  SlaAdherenceResult
>;

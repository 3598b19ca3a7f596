/**
 * First-contact resolution (FCR): the share of resolved issues that were resolved at the first
 * contact, with no repeat contact and no reopening soon after.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { compareKeys } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import { type InstantInput, parseInstant } from "../core/time.js";
import type { Warning } from "../core/values.js";
import type { Ticket } from "../schemas/ticket.js";
import { durationMs } from "./duration.js";
import type { Duration } from "./duration.js";
import { type GroupedFunction, type GroupingOptions, runGrouped, ticketKeyFunction } from "./grouping.js";
import {
  type InvalidTicket,
  type TicketInput,
  invalidTicket,
  mergeInvalid,
  readTickets,
} from "./ticket-validity.js";

/** `"issue"` (default): tickets sharing `issueId` are one issue. `"ticket"`: every ticket on its own. */
export type FcrLevel = "issue" | "ticket";

/** Options of the FCR accumulators. */
export interface FcrCountingOptions {
  /**
   * A resolution followed by a reopening **strictly less** than this long after it is not a
   * first-contact resolution (reopened exactly at the end of the window counts as resolved).
   * Default 7 days; a bare number is in days.
   */
  reopenWindow?: Duration | undefined;
  /**
   * The instant the data were exported. Only used to count resolved issues whose reopen window
   * had not closed yet (`windowOpenAtAsOf`); they are included in the rate either way.
   */
  asOf?: InstantInput | undefined;
}

/** Options for {@link firstContactResolution}. */
export interface FirstContactResolutionOptions extends FcrCountingOptions, GroupingOptions {
  /** Unit of counting (default `"issue"`). */
  level?: FcrLevel | undefined;
}

/** Result of {@link firstContactResolution}. Counts are issues (or tickets at `level: "ticket"`). */
export interface FirstContactResolutionResult {
  /** The unit counted. */
  level: FcrLevel;
  /** resolvedFirstContact / resolved, a share 0–1; `null` when nothing is resolved (see `nullReason`). */
  rate: number | null;
  /** Resolved issues (every ticket of the issue has `resolvedAt`) or resolved tickets. */
  resolved: number;
  /** Resolved issues with exactly one ticket, not reopened within the window (tickets: not reopened within it). */
  resolvedFirstContact: number;
  /** Issues (tickets) counted: valid, with or without a resolution. */
  n: number;
  /** Counted issues (tickets) not resolved. */
  unresolved: number;
  /** Counted issues with more than one ticket (repeat contacts); 0 at ticket level. */
  multiContact: number;
  /** Resolved single-ticket issues (resolved tickets) reopened within the window. */
  reopenedWithinWindow: number;
  /**
   * Resolved issues (tickets) whose reopen window ends after `asOf` (last resolution + window > asOf):
   * a later reopening could still turn them into non-FCR. `null` without `asOf`.
   */
  windowOpenAtAsOf: number | null;
  /** Left out, by reason. */
  excluded: {
    /** Invalid tickets (listed in `invalid`). */
    invalidTickets: number;
    /** Issues with at least one invalid ticket (issue level; 0 at ticket level). */
    invalidIssues: number;
    /** Valid tickets left out because their issue has an invalid ticket. */
    ticketsOfInvalidIssues: number;
  };
  /** Every invalid ticket, by input index (id, issue, reasons). */
  invalid: InvalidTicket[];
  /** The reopen window used, in milliseconds. */
  reopenWindowMs: number;
  /** Why `rate` is `null`, else `null`. */
  nullReason: string | null;
  /** Notes on the result (e.g. `window_open_at_as_of`). */
  warnings: Warning[];
}

/** State of the FCR accumulators (plain JSON). */
export interface FcrState {
  n: number;
  resolved: number;
  firstContact: number;
  unresolved: number;
  multiContact: number;
  reopened: number;
  windowOpen: number;
  invalidTickets: number;
  invalidIssues: number;
  ticketsOfInvalidIssues: number;
  invalid: InvalidTicket[];
}

/** The tickets of one issue, in contact order (createdAt, then ticketId), with their input indices. */
export interface IssueTickets {
  /** The issue id (`null` for a ticket without one, which is an issue of its own). */
  issueId: string | null;
  /** Tickets, first contact first. */
  tickets: Ticket[];
  /** Input index of each ticket. */
  indices: number[];
}

const DAY_MS = 86_400_000;

function readOptions(
  fn: string,
  options: FcrCountingOptions | undefined,
): { windowMs: number; asOfMs: number | null } {
  const windowMs =
    options?.reopenWindow === undefined
      ? 7 * DAY_MS
      : durationMs(fn, "reopenWindow", options.reopenWindow, "days");
  const asOfMs = options?.asOf === undefined ? null : parseInstant(options.asOf, { fn, path: ["asOf"] });
  return { windowMs, asOfMs };
}

function initState(): FcrState {
  return {
    n: 0,
    resolved: 0,
    firstContact: 0,
    unresolved: 0,
    multiContact: 0,
    reopened: 0,
    windowOpen: 0,
    invalidTickets: 0,
    invalidIssues: 0,
    ticketsOfInvalidIssues: 0,
    invalid: [],
  };
}

function mergeState(a: FcrState, b: FcrState): FcrState {
  a.n += b.n;
  a.resolved += b.resolved;
  a.firstContact += b.firstContact;
  a.unresolved += b.unresolved;
  a.multiContact += b.multiContact;
  a.reopened += b.reopened;
  a.windowOpen += b.windowOpen;
  a.invalidTickets += b.invalidTickets;
  a.invalidIssues += b.invalidIssues;
  a.ticketsOfInvalidIssues += b.ticketsOfInvalidIssues;
  a.invalid = mergeInvalid(a.invalid, b.invalid);
  return a;
}

function resultOf(
  level: FcrLevel,
  s: FcrState,
  windowMs: number,
  asOfMs: number | null,
): FirstContactResolutionResult {
  const unit = level === "issue" ? "issues" : "tickets";
  const warnings: Warning[] = [];
  if (asOfMs !== null && s.windowOpen > 0)
    warnings.push({
      code: "window_open_at_as_of",
      message: `${s.windowOpen} resolved ${unit} were resolved less than the reopen window before asOf; a later reopening could still lower the rate`,
    });
  return {
    level,
    rate: s.resolved === 0 ? null : s.firstContact / s.resolved,
    resolved: s.resolved,
    resolvedFirstContact: s.firstContact,
    n: s.n,
    unresolved: s.unresolved,
    multiContact: s.multiContact,
    reopenedWithinWindow: s.reopened,
    windowOpenAtAsOf: asOfMs === null ? null : s.windowOpen,
    excluded: {
      invalidTickets: s.invalidTickets,
      invalidIssues: s.invalidIssues,
      ticketsOfInvalidIssues: s.ticketsOfInvalidIssues,
    },
    invalid: s.invalid.slice(),
    reopenWindowMs: windowMs,
    nullReason: s.resolved === 0 ? `no resolved ${unit}: the rate has a zero denominator` : null,
    warnings,
  };
}

/**
 * Ticket-level FCR as an accumulator of tickets (every ticket is its own unit; `issueId` ignored).
 * Mergeable in any partition of the tickets.
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
 * // per ticket: T1, T2 and T3 were each resolved without a reopening; T4 is unresolved
 * fold(tickets, ticketFcrAccumulator({ reopenWindow: { days: 7 } })).rate //=> 1
 */
export function ticketFcrAccumulator(
  options?: FcrCountingOptions,
): Accumulator<Ticket, FcrState, FirstContactResolutionResult> {
  const { windowMs, asOfMs } = readOptions("ticketFcrAccumulator", options);
  return {
    init: initState,
    add: (s, t, index) => {
      const bad = invalidTicket(t, index);
      if (bad) {
        s.invalidTickets++;
        s.invalid.push(bad);
        return s;
      }
      s.n++;
      if (t.resolvedAt === null) {
        s.unresolved++;
        return s;
      }
      s.resolved++;
      const res = t.resolvedAt.getTime();
      if (t.reopenedAt !== null && t.reopenedAt.getTime() - res < windowMs) s.reopened++;
      else s.firstContact++;
      if (asOfMs !== null && res + windowMs > asOfMs) s.windowOpen++;
      return s;
    },
    merge: mergeState,
    result: (s) => resultOf("ticket", s, windowMs, asOfMs),
  };
}

/**
 * Issue-level FCR as an accumulator of issues ({@link IssueTickets}, from {@link groupIssues}).
 * Mergeable in any partition **by issue** (all tickets of an issue in one part).
 *
 * An issue with an invalid ticket is left out (`excluded.invalidIssues`), its invalid tickets listed.
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
 * // per issue: I2 needed two tickets, so one of the two resolved issues was resolved at first contact
 * fold(groupIssues(tickets), issueFcrAccumulator()).rate //=> 0.5
 */
export function issueFcrAccumulator(
  options?: FcrCountingOptions,
): Accumulator<IssueTickets, FcrState, FirstContactResolutionResult> {
  const { windowMs, asOfMs } = readOptions("issueFcrAccumulator", options);
  return {
    init: initState,
    add: (s, issue) => {
      let bad = 0;
      for (let k = 0; k < issue.tickets.length; k++) {
        const inv = invalidTicket(issue.tickets[k]!, issue.indices[k]!);
        if (inv) {
          bad++;
          s.invalid.push(inv);
        }
      }
      if (bad > 0) {
        s.invalidTickets += bad;
        s.invalidIssues++;
        s.ticketsOfInvalidIssues += issue.tickets.length - bad;
        s.invalid.sort((x, y) => x.index - y.index); // input order, also within the first issue with invalid tickets
        return s;
      }
      const ts = issue.tickets;
      if (ts.length === 0) return s;
      s.n++;
      if (ts.length > 1) s.multiContact++;
      let lastRes = Number.NEGATIVE_INFINITY;
      for (const t of ts) {
        if (t.resolvedAt === null) {
          s.unresolved++;
          return s;
        }
        lastRes = Math.max(lastRes, t.resolvedAt.getTime());
      }
      s.resolved++;
      if (ts.length === 1) {
        const t = ts[0]!;
        if (t.reopenedAt !== null && t.reopenedAt.getTime() - lastRes < windowMs) s.reopened++;
        else s.firstContact++;
      }
      if (asOfMs !== null && lastRes + windowMs > asOfMs) s.windowOpen++;
      return s;
    },
    merge: mergeState,
    result: (s) => resultOf("issue", s, windowMs, asOfMs),
  };
}

/**
 * Group tickets into issues: tickets sharing `issueId` (a ticket without one is an issue of its
 * own), each issue's tickets in contact order (earliest `createdAt` first; ties by `ticketId` in
 * code-point order). Issues come in order of their first ticket's position in the input.
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
 * groupIssues(tickets).map((i) => [i.issueId, i.tickets.length]) //=> [["I1", 1], ["I2", 2], ["I3", 1]]
 */
export function groupIssues(tickets: readonly Ticket[]): IssueTickets[] {
  const byId = new Map<string, IssueTickets>();
  const out: IssueTickets[] = [];
  for (let i = 0; i < tickets.length; i++) {
    const t = tickets[i]!;
    if (t.issueId === null) {
      out.push({ issueId: null, tickets: [t], indices: [i] });
      continue;
    }
    let g = byId.get(t.issueId);
    if (!g) {
      g = { issueId: t.issueId, tickets: [], indices: [] };
      byId.set(t.issueId, g);
      out.push(g);
    }
    g.tickets.push(t);
    g.indices.push(i);
  }
  for (const g of out) {
    if (g.tickets.length < 2) continue;
    const order = g.tickets.map((_, k) => k);
    order.sort(
      (a, b) =>
        g.tickets[a]!.createdAt.getTime() - g.tickets[b]!.createdAt.getTime() ||
        compareKeys(g.tickets[a]!.ticketId, g.tickets[b]!.ticketId),
    );
    g.tickets = order.map((k) => g.tickets[k]!);
    g.indices = order.map((k) => g.indices[k]!);
  }
  return out;
}

/**
 * First-contact resolution rate.
 *
 * - **Issue level** (default): FCR = resolved issues with exactly one ticket whose ticket was not
 *   reopened within the window ÷ resolved issues. An issue is the set of tickets sharing `issueId`;
 *   it is resolved when every one of its tickets has `resolvedAt`. A repeat contact (a second ticket)
 *   means the first contact did not resolve it, whatever the tickets' own status.
 * - **Ticket level**: resolved tickets not reopened within the window ÷ resolved tickets, ignoring
 *   `issueId`. It overstates FCR (each repeat contact counts as a separate success; its numerator is
 *   never below the issue-level one on the same tickets); it is what help desks that do not link
 *   repeat contacts report.
 *
 * "Reopened within the window" means reopenedAt − resolvedAt < window (strict: a reopening exactly
 * 7 days after is outside a 7-day window). `resolvedAt` is the first resolution. Issues resolved
 * less than the window before `asOf` are counted (reported in `windowOpenAtAsOf` and a warning).
 *
 * Invalid tickets (response or resolution before creation, reopening without an earlier resolution)
 * are listed in `invalid` and left out; at issue level their whole issue is left out.
 *
 * Grouping (`by`, `period`) uses the issue's first ticket (its channel, its `createdAt`).
 *
 * @see COPC Inc., "COPC Customer Experience Standard" (FCR as resolution without repeat contact);
 *   SQM Group, "First Call Resolution" (a repeat contact within a window means not resolved).
 * @throws {InvalidInputError} `invalid_option` (level, reopenWindow, by, period), `invalid_time`
 *   (asOf without offset), schema issues for raw records.
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
 * const fcr = firstContactResolution(tickets, { level: "issue", reopenWindow: { days: 7 }, asOf: "2026-03-06T00:00:00Z" });
 * [fcr.rate, fcr.resolved, fcr.resolvedFirstContact, fcr.unresolved] //=> [0.5, 2, 1, 1]
 * // resolved less than 7 days before asOf: a reopening could still come
 * fcr.warnings.map((w) => w.code) //=> ["window_open_at_as_of"]
 */
export const firstContactResolution = function firstContactResolution(
  tickets: readonly TicketInput[],
  options?: FirstContactResolutionOptions,
): unknown {
  const fn = "firstContactResolution";
  const opts: FirstContactResolutionOptions = options ?? {};
  const level = opts.level ?? "issue";
  if (level !== "issue" && level !== "ticket") invalidOption(fn, "level", `"issue" or "ticket"`, level);
  const list = readTickets(fn, tickets);
  const keyFn = opts.by === undefined ? () => null : ticketKeyFunction(fn, opts.by);
  if (level === "ticket") {
    return runGrouped(fn, list, ticketFcrAccumulator(opts), opts, keyFn, (t) => t.createdAt);
  }
  const issues = groupIssues(list);
  return runGrouped(
    fn,
    issues,
    issueFcrAccumulator(opts),
    opts,
    (g) => keyFn(g.tickets[0]!, g.indices[0]!),
    (g) => g.tickets[0]!.createdAt,
  );
} as GroupedFunction<
  Ticket,
  "channel" | "priority",
  Omit<FirstContactResolutionOptions, "by" | "period">,
  FirstContactResolutionResult
>;

/**
 * Grouping of the service metrics by channel, priority (or any key) and calendar period, through
 * core's `groupBy` and `byPeriod`. Every service function takes the same `by` / `period` options;
 * the accumulators are exported too, for composing with `groupBy` / `byPeriod` directly.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { groupBy, groupByState } from "../core/accumulator.js";
import { type PeriodResult, byPeriod } from "../core/by-period.js";
import { invalidOption } from "../core/errors.js";
import { type InstantInput, type Period, checkPeriod, parseInstant } from "../core/time.js";
import type { Ticket } from "../schemas/ticket.js";

/** Group tickets by their `channel`, their `priority`, or any key of a ticket (and its input index). */
export type TicketKey<K = unknown> = "channel" | "priority" | ((ticket: Ticket, index: number) => K);

/** Options shared by the service functions for grouping. */
export interface GroupingOptions {
  /**
   * Group by `"channel"`, `"priority"` (keys `string | null`) or a function of the ticket; the result is
   * a `Map` in code-point key order. Issue-level FCR groups each issue by its **first** ticket.
   */
  by?: TicketKey<unknown> | undefined;
  /**
   * Calendar periods by the ticket's `createdAt` (issues: by their first ticket's): the result is an
   * array of `{ start, end, label, result }` with empty periods between `from` and `to` included.
   */
  period?: Period | undefined;
  /** IANA time zone of the periods (default `"UTC"`). */
  timeZone?: string | undefined;
  /** First day of a week period, 0 = Sunday … 6 = Saturday (default 1, Monday). */
  weekStartsOn?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | undefined;
  /** First period (an instant inside it); default: the earliest ticket's. */
  from?: InstantInput | undefined;
  /** Last period (an instant inside it); default: the latest ticket's. */
  to?: InstantInput | undefined;
}

/** Options without grouping: the plain result. */
type Plain = { by?: undefined; period?: undefined };
/** Options with a period and no key. */
type Periods = { by?: undefined; period: Period };

/**
 * The overloads of a grouped service function over rows of type `Row`, named keys `Named`, options
 * `Opts` and result `R`: the plain result; a `Map` per key with `by`; an array of periods with
 * `period`; a `Map` of period arrays (the same periods in every group) with both.
 */
export interface GroupedFunction<Row, Named extends string, Opts, R> {
  (
    rows: readonly (Row | Readonly<Record<string, unknown>>)[],
    ...options: Record<never, never> extends Opts ? [options?: Opts & Plain] : [options: Opts & Plain]
  ): R;
  (rows: readonly (Row | Readonly<Record<string, unknown>>)[], options: Opts & Periods): PeriodResult<R>[];
  (
    rows: readonly (Row | Readonly<Record<string, unknown>>)[],
    options: Opts & { by: Named; period?: undefined },
  ): Map<string | null, R>;
  <K>(
    rows: readonly (Row | Readonly<Record<string, unknown>>)[],
    options: Opts & { by: (row: Row, index: number) => K; period?: undefined },
  ): Map<K, R>;
  (
    rows: readonly (Row | Readonly<Record<string, unknown>>)[],
    options: Opts & { by: Named; period: Period },
  ): Map<string | null, PeriodResult<R>[]>;
  <K>(
    rows: readonly (Row | Readonly<Record<string, unknown>>)[],
    options: Opts & { by: (row: Row, index: number) => K; period: Period },
  ): Map<K, PeriodResult<R>[]>;
}

/**
 * Resolve a {@link TicketKey} (`"channel"`, `"priority"` or a function) to a key function of a ticket.
 *
 * @example
 * const [t] = parseTickets([{ ticketId: "T1", channel: "chat", createdAt: "2026-03-02T10:00:00Z" }]);
 * ticketKeyFunction("slaAdherence", "channel")(t!, 0) //=> "chat"
 */
export function ticketKeyFunction(fn: string, by: unknown): (t: Ticket, i: number) => unknown {
  if (by === "channel") return (t) => t.channel;
  if (by === "priority") return (t) => t.priority;
  if (typeof by === "function") return by as (t: Ticket, i: number) => unknown;
  return invalidOption(fn, "by", `"channel", "priority" or a function of a ticket`, by);
}

/**
 * Fold `rows` with `acc`, grouped as the options say. `key` and `at` read a row's group key and
 * instant; the accumulator receives each row with its position in `rows`. Returns the result, a
 * `Map` of results (`by`), an array of periods (`period`) or a `Map` of arrays (both).
 *
 * @example
 * const rows = [{ k: "a", at: new Date("2026-03-01T00:00:00Z"), x: 1 }, { k: "b", at: new Date("2026-03-02T00:00:00Z"), x: 3 }];
 * const acc = mapInput(momentsAccumulator(), (r: (typeof rows)[number]) => r.x);
 * runGrouped("demo", rows, acc, {}, (r) => r.k, (r) => r.at); //=> { n: 2, mean: 2, … }
 * (runGrouped("demo", rows, acc, { by: "channel" }, (r) => r.k, (r) => r.at) as Map<string, unknown>).size //=> 2
 */
export function runGrouped<T, S, Out>(
  fn: string,
  rows: readonly T[],
  acc: Accumulator<T, S, Out>,
  options: GroupingOptions,
  key: (row: T, index: number) => unknown,
  at: (row: T) => Date,
): unknown {
  const hasBy = options.by !== undefined;
  const hasPeriod = options.period !== undefined;
  if (!hasBy && !hasPeriod) {
    let s = acc.init();
    for (let i = 0; i < rows.length; i++) s = acc.add(s, rows[i] as T, i);
    return acc.result(s);
  }
  if (!hasPeriod) return groupBy(rows, key, acc, { order: "key" });
  const period = checkPeriod(fn, options.period);
  const cal = {
    period,
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.weekStartsOn !== undefined ? { weekStartsOn: options.weekStartsOn } : {}),
  };
  if (!hasBy) {
    return byPeriod(rows, { ...cal, at, ...bounds(options) }, acc);
  }
  // Both: the same periods in every group (from the earliest to the latest row overall).
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const ms = at(r).getTime();
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  const from = options.from ?? (rows.length ? min : undefined);
  const to = options.to ?? (rows.length ? max : undefined);
  if (from !== undefined) parseInstant(from, { fn, path: ["from"] });
  if (to !== undefined) parseInstant(to, { fn, path: ["to"] });
  type Wrapped = { row: T; index: number };
  const wrappedAcc: Accumulator<Wrapped, S, Out> = {
    init: acc.init,
    add: (s, w) => acc.add(s, w.row, w.index),
    merge: acc.merge,
    result: acc.result,
  };
  const groups = groupByState(
    rows,
    key,
    {
      init: (): Wrapped[] => [],
      add: (list: Wrapped[], row: T, index: number) => {
        list.push({ row, index });
        return list;
      },
      merge: (a: Wrapped[], b: Wrapped[]) => a.concat(b),
      result: (list: Wrapped[]) => list,
    },
    { order: "key" },
  );
  const out = new Map<unknown, PeriodResult<Out>[]>();
  for (const [k, list] of groups) {
    out.set(
      k,
      byPeriod(
        list,
        {
          ...cal,
          at: (w: Wrapped) => at(w.row),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        },
        wrappedAcc,
      ),
    );
  }
  return out;
}

function bounds(options: GroupingOptions): { from?: InstantInput; to?: InstantInput } {
  return {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
  };
}

/**
 * Period states for a stream whose first and last instants are not known in advance: the engine
 * of {@link byPeriodAsync} and of the CLI's streaming and worker folds.
 *
 * @module
 */
import type { Accumulator } from "./accumulator.js";
import type { PeriodResult } from "./by-period.js";
import {
  type CalendarOptions,
  type Period,
  addPeriods,
  locatePeriod,
  periodRange,
  periodStart,
} from "./time.js";

/**
 * Calendar-period states filled one row at a time: a `Map` from period start (epoch ms, computed
 * with {@link periodStart} in the time zone) to state, with a sorted index of the periods seen, so a
 * row needs calendar arithmetic only when it opens a new period. {@link StreamingPeriods.periodStates}
 * lists every period from the first to the last seen — or over an explicit `from`/`to` window —
 * with the empty ones filled, exactly as `byPeriod` does; states can be merged across instances
 * (partitions of a stream, worker threads) through {@link StreamingPeriods.entries}.
 *
 * @example
 * const p = new StreamingPeriods(npsAccumulator(), "month", { timeZone: "Europe/Berlin" });
 * p.add(Date.parse("2026-01-31T23:30:00Z"), 10, 0); // February in Berlin
 * p.add(Date.parse("2026-04-02T10:00:00Z"), 3, 1);
 * p.results().map((r) => [r.label, r.result.n]) //=> [["2026-02", 1], ["2026-03", 0], ["2026-04", 1]]
 */
export class StreamingPeriods<T, S, O> {
  private readonly states = new Map<number, S>();
  private starts: number[] = [];
  private ends: number[] = [];
  /** First and last instant added (epoch ms); merged entries count by their period start. */
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = Number.NEGATIVE_INFINITY;
  private readonly cal: Required<CalendarOptions>;

  /**
   * @param acc The accumulator folded per period.
   * @param period Calendar period.
   * @param calendar Time zone (default UTC) and week start (default Monday).
   */
  constructor(
    private readonly acc: Accumulator<T, S, O>,
    private readonly period: Period,
    calendar: CalendarOptions = {},
  ) {
    this.cal = { timeZone: calendar.timeZone ?? "UTC", weekStartsOn: calendar.weekStartsOn ?? 1 };
  }

  /** Add a row whose instant is `ms` (epoch milliseconds). */
  add(ms: number, row: T, index: number): void {
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
    const start = this.locate(ms);
    const s = this.states.get(start)!;
    const next = this.acc.add(s, row, index);
    if (next !== s) this.states.set(start, next);
  }

  private locate(ms: number): number {
    const { starts, ends } = this;
    // Largest known start <= ms (binary search); a hit when ms is before that period's end.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k >= 0 && ms < ends[k]!) return starts[k]!;
    const start = periodStart(ms, this.period, this.cal);
    const end = addPeriods(start, this.period, 1, this.cal);
    starts.splice(k + 1, 0, start);
    ends.splice(k + 1, 0, end);
    this.states.set(start, this.acc.init());
    return start;
  }

  /** The states of the periods seen, as `[period start (epoch ms), state]` (plain data, for a worker's reply). */
  entries(): [number, S][] {
    return [...this.states];
  }

  /** Merge states from {@link entries} of another instance with the same period and calendar. */
  mergeEntries(entries: Iterable<readonly [number, S]>): void {
    for (const [start, state] of entries) {
      if (start < this.minMs) this.minMs = start;
      if (start > this.maxMs) this.maxMs = start;
      const k = this.locate(start);
      this.states.set(k, this.acc.merge(this.states.get(k)!, state));
    }
  }

  /**
   * The period states in order: every period from the first to the last seen (empty ones filled),
   * or from the period of `window.from` to that of `window.to` where given — periods outside the
   * window are left out, as `byPeriod` leaves out rows outside an explicit `from`/`to`.
   */
  periodStates(
    window: { from?: number; to?: number } = {},
  ): { start: Date; end: Date; label: string; state: S }[] {
    // as byPeriod: from the first instant (or `from`) to the last (or `to`), compared as instants
    const min = window.from ?? this.minMs;
    const max = window.to ?? this.maxMs;
    if (!(min <= max)) return [];
    const grid = periodRange(min, max, this.period, this.cal);
    const slots: S[] = grid.labels.map(() => this.acc.init());
    const index = new Map(grid.starts.map((s, k) => [s, k]));
    for (const [start, state] of this.states) {
      const k = index.get(start) ?? locatePeriod(grid.starts, start);
      if (k < 0 || k >= slots.length) continue;
      // Same start as the grid's (the usual case): the state as folded; otherwise merge into the slot.
      slots[k] = index.has(start) ? state : this.acc.merge(slots[k]!, state);
    }
    return grid.labels.map((label, k) => ({
      start: new Date(grid.starts[k]!),
      end: new Date(grid.starts[k + 1]!),
      label,
      state: slots[k]!,
    }));
  }

  /** The period results in order, like `byPeriod` (see {@link periodStates} for `window`). */
  results(window: { from?: number; to?: number } = {}): PeriodResult<O>[] {
    return this.periodStates(window).map((p) => ({
      start: p.start,
      end: p.end,
      label: p.label,
      result: this.acc.result(p.state),
    }));
  }
}

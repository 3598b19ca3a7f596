/**
 * On-time rate of appointments: the share of meetings, call-backs or visits that started when
 * promised (within a grace period) — the "meetings kept on time" of service promises.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import { type InstantInput, parseInstant } from "../core/time.js";
import type { Warning } from "../core/values.js";
import { type Appointment, appointmentSchema } from "../schemas/ticket.js";
import { type Duration, durationMs } from "./duration.js";
import { type GroupedFunction, type GroupingOptions, runGrouped } from "./grouping.js";
import { readRecords } from "./read-records.js";

/** Options of {@link onTimeRateAccumulator}. */
export interface OnTimeRateAccumulatorOptions {
  /** Allowed delay: started ≤ scheduled + grace is on time. Default 0; a bare number is minutes. */
  grace?: Duration | undefined;
  /**
   * When the data were exported: an appointment not started by scheduled + grace < asOf is `missed`.
   * Without `asOf`, appointments not started are `pending`.
   */
  asOf?: InstantInput | undefined;
}

/** Options for {@link onTimeRate}. `by` takes `"channel"` or a function of the appointment. */
export interface OnTimeRateOptions extends OnTimeRateAccumulatorOptions, Omit<GroupingOptions, "by"> {
  by?: "channel" | ((appointment: Appointment, index: number) => unknown) | undefined;
}

/** Result of {@link onTimeRate}. Counts are appointments. */
export interface OnTimeRateResult {
  /** Started at or before scheduled + grace (early starts are on time). */
  onTime: number;
  /** Started after scheduled + grace. */
  late: number;
  /** Not started, and scheduled + grace < asOf. */
  missed: number;
  /** Not started, and not yet overdue at asOf (or no asOf): left out. */
  pending: number;
  /** Canceled ahead of time: left out. */
  canceled: number;
  /** onTime / (onTime + late + missed), a share 0–1; `null` when 0 (see `nullReason`). */
  rate: number | null;
  /** onTime + late + missed. */
  n: number;
  /** Mean delay of the started ones (started − scheduled; negative = early), in minutes; `null` when none. */
  meanDelayMinutes: number | null;
  /** Left out, by reason. */
  excluded: { pending: number; canceled: number };
  /** The grace used, in milliseconds. */
  graceMs: number;
  nullReason: string | null;
  warnings: Warning[];
}

/** State of {@link onTimeRateAccumulator} (plain JSON). */
export interface OnTimeState {
  onTime: number;
  late: number;
  missed: number;
  pending: number;
  canceled: number;
  started: number;
  delaySum: number;
}

/**
 * The on-time rate as an accumulator of appointments (merge = concatenation).
 *
 * @example
 * const appointments = parseAppointments([
 *   { appointmentId: "A1", scheduledAt: "2026-03-02T10:00:00Z", startedAt: "2026-03-02T10:03:00Z" },
 *   { appointmentId: "A2", scheduledAt: "2026-03-02T11:00:00Z", startedAt: "2026-03-02T11:20:00Z" },
 *   { appointmentId: "A3", scheduledAt: "2026-03-03T09:00:00Z", canceled: true },
 *   { appointmentId: "A4", scheduledAt: "2026-03-09T09:00:00Z" },
 * ]);
 * // A1 started 3 min late (within the grace), A2 20 min late; A3 canceled; A4 not started (pending without asOf)
 * fold(appointments, onTimeRateAccumulator({ grace: { minutes: 5 } }))
 * //=> { onTime: 1, late: 1, missed: 0, pending: 1, canceled: 1, rate: 0.5, meanDelayMinutes: 11.5, … }
 */
export function onTimeRateAccumulator(
  options?: OnTimeRateAccumulatorOptions,
): Accumulator<Appointment, OnTimeState, OnTimeRateResult> {
  const fn = "onTimeRate";
  const graceMs = options?.grace === undefined ? 0 : durationMs(fn, "grace", options.grace, "minutes");
  const asOfMs = options?.asOf === undefined ? null : parseInstant(options.asOf, { fn, path: ["asOf"] });
  return {
    init: () => ({ onTime: 0, late: 0, missed: 0, pending: 0, canceled: 0, started: 0, delaySum: 0 }),
    add: (s, a) => {
      if (a.canceled) {
        s.canceled++;
        return s;
      }
      const scheduled = a.scheduledAt.getTime();
      if (a.startedAt !== null) {
        const delay = a.startedAt.getTime() - scheduled;
        s.started++;
        s.delaySum += delay;
        if (delay <= graceMs) s.onTime++;
        else s.late++;
      } else if (asOfMs !== null && asOfMs - scheduled > graceMs) s.missed++;
      else s.pending++;
      return s;
    },
    merge: (a, b) => {
      a.onTime += b.onTime;
      a.late += b.late;
      a.missed += b.missed;
      a.pending += b.pending;
      a.canceled += b.canceled;
      a.started += b.started;
      a.delaySum += b.delaySum;
      return a;
    },
    result: (s) => {
      const n = s.onTime + s.late + s.missed;
      const warnings: Warning[] = [];
      if (asOfMs === null && s.pending > 0)
        warnings.push({
          code: "as_of_missing",
          message: `${s.pending} appointment(s) not started counted as pending; pass asOf to count the overdue ones as missed`,
        });
      return {
        onTime: s.onTime,
        late: s.late,
        missed: s.missed,
        pending: s.pending,
        canceled: s.canceled,
        rate: n === 0 ? null : s.onTime / n,
        n,
        meanDelayMinutes: s.started === 0 ? null : s.delaySum / s.started / 60_000,
        excluded: { pending: s.pending, canceled: s.canceled },
        graceMs,
        nullReason: n === 0 ? "no appointment started or missed: the rate has a zero denominator" : null,
        warnings,
      };
    },
  };
}

/**
 * On-time rate: appointments that started by their scheduled time plus `grace`, over those that
 * started or were missed. A start exactly at scheduled + grace is on time. Canceled appointments
 * and those not started but not yet overdue at `asOf` are left out (counted in `excluded`).
 *
 * Raw records are validated with `appointmentSchema` (see `parseAppointments`).
 *
 * @see Parasuraman, Zeithaml & Berry (1988), "SERVQUAL", Journal of Retailing 64(1): reliability —
 *   "performing the promised service dependably", of which keeping appointment times is one item.
 * @throws {InvalidInputError} `invalid_option` (grace), `invalid_time` (asOf), schema issues for raw records.
 * @example
 * const appointments = parseAppointments([
 *   { appointmentId: "A1", scheduledAt: "2026-03-02T10:00:00Z", startedAt: "2026-03-02T10:03:00Z" },
 *   { appointmentId: "A2", scheduledAt: "2026-03-02T11:00:00Z", startedAt: "2026-03-02T11:20:00Z" },
 *   { appointmentId: "A3", scheduledAt: "2026-03-03T09:00:00Z", canceled: true },
 *   { appointmentId: "A4", scheduledAt: "2026-03-09T09:00:00Z" },
 * ]);
 * // by asOf, A4 is overdue and counts as missed
 * onTimeRate(appointments, { grace: { minutes: 5 }, asOf: "2026-03-10T00:00:00Z" }) //=> { onTime: 1, late: 1, missed: 1, rate: 0.3333333333333333, … }
 */
export const onTimeRate = function onTimeRate(
  appointments: readonly (Appointment | Readonly<Record<string, unknown>>)[],
  options?: OnTimeRateOptions,
): unknown {
  const fn = "onTimeRate";
  const opts: OnTimeRateOptions = options ?? {};
  const acc = onTimeRateAccumulator(opts);
  const list = readRecords(
    fn,
    appointments,
    appointmentSchema,
    "appointments",
    (r) =>
      r.scheduledAt instanceof Date &&
      !Number.isNaN(r.scheduledAt.getTime()) &&
      (r.startedAt === null || r.startedAt instanceof Date) &&
      typeof r.canceled === "boolean",
  );
  let keyFn: (a: Appointment, i: number) => unknown = () => null;
  if (opts.by === "channel") keyFn = (a) => a.channel;
  else if (typeof opts.by === "function") keyFn = opts.by;
  else if (opts.by !== undefined)
    invalidOption(fn, "by", `"channel" or a function of an appointment`, opts.by);
  return runGrouped(fn, list, acc, opts as GroupingOptions, keyFn, (a) => a.scheduledAt);
} as GroupedFunction<Appointment, "channel", Omit<OnTimeRateOptions, "by" | "period">, OnTimeRateResult>;

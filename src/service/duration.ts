/**
 * Durations and time units of the service metrics: SLA targets, reopen windows, grace periods,
 * and the unit response times are reported in. Elapsed wall-clock time (no business-hours calendar).
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";

/** Units a duration can be reported in. */
export type TimeUnit = "milliseconds" | "seconds" | "minutes" | "hours" | "days";

/**
 * Milliseconds in one of each {@link TimeUnit} (a day is 24 elapsed hours).
 *
 * @example
 * UNIT_MS.hours //=> 3600000
 */
export const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  milliseconds: 1,
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/**
 * A length of elapsed time:
 * - an object `{ days?, hours?, minutes?, seconds?, milliseconds? }` (summed; `{ hours: 4 }`);
 * - an ISO-8601 duration string of days and time (`"P7D"`, `"PT4H"`, `"PT1H30M"`, `"PT0.5S"`; no
 *   years, months or weeks, whose length varies);
 * - a bare number, read in the unit each option documents (SLA `target`: hours; `reopenWindow`:
 *   days; `grace`: minutes).
 */
export type Duration =
  | number
  | string
  | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };

const ISO_RE =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const PARTS = ["days", "hours", "minutes", "seconds", "milliseconds"] as const;

/**
 * Convert a {@link Duration} to milliseconds (≥ 0, finite). Throws `invalid_option` naming the option.
 *
 * @param fn function name for messages
 * @param name option name for messages
 * @param d the duration
 * @param numberUnit the unit of a bare number
 * @example
 * durationMs("slaAdherence", "target", { hours: 4 }, "hours") //=> 14400000
 */
export function durationMs(fn: string, name: string, d: unknown, numberUnit: TimeUnit): number {
  const expected = `a duration ≥ 0: a number of ${numberUnit}, an ISO-8601 duration such as "PT4H", or { hours: 4 }`;
  let ms: number;
  if (typeof d === "number") ms = d * UNIT_MS[numberUnit];
  else if (typeof d === "string") {
    const m = ISO_RE.exec(d.trim());
    if (!m || d.trim() === "P" || d.trim().endsWith("T")) return invalidOption(fn, name, expected, d);
    ms =
      Number(m[1] ?? 0) * UNIT_MS.days +
      Number(m[2] ?? 0) * UNIT_MS.hours +
      Number(m[3] ?? 0) * UNIT_MS.minutes +
      Number(m[4] ?? 0) * UNIT_MS.seconds;
  } else if (typeof d === "object" && d !== null && !Array.isArray(d)) {
    const o = d as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 0 || keys.some((k) => !(PARTS as readonly string[]).includes(k)))
      return invalidOption(fn, name, expected, d);
    ms = 0;
    for (const k of PARTS) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isFinite(v))
        return invalidOption(fn, `${name}.${k}`, "a finite number", v);
      ms += v * UNIT_MS[k];
    }
  } else return invalidOption(fn, name, expected, d);
  if (!Number.isFinite(ms) || ms < 0) return invalidOption(fn, name, expected, d);
  return ms;
}

/**
 * Validate a {@link TimeUnit} option: return it, or throw `InvalidInputError` code `invalid_option`.
 *
 * @example
 * checkUnit("responseTimes", "minutes") //=> "minutes"
 */
export function checkUnit(fn: string, unit: unknown): TimeUnit {
  if (typeof unit !== "string" || !Object.hasOwn(UNIT_MS, unit))
    return invalidOption(fn, "unit", `one of ${Object.keys(UNIT_MS).join(", ")}`, unit);
  return unit as TimeUnit;
}

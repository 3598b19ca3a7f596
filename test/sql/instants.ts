/**
 * Random instants for the subscription pipelines' property tests: on a period boundary or a DST
 * change of 2025 (± 0, 1 ms, 30 min, 1 h) in five zones, or anywhere on a 30-minute grid (every
 * zone's period boundaries lie on it). Not a test file.
 */
import fc from "fast-check";
import { periodRange } from "../../src/core/time.js";

export const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Period boundaries from Dec 2024 to Jan 2026 in every zone (months and Monday weeks): DST changes fall between them. */
const BOUNDARIES = [
  ...new Set(
    ZONES.flatMap((timeZone) =>
      (["month", "week"] as const).flatMap(
        (p) => periodRange(Date.UTC(2024, 11, 1), Date.UTC(2026, 0, 31), p, { timeZone }).starts,
      ),
    ),
  ),
].sort((a, b) => a - b);
/** DST changes of 2025: Berlin (Mar 30, Oct 26), New York (Mar 9, Nov 2), Lord Howe (Apr 6, Oct 5). */
const DST = [
  "2025-03-30T01:00:00Z",
  "2025-10-26T01:00:00Z",
  "2025-03-09T07:00:00Z",
  "2025-11-02T06:00:00Z",
  "2025-04-05T15:00:00Z",
  "2025-10-04T15:30:00Z",
].map((s) => Date.parse(s));
/** Offsets from a boundary or DST change (the default of {@link instantIn}). */
export const DELTAS = [0, 0, 1, -1, 30 * 60_000, -30 * 60_000, HOUR, -HOUR];

/** An instant (epoch ms) in [lo, hi): near a boundary or DST change (`deltas` away), or on the 30-minute grid. */
export function instantIn(lo: number, hi: number, deltas: readonly number[] = DELTAS): fc.Arbitrary<number> {
  const special = [...BOUNDARIES, ...DST].filter((t) => t >= lo && t < hi);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...special), fc.constantFrom(...deltas)).map(([t, d]) => t + d),
    fc.integer({ min: 0, max: Math.floor((hi - lo) / (30 * 60_000)) - 1 }).map((h) => lo + h * 30 * 60_000),
  );
}

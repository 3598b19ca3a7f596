/**
 * Activity events: one row per thing a user did (Amplitude / Mixpanel style), the input of
 * N-period retention (`cohortRetention` from events). Parsed records keep the instant as a `Date`.
 * Snake_case aliases `user_id`, `occurred_at`, `event_type` are accepted.
 *
 * @module
 */
import { z } from "zod";
import { type SafeParseResult, safeParseRecords } from "./parse.js";
import { instantSchema } from "./subscription.js";

const ALIASES: readonly (readonly [string, string])[] = [
  ["user_id", "userId"],
  ["occurred_at", "occurredAt"],
  ["event_type", "eventType"],
];

function aliasKeys(v: unknown): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const [snake, camel] of ALIASES) {
    if (Object.hasOwn(o, snake) && !Object.hasOwn(o, camel)) {
      copy ??= { ...o };
      copy[camel] = o[snake];
    }
  }
  return copy ?? v;
}

/**
 * zod schema of one activity event: `userId` (string or integer → string), `occurredAt` (ISO
 * string with an offset, `Date` or epoch ms → `Date`), optional `eventType` (`null` when absent).
 *
 * @example
 * activityEventSchema.parse({ userId: 7, occurredAt: "2026-03-01T10:00:00+01:00" }).userId //=> "7"
 */
export const activityEventSchema = z.preprocess(
  aliasKeys,
  z.object({
    userId: z.union([z.string().min(1), z.number().int().transform(String)]),
    occurredAt: instantSchema,
    eventType: z
      .preprocess((v) => (v === "" ? null : v), z.string().nullable())
      .optional()
      .transform((v) => v ?? null),
  }),
);

/** A validated activity event. */
export type ActivityEvent = z.output<typeof activityEventSchema>;

/**
 * Validate activity events; `{ success: false, error }` lists every issue with index and path.
 *
 * @example
 * const r = safeParseActivityEvents([{ userId: "u1", occurredAt: "2026-03-01 10:00" }]);
 * r.success ? [] : r.error.issues.map((i) => [i.index, i.path, i.code]) //=> [[0, ["occurredAt"], "invalid_time"]]
 */
export function safeParseActivityEvents(input: unknown): SafeParseResult<ActivityEvent> {
  return safeParseRecords(activityEventSchema, input, "activity events");
}

/**
 * Validate activity events; throws `InvalidInputError` listing every issue (index, path).
 * @throws {InvalidInputError} `invalid_time` for an instant without an offset.
 * @example
 * parseActivityEvents([{ user_id: "u1", occurred_at: "2026-01-05T09:00:00Z" }])[0]?.occurredAt.getTime() //=> 1767603600000
 */
export function parseActivityEvents(input: unknown): ActivityEvent[] {
  const r = safeParseActivityEvents(input);
  if (!r.success) throw r.error;
  return r.data;
}

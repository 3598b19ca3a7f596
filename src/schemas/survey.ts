/**
 * Survey responses: one record per answered questionnaire (NPS, CSAT and CES answers, driver
 * ratings), validated with zod; every issue names the record index and the field path.
 *
 * What a parsed {@link SurveyResponse} holds:
 * - `id` (string; an integer id is turned into its decimal string);
 * - `submittedAt`: the instant as written (an ISO-8601 string with an offset such as
 *   `2026-03-29T03:00:00+02:00`; a `Date` or epoch-ms input is written as `toISOString()`), and
 *   `submittedAtMs`: the same instant as epoch milliseconds (use it to group by period: it is a
 *   number, cheap to compare, and independent of the offset it was written with);
 * - `respondentId`, `segment`, `channel` (one of {@link SURVEY_CHANNELS}), each `null` when absent;
 * - `nps` (integer 0–10), `csat` (integer 1–5), `ces` (integer 1–7, higher = easier), each `null`
 *   when not answered;
 * - `drivers`: attribute ratings by name (finite numbers), `{}` when absent. Keys are data: a driver
 *   named `__proto__` is kept as an own property.
 *
 * CSV rows: a record that has `submitted_at` and no `submittedAt` is read as a CSV row through
 * {@link surveyResponseFromCsvRow} (snake_case column names, numeric cells as strings, blank cells
 * meaning "not answered", `driver_<name>` columns as drivers). JSON-shaped records are strict: a
 * score must be a number.
 *
 * Speed: {@link parseSurveyResponses} validates each record with a hand-written check that uses
 * the same field rules as {@link surveyResponseSchema}; a record that fails it is re-validated by
 * the zod schema, so the issues reported are exactly zod's (property-tested).
 *
 * @module
 */
import { z } from "zod";
import { type InputIssue, InvalidInputError, formatValue } from "../core/errors.js";
import { tryParseInstant } from "../core/time.js";
import { type SafeParseResult, zodIssueToInputIssue } from "./parse.js";

/**
 * Channels a survey can be collected through.
 *
 * @example
 * SURVEY_CHANNELS.includes("in_app") //=> true
 */
export const SURVEY_CHANNELS = ["email", "web", "in_app", "phone", "sms", "chat", "other"] as const;
/** A survey channel. */
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

/**
 * Scales of the scored questions in a record: NPS 0–10, CSAT 1–5, CES 1–7 (higher = easier).
 *
 * @example
 * SURVEY_SCALES.ces //=> { min: 1, max: 7 }
 */
export const SURVEY_SCALES = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
} as const;

/** A validated survey response (see the module comment for each field). */
export interface SurveyResponse {
  id: string;
  /** The instant as written (ISO-8601 with an offset). */
  submittedAt: string;
  /** The same instant in epoch milliseconds. */
  submittedAtMs: number;
  respondentId: string | null;
  segment: string | null;
  channel: SurveyChannel | null;
  /** Likelihood to recommend, integer 0–10. */
  nps: number | null;
  /** Satisfaction, integer 1–5. */
  csat: number | null;
  /** Customer effort, integer 1–7, higher = easier. */
  ces: number | null;
  /** Driver ratings by name. */
  drivers: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Field rules, shared by the zod schema and the fast path. Each `check*` returns the parsed value
// or FAIL; each `problem*` says why (called only on failure, by the zod schema).
// ---------------------------------------------------------------------------------------------

const FAIL: unique symbol = Symbol("fail");
type Fail = typeof FAIL;
type Problem = { code: string; message: string; path?: (string | number)[] };

const CHANNEL_SET: ReadonlySet<string> = new Set(SURVEY_CHANNELS);

function checkId(v: unknown): string | Fail {
  if (typeof v === "string") return v.length > 0 ? v : FAIL;
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  return FAIL;
}
function problemId(name: string, v: unknown): Problem {
  if (v === undefined || v === null)
    return {
      code: "missing_value",
      message: `${name} is missing; expected a non-empty string or an integer`,
    };
  return {
    code: "invalid_type",
    message: `${name} is ${formatValue(v)}; expected a non-empty string or an integer`,
  };
}

function checkOptionalId(v: unknown): string | null | Fail {
  return v === undefined || v === null ? null : checkId(v);
}

function checkText(v: unknown): string | null | Fail {
  if (v === undefined || v === null) return null;
  return typeof v === "string" && v.length > 0 ? v : FAIL;
}
function problemText(name: string, v: unknown): Problem {
  return {
    code: "invalid_type",
    message: `${name} is ${formatValue(v)}; expected a non-empty string or null`,
  };
}

function checkChannel(v: unknown): SurveyChannel | null | Fail {
  if (v === undefined || v === null) return null;
  return typeof v === "string" && CHANNEL_SET.has(v) ? (v as SurveyChannel) : FAIL;
}
function problemChannel(v: unknown): Problem {
  return {
    code: typeof v === "string" ? "out_of_range" : "invalid_type",
    message: `channel is ${formatValue(v)}; expected one of ${SURVEY_CHANNELS.join(", ")} or null`,
  };
}

function checkScore(v: unknown, min: number, max: number): number | null | Fail {
  if (v === undefined || v === null) return null;
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : FAIL;
}
function problemScore(name: string, v: unknown, min: number, max: number): Problem {
  const expected = `an integer from ${min} to ${max} or null (not answered)`;
  let code = "out_of_range";
  if (typeof v !== "number") code = "invalid_type";
  else if (!Number.isFinite(v)) code = "non_finite_value";
  else if (!Number.isInteger(v)) code = "not_an_integer";
  return { code, message: `${name} is ${formatValue(v)}; expected ${expected}` };
}

/** Largest |epoch ms| a `Date` can hold. */
const MAX_DATE_MS = 8.64e15;

interface Instant {
  text: string;
  ms: number;
}
function checkInstant(v: unknown): Instant | Fail {
  if (v === undefined || v === null) return FAIL;
  const r = tryParseInstant(v);
  if (!("ms" in r) || !(Math.abs(r.ms) <= MAX_DATE_MS)) return FAIL;
  return { text: typeof v === "string" ? v : new Date(r.ms).toISOString(), ms: r.ms };
}
function problemInstant(v: unknown): Problem {
  if (v === undefined || v === null)
    return {
      code: "missing_value",
      message: "submittedAt is missing; expected an ISO-8601 instant with an offset",
    };
  const r = tryParseInstant(v);
  if ("error" in r) return { code: "invalid_time", message: `submittedAt ${r.error}` };
  return {
    code: "invalid_time",
    message: `submittedAt is ${formatValue(v)}; outside the range of dates (±8.64e15 ms from 1970)`,
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Set an own data property (a key named `__proto__` stays data). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

function checkDrivers(v: unknown): Record<string, number> | Fail {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v) || v instanceof Date) return FAIL;
  const out: Record<string, number> = {};
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x !== "number" || !Number.isFinite(x)) return FAIL;
    setOwn(out, key, x);
  }
  return out;
}
function problemsDrivers(v: unknown): Problem[] {
  if (!isPlainObject(v) || v instanceof Date) {
    return [
      {
        code: "invalid_type",
        message: `drivers is ${formatValue(v)}; expected an object of ratings by driver name`,
      },
    ];
  }
  const out: Problem[] = [];
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x === "number" && Number.isFinite(x)) continue;
    out.push({
      path: [key],
      code: typeof x === "number" ? "non_finite_value" : "invalid_type",
      message: `driver rating ${JSON.stringify(key)} is ${formatValue(x)}; expected a finite number`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV rows
// ---------------------------------------------------------------------------------------------

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A CSV cell: blank → `undefined` (not answered), a number literal → number, anything else unchanged. */
function cellNumber(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  if (s === "") return undefined;
  return NUMBER_RE.test(s) ? Number(s) : v;
}
function cellText(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim(); // " smb " and "smb" are one segment, as numeric cells are trimmed too
  return t === "" ? undefined : t;
}

/**
 * Map a CSV row (column names as in `responses.csv`) to the record shape {@link surveyResponseSchema}
 * validates. Columns: `response_id` → `id`, `submitted_at` → `submittedAt`, `respondent_id` →
 * `respondentId`, `segment`, `channel`, `nps`, `csat`, `ces`, and every `driver_<name>` column →
 * `drivers[<name>]`. Numeric cells are strings in a CSV: a number literal becomes a number, a blank
 * cell means "not answered" (absent), any other text is left as it is so validation reports it.
 * camelCase names are accepted too when the snake_case one is absent. Other columns are dropped.
 * The row is not mutated.
 *
 * @example
 * surveyResponseFromCsvRow({ response_id: "R1", submitted_at: "2026-01-01T00:00:00+01:00", nps: "9", csat: "", driver_speed: "4" })
 * //=> { id: "R1", submittedAt: "2026-01-01T00:00:00+01:00", nps: 9, drivers: { speed: 4 } }
 */
export function surveyResponseFromCsvRow(row: Record<string, unknown>): Record<string, unknown> {
  const pick = (snake: string, camel: string): unknown =>
    Object.hasOwn(row, snake) ? row[snake] : row[camel];
  const out: Record<string, unknown> = {};
  const put = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v;
  };
  put("id", cellText(pick("response_id", "id")));
  put("submittedAt", cellText(pick("submitted_at", "submittedAt")));
  put("respondentId", cellText(pick("respondent_id", "respondentId")));
  put("segment", cellText(row.segment));
  put("channel", cellText(row.channel));
  put("nps", cellNumber(row.nps));
  put("csat", cellNumber(row.csat));
  put("ces", cellNumber(row.ces));
  let drivers: Record<string, unknown> | null = null;
  for (const key of Object.keys(row)) {
    if (key.startsWith("driver_") && key.length > 7) {
      const v = cellNumber(row[key]);
      if (v === undefined) continue;
      drivers ??= {};
      setOwn(drivers, key.slice(7), v);
    }
  }
  if (drivers === null && row.drivers !== undefined) drivers = row.drivers as Record<string, unknown>;
  if (drivers !== null) out.drivers = drivers;
  return out;
}

function isCsvShaped(v: Record<string, unknown>): boolean {
  return Object.hasOwn(v, "submitted_at") && !Object.hasOwn(v, "submittedAt");
}

function normalizeInput(v: unknown): unknown {
  return isPlainObject(v) && isCsvShaped(v) ? surveyResponseFromCsvRow(v) : v;
}

// ---------------------------------------------------------------------------------------------
// zod schema
// ---------------------------------------------------------------------------------------------

function field<T>(check: (v: unknown) => T | Fail, problems: (v: unknown) => Problem | Problem[]) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx): T => {
      const r = check(v);
      if (r !== FAIL) return r as T;
      const ps = problems(v);
      for (const p of Array.isArray(ps) ? ps : [ps]) {
        ctx.addIssue({
          code: "custom",
          message: p.message,
          params: { code: p.code },
          input: v,
          ...(p.path ? { path: p.path } : {}),
        });
      }
      return z.NEVER;
    });
}

const { nps: NPS, csat: CSAT, ces: CES } = SURVEY_SCALES;

/**
 * zod schema of one survey response (input: the record shape or a CSV row, see the module
 * comment; output: {@link SurveyResponse}). Custom issues carry the cxmetrics code in
 * `params.code` (`missing_value`, `invalid_type`, `invalid_time`, `out_of_range`,
 * `not_an_integer`, `non_finite_value`).
 *
 * @example
 * surveyResponseSchema.parse({ id: "R1", submittedAt: "2026-03-01T10:00:00+01:00", nps: 9 }).submittedAtMs //=> 1772355600000
 */
export const surveyResponseSchema: z.ZodType<SurveyResponse, unknown> = z.preprocess(
  normalizeInput,
  z
    .object({
      id: field(checkId, (v) => problemId("id", v)),
      submittedAt: field(checkInstant, problemInstant),
      respondentId: field(checkOptionalId, (v) => problemId("respondentId", v)),
      segment: field(checkText, (v) => problemText("segment", v)),
      channel: field(checkChannel, problemChannel),
      nps: field(
        (v) => checkScore(v, NPS.min, NPS.max),
        (v) => problemScore("nps", v, NPS.min, NPS.max),
      ),
      csat: field(
        (v) => checkScore(v, CSAT.min, CSAT.max),
        (v) => problemScore("csat", v, CSAT.min, CSAT.max),
      ),
      ces: field(
        (v) => checkScore(v, CES.min, CES.max),
        (v) => problemScore("ces", v, CES.min, CES.max),
      ),
      drivers: field(checkDrivers, problemsDrivers),
    })
    .transform(
      (r): SurveyResponse => ({
        id: r.id,
        submittedAt: r.submittedAt.text,
        submittedAtMs: r.submittedAt.ms,
        respondentId: r.respondentId,
        segment: r.segment,
        channel: r.channel,
        nps: r.nps,
        csat: r.csat,
        ces: r.ces,
        drivers: r.drivers,
      }),
    ),
);

// ---------------------------------------------------------------------------------------------
// Fast path
// ---------------------------------------------------------------------------------------------

/**
 * Validate one record with the same rules as {@link surveyResponseSchema}, without zod. Returns the
 * parsed record, or `undefined` when the record has any problem (then ask the zod schema why).
 *
 * @example
 * fastParseSurveyResponse({ id: "R1", submittedAt: "2026-01-01T00:00:00Z", nps: 9 })?.submittedAtMs //=> 1767225600000
 * fastParseSurveyResponse({ id: "R1", submittedAt: "2026-01-01T00:00:00Z", nps: 11 }) //=> undefined
 */
export function fastParseSurveyResponse(input: unknown): SurveyResponse | undefined {
  if (!isPlainObject(input)) return undefined;
  const v = isCsvShaped(input) ? surveyResponseFromCsvRow(input) : input;
  const id = checkId(v.id);
  if (id === FAIL) return undefined;
  const at = checkInstant(v.submittedAt);
  if (at === FAIL) return undefined;
  const respondentId = checkOptionalId(v.respondentId);
  if (respondentId === FAIL) return undefined;
  const segment = checkText(v.segment);
  if (segment === FAIL) return undefined;
  const channel = checkChannel(v.channel);
  if (channel === FAIL) return undefined;
  const nps = checkScore(v.nps, NPS.min, NPS.max);
  if (nps === FAIL) return undefined;
  const csat = checkScore(v.csat, CSAT.min, CSAT.max);
  if (csat === FAIL) return undefined;
  const ces = checkScore(v.ces, CES.min, CES.max);
  if (ces === FAIL) return undefined;
  const drivers = checkDrivers(v.drivers);
  if (drivers === FAIL) return undefined;
  return {
    id,
    submittedAt: at.text,
    submittedAtMs: at.ms,
    respondentId,
    segment,
    channel,
    nps,
    csat,
    ces,
    drivers,
  };
}

/**
 * Validate survey responses. Returns `{ success: true, data }` with new records (the input is not
 * mutated) or `{ success: false, error }` whose `InvalidInputError.issues` list every problem of
 * every record with its index and path — exactly the issues `surveyResponseSchema` reports.
 *
 * @example
 * safeParseSurveyResponses([{ id: "R1", submittedAt: "2026-03-01T10:00:00", nps: 9 }]).success //=> false (no offset)
 */
export function safeParseSurveyResponses(input: unknown): SafeParseResult<SurveyResponse> {
  if (!Array.isArray(input)) {
    return {
      success: false,
      error: new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "invalid_type",
            message: `expected an array of survey responses, found ${formatValue(input)}`,
          },
        ],
        { context: "parse survey responses" },
      ),
    };
  }
  const n = input.length;
  const out: SurveyResponse[] = new Array(n);
  let issues: InputIssue[] | null = null;
  for (let i = 0; i < n; i++) {
    const rec = input[i];
    const fast = fastParseSurveyResponse(rec);
    if (fast !== undefined) {
      out[i] = fast;
      continue;
    }
    const r = surveyResponseSchema.safeParse(rec);
    if (r.success) {
      // Should not happen (the fast path accepts whatever the schema accepts); trust zod.
      out[i] = r.data;
      continue;
    }
    issues ??= [];
    for (const issue of r.error.issues) issues.push(zodIssueToInputIssue(issue, i));
  }
  if (issues !== null) {
    return {
      success: false,
      error: new InvalidInputError(issues, { context: "parse survey responses", code: "invalid_record" }),
    };
  }
  return { success: true, data: out };
}

/**
 * Validate survey responses; throws an `InvalidInputError` (code `invalid_record`) listing every
 * issue with its record index and path.
 *
 * @throws {InvalidInputError} when `input` is not an array or any record is invalid.
 * @example
 * parseSurveyResponses([{ id: "R1", submittedAt: "2026-03-01T10:00:00+01:00", nps: 9, csat: 4 }])[0].nps //=> 9
 */
export function parseSurveyResponses(input: unknown): SurveyResponse[] {
  const r = safeParseSurveyResponses(input);
  if (!r.success) throw r.error;
  return r.data;
}

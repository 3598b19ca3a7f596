/**
 * Survey-response schema and parsers: the record shape, CSV rows, every issue code with index and
 * path, the fast path agreeing with the zod schema (property test), and a seeded fuzz test.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../../src/core/errors.js";
import { zodIssueToInputIssue } from "../../src/schemas/parse.js";
import {
  fastParseSurveyResponse,
  parseSurveyResponses,
  safeParseSurveyResponses,
  surveyResponseFromCsvRow,
  surveyResponseSchema,
} from "../../src/schemas/survey.js";

const valid = {
  id: "R1",
  submittedAt: "2026-03-29T03:00:00+02:00",
  respondentId: "u-7",
  segment: "smb",
  channel: "in_app",
  nps: 9,
  csat: 4,
  ces: 6,
  drivers: { speed: 4, value: 3.5 },
};

function issuesOf(input: unknown) {
  const r = safeParseSurveyResponses(input);
  if (r.success) throw new Error("expected failure");
  return r.error.issues;
}

describe("surveyResponseSchema / parseSurveyResponses", () => {
  it("parses the record shape into new records with the instant as written plus epoch ms", () => {
    const input = [valid, { id: 42, submittedAt: "2026-01-01T00:00:00Z" }];
    const copy = structuredClone(input);
    const [a, b] = parseSurveyResponses(input);
    expect(a).toEqual({ ...valid, submittedAtMs: Date.parse("2026-03-29T01:00:00Z") });
    expect(a!.drivers).not.toBe(valid.drivers);
    expect(b).toEqual({
      id: "42",
      submittedAt: "2026-01-01T00:00:00Z",
      submittedAtMs: Date.parse("2026-01-01T00:00:00Z"),
      respondentId: null,
      segment: null,
      channel: null,
      nps: null,
      csat: null,
      ces: null,
      drivers: {},
    });
    expect(input).toEqual(copy);
  });

  it("accepts a Date or epoch ms for the instant and writes it as ISO", () => {
    const [r] = parseSurveyResponses([{ id: "x", submittedAt: new Date(Date.UTC(2026, 0, 2)) }]);
    expect(r!.submittedAt).toBe("2026-01-02T00:00:00.000Z");
    expect(parseSurveyResponses([{ id: "x", submittedAt: 0 }])[0]!.submittedAtMs).toBe(0);
  });

  it("keys named __proto__ are data (segment value and driver name)", () => {
    const rec = JSON.parse(
      '{"id":"p","submittedAt":"2026-01-01T00:00:00Z","segment":"__proto__","drivers":{"__proto__":3,"x":1}}',
    );
    const [r] = parseSurveyResponses([rec]);
    expect(r!.segment).toBe("__proto__");
    expect(Object.keys(r!.drivers)).toEqual(["__proto__", "x"]);
    expect(Object.getOwnPropertyDescriptor(r!.drivers, "__proto__")?.value).toBe(3);
    expect(Object.getPrototypeOf(r!.drivers)).toBe(Object.prototype);
    expect(surveyResponseSchema.parse(rec)).toEqual(r);
  });

  it("reads CSV rows (snake_case, string cells, blanks = not answered, driver_* columns)", () => {
    const row = {
      response_id: "R00001",
      submitted_at: "2026-01-01T00:00:00+01:00",
      segment: "enterprise",
      channel: "email",
      nps: "7",
      csat: "4",
      ces: "",
      driver_quality: "3",
      driver_speed: " 5 ",
    };
    const [r] = parseSurveyResponses([row]);
    expect(r).toEqual({
      id: "R00001",
      submittedAt: "2026-01-01T00:00:00+01:00",
      submittedAtMs: Date.parse("2025-12-31T23:00:00Z"),
      respondentId: null,
      segment: "enterprise",
      channel: "email",
      nps: 7,
      csat: 4,
      ces: null,
      drivers: { quality: 3, speed: 5 },
    });
    expect(surveyResponseFromCsvRow(row)).toEqual({
      id: "R00001",
      submittedAt: "2026-01-01T00:00:00+01:00",
      segment: "enterprise",
      channel: "email",
      nps: 7,
      csat: 4,
      drivers: { quality: 3, speed: 5 },
    });
    const bad = issuesOf([row, { ...row, nps: "seven", driver_speed: "fast" }]);
    expect(bad.map((i) => [i.index, i.path, i.code])).toEqual([
      [1, ["nps"], "invalid_type"],
      [1, ["drivers", "speed"], "invalid_type"],
    ]);
  });

  it("lists every issue with index, path and a cxmetrics code", () => {
    const issues = issuesOf([
      valid,
      {
        ...valid,
        id: "",
        submittedAt: "2026-03-01T10:00:00",
        nps: 11,
        csat: 4.5,
        ces: Number.NaN,
        channel: "fax",
      },
      {
        ...valid,
        submittedAt: undefined,
        segment: 5,
        respondentId: {},
        drivers: { a: "x", b: Number.POSITIVE_INFINITY },
      },
      { ...valid, drivers: [1, 2], channel: 3 },
      "not a record",
      { submittedAt: "not a date", id: null },
    ]);
    const brief = issues.map((i) => [i.index, i.path.join("."), i.code]);
    expect(brief).toEqual([
      [1, "id", "invalid_type"],
      [1, "submittedAt", "invalid_time"],
      [1, "channel", "out_of_range"],
      [1, "nps", "out_of_range"],
      [1, "csat", "not_an_integer"],
      [1, "ces", "non_finite_value"],
      [2, "submittedAt", "missing_value"],
      [2, "respondentId", "invalid_type"],
      [2, "segment", "invalid_type"],
      [2, "drivers.a", "invalid_type"],
      [2, "drivers.b", "non_finite_value"],
      [3, "channel", "invalid_type"],
      [3, "drivers", "invalid_type"],
      [4, "", "invalid_type"],
      [5, "id", "missing_value"],
      [5, "submittedAt", "invalid_time"],
    ]);
    expect(issues[1]!.message).toMatch(/no UTC offset/);
    expect(issues[3]!.message).toBe("nps is 11; expected an integer from 0 to 10 or null (not answered)");
    expect(() => parseSurveyResponses([valid, { ...valid, nps: 11 }])).toThrow(/index 1 at nps: nps is 11/);
    try {
      parseSurveyResponses([{ ...valid, nps: 11 }]);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).code).toBe("invalid_record");
    }
  });

  it("rejects a non-array input", () => {
    expect(issuesOf({ id: 1 })).toEqual([
      {
        index: null,
        path: [],
        code: "invalid_type",
        message: "expected an array of survey responses, found an object",
      },
    ]);
    expect(parseSurveyResponses([])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The fast path reports exactly what zod reports
// ---------------------------------------------------------------------------------------------

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const oddValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(""),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.double(),
  fc.integer({ min: -20, max: 20 }),
  fc.constant({}),
  fc.constant([1]),
  fc.constant(new Date(Number.NaN)),
);
const instant = fc.oneof(
  fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
  fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => `${new Date(ms).toISOString().slice(0, 19)}+05:30`),
  fc.constant("2026-03-01T10:00:00"),
  fc.constant("2026-02-30T10:00:00Z"),
  fc.integer({ min: 0, max: 2e12 }),
  fc.constant(new Date(Date.UTC(2026, 2, 1))),
  oddValue,
);
const score = (min: number, max: number) =>
  fc.oneof(fc.integer({ min, max }), fc.integer({ min: min - 2, max: max + 2 }), fc.constant(null), oddValue);
const driverName = fc.oneof(
  fc.constantFrom("quality", "speed", "__proto__", "constructor", "toString", "a.b"),
  fc.string({ maxLength: 4 }),
);
const drivers = fc.oneof(
  fc.dictionary(
    driverName,
    fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    { maxKeys: 5 },
  ),
  fc.dictionary(driverName, oddValue, { maxKeys: 3 }),
  oddValue,
);
const recordShape = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), fc.double(), oddValue),
    submittedAt: instant,
    respondentId: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), oddValue),
    segment: fc.oneof(fc.constantFrom("smb", "__proto__", "enterprise"), oddValue),
    channel: fc.oneof(fc.constantFrom("email", "web", "in_app", "phone", "sms", "fax"), oddValue),
    nps: score(0, 10),
    csat: score(1, 5),
    ces: score(1, 7),
    drivers,
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const cell = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof(
    arb.map((v) => (typeof v === "number" ? String(v) : v)),
    fc.constantFrom("", " ", "x", "1e1", "4.0"),
  );
const csvShape = fc.record(
  {
    response_id: fc.oneof(fc.string({ maxLength: 5 }), oddValue),
    submitted_at: instant,
    segment: fc.oneof(fc.constantFrom("smb", "__proto__", ""), oddValue),
    channel: fc.constantFrom("email", "web", "", "fax"),
    nps: cell(score(0, 10)),
    csat: cell(score(1, 5)),
    ces: cell(score(1, 7)),
    driver_quality: cell(fc.integer({ min: 1, max: 5 })),
    driver___proto__: cell(fc.integer({ min: 1, max: 5 })),
  },
  { requiredKeys: ["submitted_at"] },
);
const anyRecord = fc.oneof(
  { weight: 5, arbitrary: recordShape },
  { weight: 3, arbitrary: csvShape },
  { weight: 1, arbitrary: fc.anything() },
);
const validRecord = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  submittedAt: fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
  segment: maybe(fc.constantFrom("smb", "__proto__")),
  nps: maybe(fc.integer({ min: 0, max: 10 })),
  csat: maybe(fc.integer({ min: 1, max: 5 })),
  ces: maybe(fc.integer({ min: 1, max: 7 })),
  drivers: maybe(fc.dictionary(driverName, fc.integer({ min: 1, max: 5 }), { maxKeys: 5 })),
});

describe("fast path = zod schema", () => {
  it("the generators produce both valid and invalid records (CSV-shaped ones too)", () => {
    const sample = fc.sample(fc.oneof(anyRecord, validRecord), { seed: 42, numRuns: 1000 });
    const ok = sample.filter((r) => fastParseSurveyResponse(r) !== undefined).length;
    expect(ok).toBeGreaterThan(150);
    expect(ok).toBeLessThan(850);
    const csv = fc.sample(csvShape, { seed: 42, numRuns: 500 });
    expect(csv.filter((r) => fastParseSurveyResponse(r) !== undefined).length).toBeGreaterThan(20);
  });

  it("per record: the fast path accepts exactly what zod accepts, with equal output", () => {
    fc.assert(
      fc.property(fc.oneof(anyRecord, validRecord), (rec) => {
        const fast = fastParseSurveyResponse(rec);
        const slow = surveyResponseSchema.safeParse(rec);
        if (fast === undefined) return !slow.success;
        expect(slow.success).toBe(true);
        expect(fast).toEqual(slow.data);
        expect(Object.keys(fast.drivers)).toEqual(Object.keys(slow.data!.drivers));
        return true;
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("per array: safeParseSurveyResponses reports exactly the issues of z.array(schema)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyRecord, validRecord), { maxLength: 8 }), (recs) => {
        const ours = safeParseSurveyResponses(recs);
        const zod = z.array(surveyResponseSchema).safeParse(recs);
        expect(ours.success).toBe(zod.success);
        if (ours.success && zod.success) expect(ours.data).toEqual(zod.data);
        if (!ours.success && !zod.success) {
          const expected = zod.error.issues.map((i) => {
            const [index, ...rest] = i.path;
            return zodIssueToInputIssue({ ...i, path: rest } as never, index as number);
          });
          expect(ours.error.issues).toEqual(expected);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("fuzz", () => {
  it("random JSON and values into the parsers: only InvalidInputError escapes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.array(fc.oneof(fc.jsonValue(), anyRecord), { maxLength: 6 }),
          fc.anything(),
        ),
        (input) => {
          try {
            parseSurveyResponses(input);
          } catch (e) {
            if (!(e instanceof InvalidInputError)) throw e;
          }
          const r = safeParseSurveyResponses(input);
          return r.success || r.error instanceof InvalidInputError;
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });
});

/**
 * src/cli/stream.ts in-process: readRecords (CSV and NDJSON, same records as loadTable), the
 * per-record survey validation (first bad record → row and column), StreamingPeriods / foldStream
 * equal to byPeriod / groupBy / fold on the same rows (property tests, several time zones and
 * periods; results must not depend on the process TZ), and the TTY-only progress line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, groupBy, mapInput } from "../../src/core/accumulator.js";
import { byPeriod } from "../../src/core/by-period.js";
import type { Period } from "../../src/core/time.js";
import { CliError, loadTable } from "../../src/cli/io.js";
import { StreamingPeriods } from "../../src/core/streaming-periods.js";
import {
  foldStream,
  formatBytes,
  readRecords,
  stderrProgress,
  streamFormat,
  surveyResponses,
} from "../../src/cli/stream.js";
import { npsAccumulator } from "../../src/survey/nps.js";

const tmp = () => mkdtempSync(join(tmpdir(), "cxm-stream-"));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("readRecords", () => {
  it("reads CSV records exactly as loadTable does (BOM, quotes, trimmed header, blank lines, __proto__ column)", async () => {
    const file = join(tmp(), "a.csv");
    writeFileSync(file, '\uFEFF a , b ,__proto__\n1,"x, ""y""",p\n\n2,,q\r\n3,"multi\nline",r\n');
    const streamed = await collect(readRecords(file, "csv", { highWaterMark: 4 }));
    expect(streamed).toEqual(loadTable(file).records);
    expect(Object.hasOwn(streamed[0]!, "__proto__")).toBe(true);
    expect(streamed.map((r) => r.b)).toEqual(['x, "y"', "", "multi\nline"]);
  });

  it("reads NDJSON lines, skipping blank ones, and names the line of bad JSON", async () => {
    const dir = tmp();
    const file = join(dir, "a.ndjson");
    writeFileSync(file, '{"a":1}\r\n\n  \n{"a":2}\n');
    expect(await collect(readRecords(file, "ndjson"))).toEqual([{ a: 1 }, { a: 2 }]);
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"a":1}\n\n{"a":\n');
    await expect(collect(readRecords(bad, "ndjson"))).rejects.toThrow(/bad\.jsonl: line 3: not valid JSON/);
  });

  it("turns unreadable files, empty files and ragged rows into CliErrors", async () => {
    const dir = tmp();
    await expect(collect(readRecords(join(dir, "missing.csv"), "csv"))).rejects.toThrow(
      /cannot read file \(ENOENT\)/,
    );
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "");
    await expect(collect(readRecords(empty, "csv"))).rejects.toThrow(/the file is empty/);
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "a,b\n1,2\n3\n");
    const e = await collect(readRecords(ragged, "csv")).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
  });

  it("reports progress (bytes, rows) and picks formats by extension", async () => {
    const file = join(tmp(), "p.csv");
    writeFileSync(file, `x\n${"1\n".repeat(5000)}`);
    const seen: { bytes: number; rows: number; totalBytes: number }[] = [];
    await collect(readRecords(file, "csv", { onProgress: (p) => seen.push(p), progressIntervalMs: 0 }));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ bytes: 10002, totalBytes: 10002, rows: 5000 });
    expect([
      streamFormat("a.CSV"),
      streamFormat("a.jsonl"),
      streamFormat("a.ndjson"),
      streamFormat("a.json"),
    ]).toEqual(["csv", "ndjson", "ndjson", null]);
  });
});

describe("surveyResponses", () => {
  it("validates each record and names row and column of the first bad one", async () => {
    const file = join(tmp(), "s.csv");
    writeFileSync(
      file,
      "response_id,submitted_at,segment,nps,driver_speed\nA,2026-01-01T00:00:00Z,smb,9,4\nB,2026-01-02T00:00:00Z,,,x\nC,2026-01-03,smb,3,\n",
    );
    const seen: string[] = [];
    const e = await (async () => {
      for await (const r of surveyResponses(file, "csv", readRecords(file, "csv"))) seen.push(r.id);
    })().catch((x: unknown) => x);
    expect(seen).toEqual(["A"]);
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).message).toMatch(/^s\.csv: row 3, column driver_speed: /);
    const ndjson = join(tmp(), "s.ndjson");
    writeFileSync(
      ndjson,
      '{"id":"A","submittedAt":"2026-01-01T00:00:00Z"}\n{"id":"B","submittedAt":"2026-01-01"}\n',
    );
    await expect(collect(surveyResponses(ndjson, "ndjson", readRecords(ndjson, "ndjson")))).rejects.toThrow(
      /s\.ndjson: record 2, column submitted_at: .*no UTC offset/,
    );
  });
});

interface Row {
  g: string;
  ms: number;
  score: number;
}

// Instants from 2026-02-01 over a span that keeps the series short (day: 120 days, across the
// DST changes of both hemispheres; week: 2 years; longer periods: 8 years).
const START = Date.parse("2026-02-01T00:00:00Z");
const SPAN: Record<Period, number> = { day: 120, week: 730, month: 2920, quarter: 2920, year: 2920 };
const rowArb = (period: Period) =>
  fc.record({
    g: fc.constantFrom("a", "b", "__proto__", "B"),
    ms: fc.integer({ min: START, max: START + SPAN[period] * 86_400_000 }),
    score: fc.integer({ min: 0, max: 10 }),
  });
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/Santiago",
];
const PERIOD_LIST: Period[] = ["day", "week", "month", "quarter", "year"];

describe("foldStream and StreamingPeriods", () => {
  const acc = mapInput(npsAccumulator({ ci: "wald" }), (r: Row) => r.score);

  it("equal fold + groupBy (key order) + byPeriod on the same rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...PERIOD_LIST)
          .chain((period) => fc.tuple(fc.constant(period), fc.array(rowArb(period), { maxLength: 200 }))),
        fc.constantFrom(...ZONES),
        fc.constantFrom(0, 1, 6),
        async ([period, rows], timeZone, weekStartsOn) => {
          const cal = { timeZone, weekStartsOn: weekStartsOn as 0 | 1 | 6 };
          async function* gen() {
            yield* rows;
          }
          const s = await foldStream(gen(), acc, {
            by: (r) => r.g,
            period: { at: (r) => r.ms, period, ...cal },
          });
          expect(s.n).toBe(rows.length);
          expect(s.overall).toEqual(fold(rows, acc));
          expect(s.groups).toEqual([...groupBy(rows, (r) => r.g, acc, { order: "key" })]);
          expect(s.periods).toEqual(byPeriod(rows, { at: (r) => r.ms, period, ...cal }, acc));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  }, 30_000);

  it("fills empty periods between the first and last, in any arrival order", () => {
    const p = new StreamingPeriods(acc, "month", { timeZone: "Europe/Berlin" });
    const at = (s: string) => Date.parse(s);
    p.add(at("2026-05-10T00:00:00Z"), { g: "a", ms: 0, score: 10 }, 0);
    p.add(at("2026-01-31T23:30:00Z"), { g: "a", ms: 0, score: 0 }, 1); // February in Berlin
    p.add(at("2026-05-11T00:00:00Z"), { g: "a", ms: 0, score: 9 }, 2);
    const out = p.results();
    expect(out.map((x) => [x.label, x.result.n])).toEqual([
      ["2026-02", 1],
      ["2026-03", 0],
      ["2026-04", 0],
      ["2026-05", 2],
    ]);
    expect(out[0]!.start.toISOString()).toBe("2026-01-31T23:00:00.000Z");
    expect(new StreamingPeriods(acc, "day").results()).toEqual([]);
  });

  it("without by or period returns empty groups and periods", async () => {
    const s = await foldStream([] as Row[], acc);
    expect(s).toEqual({ n: 0, overall: fold([], acc), groups: [], periods: [] });
  });
});

describe("progress on stderr", () => {
  it("draws only on a TTY, and clears its line at the end", () => {
    expect(stderrProgress("f.csv", { isTTY: false, write: () => true })).toBeUndefined();
    let out = "";
    const p = stderrProgress("f.csv", { isTTY: true, write: (s: string) => (out += s) })!;
    p.update({ bytes: 3 * 2 ** 30, totalBytes: 12 * 2 ** 30, rows: 1_234_567 });
    expect(out).toBe("\rf.csv: 3.0 GiB of 12.0 GiB (25%) · 1,234,567 rows\u001b[K");
    p.done();
    expect(out.endsWith("\r\u001b[K")).toBe(true);
    expect([formatBytes(900), formatBytes(1536), formatBytes(64 * 2 ** 20)]).toEqual([
      "900 B",
      "1.5 KiB",
      "64.0 MiB",
    ]);
  });
});

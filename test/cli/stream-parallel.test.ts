/**
 * The survey stream in worker threads (src/cli/stream-parallel.ts) against the single-thread stream
 * (readRecords → surveyResponses → foldStream, src/cli/stream.ts): the same results and the same
 * errors, with chunks of a few bytes so chunk boundaries fall everywhere — inside quoted fields with
 * embedded newlines, between the \r and \n of CRLF files, after a BOM — and problems in a later
 * chunk than the first. The chunker itself (src/cli/record-chunks.ts) is property-tested against
 * csv-parse on random quoted CSV. The CLI's `--workers` runs through run-cli.ts (dist/ when built:
 * the worker is loaded from the bundle there).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { surveyCommand } from "../../src/cli/commands/survey.js";
import {
  type SurveySettings,
  surveyAccumulator,
  surveyFoldOptions,
} from "../../src/cli/commands/survey-fold.js";
import { RecordChunker, csvLineBreaks, findCsvHeader } from "../../src/cli/record-chunks.js";
import { foldStream, readRecords, surveyResponses, type StreamFormat } from "../../src/cli/stream.js";
import {
  STREAM_WORKERS_THRESHOLD_BYTES,
  StreamWorkerPool,
  autoStreamWorkers,
  parallelSurveyFold,
} from "../../src/cli/stream-parallel.js";
import { runCli } from "./run-cli.js";

const SLOW = 60_000;
const DATA = "examples/data/responses.csv";
const tmp = () => mkdtempSync(join(tmpdir(), "cxm-par-"));

const SETTINGS: SurveySettings = {
  ci: "adjustedWald",
  level: 0.95,
  by: "segment",
  period: "month",
  timeZone: "Europe/Berlin",
};

let pool: StreamWorkerPool;
beforeAll(() => {
  pool = new StreamWorkerPool(2);
});
afterAll(async () => {
  await pool?.close();
});

type Outcome = { ok: unknown } | { error: string };

async function singleThread(file: string, format: StreamFormat, s = SETTINGS): Promise<Outcome> {
  try {
    const records = readRecords(file, format, { highWaterMark: 64 });
    return {
      ok: await foldStream(
        surveyResponses(file, format, records),
        surveyAccumulator(s.ci, s.level),
        surveyFoldOptions(s),
      ),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function workers(
  file: string,
  format: StreamFormat,
  chunkBytes: number,
  s = SETTINGS,
  highWaterMark = 13,
): Promise<Outcome> {
  try {
    const r = await parallelSurveyFold(file, format, s, { workers: 2, pool, chunkBytes, highWaterMark });
    return r === null ? { error: "fell back to one thread" } : { ok: r };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Both paths, several chunk sizes: identical outcomes (results compared as JSON text too). */
async function expectSame(file: string, format: StreamFormat, chunks = [1, 50, 700, 1 << 20]) {
  const want = await singleThread(file, format);
  for (const c of chunks) {
    const got = await workers(file, format, c);
    expect(got, `chunkBytes ${c}`).toEqual(want);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  }
  return want;
}

const HEADER = "response_id,submitted_at,segment,channel,nps,csat,ces,driver_speed";
const SEGMENTS = ["smb", '"north\nsmb"', '"a ""quoted"" one"', '"x,y"', '"two\r\nlines"', "mid_market"];

/** A survey CSV with quoted fields holding newlines, CRLF pairs, commas and escaped quotes. */
function surveyCsv(
  rows: number,
  eol: string,
  options: { bom?: boolean; blankEvery?: number; edit?: (i: number, line: string) => string } = {},
) {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    if (options.blankEvery && i % options.blankEvery === 3) lines.push("");
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (i % 5)).padStart(2, "0");
    const line = `R${i},2026-${month}-${day}T10:00:00+01:00,${SEGMENTS[i % SEGMENTS.length]},web,${i % 11},${i % 4 === 0 ? "" : 1 + (i % 5)},${1 + (i % 7)},${1 + (i % 5)}`;
    lines.push(options.edit ? options.edit(i, line) : line);
  }
  return `${options.bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}`;
}

function write(name: string, text: string): string {
  const file = join(tmp(), name);
  writeFileSync(file, text);
  return file;
}

describe("parallelSurveyFold: the single-thread stream's results", () => {
  it(
    "on examples/data/responses.csv, by segment × month and by channel × week",
    async () => {
      const r = await expectSame(DATA, "csv", [3000, 40_000, 1 << 22]);
      expect((r as { ok: { n: number } }).ok.n).toBe(2400);
      const other: SurveySettings = { ...SETTINGS, by: "channel", period: "week", ci: "bootstrap" };
      expect(await workers(DATA, "csv", 5000, other)).toEqual(await singleThread(DATA, "csv", other));
    },
    SLOW,
  );

  it(
    "on CSV with quoted newlines, CRLF, a BOM and blank lines, whatever the chunk size",
    async () => {
      const lf = write("lf.csv", surveyCsv(60, "\n", { bom: true, blankEvery: 7 }));
      const r = await expectSame(lf, "csv");
      expect((r as { ok: { n: number } }).ok.n).toBe(60);
      const crlf = write("crlf.csv", surveyCsv(60, "\r\n", { blankEvery: 5 }));
      await expectSame(crlf, "csv");
      const cr = write("cr.csv", surveyCsv(20, "\r").replaceAll('"two\r\nlines"', "two"));
      await expectSame(cr, "csv", [1, 100]);
      // CRLF records: a bare \n inside an unquoted field is field text, not a boundary.
      const bare = write(
        "bare.csv",
        `${HEADER}\r\nA,2026-01-01T00:00:00Z,sm\nb,web,9,,,\r\nB,2026-01-02T00:00:00Z,x,web,3,,,\r\n`,
      );
      const b = await expectSame(bare, "csv", [1, 5]);
      expect((b as { ok: { groups: [string][] } }).ok.groups.map((g) => g[0])).toEqual(["sm\nb", "x"]);
    },
    SLOW,
  );

  it(
    "on NDJSON with CRLF, lone CR and blank lines",
    async () => {
      const rows = parse(readFileSync(DATA, "utf8"), { columns: true }).slice(0, 200) as Record<
        string,
        string
      >[];
      const text = rows
        .map(
          (r, i) =>
            JSON.stringify({
              id: r.response_id,
              submittedAt: r.submitted_at,
              segment: r.segment,
              nps: Number(r.nps),
              ...(r.csat === "" ? {} : { csat: Number(r.csat) }),
            }) + ["\n", "\r\n", "\r", "\n\n  \n"][i % 4],
        )
        .join("");
      const file = write("r.ndjson", text);
      const r = await expectSame(file, "ndjson", [1, 90, 1 << 20]);
      expect((r as { ok: { n: number } }).ok.n).toBe(200);
    },
    SLOW,
  );

  it("header only, empty files and a last record without a newline", async () => {
    await expectSame(write("h.csv", `${HEADER}\n`), "csv", [1]);
    await expectSame(write("h2.csv", `\n\n${HEADER}`), "csv", [1]);
    await expectSame(write("e.ndjson", ""), "ndjson", [1]);
    const last = write("last.csv", surveyCsv(5, "\r\n").trimEnd());
    await expectSame(last, "csv", [1, 30]);
  });
});

describe("parallelSurveyFold: the single-thread stream's errors", () => {
  /** The single-thread message, and the same from the workers at every chunk size. */
  async function expectSameError(
    file: string,
    format: StreamFormat,
    pattern: RegExp,
    chunks = [1, 64, 4096],
  ) {
    const want = await singleThread(file, format);
    expect(want).toEqual({ error: expect.stringMatching(pattern) });
    for (const c of chunks) expect(await workers(file, format, c), `chunkBytes ${c}`).toEqual(want);
  }

  it("a bad record in a later chunk: its row number and column", async () => {
    const edit = (i: number, line: string) => (i === 41 ? line.replace(",web,", ",fax,") : line);
    const file = write("bad.csv", surveyCsv(50, "\r\n", { blankEvery: 9, edit }));
    // Blank lines and quoted newlines do not count: row N is the N-th record, the header being row 1.
    await expectSameError(file, "csv", /bad\.csv: row 43, column channel: channel is "fax"/);
  });

  it("of two bad records in different chunks, the first in the file, however the workers race", async () => {
    const edit = (i: number, line: string) =>
      i === 30 ? line.replace(/,web,\d+,/, ",web,11,") : i === 70 ? line.replace(",web,", ",fax,") : line;
    const file = write("two.csv", surveyCsv(80, "\n", { edit }));
    const want = await singleThread(file, "csv");
    expect(want).toEqual({ error: expect.stringMatching(/two\.csv: row 32, column nps: nps is 11/) });
    for (let k = 0; k < 5; k++) expect(await workers(file, "csv", 1 + 17 * k)).toEqual(want);
  });

  it("a bad record before a syntax error in the same chunk comes first, as in the file", async () => {
    const edit = (i: number, line: string) =>
      i === 10 ? line.replace(",web,", ",fax,") : i === 70 ? `${line},extra` : line;
    const file = write("both.csv", surveyCsv(80, "\n", { edit }));
    await expectSameError(file, "csv", /both\.csv: row 12, column channel/, [1, 1 << 20]);
  });

  it("CSV syntax errors in a later chunk name the file's line (quoted newlines and CRLF before them)", async () => {
    const body = surveyCsv(40, "\r\n", { blankEvery: 6 });
    await expectSameError(
      write("ragged.csv", `${body}R9,2026-01-01T00:00:00Z,smb,web,9,,,,extra\r\n${surveyCsv(3, "\r\n")}`),
      "csv",
      /ragged\.csv: Invalid Record Length: expect 8, got 9 on line \d+/,
    );
    await expectSameError(
      write("unclosed.csv", `${body}R9,2026-01-01T00:00:00Z,"smb,web,9,,,\r\nR10,x\r\n`),
      "csv",
      /unclosed\.csv: Quote Not Closed: the parsing is finished with an opening quote at line \d+/,
    );
    await expectSameError(
      write("closing.csv", `${body}R9,2026-01-01T00:00:00Z,"smb"x,web,9,,,\r\n`),
      "csv",
      /closing\.csv: Invalid Closing Quote: got "x" at line \d+/,
    );
    await expectSameError(
      write("opening.csv", `${surveyCsv(40, "\n")}R9,2026-01-01T00:00:00Z,sm"b,web,9,,,\n`),
      "csv",
      /opening\.csv: Invalid Opening Quote: a quote is found on field 2 at line \d+/,
    );
  });

  it("header problems, before any record", async () => {
    await expectSameError(write("empty.csv", "\n\n"), "csv", /empty\.csv: the file is empty/, [1]);
    await expectSameError(write("dup.csv", "a,a\n1,2\n"), "csv", /column "a" appears twice/, [1]);
    await expectSameError(
      write("hq.csv", 'response_id,"nps\n'),
      "csv",
      /hq\.csv: Quote Not Closed: .* at line 1/,
      [1],
    );
  });

  it("NDJSON: bad JSON and a bad record in a later chunk, by line and record number", async () => {
    const good = '{"id":"A","submittedAt":"2026-01-01T00:00:00Z","nps":9}';
    const text = `${good}\r\n\n${good}\r${good}\n`.repeat(10);
    await expectSameError(
      write("bad.ndjson", `${text}${good}\n{"id":"B",\n${good}\n`),
      "ndjson",
      /bad\.ndjson: line 42: not valid JSON/,
    );
    await expectSameError(
      write("rec.ndjson", `${text}${good}\n${good.replace("9}", "11}")}\n`),
      "ndjson",
      /rec\.ndjson: record 32, column nps: nps is 11/,
    );
    await expectSameError(write("bom.ndjson", `\uFEFF${good}\n`), "ndjson", /line 1: not valid JSON/, [1]);
  });
});

describe("RecordChunker", () => {
  const cell = fc.stringMatching(/^[a-z", \r\n]{0,6}$/);
  const quote = (s: string) => (/[",\r\n]/.test(s) || s === "" ? `"${s.replaceAll('"', '""')}"` : s);

  it("cuts random quoted CSV only between records: each chunk parses to the whole file's records", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((cols) =>
            fc.tuple(
              fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 30 }),
              fc.constantFrom("\n", "\r\n"),
              fc.integer({ min: 1, max: 40 }),
              fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }),
            ),
          ),
        ([rows, eol, target, cuts]) => {
          const text = rows.map((r) => r.map(quote).join(",")).join(eol) + eol;
          const bytes = Buffer.from(text);
          const h = findCsvHeader(bytes, true);
          if (h === null || h === "unsupported") throw new Error("no header");
          expect(h.delimiter).toBe(eol);
          const chunker = new RecordChunker(h.delimiter, true, target, h.end - h.start);
          const chunks: Buffer[] = [];
          let pos = h.end;
          for (let k = 0; pos < bytes.length; k++) {
            const n = cuts[k % cuts.length]!;
            chunks.push(...chunker.push(bytes.subarray(pos, pos + n)));
            pos += n;
          }
          const last = chunker.end();
          if (last) chunks.push(last);
          const header = bytes.subarray(h.start, h.end);
          const records: string[][] = [];
          let lines = csvLineBreaks(bytes.subarray(0, h.end), eol);
          for (const c of chunks) {
            header.copy(c, 0);
            records.push(...(parse(c, { relax_column_count: true }) as string[][]).slice(1));
            lines += csvLineBreaks(c.subarray(header.length), eol);
          }
          const whole = parse(bytes, { relax_column_count: true }) as string[][];
          expect([whole[0], ...records]).toEqual(whole);
          expect(Buffer.concat([header, ...chunks.map((c) => c.subarray(header.length))])).toEqual(
            bytes.subarray(h.start),
          );
          expect(lines).toBe(csvLineBreaks(bytes, eol));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it("counts lines as csv-parse does: every \\r and \\n, a \\r\\n delimiter once", () => {
    expect(csvLineBreaks(Buffer.from('a,"x\r\ny"\r\n\r\n'), "\r\n")).toBe(4);
    expect(csvLineBreaks(Buffer.from('a,"x\r\ny"\r\n\r\n'), "\n")).toBe(6);
    expect(csvLineBreaks(Buffer.from("a\r\nb\nc\r\n"), "\r\n")).toBe(3);
    expect(findCsvHeader(Buffer.from("\uFEFF\n\na,b\r\n1,2"), false)).toEqual({
      start: 5,
      end: 10,
      delimiter: "\n",
    });
    expect(findCsvHeader(Buffer.from([0xff, 0xfe, 0x61, 0]), false)).toBe("unsupported");
    expect(findCsvHeader(Buffer.from('"a\nb'), false)).toBeNull();
  });
});

describe("when workers are used", () => {
  it("auto: only for files of the measured size or more, on two or more cores", () => {
    expect(autoStreamWorkers(STREAM_WORKERS_THRESHOLD_BYTES - 1, 8)).toBe(1);
    expect(autoStreamWorkers(STREAM_WORKERS_THRESHOLD_BYTES, 1)).toBe(1);
    expect(autoStreamWorkers(STREAM_WORKERS_THRESHOLD_BYTES, 2)).toBe(2);
    expect(autoStreamWorkers(10 * STREAM_WORKERS_THRESHOLD_BYTES, 64)).toBe(4);
  });

  it("reports progress (bytes read, rows merged) and once at the end", async () => {
    const seen: { bytes: number; rows: number; totalBytes: number }[] = [];
    const r = await parallelSurveyFold(DATA, "csv", SETTINGS, {
      workers: 2,
      pool,
      chunkBytes: 4096,
      highWaterMark: 4096,
      onProgress: (p) => seen.push(p),
      progressIntervalMs: 0,
    });
    const size = readFileSync(DATA).length;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual({ bytes: size, totalBytes: size, rows: 2400 });
    expect(r?.n).toBe(2400);
  });

  it("a UTF-16 CSV is left to the single-thread stream", async () => {
    const file = write("u16.csv", `\uFEFF${HEADER}\n`);
    writeFileSync(file, Buffer.from(`\uFEFF${HEADER}\n`, "utf16le"));
    expect(await parallelSurveyFold(file, "csv", SETTINGS, { workers: 2, pool })).toBeNull();
  });
});

/** Run `cxmetrics survey …` in this process; what it prints with console.log, or the error it throws. */
async function survey(args: string[]): Promise<{ stdout: string } | { error: string }> {
  const out: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
    out.push(`${a.join(" ")}\n`);
  });
  try {
    await surveyCommand.run(args);
    return { stdout: out.join("") };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    spy.mockRestore();
  }
}

describe("cxmetrics survey --workers", () => {
  const args = [DATA, "--by", "segment", "--period", "month", "--tz", "Europe/Berlin"];

  it(
    "prints the same tables and JSON as the in-memory path",
    async () => {
      const memory = await survey(args);
      expect(await survey([...args, "--workers", "2"])).toEqual(memory);
      const json = await survey([...args, "--json"]);
      // JSON in a child process: the built CLI when dist/ is current (CI builds first), whose workers load
      // the bundle's own chunk; else the sources through tsx.
      const child = await runCli(["survey", ...args, "--json", "--workers", "2"]);
      expect(child.stderr).toBe("");
      expect({ stdout: child.stdout }).toEqual(json);
    },
    SLOW,
  );

  it(
    "stops at the first bad record with the single-thread message (exit 2)",
    async () => {
      const lines = readFileSync(DATA, "utf8").split("\n");
      lines[2001] = lines[2001]!.replace(/,(\d+),(\d?),(\d?),/, ",12,$2,$3,");
      const bad = write("bad.csv", lines.join("\n"));
      const want = await singleThread(bad, "csv");
      expect(want).toEqual({ error: expect.stringMatching(/bad\.csv: row 2002, column nps: nps is 12/) });
      const child = await runCli(["survey", bad, "--workers", "2"]);
      expect(child.code).toBe(2);
      expect(child.stderr).toBe(`cxmetrics: ${(want as { error: string }).error}\n`);
    },
    SLOW,
  );

  it("rejects a bad --workers value and --workers with an engine", async () => {
    expect(await survey([DATA, "--workers", "two"])).toEqual({
      error: expect.stringMatching(/--workers must be a non-negative integer or auto; found "two"/),
    });
    expect(await survey([DATA, "--workers", "2", "--engine", "duckdb"])).toEqual({
      error: expect.stringMatching(/--workers reads the file in this process/),
    });
  });
});

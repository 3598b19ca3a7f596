/**
 * Streaming input for the CLI: CSV (csv-parse's streaming parser) and NDJSON (one JSON record per
 * line) read from `fs.createReadStream` as async iterables of records, validated one record at a
 * time, and folded into overall / by-group / by-period accumulator states in bounded memory
 * (memory grows with the number of groups and periods, not with the number of rows).
 *
 * The streamed records, row numbers and error messages are those of the in-memory path
 * ({@link loadTable} in ./io.ts): the same csv-parse options, the same header trimming and blank
 * cells, the same "row N" / "record N" positions. The one difference: streaming stops at the first
 * bad record (the in-memory path validates every record first and counts the other issues).
 *
 * src/cli/stream-parallel.ts runs the same records, checks and folds in worker threads for large
 * files ({@link csvRecord}, {@link surveyRecordIssues}, {@link StreamFold} are shared with it).
 *
 * @module
 */
import { createReadStream, statSync } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { type Accumulator, compareKeys } from "../core/accumulator.js";
import { type InputIssue, InvalidInputError } from "../core/errors.js";
import type { PeriodResult } from "../core/by-period.js";
import { StreamingPeriods } from "../core/streaming-periods.js";
import type { CalendarOptions, Period } from "../core/time.js";
import {
  type SurveyResponse,
  fastParseSurveyResponse,
  safeParseSurveyResponses,
  surveyResponseFromCsvRow,
} from "../schemas/survey.js";
import { CliError, type LoadedTable, checkHeader, describeInputError } from "./io.js";

/** Files at least this large are streamed by default (64 MiB). */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** Formats that can be streamed: CSV and NDJSON (`.ndjson`, `.jsonl`). A JSON array cannot. */
export type StreamFormat = "csv" | "ndjson";

/** The streaming format of a file from its extension, or `null` when it cannot be streamed. */
export function streamFormat(file: string): StreamFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  return null;
}

/** Size of a file in bytes; a file that cannot be read is a {@link CliError} like in `loadTable`. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    throw new CliError(`${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** How far a stream has got. */
export interface StreamProgress {
  /** Bytes read from the file so far. */
  bytes: number;
  /** Size of the file in bytes. */
  totalBytes: number;
  /** Records yielded so far. */
  rows: number;
}

/** Options of {@link readRecords}. */
export interface ReadRecordsOptions {
  /** Called at most every `progressIntervalMs` while reading, and once at the end. */
  onProgress?: (p: StreamProgress) => void;
  /** Minimum time between two `onProgress` calls (default 500 ms). */
  progressIntervalMs?: number;
  /** Read-stream chunk size (default 1 MiB). */
  highWaterMark?: number;
  /** Called with a CSV file's column names before the first record (may throw to stop). */
  onHeader?: (columns: string[]) => void;
}

/**
 * Read a CSV or NDJSON file as an async iterable of records (CSV: header names → cell strings,
 * blank cells `""`; NDJSON: the parsed value of each non-blank line). Memory stays bounded: one
 * read chunk plus the parser's buffer. Bad CSV (wrong column count, unclosed quote) and bad JSON
 * lines become a {@link CliError} naming the file (and the line for NDJSON).
 */
export async function* readRecords(
  file: string,
  format: StreamFormat,
  options: ReadRecordsOptions = {},
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  const totalBytes = fileSize(file);
  const source = createReadStream(file, { highWaterMark: options.highWaterMark ?? 1024 * 1024 });
  const interval = options.progressIntervalMs ?? 500;
  const onProgress = options.onProgress;
  let rows = 0;
  let last = Date.now();
  const tick = () => {
    if (onProgress === undefined || (rows & 1023) !== 0) return;
    const now = Date.now();
    if (now - last < interval) return;
    last = now;
    onProgress({ bytes: source.bytesRead, totalBytes, rows });
  };
  try {
    if (format === "csv") {
      const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false });
      source.on("error", (e) => parser.destroy(e));
      source.pipe(parser);
      let columns: string[] | null = null;
      try {
        for await (const raw of parser as AsyncIterable<string[]>) {
          if (columns === null) {
            columns = raw.map((h) => h.trim());
            checkHeader(file, columns);
            options.onHeader?.(columns);
            continue;
          }
          rows++;
          yield csvRecord(columns, raw);
          tick();
        }
      } catch (e) {
        throw readError(file, e);
      }
      if (columns === null) throw new CliError(`${file}: the file is empty (expected a header row)`);
    } else {
      const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
      let line = 0;
      try {
        for await (const text of lines) {
          line++;
          if (text.trim() === "") continue;
          let rec: unknown;
          try {
            rec = JSON.parse(text);
          } catch (e) {
            throw new CliError(`${file}: line ${line}: not valid JSON (${(e as Error).message})`);
          }
          rows++;
          yield rec as Record<string, unknown>;
          tick();
        }
      } catch (e) {
        throw readError(file, e);
      }
    }
    onProgress?.({ bytes: source.bytesRead, totalBytes, rows });
  } finally {
    source.destroy();
  }
}

/**
 * A CSV record from the (trimmed) header names and a parsed row: the same object shape as
 * `Object.fromEntries` in `loadTable` (a missing cell is `""`; a `__proto__` column stays data).
 */
export function csvRecord(columns: readonly string[], raw: readonly string[]): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (let k = 0; k < columns.length; k++) defineCell(rec, columns[k]!, raw[k] ?? "");
  return rec;
}

function defineCell(rec: Record<string, unknown>, key: string, value: string): void {
  if (key === "__proto__")
    Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
  else rec[key] = value;
}

/** A read or parse error as a one-line {@link CliError} naming the file (`cannot read file (EISDIR)`, csv-parse's message). */
export function readError(file: string, e: unknown): CliError {
  if (e instanceof CliError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code?.startsWith("E") && !code.startsWith("CSV_"))
    return new CliError(`${file}: cannot read file (${code})`);
  return new CliError(`${file}: ${(e as Error).message}`);
}

/**
 * A progress line on stderr (`file: 1.2 GiB of 9.8 GiB (12%) · 3,400,000 rows`), redrawn in place,
 * only when stderr is a terminal; `done()` clears it. Returns `undefined` when stderr is not a TTY.
 */
export function stderrProgress(
  file: string,
  stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr,
): { update(p: StreamProgress): void; done(): void } | undefined {
  if (!stream.isTTY) return undefined;
  let shown = false;
  return {
    update(p) {
      const pct = p.totalBytes > 0 ? ` (${Math.floor((100 * p.bytes) / p.totalBytes)}%)` : "";
      stream.write(
        `\r${file}: ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}${pct} · ${p.rows.toLocaleString("en")} rows\u001b[K`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
    },
  };
}

/** `1.5 GiB`, `320.0 MiB`, `12.0 KiB`, `900 B`. */
export function formatBytes(n: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (n < 1024) return `${n} B`;
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

// ---------------------------------------------------------------------------------------------
// Survey responses
// ---------------------------------------------------------------------------------------------

const COLUMN_NAMES: Record<string, string> = {
  id: "response_id",
  submittedAt: "submitted_at",
  respondentId: "respondent_id",
};

/** The file column of a survey-record issue path (`submittedAt` → `submitted_at`, `drivers.x` → `driver_x`). */
export function surveyColumn(path: (string | number)[]): string {
  const [head, sub] = path;
  if (head === "drivers" && sub !== undefined) return `driver_${sub}`;
  return COLUMN_NAMES[String(head)] ?? String(head ?? "");
}

/**
 * Validate streamed survey records one at a time with the schema's fast per-record path
 * (`fastParseSurveyResponse`); the first bad record is re-validated by the zod schema
 * (`safeParseSurveyResponses`) and becomes a {@link CliError} (exit code 2) naming the file, row and
 * column, in the message style of `describeInputError`.
 */
export async function* surveyResponses(
  file: string,
  format: StreamFormat,
  records: AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<SurveyResponse, void, undefined> {
  let i = 0;
  for await (const rec of records) {
    const input = format === "csv" ? surveyResponseFromCsvRow(rec) : rec;
    const r = fastParseSurveyResponse(input);
    if (r === undefined) throw recordError(file, format, i, input);
    yield r;
    i++;
  }
}

function recordError(file: string, format: StreamFormat, index: number, input: unknown): CliError {
  return surveyIssuesError(file, format, index, surveyRecordIssues(input));
}

/**
 * Why one survey record (rejected by `fastParseSurveyResponse`) is invalid: the zod schema's issues
 * for it, as plain data (index 0) that can cross a worker boundary.
 */
export function surveyRecordIssues(input: unknown): InputIssue[] {
  const parsed = safeParseSurveyResponses([input]);
  return parsed.success
    ? [{ index: 0, path: [], code: "invalid_record", message: "record rejected by the fast validator" }]
    : parsed.error.issues;
}

/**
 * The {@link CliError} for the bad survey record at `index` (0-based among the file's records):
 * `file: row N, column c: message` (CSV, N = index + 2) or `file: record N, …` (NDJSON, N = index + 1).
 */
export function surveyIssuesError(
  file: string,
  format: StreamFormat,
  index: number,
  issues: readonly InputIssue[],
): CliError {
  const table: LoadedTable = {
    file,
    format: format === "csv" ? "csv" : "json",
    columns: [],
    records: [],
    where: format === "csv" ? (i) => `row ${i + 2}` : (i) => `record ${i + 1}`,
  };
  const error = new InvalidInputError(
    issues.map((x) => ({ ...x, index })),
    { context: "parse survey responses", code: "invalid_record" },
  );
  return describeInputError(table, error, surveyColumn);
}

// ---------------------------------------------------------------------------------------------
// Folding: overall, by group, by period
// ---------------------------------------------------------------------------------------------

/** Options of {@link foldStream}. */
export interface FoldStreamOptions<T> {
  /** Group key of a row (groups come back in code-point key order, like `groupBy(…, { order: "key" })`). */
  by?: (row: T) => string;
  /** Period series of the rows' instants (epoch ms). */
  period?: { at: (row: T) => number; period: Period } & CalendarOptions;
}

/** What {@link foldStream} returns. */
export interface FoldStreamResult<O> {
  /** Rows folded. */
  n: number;
  overall: O;
  /** `[key, result]` in code-point key order; empty without `by`. */
  groups: [string, O][];
  /** Every period from the first to the last; empty without `period`. */
  periods: PeriodResult<O>[];
}

/** The states of a partial fold (plain data: a stream worker posts them back to be merged). */
export interface FoldStates<S> {
  /** Rows folded. */
  n: number;
  overall: S;
  /** `[key, state]` in first-seen order; empty without `by`. */
  groups: [string, S][];
  /** `[period start (epoch ms), state]`; empty without `period`. */
  periods: [number, S][];
}

/**
 * The overall, by-group and by-period states of a stream, folded one row at a time ({@link add})
 * or merged from partial folds in input order ({@link merge}); {@link result} finishes them like
 * `fold` + `groupBy(…, { order: "key" })` + `byPeriod`.
 */
export class StreamFold<T, S, O> {
  /** Rows folded or merged so far. */
  n = 0;
  private overall: S;
  private readonly groups: Map<string, S> | null;
  private readonly periods: StreamingPeriods<T, S, O> | null;

  constructor(
    private readonly acc: Accumulator<T, S, O>,
    private readonly options: FoldStreamOptions<T> = {},
  ) {
    this.overall = acc.init();
    this.groups = options.by ? new Map<string, S>() : null;
    const p = options.period;
    this.periods = p ? new StreamingPeriods(acc, p.period, p) : null;
  }

  /** Fold one row (its index in the stream is the number of rows before it). */
  add(row: T): void {
    const { acc, groups, periods } = this;
    const i = this.n;
    this.overall = acc.add(this.overall, row, i);
    if (groups !== null) {
      const k = this.options.by!(row);
      const s = groups.get(k) ?? acc.init();
      groups.set(k, acc.add(s, row, i));
    }
    if (periods !== null) periods.add(this.options.period!.at(row), row, i);
    this.n = i + 1;
  }

  /** The states as plain data. */
  states(): FoldStates<S> {
    return {
      n: this.n,
      overall: this.overall,
      groups: this.groups === null ? [] : [...this.groups],
      periods: this.periods === null ? [] : this.periods.entries(),
    };
  }

  /** Merge the states of a fold of the rows that come after this one's (same accumulator and options). */
  merge(part: FoldStates<S>): void {
    const { acc, groups } = this;
    this.overall = acc.merge(this.overall, part.overall);
    if (groups !== null)
      for (const [k, s] of part.groups) {
        const mine = groups.get(k);
        groups.set(k, mine === undefined ? s : acc.merge(mine, s));
      }
    this.periods?.mergeEntries(part.periods);
    this.n += part.n;
  }

  /** The results: overall, groups in code-point key order, every period from the first to the last. */
  result(): FoldStreamResult<O> {
    const { acc, groups, periods } = this;
    return {
      n: this.n,
      overall: acc.result(this.overall),
      groups:
        groups === null
          ? []
          : [...groups].sort((a, b) => compareKeys(a[0], b[0])).map(([k, s]) => [k, acc.result(s)]),
      periods: periods === null ? [] : periods.results(),
    };
  }
}

/**
 * One pass over an async iterable: the overall result, the results by group and by period, with
 * the same accumulator — the streaming equivalent of `fold` + `groupBy` + `byPeriod` on an array
 * (each row is added to each state in input order, so results are identical).
 */
export async function foldStream<T, S, O>(
  rows: AsyncIterable<T> | Iterable<T>,
  acc: Accumulator<T, S, O>,
  options: FoldStreamOptions<T> = {},
): Promise<FoldStreamResult<O>> {
  const fold = new StreamFold(acc, options);
  for await (const row of rows) fold.add(row);
  return fold.result();
}

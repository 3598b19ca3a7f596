/**
 * File input and output for the CLI (the only Node-specific code in the package):
 * CSV (RFC 4180, via csv-parse) and JSON (an array of records, or NDJSON), with errors that
 * name the file, row and column, and atomic writes (temp file, then rename).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { parse } from "csv-parse/sync";
import type { InvalidInputError } from "../core/errors.js";

/** An error the CLI reports in one line and exits with code 2 (bad input) or 1. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** A table read from a file: records plus how to name a record's position in the file. */
export interface LoadedTable {
  file: string;
  format: "csv" | "json";
  columns: string[];
  records: Record<string, unknown>[];
  /** Human position of record i: "row 12" (CSV: line number counting the header as row 1) or "record 12". */
  where(index: number): string;
}

/** Read a CSV or JSON file into records. CSV cells stay strings; blank cells become `""`. */
export function loadTable(file: string): LoadedTable {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark (Windows exports)
  } catch (e) {
    throw new CliError(`${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".json" || ext === ".ndjson" || ext === ".jsonl") {
    let records: unknown;
    try {
      records =
        ext === ".json"
          ? JSON.parse(text)
          : text
              .split(/\r?\n/)
              .filter((l) => l.trim() !== "")
              .map((l) => JSON.parse(l));
    } catch (e) {
      throw new CliError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(records)) throw new CliError(`${file}: expected a JSON array of records`);
    const columns = [...new Set(records.flatMap((r) => (r && typeof r === "object" ? Object.keys(r) : [])))];
    return {
      file,
      format: "json",
      columns,
      records: records as Record<string, unknown>[],
      where: (i) => `record ${i + 1}`,
    };
  }
  if (ext !== ".csv")
    throw new CliError(`${file}: unsupported file type "${ext}"; expected .csv, .json or .ndjson`);
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) throw new CliError(`${file}: the file is empty (expected a header row)`);
  const columns = header.map((h) => h.trim());
  checkHeader(file, columns);
  const records = body.map((r) => Object.fromEntries(columns.map((c, k) => [c, r[k] ?? ""])));
  return { file, format: "csv", columns, records, where: (i) => `row ${i + 2}` };
}

/** Reject a CSV header with a repeated column name (the later column would silently win). */
export function checkHeader(file: string, columns: readonly string[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new CliError(`${basename(file)}: column "${c}" appears twice in the header`);
    seen.add(c);
  }
}

/** Turn a library `InvalidInputError` about this table's records into one clear CLI message. */
export function describeInputError(
  table: LoadedTable,
  error: InvalidInputError,
  columnOf?: (path: (string | number)[]) => string,
): CliError {
  const first = error.issues[0];
  if (!first) return new CliError(`${table.file}: ${error.message}`);
  const column = columnOf ? columnOf(first.path) : first.path.join(".");
  const where = first.index === null ? "" : ` ${table.where(first.index)}`;
  const col = column ? `, column ${column}` : "";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more issue(s))` : "";
  return new CliError(`${basename(table.file)}:${where}${col}: ${first.message}${more}`);
}

/** Write a file atomically: to a temp file beside it, then rename. Nothing half-written is left. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * The report's input: the CSV/JSON files of a directory, recognised by their header (survey
 * responses, subscriptions, orders, tickets), validated with the library's schemas. A bad record
 * becomes one message naming the file, row and column (exit code 2).
 */
import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { InvalidInputError } from "../../core/errors.js";
import type { SafeParseResult } from "../../schemas/parse.js";
import { type Order, safeParseOrders } from "../../schemas/order.js";
import { type Subscription, safeParseSubscriptions } from "../../schemas/subscription.js";
import { type SurveyResponse, safeParseSurveyResponses } from "../../schemas/survey.js";
import { type Ticket, safeParseTickets } from "../../schemas/ticket.js";
import { CliError, type LoadedTable, describeInputError, loadTable } from "../io.js";

/** The kinds of files the report understands. */
export type DataKind = "responses" | "subscriptions" | "orders" | "tickets";

/** A header column, in snake_case or camelCase. */
function has(columns: readonly string[], name: string): boolean {
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return columns.includes(name) || columns.includes(camel);
}

interface KindSpec {
  kind: DataKind;
  what: string;
  /** Columns that identify the kind (all required). */
  needs: readonly string[];
  /** At least one of these. */
  anyOf?: readonly string[];
  parse(records: unknown[]): SafeParseResult<unknown>;
}

const KINDS: readonly KindSpec[] = [
  {
    kind: "responses",
    what: "survey responses",
    needs: ["submitted_at"],
    anyOf: ["nps", "csat", "ces"],
    parse: (r) => safeParseSurveyResponses(r),
  },
  {
    kind: "subscriptions",
    what: "subscriptions",
    needs: ["customer_id", "billing_interval", "started_at", "amount"],
    parse: (r) => safeParseSubscriptions(r),
  },
  {
    kind: "orders",
    what: "orders",
    needs: ["customer_id", "ordered_at", "amount"],
    parse: (r) => safeParseOrders(r),
  },
  {
    kind: "tickets",
    what: "support tickets",
    needs: ["created_at"],
    anyOf: ["first_response_at", "resolved_at", "issue_id"],
    parse: (r) => safeParseTickets(r),
  },
];

/** Which kind a header belongs to, or `null`. */
export function recogniseHeader(columns: readonly string[]): DataKind | null {
  for (const k of KINDS) {
    if (k.needs.every((c) => has(columns, c)) && (!k.anyOf || k.anyOf.some((c) => has(columns, c))))
      return k.kind;
  }
  return null;
}

/** What each kind's header must contain, for messages. */
export function expectedHeaders(): string {
  return KINDS.map(
    (k) => `${k.what} (${k.needs.join(", ")}${k.anyOf ? `, one of ${k.anyOf.join("/")}` : ""})`,
  ).join("; ");
}

/** The validated data of a directory. */
export interface ReportInput {
  dir: string;
  files: Partial<Record<DataKind, string>>;
  responses: SurveyResponse[] | null;
  subscriptions: Subscription[] | null;
  orders: Order[] | null;
  tickets: Ticket[] | null;
  /** Files that were skipped, with why. */
  skipped: { file: string; reason: string }[];
}

/** The CSV/JSON column that a schema issue path refers to (the file's own spelling). */
export function columnOf(table: LoadedTable, path: readonly (string | number)[]): string {
  const head = path[0];
  if (typeof head !== "string") return path.join(".");
  if (head === "drivers" && typeof path[1] === "string" && table.columns.includes(`driver_${path[1]}`))
    return `driver_${path[1]}`;
  const snake = head.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const col = table.columns.includes(head) ? head : table.columns.includes(snake) ? snake : head;
  return [col, ...path.slice(1)].join(".");
}

/** Validate one loaded table as `kind`; throws a `CliError` naming file, row and column. */
export function validateTable(table: LoadedTable, kind: DataKind): unknown[] {
  const spec = KINDS.find((k) => k.kind === kind)!;
  const r = spec.parse(table.records);
  if (!r.success) throw describeInputError(table, r.error as InvalidInputError, (p) => columnOf(table, p));
  return r.data;
}

/** Load a single file as `kind` (single-domain subcommands). */
export function loadKind<T>(file: string, kind: DataKind): T[] {
  const table = loadTable(file);
  const found = recogniseHeader(table.columns);
  if (found !== kind) {
    const spec = KINDS.find((k) => k.kind === kind)!;
    throw new CliError(
      `${basename(file)}: the header (${table.columns.join(", ")}) does not look like ${spec.what}; expected columns ${spec.needs.join(", ")}${spec.anyOf ? ` and one of ${spec.anyOf.join(", ")}` : ""}`,
    );
  }
  return validateTable(table, kind) as T[];
}

/**
 * Read every .csv/.json/.ndjson file of `dir`, recognise each by its header, validate it.
 * Unrecognised files are skipped with a reason (reported on stderr by the caller); two files of one
 * kind, or no recognised file at all, are errors.
 */
export function loadDataDir(dir: string, onProgress?: (message: string) => void): ReportInput {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(`--data ${dir}: not a directory`);
    names = readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `--data ${dir}: cannot read the directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  const input: ReportInput = {
    dir,
    files: {},
    responses: null,
    subscriptions: null,
    orders: null,
    tickets: null,
    skipped: [],
  };
  for (const name of names) {
    const ext = extname(name).toLowerCase();
    if (![".csv", ".json", ".ndjson", ".jsonl"].includes(ext) || name.startsWith(".")) continue;
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    if (ext === ".json" && /scorecard/i.test(name)) continue; // a scorecard definition lying beside the data
    onProgress?.(`reading ${name}`);
    const table = loadTable(file);
    const kind = recogniseHeader(table.columns);
    if (kind === null) {
      input.skipped.push({
        file: name,
        reason: `unrecognised header (${table.columns.slice(0, 8).join(", ")}${table.columns.length > 8 ? ", …" : ""}); expected ${expectedHeaders()}`,
      });
      continue;
    }
    if (input.files[kind])
      throw new CliError(
        `${name}: a second file of ${kind} (the first is ${input.files[kind]}); keep one file per kind in ${dir}`,
      );
    input.files[kind] = name;
    onProgress?.(`validating ${name} (${table.records.length} records)`);
    (input as unknown as Record<DataKind, unknown[]>)[kind] = validateTable(table, kind);
  }
  if (!Object.keys(input.files).length) {
    throw new CliError(
      `--data ${dir}: no survey-response, subscription, order or ticket file found; expected .csv or .json files with headers: ${expectedHeaders()}`,
    );
  }
  return input;
}

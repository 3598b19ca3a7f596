/**
 * Access to ../shared (public data sets and reference values). A user's clone has no ../shared:
 * suites that need it are skipped with a clear message instead of failing. CI always has it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
/** Absolute path of the shared folder (env CXMETRICS_SHARED overrides). */
export const sharedDir = resolve(process.env.CXMETRICS_SHARED ?? join(here, "..", "..", "..", "shared"));
/** True when ../shared is present. */
export const hasShared = existsSync(join(sharedDir, "reference"));

if (!hasShared) {
  console.warn(
    `[cxmetrics tests] ${sharedDir} not found: reference-value suites are skipped (CI always has it).`,
  );
}

/** `describe` that is skipped, with a message in its name, when ../shared is absent. */
export const describeShared: typeof describe = (
  hasShared
    ? describe
    : (name: string, fn: () => void) => describe.skip(`${name} (skipped: ../shared not found)`, fn)
) as typeof describe;

/** Read a file under ../shared as text. */
export function readShared(...parts: string[]): string {
  return readFileSync(join(sharedDir, ...parts), "utf8");
}

/** Read and parse a JSON file under ../shared. */
export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readShared(...parts)) as T;
}

/** Minimal RFC 4180 CSV reader for test fixtures (quoted fields, embedded commas/quotes/newlines). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
    i++;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  if (!header) return [];
  return body
    .filter((r) => r.length > 1 || (r.length === 1 && r[0] !== ""))
    .map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ""])));
}
